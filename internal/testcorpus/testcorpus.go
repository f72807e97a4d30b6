// Package testcorpus finds the shared image corpus that tests and benchmarks
// read by path. The corpus lives in shared/testdata/corpus beside the
// repository checkout; it is never copied into the repository.
//
// Set IMGCDN_CORPUS to use a corpus somewhere else.
package testcorpus

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

var dir = sync.OnceValue(find)

func find() string {
	if d := os.Getenv("IMGCDN_CORPUS"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; d = filepath.Dir(d) {
		c := filepath.Join(d, "shared", "testdata", "corpus")
		if st, err := os.Stat(c); err == nil && st.IsDir() {
			return c
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// Dir returns the corpus folder, or skips tb with a clear message when the
// corpus is absent.
func Dir(tb testing.TB) string {
	tb.Helper()
	d := dir()
	if d == "" {
		tb.Skip("image corpus not found: expected shared/testdata/corpus beside the repository (or set IMGCDN_CORPUS); skipping")
	}
	return d
}

// Path returns the path of the corpus file name, skipping tb when the corpus
// or the file is absent.
func Path(tb testing.TB, name string) string {
	tb.Helper()
	p := filepath.Join(Dir(tb), name)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("corpus file %s not found: %v; skipping", name, err)
	}
	return p
}

// Read returns the bytes of the corpus file name, skipping tb when the corpus
// or the file is absent.
func Read(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(Path(tb, name))
	if err != nil {
		tb.Fatalf("read corpus file %s: %v", name, err)
	}
	return b
}

// Names returns the names of all corpus files whose names match the glob
// pattern (for example "exif-*.jpg"), skipping tb when the corpus is absent.
func Names(tb testing.TB, pattern string) []string {
	tb.Helper()
	m, err := filepath.Glob(filepath.Join(Dir(tb), pattern))
	if err != nil {
		tb.Fatalf("bad corpus pattern %q: %v", pattern, err)
	}
	names := make([]string, len(m))
	for i, p := range m {
		names[i] = filepath.Base(p)
	}
	return names
}

// Available reports whether the corpus is present, for fuzz targets that add
// corpus files as seeds when they can.
func Available() bool { return dir() != "" }

// ReadSeed returns the bytes of the corpus file name, or nil when the corpus
// or the file is absent.
func ReadSeed(name string) []byte {
	d := dir()
	if d == "" {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(d, name))
	if err != nil {
		return nil
	}
	return b
}
