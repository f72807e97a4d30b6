package imgcdnfiber_test

import (
	"net"
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	imgcdnfiber "github.com/imgcdn/imgcdn/adapters/fiber"
	"github.com/imgcdn/imgcdn/internal/adaptertest"
)

// BenchmarkCacheHit measures the cost of fiber around a memory cache hit:
// the Handler alone (net/http), then behind fiber with Mount and with
// Middleware, called through app.Handler() with a fasthttp.RequestCtx (no
// connection). The difference is the adapter's conversion with fiber's
// routing.
func BenchmarkCacheHit(b *testing.B) {
	h := adaptertest.NewHandler(b, adaptertest.Images(b))
	b.Run("net-http", func(b *testing.B) {
		adaptertest.BenchServe(b, h, adaptertest.NewRequest(http.MethodGet, adaptertest.BenchTarget, adaptertest.BenchHeader...))
	})
	mount := fiber.New()
	imgcdnfiber.Mount(mount, h)
	mw := fiber.New()
	mw.Use(imgcdnfiber.Middleware(h))
	for _, bc := range []struct {
		name string
		app  *fiber.App
	}{{"Mount", mount}, {"Middleware", mw}} {
		b.Run(bc.name, func(b *testing.B) {
			serve := bc.app.Handler()
			var req fasthttp.Request
			req.Header.SetMethod(http.MethodGet)
			req.SetRequestURI(adaptertest.BenchTarget)
			req.Header.SetHost("example.com")
			for i := 0; i+1 < len(adaptertest.BenchHeader); i += 2 {
				req.Header.Set(adaptertest.BenchHeader[i], adaptertest.BenchHeader[i+1])
			}
			var fctx fasthttp.RequestCtx
			fctx.Init(&req, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1234}, nil)
			adaptertest.BenchLoop(b, func() (int, int) {
				fctx.Response.Reset()
				serve(&fctx)
				return fctx.Response.StatusCode(), len(fctx.Response.Body())
			})
		})
	}
}
