package store

import (
	"context"
	"errors"
	"io"
)

// Chain returns a read-only store that looks for each key in stores, in
// order, like an ordered list of origins: Open and Stat return the answer of
// the first store that has the key.
//
// An error matching [ErrNotExist] from one store moves on to the next; when
// no store has the key, the error of the last one is returned (so it still
// matches ErrNotExist), and an empty chain has no keys at all. Any other
// error (a failing disk, an unreachable origin, a cancelled context) is
// returned at once, without asking the stores after it: a key that the
// first origin fails to answer must not silently come from another. Keys
// are checked with [CheckKey] before any store is asked.
//
// Chain panics if a store is nil. The chain is safe for concurrent use if
// its stores are.
func Chain(stores ...Store) Store {
	for _, s := range stores {
		if s == nil {
			panic("store: Chain: nil store")
		}
	}
	return chain(append([]Store(nil), stores...))
}

type chain []Store

func (c chain) Open(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	if err := ctx.Err(); err != nil {
		return nil, Info{}, opError("open", key, err)
	}
	if err := CheckKey(key); err != nil {
		return nil, Info{}, opError("open", key, err)
	}
	err := opError("open", key, ErrNotExist)
	for _, s := range c {
		var rc io.ReadCloser
		var info Info
		rc, info, err = s.Open(ctx, key)
		if err == nil {
			return rc, info, nil
		}
		if !errors.Is(err, ErrNotExist) {
			return nil, Info{}, err
		}
	}
	return nil, Info{}, err
}

func (c chain) Stat(ctx context.Context, key string) (Info, error) {
	if err := ctx.Err(); err != nil {
		return Info{}, opError("stat", key, err)
	}
	if err := CheckKey(key); err != nil {
		return Info{}, opError("stat", key, err)
	}
	err := opError("stat", key, ErrNotExist)
	for _, s := range c {
		var info Info
		info, err = s.Stat(ctx, key)
		if err == nil {
			return info, nil
		}
		if !errors.Is(err, ErrNotExist) {
			return Info{}, err
		}
	}
	return Info{}, err
}
