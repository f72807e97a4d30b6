package store

import (
	"bytes"
	"context"
	"io"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"
)

// MemoryStore is a [Store] that keeps its objects in memory. It also
// implements [Putter], [Deleter] and [Lister]. Create one with [Memory].
//
// Put copies the content in; readers returned by Open read from the stored
// copy, which is never modified (a later Put replaces it), so neither side
// can change what the other holds. The ETag of an object is a hash of its
// content, `"<first 128 bits of SHA-256 in hex>"`, as [FS] gives for files
// without a modification time; ModTime is the time of the Put; ContentType
// is the one given to Put. Nothing bounds the memory held: use it for tests,
// small fixed sets and caches with their own eviction.
//
// A MemoryStore is safe for concurrent use.
type MemoryStore struct {
	mu   sync.RWMutex
	objs map[string]memObject
}

type memObject struct {
	data []byte
	info Info
}

var (
	_ Store   = (*MemoryStore)(nil)
	_ Putter  = (*MemoryStore)(nil)
	_ Deleter = (*MemoryStore)(nil)
	_ Lister  = (*MemoryStore)(nil)
)

// Memory returns a new, empty in-memory store.
func Memory() *MemoryStore {
	return &MemoryStore{objs: make(map[string]memObject)}
}

// Open returns a reader of the object's content and its Info.
func (m *MemoryStore) Open(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	o, err := m.get(ctx, "open", key)
	if err != nil {
		return nil, Info{}, err
	}
	return io.NopCloser(bytes.NewReader(o.data)), o.info, nil
}

// Stat returns the object's Info.
func (m *MemoryStore) Stat(ctx context.Context, key string) (Info, error) {
	o, err := m.get(ctx, "stat", key)
	if err != nil {
		return Info{}, err
	}
	return o.info, nil
}

func (m *MemoryStore) get(ctx context.Context, op, key string) (memObject, error) {
	if err := ctx.Err(); err != nil {
		return memObject{}, opError(op, key, err)
	}
	if err := CheckKey(key); err != nil {
		return memObject{}, opError(op, key, err)
	}
	m.mu.RLock()
	o, ok := m.objs[key]
	m.mu.RUnlock()
	if !ok {
		return memObject{}, opError(op, key, ErrNotExist)
	}
	return o, nil
}

// Put reads r to its end and stores a copy of its content under key,
// replacing any object there. When r or ctx fails, the store is unchanged.
func (m *MemoryStore) Put(ctx context.Context, key string, r io.Reader, opts PutOptions) error {
	if err := ctx.Err(); err != nil {
		return opError("put", key, err)
	}
	if err := CheckKey(key); err != nil {
		return opError("put", key, err)
	}
	data, err := io.ReadAll(ctxReader{ctx, r})
	if err != nil {
		return opError("put", key, err)
	}
	o := memObject{
		data: data,
		info: Info{
			Key:         key,
			Size:        int64(len(data)),
			ModTime:     time.Now().Round(0), // no monotonic reading
			ETag:        hashETag(data),
			ContentType: opts.ContentType,
		},
	}
	m.mu.Lock()
	m.objs[key] = o
	m.mu.Unlock()
	return nil
}

// Delete removes the object under key. Deleting a missing key is not an
// error.
func (m *MemoryStore) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return opError("delete", key, err)
	}
	if err := CheckKey(key); err != nil {
		return opError("delete", key, err)
	}
	m.mu.Lock()
	delete(m.objs, key)
	m.mu.Unlock()
	return nil
}

// List yields the Info of every object whose key starts with prefix, in
// lexical key order, as they were when List began: objects put or deleted
// meanwhile are not seen.
func (m *MemoryStore) List(ctx context.Context, prefix string) iter.Seq2[Info, error] {
	return func(yield func(Info, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(Info{}, opError("list", prefix, err))
			return
		}
		m.mu.RLock()
		infos := make([]Info, 0, len(m.objs))
		for k, o := range m.objs {
			if strings.HasPrefix(k, prefix) {
				infos = append(infos, o.info)
			}
		}
		m.mu.RUnlock()
		slices.SortFunc(infos, func(a, b Info) int { return strings.Compare(a.Key, b.Key) })
		for _, in := range infos {
			if err := ctx.Err(); err != nil {
				yield(Info{}, opError("list", prefix, err))
				return
			}
			if !yield(in, nil) {
				return
			}
		}
	}
}
