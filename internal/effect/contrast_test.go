package effect

import (
	"image/color"
	"testing"
)

func TestContrastStretchesRamp(t *testing.T) {
	// A horizontal ramp of greys from 100 to 150, one level per column.
	img := newImage(51, 10, func(x, y int) color.NRGBA {
		v := uint8(100 + x)
		return color.NRGBA{v, v, v, 255}
	})
	before := snapshot(img)
	got := Contrast(img)
	checkUnmodified(t, img, before)
	if p := px(got, 0, 0); p != (color.NRGBA{0, 0, 0, 255}) {
		t.Errorf("Contrast(ramp) at 100 = %v, want black", p)
	}
	if p := px(got, 50, 0); p != (color.NRGBA{255, 255, 255, 255}) {
		t.Errorf("Contrast(ramp) at 150 = %v, want white", p)
	}
	prev := -1
	for x := range 51 {
		p := px(got, x, 5)
		want := float64(x) * 255 / 50
		if abs(int(p.R)-int(want+0.5)) > 1 || p.R != p.G || p.G != p.B {
			t.Errorf("Contrast(ramp) at %d = %v, want grey %.0f", 100+x, p, want)
		}
		if int(p.R) <= prev {
			t.Errorf("Contrast(ramp) not increasing at %d", 100+x)
		}
		prev = int(p.R)
	}
}

func TestContrastClipsOutliersAndIgnoresTransparent(t *testing.T) {
	// Mostly 80..160, one dark and one bright outlier pixel, and transparent
	// pixels hiding black and white that must not count.
	img := newImage(100, 100, func(x, y int) color.NRGBA {
		switch {
		case x == 0 && y == 0:
			return color.NRGBA{0, 0, 0, 255}
		case x == 1 && y == 0:
			return color.NRGBA{255, 255, 255, 255}
		case y >= 90 && x < 50:
			return color.NRGBA{0, 0, 0, 0}
		case y >= 90:
			return color.NRGBA{255, 255, 255, 0}
		}
		v := uint8(80 + (x*80)/99)
		return color.NRGBA{v, v, v, 128}
	})
	got := Contrast(img)
	if p := px(got, 2, 5); p.R > 3 || p.A != 128 {
		t.Errorf("Contrast at the low end = %v, want ≈ 0 with alpha 128", p)
	}
	if p := px(got, 99, 5); p.R < 252 {
		t.Errorf("Contrast at the high end = %v, want ≈ 255", p)
	}
	if p := px(got, 10, 95); p != (color.NRGBA{0, 0, 0, 0}) {
		t.Errorf("Contrast changed a transparent pixel to %v", p)
	}
	if p := px(got, 60, 95); p != (color.NRGBA{255, 255, 255, 0}) {
		t.Errorf("Contrast changed a transparent pixel to %v", p)
	}
}

func TestContrastKeepsHue(t *testing.T) {
	// Channels pooled: a dim orange stays orange (same mapping on R, G, B).
	img := newImage(20, 20, func(x, y int) color.NRGBA {
		if x < 10 {
			return color.NRGBA{120, 90, 60, 255}
		}
		return color.NRGBA{140, 100, 60, 255}
	})
	got := Contrast(img)
	a, b := px(got, 0, 0), px(got, 19, 0)
	if a.B != 0 || b.B != 0 || b.R != 255 || !(a.R > a.G && a.G > a.B) {
		t.Errorf("Contrast(orange) = %v, %v; want R > G > B, black point at 60 and white point at 140", a, b)
	}
	// (x-60)·255/80: 120 → 191, 90 → 96.
	if !near(a, color.NRGBA{191, 96, 0, 255}, 1) {
		t.Errorf("Contrast(orange) = %v, want ≈ {191 96 0 255}", a)
	}
}

func TestContrastUniformUnchanged(t *testing.T) {
	img := uniform(8, 8, color.NRGBA{100, 100, 100, 255})
	if maxDiff(Contrast(img), img) != 0 {
		t.Errorf("Contrast(uniform grey) changed the image")
	}
	empty := uniform(8, 8, color.NRGBA{1, 2, 3, 0})
	if maxDiff(Contrast(empty), empty) != 0 {
		t.Errorf("Contrast(fully transparent) changed the image")
	}
}

func TestContrastPhoto(t *testing.T) {
	img := corpusImage(t, "jpeg-photo-1920x1080.jpg")
	got := Contrast(img)
	count := func(m []byte) (dark, bright int) {
		for i, v := range m {
			if i%4 == 3 {
				continue
			}
			if v == 0 {
				dark++
			}
			if v == 255 {
				bright++
			}
		}
		return
	}
	n := len(got.Pix) / 4 * 3
	dark, bright := count(got.Pix)
	// About ContrastClip of the values saturate at each end (more when a
	// histogram bin straddles the percentile).
	if dark < n/1000 || bright < n/1000 || dark > n/20 || bright > n/20 {
		t.Errorf("Contrast(photo): %d black and %d white values of %d, want about %.1f%% each", dark, bright, n, 100*ContrastClip)
	}
}
