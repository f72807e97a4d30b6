package urlgen

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/imgcdn/imgcdn/pipeline"
)

// TestWidths checks the candidate widths against the rules of Next.js's
// getWidths (and ImageKit's computeCandidateWidths), worked out by hand
// from the default breakpoints, all sizes being
// 16 32 48 64 96 128 256 384 640 750 828 1080 1200 1920 2048 3840.
func TestWidths(t *testing.T) {
	device := []int{640, 750, 828, 1080, 1200, 1920, 2048, 3840}
	tests := map[string]struct {
		width int
		sizes string
		want  []int
		kind  byte
	}{
		// No sizes, no width: the device sizes (and sizes="100vw").
		"nothing": {0, "", device, 'w'},
		// Width without sizes: [w, 2w], each the first size >= it, or
		// the largest size; repeats dropped.
		"width 400":  {400, "", []int{640, 828}, 'x'},
		"width 100":  {100, "", []int{128, 256}, 'x'},
		"width 16":   {16, "", []int{16, 32}, 'x'},
		"width 640":  {640, "", []int{640, 1920}, 'x'},
		"width 1000": {1000, "", []int{1080, 2048}, 'x'},
		"width 2000": {2000, "", []int{2048, 3840}, 'x'},
		"width 5000": {5000, "", []int{3840}, 'x'},
		"width 1":    {1, "", []int{16}, 'x'},
		// Sizes: every size >= smallest vw% × 640.
		"100vw":                   {0, "100vw", device, 'w'},
		"50vw":                    {0, "50vw", append([]int{384}, device...), 'w'},
		"33vw":                    {0, "33vw", append([]int{256, 384}, device...), 'w'}, // 211.2
		"media 100vw, 33vw":       {0, "(max-width: 768px) 100vw, 33vw", append([]int{256, 384}, device...), 'w'},
		"width ignored":           {400, "50vw", append([]int{384}, device...), 'w'},
		"boundary 60vw":           {0, "60vw", append([]int{384}, device...), 'w'}, // 384 >= 384
		"boundary 10vw":           {0, "10vw", append([]int{64, 96, 128, 256, 384}, device...), 'w'},
		"boundary 5vw":            {0, "5vw", append([]int{32, 48, 64, 96, 128, 256, 384}, device...), 'w'},
		"0vw":                     {0, "0vw", append([]int{16, 32, 48, 64, 96, 128, 256, 384}, device...), 'w'},
		"150vw":                   {0, "150vw", []int{1080, 1200, 1920, 2048, 3840}, 'w'}, // 960
		"smallest wins":           {0, "(min-width: 1200px) 25vw, (min-width: 768px) 50vw, 100vw", append([]int{256, 384}, device...), 'w'},
		"no vw":                   {0, "(max-width: 600px) 480px, 800px", append([]int{16, 32, 48, 64, 96, 128, 256, 384}, device...), 'w'},
		"vw after paren":          {0, "calc(100vw - 2rem)", append([]int{16, 32, 48, 64, 96, 128, 256, 384}, device...), 'w'},
		"vw without space":        {0, "(max-width:768px)50vw", append([]int{16, 32, 48, 64, 96, 128, 256, 384}, device...), 'w'},
		"decimal vw not matched":  {0, "(min-width: 768px) 33.33vw, 100vw", device, 'w'},
		"200vw not matched":       {0, "200vw", append([]int{16, 32, 48, 64, 96, 128, 256, 384}, device...), 'w'},
		"1000vw not matched":      {0, "1000vw", append([]int{16, 32, 48, 64, 96, 128, 256, 384}, device...), 'w'},
		"leading zero":            {0, "05vw", append([]int{32, 48, 64, 96, 128, 256, 384}, device...), 'w'},
		"three digits need a 1":   {0, "050vw", append([]int{16, 32, 48, 64, 96, 128, 256, 384}, device...), 'w'},
		"no-break space":          {0, "100vw,\u00a050vw", append([]int{384}, device...), 'w'},
		"NEL is not a JS space":   {0, "100vw,\u008550vw", device, 'w'},
		"adjacent matches":        {0, "50vw 40vw", append([]int{256, 384}, device...), 'w'},
		"tab before vw":           {0, "(max-width: 768px)\t20vw", append([]int{128, 256, 384}, device...), 'w'},
		"vw then digits continue": {0, "25vw75vw", append([]int{256, 384}, device...), 'w'}, // only 25 at ^
	}
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, kind := b.widths(tc.width, tc.sizes)
			if !slices.Equal(got, tc.want) || kind != tc.kind {
				t.Errorf("widths(%d, %q) = %v %c, want %v %c", tc.width, tc.sizes, got, kind, tc.want, tc.kind)
			}
		})
	}
}

