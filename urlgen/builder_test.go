package urlgen

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/pipeline"
	"github.com/imgcdn/imgcdn/store"
)

// w300h200 is the transformation of the URL API's signing vectors.
var w300h200 = pipeline.Step{Width: pipeline.Dimension{Pixels: 300}, Height: pipeline.Dimension{Pixels: 200}}

// TestImageKitVectors checks the signed URLs against the test vectors of
// the URL API (/work/shared/URL-API.md, "Signed URLs"), copied verbatim:
// the string to sign and ik-s for the key "dummy-key". For the same inputs
// (endpoint, path, query parameters, transformation and its position),
// ImageKit's SDKs sign that string, and so must the Builder.
func TestImageKitVectors(t *testing.T) {
	const endpoint = "https://ik.imagekit.io/your_imagekit_id"
	version := url.Values{"version": {"2.0"}}
	tests := map[string]struct {
		// The vector, verbatim.
		toSign, sig string
		// The Builder's inputs.
		path  string
		query url.Values
		steps []pipeline.Step
		inQ   bool
		// The URL the SDK makes for them.
		want string
	}{
		"plain": {
			toSign: "sdk-testing-files/future-search.png9999999999",
			sig:    "32dbbbfc5f945c0403c71b54c38e76896ef2d6b0",
			path:   "sdk-testing-files/future-search.png",
			want:   endpoint + "/sdk-testing-files/future-search.png?ik-s=32dbbbfc5f945c0403c71b54c38e76896ef2d6b0",
		},
		"query tr": {
			toSign: "sdk-testing-files/future-search.png?version=2.0&tr=w-300,h-200" + "9999999999",
			sig:    "601d97a7834b7554f4dabf0d3fc3a219ceeb6b31",
			path:   "sdk-testing-files/future-search.png", query: version, steps: []pipeline.Step{w300h200}, inQ: true,
			want: endpoint + "/sdk-testing-files/future-search.png?version=2.0&tr=w-300,h-200&ik-s=601d97a7834b7554f4dabf0d3fc3a219ceeb6b31",
		},
		"path tr": {
			toSign: "tr:w-300,h-200/sdk-testing-files/future-search.png?version=2.0" + "9999999999",
			sig:    "dd1ee8f83d019bc59fd57a5fc4674a11eb8a3496",
			path:   "/sdk-testing-files/future-search.png", query: version, steps: []pipeline.Step{w300h200},
			want: endpoint + "/tr:w-300,h-200/sdk-testing-files/future-search.png?version=2.0&ik-s=dd1ee8f83d019bc59fd57a5fc4674a11eb8a3496",
		},
		"utf-8 path": {
			toSign: "sdk-testing-files/%E0%A4%B9%E0%A4%BF%E0%A4%A8%E0%A5%8D%E0%A4%A6%E0%A5%80.png9999999999",
			sig:    "3fff2f31da1f45e007adcdbe95f88c8c330e743c",
			path:   "sdk-testing-files/हिन्दी.png",
			want:   endpoint + "/sdk-testing-files/%E0%A4%B9%E0%A4%BF%E0%A4%A8%E0%A5%8D%E0%A4%A6%E0%A5%80.png?ik-s=3fff2f31da1f45e007adcdbe95f88c8c330e743c",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			// The vector itself, with the standard library's HMAC.
			m := hmac.New(sha1.New, []byte("dummy-key"))
			m.Write([]byte(tc.toSign))
			if got := hex.EncodeToString(m.Sum(nil)); got != tc.sig {
				t.Fatalf("HMAC-SHA1(%q) = %s, want %s: the vector is wrong", tc.toSign, got, tc.sig)
			}
			b, err := New(WithEndpoint(endpoint), WithSigningKey("dummy-key"), WithQueryTransformation(tc.inQ))
			if err != nil {
				t.Fatal(err)
			}
			got, err := b.URLWithQuery(tc.path, tc.query, tc.steps...)
			if err != nil {
				t.Fatalf("URLWithQuery(%q) error: %v", tc.path, err)
			}
			if got != tc.want {
				t.Errorf("URLWithQuery(%q) =\n%s\nwant\n%s", tc.path, got, tc.want)
			}
			// What follows the endpoint, without ik-s, and 9999999999 is
			// the string to sign.
			rest := strings.TrimPrefix(got, endpoint+"/")
			rest, _, _ = strings.Cut(rest, "ik-s=")
			rest = strings.TrimSuffix(strings.TrimSuffix(rest, "&"), "?")
			if rest+"9999999999" != tc.toSign {
				t.Errorf("signed part %q + 9999999999, want %q", rest, tc.toSign)
			}
		})
	}
}

