package imgcdnfasthttp_test

import (
	"context"
	"log"
	"net"
	"net/http"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"

	imgcdnfasthttp "github.com/imgcdn/imgcdn/adapters/fasthttp"
	"github.com/imgcdn/imgcdn/internal/adaptertest"
	"github.com/imgcdn/imgcdn/middleware"
)

// sampleImages returns a store holding one opaque 640×480 PNG, cat.png. A
// server would use store.Dir or an embed.FS through store.FS.
var sampleImages = adaptertest.SampleImages

// show prints the answer of handler to a GET of target, through an
// in-memory connection.
func show(handler fasthttp.RequestHandler, target string) {
	ln := fasthttputil.NewInmemoryListener()
	defer ln.Close()
	go fasthttp.Serve(ln, handler)
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(context.Context, string, string) (net.Conn, error) { return ln.Dial() },
	}}
	resp, err := client.Get("http://example.com" + target)
	if err != nil {
		log.Fatal(err)
	}
	adaptertest.Print(target, resp)
}

// Handler serves the images under the Handler's prefix; the server's own
// handler serves the other paths.
func ExampleHandler() {
	h, err := middleware.New(sampleImages()) // prefix "/img"
	if err != nil {
		log.Fatal(err)
	}
	images := imgcdnfasthttp.Handler(h)
	serve := func(fctx *fasthttp.RequestCtx) {
		if h.Match(string(fctx.URI().PathOriginal())) {
			images(fctx)
			return
		}
		fctx.SetBodyString("home")
	}
	// A server would run fasthttp.ListenAndServe(":8080", serve).

	show(serve, "/img/tr:w-320/cat.png")
	show(serve, "/img/dog.png")
	show(serve, "/")
	// Output:
	// /img/tr:w-320/cat.png 200 image/jpeg 320 240
	// /img/dog.png 404 image not found
	// / 200 home
}
