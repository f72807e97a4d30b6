package imgcdnecho_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	imgcdnecho "github.com/imgcdn/imgcdn/adapters/echo"
	"github.com/imgcdn/imgcdn/internal/adaptertest"
	"github.com/imgcdn/imgcdn/middleware"
)

// setup returns the adaptertest setup that puts the Handler into an echo
// server with put. Each server also has an application route, GET /hello.
func setup(put func(e *echo.Echo, h *middleware.Handler)) adaptertest.Setup {
	return func(h *middleware.Handler, o adaptertest.Options) adaptertest.App {
		e := echo.New()
		put(e, h)
		e.GET("/hello", func(c echo.Context) error { return c.String(http.StatusOK, "hello from echo") })
		return adaptertest.NetHTTP(e, o)
	}
}

// markGroup is a group middleware that marks its responses with X-Group.
func markGroup(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("X-Group", "images")
		return next(c)
	}
}

func TestAdapter(t *testing.T) {
	adaptertest.Run(t, adaptertest.Config{
		Setups: map[string]adaptertest.Setup{
			"Mount": setup(func(e *echo.Echo, h *middleware.Handler) {
				imgcdnecho.Mount(e.Group("/img", markGroup), h)
			}),
			"Mount on a subgroup": setup(func(e *echo.Echo, h *middleware.Handler) {
				imgcdnecho.Mount(e.Group("", markGroup).Group("/img"), h)
			}),
			"Middleware with Pre": setup(func(e *echo.Echo, h *middleware.Handler) {
				e.Pre(imgcdnecho.Middleware(h))
			}),
			"Middleware with Use": setup(func(e *echo.Echo, h *middleware.Handler) {
				e.Use(imgcdnecho.Middleware(h))
			}),
		},
		Grouped:    []string{"Mount", "Mount on a subgroup"},
		Middleware: "Middleware with Pre",
		Cases: adaptertest.Routes("text/plain; charset=UTF-8", "hello from echo", func(string) adaptertest.Case {
			return adaptertest.Case{Status: http.StatusNotFound, ContentType: "application/json", Body: "{\"message\":\"Not Found\"}\n"}
		}),
		Methods: func(h *middleware.Handler) adaptertest.App {
			e := echo.New()
			g := e.Group("/img")
			imgcdnecho.Mount(g, h)
			g.POST("/upload", func(c echo.Context) error { return c.String(http.StatusCreated, "uploaded") })
			return adaptertest.NetHTTP(e, adaptertest.Options{})
		},
		OtherMethodStatus: http.StatusMethodNotAllowed, // echo's 405
	})
}

func TestMountPanics(t *testing.T) {
	adaptertest.MountPanics(t, imgcdnecho.Mount, map[string]adaptertest.MountPanic[*echo.Group]{
		"other group":    {Prefix: "/img", Router: func() *echo.Group { return echo.New().Group("/api") }},
		"parent group":   {Prefix: "/static/img", Router: func() *echo.Group { return echo.New().Group("/static") }},
		"deeper group":   {Prefix: "/img", Router: func() *echo.Group { return echo.New().Group("/img/x") }},
		"trailing slash": {Prefix: "/img", Router: func() *echo.Group { return echo.New().Group("/img/") }},
		"empty prefix":   {Prefix: "", Router: func() *echo.Group { return echo.New().Group("") }},
	})
}

// TestRequestContextFromMiddleware checks that the Handler reads the
// request as the application's middleware left it: a deadline set with
// c.SetRequest ends the work with a 504.
func TestRequestContextFromMiddleware(t *testing.T) {
	bs := adaptertest.NewBlockingStore(t)
	e := echo.New()
	g := e.Group("/img", func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ctx, cancel := context.WithTimeout(c.Request().Context(), 50*time.Millisecond)
			defer cancel()
			c.SetRequest(c.Request().WithContext(ctx))
			return next(c)
		}
	})
	imgcdnecho.Mount(g, adaptertest.NewHandler(t, bs, middleware.WithTimeout(20*time.Second)))
	resp, body := adaptertest.Serve(t, adaptertest.NetHTTP(e, adaptertest.Options{}), http.MethodGet, "/img/tr:w-320/photo.jpg")
	if resp.StatusCode != http.StatusGatewayTimeout {
		t.Errorf("GET with a 50 ms deadline = %d %q, want 504", resp.StatusCode, body)
	}
	if err := bs.WaitDone(t, "the deadline"); !errors.Is(err, context.Canceled) {
		t.Errorf("store saw %v, want context.Canceled (the request that was waiting left)", err)
	}
}
