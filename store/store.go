package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"strings"
	"time"
)

// ErrNotExist is returned (possibly wrapped) when a key has no object. It is
// fs.ErrNotExist, so errors.Is(err, fs.ErrNotExist) matches too.
var ErrNotExist = fs.ErrNotExist

// ErrInvalidKey is returned (wrapped) for a key that can never name an
// object: empty, absolute, with "." or ".." segments, backslashes or NUL
// bytes.
var ErrInvalidKey = errors.New("store: invalid key")

// Info describes a stored object.
type Info struct {
	// Key is the object's key.
	Key string
	// Size is the object's length in bytes, or -1 when unknown.
	Size int64
	// ModTime is the object's last modification time; zero when unknown.
	ModTime time.Time
	// ETag is a version tag that changes whenever the content changes
	// (an origin's strong ETag, or one derived from size and modification
	// time). It is never empty for an object that exists.
	ETag string
	// ContentType is the object's media type when the store records one.
	ContentType string
}

// Store is a source of objects addressed by slash-separated keys such as
// "photos/cat.jpg". Implementations are safe for concurrent use.
//
// Every method honours its context: called with a context that is already
// done, it fails with an error matching the context's error, even in a store
// that could answer from memory, so a cancelled request does no more work
// whichever store serves it. The storetest package checks this, with the
// rest of the contract, for every implementation.
type Store interface {
	// Open returns the object's content and its Info. The caller closes
	// the reader. A missing object is an error matching ErrNotExist.
	Open(ctx context.Context, key string) (io.ReadCloser, Info, error)
	// Stat returns the object's Info without its content.
	Stat(ctx context.Context, key string) (Info, error)
}

// PutOptions are the optional attributes of a written object.
type PutOptions struct {
	// ContentType is the media type recorded with the object, if the
	// store can record one.
	ContentType string
}

// Putter is a Store that can write objects. Put replaces the object
// atomically: a concurrent reader sees the old content or the new one,
// never a part. When r fails, the old object is left as it was.
type Putter interface {
	Put(ctx context.Context, key string, r io.Reader, opts PutOptions) error
}

// Deleter is a Store that can delete objects. Deleting a missing key is not
// an error.
type Deleter interface {
	Delete(ctx context.Context, key string) error
}

// Lister is a Store that can list its objects. List yields the objects whose
// keys start with prefix, in lexical key order; it stops at the first error,
// which it yields with a zero Info.
type Lister interface {
	List(ctx context.Context, prefix string) iter.Seq2[Info, error]
}

// CheckKey returns an error wrapping ErrInvalidKey unless key is a valid
// object key: non-empty, relative, slash-separated, without empty, "." or
// ".." segments, backslashes, NUL bytes or other control characters.
func CheckKey(key string) error {
	if key == "" {
		return fmt.Errorf("%w: empty", ErrInvalidKey)
	}
	if strings.ContainsAny(key, "\\") {
		return fmt.Errorf("%w: backslash", ErrInvalidKey)
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] == 0x7f {
			return fmt.Errorf("%w: control character", ErrInvalidKey)
		}
	}
	for seg := range strings.SplitSeq(key, "/") {
		switch seg {
		case "", ".", "..":
			return fmt.Errorf("%w: %q segment", ErrInvalidKey, seg)
		}
	}
	return nil
}
