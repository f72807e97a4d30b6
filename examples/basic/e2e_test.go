package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The browser the end-to-end test emulates: a phone-sized viewport at
// device pixel ratio 2, so a full-width image needs 800 device pixels.
const (
	viewportWidth  = 400
	viewportHeight = 800
	viewportScale  = 2
)

// browserTimeout bounds everything the end-to-end test does with the
// browser, from starting it to the screenshot.
const browserTimeout = 60 * time.Second

// TestGalleryInChromium loads the gallery page in headless Chromium at a
// 400 px wide viewport with DPR 2 and checks what a real browser makes of
// the markup urlgen writes: it picks the srcset candidate near 800 px for
// the full-width image and nothing larger, it is served AVIF for every
// negotiated (f-auto) request since it lists image/avif in Accept, and
// every <img> decodes. A full-page screenshot is written to
// $IMGCDN_ARTIFACTS (or a temporary folder) and checked not to be blank.
//
// It needs a Chromium (or Chrome) binary: $IMGCDN_CHROMIUM, else chromium,
// chromium-browser, google-chrome or google-chrome-stable on $PATH. Without
// one the test is skipped with a loud message, except under CI=true, where
// it fails.
func TestGalleryInChromium(t *testing.T) {
	exe, err := chromiumPath()
	if err != nil {
		unavailable(t, "no Chromium found (%v); install Debian's chromium package or set IMGCDN_CHROMIUM", err)
	}

	rec := &recorder{prefix: "/img"}
	h, _, err := newServer(config{prefix: "/img"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rec.wrap(h)) // on 127.0.0.1:0
	t.Cleanup(srv.Close)

	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	t.Cleanup(cancel)
	var output lockedBuffer
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.WindowSize(viewportWidth, viewportHeight),
		// The machine's network is closed: no background fetches, no
		// updates, no QUIC, nothing but the page under test.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("disable-breakpad", true),
		chromedp.CombinedOutput(&output),
		chromedp.ModifyCmdFunc(browserCmd),
	)
	// Cleanups run last first: the browser is closed over the protocol,
	// then killed by the allocator, which waits for it to exit, and then
	// any of its helper processes still alive are killed too.
	var browserPID int
	t.Cleanup(func() {
		if err := killBrowserGroup(browserPID, 10*time.Second); err != nil {
			t.Errorf("stopping the browser: %v", err)
		}
	})
	t.Cleanup(cancelAlloc)
	browser, closeBrowser := chromedp.NewContext(allocCtx,
		chromedp.WithErrorf(output.printf), chromedp.WithLogf(output.printf))
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("browser output:\n%s", output.String())
		}
	})
	t.Cleanup(closeBrowser)

	start := time.Now()
	if err := chromedp.Run(browser); err != nil {
		unavailable(t, "Chromium at %s did not start: %v\n%s", exe, err, output.String())
	}
	if p := chromedp.FromContext(browser).Browser.Process(); p != nil {
		browserPID = p.Pid
	}
	t.Logf("Chromium %s started in %v", exe, time.Since(start).Round(time.Millisecond))

	// The viewport is set before navigating, so the browser chooses
	// srcset candidates once, for the emulated screen.
	var env struct {
		InnerWidth int     `json:"innerWidth"`
		DPR        float64 `json:"dpr"`
		Hero       string  `json:"hero"`
		Srcset     string  `json:"srcset"`
		Sizes      string  `json:"sizes"`
	}
	err = chromedp.Run(browser,
		chromedp.EmulateViewport(viewportWidth, viewportHeight, chromedp.EmulateScale(viewportScale)),
		chromedp.Navigate(srv.URL+"/gallery"),
		chromedp.WaitVisible(`img.hero`, chromedp.ByQuery),
		chromedp.Evaluate(`(async () => {
			const hero = document.querySelector("img.hero");
			await hero.decode();
			return {innerWidth: window.innerWidth, dpr: window.devicePixelRatio,
				hero: hero.currentSrc, srcset: hero.getAttribute("srcset"), sizes: hero.getAttribute("sizes")};
		})()`, &env, awaitPromise),
	)
	if err != nil {
		t.Fatalf("loading the gallery: %v", err)
	}
	if env.InnerWidth != viewportWidth || env.DPR != viewportScale {
		t.Fatalf("viewport is %d px at DPR %v, want %d px at DPR %d", env.InnerWidth, env.DPR, viewportWidth, viewportScale)
	}

	// Every <img> is scrolled into view in turn, so lazy images load, and
	// must decode; once loaded, none keeps its placeholder background.
	var imgs []struct {
		Src          string `json:"src"`
		Complete     bool   `json:"complete"`
		NaturalWidth int    `json:"naturalWidth"`
		Error        string `json:"error"`
		InPicture    bool   `json:"inPicture"`
	}
	err = chromedp.Run(browser, chromedp.Evaluate(`(async () => {
		const out = [];
		for (const img of document.images) {
			img.scrollIntoView({block: "center"});
			let error = "";
			try { await img.decode(); } catch (e) { error = String(e); }
			out.push({src: img.currentSrc, complete: img.complete, naturalWidth: img.naturalWidth, error,
				inPicture: img.parentElement.tagName === "PICTURE"});
		}
		window.scrollTo(0, 0);
		return out;
	})()`, &imgs, awaitPromise))
	if err != nil {
		t.Fatalf("loading the images: %v", err)
	}
	if len(imgs) < 4 {
		t.Errorf("the gallery has %d images, want at least 4", len(imgs))
	}
	pictures := 0
	for _, img := range imgs {
		if !img.Complete || img.NaturalWidth <= 0 || img.Error != "" {
			t.Errorf("image %.120s did not decode: complete=%v naturalWidth=%d %s", img.Src, img.Complete, img.NaturalWidth, img.Error)
		}
		if img.InPicture {
			// Chromium takes the first <source> whose type it supports.
			pictures++
			if !negotiatedAs(img.Src, "avif") {
				t.Errorf("<picture> shows %s, want its AVIF source", img.Src)
			}
		}
	}
	if pictures == 0 {
		t.Error("the gallery has no <picture>")
	}
	// The page's load handler removes each placeholder background once its
	// image has loaded; it runs in a task of its own, so wait for it.
	const placeholders = `Array.from(document.images).filter(i => getComputedStyle(i).backgroundImage !== "none").map(i => i.currentSrc)`
	if err := chromedp.Run(browser, chromedp.Poll(placeholders+`.length === 0`, nil, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		var left []string
		chromedp.Run(browser, chromedp.Evaluate(placeholders, &left))
		t.Errorf("images still show their placeholders (%v): %v", err, left)
	}

	// A full-page screenshot, kept as an artifact, taken before the checks
	// below so that it is there when they fail.
	var shot []byte
	if err := chromedp.Run(browser, chromedp.FullScreenshot(&shot, 100)); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	dir := os.Getenv("IMGCDN_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, fmt.Sprintf("gallery-%dx%d@%dx.png", viewportWidth, viewportHeight, viewportScale))
	if err := os.WriteFile(file, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", file, len(shot))
	checkScreenshot(t, shot)

	// The full-width image (sizes 100vw) needs 400 × 2 = 800 device pixels:
	// the browser must take the candidate nearest 800 px, never a larger one.
	if env.Sizes != "100vw" {
		t.Errorf("hero sizes = %q, want 100vw", env.Sizes)
	}
	cands, err := parseSrcset(env.Srcset)
	if err != nil || len(cands) < 3 {
		t.Fatalf("hero srcset %q: %d candidates, %v", env.Srcset, len(cands), err)
	}
	need := viewportWidth * viewportScale
	below, atLeast := neighbours(cands, need)
	if atLeast == 0 {
		t.Fatalf("hero srcset %q has no candidate of %d px or more", env.Srcset, need)
	}
	widthOf := make(map[string]int, len(cands))
	for _, c := range cands {
		widthOf[requestURI(srv.URL, c.url)] = c.width
	}
	chosen, ok := widthOf[requestURI(srv.URL, env.Hero)]
	if !ok {
		t.Fatalf("hero currentSrc %s is not in its srcset %q", env.Hero, env.Srcset)
	}
	if chosen != atLeast && chosen != below {
		t.Errorf("hero: browser chose the %d w candidate, want %d w (or %d w just below)", chosen, atLeast, below)
	}
	t.Logf("hero: %d px needed; candidates %v; browser chose %d w", need, widths(cands), chosen)

	reqs := rec.requests()
	var heroReqs []int
	for _, r := range reqs {
		if w, ok := widthOf[r.uri]; ok {
			heroReqs = append(heroReqs, w)
			if w > atLeast {
				t.Errorf("browser requested the %d w hero candidate, larger than the %d w it needs", w, atLeast)
			}
		}
	}
	if len(heroReqs) == 0 {
		t.Errorf("the server saw no request for a hero candidate; requests: %v", reqs)
	}

	// Chromium lists image/avif in Accept, so every negotiated response
	// is AVIF; the <picture>'s AVIF source is AVIF too.
	avif := 0
	for _, r := range reqs {
		if r.status != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", r.uri, r.status)
			continue
		}
		if !strings.Contains(r.accept, "image/avif") {
			t.Errorf("GET %s: Accept %q does not list image/avif", r.uri, r.accept)
		}
		if r.contentType == "image/avif" {
			avif++
		} else if negotiated(r.uri) {
			t.Errorf("GET %s (f-auto) answered %s, want image/avif", r.uri, r.contentType)
		}
	}
	if avif == 0 {
		t.Errorf("no AVIF response among %d image requests", len(reqs))
	}
	t.Logf("%d image requests, %d answered with AVIF:", len(reqs), avif)
	for _, r := range reqs {
		t.Logf("  %s", r)
	}

	t.Logf("browser test took %v", time.Since(start).Round(time.Millisecond))
}

// awaitPromise makes Evaluate wait for the promise the expression returns.
var awaitPromise = chromedp.EvaluateOption(func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
	return p.WithAwaitPromise(true)
})

