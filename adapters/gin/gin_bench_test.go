package imgcdngin_test

import (
	"testing"

	"github.com/gin-gonic/gin"

	imgcdngin "github.com/imgcdn/imgcdn/adapters/gin"
	"github.com/imgcdn/imgcdn/internal/adaptertest"
)

// BenchmarkCacheHit measures the cost of gin around a memory cache hit:
// the Handler alone (net/http), then behind gin with Mount and with
// Middleware. The difference is the adapter's overhead with gin's routing.
func BenchmarkCacheHit(b *testing.B) {
	h := adaptertest.NewHandler(b, adaptertest.Images(b))
	mount := gin.New()
	imgcdngin.Mount(mount, h)
	mw := gin.New()
	mw.Use(imgcdngin.Middleware(h))
	adaptertest.BenchCacheHit(b, h, mount, mw)
}
