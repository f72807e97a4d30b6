package effect

import (
	"image/color"
	"testing"
)

func TestFlatten(t *testing.T) {
	white := color.NRGBA{255, 255, 255, 255}
	cases := map[string]struct {
		in, bg, want color.NRGBA
		tol          int
	}{
		"half red over white":   {color.NRGBA{255, 0, 0, 128}, white, color.NRGBA{255, 128, 128, 255}, 1},
		"opaque stays":          {color.NRGBA{1, 2, 3, 255}, white, color.NRGBA{1, 2, 3, 255}, 0},
		"transparent shows bg":  {color.NRGBA{1, 2, 3, 0}, color.NRGBA{10, 20, 30, 255}, color.NRGBA{10, 20, 30, 255}, 0},
		"bg alpha ignored":      {color.NRGBA{0, 0, 0, 0}, color.NRGBA{10, 20, 30, 0}, color.NRGBA{10, 20, 30, 255}, 0},
		"quarter blue on black": {color.NRGBA{0, 0, 255, 64}, color.NRGBA{0, 0, 0, 255}, color.NRGBA{0, 0, 64, 255}, 0},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			img := uniform(3, 3, tc.in)
			before := snapshot(img)
			got := px(Flatten(img, tc.bg), 1, 1)
			checkUnmodified(t, img, before)
			if !near(got, tc.want, tc.tol) {
				t.Errorf("Flatten(%v over %v) = %v, want %v ±%d", tc.in, tc.bg, got, tc.want, tc.tol)
			}
		})
	}
}
