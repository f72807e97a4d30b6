package main

import (
	"bytes"
	"context"
	"html"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServer checks the index page, whose every image must be served, a
// few transformations and errors, and the graceful shutdown of run.
func TestServer(t *testing.T) {
	base := startServer(t, config{addr: "127.0.0.1:0", prefix: "/img", cacheDir: t.TempDir()})

	page := get(t, base+"/", http.StatusOK)
	urls := regexp.MustCompile(`src="(/img/[^"]+)"`).FindAllStringSubmatch(string(page), -1)
	if len(urls) < 3*len(shows) {
		t.Fatalf("index page links %d images, want %d", len(urls), 3*len(shows))
	}
	if !bytes.Contains(page, []byte(`href="/gallery"`)) {
		t.Error("index page does not link the gallery")
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
}

// TestGallery checks the gallery page of the embedded images: it has the
// parts it promises (a full-width srcset, a grid with sizes, a <picture>
// with AVIF and WebP, both kinds of placeholder), and the server answers
// every URL in it with an image of the right type and size.
func TestGallery(t *testing.T) {
	base := startServer(t, config{addr: "127.0.0.1:0", prefix: "/img"})
	page := getPage(t, base+"/gallery")
	for _, want := range []string{
		`sizes="100vw"`,
		`sizes="(max-width: 600px) 100vw, 50vw"`,
		`<picture><source type="image/avif" srcset="`,
		`<source type="image/webp" srcset="`,
		`loading="lazy"`,
		`fetchpriority="high"`,
		`background-image:url(data:image/png;base64,`,
		`src="data:image/png;base64,`,
		`bl-3`,
		`href="/"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("gallery lacks %s", want)
		}
	}
	sizes := sourceSizes(t, images, "images")
	checkGalleryURLs(t, base, page, sizes)
}

// TestGalleryEscaping serves a folder whose file names need escaping in
// both HTML and URLs: the alt texts must come back intact from the HTML,
// and every URL must reach its image.
func TestGalleryEscaping(t *testing.T) {
	dir := t.TempDir()
	const name = `a "b" & <c> 50%?#.png`
	if err := os.MkdirAll(filepath.Join(dir, "sub dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{name, "sub dir/" + name} {
		copyFile(t, filepath.Join(dir, n), images, "images/badge.png")
	}
	base := startServer(t, config{addr: "127.0.0.1:0", prefix: "/img", dir: dir})
	page := getPage(t, base+"/gallery")
	if strings.Contains(page, "<c>") {
		t.Error("gallery writes <c> unescaped")
	}
	alts := regexp.MustCompile(`alt="([^"]*)"`).FindAllStringSubmatch(page, -1)
	if len(alts) == 0 {
		t.Fatal("gallery has no alt attributes")
	}
	wantAlt := altText(name)
	for _, a := range alts {
		if got := html.UnescapeString(a[1]); !strings.HasPrefix(got, wantAlt) {
			t.Errorf("alt attribute %q reads %q, want %q", a[1], got, wantAlt)
		}
	}
	checkGalleryURLs(t, base, page, sourceSizes(t, os.DirFS(dir), "."))
}

// TestGallerySigned checks that with a signing key, which makes the
// middleware refuse unsigned URLs, every URL of the gallery is signed and
// served.
func TestGallerySigned(t *testing.T) {
	base := startServer(t, config{addr: "127.0.0.1:0", prefix: "/img", signKey: "gallery-secret"})
	page := getPage(t, base+"/gallery")
	n := checkGalleryURLs(t, base, page, sourceSizes(t, images, "images"))
	if c := strings.Count(page, "ik-s="); c < n {
		t.Errorf("gallery has %d URLs but %d signatures", n, c)
	}
	get(t, base+"/img/tr:w-640,c-at_max/landscape.jpg", http.StatusUnauthorized)
}

// chromiumAccept is the Accept header Chromium sends for images.
const chromiumAccept = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"

// checkGalleryURLs fetches every image URL of the gallery page (src and
// srcset attributes, CSS url() values) and checks the responses: with
// Accept */*, a negotiated URL gives the source's own format (JPEG or PNG),
// decoded at the width of its srcset descriptor (but never wider than the
// source); f-avif and f-webp give AVIF and WebP. The smallest candidate of
// each srcset is also fetched as Chromium asks for it, and must be AVIF.
// sizes maps the source keys to their widths. It returns how many distinct
// URLs it checked.
func checkGalleryURLs(t *testing.T, base, page string, sizes map[string]int) int {
	t.Helper()
	type ref struct {
		width    int // from a w descriptor; 0 for others
		smallest bool
	}
	refs := map[string]ref{}
	for _, m := range regexp.MustCompile(`\ssrc="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		refs[html.UnescapeString(m[1])] = ref{}
	}
	for _, m := range regexp.MustCompile(`url\(([^)]*)\)`).FindAllStringSubmatch(page, -1) {
		refs[html.UnescapeString(m[1])] = ref{}
	}
	srcsets := regexp.MustCompile(`srcset="([^"]*)"`).FindAllStringSubmatch(page, -1)
	if len(srcsets) == 0 {
		t.Fatal("gallery has no srcset")
	}
	for _, m := range srcsets {
		cands, err := parseSrcset(html.UnescapeString(m[1]))
		if err != nil {
			// x descriptors (a fixed-width image): check the URLs only.
			for _, u := range regexp.MustCompile(`(\S+) \d+x`).FindAllStringSubmatch(html.UnescapeString(m[1]), -1) {
				refs[u[1]] = ref{}
			}
			continue
		}
		for i, c := range cands {
			refs[c.url] = ref{width: c.width, smallest: i == 0}
		}
	}
	checked := 0
	for u, r := range refs {
		if strings.HasPrefix(u, "data:") {
			if !strings.HasPrefix(u, "data:image/png;base64,") {
				t.Errorf("inline placeholder %.40s is not a PNG data URI", u)
			}
			continue
		}
		if !strings.HasPrefix(u, "/img/") {
			t.Errorf("image URL %s is not under /img/", u)
			continue
		}
		checked++
		status, ctype, body := fetch(t, base+u, "*/*")
		if status != http.StatusOK {
			t.Errorf("GET %s = %d", u, status)
			continue
		}
		switch {
		case negotiatedAs(u, "avif"):
			checkMagic(t, u, ctype, body, "image/avif")
		case negotiatedAs(u, "webp"):
			checkMagic(t, u, ctype, body, "image/webp")
		case negotiated(u):
			cfg, format, err := image.DecodeConfig(bytes.NewReader(body))
			if err != nil || ctype != "image/"+format {
				t.Errorf("GET %s (Accept */*): %s, %v", u, ctype, err)
				continue
			}
			if r.width > 0 {
				key, err := sourceKey(u)
				if err != nil {
					t.Error(err)
					continue
				}
				if want := min(r.width, sizes[key]); cfg.Width != want {
					t.Errorf("GET %s: %d px wide, want %d (%dw, source %d px)", u, cfg.Width, want, r.width, sizes[key])
				}
			}
			if r.smallest {
				status, ctype, body := fetch(t, base+u, chromiumAccept)
				if status != http.StatusOK {
					t.Errorf("GET %s (Chromium's Accept) = %d", u, status)
				}
				checkMagic(t, u, ctype, body, "image/avif")
			}
		default:
			t.Errorf("URL %s asks for a format the gallery does not use", u)
		}
	}
	if checked < 10 {
		t.Errorf("checked %d image URLs, want at least 10", checked)
	}
	return checked
}

// checkMagic checks that an image response has Content-Type want and
// starts as that format does.
func checkMagic(t *testing.T, u, ctype string, body []byte, want string) {
	t.Helper()
	ok := false
	switch want {
	case "image/avif":
		ok = len(body) > 12 && string(body[4:8]) == "ftyp" && (string(body[8:12]) == "avif" || string(body[8:12]) == "avis")
	case "image/webp":
		ok = len(body) > 12 && string(body[:4]) == "RIFF" && string(body[8:12]) == "WEBP"
	}
	if ctype != want || !ok {
		t.Errorf("GET %s: Content-Type %s, body starting %q; want %s", u, ctype, body[:min(len(body), 12)], want)
	}
}

// sourceKey returns the store key that an image URL under /img/ names:
// its unescaped path after the prefix and the tr: segment.
func sourceKey(ref string) (string, error) {
	u, err := url.Parse(ref)
	if err != nil {
		return "", err
	}
	p := strings.TrimPrefix(u.Path, "/img/")
	if first, rest, ok := strings.Cut(p, "/"); ok && strings.HasPrefix(first, "tr:") {
		p = rest
	}
	return p, nil
}

// sourceSizes returns the widths of the images under dir of fsys, by the
// store keys the server gives them.
func sourceSizes(t *testing.T, fsys fs.FS, dir string) map[string]int {
	t.Helper()
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		t.Fatal(err)
	}
	names, err := imageNames(sub)
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[string]int{}
	for _, n := range names {
		w, _, err := imageSize(sub, n)
		if err != nil {
			t.Fatal(err)
		}
		sizes[n] = w
	}
	return sizes
}

// copyFile copies the file name of fsys to dst.
func copyFile(t *testing.T, dst string, fsys fs.FS, name string) {
	t.Helper()
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// startServer runs the example server with c until the test ends, and
// returns its base URL.
func startServer(t *testing.T, c config) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, c, slog.New(slog.DiscardHandler), ready) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run after shutdown: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("server did not shut down")
		}
	})
	select {
	case addr := <-ready:
		return "http://" + addr
	case err := <-done:
		t.Fatalf("run: %v", err)
		return ""
	}
}

// getPage returns the HTML page at url, checking its status and type.
func getPage(t *testing.T, url string) string {
	t.Helper()
	status, ctype, body := fetch(t, url, "text/html")
	if status != http.StatusOK || ctype != "text/html; charset=utf-8" {
		t.Fatalf("GET %s = %d %s: %s", url, status, ctype, body)
	}
	return string(body)
}

// get GETs url, checks that the status is want and returns the body.
func get(t *testing.T, url string, want int) []byte {
	t.Helper()
	status, _, body := fetch(t, url, "")
	if status != want {
		t.Errorf("GET %s = %d, want %d", url, status, want)
	}
	return body
}

// fetch GETs url with the Accept header accept (none when "") and returns
// the response's status, Content-Type and body.
func fetch(t *testing.T, url, accept string) (status int, contentType string, body []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}