// checkScreenshot fails t unless shot is a PNG as wide as the viewport in
// device pixels with enough distinct colours to be a rendered page rather
// than a blank one.
func checkScreenshot(t *testing.T, shot []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != viewportWidth*viewportScale || b.Dy() < viewportHeight*viewportScale {
		t.Errorf("screenshot is %dx%d, want %d wide and at least %d high",
			b.Dx(), b.Dy(), viewportWidth*viewportScale, viewportHeight*viewportScale)
	}
	if n := distinctColours(img, 1000); n < 1000 {
		t.Errorf("screenshot has only %d distinct colours: blank or broken page", n)
	}
}

// distinctColours counts the distinct colours of img, stopping at limit.
func distinctColours(img image.Image, limit int) int {
	seen := make(map[[4]uint32]struct{})
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = struct{}{}
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}

// chromiumPath returns the browser to drive: $IMGCDN_CHROMIUM, else the
// first of the usual Chromium and Chrome names found on $PATH.
func chromiumPath() (string, error) {
	if p := os.Getenv("IMGCDN_CHROMIUM"); p != "" {
		return exec.LookPath(p)
	}
	names := []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("none of %s on $PATH", strings.Join(names, ", "))
}

// unavailable ends the test when no browser can run: a loud skip on a
// developer's machine, a failure under CI=true, where the browser is part
// of the test environment.
func unavailable(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true and the browser test cannot run: %s", msg)
	}
	t.Skipf("\n\n*** SKIPPING THE BROWSER TEST: %s ***\n\n", msg)
}

