package effect

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

// edgeImage returns a w×h opaque image: grey lo left of x = w/2, hi from it on.
func edgeImage(w, h int, lo, hi uint8) *image.NRGBA {
	return newImage(w, h, func(x, y int) color.NRGBA {
		if x < w/2 {
			return color.NRGBA{lo, lo, lo, 255}
		}
		return color.NRGBA{hi, hi, hi, 255}
	})
}

func TestSharpenOvershootsEdge(t *testing.T) {
	img := edgeImage(40, 6, 60, 180)
	before := snapshot(img)
	for _, strength := range []int{0, 5, 10, 30} {
		got := Sharpen(img, strength)
		checkUnmodified(t, img, before)
		l, r := px(got, 19, 3), px(got, 20, 3)
		if l.R >= 60 || r.R <= 180 {
			t.Errorf("Sharpen(edge, %d) at the edge = %d|%d, want < 60 | > 180 (overshoot)", strength, l.R, r.R)
		}
		if l.R != l.G || l.G != l.B || l.A != 255 {
			t.Errorf("Sharpen(edge, %d) at x=19 = %v, want opaque grey", strength, l)
		}
		// Away from the edge (beyond the kernel) nothing changes.
		for _, x := range []int{0, 5, 15, 25, 34, 39} {
			if p, q := px(got, x, 3), px(img, x, 3); p != q {
				t.Errorf("Sharpen(edge, %d) flat area at x=%d = %v, want %v", strength, x, p, q)
			}
		}
	}
	// More strength, more overshoot.
	weak, strong := px(Sharpen(img, 5), 19, 3).R, px(Sharpen(img, 20), 19, 3).R
	if strong >= weak {
		t.Errorf("Sharpen strength 20 undershoot %d, want below strength 5's %d", strong, weak)
	}
	// Strength 0 is the default strength.
	if maxDiff(Sharpen(img, 0), Sharpen(img, DefaultSharpenStrength)) != 0 {
		t.Errorf("Sharpen(img, 0) differs from Sharpen(img, DefaultSharpenStrength)")
	}
}

func TestSharpenUniformUnchanged(t *testing.T) {
	for _, c := range []color.NRGBA{{0, 0, 0, 255}, {255, 255, 255, 255}, {90, 140, 200, 255}, {90, 140, 200, 77}} {
		img := uniform(20, 20, c)
		if got := Sharpen(img, 100); maxDiff(got, img) != 0 {
			t.Errorf("Sharpen(uniform %v, 100) changed pixels: %v", c, px(got, 10, 10))
		}
	}
}

func TestUnsharpMaskThreshold(t *testing.T) {
	// Left: low-contrast texture (±3 levels around 128). Right: a strong edge.
	rng := rand.New(rand.NewPCG(5, 6))
	img := newImage(80, 20, func(x, y int) color.NRGBA {
		if x < 40 {
			v := uint8(125 + rng.IntN(7))
			return color.NRGBA{v, v, v, 255}
		}
		if x < 60 {
			return color.NRGBA{40, 40, 40, 255}
		}
		return color.NRGBA{220, 220, 220, 255}
	})
	texture := image.Rect(0, 0, 34, 20) // beyond the kernel's reach of x = 40
	changed := func(got *image.NRGBA, r image.Rectangle) int {
		n := 0
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				if px(got, x, y) != px(img, x, y) {
					n++
				}
			}
		}
		return n
	}
	// ImageKit's example values with a high threshold: the texture is left alone…
	high := UnsharpMask(img, 2, 2, 0.8, 0.1)
	if n := changed(high, texture); n != 0 {
		t.Errorf("UnsharpMask(threshold 0.1) changed %d low-contrast pixels, want 0", n)
	}
	// …but the strong edge is still sharpened.
	if l, r := px(high, 59, 10).R, px(high, 60, 10).R; l >= 40 || r <= 220 {
		t.Errorf("UnsharpMask(threshold 0.1) at the edge = %d|%d, want overshoot", l, r)
	}
	// With no threshold the texture is sharpened too.
	if n := changed(UnsharpMask(img, 2, 2, 0.8, 0), texture); n < texture.Dx()*texture.Dy()/4 {
		t.Errorf("UnsharpMask(threshold 0) changed %d low-contrast pixels, want many", n)
	}
}

