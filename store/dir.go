package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path"
	"strings"
	"sync"
	"syscall"
	"time"
)

// tempPrefix starts the name of every temporary file Put writes. Keys whose
// final segment starts with it are reserved: List never yields them and every
// method rejects them.
const tempPrefix = ".imgcdn-tmp-"

// DirStore is a [Store] of the regular files under one directory on local
// disk. It also implements [Putter], [Deleter] and [Lister]. Create one with
// [Dir] and release it with Close.
//
// Every access goes through an [os.Root], so no key reaches outside the
// directory: keys are first checked with [CheckKey] (no "..", absolute
// paths, backslashes or NUL bytes), and the operating system then refuses
// symbolic links that point out of the directory (or are absolute), at every
// path component. Symbolic links that stay inside are followed.
//
// Directories and other non-regular files are not objects: Open and Stat
// report them as not existing. Keys whose final segment starts with
// ".imgcdn-tmp-" are reserved for Put's temporary files and are invalid.
//
// The ETag of an object is derived from its size and modification time:
// `"<size in hex>-<Unix nanoseconds in hex>"`, in HTTP's quoted form, the
// same as [FS] gives for a file with a modification time. ContentType is
// always empty: a directory records no media types.
//
// A DirStore is safe for concurrent use.
type DirStore struct {
	root *os.Root
	// putMu serialises the last step of Put (the modification time check
	// and the rename), so that two concurrent Puts of one key never leave
	// two versions with the same ETag.
	putMu sync.Mutex
}

var (
	_ Store   = (*DirStore)(nil)
	_ Putter  = (*DirStore)(nil)
	_ Deleter = (*DirStore)(nil)
	_ Lister  = (*DirStore)(nil)
)

// Dir returns a store of the files under the directory path, which must
// exist. The store holds the directory open until Close; if the directory is
// moved meanwhile, the store follows it.
func Dir(path string) (*DirStore, error) {
	r, err := os.OpenRoot(path)
	if err != nil {
		return nil, fmt.Errorf("store: dir: %w", err)
	}
	return &DirStore{root: r}, nil
}

// Close releases the directory. Methods called after Close return errors.
func (d *DirStore) Close() error {
	return d.root.Close()
}

// checkDirKey checks key as CheckKey does and also rejects the names of
// temporary files.
func checkDirKey(key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	if strings.HasPrefix(path.Base(key), tempPrefix) {
		return fmt.Errorf("%w: %q is reserved for temporary files", ErrInvalidKey, tempPrefix)
	}
	return nil
}

// Open returns the content of the file named by key and its Info. The caller
// closes the reader. A directory, a missing file or a file beneath a path
// component that is not a directory is an error matching [ErrNotExist].
func (d *DirStore) Open(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	if err := ctx.Err(); err != nil {
		return nil, Info{}, opError("open", key, err)
	}
	if err := checkDirKey(key); err != nil {
		return nil, Info{}, opError("open", key, err)
	}
	// Stat first, so that a named pipe is refused before opening it would
	// block; the file's own Stat below describes what is read.
	st, err := d.root.Stat(key)
	if err != nil {
		return nil, Info{}, opError("open", key, osError(err))
	}
	if !st.Mode().IsRegular() {
		return nil, Info{}, opError("open", key, ErrNotExist)
	}
	f, err := d.root.Open(key)
	if err != nil {
		return nil, Info{}, opError("open", key, osError(err))
	}
	st, err = f.Stat()
	if err != nil {
		f.Close()
		return nil, Info{}, opError("open", key, osError(err))
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, Info{}, opError("open", key, ErrNotExist)
	}
	return f, fileInfo(key, st), nil
}

// Stat returns the Info of the file named by key, with the same errors as
// Open.
func (d *DirStore) Stat(ctx context.Context, key string) (Info, error) {
	if err := ctx.Err(); err != nil {
		return Info{}, opError("stat", key, err)
	}
	if err := checkDirKey(key); err != nil {
		return Info{}, opError("stat", key, err)
	}
	st, err := d.root.Stat(key)
	if err != nil {
		return Info{}, opError("stat", key, osError(err))
	}
	if !st.Mode().IsRegular() {
		return Info{}, opError("stat", key, ErrNotExist)
	}
	return fileInfo(key, st), nil
}

