package middleware

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/imgcdn/imgcdn/internal/codec"
	"github.com/imgcdn/imgcdn/internal/testcorpus"
	"github.com/imgcdn/imgcdn/pipeline"
)

// The Accept headers of real browsers.
const (
	acceptChromium = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"
	acceptSafari   = "image/webp,*/*"
	acceptAny      = "*/*"
)

func TestAutoChoices(t *testing.T) {
	A, W := pipeline.FormatAVIF, pipeline.FormatWebP
	c := autoChoices([]pipeline.Format{A, W})
	want := []autoChoice{{nil, ""}, {[]pipeline.Format{A}, "avif"}, {[]pipeline.Format{W}, "webp"}, {[]pipeline.Format{A, W}, "avif-webp"}}
	if len(c) != len(want) {
		t.Fatalf("%d choices, want %d", len(c), len(want))
	}
	for set, w := range want {
		if c[set].key != w.key || !slices.Equal(c[set].formats, w.formats) {
			t.Errorf("set %b: %v %q, want %v %q", set, c[set].formats, c[set].key, w.formats, w.key)
		}
	}
}

func TestNegotiate(t *testing.T) {
	all := func(pipeline.Format) bool { return true }
	none := func(f pipeline.Format) bool { return f != pipeline.FormatAVIF && f != pipeline.FormatWebP }
	noAVIF := func(f pipeline.Format) bool { return f != pipeline.FormatAVIF }
	avifWebP := []pipeline.Format{pipeline.FormatAVIF, pipeline.FormatWebP}
	webpAVIF := []pipeline.Format{pipeline.FormatWebP, pipeline.FormatAVIF}
	A, W := pipeline.FormatAVIF, pipeline.FormatWebP
	tests := map[string]struct {
		accept  string
		offered []pipeline.Format
		enc     func(pipeline.Format) bool
		want    []pipeline.Format
		varies  bool
	}{
		"none encodable":     {"image/avif,image/webp", avifWebP, none, nil, false},
		"none offered":       {"image/avif,image/webp", nil, all, nil, false},
		"server order wins":  {"image/webp,image/avif", avifWebP, all, []pipeline.Format{A, W}, true},
		"webp preferred":     {acceptChromium, webpAVIF, all, []pipeline.Format{W, A}, true},
		"avif off":           {acceptChromium, []pipeline.Format{W}, all, []pipeline.Format{W}, true},
		"avif refused":       {"image/avif;q=0,image/webp", avifWebP, all, []pipeline.Format{W}, true},
		"avif q=0.0":         {"image/avif; q=0.0 ,image/webp;q=0.1", avifWebP, all, []pipeline.Format{W}, true},
		"avif not encodable": {"image/avif,image/webp", avifWebP, noAVIF, []pipeline.Format{W}, true},
		"wildcards":          {"image/*,*/*", avifWebP, all, nil, true},
		"empty":              {"", avifWebP, all, nil, true},
		"chromium":           {acceptChromium, avifWebP, all, []pipeline.Format{A, W}, true},
		"safari":             {acceptSafari, avifWebP, all, []pipeline.Format{W}, true},
		"safari 15":          {"image/webp,image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5", avifWebP, all, []pipeline.Format{W}, true},
		"bad q":              {"image/webp;q=abc", avifWebP, all, []pipeline.Format{W}, true},
		"other parameter":    {"image/webp;level=1", avifWebP, all, []pipeline.Format{W}, true},
		"prefix only":        {"image/webpx", avifWebP, all, nil, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			set, varies := negotiate(tc.accept, tc.offered, tc.enc)
			got := autoChoices(tc.offered)[set].formats
			if !slices.Equal(got, tc.want) || varies != tc.varies {
				t.Errorf("negotiate(%q) = %v, %v; want %v, %v", tc.accept, got, varies, tc.want, tc.varies)
			}
		})
	}
}

