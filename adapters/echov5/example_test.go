package imgcdnechov5_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"log"
	"net/http"
	"net/http/httptest"
	"testing/fstest"

	"github.com/labstack/echo/v5"

	imgcdnechov5 "github.com/imgcdn/imgcdn/adapters/echov5"
	"github.com/imgcdn/imgcdn/middleware"
	"github.com/imgcdn/imgcdn/store"
)

// sampleImages returns a store holding one opaque 640×480 PNG, cat.png. A
// server would use store.Dir or an embed.FS through store.FS.
func sampleImages() store.Store {
	img := image.NewNRGBA(image.Rect(0, 0, 640, 480))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		log.Fatal(err)
	}
	return store.FS(fstest.MapFS{"cat.png": {Data: b.Bytes()}})
}

// show prints the answer of e to a GET of target.
func show(e http.Handler, target string) {
	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(w.Body.Bytes())); err == nil {
		fmt.Println(target, w.Code, w.Header().Get("Content-Type"), cfg.Width, cfg.Height)
		return
	}
	fmt.Printf("%s %d %s\n", target, w.Code, bytes.TrimSpace(w.Body.Bytes()))
}

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
