package middleware

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
	"github.com/imgcdn/imgcdn/store"
)

// benchWriter is a ResponseWriter that keeps nothing, so that the benchmarks
// measure the Handler alone.
type benchWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *benchWriter) Header() http.Header { return w.h }
func (w *benchWriter) WriteHeader(s int)   { w.status = s }
func (w *benchWriter) Write(b []byte) (int, error) {
	w.n += len(b)
	return len(b), nil
}

// BenchmarkHit serves a cached result through the whole Handler.
func BenchmarkHit(b *testing.B) {
	b.Run("path", func(b *testing.B) { benchHit(b, "/img/tr:w-400,h-300/photos/a.jpg") })
	b.Run("query", func(b *testing.B) { benchHit(b, "/img/photos/a.jpg?tr=w-400,h-300") })
	b.Run("none", func(b *testing.B) { benchHit(b, "/img/photos/a.jpg") })
}

// BenchmarkMiss transforms on every request (the cache disabled): the cases
// of the pipeline's benchmarks, through the Handler.
func BenchmarkMiss(b *testing.B) {
	b.Run("a_24mp_jpeg_w400", func(b *testing.B) { benchMiss(b, "jpeg-photo-24mp-4000x6000.jpg", "/img/tr:w-400,q-80,f-jpg/src") })
	b.Run("b_2mp_jpeg_300x300", func(b *testing.B) { benchMiss(b, "jpeg-photo-1920x1080.jpg", "/img/tr:w-300,h-300,f-jpg/src") })
	b.Run("d_png_rgba_w200", func(b *testing.B) { benchMiss(b, "png-rgba-1634x2224.png", "/img/tr:w-200,f-png/src") })
}

func benchStore(b testing.TB, name, key string) *fastStore {
	data := testcorpus.Read(b, name)
	return &fastStore{key: key, data: data, info: store.Info{
		Key: key, Size: int64(len(data)), ETag: `"v1"`, ModTime: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC),
	}}
}

func benchHit(b *testing.B, target string) {
	h := newTestHandler(b, benchStore(b, "jpeg-photo-1920x1080.jpg", "photos/a.jpg"))
	r := httptest.NewRequest(http.MethodGet, target, nil)
	w := &benchWriter{h: make(http.Header)}
	h.ServeHTTP(w, r) // fill the cache
	if w.status != http.StatusOK {
		b.Fatalf("status %d", w.status)
	}
	runs := countProcess(h)
	b.SetBytes(int64(w.n))
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		w.n = 0
		h.ServeHTTP(w, r)
	}
	if w.status != http.StatusOK || runs.Load() != 0 {
		b.Fatalf("status %d, %d transformations", w.status, runs.Load())
	}
}

func benchMiss(b *testing.B, name, target string) {
	s := benchStore(b, name, "src")
	h := newTestHandler(b, s, WithMemoryCache(0))
	r := httptest.NewRequest(http.MethodGet, target, nil)
	w := &benchWriter{h: make(http.Header)}
	b.SetBytes(int64(len(s.data)))
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, r)
		if w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
	}
}

// TestHitAllocations guards the allocation count of a cache hit.
func TestHitAllocations(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	h := newTestHandler(t, benchStore(t, "jpeg-photo-1920x1080.jpg", "photos/a.jpg"))
	r := httptest.NewRequest(http.MethodGet, "/img/tr:w-400,h-300/photos/a.jpg", nil)
	w := &benchWriter{h: make(http.Header)}
	h.ServeHTTP(w, r)
	allocs := testing.AllocsPerRun(100, func() {
		clear(w.h)
		h.ServeHTTP(w, r)
	})
	if w.status != http.StatusOK || allocs > 10 {
		t.Errorf("a cache hit: status %d, %v allocations; want 200 and at most 10", w.status, allocs)
	}
}