// decodeBody decodes a response body with the codec and returns its
// format and size, failing the test when it does not decode.
func decodeBody(t *testing.T, b []byte) (codec.Format, int, int) {
	t.Helper()
	img, err := codec.Decode(context.Background(), b, codec.Limits{}, codec.DecodeHint{})
	if err != nil {
		t.Fatalf("response does not decode (%d bytes): %v", len(b), err)
	}
	r := img.Pixels.Bounds()
	return img.Header.Format, r.Dx(), r.Dy()
}

// TestAutoFormatOverHTTP runs the real pipeline: each browser gets the
// best format it takes, every response to f-auto varies on Accept, and
// the cache keeps one result per format.
func TestAutoFormatOverHTTP(t *testing.T) {
	s := newFakeStore()
	s.set("photo.jpg", testcorpus.Read(t, "jpeg-photo-1920x1080.jpg"))
	s.set("alpha.png", testcorpus.Read(t, "png-rgba-320x240.png"))
	s.set("anim.gif", testcorpus.Read(t, "gif-animated-80x80.gif"))
	h := newTestHandler(t, s, WithAVIFWarmUp(false))
	runs := countProcess(h)

	tests := []struct {
		name, target, accept string
		ctype                string
		format               codec.Format
		w, h                 int
		vary                 bool
	}{
		{"chromium photo", "/img/tr:w-200/photo.jpg", acceptChromium, "image/avif", codec.AVIF, 200, 113, true},
		{"safari photo", "/img/tr:w-200/photo.jpg", acceptSafari, "image/webp", codec.WebP, 200, 113, true},
		{"any photo", "/img/tr:w-200/photo.jpg", acceptAny, "image/jpeg", codec.JPEG, 200, 113, true},
		{"no accept photo", "/img/tr:w-200/photo.jpg", "", "image/jpeg", codec.JPEG, 200, 113, true},
		{"any alpha", "/img/tr:w-100/alpha.png", acceptAny, "image/png", codec.PNG, 100, 75, true},
		{"chromium alpha", "/img/tr:w-100/alpha.png", acceptChromium, "image/avif", codec.AVIF, 100, 75, true},
		{"chromium animation", "/img/tr:w-40/anim.gif", acceptChromium, "image/webp", codec.WebP, 40, 40, true},
		{"any animation", "/img/tr:w-40/anim.gif", acceptAny, "image/gif", codec.GIF, 40, 40, true},
		{"explicit jpg", "/img/tr:w-200,f-jpg/photo.jpg", acceptChromium, "image/jpeg", codec.JPEG, 200, 113, false},
		{"explicit webp", "/img/tr:w-200,f-webp/photo.jpg", acceptAny, "image/webp", codec.WebP, 200, 113, false},
		{"explicit avif", "/img/tr:w-200,f-avif/photo.jpg", acceptAny, "image/avif", codec.AVIF, 200, 113, false},
		{"explicit png", "/img/tr:w-200,f-png/photo.jpg", acceptChromium, "image/png", codec.PNG, 200, 113, false},
	}
	bodies := map[string][]byte{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := get(t, h, tc.target, "Accept", tc.accept)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, text(w))
			}
			if ct := w.Header().Get("Content-Type"); ct != tc.ctype {
				t.Errorf("Content-Type = %q, want %q", ct, tc.ctype)
			}
			if got := w.Header().Get("Vary") == "Accept"; got != tc.vary {
				t.Errorf("Vary = %q, want Accept: %v", w.Header().Get("Vary"), tc.vary)
			}
			f, dw, dh := decodeBody(t, w.Body.Bytes())
			if f != tc.format || dw != tc.w || dh != tc.h {
				t.Errorf("body is %v %dx%d, want %v %dx%d", f, dw, dh, tc.format, tc.w, tc.h)
			}
			bodies[tc.name] = bytes.Clone(w.Body.Bytes())
		})
	}
	n := runs.Load()
	if n != int64(len(tests))-1 { // "no accept" shares the "any" result
		t.Errorf("%d pipeline runs for %d requests, want %d", n, len(tests), len(tests)-1)
	}
	// Again, in another order: every client gets its own result from the
	// cache, with no new work.
	for i := len(tests) - 1; i >= 0; i-- {
		tc := tests[i]
		w := get(t, h, tc.target, "Accept", tc.accept)
		if ct := w.Header().Get("Content-Type"); ct != tc.ctype || !bytes.Equal(w.Body.Bytes(), bodies[tc.name]) {
			t.Errorf("%s again: %q, %d bytes; want the first response (%q, %d bytes)", tc.name, ct, w.Body.Len(), tc.ctype, len(bodies[tc.name]))
		}
	}
	if runs.Load() != n {
		t.Errorf("cached results were transformed again: %d runs, want %d", runs.Load(), n)
	}
}

