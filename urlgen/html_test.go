package urlgen

import (
	"bytes"
	"context"
	"html"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/middleware"
	"github.com/imgcdn/imgcdn/pipeline"
	"github.com/imgcdn/imgcdn/store"
)

var (
	tagRe  = regexp.MustCompile(`<(\w+)((?:\s+[\w-]+="[^"]*")*)\s*>`)
	attrRe = regexp.MustCompile(`([\w-]+)="([^"]*)"`)
)

// element is a parsed start tag.
type element struct {
	name  string
	attrs map[string]string // unescaped values
	order []string
}

// parseTags returns the start tags of s, checking that nothing but tags
// (and end tags) is in it.
func parseTags(t *testing.T, s string) []element {
	t.Helper()
	var out []element
	rest := strings.ReplaceAll(s, "</picture>", "")
	for _, m := range tagRe.FindAllStringSubmatch(rest, -1) {
		e := element{name: m[1], attrs: map[string]string{}}
		for _, a := range attrRe.FindAllStringSubmatch(m[2], -1) {
			if _, dup := e.attrs[a[1]]; dup {
				t.Errorf("attribute %s repeated in %q", a[1], m[0])
			}
			e.attrs[a[1]] = html.UnescapeString(a[2])
			e.order = append(e.order, a[1])
		}
		out = append(out, e)
	}
	if left := tagRe.ReplaceAllString(rest, ""); left != "" {
		t.Errorf("markup %q has text outside tags: %q", s, left)
	}
	return out
}

var crop1200x800 = pipeline.Step{Width: pipeline.Dimension{Pixels: 1200}, Height: pipeline.Dimension{Pixels: 800}, Focus: pipeline.FocusAuto}

func TestImg(t *testing.T) {
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	c := func(tr string) string { return "/img/tr:" + tr + "/photos/cat.jpg" }
	tests := map[string]struct {
		o    Image
		want string
	}{
		"fixed": {Image{Width: 400, Height: 300, Alt: "A cat"},
			`<img src="` + c("w-828,c-at_max") + `" srcset="` + c("w-640,c-at_max") + ` 1x, ` + c("w-828,c-at_max") + ` 2x"` +
				` width="400" height="300" alt="A cat" loading="lazy" decoding="async">`},
		"height from steps": {Image{Width: 400, Steps: []pipeline.Step{crop1200x800}, Quality: 60, Class: "hero"},
			`<img src="` + c("w-1200,h-800,fo-auto:w-828,c-at_max,q-60") + `" srcset="` + c("w-1200,h-800,fo-auto:w-640,c-at_max,q-60") + ` 1x, ` +
				c("w-1200,h-800,fo-auto:w-828,c-at_max,q-60") + ` 2x" width="400" height="267" alt="" class="hero" loading="lazy" decoding="async">`},
		"sizes": {Image{Width: 800, Height: 600, Sizes: "(max-width: 768px) 100vw, 50vw"},
			`<img src="` + c("w-3840,c-at_max") + `" srcset="` + c("w-384,c-at_max") + ` 384w, ` + c("w-640,c-at_max") + ` 640w, ` +
				c("w-750,c-at_max") + ` 750w, ` + c("w-828,c-at_max") + ` 828w, ` + c("w-1080,c-at_max") + ` 1080w, ` +
				c("w-1200,c-at_max") + ` 1200w, ` + c("w-1920,c-at_max") + ` 1920w, ` + c("w-2048,c-at_max") + ` 2048w, ` +
				c("w-3840,c-at_max") + ` 3840w" sizes="(max-width: 768px) 100vw, 50vw" width="800" height="600" alt="" loading="lazy" decoding="async">`},
		"priority": {Image{Width: 400, Height: 300, Priority: true},
			`<img src="` + c("w-828,c-at_max") + `" srcset="` + c("w-640,c-at_max") + ` 1x, ` + c("w-828,c-at_max") + ` 2x"` +
				` width="400" height="300" alt="" loading="eager" decoding="async" fetchpriority="high">`},
		"eager": {Image{Width: 400, Height: 300, Loading: "eager"},
			`<img src="` + c("w-828,c-at_max") + `" srcset="` + c("w-640,c-at_max") + ` 1x, ` + c("w-828,c-at_max") + ` 2x"` +
				` width="400" height="300" alt="" loading="eager" decoding="async">`},
		"placeholder": {Image{Width: 400, Height: 300, Placeholder: "data:image/png;base64,iVBO+/="},
			`<img src="` + c("w-828,c-at_max") + `" srcset="` + c("w-640,c-at_max") + ` 1x, ` + c("w-828,c-at_max") + ` 2x"` +
				` width="400" height="300" alt="" loading="lazy" decoding="async"` +
				` style="background-size:cover;background-position:center;background-repeat:no-repeat;background-image:url(data:image/png;base64,iVBO&#43;/=)">`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := b.Img("photos/cat.jpg", tc.o)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("Img(%+v) =\n%s\nwant\n%s", tc.o, got, tc.want)
			}
			parseTags(t, string(got))
		})
	}
}

