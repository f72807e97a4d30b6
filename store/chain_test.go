package store_test

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/imgcdn/imgcdn/store"
	"github.com/imgcdn/imgcdn/store/storetest"
)

func TestChainConformance(t *testing.T) {
	t.Run("empty-first", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store {
			return store.Chain(store.Memory(), store.FS(storetest.FixtureFS()))
		})
	})
	t.Run("split", func(t *testing.T) {
		// Half the fixture in each store.
		storetest.Run(t, func(t *testing.T) store.Store {
			first, second := fstest.MapFS{}, store.Memory()
			i := 0
			for k, v := range storetest.Fixture() {
				if i%2 == 0 {
					first[k] = &fstest.MapFile{Data: v}
				} else if err := second.Put(t.Context(), k, strings.NewReader(string(v)), store.PutOptions{}); err != nil {
					t.Fatal(err)
				}
				i++
			}
			return store.Chain(store.FS(first), second)
		})
	})
}

// fakeStore answers every key with err, or with content when err is nil,
// and counts the calls.
type fakeStore struct {
	content string
	err     error
	calls   int
}

func (f *fakeStore) Open(ctx context.Context, key string) (io.ReadCloser, store.Info, error) {
	info, err := f.Stat(ctx, key)
	if err != nil {
		return nil, store.Info{}, err
	}
	return io.NopCloser(strings.NewReader(f.content)), info, nil
}

func (f *fakeStore) Stat(ctx context.Context, key string) (store.Info, error) {
	f.calls++
	if f.err != nil {
		return store.Info{}, f.err
	}
	return store.Info{Key: key, Size: int64(len(f.content)), ETag: `"` + f.content + `"`}, nil
}

func TestChainOrder(t *testing.T) {
	errDown := errors.New("origin down")
	notExist := &fs.PathError{Op: "open", Path: "k", Err: fs.ErrNotExist}
	tests := map[string]struct {
		stores    []*fakeStore
		want      string // content, if found
		wantErr   error
		wantCalls []int
	}{
		"first wins": {
			stores:    []*fakeStore{{content: "one"}, {content: "two"}},
			want:      "one",
			wantCalls: []int{1, 0},
		},
		"falls through on not-exist": {
			stores:    []*fakeStore{{err: notExist}, {err: store.ErrNotExist}, {content: "three"}},
			want:      "three",
			wantCalls: []int{1, 1, 1},
		},
		"stops on another error": {
			stores:    []*fakeStore{{err: notExist}, {err: errDown}, {content: "three"}},
			wantErr:   errDown,
			wantCalls: []int{1, 1, 0},
		},
		"all missing": {
			stores:    []*fakeStore{{err: notExist}, {err: notExist}},
			wantErr:   store.ErrNotExist,
			wantCalls: []int{1, 1},
		},
		"empty chain": {
			wantErr: store.ErrNotExist,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			for _, op := range []string{"Open", "Stat"} {
				stores := make([]store.Store, len(tc.stores))
				for i, s := range tc.stores {
					s.calls = 0
					stores[i] = s
				}
				c := store.Chain(stores...)
				var got string
				var err error
				if op == "Open" {
					var rc io.ReadCloser
					rc, _, err = c.Open(t.Context(), "k")
					if err == nil {
						b, _ := io.ReadAll(rc)
						rc.Close()
						got = string(b)
					}
				} else {
					var info store.Info
					info, err = c.Stat(t.Context(), "k")
					if err == nil {
						got = strings.Trim(info.ETag, `"`)
					}
				}
				if tc.wantErr != nil {
					if !errors.Is(err, tc.wantErr) {
						t.Errorf("%s error = %v, want %v", op, err, tc.wantErr)
					}
				} else if err != nil || got != tc.want {
					t.Errorf("%s = %q, %v; want %q", op, got, err, tc.want)
				}
				for i, s := range tc.stores {
					if s.calls != tc.wantCalls[i] {
						t.Errorf("%s asked store %d %d times, want %d", op, i, s.calls, tc.wantCalls[i])
					}
				}
			}
		})
	}
}

func TestChainChecksKeyFirst(t *testing.T) {
	f := &fakeStore{content: "x"}
	c := store.Chain(f)
	if _, err := c.Stat(t.Context(), "../x"); !errors.Is(err, store.ErrInvalidKey) {
		t.Errorf("Stat(%q) error = %v, want store.ErrInvalidKey", "../x", err)
	}
	if f.calls != 0 {
		t.Errorf("an invalid key reached the stores")
	}
}

func TestChainNilPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("Chain(nil) did not panic")
		}
	}()
	store.Chain(store.Memory(), nil)
}
