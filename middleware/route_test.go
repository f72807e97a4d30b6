package middleware

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

func TestNamedTransformations(t *testing.T) {
	s := newFakeStore()
	s.set("a.jpg", testcorpus.Read(t, "jpeg-photo-2000x1333.jpg"))
	s.set("placeholder.png", testcorpus.Read(t, "png-rgba-320x240.png"))
	named := map[string]string{
		"thumb":     "w-100,h-100",
		"wide":      "w-400:rt-90",
		"with-di":   "w-50,di-placeholder.png",
		"v1.square": "w-30,h-30,f-png",
	}
	h := newTestHandler(t, s, WithNamedTransformations(named))
	only := newTestHandler(t, s, WithNamedTransformations(named), WithNamedOnly(true))
	tests := map[string]struct {
		h            http.Handler
		target       string
		status       int
		wantW, wantH int
	}{
		"named":               {h, "/img/tr:n-thumb/a.jpg", 200, 100, 100},
		"named query":         {h, "/img/a.jpg?tr=n-thumb", 200, 100, 100},
		"named chain":         {h, "/img/tr:n-wide/a.jpg", 200, 267, 400},
		"named then step":     {h, "/img/tr:n-thumb:rt-90/a.jpg", 200, 100, 100},
		"named with dots":     {h, "/img/tr:n-v1.square/a.jpg", 200, 30, 30},
		"named and more":      {h, "/img/tr:n-thumb,w-10/a.jpg", 400, 0, 0},
		"unknown":             {h, "/img/tr:n-nope/a.jpg", 400, 0, 0},
		"named di":            {h, "/img/tr:n-with-di/missing.jpg", 200, 50, 38},
		"named and di":        {h, "/img/tr:n-thumb,di-placeholder.png/missing.jpg", 200, 100, 100},
		"only: named":         {only, "/img/tr:n-thumb/a.jpg", 200, 100, 100},
		"only: two named":     {only, "/img/tr:n-thumb:n-v1.square/a.jpg", 200, 30, 30},
		"only: named with di": {only, "/img/tr:n-thumb,di-placeholder.png/missing.jpg", 200, 100, 100},
		"only: none":          {only, "/img/a.jpg", 200, 2000, 1333},
		"only: raw":           {only, "/img/tr:w-10/a.jpg", 400, 0, 0},
		"only: raw query":     {only, "/img/tr:n-thumb/a.jpg?tr=w-10", 400, 0, 0},
		"only: mixed":         {only, "/img/tr:n-thumb:rt-90/a.jpg", 400, 0, 0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			w := get(t, tc.h, tc.target)
			if w.Code != tc.status {
				t.Fatalf("GET %s = %d %s, want %d", tc.target, w.Code, text(w), tc.status)
			}
			if tc.status != 200 {
				return
			}
			if gw, gh, _ := size(t, w.Body.Bytes()); gw != tc.wantW || gh != tc.wantH {
				t.Errorf("GET %s = %dx%d, want %dx%d", tc.target, gw, gh, tc.wantW, tc.wantH)
			}
		})
	}
	// A named transformation and its expansion are one result.
	a, b := get(t, h, "/img/tr:n-thumb/a.jpg"), get(t, h, "/img/tr:w-100,h-100/a.jpg")
	if a.Header().Get("ETag") != b.Header().Get("ETag") {
		t.Errorf("n-thumb and its expansion have different ETags")
	}
	if w := get(t, only, "/img/tr:w-10/a.jpg"); !strings.Contains(w.Body.String(), "named") {
		t.Errorf("named-only refusal says %q", w.Body)
	}
}

