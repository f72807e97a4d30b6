package urlgen

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"image/color"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/pipeline"
	"github.com/imgcdn/imgcdn/store"
)

// dict is the usual template helper that makes a map of its arguments.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, errors.New("dict: key is not a string")
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

func TestFuncMap(t *testing.T) {
	ctx := context.Background()
	src := store.Memory()
	if err := src.Put(ctx, "cat.png", bytes.NewReader(encodePNG(t, photo(40, 30, color.NRGBA{200, 0, 0, 255}, color.NRGBA{0, 0, 200, 255}, color.NRGBA{255, 255, 255, 255}, false))), store.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	b, err := New(WithSource(src))
	if err != nil {
		t.Fatal(err)
	}
	direct := func(h template.HTML, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return string(h)
	}
	must := func(s string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	w400 := pipeline.Step{Width: pipeline.Dimension{Pixels: 400}}
	crop := pipeline.Step{Width: pipeline.Dimension{Pixels: 1200}, Height: pipeline.Dimension{Pixels: 800}}
	data := map[string]any{
		"Step":  w400,
		"Steps": []pipeline.Step{w400, {Rotate: 90}},
		"Chain": pipeline.Chain{w400},
		"Image": Image{Width: 300, Height: 200, Alt: "from data"},
	}
	tests := map[string]struct {
		tmpl string
		want string
	}{
		"imgURL":           {`{{imgURL "a b.jpg"}}`, "/img/a%20b.jpg"},
		"imgURL tr":        {`{{imgURL "a.jpg" "w-400,h-300:rt-90"}}`, "/img/tr:w-400,h-300:rt-90/a.jpg"},
		"imgURL several":   {`{{imgURL "a.jpg" "w-400" "rt-90" .Step}}`, "/img/tr:w-400:rt-90:w-400/a.jpg"},
		"imgURL steps":     {`{{imgURL "a.jpg" .Steps .Chain}}`, "/img/tr:w-400:rt-90:w-400/a.jpg"},
		"imgURL attribute": {`<a href="{{imgURL "it's.jpg" "w-10"}}">`, `<a href="/img/tr:w-10/it%27s.jpg">`},
		"srcset": {`<img srcset="{{srcset "a.jpg" "w=400"}}">`,
			`<img srcset="/img/tr:w-640,c-at_max/a.jpg 1x, /img/tr:w-828,c-at_max/a.jpg 2x">`},
		"sizes": {`{{sizes "sizes=50vw"}}|{{sizes "w=400"}}|{{sizes}}`, "50vw||100vw"},
		"img":   {`{{img "a.jpg" "w=400" "h=300" "alt=x=y, z" "class=c" "q=70"}}`, direct(b.Img("a.jpg", Image{Width: 400, Height: 300, Alt: "x=y, z", Class: "c", Quality: 70}))},
		"img long keys": {`{{img "a.jpg" "width=400" "height=300" "quality=70" "loading=eager"}}`,
			direct(b.Img("a.jpg", Image{Width: 400, Height: 300, Quality: 70, Loading: "eager"}))},
		"img tr": {`{{img "a.jpg" "w=400" "tr=w-1200,h-800" "priority=true"}}`,
			direct(b.Img("a.jpg", Image{Width: 400, Steps: []pipeline.Step{crop}, Priority: true}))},
		"img dict": {`{{img "a.jpg" (dict "w" 400 "h" "300" "alt" "A" "priority" true "sizes" "50vw")}}`,
			direct(b.Img("a.jpg", Image{Width: 400, Height: 300, Alt: "A", Priority: true, Sizes: "50vw"}))},
		"img Image": {`{{img "a.jpg" .Image "alt=amended"}}`,
			direct(b.Img("a.jpg", Image{Width: 300, Height: 200, Alt: "amended"}))},
		"picture": {`{{picture "a.jpg" "w=400" "h=300" "sizes=(max-width: 768px) 100vw, 33vw"}}`,
			direct(b.Picture("a.jpg", Image{Width: 400, Height: 300, Sizes: "(max-width: 768px) 100vw, 33vw"}))},
		"placeholderURL": {`{{placeholderURL "a.jpg" "tr=w-100,h-100"}}`, "/img/tr:w-100,h-100:w-32,c-at_max,bl-3,q-30/a.jpg"},
		"placeholder": {`<div style="background-image:url({{placeholder "cat.png"}})"></div>`,
			`<div style="background-image:url(` + strings.ReplaceAll(must(func() (string, error) { u, err := b.Placeholder(ctx, "cat.png"); return string(u), err }()), "+", "&#43;") + `)"></div>`},
		"placeholder into img": {`{{img "a.jpg" "w=4" "h=3" (dict "placeholder" (placeholder "cat.png"))}}`,
			direct(b.Img("a.jpg", Image{Width: 4, Height: 3, Placeholder: template.URL(must(func() (string, error) { u, err := b.Placeholder(ctx, "cat.png"); return string(u), err }()))}))},
		"placeholder URL string": {`{{img "a.jpg" "w=4" "h=3" (printf "placeholder=%s" (placeholderURL "a.jpg"))}}`,
			direct(b.Img("a.jpg", Image{Width: 4, Height: 3, Placeholder: "/img/tr:w-32,c-at_max,bl-3,q-30/a.jpg"}))},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			tmpl, err := template.New(name).Funcs(b.FuncMap()).Funcs(template.FuncMap{"dict": dict}).Parse(tc.tmpl)
			if err != nil {
				t.Fatal(err)
			}
			var sb strings.Builder
			if err := tmpl.Execute(&sb, data); err != nil {
				t.Fatalf("Execute(%s): %v", tc.tmpl, err)
			}
			if sb.String() != tc.want {
				t.Errorf("Execute(%s) =\n%s\nwant\n%s", tc.tmpl, sb.String(), tc.want)
			}
		})
	}
}