func TestURL(t *testing.T) {
	w400 := pipeline.Step{Width: pipeline.Dimension{Pixels: 400}}
	rt90 := pipeline.Step{Rotate: 90}
	tests := map[string]struct {
		opts  []Option
		path  string
		query url.Values
		steps []pipeline.Step
		want  string
	}{
		"no transformation":  {path: "photos/cat.jpg", want: "/img/photos/cat.jpg"},
		"leading slash":      {path: "/photos/cat.jpg", steps: []pipeline.Step{w400}, want: "/img/tr:w-400/photos/cat.jpg"},
		"chained":            {path: "a.jpg", steps: []pipeline.Step{w400, rt90}, want: "/img/tr:w-400:rt-90/a.jpg"},
		"zero steps dropped": {path: "a.jpg", steps: []pipeline.Step{{}, w400, {}}, want: "/img/tr:w-400/a.jpg"},
		"canonical order": {path: "a.jpg", steps: []pipeline.Step{{
			Quality: 70, Format: pipeline.FormatWebP, Height: pipeline.Dimension{Pixels: 200},
			Width: pipeline.Dimension{Pixels: 300}, Crop: pipeline.CropAtMax, Rotate: -90,
		}}, want: "/img/tr:w-300,h-200,c-at_max,rt-270,f-webp,q-70/a.jpg"},
		"normalised by Parse": {path: "a.jpg", steps: []pipeline.Step{{
			Width: pipeline.Dimension{Pixels: 300}, Height: pipeline.Dimension{Pixels: 200},
			AspectRatio: pipeline.Ratio{W: 16, H: 9}, Rotate: 450,
		}, {Height: pipeline.Dimension{Pixels: 90}, AspectRatio: pipeline.Ratio{W: 32, H: 18}}},
			want: "/img/tr:w-300,h-200,rt-90:h-90,ar-16-9/a.jpg"},
		"query form": {opts: []Option{WithQueryTransformation(true)}, path: "a.jpg", steps: []pipeline.Step{w400, rt90},
			want: "/img/a.jpg?tr=w-400:rt-90"},
		"extra query": {path: "a.jpg", query: url.Values{"v": {"3"}, "a b": {"x&y"}}, steps: []pipeline.Step{w400},
			want: "/img/tr:w-400/a.jpg?a+b=x%26y&v=3"},
		"extra query, query form": {opts: []Option{WithQueryTransformation(true)}, path: "a.jpg", query: url.Values{"v": {"3"}},
			steps: []pipeline.Step{w400}, want: "/img/a.jpg?v=3&tr=w-400"},
		"escaped path": {path: "my photos/it's (1) 100%#?.jpg", want: "/img/my%20photos/it%27s%20%281%29%20100%25%23%3F.jpg"},
		"kept characters": {path: "a!$&*+,=:@~_.-b/c.jpg", steps: []pipeline.Step{w400},
			want: "/img/tr:w-400/a!$&*+,=:@~_.-b/c.jpg"},
		"semicolon": {path: "a;b.jpg", want: "/img/a%3Bb.jpg"},
		"unicode":   {path: "猫/🙂.png", want: "/img/%E7%8C%AB/%F0%9F%99%82.png"},
		"tr: segment after a transformation": {path: "tr:x/a.jpg", steps: []pipeline.Step{w400},
			want: "/img/tr:w-400/tr:x/a.jpg"},
		"di in path": {path: "a.jpg", steps: []pipeline.Step{{Width: pipeline.Dimension{Pixels: 10}, DefaultImage: "de fault/x&y+z.png"}},
			want: "/img/tr:w-10,di-de%20fault@@x&y+z.png/a.jpg"},
		"di in query": {opts: []Option{WithQueryTransformation(true)}, path: "a.jpg",
			steps: []pipeline.Step{{Width: pipeline.Dimension{Pixels: 10}, DefaultImage: "de fault/x&y+z=;.png"}},
			want:  "/img/a.jpg?tr=w-10,di-de%20fault@@x%26y%2Bz%3D%3B.png"},
		"default transformation": {opts: []Option{WithDefaultTransformation("c-at_max,w-1600")}, path: "a.jpg",
			want: "/img/tr:w-1600,c-at_max/a.jpg"},
		"default not used": {opts: []Option{WithDefaultTransformation("w-1600")}, path: "a.jpg", steps: []pipeline.Step{rt90},
			want: "/img/tr:rt-90/a.jpg"},
		"default for zero steps": {opts: []Option{WithDefaultTransformation("w-1600")}, path: "a.jpg", steps: []pipeline.Step{{}},
			want: "/img/tr:w-1600/a.jpg"},
		"absolute endpoint": {opts: []Option{WithEndpoint("https://cdn.example.com/img/")}, path: "a.jpg",
			want: "https://cdn.example.com/img/a.jpg"},
		"host root": {opts: []Option{WithEndpoint("https://cdn.example.com")}, path: "a.jpg", steps: []pipeline.Step{w400},
			want: "https://cdn.example.com/tr:w-400/a.jpg"},
		"site root":  {opts: []Option{WithEndpoint("")}, path: "a.jpg", want: "/a.jpg"},
		"slash root": {opts: []Option{WithEndpoint("/")}, path: "a.jpg", want: "/a.jpg"},
		"signed": {opts: []Option{WithSigningKey("k")}, path: "a.jpg", steps: []pipeline.Step{w400},
			want: "/img/tr:w-400/a.jpg?ik-s=" + hmacHex("k", "tr:w-400/a.jpg9999999999")},
		"signed query form": {opts: []Option{WithSigningKey("k"), WithQueryTransformation(true)}, path: "a b.jpg",
			query: url.Values{"v": {"1"}}, steps: []pipeline.Step{w400},
			want: "/img/a%20b.jpg?v=1&tr=w-400&ik-s=" + hmacHex("k", "a%20b.jpg?v=1&tr=w-4009999999999")},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			b, err := New(tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			got, err := b.URLWithQuery(tc.path, tc.query, tc.steps...)
			if err != nil {
				t.Fatalf("URLWithQuery(%q, %v, %v) error: %v", tc.path, tc.query, tc.steps, err)
			}
			if got != tc.want {
				t.Errorf("URLWithQuery(%q, %v, %v) =\n%s\nwant\n%s", tc.path, tc.query, tc.steps, got, tc.want)
			}
		})
	}
}