func TestAutoFormatOptions(t *testing.T) {
	s := newFakeStore()
	s.set("photo.jpg", testcorpus.Read(t, "jpeg-photo-1920x1080.jpg"))
	tests := []struct {
		name  string
		opts  []Option
		ctype string
		vary  bool
	}{
		{"avif off", []Option{WithAutoFormats(pipeline.FormatWebP)}, "image/webp", true},
		{"webp first", []Option{WithAutoFormats(pipeline.FormatWebP, pipeline.FormatAVIF)}, "image/webp", true},
		{"none offered", []Option{WithAutoFormats()}, "image/jpeg", false},
		{"avif cap below source", []Option{WithAVIFMaxSourcePixels(1920*1080 - 1)}, "image/webp", true},
		{"avif cap at source", []Option{WithAVIFMaxSourcePixels(1920 * 1080)}, "image/avif", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newTestHandler(t, s, append([]Option{WithAVIFWarmUp(false)}, tc.opts...)...)
			w := get(t, h, "/img/tr:w-120/photo.jpg", "Accept", acceptChromium)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, text(w))
			}
			if ct := w.Header().Get("Content-Type"); ct != tc.ctype {
				t.Errorf("Content-Type = %q, want %q", ct, tc.ctype)
			}
			if got := w.Header().Get("Vary") == "Accept"; got != tc.vary {
				t.Errorf("Vary = %q, want Accept: %v", w.Header().Get("Vary"), tc.vary)
			}
			decodeBody(t, w.Body.Bytes())
		})
	}
	for _, bad := range []Option{WithAutoFormats(pipeline.FormatJPEG), WithAutoFormats(pipeline.FormatWebP, pipeline.FormatWebP), WithAVIFSpeed(0), WithAVIFSpeed(11), WithAVIFMaxSourcePixels(-1), WithAnimationLimits(0, 1)} {
		if _, err := New(s, bad); err == nil {
			t.Errorf("New accepted a bad option")
		}
	}
}

func TestNotModifiedKeepsVary(t *testing.T) {
	s := newFakeStore()
	s.set("photo.jpg", testcorpus.Read(t, "jpeg-photo-1920x1080.jpg"))
	h := newTestHandler(t, s, WithAVIFWarmUp(false), WithAutoFormats(pipeline.FormatWebP))
	a := get(t, h, "/img/tr:w-20/photo.jpg", "Accept", "image/webp")
	b := get(t, h, "/img/tr:w-20/photo.jpg", "Accept", "image/jpeg")
	if a.Header().Get("ETag") == b.Header().Get("ETag") {
		t.Errorf("WebP and JPEG results share an ETag")
	}
	nm := get(t, h, "/img/tr:w-20/photo.jpg", "Accept", "image/webp", "If-None-Match", a.Header().Get("ETag"))
	if nm.Code != http.StatusNotModified || nm.Header().Get("Vary") != "Accept" {
		t.Errorf("304 = %d with Vary %q, want 304 with Vary: Accept", nm.Code, nm.Header().Get("Vary"))
	}
}
