package effect

import (
	"image"
	"image/color"
	"testing"
)

func TestBorder(t *testing.T) {
	red := color.NRGBA{255, 0, 0, 255}
	blue := color.NRGBA{0, 0, 255, 255}
	clear := color.NRGBA{9, 9, 9, 0}
	img := newImage(10, 6, func(x, y int) color.NRGBA {
		if x == 0 && y == 0 {
			return clear
		}
		return blue
	})
	before := snapshot(img)
	got := Border(img, 3, red)
	checkUnmodified(t, img, before)
	if got.Rect != image.Rect(0, 0, 16, 12) {
		t.Fatalf("Border(10×6, 3) bounds = %v, want 16×12", got.Rect)
	}
	for y := range 12 {
		for x := range 16 {
			want := red
			if x >= 3 && x < 13 && y >= 3 && y < 9 {
				want = px(img, x-3, y-3)
			}
			if p := px(got, x, y); p != want {
				t.Fatalf("Border pixel (%d,%d) = %v, want %v", x, y, p, want)
			}
		}
	}
	if p := px(got, 3, 3); p != clear {
		t.Errorf("Border changed a transparent image pixel to %v", p)
	}
	if maxDiff(Border(img, 0, red), img) != 0 || Border(img, -2, red).Rect != img.Rect {
		t.Errorf("Border(0) or Border(-2) is not a copy")
	}
	translucent := color.NRGBA{0, 255, 0, 128}
	if p := px(Border(img, 1, translucent), 0, 0); p != translucent {
		t.Errorf("Border(translucent) = %v, want %v", p, translucent)
	}
}
