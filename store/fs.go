package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxHashedETags bounds the number of content-hash ETags an [FS] store
// keeps.
const maxHashedETags = 4096

// FS returns a read-only store of the regular files in fsys, such as an
// [embed.FS], an [fstest.MapFS] or the result of [os.DirFS]. The store also
// implements [Lister].
//
// Keys must pass both [CheckKey] and [fs.ValidPath]. Directories and other
// non-regular files are not objects: Open and Stat report them as not
// existing. The store is only as confined as fsys: [os.DirFS] follows
// symbolic links out of its directory, so serve a local directory with [Dir]
// (or with the fs.FS of an [os.Root]) instead.
//
// The ETag of a file with a modification time is derived from its size and
// that time, as [Dir] does: `"<size in hex>-<Unix nanoseconds in hex>"`.
// A file without one (an embed.FS keeps none) is taken to be immutable, and
// its ETag is a hash of its content: `"<first 128 bits of SHA-256 in hex>"`,
// as [Memory] gives. The hash is computed the first time a key is opened or
// stat'ed (Open reads the whole file into memory to hash it once; Stat reads
// it through), then kept for up to 4096 keys, evicting an arbitrary one when
// full; a file whose size has changed is hashed again. ContentType is always
// empty.
//
// The store is safe for concurrent use if fsys is (every fs.FS in the
// standard library is).
func FS(fsys fs.FS) Store {
	return &fsStore{fsys: fsys, etags: make(map[string]hashedETag)}
}

type fsStore struct {
	fsys fs.FS

	mu    sync.Mutex
	etags map[string]hashedETag // content-hash ETags of files without a modification time
}

// hashedETag is the content-hash ETag of a file of a given size.
type hashedETag struct {
	size int64
	etag string
}

func checkFSKey(key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	if !fs.ValidPath(key) {
		return fmt.Errorf("%w: not a valid fs.FS path", ErrInvalidKey)
	}
	return nil
}

func (s *fsStore) Open(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	if err := ctx.Err(); err != nil {
		return nil, Info{}, opError("open", key, err)
	}
	if err := checkFSKey(key); err != nil {
		return nil, Info{}, opError("open", key, err)
	}
	f, err := s.fsys.Open(key)
	if err != nil {
		return nil, Info{}, opError("open", key, osError(err))
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, Info{}, opError("open", key, osError(err))
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, Info{}, opError("open", key, ErrNotExist)
	}
	info := Info{Key: key, Size: st.Size(), ModTime: st.ModTime()}
	if !info.ModTime.IsZero() {
		info.ETag = modETag(info.Size, info.ModTime)
		return f, info, nil
	}
	if etag, ok := s.cachedETag(key, info.Size); ok {
		info.ETag = etag
		return f, info, nil
	}
	// Read the file once, both to hash it and to serve it.
	b, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		return nil, Info{}, opError("open", key, err)
	}
	info.Size = int64(len(b))
	info.ETag = hashETag(b)
	s.cacheETag(key, info.Size, info.ETag)
	return io.NopCloser(bytes.NewReader(b)), info, nil
}

func (s *fsStore) Stat(ctx context.Context, key string) (Info, error) {
	if err := ctx.Err(); err != nil {
		return Info{}, opError("stat", key, err)
	}
	if err := checkFSKey(key); err != nil {
		return Info{}, opError("stat", key, err)
	}
	st, err := fs.Stat(s.fsys, key)
	if err != nil {
		return Info{}, opError("stat", key, osError(err))
	}
	info, ok, err := s.info(key, st)
	if err != nil {
		return Info{}, opError("stat", key, err)
	}
	if !ok {
		return Info{}, opError("stat", key, ErrNotExist)
	}
	return info, nil
}

func (s *fsStore) List(ctx context.Context, prefix string) iter.Seq2[Info, error] {
	return listFS(ctx, s.fsys, prefix, func(key string, e fs.DirEntry) (Info, bool, error) {
		var st fs.FileInfo
		var err error
		if e.Type()&fs.ModeSymlink != 0 {
			st, err = fs.Stat(s.fsys, key)
		} else {
			st, err = e.Info()
		}
		if errors.Is(err, fs.ErrNotExist) {
			return Info{}, false, nil
		}
		if err != nil {
			return Info{}, false, err
		}
		return s.info(key, st)
	})
}

