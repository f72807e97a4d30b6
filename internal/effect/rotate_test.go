package effect

import (
	"image"
	"image/color"
	"math"
	"testing"
)

func TestRotateRightAnglesExact(t *testing.T) {
	img := newImage(5, 3, func(x, y int) color.NRGBA { return color.NRGBA{uint8(x), uint8(y), 7, uint8(100 + x*y)} })
	before := snapshot(img)
	bg := color.NRGBA{1, 2, 3, 4}
	for _, tc := range []struct {
		deg  float64
		w, h int
		at   func(x, y int) image.Point // destination of source pixel (x, y)
	}{
		{90, 3, 5, func(x, y int) image.Point { return image.Pt(2-y, x) }},
		{-270, 3, 5, func(x, y int) image.Point { return image.Pt(2-y, x) }},
		{180, 5, 3, func(x, y int) image.Point { return image.Pt(4-x, 2-y) }},
		{270, 3, 5, func(x, y int) image.Point { return image.Pt(y, 4-x) }},
		{-90, 3, 5, func(x, y int) image.Point { return image.Pt(y, 4-x) }},
		{360, 5, 3, func(x, y int) image.Point { return image.Pt(x, y) }},
		{0, 5, 3, func(x, y int) image.Point { return image.Pt(x, y) }},
	} {
		got := Rotate(img, tc.deg, bg)
		checkUnmodified(t, img, before)
		if got.Rect != image.Rect(0, 0, tc.w, tc.h) {
			t.Fatalf("Rotate(5×3, %v) bounds = %v, want %d×%d", tc.deg, got.Rect, tc.w, tc.h)
		}
		for y := range 3 {
			for x := range 5 {
				p := tc.at(x, y)
				if q := px(got, p.X, p.Y); q != px(img, x, y) {
					t.Errorf("Rotate(%v): source (%d,%d) → %v = %v, want %v", tc.deg, x, y, p, q, px(img, x, y))
				}
			}
		}
	}
}

func TestRotateAnyAt90MatchesExact(t *testing.T) {
	src := corpusImage(t, "jpeg-photo-1920x1080.jpg")
	img := clone(src.SubImage(image.Rect(600, 300, 761, 400)).(*image.NRGBA))
	exact := rotateRight(img, 1)
	for _, rad := range []float64{math.Pi / 2, (90 + 1e-9) * math.Pi / 180} {
		got := rotateAny(img, rad, color.NRGBA{0, 255, 0, 255})
		if got.Rect != exact.Rect {
			t.Fatalf("rotateAny(%d×%d, 90°) bounds = %v, want %v", img.Rect.Dx(), img.Rect.Dy(), got.Rect, exact.Rect)
		}
		if d := maxDiff(got, exact); d > 1 {
			t.Errorf("rotateAny(90°) differs from the exact rotation by up to %d", d)
		}
	}
	// Through the public function with a hair more than 90 degrees.
	got := Rotate(img, 90.0000001, color.NRGBA{})
	if got.Rect != exact.Rect || maxDiff(got, exact) > 1 {
		t.Errorf("Rotate(90.0000001) bounds %v, max difference %d from the exact rotation", got.Rect, maxDiff(got, exact))
	}
}

func TestRotate45(t *testing.T) {
	const w, h = 120, 80
	c := color.NRGBA{200, 30, 60, 255}
	img := uniform(w, h, c)
	// Mark the top-left corner; clockwise, it moves to the top of the canvas.
	for y := range 10 {
		for x := range 10 {
			copy(row(img, y)[x*4:], []byte{0, 0, 255, 255})
		}
	}
	for _, bg := range []color.NRGBA{{0, 255, 0, 255}, {0, 0, 0, 0}, {255, 255, 255, 128}} {
		got := Rotate(img, 45, bg)
		s := math.Sqrt2 / 2
		ww, wh := int(math.Ceil(w*s+h*s)), int(math.Ceil(w*s+h*s))
		if got.Rect != image.Rect(0, 0, ww, wh) {
			t.Fatalf("Rotate(%d×%d, 45) bounds = %v, want %d×%d", w, h, got.Rect, ww, wh)
		}
		for _, p := range []image.Point{{0, 0}, {ww - 1, 0}, {0, wh - 1}, {ww - 1, wh - 1}, {5, 5}} {
			if q := px(got, p.X, p.Y); q != bg {
				t.Errorf("Rotate(45, bg %v) corner %v = %v, want bg", bg, p, q)
			}
		}
		if q := px(got, ww/2, wh/2); q != c {
			t.Errorf("Rotate(45) centre = %v, want %v", q, c)
		}
		// The top-left corner of the source is now the topmost vertex: the blue
		// marker sits left of centre near the top (x ≈ h·sin45 = 57, y ≈ 0).
		if q := px(got, int(h*s), 6); q.B < 200 || q.R > 60 {
			t.Errorf("Rotate(45) marker at (%d,6) = %v, want blue", int(h*s), q)
		}
	}
}