func hmacHex(key, s string) string {
	m := hmac.New(sha1.New, []byte(key))
	m.Write([]byte(s))
	return hex.EncodeToString(m.Sum(nil))
}

func TestURLExpiry(t *testing.T) {
	now := time.Unix(1_700_000_000, 300_000_000)
	clock := func() time.Time { return now }
	tests := map[string]struct {
		expiry time.Duration
		want   string
	}{
		"whole seconds": {90 * time.Second, "1700000090"},
		"rounded up":    {1500 * time.Millisecond, "1700000002"},
		"an hour":       {time.Hour, "1700003600"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			b, err := New(WithSigningKey("k"), WithExpiry(tc.expiry), WithClock(clock))
			if err != nil {
				t.Fatal(err)
			}
			got, err := b.URL("a.jpg", pipeline.Step{Width: pipeline.Dimension{Pixels: 10}})
			if err != nil {
				t.Fatal(err)
			}
			want := "/img/tr:w-10/a.jpg?ik-t=" + tc.want + "&ik-s=" + hmacHex("k", "tr:w-10/a.jpg"+tc.want)
			if got != want {
				t.Errorf("URL = %s, want %s", got, want)
			}
		})
	}
}

func TestURLErrors(t *testing.T) {
	tests := map[string]struct {
		opts   []Option
		path   string
		query  url.Values
		steps  []pipeline.Step
		target error
	}{
		"empty path":         {path: ""},
		"only slashes":       {path: "///"},
		"dot segment":        {path: "a/../b.jpg", target: store.ErrInvalidKey},
		"empty segment":      {path: "a//b.jpg", target: store.ErrInvalidKey},
		"backslash":          {path: `a\b.jpg`, target: store.ErrInvalidKey},
		"control":            {path: "a\nb.jpg", target: store.ErrInvalidKey},
		"tr: without tr":     {path: "tr:w-1/a.jpg"},
		"tr: in query form":  {opts: []Option{WithQueryTransformation(true)}, path: "tr:w-1/a.jpg", steps: []pipeline.Step{{Rotate: 90}}},
		"reserved tr":        {path: "a.jpg", query: url.Values{"tr": {"w-1"}}},
		"reserved ik-s":      {path: "a.jpg", query: url.Values{"ik-s": {"x"}}},
		"quality":            {path: "a.jpg", steps: []pipeline.Step{{Quality: 101}}, target: pipeline.ErrInvalidValue},
		"negative quality":   {path: "a.jpg", steps: []pipeline.Step{{Quality: -1}}, target: errBadStep},
		"negative width":     {path: "a.jpg", steps: []pipeline.Step{{Width: pipeline.Dimension{Pixels: -3}}}, target: errBadStep},
		"fraction too large": {path: "a.jpg", steps: []pipeline.Step{{Width: pipeline.Dimension{Fraction: 2.5}}}, target: pipeline.ErrInvalidValue},
		"pixels and fraction": {path: "a.jpg", steps: []pipeline.Step{{Width: pipeline.Dimension{Pixels: 3, Fraction: 0.5}}},
			target: errBadStep},
		"ar alone":        {path: "a.jpg", steps: []pipeline.Step{{AspectRatio: pipeline.Ratio{W: 4, H: 3}}}, target: pipeline.ErrInvalidValue},
		"unknown crop":    {path: "a.jpg", steps: []pipeline.Step{{Width: pipeline.Dimension{Pixels: 3}, Crop: 42}}, target: pipeline.ErrInvalidValue},
		"unset coord":     {path: "a.jpg", steps: []pipeline.Step{{CropMode: pipeline.CropModeExtract, X: pipeline.Coord{Value: 3}}}, target: errBadStep},
		"x without crop":  {path: "a.jpg", steps: []pipeline.Step{{X: pipeline.Coord{Value: 3, Set: true}}}, target: pipeline.ErrInvalidValue},
		"unset bg":        {path: "a.jpg", steps: []pipeline.Step{{Background: pipeline.Color{R: 255}}}, target: errBadStep},
		"border no width": {path: "a.jpg", steps: []pipeline.Step{{Border: pipeline.Border{Color: pipeline.Color{R: 1, Set: true}}}}, target: errBadStep},
		"sharpen off":     {path: "a.jpg", steps: []pipeline.Step{{Sharpen: pipeline.Sharpen{Strength: 5}}}, target: errBadStep},
		"di with comma":   {path: "a.jpg", steps: []pipeline.Step{{DefaultImage: "a,b.jpg"}}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			b, err := New(tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			got, err := b.URLWithQuery(tc.path, tc.query, tc.steps...)
			if err == nil {
				t.Fatalf("URLWithQuery(%q, %v, %v) = %q, want an error", tc.path, tc.query, tc.steps, got)
			}
			if !strings.HasPrefix(err.Error(), "urlgen: ") {
				t.Errorf("error %q does not start with urlgen:", err)
			}
			if tc.target != nil && !errors.Is(err, tc.target) {
				t.Errorf("error %v does not match %v", err, tc.target)
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	tests := map[string][]Option{
		"relative endpoint":    {WithEndpoint("img")},
		"endpoint with query":  {WithEndpoint("https://cdn.example.com/img?x=1")},
		"endpoint escape":      {WithEndpoint("/im%20g")},
		"ftp endpoint":         {WithEndpoint("ftp://cdn.example.com/img")},
		"no host":              {WithEndpoint("https:///img")},
		"user info":            {WithEndpoint("https://u:p@cdn.example.com/img")},
		"scheme-relative":      {WithEndpoint("//cdn.example.com/img")},
		"empty default":        {WithDefaultTransformation("")},
		"bad default":          {WithDefaultTransformation("w-0")},
		"empty key":            {WithSigningKey("")},
		"negative expiry":      {WithSigningKey("k"), WithExpiry(-time.Second)},
		"expiry without key":   {WithExpiry(time.Hour)},
		"nil clock":            {WithClock(nil)},
		"nil source":           {WithSource(nil)},
		"negative cache":       {WithPlaceholderCache(-1)},
		"no device sizes":      {WithBreakpoints(nil, []int{16})},
		"zero breakpoint":      {WithBreakpoints([]int{640, 0}, nil)},
		"zero placeholder lim": {WithPlaceholderLimits(0, 1)},
	}
	for name, opts := range tests {
		t.Run(name, func(t *testing.T) {
			if b, err := New(opts...); err == nil {
				t.Errorf("New = %v, want an error", b)
			}
		})
	}
}
