package adaptertest

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // decode the answers of the examples
	"image/png"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing/fstest"

	"github.com/imgcdn/imgcdn/store"
)

// SampleImages returns a store holding one opaque 640×480 PNG, cat.png,
// for the adapters' examples (which need no corpus).
func SampleImages() store.Store {
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

// Show prints the answer of h to a GET of target, as [Print] does.
func Show(h http.Handler, target string) {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
	Print(target, w.Result())
}

// Print prints the response to a GET of target, for an example's output:
// the status, and the Content-Type and size of an image, or else the body.
func Print(target string, resp *http.Response) {
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		log.Fatal(err)
	}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(body)); err == nil {
		fmt.Println(target, resp.StatusCode, resp.Header.Get("Content-Type"), cfg.Width, cfg.Height)
		return
	}
	fmt.Printf("%s %d %s\n", target, resp.StatusCode, bytes.TrimSpace(body))
}
