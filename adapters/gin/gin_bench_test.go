package imgcdngin_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	imgcdngin "github.com/imgcdn/imgcdn/adapters/gin"
)

// BenchmarkCacheHit measures the cost of gin around a memory cache hit:
// the Handler alone (net/http), then behind gin with Mount and with
// Middleware. The difference is the adapter's overhead with gin's routing.
func BenchmarkCacheHit(b *testing.B) {
	h := newHandler(b, images(b))
	mount := gin.New()
	imgcdngin.Mount(mount, h)
	mw := gin.New()
	mw.Use(imgcdngin.Middleware(h))
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{{"net-http", h}, {"Mount", mount}, {"Middleware", mw}} {
		b.Run(bc.name, func(b *testing.B) { benchServe(b, bc.h, "/img/tr:w-320/photo.jpg") })
	}
}

// benchServe serves GET target with h in a loop, after a first request
// that fills the cache.
func benchServe(b *testing.B, h http.Handler, target string) {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	w := &discardWriter{header: http.Header{}}
	h.ServeHTTP(w, r)
	if w.code != http.StatusOK {
		b.Fatalf("GET %s = %d", target, w.code)
	}
	b.SetBytes(int64(w.n))
	b.ReportAllocs()
	for b.Loop() {
		clear(w.header)
		w.code, w.n = 0, 0
		h.ServeHTTP(w, r)
	}
	if w.code != http.StatusOK {
		b.Fatalf("GET %s = %d", target, w.code)
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
