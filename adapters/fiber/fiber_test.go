package imgcdnfiber_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	imgcdnfiber "github.com/imgcdn/imgcdn/adapters/fiber"
	"github.com/imgcdn/imgcdn/internal/adaptertest"
	"github.com/imgcdn/imgcdn/middleware"
)

// newApp returns a fiber app with no startup message.
func newApp() *fiber.App { return fiber.New(fiber.Config{DisableStartupMessage: true}) }

// testApp returns the adaptertest App of app: Do through app.Test, fiber's
// own test entry point (the target goes to it as is, as RequestURI, so
// that a target that net/url refuses reaches fiber too).
func testApp(app *fiber.App) adaptertest.App {
	return adaptertest.App{
		Do:       func(r *http.Request) (*http.Response, error) { return app.Test(r, 20000) },
		Serve:    app.Listener,
		Shutdown: func() error { return app.ShutdownWithTimeout(10 * time.Second) },
	}
}

// setup returns the adaptertest setup that puts the Handler into a fiber
// app with put, after the middleware of the options. Each app also has an
// application route, GET /hello.
func setup(put func(app *fiber.App, h *middleware.Handler)) adaptertest.Setup {
	return func(h *middleware.Handler, o adaptertest.Options) adaptertest.App {
		app := newApp()
		if o.Header != nil {
			app.Use(func(c *fiber.Ctx) error {
				for k, vv := range o.Header {
					for _, v := range vv {
						c.Response().Header.Add(k, v)
					}
				}
				return c.Next()
			})
		}
		if o.Context != nil {
			app.Use(func(c *fiber.Ctx) error {
				c.SetUserContext(o.Context(c.UserContext()))
				return c.Next()
			})
		}
		put(app, h)
		app.Get("/hello", func(c *fiber.Ctx) error { return c.SendString("hello from fiber") })
		return testApp(app)
	}
}

// markGroup is a group middleware that marks its responses with X-Group.
func markGroup(c *fiber.Ctx) error {
	c.Set("X-Group", "images")
	return c.Next()
}

func TestAdapter(t *testing.T) {
	adaptertest.Run(t, adaptertest.Config{
		Setups: map[string]adaptertest.Setup{
			"Mount on a group": setup(func(app *fiber.App, h *middleware.Handler) {
				imgcdnfiber.Mount(app.Group("/img", markGroup), h)
			}),
			"Mount on a parent group": setup(func(app *fiber.App, h *middleware.Handler) {
				imgcdnfiber.Mount(app.Group("/"), h)
			}),
			"Mount on the app": setup(func(app *fiber.App, h *middleware.Handler) {
				imgcdnfiber.Mount(app, h)
			}),
			"Middleware": setup(func(app *fiber.App, h *middleware.Handler) {
				app.Use(imgcdnfiber.Middleware(h))
			}),
		},
		Grouped:    []string{"Mount on a group"},
		Middleware: "Middleware",
		Cases: adaptertest.FastHTTPCases("text/plain; charset=utf-8", "hello from fiber", func(target string) adaptertest.Case {
			return adaptertest.Case{Status: http.StatusNotFound, Body: "Cannot GET " + target}
		}),
		Methods: func(h *middleware.Handler) adaptertest.App {
			app := newApp()
			g := app.Group("/img")
			imgcdnfiber.Mount(g, h)
			g.Post("/upload", func(c *fiber.Ctx) error { return c.Status(http.StatusCreated).SendString("uploaded") })
			return testApp(app)
		},
		OtherMethodStatus: http.StatusMethodNotAllowed, // fiber's 405
		FastHTTP:          true,
	})
}

func TestMountPanics(t *testing.T) {
	adaptertest.MountPanics(t, imgcdnfiber.Mount, map[string]adaptertest.MountPanic[fiber.Router]{
		"other group":  {Prefix: "/img", Router: func() fiber.Router { return newApp().Group("/api") }},
		"deeper group": {Prefix: "/img", Router: func() fiber.Router { return newApp().Group("/img/x") }},
		"partial name": {Prefix: "/imgs", Router: func() fiber.Router { return newApp().Group("/img") }},
		"empty prefix": {Prefix: "", Router: func() fiber.Router { return newApp() }},
	})
}
