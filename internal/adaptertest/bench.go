package adaptertest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/imgcdn/imgcdn/middleware"
)

// BenchTarget is the request of the benchmarks: a 320 px JPEG of the
// corpus photo, a memory-cache hit after the first request.
const BenchTarget = "/img/tr:w-320/photo.jpg"

// BenchHeader are header fields of a browser's request, for the
// benchmarks that convert them (fasthttp).
var BenchHeader = []string{"User-Agent", "bench", "Accept", "image/jpeg,*/*"}

// BenchCacheHit measures the cost of a net/http framework around a memory
// cache hit: the Handler h alone (net-http), then the framework's
// applications with h mounted (Mount) and in the Middleware (Middleware).
// The difference is the adapter's overhead with the framework's routing.
func BenchCacheHit(b *testing.B, h *middleware.Handler, mount, mw http.Handler) {
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{{"net-http", h}, {"Mount", mount}, {"Middleware", mw}} {
		b.Run(bc.name, func(b *testing.B) { BenchServe(b, bc.h, httptest.NewRequest(http.MethodGet, BenchTarget, nil)) })
	}
}

// BenchServe serves r with h in a loop ([BenchLoop]).
func BenchServe(b *testing.B, h http.Handler, r *http.Request) {
	w := &discardWriter{header: http.Header{}}
	BenchLoop(b, func() (int, int) {
		clear(w.header)
		w.code, w.n = 0, 0
		h.ServeHTTP(w, r)
		return w.code, w.n
	})
}

// BenchLoop calls serve, which serves [BenchTarget] and returns the status
// and the size of the body, in a loop, after a first call that fills the
// cache; it fails b unless the status is 200.
func BenchLoop(b *testing.B, serve func() (status, size int)) {
	code, n := serve()
	if code != http.StatusOK {
		b.Fatalf("GET %s = %d", BenchTarget, code)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		code, _ = serve()
	}
	if code != http.StatusOK {
		b.Fatalf("GET %s = %d", BenchTarget, code)
	}
}

// discardWriter is an http.ResponseWriter that keeps the status and the
// size of the body only.
type discardWriter struct {
	header http.Header
	code   int
	n      int
}

func (w *discardWriter) Header() http.Header { return w.header }
func (w *discardWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}
func (w *discardWriter) Write(p []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	w.n += len(p)
	return len(p), nil
}