// A candidate is one image candidate of a srcset with a width descriptor.
type candidate struct {
	url   string
	width int
}

// parseSrcset parses a srcset attribute whose candidates all have width
// descriptors, as the HTML standard splits it: a URL runs to the next
// whitespace (so it may contain commas), and its descriptors to the next
// comma.
func parseSrcset(s string) ([]candidate, error) {
	var out []candidate
	for {
		s = strings.TrimLeft(s, " \t\n\r\f,")
		if s == "" {
			return out, nil
		}
		end := strings.IndexAny(s, " \t\n\r\f")
		if end < 0 {
			end = len(s)
		}
		u := s[:end]
		s = s[end:]
		desc := ""
		if strings.HasSuffix(u, ",") {
			u = strings.TrimRight(u, ",")
		} else {
			desc, s, _ = strings.Cut(s, ",")
		}
		d := strings.TrimSpace(desc)
		w, err := strconv.Atoi(strings.TrimSuffix(d, "w"))
		if !strings.HasSuffix(d, "w") || err != nil || w <= 0 {
			return nil, fmt.Errorf("candidate %s: descriptor %q is not a width", u, d)
		}
		out = append(out, candidate{u, w})
	}
}

// neighbours returns the widest candidate narrower than need and the
// narrowest one at least need wide; 0 where there is none.
func neighbours(cands []candidate, need int) (below, atLeast int) {
	for _, c := range cands {
		if c.width < need && c.width > below {
			below = c.width
		}
		if c.width >= need && (atLeast == 0 || c.width < atLeast) {
			atLeast = c.width
		}
	}
	return below, atLeast
}

