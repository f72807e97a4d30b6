package store_test

import (
	"errors"
	"io"
	"os"
	"testing"
	"testing/fstest"
	"time"

	"github.com/imgcdn/imgcdn/store"
	"github.com/imgcdn/imgcdn/store/storetest"
)

func TestFSConformance(t *testing.T) {
	t.Run("MapFS", func(t *testing.T) {
		// No modification times: ETags are content hashes.
		storetest.Run(t, func(t *testing.T) store.Store { return store.FS(storetest.FixtureFS()) })
	})
	t.Run("MapFS-ModTime", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store {
			m := storetest.FixtureFS()
			for _, f := range m {
				f.ModTime = time.Date(2024, 5, 6, 7, 8, 9, 10, time.UTC)
			}
			return store.FS(m)
		})
	})
	t.Run("DirFS", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store {
			dir := t.TempDir()
			storetest.WriteFixture(t, dir)
			return store.FS(os.DirFS(dir))
		})
	})
	t.Run("RootFS", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store {
			dir := t.TempDir()
			storetest.WriteFixture(t, dir)
			r, err := os.OpenRoot(dir)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { r.Close() })
			return store.FS(r.FS())
		})
	})
}

func TestFSHashedETag(t *testing.T) {
	m := fstest.MapFS{"k": {Data: []byte("one")}}
	s := store.FS(m)
	ctx := t.Context()
	first, err := s.Stat(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	_, opened, err := s.Open(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	if opened.ETag != first.ETag {
		t.Errorf("Open ETag %s, Stat ETag %s; want the same", opened.ETag, first.ETag)
	}
	// A file of another size is hashed again.
	m["k"].Data = []byte("three")
	rc, info, err := s.Open(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	if string(b) != "three" || info.ETag == first.ETag {
		t.Errorf("after a change of size: read %q with ETag %s (before: %s)", b, info.ETag, first.ETag)
	}
}

func TestFSManyKeys(t *testing.T) {
	// More keys than the ETag cache holds: evicted ones are hashed again,
	// to the same value.
	m := fstest.MapFS{}
	const n = 5000
	for i := range n {
		m[keyN(i)] = &fstest.MapFile{Data: []byte(keyN(i))}
	}
	s := store.FS(m)
	ctx := t.Context()
	etags := make(map[string]string)
	for round := range 2 {
		for i := range n {
			info, err := s.Stat(ctx, keyN(i))
			if err != nil {
				t.Fatal(err)
			}
			if round == 0 {
				etags[info.Key] = info.ETag
			} else if etags[info.Key] != info.ETag {
				t.Fatalf("Stat(%q).ETag changed from %s to %s", info.Key, etags[info.Key], info.ETag)
			}
		}
	}
}

func keyN(i int) string {
	return "k/" + string(rune('a'+i%26)) + "/" + time.Duration(i).String()
}

func TestFSNonRegular(t *testing.T) {
	m := fstest.MapFS{
		"dir/file": {Data: []byte("x")},
		"link":     {Data: []byte("file"), Mode: os.ModeSymlink},
	}
	s := store.FS(m)
	for _, key := range []string{"dir", "link"} {
		if _, err := s.Stat(t.Context(), key); !errors.Is(err, store.ErrNotExist) {
			t.Errorf("Stat(%q) error = %v, want store.ErrNotExist", key, err)
		}
	}
}
