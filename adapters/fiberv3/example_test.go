package imgcdnfiberv3_test

import (
	"log"
	"net/http/httptest"
	"time"

	"github.com/gofiber/fiber/v3"

	imgcdnfiberv3 "github.com/imgcdn/imgcdn/adapters/fiberv3"
	"github.com/imgcdn/imgcdn/internal/adaptertest"
	"github.com/imgcdn/imgcdn/middleware"
)

// sampleImages returns a store holding one opaque 640×480 PNG, cat.png. A
// server would use store.Dir or an embed.FS through store.FS.
var sampleImages = adaptertest.SampleImages

// show prints the answer of app to a GET of target.
func show(app *fiber.App, target string) {
	resp, err := app.Test(httptest.NewRequest("GET", target, nil), fiber.TestConfig{Timeout: 10 * time.Second})
	if err != nil {
		log.Fatal(err)
	}
	adaptertest.Print(target, resp)
}

// Mount serves the images from a route group, behind the group's own
// middleware.
func ExampleMount() {
	h, err := middleware.New(sampleImages()) // prefix "/img"
	if err != nil {
		log.Fatal(err)
	}
	app := fiber.New()
	images := app.Group("/img", func(c fiber.Ctx) error {
		c.Set("Access-Control-Allow-Origin", "*")
		return c.Next()
	})
	imgcdnfiberv3.Mount(images, h)
	app.Get("/", func(c fiber.Ctx) error { return c.SendString("home") })

	show(app, "/img/tr:w-320/cat.png")
	show(app, "/img/dog.png")
	show(app, "/")
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
	app := fiber.New()
	app.Use(imgcdnfiberv3.Middleware(h))
	app.Get("/", func(c fiber.Ctx) error { return c.SendString("home") })

	show(app, "/media/cat.png?tr=w-64,h-64")
	show(app, "/")
	show(app, "/img/cat.png")
	// Output:
	// /media/cat.png?tr=w-64,h-64 200 image/jpeg 64 64
	// / 200 home
	// /img/cat.png 404 Not Found
}
