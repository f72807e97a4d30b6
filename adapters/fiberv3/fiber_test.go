package imgcdnfiberv3_test

import (
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gofiber/fiber/v3"

	imgcdnfiberv3 "github.com/imgcdn/imgcdn/adapters/fiberv3"
	"github.com/imgcdn/imgcdn/internal/adaptertest"
	"github.com/imgcdn/imgcdn/middleware"
)

// newApp returns a fiber app.
func newApp() *fiber.App { return fiber.New() }

// testApp returns the adaptertest App of app: Do through app.Test, fiber's
// own test entry point (which writes the request line from the URL, an
// opaque one for a target that net/url refuses, so that such a target
// reaches fiber too).
func testApp(app *fiber.App) adaptertest.App {
	return adaptertest.App{
		Do: func(r *http.Request) (*http.Response, error) {
			return app.Test(r, fiber.TestConfig{Timeout: 20 * time.Second})
		},
		Serve: func(ln net.Listener) error {
			return app.Listener(ln, fiber.ListenConfig{DisableStartupMessage: true})
		},
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
			app.Use(func(c fiber.Ctx) error {
				for k, vv := range o.Header {
					for _, v := range vv {
						c.Response().Header.Add(k, v)
					}
				}
				return c.Next()
			})
		}
		if o.Context != nil {
			app.Use(func(c fiber.Ctx) error {
				c.SetContext(o.Context(c.Context()))
				return c.Next()
			})
		}
		put(app, h)
		app.Get("/hello", func(c fiber.Ctx) error { return c.SendString("hello from fiber") })
		return testApp(app)
	}
}

// markGroup is a group middleware that marks its responses with X-Group.
func markGroup(c fiber.Ctx) error {
	c.Set("X-Group", "images")
	return c.Next()
}

func TestAdapter(t *testing.T) {
	adaptertest.Run(t, adaptertest.Config{
		Setups: map[string]adaptertest.Setup{
			"Mount on a group": setup(func(app *fiber.App, h *middleware.Handler) {
				imgcdnfiberv3.Mount(app.Group("/img", markGroup), h)
			}),
			"Mount on a parent group": setup(func(app *fiber.App, h *middleware.Handler) {
				imgcdnfiberv3.Mount(app.Group("/"), h)
			}),
			"Mount on the app": setup(func(app *fiber.App, h *middleware.Handler) {
				imgcdnfiberv3.Mount(app, h)
			}),
			"Middleware": setup(func(app *fiber.App, h *middleware.Handler) {
				app.Use(imgcdnfiberv3.Middleware(h))
			}),
		},
		Grouped:    []string{"Mount on a group"},
		Middleware: "Middleware",
		Cases: adaptertest.FastHTTPCases("text/plain; charset=utf-8", "hello from fiber", func(string) adaptertest.Case {
			return adaptertest.Case{Status: http.StatusNotFound, Body: "Not Found"}
		}),
		Methods: func(h *middleware.Handler) adaptertest.App {
			app := newApp()
			g := app.Group("/img")
			imgcdnfiberv3.Mount(g, h)
			g.Post("/upload", func(c fiber.Ctx) error { return c.Status(http.StatusCreated).SendString("uploaded") })
			return testApp(app)
		},
		OtherMethodStatus: http.StatusMethodNotAllowed, // fiber's 405
		FastHTTP:          true,
	})
}

func TestMountPanics(t *testing.T) {
	adaptertest.MountPanics(t, imgcdnfiberv3.Mount, map[string]adaptertest.MountPanic[fiber.Router]{
		"other group":  {Prefix: "/img", Router: func() fiber.Router { return newApp().Group("/api") }},
		"deeper group": {Prefix: "/img", Router: func() fiber.Router { return newApp().Group("/img/x") }},
		"partial name": {Prefix: "/imgs", Router: func() fiber.Router { return newApp().Group("/img") }},
		"empty prefix": {Prefix: "", Router: func() fiber.Router { return newApp() }},
	})
}

func TestMountHeadWithoutAutoRegister(t *testing.T) {
	app := fiber.New(fiber.Config{DisableHeadAutoRegister: true})
	imgcdnfiberv3.Mount(app, adaptertest.NewHandler(t, adaptertest.Images(t)))
	resp, b := adaptertest.Serve(t, testApp(app), http.MethodHead, "/img/tr:w-32/photo.jpg")
	if resp.StatusCode != http.StatusOK || len(b) != 0 || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("HEAD with DisableHeadAutoRegister = %d, %q with %d bytes; want 200 image/jpeg without a body", resp.StatusCode, resp.Header.Get("Content-Type"), len(b))
	}
}