// Put writes the content of r to the file named by key, creating parent
// directories as needed (mode 0777 and files 0666, before the umask).
//
// The content goes first to a temporary file in the same directory, which
// is synced to disk and then renamed over the old file, so a concurrent
// reader sees the old content or the new, never a part. When r or ctx fails,
// the temporary file is removed and the old file is left as it was.
//
// If the new file would have the same size and modification time as the one
// it replaces (file system timestamps are coarse, often a few milliseconds),
// Put moves its modification time just past the old one, so the ETag always
// changes when the content may have. This holds for Puts through one
// DirStore; writers outside it are not coordinated. opts.ContentType is not
// recorded.
func (d *DirStore) Put(ctx context.Context, key string, r io.Reader, opts PutOptions) (err error) {
	if err := ctx.Err(); err != nil {
		return opError("put", key, err)
	}
	if err := checkDirKey(key); err != nil {
		return opError("put", key, err)
	}
	dir := path.Dir(key)
	if dir != "." {
		if err := d.root.MkdirAll(dir, 0o777); err != nil {
			return opError("put", key, osError(err))
		}
	}
	tmp, f, err := d.createTemp(dir)
	if err != nil {
		return opError("put", key, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			d.root.Remove(tmp)
		}
	}()
	if _, err := io.Copy(f, ctxReader{ctx, r}); err != nil {
		return opError("put", key, err)
	}
	if err := f.Sync(); err != nil {
		return opError("put", key, err)
	}
	st, err := f.Stat()
	if err != nil {
		return opError("put", key, err)
	}
	if err := f.Close(); err != nil {
		return opError("put", key, err)
	}
	if err := ctx.Err(); err != nil {
		return opError("put", key, err)
	}

	d.putMu.Lock()
	defer d.putMu.Unlock()
	if old, err := d.root.Stat(key); err == nil && old.Mode().IsRegular() && old.Size() == st.Size() && !st.ModTime().After(old.ModTime()) {
		if err := d.bumpModTime(tmp, old.ModTime()); err != nil {
			return opError("put", key, err)
		}
	}
	if err := d.root.Rename(tmp, key); err != nil {
		return opError("put", key, osError(err))
	}
	return nil
}

// createTemp creates a new temporary file in dir (relative to the root).
func (d *DirStore) createTemp(dir string) (string, *os.File, error) {
	var b [12]byte
	for range 10 {
		rand.Read(b[:])
		name := path.Join(dir, tempPrefix+hex.EncodeToString(b[:]))
		f, err := d.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", nil, osError(err)
		}
		return name, f, nil
	}
	return "", nil, errors.New("cannot create a temporary file")
}

// bumpModTime sets the modification time of the file tmp to just after
// after, in the smallest step the file system keeps.
func (d *DirStore) bumpModTime(tmp string, after time.Time) error {
	for _, step := range []time.Duration{time.Nanosecond, time.Microsecond, time.Millisecond, time.Second, 2 * time.Second} {
		t := after.Add(step)
		if err := d.root.Chtimes(tmp, t, t); err != nil {
			return err
		}
		st, err := d.root.Stat(tmp)
		if err != nil {
			return err
		}
		if st.ModTime().After(after) {
			return nil
		}
	}
	return errors.New("cannot advance the modification time")
}

// Delete removes the file named by key. Deleting a missing key, or a key
// that names a directory, is not an error and changes nothing: directories
// are not objects. Empty parent directories are left in place.
func (d *DirStore) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return opError("delete", key, err)
	}
	if err := checkDirKey(key); err != nil {
		return opError("delete", key, err)
	}
	st, err := d.root.Lstat(key)
	if err != nil {
		if err := osError(err); errors.Is(err, ErrNotExist) {
			return nil
		}
		return opError("delete", key, osError(err))
	}
	if st.IsDir() {
		return nil
	}
	if err := d.root.Remove(key); err != nil && !errors.Is(osError(err), ErrNotExist) {
		return opError("delete", key, osError(err))
	}
	return nil
}

// List yields the Info of every regular file whose key starts with prefix,
// in lexical key order, skipping temporary files. It reads one directory at
// a time and enters only the directories that can hold matching keys.
// Symbolic links to files inside the directory are listed; symbolic links to
// directories are not entered, and links pointing outside are skipped.
func (d *DirStore) List(ctx context.Context, prefix string) iter.Seq2[Info, error] {
	return listFS(ctx, d.root.FS(), prefix, func(key string, e fs.DirEntry) (Info, bool, error) {
		if strings.HasPrefix(e.Name(), tempPrefix) {
			return Info{}, false, nil
		}
		var st fs.FileInfo
		var err error
		if e.Type()&fs.ModeSymlink != 0 {
			st, err = d.root.Stat(key)
			if err != nil {
				// A dangling link, or one pointing outside the root.
				return Info{}, false, nil
			}
		} else {
			st, err = e.Info()
		}
		if errors.Is(err, fs.ErrNotExist) {
			return Info{}, false, nil
		}
		if err != nil {
			return Info{}, false, err
		}
		if !st.Mode().IsRegular() {
			return Info{}, false, nil
		}
		return fileInfo(key, st), true, nil
	})
}

// fileInfo returns the Info of a file from its size and modification time.
func fileInfo(key string, st fs.FileInfo) Info {
	return Info{
		Key:     key,
		Size:    st.Size(),
		ModTime: st.ModTime(),
		ETag:    modETag(st.Size(), st.ModTime()),
	}
}

// osError strips the *fs.PathError the os package wraps around an error (the
// store adds its own) and turns "not a directory", met when a path component
// is a file, into ErrNotExist.
func osError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, syscall.ENOTDIR) {
		return ErrNotExist
	}
	return err
}

// opError wraps err with the operation and the key.
func opError(op, key string, err error) error {
	return fmt.Errorf("store: %s %q: %w", op, key, err)
}

// ctxReader is a reader that stops with ctx's error once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
