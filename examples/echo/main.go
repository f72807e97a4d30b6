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
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"
	echomw "github.com/labstack/echo/v4/middleware"

	imgcdnecho "github.com/imgcdn/imgcdn/adapters/echo"
	"github.com/imgcdn/imgcdn/examples/internal/demo"
	"github.com/imgcdn/imgcdn/middleware"
	"github.com/imgcdn/imgcdn/store"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen `address`")
	dir := flag.String("dir", "", "serve images from this `folder` instead of the embedded samples")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr, *dir, log, nil); err != nil {
		log.Error("server failed", "err", err)
		os.Exit(1)
	}
}

// run serves until ctx is done, then shuts down gracefully. When ready is
// not nil, it receives the listening address once the server accepts
// connections.
func run(ctx context.Context, addr, dir string, log *slog.Logger, ready chan<- string) error {
	router, err := newRouter(dir, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{
		Handler:           router,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/")
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Shutdown waits for the requests in flight, transformations
	// included, for up to 10 s.
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// newRouter returns the echo server: the images of dir (or the embedded
// samples) under /img, and the index page at /.
func newRouter(dir string, log *slog.Logger) (*echo.Echo, error) {
	images, names, err := demo.Images(dir)
	if err != nil {
		return nil, err
	}
	h, err := middleware.New(store.FS(images), middleware.WithLogger(log))
	if err != nil {
		return nil, err
	}
	page, err := demo.IndexPage("echo v4", h.Prefix(), names)
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