// TestWidthsMatchJavaScript runs the getWidths algorithm of Next.js, with
// JavaScript's own regular expression and arithmetic, in Node.js over many
// random sizes attributes and widths, and compares. It is skipped when
// node is not installed.
func TestWidthsMatchJavaScript(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found: the JavaScript comparison is skipped")
	}
	r := rand.New(rand.NewPCG(1, 2))
	tokens := []string{"vw", "vw", "vw", "px", "1", "0", "5", "9", "33", "100", "150", "199", "200", " ", " ", ",", "(", ")",
		"max-width:", "\t", "\n", "\u00a0", "\u2003", "\u0085", "\ufeff", ".", "calc(", "-", "em", "猫"}
	type input struct {
		Width int    `json:"width"`
		Sizes string `json:"sizes"`
	}
	inputs := []input{{400, ""}, {0, ""}, {5000, ""}}
	for range 3000 {
		var sb strings.Builder
		for range r.IntN(12) {
			sb.WriteString(tokens[r.IntN(len(tokens))])
		}
		inputs = append(inputs, input{r.IntN(4000), sb.String()})
	}
	in, err := json.Marshal(inputs)
	if err != nil {
		t.Fatal(err)
	}
	// getWidths of Next.js, written from its algorithm.
	const script = `
const deviceSizes = [640, 750, 828, 1080, 1200, 1920, 2048, 3840];
const imageSizes = [16, 32, 48, 64, 96, 128, 256, 384];
const allSizes = [...deviceSizes, ...imageSizes].sort((a, b) => a - b);
function getWidths(width, sizes) {
  if (sizes) {
    const re = /(^|\s)(1?\d?\d)vw/g;
    const pct = [];
    for (let m; (m = re.exec(sizes)); ) pct.push(parseInt(m[2]));
    if (pct.length) {
      const smallestRatio = Math.min(...pct) * 0.01;
      return { widths: allSizes.filter((s) => s >= deviceSizes[0] * smallestRatio), kind: 'w' };
    }
    return { widths: allSizes, kind: 'w' };
  }
  if (!width) return { widths: deviceSizes, kind: 'w' };
  const widths = [...new Set([width, width * 2].map((w) => allSizes.find((p) => p >= w) || allSizes[allSizes.length - 1]))];
  return { widths, kind: 'x' };
}
let data = '';
process.stdin.on('data', (c) => (data += c));
process.stdin.on('end', () => {
  process.stdout.write(JSON.stringify(JSON.parse(data).map((i) => getWidths(i.width, i.sizes))));
});
`
	cmd := exec.Command(node, "-e", script)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var want []struct {
		Widths []int  `json:"widths"`
		Kind   string `json:"kind"`
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range inputs {
		got, kind := b.widths(in.Width, in.Sizes)
		if !slices.Equal(got, want[i].Widths) || string(kind) != want[i].Kind {
			t.Errorf("widths(%d, %q) = %v %c, JavaScript %v %s", in.Width, in.Sizes, got, kind, want[i].Widths, want[i].Kind)
		}
	}
	t.Logf("%d inputs agree with JavaScript", len(inputs))
}

