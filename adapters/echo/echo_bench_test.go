package imgcdnecho_test

import (
	"testing"

	"github.com/labstack/echo/v4"

	imgcdnecho "github.com/imgcdn/imgcdn/adapters/echo"
	"github.com/imgcdn/imgcdn/internal/adaptertest"
)

// BenchmarkCacheHit measures the cost of echo around a memory cache hit:
// the Handler alone (net/http), then behind echo with Mount and with
// Middleware (in e.Pre). The difference is the adapter's overhead with
// echo's routing.
func BenchmarkCacheHit(b *testing.B) {
	h := adaptertest.NewHandler(b, adaptertest.Images(b))
	mount := echo.New()
	imgcdnecho.Mount(mount.Group("/img"), h)
	mw := echo.New()
	mw.Pre(imgcdnecho.Middleware(h))
	adaptertest.BenchCacheHit(b, h, mount, mw)
}
