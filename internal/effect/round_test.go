package effect

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// flipH returns img mirrored left to right.
func flipH(img *image.NRGBA) *image.NRGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	return newImage(w, h, func(x, y int) color.NRGBA { return px(img, w-1-x, y) })
}

// flipV returns img mirrored top to bottom.
func flipV(img *image.NRGBA) *image.NRGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	return newImage(w, h, func(x, y int) color.NRGBA { return px(img, x, h-1-y) })
}

// transpose returns img mirrored about its main diagonal.
func transpose(img *image.NRGBA) *image.NRGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	return newImage(h, w, func(x, y int) color.NRGBA { return px(img, y, x) })
}

// alphaSum returns the sum of img's alpha divided by 255: its covered area.
func alphaSum(img *image.NRGBA) float64 {
	s := 0
	for y := range img.Rect.Dy() {
		r := row(img, y)
		for i := 3; i < len(r); i += 4 {
			s += int(r[i])
		}
	}
	return float64(s) / 255
}

func TestRound(t *testing.T) {
	c := color.NRGBA{10, 120, 230, 255}
	img := uniform(100, 60, c)
	before := snapshot(img)
	got := Round(img, 20, 20, 20, 20)
	checkUnmodified(t, img, before)
	for _, p := range []image.Point{{0, 0}, {99, 0}, {99, 59}, {0, 59}, {2, 2}, {97, 57}} {
		if a := px(got, p.X, p.Y).A; a != 0 {
			t.Errorf("Round(20) corner pixel %v alpha = %d, want 0", p, a)
		}
	}
	for _, p := range []image.Point{{50, 30}, {50, 0}, {0, 30}, {99, 30}, {50, 59}, {20, 0}, {0, 20}, {79, 59}} {
		if q := px(got, p.X, p.Y); q != c {
			t.Errorf("Round(20) pixel %v = %v, want unchanged %v", p, q, c)
		}
	}
	// Anti-aliasing: along the arc, about one partly covered pixel per pixel
	// of arc length (π/2·r ≈ 31), all with their colour kept.
	partial := 0
	for y := range 20 {
		for x := range 20 {
			q := px(got, x, y)
			if q.A > 0 && q.A < 255 {
				partial++
				if q.R != c.R || q.G != c.G || q.B != c.B {
					t.Errorf("Round changed colour at (%d,%d): %v", x, y, q)
				}
			}
		}
	}
	if partial < 20 || partial > 45 {
		t.Errorf("Round(20): %d partly transparent pixels in a corner, want about 31", partial)
	}
	// The four corners are mirror images.
	if maxDiff(got, flipH(got)) != 0 || maxDiff(got, flipV(got)) != 0 {
		t.Errorf("Round(20,20,20,20) is not symmetric")
	}
	// Area: the rectangle minus four corners of (1-π/4)·r².
	want := 100*60 - 4*(1-math.Pi/4)*400
	if a := alphaSum(got); math.Abs(a-want) > 2 {
		t.Errorf("Round(20) area = %.1f, want %.1f", a, want)
	}
}

func TestRoundPerCorner(t *testing.T) {
	img := uniform(50, 50, color.NRGBA{255, 255, 255, 255})
	got := Round(img, 0, 10, 0, 20)
	for name, tc := range map[string]struct {
		p      image.Point
		opaque bool
	}{
		"top-left square":     {image.Pt(0, 0), true},
		"top-right round":     {image.Pt(49, 0), false},
		"bottom-right square": {image.Pt(49, 49), true},
		"bottom-left round":   {image.Pt(0, 49), false},
		"inside tr radius":    {image.Pt(42, 7), true},
		"outside bl radius":   {image.Pt(4, 45), false},
	} {
		a := px(got, tc.p.X, tc.p.Y).A
		if tc.opaque != (a == 255) || !tc.opaque && a != 0 {
			t.Errorf("%s: Round(0,10,0,20) alpha at %v = %d, want opaque %v", name, tc.p, a, tc.opaque)
		}
	}
	// A radius of 0 everywhere is a copy; negative radii count as 0.
	if maxDiff(Round(img, 0, 0, -5, 0), img) != 0 {
		t.Errorf("Round(0,0,-5,0) changed the image")
	}
}