func TestRotateAreaAndNoBleed(t *testing.T) {
	// Translucent red over transparent: every visible pixel stays red.
	c := color.NRGBA{255, 0, 0, 128}
	img := uniform(90, 50, c)
	for _, deg := range []float64{30, -17.5, 123, 389} {
		got := Rotate(img, deg, color.NRGBA{0, 255, 0, 0})
		area := 0.0
		for y := range got.Rect.Dy() {
			r := row(got, y)
			for i := 0; i < len(r); i += 4 {
				if r[i+3] == 0 {
					continue
				}
				area += float64(r[i+3]) / 128
				if r[i] != 255 || r[i+1] != 0 || r[i+2] != 0 || r[i+3] > 129 {
					t.Fatalf("Rotate(%v) pixel %v, want red with alpha ≤ 128 (no hidden green)", deg, r[i:i+4])
				}
			}
		}
		if math.Abs(area-90*50) > 0.01*90*50 {
			t.Errorf("Rotate(%v) area = %.0f, want %d", deg, area, 90*50)
		}
	}
}

func TestRotateNormalisesAngle(t *testing.T) {
	img := corpusImage(t, "png-rgba-320x240.png")
	bg := color.NRGBA{10, 20, 30, 255}
	a := Rotate(img, 30, bg)
	for _, deg := range []float64{390, -330, 750} {
		if b := Rotate(img, deg, bg); b.Rect != a.Rect || maxDiff(a, b) > 1 {
			t.Errorf("Rotate(%v) differs from Rotate(30) (bounds %v vs %v)", deg, b.Rect, a.Rect)
		}
	}
	if b := Rotate(img, math.NaN(), bg); maxDiff(b, img) != 0 {
		t.Errorf("Rotate(NaN) is not a copy")
	}
}

func TestRotateRoundTrip(t *testing.T) {
	src := corpusImage(t, "jpeg-photo-1920x1080.jpg")
	img := clone(src.SubImage(image.Rect(800, 400, 1000, 560)).(*image.NRGBA))
	before := snapshot(img)
	there := Rotate(img, 30, color.NRGBA{})
	checkUnmodified(t, img, before)
	back := Rotate(there, -30, color.NRGBA{})
	// Cut the original-size middle out of the result and compare the inside
	// (bicubic resampling twice softens a little; the edges are blended).
	ox := (back.Rect.Dx() - 200) / 2
	oy := (back.Rect.Dy() - 160) / 2
	mid := clone(back.SubImage(image.Rect(ox+4, oy+4, ox+196, oy+156)).(*image.NRGBA))
	ref := clone(img.SubImage(image.Rect(4, 4, 196, 156)).(*image.NRGBA))
	if m := meanDiff(mid, ref); m > 4 {
		t.Errorf("Rotate(30) then Rotate(-30): mean difference %.2f from the original, want < 4", m)
	}
}

func TestRotateOpaqueFastPathMatchesGeneral(t *testing.T) {
	src := corpusImage(t, "jpeg-photo-1920x1080.jpg")
	opaque := clone(src.SubImage(image.Rect(300, 200, 460, 300)).(*image.NRGBA))
	general := clone(opaque)
	general.Pix[3] = 254 // one not-quite-opaque pixel selects the general sampler
	a := Rotate(opaque, 33, color.NRGBA{})
	b := Rotate(general, 33, color.NRGBA{})
	// Compare away from the source's top-left corner.
	r := image.Rect(a.Rect.Dx()/4, a.Rect.Dy()/4, a.Rect.Dx()*3/4, a.Rect.Dy()*3/4)
	ca := clone(a.SubImage(r).(*image.NRGBA))
	cb := clone(b.SubImage(r).(*image.NRGBA))
	if d := maxDiff(ca, cb); d > 1 {
		t.Errorf("opaque and general samplers differ by %d", d)
	}
}