func TestDefaultTransformation(t *testing.T) {
	s := newFakeStore()
	s.set("a.jpg", testcorpus.Read(t, "jpeg-photo-2000x1333.jpg"))
	s.set("fallback.png", testcorpus.Read(t, "png-rgba-320x240.png"))
	h := newTestHandler(t, s, WithNamedTransformations(map[string]string{"big": "w-800,c-at_max"}),
		WithDefaultTransformation("n-big:w-0.5"))
	tests := map[string]struct {
		target string
		w, h   int
	}{
		"none":          {"/img/a.jpg", 400, 267},
		"other query":   {"/img/a.jpg?v=3", 400, 267},
		"given":         {"/img/tr:w-100/a.jpg", 100, 67},
		"given query":   {"/img/a.jpg?tr=w-100", 100, 67},
		"only di":       {"/img/tr:di-fallback.png/missing.jpg", 160, 120},
		"only di found": {"/img/tr:di-fallback.png/a.jpg", 400, 267},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			w := get(t, h, tc.target)
			if w.Code != 200 {
				t.Fatalf("GET %s = %d %s", tc.target, w.Code, text(w))
			}
			if gw, gh, _ := size(t, w.Body.Bytes()); gw != tc.w || gh != tc.h {
				t.Errorf("GET %s = %dx%d, want %dx%d", tc.target, gw, gh, tc.w, tc.h)
			}
		})
	}
}

func TestDefaultImage(t *testing.T) {
	s := newFakeStore()
	s.set("a.jpg", testcorpus.Read(t, "jpeg-photo-2000x1333.jpg"))
	s.set("defaults/missing.png", testcorpus.Read(t, "png-rgba-320x240.png"))
	s.set("server-default.jpg", testcorpus.Read(t, "jpeg-gray-icc-400x267.jpg"))
	plain := newTestHandler(t, s)
	withFallback := newTestHandler(t, s, WithDefaultImage("server-default.jpg"))
	tests := map[string]struct {
		h            http.Handler
		target       string
		status       int
		wantW, wantH int
	}{
		"source exists":         {plain, "/img/tr:w-100,di-defaults@@missing.png/a.jpg", 200, 100, 67},
		"di":                    {plain, "/img/tr:w-100,di-defaults@@missing.png/nope.jpg", 200, 100, 75},
		"di leading @@":         {plain, "/img/tr:w-100,di-@@defaults@@missing.png/nope.jpg", 200, 100, 75},
		"di in a later step":    {plain, "/img/tr:w-100:di-defaults@@missing.png/nope.jpg", 200, 100, 75},
		"di in the query":       {plain, "/img/nope.jpg?tr=w-100,di-defaults@@missing.png", 200, 100, 75},
		"di missing too":        {plain, "/img/tr:w-100,di-nothing.png/nope.jpg", 404, 0, 0},
		"no di":                 {plain, "/img/tr:w-100/nope.jpg", 404, 0, 0},
		"server fallback":       {withFallback, "/img/tr:w-100/nope.jpg", 200, 100, 67},
		"di before fallback":    {withFallback, "/img/tr:w-100,di-defaults@@missing.png/nope.jpg", 200, 100, 75},
		"fallback when di gone": {withFallback, "/img/tr:w-100,di-nothing.png/nope.jpg", 200, 100, 67},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			w := get(t, tc.h, tc.target)
			if w.Code != tc.status {
				t.Fatalf("GET %s = %d %s, want %d", tc.target, w.Code, text(w), tc.status)
			}
			if tc.status != 200 {
				return
			}
			if gw, gh, _ := size(t, w.Body.Bytes()); gw != tc.wantW || gh != tc.wantH {
				t.Errorf("GET %s = %dx%d, want %dx%d", tc.target, gw, gh, tc.wantW, tc.wantH)
			}
		})
	}
	// The default image served for a missing source is the same result as
	// the default image asked for directly.
	a := get(t, plain, "/img/tr:w-100,di-defaults@@missing.png/nope.jpg")
	b := get(t, plain, "/img/tr:w-100/defaults/missing.png")
	if a.Header().Get("ETag") != b.Header().Get("ETag") {
		t.Errorf("the default image and the same image asked directly have different ETags")
	}
	// Once the source appears, it is served.
	s.set("nope.jpg", testcorpus.Read(t, "jpeg-photo-1920x1080.jpg"))
	if w := get(t, plain, "/img/tr:w-100,di-defaults@@missing.png/nope.jpg"); w.Code != 200 {
		t.Errorf("status %d", w.Code)
	} else if gw, gh, _ := size(t, w.Body.Bytes()); gw != 100 || gh != 56 {
		t.Errorf("after the source appeared: %dx%d, want 100x56", gw, gh)
	}
}

