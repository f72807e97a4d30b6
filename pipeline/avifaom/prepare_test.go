package avifaom

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"
)

// checkPrepared simulates go-avif on prepare's output and checks the samples
// it would store against the exact BT.601 limited-range conversion of src:
// every luma sample whose block was not clipped is the exact Y rounded, and
// every chroma sample is within one level of the block mean, and their
// averages are unbiased. It returns the mean chroma errors.
func checkPrepared(t *testing.T, src *image.RGBA) (meanCb, meanCr float64) {
	t.Helper()
	p := prepare(src, bt601)
	w, h := p.w, p.h
	var sumB, sumR float64
	var worstB, worstR float64
	n := 0
	for y0 := 0; y0 < h; y0 += 2 {
		for x0 := 0; x0 < w; x0 += 2 {
			var eb, er float64
			k := 0
			for y := y0; y < min(y0+2, h); y++ {
				for x := x0; x < min(x0+2, w); x++ {
					s := src.Pix[src.PixOffset(x, y):]
					ey, cb, cr := bt601.ycc(float64(s[0]), float64(s[1]), float64(s[2]))
					eb += cb
					er += cr
					k++
					gy, _, _ := goavifYUV(p.pix[y*w+x])
					if x != x0 || y != y0 {
						if want := math.Round(ey); float64(gy) != want {
							t.Fatalf("%dx%d: Y at (%d,%d) = %d, want %v", w, h, x, y, gy, want)
						}
					}
				}
			}
			_, gb, gr := goavifYUV(p.pix[y0*w+x0])
			db, dr := float64(gb)-eb/float64(k), float64(gr)-er/float64(k)
			sumB += db
			sumR += dr
			worstB = max(worstB, math.Abs(db))
			worstR = max(worstR, math.Abs(dr))
			n++
		}
	}
	if p.clipped == 0 && (worstB > 1.5 || worstR > 1.5) {
		t.Errorf("%dx%d: chroma error up to %.2f (Cb), %.2f (Cr) levels without clipping", w, h, worstB, worstR)
	}
	return sumB / float64(n), sumR / float64(n)
}

func TestPreparePhotos(t *testing.T) {
	for _, name := range colourPhotos {
		src := photo(t, name, 800)
		cb, cr := checkPrepared(t, src)
		t.Logf("%s: mean chroma error Cb %+.4f Cr %+.4f levels", name, cb, cr)
		if math.Abs(cb) > 0.01 || math.Abs(cr) > 0.01 {
			t.Errorf("%s: chroma biased: Cb %+.4f Cr %+.4f levels", name, cb, cr)
		}
	}
}

func TestPrepareSynthetic(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []image.Point{{1, 1}, {1, 5}, {5, 1}, {3, 3}, {17, 9}, {64, 64}} {
		// Smooth gradients and noise, not saturated: no clipping expected.
		src := image.NewRGBA(image.Rect(0, 0, size.X, size.Y))
		for y := range size.Y {
			for x := range size.X {
				src.SetRGBA(x, y, color.RGBA{
					uint8(40 + 4*x%170 + rng.IntN(20)),
					uint8(60 + 3*y%150 + rng.IntN(20)),
					uint8(80 + (x+y)%120 + rng.IntN(20)), 255})
			}
		}
		checkPrepared(t, src)
	}
}

// TestPrepareGreys checks that every grey comes out exactly: its luma, and
// neutral chroma, including black and white at the ends of the range.
func TestPrepareGreys(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 256, 2))
	for x := range 256 {
		for y := range 2 {
			src.SetRGBA(x, y, color.RGBA{uint8(x), uint8(x), uint8(x), 255})
		}
	}
	p := prepare(src, bt601)
	for x := 0; x < 256; x += 2 {
		y, cb, cr := goavifYUV(p.pix[x])
		if want := math.Round(16 + float64(x)*219/255); float64(y) != want || cb != 128 || cr != 128 {
			t.Errorf("grey %d: stored %d %d %d, want %v 128 128", x, y, cb, cr, want)
		}
	}
	if p.clipped != 0 {
		t.Errorf("greys: %d clipped", p.clipped)
	}
}

// TestPrepareSaturated documents the gamut limit of declaring BT.601 over
// go-avif's BT.709 conversion: the most saturated colours cannot be stored
// and come out less saturated (README.md, "Limits").
func TestPrepareSaturated(t *testing.T) {
	for _, c := range []color.RGBA{{255, 0, 0, 255}, {0, 0, 255, 255}, {255, 255, 0, 255}, {200, 30, 30, 255}, {20, 60, 200, 255}} {
		src := image.NewRGBA(image.Rect(0, 0, 2, 2))
		for i := range 4 {
			src.SetRGBA(i%2, i/2, c)
		}
		p := prepare(src, bt601)
		y, cb, cr := goavifYUV(p.pix[0])
		ey, ecb, ecr := bt601.ycc(float64(c.R), float64(c.G), float64(c.B))
		t.Logf("%v: stored Y %d Cb %d Cr %d, exact %.1f %.1f %.1f, clipped %d", c, y, cb, cr, ey, ecb, ecr, p.clipped)
		if p.clipped == 0 && (math.Abs(float64(cb)-ecb) > 0.5 || math.Abs(float64(cr)-ecr) > 0.5) {
			t.Errorf("%v: not clipped but chroma off", c)
		}
	}
}

// TestPrepareAllocs checks that go-avif's per-pixel At calls on the prepared
// image do not allocate (a plain image boxes a colour per pixel).
func TestPrepareAllocs(t *testing.T) {
	p := prepare(image.NewGray(image.Rect(0, 0, 8, 8)), bt601)
	if n := testing.AllocsPerRun(10, func() {
		for y := range 8 {
			for x := range 8 {
				p.At(x, y).RGBA()
			}
		}
	}); n != 0 {
		t.Errorf("At allocates %v times per image", n)
	}
}
