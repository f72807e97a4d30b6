package urlgen

import (
	"errors"
	"html/template"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/pipeline"
	"github.com/imgcdn/imgcdn/store"
)

// FuzzURL builds URLs for arbitrary paths and transformations (whatever
// pipeline.Parse accepts) in the path and query forms, and checks that a
// URL is made for every valid store key, and that each parses back, read
// as the middleware reads it, to the same key and canonical chain, and
// goes through html/template unchanged.
func FuzzURL(f *testing.F) {
	f.Add("photos/cat.jpg", "w-300,h-200:rt-90", false)
	f.Add("/a b/it's (1)&x+y=z?#%.jpg", "di-de fault@@x&y+z.png,w-10", true)
	f.Add("猫/🙂;.png", "bg-red,b-2_00FF0080,e-usm-2-2-0.8-0.024", false)
	f.Add("tr:x/a.jpg", "", true)
	f.Add("a/../b.jpg", "n-thumb", false)
	tmpl := template.Must(template.New("src").Parse(`<img src="{{.}}">`))
	builders := map[bool]*Builder{}
	for _, q := range []bool{false, true} {
		b, err := New(WithSigningKey("k"), WithQueryTransformation(q))
		if err != nil {
			f.Fatal(err)
		}
		builders[q] = b
	}
	f.Fuzz(func(t *testing.T, path, tr string, query bool) {
		chain, err := pipeline.Parse(tr)
		if err != nil {
			return
		}
		raw, err := builders[query].URL(path, chain...)
		key := strings.TrimLeft(path, "/")
		if err != nil {
			if store.CheckKey(key) == nil && !strings.HasPrefix(key, "tr:") {
				t.Fatalf("URL(%q, %q) error %v for a valid key", path, tr, err)
			}
			if !strings.HasPrefix(key, "tr:") && !errors.Is(err, store.ErrInvalidKey) {
				t.Fatalf("URL(%q, %q) error %v does not wrap ErrInvalidKey", path, tr, err)
			}
			return
		}
		got := parseBack(t, raw, "/img")
		if got.key != key {
			t.Fatalf("URL %q: key %q, want %q", raw, got.key, key)
		}
		if got.chain.String() != chain.String() {
			t.Fatalf("URL %q: chain %q, want %q", raw, got.chain.String(), chain.String())
		}
		if s := templateSrc(t, tmpl, raw); s != raw {
			t.Fatalf("html/template changed %q into %q", raw, s)
		}
	})
}