func TestSrcset(t *testing.T) {
	u := func(tr string, w int, d string) string {
		return fmt.Sprintf("/img/tr:%s/photos/cat.jpg %d%s", strings.ReplaceAll(tr, "W", fmt.Sprint(w)), w, d)
	}
	list := func(tr string, d string, ws ...int) string {
		var parts []string
		for _, w := range ws {
			parts = append(parts, u(tr, w, d))
		}
		return strings.Join(parts, ", ")
	}
	crop := []pipeline.Step{{Width: pipeline.Dimension{Pixels: 1200}, Height: pipeline.Dimension{Pixels: 800}, Focus: pipeline.FocusAuto}}
	tests := map[string]struct {
		o         Image
		want      string
		wantSizes string
	}{
		// Next.js: width 400 without sizes is [400, 800] mapped to the
		// first breakpoints at or above: 640 (1x) and 828 (2x).
		"fixed width 400": {Image{Width: 400}, "/img/tr:w-640,c-at_max/photos/cat.jpg 1x, /img/tr:w-828,c-at_max/photos/cat.jpg 2x", ""},
		"fixed width 48":  {Image{Width: 48, Height: 48}, "/img/tr:w-48,c-at_max/photos/cat.jpg 1x, /img/tr:w-96,c-at_max/photos/cat.jpg 2x", ""},
		"one candidate":   {Image{Width: 4000}, "/img/tr:w-3840,c-at_max/photos/cat.jpg 1x", ""},
		"100vw": {Image{Sizes: "100vw"},
			list("w-W,c-at_max", "w", 640, 750, 828, 1080, 1200, 1920, 2048, 3840), "100vw"},
		"50vw": {Image{Sizes: "50vw"},
			list("w-W,c-at_max", "w", 384, 640, 750, 828, 1080, 1200, 1920, 2048, 3840), "50vw"},
		"media query": {Image{Sizes: "(max-width: 768px) 100vw, 33vw"},
			list("w-W,c-at_max", "w", 256, 384, 640, 750, 828, 1080, 1200, 1920, 2048, 3840), "(max-width: 768px) 100vw, 33vw"},
		"full width by default": {Image{},
			list("w-W,c-at_max", "w", 640, 750, 828, 1080, 1200, 1920, 2048, 3840), "100vw"},
		"steps and quality": {Image{Width: 400, Steps: crop, Quality: 70},
			list("w-1200,h-800,fo-auto:w-W,c-at_max,q-70", "x", 640, 828), ""},
	}
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := b.Srcset("photos/cat.jpg", tc.o)
			if err != nil {
				t.Fatal(err)
			}
			if tc.o.Steps != nil {
				// "x" descriptors number the candidates 1x, 2x.
				tc.want = strings.Replace(strings.Replace(tc.want, " 640x", " 1x", 1), " 828x", " 2x", 1)
			}
			if got != tc.want {
				t.Errorf("Srcset(%+v) =\n%s\nwant\n%s", tc.o, got, tc.want)
			}
			if s := b.Sizes(tc.o); s != tc.wantSizes {
				t.Errorf("Sizes(%+v) = %q, want %q", tc.o, s, tc.wantSizes)
			}
		})
	}
}

func TestSrcsetOptions(t *testing.T) {
	b, err := New(WithEndpoint("https://cdn.example.com/img"), WithQueryTransformation(true), WithSigningKey("k"),
		WithBreakpoints([]int{1000, 500, 500}, []int{100}))
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.Srcset("a b.jpg", Image{Sizes: "30vw"}) // 150 px: 500 and 1000
	if err != nil {
		t.Fatal(err)
	}
	want := "https://cdn.example.com/img/a%20b.jpg?tr=w-500,c-at_max&ik-s=" + hmacHex("k", "a%20b.jpg?tr=w-500,c-at_max9999999999") + " 500w, " +
		"https://cdn.example.com/img/a%20b.jpg?tr=w-1000,c-at_max&ik-s=" + hmacHex("k", "a%20b.jpg?tr=w-1000,c-at_max9999999999") + " 1000w"
	if got != want {
		t.Errorf("Srcset =\n%s\nwant\n%s", got, want)
	}
	if diff := cmp.Diff([]int{100, 500, 1000}, b.allSizes); diff != "" {
		t.Errorf("all sizes (-want +got):\n%s", diff)
	}

	small, err := New(WithBreakpoints([]int{640}, nil))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := small.Srcset("a.jpg", Image{Sizes: "150vw"}); err == nil {
		t.Errorf("Srcset with no wide enough breakpoint = %q, want an error", got)
	}
	for _, o := range []Image{{Quality: 101}, {Width: -1}, {Loading: "soon"}, {Priority: true, Loading: "lazy"}} {
		if got, err := b.Srcset("a.jpg", o); err == nil {
			t.Errorf("Srcset(%+v) = %q, want an error", o, got)
		}
	}
	if got, err := b.Srcset("", Image{}); err == nil {
		t.Errorf("Srcset of an empty path = %q, want an error", got)
	}
}