func TestUnsharpMaskAmount(t *testing.T) {
	img := edgeImage(40, 4, 100, 150)
	// Amount scales the overshoot linearly: d(amount) = amount·(orig - blurred).
	d1 := 100 - int(px(UnsharpMask(img, 0, 1, 1, 0), 19, 1).R)
	d2 := 100 - int(px(UnsharpMask(img, 0, 1, 2, 0), 19, 1).R)
	if d1 <= 0 || abs(d2-2*d1) > 1 {
		t.Errorf("UnsharpMask undershoot amount 1 = %d, amount 2 = %d, want about double", d1, d2)
	}
	// amount 0 (and NaN) is a copy.
	if maxDiff(UnsharpMask(img, 1, 1, 0, 0), img) != 0 {
		t.Errorf("UnsharpMask(amount 0) changed the image")
	}
	// A radius truncates the kernel: radius 1 reaches only one pixel.
	got := UnsharpMask(img, 1, 2, 1, 0)
	if p := px(got, 17, 1); p.R != 100 {
		t.Errorf("UnsharpMask(radius 1) two pixels from the edge = %d, want 100 (unchanged)", p.R)
	}
	if p := px(got, 19, 1); p.R >= 100 {
		t.Errorf("UnsharpMask(radius 1) next to the edge = %d, want < 100", p.R)
	}
}

func TestUnsharpMaskKeepsAlphaNoHalo(t *testing.T) {
	// Opaque red beside transparent pixels hiding white.
	img := newImage(30, 4, func(x, y int) color.NRGBA {
		if x < 15 {
			return color.NRGBA{200, 0, 0, 255}
		}
		return color.NRGBA{255, 255, 255, 0}
	})
	got := UnsharpMask(img, 0, 2, 3, 0)
	for x := range 30 {
		p, q := px(got, x, 2), px(img, x, 2)
		if p != q {
			t.Errorf("UnsharpMask(red|transparent) at x=%d = %v, want unchanged %v", x, p, q)
		}
	}
}

func TestSharpenPhoto(t *testing.T) {
	img := corpusImage(t, "jpeg-photo-1920x1080.jpg")
	before := snapshot(img)
	got := Sharpen(img, 0)
	checkUnmodified(t, img, before)
	detail := func(m *image.NRGBA) int {
		s := 0
		for y := range m.Rect.Dy() {
			r := row(m, y)
			for i := 4; i < len(r); i++ {
				s += abs(int(r[i]) - int(r[i-4]))
			}
		}
		return s
	}
	if d0, d1 := detail(img), detail(got); d1 <= d0*5/4 {
		t.Errorf("Sharpen(photo): neighbour differences %d → %d, want at least 25%% more", d0, d1)
	}
	if m := meanDiff(got, img); m > 10 {
		t.Errorf("Sharpen(photo) mean change %.2f, want small", m)
	}
}

func TestUnsharpMaskOpaqueMatchesGeneral(t *testing.T) {
	src := corpusImage(t, "jpeg-photo-1920x1080.jpg")
	opaque := clone(src.SubImage(image.Rect(300, 200, 460, 300)).(*image.NRGBA))
	general := clone(opaque)
	general.Pix[3] = 254 // one not-quite-opaque pixel selects the four-channel path
	for _, tc := range [][4]float64{{0, 1, 1, 0}, {2, 2, 0.8, 0.024}, {0, 6, 1.5, 0}} {
		a := UnsharpMask(opaque, tc[0], tc[1], tc[2], tc[3])
		b := UnsharpMask(general, tc[0], tc[1], tc[2], tc[3])
		r := image.Rect(20, 20, 140, 80)
		if d := maxDiff(clone(a.SubImage(r).(*image.NRGBA)), clone(b.SubImage(r).(*image.NRGBA))); d > 1 {
			t.Errorf("UnsharpMask%v: opaque and general paths differ by %d", tc, d)
		}
	}
}
