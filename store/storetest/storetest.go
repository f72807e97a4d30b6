// Package storetest is a conformance suite for implementations of
// [store.Store]. Every store in imgcdn passes it, and a new one should:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store {
//			return store.Memory()
//		})
//	}
//
// The suite works on the objects of [Fixture]. A store that implements
// [store.Putter] is filled by the suite itself; a read-only store must come
// from newStore already holding exactly the Fixture (see [FixtureFS] and
// [WriteFixture]).
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/imgcdn/imgcdn/store"
)

// Fixture returns the objects every store under test holds, by key: a new
// map with new slices on each call. The keys include nested ones, one empty
// object, and names whose lexical order differs from a depth-first walk of
// directories ("a-c.txt" < "a.txt" < "a/b.txt"), so that List's order is
// really tested.
func Fixture() map[string][]byte {
	return map[string][]byte{
		"a.txt":                 []byte("alpha\n"),
		"a-c.txt":               []byte("a dash c\n"),
		"a/b.txt":               []byte("a slash b\n"),
		"dir/sub/deep.bin":      pattern(1000, 7),
		"empty":                 {},
		"photos/cat.jpg":        pattern(100_000, 1),
		"photos/cats/tabby.jpg": []byte("tabby"),
		"photos/dog.jpg":        pattern(4096, 3),
		"unicode-ü/ß.txt":       []byte("unicode\n"),
	}
}

// FixtureFS returns the Fixture as an [fstest.MapFS] whose files have no
// modification time.
func FixtureFS() fstest.MapFS {
	m := make(fstest.MapFS)
	for k, v := range Fixture() {
		m[k] = &fstest.MapFile{Data: v, Mode: 0o444}
	}
	return m
}

// WriteFixture writes the Fixture as files under the directory dir, creating
// directories as needed. It fails tb on any error.
func WriteFixture(tb testing.TB, dir string) {
	tb.Helper()
	for k, v := range Fixture() {
		p := filepath.Join(dir, filepath.FromSlash(k))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, v, 0o666); err != nil {
			tb.Fatal(err)
		}
	}
}

// pattern returns n deterministic, varied bytes.
func pattern(n int, seed uint32) []byte {
	b := make([]byte, n)
	x := seed*2654435761 + 1
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

// Run runs the conformance suite as subtests of t. It calls newStore for
// each subtest; newStore returns a new store (closed, if need be, through
// t.Cleanup) that holds exactly the Fixture, or, if it implements
// [store.Putter], either the Fixture or nothing: Run then writes the Fixture
// itself.
//
// The suite checks that:
//   - Open returns each object's exact bytes, with Key, Size and a non-empty
//     ETag in its Info, the same twice in a row; Stat agrees with Open, and
//     neither depends on which is called first;
//   - a missing key, a directory, a key beneath an object and keys that
//     merely look like others once percent-decoded ("%2e%2e/a.txt") give an
//     error matching both [store.ErrNotExist] and [fs.ErrNotExist];
//   - invalid keys ("", "/a.txt", "../a.txt", "a/../../b", "a\\b.txt",
//     "a\x00b", ...) give an error matching [store.ErrInvalidKey] or
//     [store.ErrNotExist], and read or write nothing;
//   - with a context already cancelled, every method fails with an error
//     matching [context.Canceled], even when the store could answer from
//     memory, and changes nothing;
//   - List yields the objects with a prefix, in lexical key order, with the
//     Info Stat gives, and stops when the loop breaks (if a [store.Lister]);
//   - Put stores new objects under new directories, replaces objects with a
//     new ETag (even with the same size, right away), records ContentType
//     when the store keeps one, leaves the old object (and no trace in List)
//     when its reader fails or its context is cancelled midway, and never
//     lets a concurrent Open see part of an object (if a [store.Putter]);
//   - Delete removes an object, and deleting a missing key or a directory is
//     nil and removes nothing else (if a [store.Deleter]).
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	open := func(t *testing.T) store.Store {
		t.Helper()
		s := newStore(t)
		if p, ok := s.(store.Putter); ok {
			for k, v := range Fixture() {
				if err := p.Put(t.Context(), k, bytes.NewReader(v), store.PutOptions{}); err != nil {
					t.Fatalf("Put(%q): %v", k, err)
				}
			}
		}
		return s
	}
	t.Run("Open", func(t *testing.T) { testOpen(t, open(t)) })
	t.Run("Stat", func(t *testing.T) { testStat(t, open(t)) })
	t.Run("NotExist", func(t *testing.T) { testNotExist(t, open(t)) })
	t.Run("InvalidKey", func(t *testing.T) { testInvalidKey(t, open(t)) })
	t.Run("Canceled", func(t *testing.T) { testCanceled(t, open(t)) })
	t.Run("List", func(t *testing.T) { testList(t, open(t)) })
	t.Run("Put", func(t *testing.T) { testPut(t, open) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, open(t)) })
}