func TestOriginalAndSVG(t *testing.T) {
	s := newFakeStore()
	jpg := testcorpus.Read(t, "jpeg-photo-1920x1080.jpg")
	svg := testcorpus.Read(t, "svg-logo-736x552.svg")
	webp := testcorpus.Read(t, "webp-lossy-1024x772.webp")
	s.set("a.jpg", jpg)
	s.set("logo.svg", svg)
	s.set("b.webp", webp)
	h := newTestHandler(t, s)
	tests := map[string]struct {
		target string
		status int
		ctype  string
		body   []byte
	}{
		"orig":               {"/img/tr:orig-true/a.jpg", 200, "image/jpeg", jpg},
		"orig ignores rest":  {"/img/tr:w-10,orig-true,f-png/a.jpg", 200, "image/jpeg", jpg},
		"orig query":         {"/img/a.jpg?tr=orig-true", 200, "image/jpeg", jpg},
		"orig webp":          {"/img/tr:orig-true/b.webp", 200, "image/webp", webp},
		"svg":                {"/img/logo.svg", 200, "image/svg+xml", svg},
		"svg auto":           {"/img/tr:w-100/logo.svg", 200, "image/svg+xml", svg},
		"svg orig":           {"/img/tr:orig-true/logo.svg", 200, "image/svg+xml", svg},
		"svg f-orig":         {"/img/tr:f-orig/logo.svg", 200, "image/svg+xml", svg},
		"svg to png":         {"/img/tr:w-100,f-png/logo.svg", 415, "text/plain; charset=utf-8", nil},
		"svg to jpg, step 2": {"/img/tr:w-100:f-jpg/logo.svg", 415, "text/plain; charset=utf-8", nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			w := get(t, h, tc.target)
			if w.Code != tc.status {
				t.Fatalf("GET %s = %d %s, want %d", tc.target, w.Code, text(w), tc.status)
			}
			if ct := w.Header().Get("Content-Type"); ct != tc.ctype {
				t.Errorf("Content-Type = %q, want %q", ct, tc.ctype)
			}
			if tc.body != nil && !bytes.Equal(w.Body.Bytes(), tc.body) {
				t.Errorf("body is not the source unchanged (%d bytes, want %d)", w.Body.Len(), len(tc.body))
			}
			if tc.status == 200 && w.Header().Get("Content-Security-Policy") != ContentSecurityPolicy {
				t.Errorf("no CSP on %s", tc.target)
			}
		})
	}
}

func TestRouteKeys(t *testing.T) {
	tests := map[string]struct {
		escaped, key string
		ok           bool
	}{
		"plain":           {"photos/cat.jpg", "photos/cat.jpg", true},
		"escaped":         {"photos/c%20t.jpg", "photos/c t.jpg", true},
		"utf-8":           {"%E0%A4%B9.png", "ह.png", true},
		"plus is literal": {"a+b.jpg", "a+b.jpg", true},
		"encoded slash":   {"a%2Fb.jpg", "", false},
		"encoded back":    {"a%5Cb.jpg", "", false},
		"dot dot":         {"a/../b.jpg", "", false},
		"encoded dot dot": {"a/%2E%2E/b.jpg", "", false},
		"dot":             {"./b.jpg", "", false},
		"empty segment":   {"a//b.jpg", "", false},
		"trailing slash":  {"a/", "", false},
		"empty":           {"", "", false},
		"nul":             {"a%00.jpg", "", false},
		"bad escape":      {"a%zz.jpg", "", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			key, err := sourceKey(tc.escaped)
			if (err == nil) != tc.ok || key != tc.key {
				t.Errorf("sourceKey(%q) = %q, %v; want %q, ok %v", tc.escaped, key, err, tc.key, tc.ok)
			}
		})
	}
}