// widths lists the candidates' widths in increasing order.
func widths(cands []candidate) []int {
	var ws []int
	for _, c := range cands {
		ws = append(ws, c.width)
	}
	slices.Sort(ws)
	return ws
}

// requestURI returns the request URI (path and query) that ref, relative
// to base or absolute, asks a server for; "" when it is not a URL.
func requestURI(base, ref string) string {
	b, err := url.Parse(base)
	if err != nil {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	return b.ResolveReference(r).RequestURI()
}

// negotiated reports whether the image URI leaves the format to content
// negotiation: no f- step, or f-auto.
func negotiated(uri string) bool {
	return negotiatedAs(uri, "auto")
}

// negotiatedAs reports whether the last f- parameter of the image URI's
// transformation (in a tr: path segment or the tr query parameter) names
// format, where "auto" also stands for no f- at all.
func negotiatedAs(uri, format string) bool {
	u, err := url.Parse(uri)
	if err != nil {
		return false
	}
	var tr []string
	for _, seg := range strings.Split(u.Path, "/") {
		if rest, ok := strings.CutPrefix(seg, "tr:"); ok {
			tr = append(tr, rest)
		}
	}
	tr = append(tr, u.Query().Get("tr"))
	f := "auto"
	for _, step := range strings.FieldsFunc(strings.Join(tr, ":"), func(r rune) bool { return r == ':' || r == ',' }) {
		if v, ok := strings.CutPrefix(step, "f-"); ok {
			f = v
		}
	}
	return f == format
}

// A recorder wraps the site's handler and records every image request
// the browser makes, with its Accept header and the response's status
// and Content-Type.
type recorder struct {
	prefix string
	mu     sync.Mutex
	reqs   []imageRequest
}

// An imageRequest is one request under the image prefix.
type imageRequest struct {
	uri, accept, contentType string
	status                   int
}

// String describes the request and its response, for logs.
func (r imageRequest) String() string {
	return fmt.Sprintf("%s → %d %s", r.uri, r.status, r.contentType)
}

// wrap returns h, recording the requests under r.prefix.
func (r *recorder) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if !strings.HasPrefix(req.URL.Path, r.prefix+"/") {
			h.ServeHTTP(w, req)
			return
		}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, req)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.reqs = append(r.reqs, imageRequest{
			uri:         req.URL.RequestURI(),
			accept:      req.Header.Get("Accept"),
			contentType: w.Header().Get("Content-Type"),
			status:      sw.status,
		})
	})
}

// requests returns the requests recorded so far.
func (r *recorder) requests() []imageRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.reqs)
}

// statusWriter remembers the status code written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

// WriteHeader records the first status code written and passes it on.
func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// lockedBuffer collects the browser's output and chromedp's messages,
// which arrive from several goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p to the buffer.
func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// printf appends a formatted line, for chromedp's log functions.
func (b *lockedBuffer) printf(format string, args ...any) {
	fmt.Fprintf(b, format+"\n", args...)
}

// String returns what the buffer holds.
func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
