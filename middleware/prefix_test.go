package middleware

import "testing"

func TestPrefixMatch(t *testing.T) {
	type testCase struct {
		prefix string
		match  map[string]bool
	}
	tests := map[string]testCase{
		"default": {
			prefix: DefaultPrefix,
			match: map[string]bool{
				"/img":                   true,
				"/img/":                  true,
				"/img/cat.jpg":           true,
				"/img/tr:w-300/cat.jpg":  true,
				"/img/a%2Fb.jpg":         true,
				"/imgs/cat.jpg":          false,
				"/images":                false,
				"/":                      false,
				"":                       false,
				"/static/img/cat.jpg":    false,
				"/IMG/cat.jpg":           false,
				"/img%2Fcat.jpg":         false,
				"/img.jpg":               false,
				"/img?x=/img/cat.jpg":    false,
				"/imgcdn/img/cat.jpg":    false,
				"/img/../secret/cat.jpg": true, // the Handler refuses it with 400
			},
		},
		"nested": {
			prefix: "/static/img",
			match: map[string]bool{
				"/static/img/cat.jpg": true,
				"/static/img":         true,
				"/static/cat.jpg":     false,
				"/img/cat.jpg":        false,
			},
		},
		"whole site": {
			prefix: "",
			match: map[string]bool{
				"/":        true,
				"/cat.jpg": true,
				"":         true,
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h := newTestHandler(t, newFakeStore(), WithPrefix(tc.prefix))
			if got := h.Prefix(); got != tc.prefix {
				t.Errorf("Prefix() = %q, want %q", got, tc.prefix)
			}
			for p, want := range tc.match {
				if got := h.Match(p); got != want {
					t.Errorf("Match(%q) = %v, want %v", p, got, want)
				}
			}
		})
	}
}
