package effect

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

func TestTrimNoisyBorder(t *testing.T) {
	content := image.Rect(20, 15, 71, 50)
	rng := rand.New(rand.NewPCG(7, 8))
	img := newImage(100, 80, func(x, y int) color.NRGBA {
		if image.Pt(x, y).In(content) {
			// Content that touches the border colour in places, but not everywhere.
			if (x+y)%3 == 0 {
				return color.NRGBA{200, 200, 200, 255}
			}
			return color.NRGBA{30, 60, 90, 255}
		}
		// Border: (200, 200, 200) with ±12 levels of noise (under 5% of 255).
		n := func() uint8 { return uint8(200 - 12 + rng.IntN(25)) }
		return color.NRGBA{n(), n(), n(), 255}
	})
	// Make the top-left pixel exactly the nominal border colour.
	copy(img.Pix, []byte{200, 200, 200, 255})
	before := snapshot(img)
	for name, tc := range map[string]struct {
		tolerance int
		want      image.Rectangle
	}{
		"tolerance 10 trims the noise":   {10, content},
		"tolerance 99: all border, kept": {99, img.Rect},
		"tolerance 1 keeps the noise":    {1, image.Rect(0, 0, 100, 80)},
	} {
		t.Run(name, func(t *testing.T) {
			if got := TrimRect(img, tc.tolerance); got != tc.want {
				t.Errorf("TrimRect(tolerance %d) = %v, want %v", tc.tolerance, got, tc.want)
			}
			checkUnmodified(t, img, before)
		})
	}
	got := Trim(img, 10)
	if got.Rect != image.Rect(0, 0, content.Dx(), content.Dy()) {
		t.Fatalf("Trim bounds = %v, want %v", got.Rect, content.Size())
	}
	if p, q := px(got, 1, 0), px(img, content.Min.X+1, content.Min.Y); p != q {
		t.Errorf("Trim(…) first row pixel = %v, want %v", p, q)
	}
}

func TestTrimEdgeCases(t *testing.T) {
	plain := uniform(30, 20, color.NRGBA{9, 9, 9, 255})
	if r := TrimRect(plain, 0); r != plain.Rect {
		t.Errorf("TrimRect(uniform) = %v, want the whole image", r)
	}
	if g := Trim(plain, 0); maxDiff(g, plain) != 0 || g.Rect != plain.Rect {
		t.Errorf("Trim(uniform) is not an unchanged copy")
	}
	// A single differing pixel anywhere is kept.
	one := uniform(30, 20, color.NRGBA{9, 9, 9, 255})
	copy(row(one, 12)[25*4:], []byte{200, 0, 0, 255})
	if r := TrimRect(one, 0); r != image.Rect(25, 12, 26, 13) {
		t.Errorf("TrimRect(one pixel) = %v, want (25,12)-(26,13)", r)
	}
	// Transparent border hiding different colours is all one border.
	logo := newImage(40, 40, func(x, y int) color.NRGBA {
		if x >= 10 && x < 30 && y >= 5 && y < 35 {
			return color.NRGBA{255, 0, 0, 255}
		}
		return color.NRGBA{uint8(x * 6), uint8(y * 6), 0, 0}
	})
	if r := TrimRect(logo, 0); r != image.Rect(10, 5, 30, 35) {
		t.Errorf("TrimRect(transparent border) = %v, want (10,5)-(30,35)", r)
	}
	// Alpha counts: a nearly transparent border differs from an opaque one.
	if r := TrimRect(uniformWithCentre(color.NRGBA{0, 0, 0, 255}, color.NRGBA{0, 0, 0, 200}), 10); r != image.Rect(4, 4, 6, 6) {
		t.Errorf("TrimRect(alpha difference) = %v, want (4,4)-(6,6)", r)
	}
	// Sub-images report rectangles in their own coordinates.
	sub := logo.SubImage(image.Rect(5, 0, 40, 40)).(*image.NRGBA)
	if r := TrimRect(sub, 0); r != image.Rect(10, 5, 30, 35) {
		t.Errorf("TrimRect(sub-image) = %v, want (10,5)-(30,35)", r)
	}
	if r := TrimRect(image.NewNRGBA(image.Rect(3, 3, 3, 9)), 10); r != image.Rect(3, 3, 3, 9) {
		t.Errorf("TrimRect(empty) = %v", r)
	}
}

// uniformWithCentre returns a 10×10 image of border with a 2×2 centre of c.
func uniformWithCentre(border, c color.NRGBA) *image.NRGBA {
	return newImage(10, 10, func(x, y int) color.NRGBA {
		if x >= 4 && x < 6 && y >= 4 && y < 6 {
			return c
		}
		return border
	})
}

func TestTrimPhoto(t *testing.T) {
	src := corpusImage(t, "jpeg-photo-1920x1080.jpg")
	crop := src.SubImage(image.Rect(500, 300, 1100, 700)).(*image.NRGBA)
	padded := Pad(crop, 700, 520, 37, 64, color.NRGBA{255, 0, 255, 255})
	if r := TrimRect(padded, DefaultTrimTolerance); r != image.Rect(37, 64, 637, 464) {
		t.Errorf("TrimRect(padded photo) = %v, want (37,64)-(637,464)", r)
	}
	// The photo itself has no uniform border to trim at a small tolerance.
	if r := TrimRect(src, 1); r.Dx() < src.Rect.Dx()-2 || r.Dy() < src.Rect.Dy()-2 {
		t.Errorf("TrimRect(photo, 1) = %v, want about the whole %v", r, src.Rect)
	}
}
