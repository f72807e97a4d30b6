package middleware

import (
	"bytes"
	"image"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
	"github.com/imgcdn/imgcdn/store"
)

func TestURLForms(t *testing.T) {
	s := newFakeStore()
	s.set("photos/cat.jpg", testcorpus.Read(t, "jpeg-photo-2000x1333.jpg"))
	h := newTestHandler(t, s)
	tests := map[string]struct {
		target string
		w, h   int
		format string
	}{
		"none":            {"/img/photos/cat.jpg", 2000, 1333, "jpeg"},
		"path":            {"/img/tr:w-300/photos/cat.jpg", 300, 200, "jpeg"},
		"query":           {"/img/photos/cat.jpg?tr=w-300", 300, 200, "jpeg"},
		"query escaped":   {"/img/photos/cat.jpg?tr=w-300%2Ch-100%2Cc-force", 300, 100, "jpeg"},
		"both":            {"/img/tr:w-300/photos/cat.jpg?tr=rt-90", 200, 300, "jpeg"},
		"chained":         {"/img/tr:w-300:rt-90/photos/cat.jpg", 200, 300, "jpeg"},
		"escaped colon":   {"/img/tr%3Aw-300/photos/cat.jpg", 300, 200, "jpeg"},
		"escaped path":    {"/img/tr:w-300/photos/c%61t.jpg", 300, 200, "jpeg"},
		"path then query": {"/img/tr:rt-90/photos/cat.jpg?tr=w-300", 300, 450, "jpeg"},
		"format":          {"/img/tr:w-100,f-png/photos/cat.jpg", 100, 67, "png"},
		"other query":     {"/img/tr:w-100/photos/cat.jpg?version=2.0", 100, 67, "jpeg"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			w := get(t, h, tc.target)
			if w.Code != http.StatusOK {
				t.Fatalf("GET %s = %d %q, want 200", tc.target, w.Code, text(w))
			}
			gw, gh, gf := size(t, w.Body.Bytes())
			if gw != tc.w || gh != tc.h || gf != tc.format {
				t.Errorf("GET %s = %s %dx%d, want %s %dx%d", tc.target, gf, gw, gh, tc.format, tc.w, tc.h)
			}
			if ct := w.Header().Get("Content-Type"); ct != "image/"+tc.format {
				t.Errorf("Content-Type = %q, want image/%s", ct, tc.format)
			}
		})
	}
}

// TestImageKitGeometry runs the geometry examples of the URL API through
// HTTP, on a 640×865 source made from a corpus photo.
func TestImageKitGeometry(t *testing.T) {
	s := newFakeStore()
	s.set("src.jpg", transformed(t, "exif-Portrait_1.jpg", "w-640,h-865,c-force,f-jpg,q-95"))
	s.set("square.jpg", transformed(t, "exif-Portrait_1.jpg", "w-600,h-600,f-jpg,q-95"))
	h := newTestHandler(t, s)
	tests := map[string]struct {
		tr, src string
		w, h    int
	}{
		"at_max":          {"w-300,h-200,c-at_max", "src.jpg", 148, 200},
		"at_least":        {"w-300,h-200,c-at_least", "src.jpg", 300, 405},
		"maintain_ratio":  {"w-300,h-200", "src.jpg", 300, 200},
		"force":           {"w-300,h-200,c-force", "src.jpg", 300, 200},
		"pad_resize bg":   {"w-300,h-200,cm-pad_resize,bg-F3F3F3", "src.jpg", 300, 200},
		"pad_resize left": {"w-300,h-200,cm-pad_resize,fo-left", "src.jpg", 300, 200},
		"extract":         {"w-200,h-200,cm-extract", "src.jpg", 200, 200},
		"pad_extract":     {"w-700,h-700,cm-pad_extract", "square.jpg", 700, 700},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			target := "/img/tr:" + tc.tr + "/" + tc.src
			w := get(t, h, target)
			if w.Code != http.StatusOK {
				t.Fatalf("GET %s = %d %q, want 200", target, w.Code, text(w))
			}
			if gw, gh, _ := size(t, w.Body.Bytes()); gw != tc.w || gh != tc.h {
				t.Errorf("GET %s = %dx%d, want %dx%d", target, gw, gh, tc.w, tc.h)
			}
		})
	}

	// The padding of pad_resize: grey bars left and right with bg-F3F3F3;
	// with fo-left, the image at the left and black padding at the right.
	img := decode(t, get(t, h, "/img/tr:w-300,h-200,cm-pad_resize,bg-F3F3F3/src.jpg").Body.Bytes())
	for _, x := range []int{3, 296} {
		if r, g, b := rgb(img, x, 100); !near(r, 0xF3) || !near(g, 0xF3) || !near(b, 0xF3) {
			t.Errorf("pad_resize,bg-F3F3F3: pixel (%d,100) = %d,%d,%d, want about 243,243,243", x, r, g, b)
		}
	}
	img = decode(t, get(t, h, "/img/tr:w-300,h-200,cm-pad_resize,fo-left/src.jpg").Body.Bytes())
	if r, g, b := rgb(img, 296, 100); r > 8 || g > 8 || b > 8 {
		t.Errorf("pad_resize,fo-left: pixel (296,100) = %d,%d,%d, want black padding", r, g, b)
	}
	if r, g, b := rgb(img, 10, 100); r < 16 && g < 16 && b < 16 {
		t.Errorf("pad_resize,fo-left: pixel (10,100) = %d,%d,%d, want the image, not padding", r, g, b)
	}
}

