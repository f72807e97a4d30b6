package urlgen

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"html/template"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/imgcdn/imgcdn/internal/signature"
	"github.com/imgcdn/imgcdn/middleware"
	"github.com/imgcdn/imgcdn/pipeline"
	"github.com/imgcdn/imgcdn/store"
)

// propertyKey is the signing key of the property tests.
const propertyKey = "property-key"

// testPNG returns a small opaque PNG with gradients and a pattern, so that
// trims, crops and effects all have something to work on.
func testPNG(tb testing.TB, w, h int) []byte {
	tb.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{uint8(40 + 180*x/w), uint8(200 - 150*y/h), uint8(60 + 40*((x/4+y/4)%2)), 255}
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// gen makes random valid transformations and paths.
type gen struct{ r *rand.Rand }

func (g gen) chance(p float64) bool  { return g.r.Float64() < p }
func (g gen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }
func (g gen) decimal(lo, hi float64, places int) float64 {
	f := lo + g.r.Float64()*(hi-lo)
	p := 1.0
	for range places {
		p *= 10
	}
	v := float64(int(f*p+0.5)) / p
	return min(max(v, lo), hi)
}

// The source image of the property tests is srcW×srcH.
const srcW, srcH = 48, 32

// chain returns 0 to 4 random steps whose results stay small, and that
// the middleware serves with a 200 from a srcW×srcH source.
func (g gen) chain() []pipeline.Step {
	if g.chance(0.08) {
		return nil
	}
	n := g.between(1, 4)
	steps := make([]pipeline.Step, 0, n)
	for i := range n {
		steps = append(steps, g.step(i == 0))
	}
	return steps
}

var (
	crops  = []pipeline.Crop{pipeline.CropMaintainRatio, pipeline.CropForce, pipeline.CropAtMax, pipeline.CropAtMaxEnlarge, pipeline.CropAtLeast}
	flips  = []pipeline.Flip{pipeline.FlipHorizontal, pipeline.FlipVertical, pipeline.FlipBoth}
	names  = []string{"red", "White", "rebeccapurple", "transparent"}
	pieces = []string{"a", "B", "z9", "photo", "cat", " ", "-", "_", ".", "~", "!", "$", "&", "'", "(", ")", "*", "+",
		",", ";", "=", ":", "@", "%", "%20", "?", "#", "[", "]", `"`, "<", ">", "`", "{", "}", "|", "^",
		"é", "猫", "हिन्दी", "🙂", "ß", "Ωmega", "\u00a0"}
)

func (g gen) dimension(maxPx int) pipeline.Dimension {
	if g.chance(0.25) {
		return pipeline.Dimension{Fraction: g.decimal(0.05, 0.95, 2)}
	}
	return pipeline.Dimension{Pixels: g.between(1, maxPx)}
}

func (g gen) color() pipeline.Color {
	c := pipeline.Color{R: uint8(g.r.IntN(256)), G: uint8(g.r.IntN(256)), B: uint8(g.r.IntN(256)), Opacity: 100, Set: true}
	if g.chance(0.3) {
		c.Opacity = uint8(g.r.IntN(100))
	}
	if g.chance(0.1) {
		c, _ = pipeline.ParseColor(names[g.r.IntN(len(names))])
	}
	return c
}

// step returns a random step; first says whether it is the first of its
// chain, the only place where extracts (which must lie inside the source)
// are made.
func (g gen) step(first bool) pipeline.Step {
	if g.chance(0.04) {
		return pipeline.Step{Named: "thumb"}
	}
	var s pipeline.Step
	switch {
	case first && g.chance(0.12):
		// An extract inside the srcW×srcH source.
		s.CropMode = pipeline.CropModeExtract
		s.Width = pipeline.Dimension{Pixels: g.between(1, 16)}
		s.Height = pipeline.Dimension{Pixels: g.between(1, 16)}
		switch g.r.IntN(3) {
		case 0:
			s.X = pipeline.Coord{Value: g.between(0, 16), Set: true}
			s.Y = pipeline.Coord{Value: g.between(0, 8), Set: true}
		case 1:
			s.XC = pipeline.Coord{Value: g.between(8, 40), Set: true}
			s.YC = pipeline.Coord{Value: g.between(8, 24), Set: true}
		default:
			s.Focus = pipeline.Focus(g.r.IntN(10))
		}
	case first && g.chance(0.08):
		s.CropMode = pipeline.CropModePadExtract
		s.Width = pipeline.Dimension{Pixels: g.between(8, 64)}
		s.Height = pipeline.Dimension{Pixels: g.between(8, 64)}
		if g.chance(0.5) {
			s.X = pipeline.Coord{Value: g.between(0, 16), Set: true}
		}
		s.Background = g.color()
	default:
		w, h := g.chance(0.45), g.chance(0.35)
		if w {
			s.Width = g.dimension(64)
		}
		if h {
			s.Height = g.dimension(64)
		}
		if w != h && g.chance(0.3) {
			if g.chance(0.7) {
				s.AspectRatio = pipeline.Ratio{W: float64(g.between(1, 21)), H: float64(g.between(1, 21))}
			} else {
				s.AspectRatio = pipeline.Ratio{W: g.decimal(0.5, 4, 2), H: 1}
			}
		}
		if w || h {
			s.Crop = crops[g.r.IntN(len(crops))]
			if w && h && g.chance(0.15) {
				s.CropMode = pipeline.CropModePadResize
			}
			if g.chance(0.3) {
				s.Focus = pipeline.Focus(g.r.IntN(10))
			}
			if g.chance(0.1) {
				s.DPR = []float64{0.5, 1.5, 2, 3}[g.r.IntN(4)]
			}
		}
		if g.chance(0.05) {
			s.Trim = pipeline.Trim{On: true, Tolerance: g.between(1, 60)}
		}
	}
	if g.chance(0.25) {
		s.Rotate = []int{90, 180, 270, g.r.IntN(360)}[g.r.IntN(4)]
	}
	if g.chance(0.15) {
		s.Flip = flips[g.r.IntN(len(flips))]
	}
	if g.chance(0.2) && !s.Background.Set {
		s.Background = g.color()
	}
	if g.chance(0.1) {
		s.Border = pipeline.Border{Width: g.between(1, 4), Color: g.color()}
	}
	if g.chance(0.1) {
		switch g.r.IntN(3) {
		case 0:
			s.Radius = pipeline.Radius{Max: true}
		case 1:
			n := g.between(1, 12)
			s.Radius = pipeline.Radius{TopLeft: n, TopRight: n, BottomRight: n, BottomLeft: n}
		default:
			s.Radius = pipeline.Radius{TopLeft: g.between(0, 12), TopRight: g.between(0, 12), BottomRight: g.between(0, 12), BottomLeft: g.between(0, 12)}
		}
	}
	if g.chance(0.1) {
		s.Blur = g.between(1, 10)
	}
	s.Grayscale = g.chance(0.1)
	s.Contrast = g.chance(0.08)
	if g.chance(0.1) {
		s.Sharpen = pipeline.Sharpen{On: true}
		if g.chance(0.5) {
			s.Sharpen.Strength = g.between(1, 100)
		}
	}
	if g.chance(0.05) {
		s.USM = pipeline.USM{Radius: g.decimal(0, 3, 1), Sigma: g.decimal(0.5, 3, 1), Amount: g.decimal(0.1, 3, 2), Threshold: g.decimal(0, 1, 3), On: true}
	}
	if g.chance(0.3) {
		s.Quality = g.between(1, 100)
	}
	switch p := g.r.Float64(); {
	case p < 0.1:
		s.Format = pipeline.FormatJPEG
	case p < 0.2:
		s.Format = pipeline.FormatPNG
	case p < 0.3:
		s.Format = pipeline.FormatWebP
	case p < 0.36:
		s.Format = pipeline.FormatGIF
	case p < 0.4:
		s.Format = pipeline.FormatOriginal
	case p < 0.42:
		s.Format = pipeline.FormatAVIF
	}
	s.Progressive = g.chance(0.05)
	s.Lossless = g.chance(0.05)
	s.Metadata = g.chance(0.05)
	s.ColorProfile = g.chance(0.05)
	s.Original = g.chance(0.02)
	if g.chance(0.05) {
		s.DefaultImage = g.defaultImage()
	}
	return s
}

// segment returns a random path segment (never "", "." or "..").
func (g gen) segment() string {
	var sb strings.Builder
	for range g.between(1, 5) {
		sb.WriteString(pieces[g.r.IntN(len(pieces))])
	}
	s := sb.String()
	if s == "." || s == ".." {
		s += "x"
	}
	return s
}

// path returns a random store key with nested folders, spaces, unicode and
// the characters that URLs reserve, never starting with "tr:".
func (g gen) path() string {
	segs := make([]string, g.between(1, 4))
	for i := range segs {
		segs[i] = g.segment()
	}
	segs[len(segs)-1] += ".png"
	if strings.HasPrefix(segs[0], "tr:") {
		segs[0] = "x" + segs[0]
	}
	p := strings.Join(segs, "/")
	if g.chance(0.2) {
		p = "/" + p // a leading '/' is ignored
	}
	return p
}

// defaultImage returns a di- path: segments without the characters that
// the grammar uses (',', ':') and without '@', which "@@" makes ambiguous.
func (g gen) defaultImage() string {
	var segs []string
	for range g.between(1, 3) {
		s := strings.Map(func(r rune) rune {
			if strings.ContainsRune(",:@", r) {
				return 'x'
			}
			return r
		}, g.segment())
		if s == "." || s == ".." {
			s += "x"
		}
		segs = append(segs, s)
	}
	return strings.Join(segs, "/") + ".png"
}

// parsed is what routing a URL finds: the store key and the chain.
type parsed struct {
	key   string
	chain pipeline.Chain
}

// parseBack reads a URL as the middleware mounted at prefix does: the
// part after prefix + "/", a tr: first segment, a tr query parameter, and
// the key with each segment unescaped. It uses only the standard library
// and pipeline.Parse.
func parseBack(t testing.TB, raw, prefix string) parsed {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("url.Parse(%q): %v", raw, err)
	}
	rel, ok := strings.CutPrefix(u.EscapedPath(), prefix+"/")
	if !ok {
		t.Fatalf("%q is not under %q", raw, prefix)
	}
	var p parsed
	if first, rest, _ := strings.Cut(rel, "/"); strings.HasPrefix(first, "tr:") {
		tr, err := url.PathUnescape(strings.TrimPrefix(first, "tr:"))
		if err != nil {
			t.Fatalf("%q: tr segment: %v", raw, err)
		}
		if p.chain, err = pipeline.Parse(tr); err != nil {
			t.Fatalf("%q: path tr %q: %v", raw, tr, err)
		}
		rel = rest
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		t.Fatalf("%q: query: %v", raw, err)
	}
	if tr := q["tr"]; len(tr) > 0 {
		c, err := pipeline.Parse(tr[0])
		if err != nil {
			t.Fatalf("%q: query tr %q: %v", raw, tr[0], err)
		}
		p.chain = append(p.chain, c...)
	}
	var segs []string
	for s := range strings.SplitSeq(rel, "/") {
		seg, err := url.PathUnescape(s)
		if err != nil {
			t.Fatalf("%q: segment %q: %v", raw, s, err)
		}
		segs = append(segs, seg)
	}
	p.key = strings.Join(segs, "/")
	return p
}

