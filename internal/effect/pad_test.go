package effect

import (
	"image"
	"image/color"
	"testing"
)

func TestPad(t *testing.T) {
	bg := color.NRGBA{255, 255, 0, 100}
	img := newImage(4, 3, func(x, y int) color.NRGBA { return color.NRGBA{uint8(x), uint8(y), 200, 255} })
	before := snapshot(img)
	for name, tc := range map[string]struct {
		w, h, x, y int
	}{
		"inside":         {10, 8, 3, 2},
		"top-left":       {6, 6, 0, 0},
		"cut off right":  {5, 5, 3, 1},
		"negative":       {5, 5, -2, -1},
		"exact":          {4, 3, 0, 0},
		"outside":        {5, 5, 9, 9},
		"smaller canvas": {2, 2, -1, -1},
	} {
		t.Run(name, func(t *testing.T) {
			got := Pad(img, tc.w, tc.h, tc.x, tc.y, bg)
			checkUnmodified(t, img, before)
			if got.Rect != image.Rect(0, 0, tc.w, tc.h) {
				t.Fatalf("Pad bounds = %v, want %d×%d", got.Rect, tc.w, tc.h)
			}
			for y := range tc.h {
				for x := range tc.w {
					want := bg
					if sx, sy := x-tc.x, y-tc.y; sx >= 0 && sy >= 0 && sx < 4 && sy < 3 {
						want = px(img, sx, sy)
					}
					if p := px(got, x, y); p != want {
						t.Fatalf("Pad(%d×%d at %d,%d) pixel (%d,%d) = %v, want %v", tc.w, tc.h, tc.x, tc.y, x, y, p, want)
					}
				}
			}
		})
	}
	if e := Pad(img, -1, 5, 0, 0, bg); !e.Rect.Empty() {
		t.Errorf("Pad(-1×5) bounds = %v, want empty", e.Rect)
	}
}

func TestPadSubImage(t *testing.T) {
	img := newImage(8, 8, func(x, y int) color.NRGBA { return color.NRGBA{uint8(x), uint8(y), 0, 255} })
	sub := img.SubImage(image.Rect(2, 3, 6, 7)).(*image.NRGBA)
	got := Pad(sub, 6, 6, 1, 1, color.NRGBA{})
	if p := px(got, 1, 1); p != (color.NRGBA{2, 3, 0, 255}) {
		t.Errorf("Pad(sub-image) first pixel = %v, want {2 3 0 255}", p)
	}
	if p := px(got, 4, 4); p != (color.NRGBA{5, 6, 0, 255}) {
		t.Errorf("Pad(sub-image) last pixel = %v, want {5 6 0 255}", p)
	}
}
