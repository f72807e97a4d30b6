package imgcdngin_test

import (
	"net/http"
	"os"
	"testing"

	"github.com/gin-gonic/gin"

	imgcdngin "github.com/imgcdn/imgcdn/adapters/gin"
	"github.com/imgcdn/imgcdn/internal/adaptertest"
	"github.com/imgcdn/imgcdn/middleware"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(m.Run())
}

// setup returns the adaptertest setup that puts the Handler into a gin
// engine with put. Each engine also has an application route, GET /hello.
func setup(put func(e *gin.Engine, h *middleware.Handler)) adaptertest.Setup {
	return func(h *middleware.Handler, o adaptertest.Options) adaptertest.App {
		e := gin.New()
		put(e, h)
		e.GET("/hello", func(c *gin.Context) { c.String(http.StatusOK, "hello from gin") })
		return adaptertest.NetHTTP(e, o)
	}
}

// markGroup is a group middleware that marks its responses with X-Group.
func markGroup(c *gin.Context) {
	c.Header("X-Group", "images")
	c.Next()
}

func TestAdapter(t *testing.T) {
	adaptertest.Run(t, adaptertest.Config{
		Setups: map[string]adaptertest.Setup{
			"Mount on a group": setup(func(e *gin.Engine, h *middleware.Handler) {
				imgcdngin.Mount(e.Group("/img", markGroup), h)
			}),
			"Mount on a parent group": setup(func(e *gin.Engine, h *middleware.Handler) {
				imgcdngin.Mount(e.Group("/", markGroup), h)
			}),
			"Mount on the engine": setup(func(e *gin.Engine, h *middleware.Handler) {
				imgcdngin.Mount(e, h)
			}),
			"Middleware": setup(func(e *gin.Engine, h *middleware.Handler) {
				e.Use(imgcdngin.Middleware(h))
			}),
		},
		Grouped:    []string{"Mount on a group", "Mount on a parent group"},
		Middleware: "Middleware",
		Cases: adaptertest.Routes("text/plain; charset=utf-8", "hello from gin", func(string) adaptertest.Case {
			return adaptertest.Case{Status: http.StatusNotFound, Body: "404 page not found"}
		}),
		Methods: func(h *middleware.Handler) adaptertest.App {
			e := gin.New()
			imgcdngin.Mount(e.Group("/img"), h)
			e.POST("/img/upload", func(c *gin.Context) { c.String(http.StatusCreated, "uploaded") })
			return adaptertest.NetHTTP(e, adaptertest.Options{})
		},
		OtherMethodStatus: http.StatusNotFound, // gin's 404
	})
}

func TestMountPanics(t *testing.T) {
	adaptertest.MountPanics(t, imgcdngin.Mount, map[string]adaptertest.MountPanic[imgcdngin.Router]{
		"other group":   {Prefix: "/img", Router: func() imgcdngin.Router { return gin.New().Group("/api") }},
		"deeper group":  {Prefix: "/img", Router: func() imgcdngin.Router { return gin.New().Group("/img/x") }},
		"partial name":  {Prefix: "/imgs", Router: func() imgcdngin.Router { return gin.New().Group("/img") }},
		"empty prefix":  {Prefix: "", Router: func() imgcdngin.Router { return gin.New() }},
		"route clashes": {Prefix: "/img", Router: func() imgcdngin.Router { e := gin.New(); e.GET("/img/*any", func(*gin.Context) {}); return e }},
	})
}
