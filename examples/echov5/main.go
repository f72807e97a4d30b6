// Command echov5 serves imgcdn images from an echo v5 application: the
// imgcdn handler is mounted on a route group at /img (adapters/echov5),
// beside the application's own index page.
//
//	go run ./echov5                  # embedded sample images on 127.0.0.1:8080
//	go run ./echov5 -dir ~/Pictures  # a folder of your own
//
//	http://127.0.0.1:8080/                            the application's page
//	http://127.0.0.1:8080/img/tr:w-400,h-300/tower.jpg an image
package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v5"
	echomw "github.com/labstack/echo/v5/middleware"

	imgcdnechov5 "github.com/imgcdn/imgcdn/adapters/echov5"
	"github.com/imgcdn/imgcdn/examples/internal/demo"
)

func main() { demo.Main(run) }

// run serves until ctx is done, then shuts down gracefully with echo v5's
// StartConfig. When ready is not nil, it receives the listening address
// once the server listens.
func run(ctx context.Context, addr, dir string, log *slog.Logger, ready chan<- string) error {
	e, err := newRouter(dir, log)
	if err != nil {
		return err
	}
	sc := echo.StartConfig{
		Address:    addr,
		HideBanner: true,
		HidePort:   true,
		ListenerAddrFunc: func(a net.Addr) {
			log.Info("serving", "url", "http://"+a.String()+"/")
			if ready != nil {
				ready <- a.String()
			}
		},
		// Shutdown waits for the requests in flight, transformations
		// included, for up to 10 s.
		GracefulTimeout: 10 * time.Second,
		BeforeServeFunc: func(s *http.Server) error {
			s.ReadHeaderTimeout = 10 * time.Second
			s.IdleTimeout = 2 * time.Minute
			return nil
		},
	}
	if err := sc.Start(ctx, e); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// newRouter returns the echo server: the images of dir (or the embedded
// samples) under /img, and the index page at /.
func newRouter(dir string, log *slog.Logger) (*echo.Echo, error) {
	h, page, err := demo.New("echo v5", dir, log)
	if err != nil {
		return nil, err
	}

	e := echo.New()
	e.Logger = log
	e.Use(echomw.Recover())
	// The image group can have middleware of its own (CORS, auth, ...).
	imgcdnechov5.Mount(e.Group(h.Prefix()), h)
	e.GET("/", func(c *echo.Context) error { return c.HTMLBlob(http.StatusOK, page) })
	return e, nil
}
