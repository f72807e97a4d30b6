package imgcdnechov5_test

import (
	"log"
	"net/http"

	"github.com/labstack/echo/v5"

	imgcdnechov5 "github.com/imgcdn/imgcdn/adapters/echov5"
	"github.com/imgcdn/imgcdn/internal/adaptertest"
	"github.com/imgcdn/imgcdn/middleware"
)

// sampleImages returns a store holding one opaque 640×480 PNG, cat.png. A
// server would use store.Dir or an embed.FS through store.FS.
var sampleImages = adaptertest.SampleImages

// show prints the answer of an application to a GET of target.
var show = adaptertest.Show

// Mount serves the images from the route group of the Handler's prefix,
// behind the group's own middleware.
func ExampleMount() {
	h, err := middleware.New(sampleImages()) // prefix "/img"
	if err != nil {
		log.Fatal(err)
	}
	e := echo.New()
	images := e.Group(h.Prefix(), func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			c.Response().Header().Set("Access-Control-Allow-Origin", "*")
			return next(c)
		}
	})
	imgcdnechov5.Mount(images, h)
	e.GET("/", func(c *echo.Context) error { return c.String(http.StatusOK, "home") })

	show(e, "/img/tr:w-320/cat.png")
	show(e, "/img/dog.png")
	show(e, "/")
	// Output:
	// /img/tr:w-320/cat.png 200 image/jpeg 320 240
	// /img/dog.png 404 image not found
	// / 200 home
}

// Middleware serves the images before routing, and passes every other
// request on.
func ExampleMiddleware() {
	h, err := middleware.New(sampleImages(), middleware.WithPrefix("/media"))
	if err != nil {
		log.Fatal(err)
	}
	e := echo.New()
	e.Pre(imgcdnechov5.Middleware(h))
	e.GET("/", func(c *echo.Context) error { return c.String(http.StatusOK, "home") })

	show(e, "/media/cat.png?tr=w-64,h-64")
	show(e, "/")
	show(e, "/img/cat.png")
	// Output:
	// /media/cat.png?tr=w-64,h-64 200 image/jpeg 64 64
	// / 200 home
	// /img/cat.png 404 {"message":"Not Found"}
}
