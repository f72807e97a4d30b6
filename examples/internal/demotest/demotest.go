// Package demotest checks a framework example: it runs the server, checks
// its index page, an image through the imgcdn handler, a missing image,
// and a path that is neither, and shuts it down.
package demotest

import (
	"bytes"
	"context"
	"image"
	_ "image/jpeg" // decode the examples' answers
	_ "image/png"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/examples/internal/demo"
)

// Check fetches the pages of the example server at base (such as
// "http://127.0.0.1:1234") and reports what is wrong on t.
func Check(t *testing.T, base string) {
	t.Helper()
	page, resp := get(t, base+"/")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET / = %d %s, want an HTML page", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	srcs := regexp.MustCompile(`src="(/img/tr:[^"]+)"`).FindAllStringSubmatch(string(page), -1)
	if len(srcs) == 0 {
		t.Fatalf("the index page shows no image:\n%s", page)
	}
	body, resp := get(t, base+srcs[0][1])
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d %q", srcs[0][1], resp.StatusCode, body)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("GET %s: not an image: %v", srcs[0][1], err)
	}
	if cfg.Width != 300 || "image/"+format != resp.Header.Get("Content-Type") {
		t.Errorf("GET %s: %s %d×%d served as %s, want 300 px wide and a matching Content-Type", srcs[0][1], format, cfg.Width, cfg.Height, resp.Header.Get("Content-Type"))
	}
	if _, resp := get(t, base+"/img/tr:w-100/missing.jpg"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /img/tr:w-100/missing.jpg = %d, want 404", resp.StatusCode)
	}
	if _, resp := get(t, base+"/nothing-here"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /nothing-here = %d, want the framework's 404", resp.StatusCode)
	}
}

func get(t *testing.T, url string) ([]byte, *http.Response) {
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
	return b, resp
}

// Server runs run, an example's server, on a free loopback port with the
// embedded samples, checks it ([Check]), then cancels its context and
// checks that it shuts down cleanly within 15 s.
func Server(t *testing.T, run demo.RunFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, "127.0.0.1:0", "", slog.New(slog.DiscardHandler), ready) }()
	select {
	case addr := <-ready:
		Check(t, "http://"+addr)
	case err := <-done:
		t.Fatalf("run: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after shutdown: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the server did not shut down")
	}
}