func TestFuncMapErrors(t *testing.T) {
	src := store.Memory()
	b, err := New(WithSource(src))
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := map[string]struct {
		tmpl string
		fm   template.FuncMap
	}{
		"bad tr":            {`{{imgURL "a.jpg" "w-0"}}`, nil},
		"bad tr type":       {`{{imgURL "a.jpg" 3}}`, nil},
		"bad path":          {`{{imgURL "../a.jpg"}}`, nil},
		"not key=value":     {`{{img "a.jpg" "400"}}`, nil},
		"unknown key":       {`{{img "a.jpg" "w=400" "h=300" "colour=red"}}`, nil},
		"bad number":        {`{{img "a.jpg" "w=four"}}`, nil},
		"bad bool":          {`{{img "a.jpg" "w=4" "h=3" "priority=yes please"}}`, nil},
		"fraction":          {`{{img "a.jpg" (dict "w" 4.5 "h" 3)}}`, nil},
		"bad arg type":      {`{{img "a.jpg" 400}}`, nil},
		"bad tr arg":        {`{{img "a.jpg" "w=4" "h=3" "tr=w-0"}}`, nil},
		"no height":         {`{{img "a.jpg" "w=400"}}`, nil},
		"unsafe place":      {`{{img "a.jpg" "w=4" "h=3" "placeholder=javascript:alert(1)"}}`, nil},
		"missing image":     {`{{placeholder "missing.png"}}`, nil},
		"srcset bad":        {`{{srcset "a.jpg" "q=500"}}`, nil},
		"sizes bad":         {`{{sizes "x=1"}}`, nil},
		"picture bad":       {`{{picture "a.jpg"}}`, nil},
		"placeholderURL":    {`{{placeholderURL "" }}`, nil},
		"cancelled context": {`{{placeholder "missing.png"}}`, b.FuncMapContext(cancelled)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			fm := tc.fm
			if fm == nil {
				fm = b.FuncMap()
			}
			tmpl, err := template.New(name).Funcs(fm).Funcs(template.FuncMap{"dict": dict}).Parse(tc.tmpl)
			if err != nil {
				t.Fatal(err)
			}
			var sb strings.Builder
			if err := tmpl.Execute(&sb, nil); err == nil {
				t.Errorf("Execute(%s) = %q, want an error", tc.tmpl, sb.String())
			}
		})
	}
}