// templateSrc returns raw as html/template writes it into a src attribute,
// unescaped back from HTML.
func templateSrc(t testing.TB, tmpl *template.Template, raw string) string {
	t.Helper()
	var sb strings.Builder
	if err := tmpl.Execute(&sb, raw); err != nil {
		t.Fatal(err)
	}
	out := strings.TrimSuffix(strings.TrimPrefix(sb.String(), `<img src="`), `">`)
	return html.UnescapeString(out)
}

// mount is a middleware and the builders that make URLs for it.
type mount struct {
	prefix    string
	handler   *middleware.Handler
	endpoints []string
}

// TestPropertyRoundTrip makes URLs for random transformations and paths
// with builders in every configuration (path and query form, endpoint path
// or absolute URL, mounted under a prefix or at the root, signed with or
// without expiry, with and without extra query parameters and a default
// transformation), and checks that each one
//
//   - parses back, read as the middleware reads it, to the path and to
//     the chain that pipeline.Parse makes of the steps' canonical form;
//   - goes through html/template's URL normaliser unchanged, so a URL
//     written into a page is requested exactly as it was signed;
//   - is served with 200 by a real middleware that requires signatures
//     with the same key, over a store holding a PNG at that path; and
//   - has the same ETag (the hash of the source and the canonical chain
//     the middleware computed) as a reference URL written by hand with
//     net/url escaping and the canonical chain in the query.
func TestPropertyRoundTrip(t *testing.T) {
	n := 400
	if testing.Short() {
		n = 120
	}
	ctx := context.Background()
	src := store.Memory()
	body := testPNG(t, srcW, srcH)
	newHandler := func(prefix string) *middleware.Handler {
		h, err := middleware.New(src,
			middleware.WithPrefix(prefix),
			middleware.WithSigningKeys("old-key", propertyKey),
			middleware.WithSigningRequired(true),
			middleware.WithNamedTransformations(map[string]string{"thumb": "w-24,h-24,c-at_max"}),
			middleware.WithAutoFormats(pipeline.FormatWebP),
			middleware.WithAVIFWarmUp(false),
			middleware.WithWorkers(2),
			middleware.WithLogger(slog.New(slog.DiscardHandler)),
		)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	mounts := []mount{
		{"/img", newHandler("/img"), []string{"/img", "https://cdn.example.com/img/"}},
		{"", newHandler(""), []string{"", "https://cdn.example.com"}},
	}
	tmpl := template.Must(template.New("src").Parse(`<img src="{{.}}">`))
	g := gen{rand.New(rand.NewPCG(5, 2026))}
	const defaultTr = "w-40,c-at_max"
	defaultChain, _ := pipeline.Parse(defaultTr)

	type config struct {
		m                 mount
		endpoint          string
		query, expiry, dt bool
	}
	var configs []config
	for _, m := range mounts {
		for _, ep := range m.endpoints {
			for _, query := range []bool{false, true} {
				for _, expiry := range []bool{false, true} {
					for _, dt := range []bool{false, true} {
						configs = append(configs, config{m, ep, query, expiry, dt})
					}
				}
			}
		}
	}
	builders := make([]*Builder, len(configs))
	for i, c := range configs {
		opts := []Option{WithEndpoint(c.endpoint), WithQueryTransformation(c.query), WithSigningKey(propertyKey)}
		if c.expiry {
			opts = append(opts, WithExpiry(time.Hour))
		}
		if c.dt {
			opts = append(opts, WithDefaultTransformation(defaultTr))
		}
		b, err := New(opts...)
		if err != nil {
			t.Fatal(err)
		}
		builders[i] = b
	}

	served := 0
	statuses := map[int]int{}
	features := map[string]int{}
	count := func(steps []pipeline.Step, query url.Values) {
		features[fmt.Sprintf("%d steps", len(steps))]++
		if query != nil {
			features["extra query"]++
		}
		for _, s := range steps {
			for name, on := range map[string]bool{
				"extract": s.CropMode == pipeline.CropModeExtract, "pad_extract": s.CropMode == pipeline.CropModePadExtract,
				"pad_resize": s.CropMode == pipeline.CropModePadResize, "fraction": s.Width.Fraction > 0 || s.Height.Fraction > 0,
				"ar": s.AspectRatio.IsSet(), "rotate": s.Rotate != 0, "bg": s.Background.Set, "border": s.Border.Width > 0,
				"radius": s.Radius.IsSet(), "usm": s.USM.On, "trim": s.Trim.On, "n-": s.Named != "", "di-": s.DefaultImage != "",
				"orig": s.Original, "f-avif": s.Format == pipeline.FormatAVIF, "f-gif": s.Format == pipeline.FormatGIF,
			} {
				if on {
					features[name]++
				}
			}
		}
	}
	for i := range n {
		ci := i % len(configs)
		c, b := configs[ci], builders[ci]
		path := g.path()
		key := strings.TrimLeft(path, "/")
		steps := g.chain()
		var query url.Values
		if g.chance(0.2) {
			query = url.Values{"v": {fmt.Sprint(i)}, "a b": {"c&d=e+f"}}
		}
		raw, err := b.URLWithQuery(path, query, steps...)
		if err != nil {
			t.Fatalf("URL(%q, %v): %v", path, pipeline.Chain(steps), err)
		}
		count(steps, query)

		// The chain the URL must carry.
		want, err := pipeline.Parse(pipeline.Chain(steps).String())
		if err != nil {
			t.Fatalf("generator made an invalid chain %q: %v", pipeline.Chain(steps).String(), err)
		}
		if len(want) == 0 && c.dt {
			want = defaultChain
		}
		got := parseBack(t, raw, c.m.prefix)
		if got.key != key {
			t.Errorf("URL %q: key = %q, want %q", raw, got.key, key)
		}
		if diff := cmp.Diff(want, got.chain); diff != "" {
			t.Errorf("URL %q: chain (-want +got):\n%s", raw, diff)
		}
		if got.chain.String() != want.String() {
			t.Errorf("URL %q: canonical = %q, want %q", raw, got.chain.String(), want.String())
		}
		if s := templateSrc(t, tmpl, raw); s != raw {
			t.Errorf("html/template changed %q into %q", raw, s)
		}

		// Serve it.
		if err := src.Put(ctx, key, bytes.NewReader(body), store.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		c.m.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, raw, nil))
		statuses[rec.Code]++
		if rec.Code != http.StatusOK {
			t.Errorf("GET %q (chain %q) = %d %q, want 200", raw, want.String(), rec.Code, strings.TrimSpace(rec.Body.String()))
			continue
		}
		served++

		// The reference URL: net/url escaping, canonical chain in the query.
		ref := reference(c.m.prefix, key, query, want.String())
		rec2 := httptest.NewRecorder()
		c.m.handler.ServeHTTP(rec2, httptest.NewRequest(http.MethodGet, ref, nil))
		if rec2.Code != http.StatusOK {
			t.Errorf("GET reference %q = %d %q", ref, rec2.Code, strings.TrimSpace(rec2.Body.String()))
			continue
		}
		if e1, e2 := rec.Header().Get("ETag"), rec2.Header().Get("ETag"); e1 == "" || e1 != e2 {
			t.Errorf("ETag of %q = %s, of the reference %q = %s: want equal", raw, e1, ref, e2)
		}
		if t.Failed() && i > 20 {
			t.FailNow()
		}
	}
	t.Logf("%d URLs in %d configurations, %d served with 200 through the middleware (statuses %v); features %v", n, len(configs), served, statuses, features)
}