func decode(t testing.TB, b []byte) image.Image {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func rgb(img image.Image, x, y int) (r, g, b uint8) {
	r32, g32, b32, _ := img.At(x, y).RGBA()
	return uint8(r32 >> 8), uint8(g32 >> 8), uint8(b32 >> 8)
}

func near(v, want uint8) bool { return v+6 >= want && v <= want+6 }

func TestStatusCodes(t *testing.T) {
	s := newFakeStore()
	for _, name := range []string{"jpeg-photo-1920x1080.jpg", "hostile-not-an-image.jpg", "hostile-corrupt-header.jpg",
		"hostile-empty.jpg", "hostile-bomb-png-65536x65536.png", "avif-8bpc-420-1204x800.avif", "hostile-truncated-290x442.jpg",
		"gif-animated-80x80.gif", "heif-alpha-202x259.heif", "hostile-truncated-575x800.gif"} {
		s.set(name, testcorpus.Read(t, name))
	}
	h := newTestHandler(t, s, WithMaxOutputSize(4000, 10_000_000))
	broken := newFakeStore()
	broken.set("a.jpg", testcorpus.Read(t, "jpeg-photo-1920x1080.jpg"))
	broken.openErr = errDiskOnFire
	hBroken := newTestHandler(t, broken)
	small := newTestHandler(t, s, WithMaxSourceBytes(1000))
	frames := newTestHandler(t, s, WithAnimationLimits(3, 1<<30))

	tests := map[string]struct {
		h      http.Handler
		method string
		target string
		status int
		body   string // a part of the body
	}{
		"ok":                 {h, "GET", "/img/tr:w-10/jpeg-photo-1920x1080.jpg", 200, ""},
		"bad value":          {h, "GET", "/img/tr:w-10,q-101/jpeg-photo-1920x1080.jpg", 400, `"q-101": invalid value`},
		"unknown param":      {h, "GET", "/img/tr:zz-1/jpeg-photo-1920x1080.jpg", 400, `"zz-1"`},
		"not supported yet":  {h, "GET", "/img/tr:l-image/jpeg-photo-1920x1080.jpg", 400, "not supported yet"},
		"query bad value":    {h, "GET", "/img/jpeg-photo-1920x1080.jpg?tr=w-0", 400, `"w-0"`},
		"webp output":        {h, "GET", "/img/tr:w-10,f-webp/jpeg-photo-1920x1080.jpg", 200, ""},
		"heif output":        {h, "GET", "/img/tr:w-10,f-orig/heif-alpha-202x259.heif", 400, "not supported"},
		"extract outside":    {h, "GET", "/img/tr:w-200,h-200,cm-extract,x-1900,y-10/jpeg-photo-1920x1080.jpg", 400, ""},
		"empty tr":           {h, "GET", "/img/tr:/jpeg-photo-1920x1080.jpg", 200, ""},
		"missing":            {h, "GET", "/img/tr:w-10/nope.jpg", 404, "not found"},
		"missing path":       {h, "GET", "/img/", 400, ""},
		"outside prefix":     {h, "GET", "/other/jpeg-photo-1920x1080.jpg", 404, ""},
		"not an image":       {h, "GET", "/img/hostile-not-an-image.jpg", 415, ""},
		"corrupt":            {h, "GET", "/img/tr:w-10/hostile-corrupt-header.jpg", 415, ""},
		"truncated":          {h, "GET", "/img/tr:w-10/hostile-truncated-290x442.jpg", 415, ""},
		"empty":              {h, "GET", "/img/hostile-empty.jpg", 415, ""},
		"avif source":        {h, "GET", "/img/tr:w-10/avif-8bpc-420-1204x800.avif", 200, ""},
		"heif source":        {h, "GET", "/img/tr:w-10/heif-alpha-202x259.heif", 415, ""},
		"too many frames":    {frames, "GET", "/img/tr:w-10/gif-animated-80x80.gif", 413, ""},
		"truncated gif":      {h, "GET", "/img/tr:w-10/hostile-truncated-575x800.gif", 415, ""},
		"pixel bomb":         {h, "GET", "/img/tr:w-10/hostile-bomb-png-65536x65536.png", 413, ""},
		"source bytes":       {small, "GET", "/img/tr:w-10/jpeg-photo-1920x1080.jpg", 413, ""},
		"output too large":   {h, "GET", "/img/tr:w-5000,h-5000,c-force/jpeg-photo-1920x1080.jpg", 422, ""},
		"method":             {h, "POST", "/img/jpeg-photo-1920x1080.jpg", 405, ""},
		"origin error":       {hBroken, "GET", "/img/tr:w-10/a.jpg", 502, "origin error"},
		"duplicate tr":       {h, "GET", "/img/jpeg-photo-1920x1080.jpg?tr=w-10&tr=w-20", 400, ""},
		"unknown named":      {h, "GET", "/img/tr:n-thumb/jpeg-photo-1920x1080.jpg", 400, `"n-thumb"`},
		"orig of non-image":  {h, "GET", "/img/tr:orig-true/hostile-not-an-image.jpg", 415, ""},
		"bad query escape":   {h, "GET", "/img/jpeg-photo-1920x1080.jpg?tr=%zz", 400, ""},
		"bad di":             {h, "GET", "/img/tr:di-a@@..@@b/nope.jpg", 400, ""},
		"head missing":       {h, "HEAD", "/img/nope.jpg", 404, ""},
		"signature not sent": {h, "GET", "/img/jpeg-photo-1920x1080.jpg?ik-s=abc", 200, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			w := do(t, tc.h, tc.method, tc.target)
			if w.Code != tc.status {
				t.Fatalf("%s %s = %d %q, want %d", tc.method, tc.target, w.Code, text(w), tc.status)
			}
			if !strings.Contains(w.Body.String(), tc.body) {
				t.Errorf("%s %s body = %q, want it to contain %q", tc.method, tc.target, text(w), tc.body)
			}
			if tc.status == 200 {
				return
			}
			if ct := w.Header().Get("Content-Type"); ct != "text/plain; charset=utf-8" {
				t.Errorf("error Content-Type = %q", ct)
			}
			if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
				t.Errorf("error Cache-Control = %q, want no-store", cc)
			}
			if w.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("error without X-Content-Type-Options: nosniff")
			}
			for _, leak := range []string{"/var/secret", "fake:", "pipeline:", "input/output", "stat", "goroutine"} {
				if strings.Contains(w.Body.String(), leak) {
					t.Errorf("error body %q leaks %q", w.Body, leak)
				}
			}
			if tc.method == http.MethodHead && w.Body.Len() != 0 {
				t.Errorf("HEAD error has a body %q", w.Body)
			}
		})
	}
	if w := do(t, h, "POST", "/img/a.jpg"); w.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("405 Allow = %q, want \"GET, HEAD\"", w.Header().Get("Allow"))
	}
}

