package imgcdnfasthttp_test

import (
	"net"
	"net/http"
	"testing"

	"github.com/valyala/fasthttp"

	imgcdnfasthttp "github.com/imgcdn/imgcdn/adapters/fasthttp"
	"github.com/imgcdn/imgcdn/internal/adaptertest"
)

// BenchmarkCacheHit measures the cost of the conversion around a memory
// cache hit: the Handler alone (net/http), then through Handler with a
// fasthttp.RequestCtx (no connection).
func BenchmarkCacheHit(b *testing.B) {
	h := adaptertest.NewHandler(b, adaptertest.Images(b))
	b.Run("net-http", func(b *testing.B) {
		adaptertest.BenchServe(b, h, adaptertest.NewRequest(http.MethodGet, adaptertest.BenchTarget, adaptertest.BenchHeader...))
	})
	b.Run("Handler", func(b *testing.B) {
		serve := imgcdnfasthttp.Handler(h)
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