// read opens key and returns its content and Info, failing t on any error.
func read(t *testing.T, s store.Store, key string) ([]byte, store.Info) {
	t.Helper()
	rc, info, err := s.Open(t.Context(), key)
	if err != nil {
		t.Fatalf("Open(%q): %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("Open(%q): read: %v", key, err)
	}
	return b, info
}

// checkObject checks that key holds want, with a consistent Info.
func checkObject(t *testing.T, s store.Store, key string, want []byte) store.Info {
	t.Helper()
	got, info := read(t, s, key)
	if !bytes.Equal(got, want) {
		t.Errorf("Open(%q) read %d bytes %.20q, want %d bytes %.20q", key, len(got), got, len(want), want)
	}
	if info.Key != key {
		t.Errorf("Open(%q): Info.Key = %q, want %q", key, info.Key, key)
	}
	if info.Size != int64(len(want)) {
		t.Errorf("Open(%q): Info.Size = %d, want %d", key, info.Size, len(want))
	}
	if info.ETag == "" {
		t.Errorf("Open(%q): Info.ETag is empty", key)
	}
	return info
}

// sameInfo reports the differences between two Infos of one object.
func sameInfo(t *testing.T, what string, got, want store.Info) {
	t.Helper()
	if got.Key != want.Key || got.Size != want.Size || got.ETag != want.ETag ||
		!got.ModTime.Equal(want.ModTime) || got.ContentType != want.ContentType {
		t.Errorf("%s = %+v, want %+v", what, got, want)
	}
}

func testOpen(t *testing.T, s store.Store) {
	for _, k := range slices.Sorted(maps.Keys(Fixture())) {
		t.Run(k, func(t *testing.T) {
			want := Fixture()[k]
			first := checkObject(t, s, k, want)
			second := checkObject(t, s, k, want)
			sameInfo(t, fmt.Sprintf("second Open(%q) Info", k), second, first)
		})
	}
}

func testStat(t *testing.T, s store.Store) {
	for _, k := range slices.Sorted(maps.Keys(Fixture())) {
		t.Run(k, func(t *testing.T) {
			// Stat first: a store may compute the ETag on either path.
			st, err := s.Stat(t.Context(), k)
			if err != nil {
				t.Fatalf("Stat(%q): %v", k, err)
			}
			info := checkObject(t, s, k, Fixture()[k])
			sameInfo(t, fmt.Sprintf("Stat(%q)", k), st, info)
		})
	}
}

// notExistKeys are valid keys that no fixture object has.
var notExistKeys = []string{
	"missing.txt",
	"photos/missing.jpg",
	"photos",      // a directory
	"dir/sub",     // a directory
	"a.txt/x",     // beneath an object
	"nope/deeper", // beneath nothing
	"%2e%2e/a.txt",
	"a%2fb.txt",
	"photos%2fcat.jpg",
}

func testNotExist(t *testing.T, s store.Store) {
	for _, k := range notExistKeys {
		t.Run(k, func(t *testing.T) {
			rc, _, err := s.Open(t.Context(), k)
			if rc != nil {
				rc.Close()
				t.Errorf("Open(%q) returned a reader", k)
			}
			if !errors.Is(err, store.ErrNotExist) || !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Open(%q) error = %v, want one matching store.ErrNotExist and fs.ErrNotExist", k, err)
			}
			_, err = s.Stat(t.Context(), k)
			if !errors.Is(err, store.ErrNotExist) || !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Stat(%q) error = %v, want one matching store.ErrNotExist and fs.ErrNotExist", k, err)
			}
		})
	}
}