// reference returns a URL for key and the canonical chain tr written
// independently of the Builder: path segments escaped by url.PathEscape,
// tr in the query escaped by url.QueryEscape, signed with propertyKey.
func reference(prefix, key string, query url.Values, tr string) string {
	segs := strings.Split(key, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	rel := strings.Join(segs, "/")
	q := query.Encode()
	if tr != "" {
		if q != "" {
			q += "&"
		}
		q += "tr=" + url.QueryEscape(tr)
	}
	sig := signature.Sign([]byte(propertyKey), signature.StringToSign(rel, q, ""))
	if q != "" {
		q += "&"
	}
	return prefix + "/" + rel + "?" + q + "ik-s=" + sig
}

// TestPropertySigningEnforced checks the other side: the middleware
// refuses URLs whose signature does not match (a changed transformation,
// another key, an expired ik-t, no ik-s at all).
func TestPropertySigningEnforced(t *testing.T) {
	ctx := context.Background()
	src := store.Memory()
	if err := src.Put(ctx, "photos/a cat.png", bytes.NewReader(testPNG(t, srcW, srcH)), store.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	h, err := middleware.New(src, middleware.WithSigningKeys(propertyKey), middleware.WithSigningRequired(true),
		middleware.WithAVIFWarmUp(false), middleware.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	step := pipeline.Step{Width: pipeline.Dimension{Pixels: 20}}
	mustURL := func(b *Builder) string {
		u, err := b.URL("photos/a cat.png", step)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	good, _ := New(WithSigningKey(propertyKey))
	other, _ := New(WithSigningKey("another-key"))
	past := func() time.Time { return time.Now().Add(-2 * time.Hour) }
	expired, _ := New(WithSigningKey(propertyKey), WithExpiry(time.Hour), WithClock(past))
	live, _ := New(WithSigningKey(propertyKey), WithExpiry(time.Hour))
	unsigned, _ := New()
	u := mustURL(good)
	tests := map[string]struct {
		url  string
		want int
	}{
		"good":            {u, http.StatusOK},
		"live expiry":     {mustURL(live), http.StatusOK},
		"changed tr":      {strings.Replace(u, "w-20", "w-21", 1), http.StatusUnauthorized},
		"other key":       {mustURL(other), http.StatusUnauthorized},
		"expired":         {mustURL(expired), http.StatusUnauthorized},
		"unsigned":        {mustURL(unsigned), http.StatusUnauthorized},
		"extra parameter": {u + "&x=1", http.StatusUnauthorized},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.url, nil))
			if rec.Code != tc.want {
				t.Errorf("GET %q = %d %q, want %d", tc.url, rec.Code, strings.TrimSpace(rec.Body.String()), tc.want)
			}
		})
	}
}

