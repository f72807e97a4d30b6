package main

import (
	"bytes"
	"context"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"testing"
	"time"
)

func TestServer(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	log := slog.New(slog.DiscardHandler)
	go func() {
		done <- run(ctx, config{addr: "127.0.0.1:0", prefix: "/img", cacheDir: t.TempDir()}, log, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("run: %v", err)
	}
	base := "http://" + addr

	page := get(t, base+"/", http.StatusOK)
	urls := regexp.MustCompile(`src="(/img/[^"]+)"`).FindAllStringSubmatch(string(page), -1)
	if len(urls) < 3*len(shows) {
		t.Fatalf("index page links %d images, want %d", len(urls), 3*len(shows))
	}
	for _, u := range urls {
		body := get(t, base+u[1], http.StatusOK)
		if _, _, err := image.DecodeConfig(bytes.NewReader(body)); err != nil {
			t.Errorf("GET %s: not an image: %v", u[1], err)
		}
	}
	body := get(t, base+"/img/tr:w-400,h-300/landscape.jpg", http.StatusOK)
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(body)); err != nil || cfg.Width != 400 || cfg.Height != 300 {
		t.Errorf("w-400,h-300 gave %dx%d, %v", cfg.Width, cfg.Height, err)
	}
	get(t, base+"/img/missing.jpg", http.StatusNotFound)
	get(t, base+"/img/tr:w-banana/landscape.jpg", http.StatusBadRequest)
	get(t, base+"/nothing-here", http.StatusNotFound)

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after shutdown: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not shut down")
	}
}

func get(t *testing.T, url string, want int) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	if resp.StatusCode != want {
		t.Errorf("GET %s = %d, want %d", url, resp.StatusCode, want)
	}
	return b
}