// invalidKeys can never name an object; several would name a fixture
// object once cleaned.
var invalidKeys = []string{
	"",
	".",
	"..",
	"/",
	"/a.txt",
	"//a.txt",
	"./a.txt",
	"../a.txt",
	"a/../a.txt",
	"a/./b.txt",
	"a/../../b",
	"a//b.txt",
	"photos/",
	"a\\b.txt",
	"..\\a.txt",
	"a\x00b",
	"a.txt\x00",
	"\ta.txt",
}

// countingReader counts its reads.
type countingReader struct {
	r     io.Reader
	reads int
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.reads++
	return c.r.Read(p)
}

func invalid(err error) bool {
	return errors.Is(err, store.ErrInvalidKey) || errors.Is(err, store.ErrNotExist)
}

func testInvalidKey(t *testing.T, s store.Store) {
	before := listKeys(t, s)
	for _, k := range invalidKeys {
		t.Run(fmt.Sprintf("%q", k), func(t *testing.T) {
			rc, _, err := s.Open(t.Context(), k)
			if rc != nil {
				rc.Close()
				t.Errorf("Open(%q) returned a reader", k)
			}
			if !invalid(err) {
				t.Errorf("Open(%q) error = %v, want one matching store.ErrInvalidKey or store.ErrNotExist", k, err)
			}
			if _, err := s.Stat(t.Context(), k); !invalid(err) {
				t.Errorf("Stat(%q) error = %v, want one matching store.ErrInvalidKey or store.ErrNotExist", k, err)
			}
			if p, ok := s.(store.Putter); ok {
				r := &countingReader{r: strings.NewReader("must not be written")}
				if err := p.Put(t.Context(), k, r, store.PutOptions{}); err == nil {
					t.Errorf("Put(%q) succeeded", k)
				}
				if r.reads != 0 {
					t.Errorf("Put(%q) read its reader", k)
				}
			}
			if d, ok := s.(store.Deleter); ok {
				if err := d.Delete(t.Context(), k); err == nil {
					t.Errorf("Delete(%q) succeeded", k)
				}
			}
		})
	}
	if after := listKeys(t, s); !slices.Equal(after, before) {
		t.Errorf("after Put and Delete of invalid keys, List = %q, want %q", after, before)
	}
	checkAll(t, s)
}

// checkAll checks that every fixture object is intact.
func checkAll(t *testing.T, s store.Store) {
	t.Helper()
	for k, v := range Fixture() {
		checkObject(t, s, k, v)
	}
}

// listKeys returns the keys List yields for "", or nil if s is no Lister.
func listKeys(t *testing.T, s store.Store) []string {
	t.Helper()
	l, ok := s.(store.Lister)
	if !ok {
		return nil
	}
	var keys []string
	for info, err := range l.List(t.Context(), "") {
		if err != nil {
			t.Fatalf("List(%q): %v", "", err)
		}
		keys = append(keys, info.Key)
	}
	return keys
}