func TestPicture(t *testing.T) {
	b, err := New(WithEndpoint("https://cdn.example.com/img"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.Picture("photos/cat.jpg", Image{Width: 400, Height: 300, Alt: "A cat"})
	if err != nil {
		t.Fatal(err)
	}
	c := func(tr string) string { return "https://cdn.example.com/img/tr:" + tr + "/photos/cat.jpg" }
	want := `<picture>` +
		`<source type="image/avif" srcset="` + c("w-640,c-at_max,f-avif") + ` 1x, ` + c("w-828,c-at_max,f-avif") + ` 2x">` +
		`<source type="image/webp" srcset="` + c("w-640,c-at_max,f-webp") + ` 1x, ` + c("w-828,c-at_max,f-webp") + ` 2x">` +
		`<img src="` + c("w-828,c-at_max") + `" srcset="` + c("w-640,c-at_max") + ` 1x, ` + c("w-828,c-at_max") + ` 2x"` +
		` width="400" height="300" alt="A cat" loading="lazy" decoding="async"></picture>`
	if string(got) != want {
		t.Errorf("Picture =\n%s\nwant\n%s", got, want)
	}

	got, err = b.Picture("photos/cat.jpg", Image{Width: 400, Height: 300, Sizes: "50vw"})
	if err != nil {
		t.Fatal(err)
	}
	tags := parseTags(t, string(got))
	if len(tags) != 4 || tags[0].name != "picture" || tags[1].name != "source" || tags[2].name != "source" || tags[3].name != "img" {
		t.Fatalf("Picture = %s: want picture, source, source, img", got)
	}
	for i, f := range []string{"avif", "webp"} {
		s := tags[1+i]
		if s.attrs["sizes"] != "50vw" || s.attrs["type"] != "image/"+f {
			t.Errorf("source %d = %v, want type image/%s and sizes 50vw", i, s.attrs, f)
		}
		if n := strings.Count(s.attrs["srcset"], ",f-"+f+"/"); n != 9 {
			t.Errorf("source %d has %d candidates with f-%s, want 9: %s", i, n, f, s.attrs["srcset"])
		}
	}
}

// TestImgEscaping writes hostile paths, alt texts and classes, and checks
// that they stay inside their attributes and read back unchanged.
func TestImgEscaping(t *testing.T) {
	b, err := New(WithSigningKey("k"), WithEndpoint("https://cdn.example.com/img"))
	if err != nil {
		t.Fatal(err)
	}
	hostile := []string{
		`"><script>alert(1)</script>`,
		`' onerror='alert(1)`,
		`a&b&amp;c.jpg`,
		"x\" srcset=\"javascript:alert(1) 1x",
		"</picture><img src=x onerror=alert(1)>",
		"javascript:alert(1)",
		"a, b 2x, c.jpg",
	}
	for _, h := range hostile {
		path := "photos/" + h + ".jpg"
		o := Image{Width: 400, Height: 300, Alt: h, Class: h, Sizes: h + " 50vw"}
		for name, render := range map[string]func(string, Image) (string, error){
			"img": func(p string, o Image) (string, error) { s, err := b.Img(p, o); return string(s), err },
			"picture": func(p string, o Image) (string, error) {
				s, err := b.Picture(p, o)
				return string(s), err
			},
		} {
			got, err := render(path, o)
			if err != nil {
				t.Fatalf("%s(%q): %v", name, path, err)
			}
			if strings.Contains(got, "<script") || strings.Contains(got, "'") {
				t.Errorf("%s(%q) lets markup through: %s", name, path, got)
			}
			// Exactly the elements made, each with only its own attributes.
			tags := parseTags(t, got)
			if want := map[string]int{"img": 1, "picture": 4}[name]; len(tags) != want {
				t.Errorf("%s(%q) = %d elements, want %d: %s", name, path, len(tags), want, got)
			}
			for _, e := range tags {
				for a := range e.attrs {
					if !strings.Contains(" src srcset sizes width height alt class loading decoding type ", " "+a+" ") {
						t.Errorf("%s(%q): attribute %q on <%s>", name, path, a, e.name)
					}
				}
			}
			img := tags[len(tags)-1]
			if img.name != "img" {
				t.Fatalf("%s(%q): last tag %q, want img", name, path, img.name)
			}
			if img.attrs["alt"] != h || img.attrs["class"] != h || img.attrs["sizes"] != h+" 50vw" {
				t.Errorf("%s(%q): alt %q, class %q, sizes %q: want them unchanged", name, path, img.attrs["alt"], img.attrs["class"], img.attrs["sizes"])
			}
			set, err := b.Srcset(path, o)
			if err != nil {
				t.Fatal(err)
			}
			if img.attrs["srcset"] != set {
				t.Errorf("%s(%q): srcset reads back as %q, want %q", name, path, img.attrs["srcset"], set)
			}
			last := set[strings.LastIndex(set, ", ")+2:]
			if src := last[:strings.IndexByte(last, ' ')]; img.attrs["src"] != src {
				t.Errorf("%s(%q): src reads back as %q, want %q", name, path, img.attrs["src"], src)
			}
			wantOrder := []string{"src", "srcset", "sizes", "width", "height", "alt", "class", "loading", "decoding"}
			if strings.Join(img.order, " ") != strings.Join(wantOrder, " ") {
				t.Errorf("%s(%q): attributes %v, want %v", name, path, img.order, wantOrder)
			}
		}
	}
}

func TestImgErrors(t *testing.T) {
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]Image{
		"no width":         {Height: 300},
		"no aspect":        {Width: 400},
		"at_max steps":     {Width: 400, Steps: []pipeline.Step{{Width: pipeline.Dimension{Pixels: 300}, Height: pipeline.Dimension{Pixels: 200}, Crop: pipeline.CropAtMax}}},
		"bad loading":      {Width: 400, Height: 300, Loading: "auto"},
		"priority lazy":    {Width: 400, Height: 300, Loading: "lazy", Priority: true},
		"bad quality":      {Width: 400, Height: 300, Quality: 200},
		"negative height":  {Width: 400, Height: -1},
		"invalid step":     {Width: 400, Height: 300, Steps: []pipeline.Step{{Blur: 200}}},
		"no wide breakpnt": {Width: 400, Height: 300, Sizes: "199vw, 150vw"},
	}
	small, err := New(WithBreakpoints([]int{640}, nil))
	if err != nil {
		t.Fatal(err)
	}
	for name, o := range tests {
		t.Run(name, func(t *testing.T) {
			bb := b
			if name == "no wide breakpnt" {
				bb = small
			}
			if got, err := bb.Img("a.jpg", o); err == nil {
				t.Errorf("Img(%+v) = %s, want an error", o, got)
			}
			if got, err := bb.Picture("a.jpg", o); err == nil {
				t.Errorf("Picture(%+v) = %s, want an error", o, got)
			}
		})
	}
	if got, err := b.Img("a/../b.jpg", Image{Width: 1, Height: 1}); err == nil {
		t.Errorf("Img of an invalid path = %s, want an error", got)
	}
}

func TestStepsAspect(t *testing.T) {
	px := func(n int) pipeline.Dimension { return pipeline.Dimension{Pixels: n} }
	tests := map[string]struct {
		steps []pipeline.Step
		want  float64 // 0: unknown
	}{
		"none":              {nil, 0},
		"cover":             {[]pipeline.Step{{Width: px(300), Height: px(200)}}, 1.5},
		"force":             {[]pipeline.Step{{Width: px(300), Height: px(200), Crop: pipeline.CropForce}}, 1.5},
		"at_max":            {[]pipeline.Step{{Width: px(300), Height: px(200), Crop: pipeline.CropAtMax}}, 0},
		"at_least":          {[]pipeline.Step{{Width: px(300), Height: px(200), Crop: pipeline.CropAtLeast}}, 0},
		"pad_resize":        {[]pipeline.Step{{Width: px(300), Height: px(200), Crop: pipeline.CropAtMax, CropMode: pipeline.CropModePadResize}}, 1.5},
		"extract":           {[]pipeline.Step{{Width: px(100), Height: px(400), CropMode: pipeline.CropModeExtract}}, 0.25},
		"ar":                {[]pipeline.Step{{Width: px(300), AspectRatio: pipeline.Ratio{W: 16, H: 9}}}, 16.0 / 9},
		"ar at_max":         {[]pipeline.Step{{Width: px(300), AspectRatio: pipeline.Ratio{W: 16, H: 9}, Crop: pipeline.CropAtMax}}, 0},
		"one side":          {[]pipeline.Step{{Width: px(300)}}, 0},
		"fraction":          {[]pipeline.Step{{Width: pipeline.Dimension{Fraction: 0.5}, Height: px(200)}}, 0},
		"rotated":           {[]pipeline.Step{{Width: px(300), Height: px(200), Rotate: 90}}, 2.0 / 3},
		"rotated later":     {[]pipeline.Step{{Width: px(300), Height: px(200)}, {Rotate: 270}, {Rotate: 180, Grayscale: true}}, 2.0 / 3},
		"odd rotation":      {[]pipeline.Step{{Width: px(300), Height: px(200)}, {Rotate: 45}}, 0},
		"border":            {[]pipeline.Step{{Width: px(300), Height: px(200), Border: pipeline.Border{Width: 2}}}, 0},
		"trim first":        {[]pipeline.Step{{Width: px(300), Height: px(200), Trim: pipeline.Trim{On: true}}}, 1.5},
		"trim after":        {[]pipeline.Step{{Width: px(300), Height: px(200)}, {Trim: pipeline.Trim{On: true}}}, 0},
		"resized after":     {[]pipeline.Step{{Width: px(300), Height: px(200)}, {Width: px(100), Crop: pipeline.CropAtMax}}, 0},
		"effects after":     {[]pipeline.Step{{Width: px(300), Height: px(200)}, {Blur: 5, Flip: pipeline.FlipBoth}}, 1.5},
		"earlier unknown":   {[]pipeline.Step{{Trim: pipeline.Trim{On: true}}, {Width: px(300), Height: px(200)}}, 1.5},
		"named after":       {[]pipeline.Step{{Width: px(300), Height: px(200)}, {Named: "x"}}, 0},
		"original anywhere": {[]pipeline.Step{{Width: px(300), Height: px(200), Original: true}}, 0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, ok := stepsAspect(tc.steps)
			if ok != (tc.want != 0) || math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("stepsAspect(%v) = %v, %v, want %v", pipeline.Chain(tc.steps), got, ok, tc.want)
			}
		})
	}
}

