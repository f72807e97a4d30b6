package imgcdnfiberv3_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v3"
	"github.com/valyala/fasthttp"

	imgcdnfiberv3 "github.com/imgcdn/imgcdn/adapters/fiberv3"
)

// BenchmarkCacheHit measures the cost of fiber around a memory cache hit:
// the Handler alone (net/http), then behind fiber with Mount and with
// Middleware, called through app.Handler() with a fasthttp.RequestCtx (no
// connection). The difference is the adapter's conversion with fiber's
// routing.
func BenchmarkCacheHit(b *testing.B) {
	const target = "/img/tr:w-320/photo.jpg"
	h := newHandler(b, images(b))
	b.Run("net-http", func(b *testing.B) {
		r := httptest.NewRequest(http.MethodGet, target, nil)
		r.Header.Set("User-Agent", "bench")
		r.Header.Set("Accept", "image/jpeg,*/*")
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
	})
	mount := fiber.New()
	imgcdnfiberv3.Mount(mount, h)
	mw := fiber.New()
	mw.Use(imgcdnfiberv3.Middleware(h))
	for _, bc := range []struct {
		name string
		app  *fiber.App
	}{{"Mount", mount}, {"Middleware", mw}} {
		b.Run(bc.name, func(b *testing.B) {
			serve := bc.app.Handler()
			var req fasthttp.Request
			req.Header.SetMethod(http.MethodGet)
			req.SetRequestURI(target)
			req.Header.SetHost("example.com")
			req.Header.Set("User-Agent", "bench")
			req.Header.Set("Accept", "image/jpeg,*/*")
			var fctx fasthttp.RequestCtx
			fctx.Init(&req, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1234}, nil)
			serve(&fctx)
			if fctx.Response.StatusCode() != http.StatusOK {
				b.Fatalf("GET %s = %d", target, fctx.Response.StatusCode())
			}
			b.SetBytes(int64(len(fctx.Response.Body())))
			b.ReportAllocs()
			for b.Loop() {
				fctx.Response.Reset()
				serve(&fctx)
			}
			if fctx.Response.StatusCode() != http.StatusOK {
				b.Fatalf("GET %s = %d", target, fctx.Response.StatusCode())
			}
		})
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