func testCanceled(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	const key = "a.txt"
	rc, _, err := s.Open(ctx, key)
	if rc != nil {
		rc.Close()
		t.Errorf("Open(cancelled, %q) returned a reader", key)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Open(cancelled, %q) error = %v, want context.Canceled", key, err)
	}
	if _, err := s.Stat(ctx, key); !errors.Is(err, context.Canceled) {
		t.Errorf("Stat(cancelled, %q) error = %v, want context.Canceled", key, err)
	}
	if p, ok := s.(store.Putter); ok {
		if err := p.Put(ctx, key, strings.NewReader("changed"), store.PutOptions{}); !errors.Is(err, context.Canceled) {
			t.Errorf("Put(cancelled, %q) error = %v, want context.Canceled", key, err)
		}
	}
	if d, ok := s.(store.Deleter); ok {
		if err := d.Delete(ctx, key); !errors.Is(err, context.Canceled) {
			t.Errorf("Delete(cancelled, %q) error = %v, want context.Canceled", key, err)
		}
	}
	if l, ok := s.(store.Lister); ok {
		n := 0
		for _, err := range l.List(ctx, "") {
			n++
			if !errors.Is(err, context.Canceled) {
				t.Errorf("List(cancelled) yielded error %v, want context.Canceled", err)
			}
		}
		if n != 1 {
			t.Errorf("List(cancelled) yielded %d times, want 1 (the error)", n)
		}
	}
	checkAll(t, s)
}

func testList(t *testing.T, s store.Store) {
	l, ok := s.(store.Lister)
	if !ok {
		t.Skip("not a store.Lister")
	}
	all := slices.Sorted(maps.Keys(Fixture()))
	for _, prefix := range []string{"", "a", "a.", "a/", "photos/", "photos/c", "photos/cat.jpg", "dir/sub/d", "unicode-", "zzz", "/"} {
		t.Run(fmt.Sprintf("%q", prefix), func(t *testing.T) {
			var want []string
			for _, k := range all {
				if strings.HasPrefix(k, prefix) {
					want = append(want, k)
				}
			}
			var got []string
			for info, err := range l.List(t.Context(), prefix) {
				if err != nil {
					t.Fatalf("List(%q): %v", prefix, err)
				}
				got = append(got, info.Key)
				st, err := s.Stat(t.Context(), info.Key)
				if err != nil {
					t.Errorf("List(%q) yielded %q, but Stat: %v", prefix, info.Key, err)
					continue
				}
				sameInfo(t, fmt.Sprintf("List(%q) Info of %q", prefix, info.Key), info, st)
			}
			if !slices.Equal(got, want) {
				t.Errorf("List(%q) = %q, want %q", prefix, got, want)
			}
		})
	}
	t.Run("break", func(t *testing.T) {
		n := 0
		for _, err := range l.List(t.Context(), "") {
			if err != nil {
				t.Fatalf("List: %v", err)
			}
			n++
			if n == 2 {
				break
			}
		}
		if n != 2 {
			t.Errorf("List yielded %d objects before the break, want 2", n)
		}
	})
}

// errBoom is the error of failingReader.
var errBoom = errors.New("storetest: reader failed")

// failingReader yields n bytes of data, then fails with errBoom, or, if
// cancel is set, calls it and yields more data.
type failingReader struct {
	data   []byte
	n      int
	cancel context.CancelFunc
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n == 0 {
		if f.cancel != nil {
			f.cancel()
			if len(f.data) == 0 {
				return 0, io.EOF
			}
			m := copy(p, f.data)
			f.data = f.data[m:]
			return m, nil
		}
		return 0, errBoom
	}
	m := copy(p[:min(len(p), f.n)], f.data)
	f.data = f.data[m:]
	f.n -= m
	return m, nil
}

