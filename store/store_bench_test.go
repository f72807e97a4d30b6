package store_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
	"github.com/imgcdn/imgcdn/store"
)

// benchFile is a corpus photo of about 800 KB.
const benchFile = "jpeg-photo-1920x1080.jpg"

// benchStores returns the corpus file's bytes and stores holding it under
// benchFile: a Dir (a copy in a temporary directory, never in the
// repository), a Memory, and FS stores over the corpus folder and over a
// MapFS without modification times.
func benchStores(b *testing.B) ([]byte, map[string]store.Store) {
	b.Helper()
	data := testcorpus.Read(b, benchFile)
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, benchFile), data, 0o666); err != nil {
		b.Fatal(err)
	}
	d, err := store.Dir(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	m := store.Memory()
	if err := m.Put(b.Context(), benchFile, bytes.NewReader(data), store.PutOptions{}); err != nil {
		b.Fatal(err)
	}
	return data, map[string]store.Store{
		"Dir":       d,
		"Memory":    m,
		"FS-DirFS":  store.FS(os.DirFS(filepath.Dir(testcorpus.Path(b, benchFile)))),
		"FS-hashed": store.FS(fstest.MapFS{benchFile: {Data: data}}),
	}
}

func BenchmarkOpenReadAll(b *testing.B) {
	for _, name := range []string{"Dir", "Memory"} {
		b.Run(name, func(b *testing.B) { benchOpen(b, name, false) })
	}
}

// BenchmarkOpenReadSized reads into a buffer of Info.Size, as a caller that
// trusts the size does, which shows the store's own cost without
// io.ReadAll's growing buffer.
func BenchmarkOpenReadSized(b *testing.B) {
	for _, name := range []string{"Dir", "Memory"} {
		b.Run(name, func(b *testing.B) { benchOpen(b, name, true) })
	}
}

func BenchmarkStat(b *testing.B) {
	for _, name := range []string{"Dir", "FS-DirFS", "FS-hashed"} {
		b.Run(name, func(b *testing.B) { benchStat(b, name) })
	}
}

func benchOpen(b *testing.B, name string, sized bool) {
	data, stores := benchStores(b)
	s := stores[name]
	ctx := b.Context()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rc, info, err := s.Open(ctx, benchFile)
		if err != nil {
			b.Fatal(err)
		}
		var got []byte
		if sized {
			got = make([]byte, info.Size)
			_, err = io.ReadFull(rc, got)
		} else {
			got, err = io.ReadAll(rc)
		}
		rc.Close()
		if err != nil || len(got) != len(data) {
			b.Fatalf("read %d bytes, %v; want %d", len(got), err, len(data))
		}
	}
}

func benchStat(b *testing.B, name string) {
	_, stores := benchStores(b)
	s := stores[name]
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Stat(ctx, benchFile); err != nil {
			b.Fatal(err)
		}
	}
}
