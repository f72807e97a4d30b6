package imgcdngin_test

import (
	"log"
	"net/http"

	"github.com/gin-gonic/gin"

	imgcdngin "github.com/imgcdn/imgcdn/adapters/gin"
	"github.com/imgcdn/imgcdn/internal/adaptertest"
	"github.com/imgcdn/imgcdn/middleware"
)

// sampleImages returns a store holding one opaque 640×480 PNG, cat.png. A
// server would use store.Dir or an embed.FS through store.FS.
var sampleImages = adaptertest.SampleImages

// show prints the answer of an application to a GET of target.
var show = adaptertest.Show

// Mount serves the images from a route group, behind the group's own
// middleware.
func ExampleMount() {
	h, err := middleware.New(sampleImages()) // prefix "/img"
	if err != nil {
		log.Fatal(err)
	}
	r := gin.New()
	images := r.Group("/img", func(c *gin.Context) {
		c.Header("Access-Control-Allow-Origin", "*")
		c.Next()
	})
	imgcdngin.Mount(images, h)
	r.GET("/", func(c *gin.Context) { c.String(http.StatusOK, "home") })

	show(r, "/img/tr:w-320/cat.png")
	show(r, "/img/dog.png")
	show(r, "/")
	// Output:
	// /img/tr:w-320/cat.png 200 image/jpeg 320 240
	// /img/dog.png 404 image not found
	// / 200 home
}

// Middleware serves the images before any route, and passes every other
// request on.
func ExampleMiddleware() {
	h, err := middleware.New(sampleImages(), middleware.WithPrefix("/media"))
	if err != nil {
		log.Fatal(err)
	}
	r := gin.New()
	r.Use(imgcdngin.Middleware(h)) // before the routes
	r.GET("/", func(c *gin.Context) { c.String(http.StatusOK, "home") })

	show(r, "/media/cat.png?tr=w-64,h-64")
	show(r, "/")
	show(r, "/img/cat.png")
	// Output:
	// /media/cat.png?tr=w-64,h-64 200 image/jpeg 64 64
	// / 200 home
	// /img/cat.png 404 404 page not found
}
