// Command loadtest serves the same images three ways, for measuring the
// middleware with a load generator such as wrk on loopback:
//
//	/img/...    the middleware with its memory cache (cache hits)
//	/nocache/   the middleware with every cache off (each request transforms)
//	/plain      a plain net/http handler writing fixed bytes from memory,
//	            the floor any handler can reach
//
// go run ./loadtest -dir ../../shared/testdata/corpus -plain-url /img/tr:w-400/jpeg-photo-1920x1080.jpg
package main

import (
	"bytes"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"

	"github.com/imgcdn/imgcdn/middleware"
	"github.com/imgcdn/imgcdn/store"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "listen `address`")
	dir := flag.String("dir", ".", "image `folder`")
	plainURL := flag.String("plain-url", "/img/tr:w-400/jpeg-photo-1920x1080.jpg", "the cached `URL` whose bytes /plain writes")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(*addr, *dir, *plainURL); err != nil {
		log.Error("loadtest failed", "err", err)
		os.Exit(1)
	}
}

func run(addr, dir, plainURL string) error {
	src, err := store.Dir(dir)
	if err != nil {
		return err
	}
	cached, err := middleware.New(src, middleware.WithPrefix("/img"))
	if err != nil {
		return err
	}
	uncached, err := middleware.New(src, middleware.WithPrefix("/nocache"), middleware.WithMemoryCache(0))
	if err != nil {
		return err
	}
	// The bytes of one response, for the plain handler.
	rec := httptest.NewRecorder()
	cached.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, plainURL, nil))
	body, ctype := rec.Body.Bytes(), rec.Header().Get("Content-Type")
	mux := http.NewServeMux()
	mux.Handle("/img/", cached)
	mux.Handle("/nocache/", uncached)
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = io.Copy(w, bytes.NewReader(body))
	})
	return http.ListenAndServe(addr, mux)
}