func TestImageHeaders(t *testing.T) {
	s := newFakeStore()
	s.set("a.jpg", testcorpus.Read(t, "jpeg-photo-1920x1080.jpg"))
	h := newTestHandler(t, s, WithCacheControl("public, max-age=60"))
	w := get(t, h, "/img/tr:w-100/a.jpg")
	if w.Code != 200 {
		t.Fatalf("status %d %q", w.Code, text(w))
	}
	want := map[string]string{
		"Content-Type":            "image/jpeg",
		"Cache-Control":           "public, max-age=60",
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": ContentSecurityPolicy,
		"Last-Modified":           "Wed, 01 May 2024 12:00:01 GMT",
		"Accept-Ranges":           "bytes",
	}
	for k, v := range want {
		if got := w.Header().Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if got, want := w.Header().Get("Content-Length"), strconv.Itoa(w.Body.Len()); got != want {
		t.Errorf("Content-Length = %q, want %q", got, want)
	}
	etag := w.Header().Get("ETag")
	if len(etag) != etagLen || etag[0] != '"' || strings.HasPrefix(etag, "W/") {
		t.Errorf("ETag = %q, want a strong 32-digit tag", etag)
	}
	if v, ok := w.Header()["Set-Cookie"]; ok {
		t.Errorf("unexpected Set-Cookie: %q", v)
	}
	// f-auto consults Accept, so the response varies on it.
	if v := w.Header().Values("Vary"); len(v) != 1 || v[0] != "Accept" {
		t.Errorf("Vary = %q, want Accept", v)
	}
}

func TestHeadAndRange(t *testing.T) {
	s := newFakeStore()
	s.set("a.png", testcorpus.Read(t, "png-rgba-320x240.png"))
	h := newTestHandler(t, s)
	full := get(t, h, "/img/tr:w-100/a.png")
	if full.Code != 200 {
		t.Fatalf("GET = %d", full.Code)
	}
	head := do(t, h, http.MethodHead, "/img/tr:w-100/a.png")
	if head.Code != 200 || head.Body.Len() != 0 {
		t.Errorf("HEAD = %d with %d body bytes, want 200 and none", head.Code, head.Body.Len())
	}
	for _, k := range []string{"Content-Type", "Content-Length", "ETag", "Cache-Control", "Last-Modified", "Content-Security-Policy"} {
		if head.Header().Get(k) != full.Header().Get(k) {
			t.Errorf("HEAD %s = %q, GET has %q", k, head.Header().Get(k), full.Header().Get(k))
		}
	}
	part := get(t, h, "/img/tr:w-100/a.png", "Range", "bytes=0-9")
	if part.Code != http.StatusPartialContent || !bytes.Equal(part.Body.Bytes(), full.Body.Bytes()[:10]) {
		t.Errorf("Range bytes=0-9 = %d %q, want 206 and the first 10 bytes", part.Code, part.Body.Bytes())
	}
	if part.Header().Get("ETag") != full.Header().Get("ETag") || part.Header().Get("Content-Type") != "image/png" {
		t.Errorf("Range response headers %v", part.Header())
	}
}

func TestWrap(t *testing.T) {
	s := newFakeStore()
	s.set("a.png", testcorpus.Read(t, "png-rgba-320x240.png"))
	h := newTestHandler(t, s)
	var nextSaw []string
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nextSaw = append(nextSaw, r.Method+" "+r.URL.RequestURI())
		w.Header().Set("X-Next", "yes")
		w.WriteHeader(http.StatusTeapot)
	})
	wrapped := h.Wrap(next)
	tests := map[string]struct {
		method, target string
		status         int
		toNext         bool
	}{
		"image":          {"GET", "/img/a.png", 200, false},
		"image missing":  {"GET", "/img/b.png", 404, false},
		"prefix only":    {"GET", "/img", 400, false},
		"root":           {"GET", "/", 418, true},
		"other":          {"GET", "/about?x=1", 418, true},
		"prefix-like":    {"GET", "/imgx/a.png", 418, true},
		"post elsewhere": {"POST", "/api/upload", 418, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			nextSaw = nil
			w := do(t, wrapped, tc.method, tc.target)
			if w.Code != tc.status {
				t.Errorf("%s %s = %d, want %d", tc.method, tc.target, w.Code, tc.status)
			}
			if got := len(nextSaw) == 1; got != tc.toNext {
				t.Errorf("%s %s reached next: %v, want %v", tc.method, tc.target, got, tc.toNext)
			}
			if tc.toNext && nextSaw[0] != tc.method+" "+tc.target {
				t.Errorf("next saw %q, want %q", nextSaw[0], tc.method+" "+tc.target)
			}
		})
	}

	// With the prefix "", every request is an image request.
	root := newTestHandler(t, s, WithPrefix(""))
	if w := get(t, root, "/tr:w-10/a.png"); w.Code != 200 {
		t.Errorf("prefix \"\": GET /tr:w-10/a.png = %d %q", w.Code, text(w))
	}
	// A custom prefix.
	deep := newTestHandler(t, s, WithPrefix("/static/images"))
	if w := get(t, deep.Wrap(next), "/static/images/tr:w-10/a.png"); w.Code != 200 {
		t.Errorf("prefix /static/images: GET = %d %q", w.Code, text(w))
	}
	if w := get(t, deep.Wrap(next), "/img/a.png"); w.Code != http.StatusTeapot {
		t.Errorf("prefix /static/images: GET /img/a.png = %d, want next's 418", w.Code)
	}
}

