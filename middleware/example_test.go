package middleware_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"net/http"
	"net/http/httptest"
	"testing/fstest"

	"github.com/imgcdn/imgcdn/middleware"
	"github.com/imgcdn/imgcdn/store"
)

// images returns a store holding one opaque 640×480 PNG, photos/cat.png
// (served as JPEG by f-auto, since it has no transparency). A server
// would use store.Dir, store.HTTP or an embed.FS.
func images() store.Store {
	img := image.NewNRGBA(image.Rect(0, 0, 640, 480))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	img.SetNRGBA(10, 10, color.NRGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		log.Fatal(err)
	}
	return store.FS(fstest.MapFS{"photos/cat.png": {Data: b.Bytes()}})
}

func ExampleNew() {
	h, err := middleware.New(images(),
		middleware.WithNamedTransformations(map[string]string{"thumb": "w-120,h-120"}),
		middleware.WithCacheControl("public, max-age=3600"),
	)
	if err != nil {
		log.Fatal(err)
	}
	for _, target := range []string{
		"/img/tr:w-320/photos/cat.png",
		"/img/photos/cat.png?tr=w-100,h-100,f-jpg",
		"/img/tr:n-thumb:rt-90/photos/cat.png",
		"/img/tr:w-320,q-101/photos/cat.png",
		"/img/photos/dog.png",
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
		if w.Code != http.StatusOK {
			fmt.Printf("%d %s", w.Code, w.Body)
			continue
		}
		cfg, _, err := image.DecodeConfig(w.Body)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(w.Code, w.Header().Get("Content-Type"), cfg.Width, cfg.Height)
	}
	// Output:
	// 200 image/jpeg 320 240
	// 200 image/jpeg 100 100
	// 200 image/jpeg 120 120
	// 400 "q-101": invalid value: out of range (allowed: 1-100)
	// 404 image not found
}

func ExampleHandler_Wrap() {
	h, err := middleware.New(images(), middleware.WithPrefix("/static/img"))
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "the application")
	})
	// Requests under /static/img/ are images; everything else goes to mux.
	site := h.Wrap(mux)

	for _, target := range []string{"/static/img/tr:w-64/photos/cat.png", "/about"} {
		w := httptest.NewRecorder()
		site.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
		fmt.Println(target, w.Code, w.Header().Get("Content-Type"))
	}
	// Output:
	// /static/img/tr:w-64/photos/cat.png 200 image/jpeg
	// /about 200 text/plain; charset=utf-8
}
