package pipeline

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fuzzSeeds are valid and invalid transformations that seed FuzzParse.
var fuzzSeeds = []string{
	"",
	"w-300,h-200",
	"w-300:rt-90",
	"w-300,h-200,c-at_max",
	"w-300,h-200,c-at_least",
	"w-300,h-200,c-force",
	"w-300,h-200,c-at_max_enlarge",
	"w-300,h-200,cm-pad_resize,bg-F3F3F3",
	"w-300,h-200,cm-pad_resize,fo-left",
	"w-200,h-200,cm-extract",
	"w-700,h-700,cm-pad_extract",
	"w-200,h-200,cm-extract,x-10,y-20",
	"w-200,h-200,cm-pad_extract,xc-100,yc-50",
	"w-0.5,h-0.25",
	"w-.5",
	"w-300.0",
	"h-300,ar-16-9",
	"w-400,ar-1.5-1",
	"w-400,ar-32-18",
	"w-300,h-200,ar-4-3",
	"fo-auto,w-100,h-100",
	"fo-top_right,w-10,h-20",
	"q-1,f-jpeg",
	"q-100,f-webp,pr-true,lo-true,md-true,cp-true",
	"f-avif:f-gif:f-png:f-orig:f-auto",
	"dpr-0.1,w-100",
	"dpr-5,w-100",
	"dpr-2.5,h-10",
	"rt-N90",
	"rt-725",
	"rt-auto,rt-360",
	"fl-h:fl-v:fl-h_v:fl-v_h",
	"bg-ff00aa",
	"bg-FF000050",
	"bg-RebeccaPurple",
	"bg-transparent",
	"b-5_FF0000",
	"b-1_red",
	"r-10_20_30_40",
	"r-max",
	"r-0",
	"bl-10",
	"e-grayscale,e-contrast",
	"e-sharpen",
	"e-sharpen-10",
	"e-usm-2-2-0.8-0.024",
	"t-true",
	"t-10",
	"t-50",
	"orig-true",
	"n-media_library_thumbnail",
	"di-@@defaults@@missing.jpg",
	"di-a@@@b",
	"di-@@@",
	"c-maintain_ratio",
	"w-100:c-maintain_ratio:h-50",
	"w-0.000001",
	"w-0.99999999999999999999",
	"e-usm-0.0000001-100-100-1",
	"e-usm-0-0.0000000000001-100-1",
	"w-0.333333333333333314829616256247390992939472198486328125",
	"dpr-0.30000000000000004",
	"w-1,ar-100000-0.00001",
	"di-@@@@",
	"di-.@@.",
	"di-x@y@@z",
	"rt-N720,fl-v_h,bg-Transparent,b-1_white",
	"r-0_0_0_1,t-9,orig-false",
	// Invalid.
	"w-1,,h-2",
	"w-1::h-2",
	":",
	",",
	"w-",
	"w-0",
	"w-100001",
	"w-1.5",
	"w-iw_div_2",
	"w-auto",
	"ar-16-9",
	"x-10",
	"cm-extract,x-1,xc-1",
	"q-0",
	"q-101",
	"f-mp4",
	"f-bmp",
	"dpr-auto",
	"dpr-6",
	"rt--90",
	"bg-GG0000",
	"bg-FF0000AA",
	"bg-blurred_25_N15",
	"bg-genfill",
	"b-5",
	"r-1_2",
	"e-bgremove",
	"e-shadow",
	"e-foo",
	"t-100",
	"pr-yes",
	"n-a b",
	"di-a/b",
	"di-..",
	"l-image,i-logo.png,l-end",
	"if-w_gt_300,w-300,if-end",
	"ac-none",
	"foo-bar",
	"-",
	"tr:w-100",
}

// FuzzParse checks that Parse never panics and that the canonical form of
// every chain it returns parses back to the same chain, and is stable.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			var pe *ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %T, want *ParamError", s, err)
			}
			if pe.Err == nil || pe.Error() == "" {
				t.Fatalf("Parse(%q) error %#v has no sentinel or message", s, pe)
			}
			if c != nil {
				t.Fatalf("Parse(%q) = %v with error %v, want nil chain", s, c, err)
			}
			return
		}
		for i, st := range c {
			if st == (Step{}) {
				t.Fatalf("Parse(%q) step %d is the zero Step", s, i)
			}
		}
		if c != nil && len(c) == 0 {
			t.Fatalf("Parse(%q) = non-nil empty chain", s)
		}
		canon := c.String()
		c2, err := Parse(canon)
		if err != nil {
			t.Fatalf("Parse(%q) = %#v; Parse of its String %q: %v", s, c, canon, err)
		}
		if diff := cmp.Diff(c, c2); diff != "" {
			t.Fatalf("Parse(%q).String() = %q does not parse back (-first +second):\n%s", s, canon, diff)
		}
		if again := c2.String(); again != canon {
			t.Fatalf("String not stable for %q: %q then %q", s, canon, again)
		}
	})
}