func testPut(t *testing.T, open func(t *testing.T) store.Store) {
	if _, ok := open(t).(store.Putter); !ok {
		t.Skip("not a store.Putter")
	}
	put := func(t *testing.T, s store.Store, key string, data []byte, opts store.PutOptions) {
		t.Helper()
		if err := s.(store.Putter).Put(t.Context(), key, bytes.NewReader(data), opts); err != nil {
			t.Fatalf("Put(%q): %v", key, err)
		}
	}

	t.Run("New", func(t *testing.T) {
		s := open(t)
		const key = "new/deeper/still/object.bin"
		data := pattern(30_000, 11)
		put(t, s, key, data, store.PutOptions{ContentType: "application/x-test"})
		info := checkObject(t, s, key, data)
		if info.ContentType != "" && info.ContentType != "application/x-test" {
			t.Errorf("Open(%q): ContentType = %q, want %q or none", key, info.ContentType, "application/x-test")
		}
		st, err := s.Stat(t.Context(), key)
		if err != nil {
			t.Fatalf("Stat(%q): %v", key, err)
		}
		sameInfo(t, fmt.Sprintf("Stat(%q)", key), st, info)
		if _, ok := s.(store.Lister); ok {
			want := append(slices.Sorted(maps.Keys(Fixture())), key)
			slices.Sort(want)
			if got := listKeys(t, s); !slices.Equal(got, want) {
				t.Errorf("List = %q, want %q", got, want)
			}
		}
		checkAll(t, s)
	})

	t.Run("Replace", func(t *testing.T) {
		s := open(t)
		const key = "a.txt"
		seen := map[string]bool{checkObject(t, s, key, Fixture()[key]).ETag: true}
		// Same size, written at once: a coarse clock must not keep the ETag.
		for _, v := range []string{"bravo\n", "delta\n", "a longer replacement\n", "x"} {
			put(t, s, key, []byte(v), store.PutOptions{})
			info := checkObject(t, s, key, []byte(v))
			if seen[info.ETag] {
				t.Errorf("after Put(%q, %q), ETag %s was seen before", key, v, info.ETag)
			}
			seen[info.ETag] = true
		}
	})

	t.Run("Empty", func(t *testing.T) {
		s := open(t)
		put(t, s, "photos/cat.jpg", nil, store.PutOptions{})
		checkObject(t, s, "photos/cat.jpg", nil)
		put(t, s, "fresh/empty", nil, store.PutOptions{})
		checkObject(t, s, "fresh/empty", nil)
	})

	t.Run("FailingReader", func(t *testing.T) {
		s := open(t)
		p := s.(store.Putter)
		const key = "photos/cat.jpg"
		old := checkObject(t, s, key, Fixture()[key])
		before := listKeys(t, s)
		r := &failingReader{data: pattern(200_000, 5), n: 70_000}
		if err := p.Put(t.Context(), key, r, store.PutOptions{}); !errors.Is(err, errBoom) {
			t.Errorf("Put(%q) with a failing reader: error = %v, want one matching the reader's", key, err)
		}
		sameInfo(t, fmt.Sprintf("Open(%q) after a failed Put", key), checkObject(t, s, key, Fixture()[key]), old)

		const newKey = "fresh/failed.bin"
		r = &failingReader{data: pattern(200_000, 5), n: 70_000}
		if err := p.Put(t.Context(), newKey, r, store.PutOptions{}); !errors.Is(err, errBoom) {
			t.Errorf("Put(%q) with a failing reader: error = %v, want one matching the reader's", newKey, err)
		}
		if _, err := s.Stat(t.Context(), newKey); !errors.Is(err, store.ErrNotExist) {
			t.Errorf("Stat(%q) after a failed Put: error = %v, want store.ErrNotExist", newKey, err)
		}
		if after := listKeys(t, s); !slices.Equal(after, before) {
			t.Errorf("List after failed Puts = %q, want %q", after, before)
		}
	})

	t.Run("CanceledMidway", func(t *testing.T) {
		s := open(t)
		p := s.(store.Putter)
		const key = "photos/cat.jpg"
		old := checkObject(t, s, key, Fixture()[key])
		before := listKeys(t, s)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		r := &failingReader{data: pattern(200_000, 5), n: 70_000, cancel: cancel}
		if err := p.Put(ctx, key, r, store.PutOptions{}); !errors.Is(err, context.Canceled) {
			t.Errorf("Put(%q) cancelled midway: error = %v, want context.Canceled", key, err)
		}
		sameInfo(t, fmt.Sprintf("Open(%q) after a cancelled Put", key), checkObject(t, s, key, Fixture()[key]), old)
		if after := listKeys(t, s); !slices.Equal(after, before) {
			t.Errorf("List after a cancelled Put = %q, want %q", after, before)
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		s := open(t)
		const key = "race.bin"
		versions := [][]byte{pattern(64<<10, 21), pattern(64<<10, 22), pattern(64<<10, 23)}
		put(t, s, key, versions[0], store.PutOptions{})

		var (
			mu     sync.Mutex
			byETag = make(map[string]int) // ETag → version read under it
		)
		done := make(chan struct{})
		var readers, writers sync.WaitGroup
		for range 4 {
			readers.Go(func() {
				for {
					select {
					case <-done:
						return
					default:
					}
					rc, info, err := s.Open(t.Context(), key)
					if err != nil {
						t.Errorf("Open(%q) during Puts: %v", key, err)
						return
					}
					b, err := io.ReadAll(rc)
					rc.Close()
					if err != nil {
						t.Errorf("Open(%q) during Puts: read: %v", key, err)
						return
					}
					v := slices.IndexFunc(versions, func(w []byte) bool { return bytes.Equal(b, w) })
					if v < 0 {
						t.Errorf("Open(%q) during Puts read %d bytes that are no whole version", key, len(b))
						return
					}
					if info.Size != int64(len(b)) {
						t.Errorf("Open(%q) during Puts: Info.Size = %d, read %d bytes", key, info.Size, len(b))
					}
					mu.Lock()
					if w, ok := byETag[info.ETag]; ok && w != v {
						t.Errorf("Open(%q) during Puts: ETag %s named versions %d and %d", key, info.ETag, w, v)
					}
					byETag[info.ETag] = v
					mu.Unlock()
				}
			})
		}
		for w := range 2 {
			writers.Go(func() {
				for i := range 25 {
					v := versions[(w+i)%len(versions)]
					if err := s.(store.Putter).Put(t.Context(), key, bytes.NewReader(v), store.PutOptions{}); err != nil {
						t.Errorf("Put(%q) during Opens: %v", key, err)
						return
					}
				}
			})
		}
		writers.Wait()
		close(done)
		readers.Wait()
		if l, ok := s.(store.Lister); ok {
			n := 0
			for info, err := range l.List(t.Context(), "race") {
				if err != nil {
					t.Fatalf("List: %v", err)
				}
				if info.Key != key {
					t.Errorf("List after concurrent Puts yielded %q", info.Key)
				}
				n++
			}
			if n != 1 {
				t.Errorf("List after concurrent Puts yielded %d objects, want 1", n)
			}
		}
	})
}

func testDelete(t *testing.T, s store.Store) {
	d, ok := s.(store.Deleter)
	if !ok {
		t.Skip("not a store.Deleter")
	}
	ctx := t.Context()
	const key = "a.txt"
	if err := d.Delete(ctx, key); err != nil {
		t.Fatalf("Delete(%q): %v", key, err)
	}
	if rc, _, err := s.Open(ctx, key); !errors.Is(err, store.ErrNotExist) {
		if rc != nil {
			rc.Close()
		}
		t.Errorf("Open(%q) after Delete: error = %v, want store.ErrNotExist", key, err)
	}
	if _, err := s.Stat(ctx, key); !errors.Is(err, store.ErrNotExist) {
		t.Errorf("Stat(%q) after Delete: error = %v, want store.ErrNotExist", key, err)
	}
	for _, k := range []string{key, "missing.txt", "never/was/here.txt", "photos", "dir/sub", "a.txt/x"} {
		if err := d.Delete(ctx, k); err != nil {
			t.Errorf("Delete(%q) of no object: %v, want nil", k, err)
		}
	}
	fixture := Fixture()
	delete(fixture, key)
	for k, v := range fixture {
		checkObject(t, s, k, v)
	}
	if _, ok := s.(store.Lister); ok {
		want := slices.Sorted(maps.Keys(fixture))
		if got := listKeys(t, s); !slices.Equal(got, want) {
			t.Errorf("List after Delete = %q, want %q", got, want)
		}
	}
}
