// Command fiberv3 serves imgcdn images from a fiber v3 application: the
// imgcdn handler is mounted on a route group at /img (adapters/fiberv3),
// beside the application's own index page.
//
//	go run ./fiberv3                 # embedded sample images on 127.0.0.1:8080
//	go run ./fiberv3 -dir ~/Pictures # a folder of your own
//
//	http://127.0.0.1:8080/                            the application's page
//	http://127.0.0.1:8080/img/tr:w-400,h-300/tower.jpg an image
//
// fasthttp does not cancel a request whose client has gone; the
// transformations in flight end at the processing timeout, or at once
// (with a 503) when the server shuts down.
package main

import (
	"log/slog"
	"net"
	"time"

	"github.com/gofiber/fiber/v3"
	fiberrecover "github.com/gofiber/fiber/v3/middleware/recover"

	imgcdnfiberv3 "github.com/imgcdn/imgcdn/adapters/fiberv3"
	"github.com/imgcdn/imgcdn/examples/internal/demo"
)

func main() { demo.Main(run) }

// run serves until ctx is done, then shuts down gracefully: the shutdown
// cancels the transformations in flight (their clients get a 503) and
// waits for the connections to close, for up to 10 s. When ready is not
// nil, it receives the listening address once the server accepts
// connections.
var run = demo.Run(newApp, func(app *fiber.App, ln net.Listener) error {
	return app.Listener(ln, fiber.ListenConfig{DisableStartupMessage: true})
}, func(app *fiber.App) error {
	return app.ShutdownWithTimeout(10 * time.Second)
})

// newApp returns the fiber app: the images of dir (or the embedded
// samples) under /img, and the index page at /.
func newApp(dir string, log *slog.Logger) (*fiber.App, error) {
	h, page, err := demo.New("fiber v3", dir, log)
	if err != nil {
		return nil, err
	}

	app := fiber.New(fiber.Config{
		ReadTimeout: 30 * time.Second,
		IdleTimeout: 2 * time.Minute,
	})
	app.Use(fiberrecover.New())
	// The image group can have middleware of its own (CORS, auth, ...).
	imgcdnfiberv3.Mount(app.Group(h.Prefix()), h)
	app.Get("/", func(c fiber.Ctx) error {
		c.Type("html", "utf-8")
		return c.Send(page)
	})
	return app, nil
}
