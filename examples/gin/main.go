// Command gin serves imgcdn images from a gin application: the imgcdn
// handler is mounted on a route group at /img (adapters/gin), beside the
// application's own index page.
//
//	go run ./gin                     # embedded sample images on 127.0.0.1:8080
//	go run ./gin -dir ~/Pictures     # a folder of your own
//
//	http://127.0.0.1:8080/                            the application's page
//	http://127.0.0.1:8080/img/tr:w-400,h-300/tower.jpg an image
package main

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	imgcdngin "github.com/imgcdn/imgcdn/adapters/gin"
	"github.com/imgcdn/imgcdn/examples/internal/demo"
)

func main() {
	gin.SetMode(gin.ReleaseMode)
	demo.Main(run)
}

// run serves until ctx is done, then shuts down gracefully: Shutdown waits
// for the requests in flight, transformations included, for up to 10 s.
// When ready is not nil, it receives the listening address once the
// server accepts connections.
var run = demo.RunHTTP(newRouter)

// newRouter returns the gin engine: the images of dir (or the embedded
// samples) under /img, and the index page at /.
func newRouter(dir string, log *slog.Logger) (*gin.Engine, error) {
	h, page, err := demo.New("gin", dir, log)
	if err != nil {
		return nil, err
	}

	r := gin.New()
	r.Use(gin.Recovery())
	// The image group can have middleware of its own (CORS, auth, ...).
	imgcdngin.Mount(r.Group(h.Prefix()), h)
	r.GET("/", func(c *gin.Context) { c.Data(http.StatusOK, "text/html; charset=utf-8", page) })
	return r, nil
}