func TestPathTraversal(t *testing.T) {
	fsys := fstest.MapFS{
		"secret":            {Data: []byte("top secret")},
		"photos/secret":     {Data: []byte("top secret")},
		"public/photos/cat": {Data: testcorpus.Read(t, "png-rgba-320x240.png")},
	}
	// The handler serves the "public" folder; everything else must stay
	// unreachable.
	sub := newFakeStore()
	sub.set("photos/cat.png", fsys["public/photos/cat"].Data)
	h := newTestHandler(t, sub)
	fsh := newTestHandler(t, store.FS(fstest.MapFS{"photos/cat.png": fsys["public/photos/cat"]}))
	targets := []string{
		"/img/../secret",
		"/img/photos/../../secret",
		"/img/%2e%2e/secret",
		"/img/%2E%2E/secret",
		"/img/photos/%2e%2e/%2e%2e/secret",
		"/img/photos%2F..%2F..%2Fsecret",
		"/img/photos%2f..%2fsecret",
		"/img/..%2Fsecret",
		"/img/..%5Csecret",
		"/img/photos/..\\..\\secret",
		"/img/tr:w-10/../secret",
		"/img/tr:w-10/%2e%2e/secret",
		"/img/./secret",
		"/img//secret",
		"/img/photos/%00secret",
		"/img/tr:di-@@..@@secret/missing.png",
		"/img/tr:di-..@@secret/missing.png",
		"/img/missing.png?tr=di-%40%40..%40%40secret",
		"/img/%252e%252e/secret",
	}
	for _, target := range targets {
		for name, handler := range map[string]http.Handler{"fake": h, "fs": fsh} {
			r := httptest.NewRequest(http.MethodGet, target, nil)
			w := httptest.NewRecorder()
			handler.ServeHTTP(w, r)
			if w.Code != http.StatusBadRequest && w.Code != http.StatusNotFound {
				t.Errorf("%s: GET %s = %d %q, want 400 or 404", name, target, w.Code, text(w))
			}
			if strings.Contains(w.Body.String(), "top secret") {
				t.Errorf("%s: GET %s served the secret", name, target)
			}
		}
	}
	// Only valid keys reach the store: "%2e%2e/secret" names a folder
	// called "%2e%2e" (the URL escaped its '%'), which does not exist.
	for _, k := range sub.keys() {
		if err := store.CheckKey(k); err != nil || k != "%2e%2e/secret" && k != "missing.png" {
			t.Errorf("the store was asked for %q", k)
		}
	}
	if sub.opens.Load() != 0 {
		t.Errorf("the store opened %d objects, want 0", sub.opens.Load())
	}
}