// info returns the Info of the file key, whose fs.FileInfo is st, or false
// when it is not a regular file. It hashes the file when it needs to.
func (s *fsStore) info(key string, st fs.FileInfo) (Info, bool, error) {
	if !st.Mode().IsRegular() {
		return Info{}, false, nil
	}
	info := Info{Key: key, Size: st.Size(), ModTime: st.ModTime()}
	if !info.ModTime.IsZero() {
		info.ETag = modETag(info.Size, info.ModTime)
		return info, true, nil
	}
	if etag, ok := s.cachedETag(key, info.Size); ok {
		info.ETag = etag
		return info, true, nil
	}
	f, err := s.fsys.Open(key)
	if err != nil {
		return Info{}, false, osError(err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return Info{}, false, err
	}
	info.Size = n
	info.ETag = sumETag(h.Sum(nil))
	s.cacheETag(key, info.Size, info.ETag)
	return info, true, nil
}

func (s *fsStore) cachedETag(key string, size int64) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.etags[key]
	if !ok || e.size != size {
		return "", false
	}
	return e.etag, true
}

func (s *fsStore) cacheETag(key string, size int64, etag string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.etags[key]; !ok && len(s.etags) >= maxHashedETags {
		for k := range s.etags {
			delete(s.etags, k)
			break
		}
	}
	s.etags[key] = hashedETag{size, etag}
}

// modETag returns the ETag of a file of the given size and modification
// time: `"<size in hex>-<Unix nanoseconds in hex>"`.
func modETag(size int64, mod time.Time) string {
	b := make([]byte, 0, 36)
	b = append(b, '"')
	b = strconv.AppendInt(b, size, 16)
	b = append(b, '-')
	b = strconv.AppendInt(b, mod.UnixNano(), 16)
	b = append(b, '"')
	return string(b)
}

// hashETag returns the ETag of content b: the first 128 bits of its SHA-256
// in hex, quoted.
func hashETag(b []byte) string {
	sum := sha256.Sum256(b)
	return sumETag(sum[:])
}

func sumETag(sum []byte) string {
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// listFS yields, in lexical key order, the objects of fsys whose keys start
// with prefix. For each directory entry that is not a directory, info
// returns the object's Info, or false to skip the entry. Directories are
// entered only when they can hold matching keys; symbolic links are never
// entered. Entries whose names make keys that CheckKey refuses are skipped.
//
// A directory's keys all start with its name and "/", so sorting the
// entries of each directory by name, with "/" appended to the names of
// directories, and walking depth first yields the keys in lexical order.
func listFS(ctx context.Context, fsys fs.FS, prefix string, info func(key string, e fs.DirEntry) (Info, bool, error)) iter.Seq2[Info, error] {
	return func(yield func(Info, error) bool) {
		var walk func(dir, keyPrefix string) bool
		walk = func(dir, keyPrefix string) bool {
			if err := ctx.Err(); err != nil {
				yield(Info{}, opError("list", prefix, err))
				return false
			}
			entries, err := fs.ReadDir(fsys, dir)
			if err != nil {
				if dir != "." && errors.Is(err, fs.ErrNotExist) {
					return true // removed meanwhile
				}
				yield(Info{}, opError("list", prefix, osError(err)))
				return false
			}
			sortName := func(e fs.DirEntry) string {
				if e.IsDir() {
					return e.Name() + "/"
				}
				return e.Name()
			}
			slices.SortFunc(entries, func(a, b fs.DirEntry) int {
				return strings.Compare(sortName(a), sortName(b))
			})
			for _, e := range entries {
				key := keyPrefix + e.Name()
				if e.IsDir() {
					sub := key + "/"
					if !strings.HasPrefix(sub, prefix) && !strings.HasPrefix(prefix, sub) {
						continue
					}
					if !walk(key, sub) {
						return false
					}
					continue
				}
				if !strings.HasPrefix(key, prefix) || CheckKey(key) != nil {
					continue
				}
				in, ok, err := info(key, e)
				if err != nil {
					yield(Info{}, opError("list", prefix, err))
					return false
				}
				if ok && !yield(in, nil) {
					return false
				}
			}
			return true
		}
		walk(".", "")
	}
}