// TestPropertyRealServer sends a few URLs over a real HTTP connection, so
// that what net/http's client writes on the wire and its server reads back
// is covered too.
func TestPropertyRealServer(t *testing.T) {
	ctx := context.Background()
	src := store.Memory()
	h, err := middleware.New(src, middleware.WithSigningKeys(propertyKey), middleware.WithSigningRequired(true),
		middleware.WithAVIFWarmUp(false), middleware.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	body := testPNG(t, srcW, srcH)
	g := gen{rand.New(rand.NewPCG(7, 7))}
	for _, query := range []bool{false, true} {
		b, err := New(WithEndpoint(srv.URL+"/img"), WithSigningKey(propertyKey), WithExpiry(time.Minute), WithQueryTransformation(query))
		if err != nil {
			t.Fatal(err)
		}
		for range 10 {
			path := g.path()
			if err := src.Put(ctx, strings.TrimLeft(path, "/"), bytes.NewReader(body), store.PutOptions{}); err != nil {
				t.Fatal(err)
			}
			u, err := b.URL(path, pipeline.Step{Width: pipeline.Dimension{Pixels: g.between(1, 40)}, Rotate: 90})
			if err != nil {
				t.Fatal(err)
			}
			resp, err := srv.Client().Get(u)
			if err != nil {
				t.Fatal(err)
			}
			msg, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("GET %q = %d %q, want 200", u, resp.StatusCode, bytes.TrimSpace(msg))
			}
		}
	}
}