func TestRoundScalesOversizedRadii(t *testing.T) {
	// A square with radii of half its side or more becomes a circle.
	img := uniform(64, 64, color.NRGBA{0, 0, 0, 255})
	circle := Round(img, 32, 32, 32, 32)
	if d := maxDiff(Round(img, 1000, 1000, 1000, 1000), circle); d != 0 {
		t.Errorf("Round(1000) on 64×64 differs from Round(32) by %d", d)
	}
	if a := alphaSum(circle); math.Abs(a-math.Pi*32*32) > 0.005*math.Pi*32*32 {
		t.Errorf("Round(32) on 64×64 area = %.1f, want π·32² = %.1f", a, math.Pi*32*32)
	}
	if maxDiff(circle, transpose(circle)) != 0 {
		t.Errorf("Round(32) circle is not symmetric about the diagonal")
	}
}

func TestEllipse(t *testing.T) {
	c := color.NRGBA{200, 100, 50, 255}
	sq := uniform(64, 64, c)
	before := snapshot(sq)
	got := Ellipse(sq)
	checkUnmodified(t, sq, before)
	for _, p := range []image.Point{{0, 0}, {63, 0}, {0, 63}, {63, 63}, {8, 8}} {
		if a := px(got, p.X, p.Y).A; a != 0 {
			t.Errorf("Ellipse corner %v alpha = %d, want 0", p, a)
		}
	}
	for _, p := range []image.Point{{32, 32}, {31, 31}, {10, 31}, {31, 53}} {
		if q := px(got, p.X, p.Y); q != c {
			t.Errorf("Ellipse pixel %v = %v, want unchanged %v", p, q, c)
		}
	}
	// The circle touches the middle of each side: those pixels are ≥ 99% covered.
	for _, p := range []image.Point{{0, 31}, {31, 0}, {63, 32}, {32, 63}} {
		if a := px(got, p.X, p.Y).A; a < 250 {
			t.Errorf("Ellipse edge midpoint %v alpha = %d, want ≥ 250", p, a)
		}
	}
	if maxDiff(got, flipH(got)) != 0 || maxDiff(got, flipV(got)) != 0 || maxDiff(got, transpose(got)) != 0 {
		t.Errorf("Ellipse on a square is not symmetric")
	}
	if a := alphaSum(got); math.Abs(a-math.Pi*32*32) > 0.005*math.Pi*32*32 {
		t.Errorf("Ellipse(64×64) area = %.1f, want %.1f", a, math.Pi*32*32)
	}

	wide := Ellipse(uniform(120, 50, c))
	if maxDiff(wide, flipH(wide)) != 0 || maxDiff(wide, flipV(wide)) != 0 {
		t.Errorf("Ellipse(120×50) is not symmetric")
	}
	if a := alphaSum(wide); math.Abs(a-math.Pi*60*25) > 0.005*math.Pi*60*25 {
		t.Errorf("Ellipse(120×50) area = %.1f, want %.1f", a, math.Pi*60*25)
	}
	for _, p := range []image.Point{{0, 25}, {119, 24}, {60, 0}, {59, 49}} {
		if a := px(wide, p.X, p.Y).A; a < 200 {
			t.Errorf("Ellipse(120×50) edge midpoint %v alpha = %d, want nearly opaque", p, a)
		}
	}
	if a := px(wide, 10, 3).A; a != 0 {
		t.Errorf("Ellipse(120×50) at (10,3) alpha = %d, want 0", a)
	}
	// Existing transparency is kept, scaled by coverage.
	half := Ellipse(uniform(64, 64, color.NRGBA{1, 2, 3, 100}))
	if p := px(half, 32, 32); p != (color.NRGBA{1, 2, 3, 100}) {
		t.Errorf("Ellipse(translucent) centre = %v", p)
	}
}

func TestRoundEllipseTiny(t *testing.T) {
	for _, size := range []image.Point{{1, 1}, {1, 5}, {2, 2}, {3, 3}, {5, 1}} {
		img := uniform(size.X, size.Y, color.NRGBA{1, 2, 3, 255})
		e := Ellipse(img)
		r := Round(img, 10, 10, 10, 10)
		if e.Rect != img.Rect || r.Rect != img.Rect {
			t.Fatalf("Ellipse/Round(%v) bounds %v, %v", size, e.Rect, r.Rect)
		}
		if size.X%2 == 1 && size.Y%2 == 1 {
			if p := px(e, size.X/2, size.Y/2); p.A == 0 {
				t.Errorf("Ellipse(%v) centre = %v, want visible", size, p)
			}
		}
	}
	if e := Ellipse(image.NewNRGBA(image.Rect(0, 0, 0, 0))); !e.Rect.Empty() {
		t.Errorf("Ellipse(empty) = %v", e.Rect)
	}
}
