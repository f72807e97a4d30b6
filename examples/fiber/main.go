// Command fiber serves imgcdn images from a fiber v2 application: the
// imgcdn handler is mounted on a route group at /img (adapters/fiber),
// beside the application's own index page.
//
//	go run ./fiber                   # embedded sample images on 127.0.0.1:8080
//	go run ./fiber -dir ~/Pictures   # a folder of your own
//
//	http://127.0.0.1:8080/                            the application's page
//	http://127.0.0.1:8080/img/tr:w-400,h-300/tower.jpg an image
//
// fasthttp does not cancel a request whose client has gone; the
// transformations in flight end at the processing timeout, or at once
// (with a 503) when the server shuts down.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v2"
	fiberrecover "github.com/gofiber/fiber/v2/middleware/recover"

	imgcdnfiber "github.com/imgcdn/imgcdn/adapters/fiber"
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
	app, err := newApp(dir, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/")
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- app.Listener(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Shutdown cancels the transformations in flight (their clients get
	// a 503) and waits for the connections to close, for up to 10 s.
	if err := app.ShutdownWithTimeout(10 * time.Second); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// newApp returns the fiber app: the images of dir (or the embedded
// samples) under /img, and the index page at /.
func newApp(dir string, log *slog.Logger) (*fiber.App, error) {
	images, names, err := demo.Images(dir)
	if err != nil {
		return nil, err
	}
	h, err := middleware.New(store.FS(images), middleware.WithLogger(log))
	if err != nil {
		return nil, err
	}
	page, err := demo.IndexPage("fiber v2", h.Prefix(), names)
	if err != nil {
		return nil, err
	}

	app := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		IdleTimeout:           2 * time.Minute,
	})
	app.Use(fiberrecover.New())
	// The image group can have middleware of its own (CORS, auth, ...).
	imgcdnfiber.Mount(app.Group(h.Prefix()), h)
	app.Get("/", func(c *fiber.Ctx) error {
		c.Type("html", "utf-8")
		return c.Send(page)
	})
	return app, nil
}