// TestPictureServed requests every candidate of a <picture> from a real
// middleware, as a browser choosing any of them would.
func TestPictureServed(t *testing.T) {
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
	b, err := New(WithSigningKey(propertyKey), WithQueryTransformation(true))
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.Picture("photos/a cat.png", Image{Width: 300, Height: 200, Sizes: "(max-width: 600px) 100vw, 60vw", Steps: []pipeline.Step{{
		Width: pipeline.Dimension{Pixels: 30}, Height: pipeline.Dimension{Pixels: 20},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]string{"image/avif": "image/avif", "image/webp": "image/webp", "": ""}
	n := 0
	for _, e := range parseTags(t, string(got)) {
		for cand := range strings.SplitSeq(e.attrs["srcset"], ", ") {
			if cand == "" {
				continue
			}
			u, _, _ := strings.Cut(cand, " ")
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, u, nil)
			req.Header.Set("Accept", "image/webp,*/*")
			h.ServeHTTP(rec, req)
			n++
			if rec.Code != http.StatusOK {
				t.Errorf("GET %q = %d %q", u, rec.Code, rec.Body.String())
				continue
			}
			want := types[e.attrs["type"]]
			if ct := rec.Header().Get("Content-Type"); want != "" && ct != want {
				t.Errorf("GET %q: Content-Type %q, want %q", u, ct, want)
			}
		}
	}
	if n != 27 {
		t.Errorf("%d candidates requested, want 27 (3 × 9)", n)
	}
}
