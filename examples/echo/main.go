// Command echo serves imgcdn images from an echo v4 application: the
// imgcdn handler is mounted on a route group at /img (adapters/echo),
// beside the application's own index page.
//
//	go run ./echo                    # embedded sample images on 127.0.0.1:8080
//	go run ./echo -dir ~/Pictures    # a folder of your own
//
//	http://127.0.0.1:8080/                            the application's page
//	http://127.0.0.1:8080/img/tr:w-400,h-300/tower.jpg an image
package main

import (
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"
	echomw "github.com/labstack/echo/v4/middleware"

	imgcdnecho "github.com/imgcdn/imgcdn/adapters/echo"
	"github.com/imgcdn/imgcdn/examples/internal/demo"
)

func main() {
	demo.Main(run)
}

// run serves until ctx is done, then shuts down gracefully: Shutdown waits
// for the requests in flight, transformations included, for up to 10 s.
// When ready is not nil, it receives the listening address once the
// server accepts connections.
var run = demo.RunHTTP(newRouter)

// newRouter returns the echo server: the images of dir (or the embedded
// samples) under /img, and the index page at /.
func newRouter(dir string, log *slog.Logger) (*echo.Echo, error) {
	h, page, err := demo.New("echo v4", dir, log)
	if err != nil {
		return nil, err
	}

	e := echo.New()
	e.HideBanner = true
	e.Use(echomw.Recover())
	// The image group can have middleware of its own (CORS, auth, ...).
	imgcdnecho.Mount(e.Group(h.Prefix()), h)
	e.GET("/", func(c echo.Context) error { return c.HTMLBlob(http.StatusOK, page) })
	return e, nil
}
