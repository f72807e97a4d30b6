package effect

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	_ "image/jpeg"
	_ "image/png"
	"testing"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// newImage returns a w×h image whose pixels come from f.
func newImage(w, h int, f func(x, y int) color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := f(x, y)
			i := img.PixOffset(x, y)
			img.Pix[i+0], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
		}
	}
	return img
}

// uniform returns a w×h image of colour c.
func uniform(w, h int, c color.NRGBA) *image.NRGBA {
	return newImage(w, h, func(int, int) color.NRGBA { return c })
}

// px returns the pixel at (x, y) counted from img's top-left corner.
func px(img *image.NRGBA, x, y int) color.NRGBA {
	i := img.PixOffset(img.Rect.Min.X+x, img.Rect.Min.Y+y)
	return color.NRGBA{img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3]}
}

// near reports whether every channel of a and b differs by at most tol.
func near(a, b color.NRGBA, tol int) bool {
	d := func(x, y uint8) bool { return abs(int(x)-int(y)) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}

// snapshot returns a copy of img's pixel bytes, to check that a function left
// its input alone.
func snapshot(img *image.NRGBA) []byte { return bytes.Clone(img.Pix) }

// checkUnmodified fails t when img's pixels differ from before.
func checkUnmodified(t *testing.T, img *image.NRGBA, before []byte) {
	t.Helper()
	if !bytes.Equal(img.Pix, before) {
		t.Errorf("input image was modified")
	}
}

// maxDiff returns the largest channel difference between two images of the
// same size.
func maxDiff(a, b *image.NRGBA) int {
	m := 0
	for y := range a.Rect.Dy() {
		ra, rb := row(a, y), row(b, y)
		for i := range ra {
			m = max(m, abs(int(ra[i])-int(rb[i])))
		}
	}
	return m
}

// meanDiff returns the mean absolute channel difference between two images of
// the same size.
func meanDiff(a, b *image.NRGBA) float64 {
	sum, n := 0, 0
	for y := range a.Rect.Dy() {
		ra, rb := row(a, y), row(b, y)
		for i := range ra {
			sum += abs(int(ra[i]) - int(rb[i]))
			n++
		}
	}
	return float64(sum) / float64(n)
}

// corpusImage decodes the corpus file name into an NRGBA image, skipping tb
// when the corpus is absent.
func corpusImage(tb testing.TB, name string) *image.NRGBA {
	tb.Helper()
	src, _, err := image.Decode(bytes.NewReader(testcorpus.Read(tb, name)))
	if err != nil {
		tb.Fatalf("decode %s: %v", name, err)
	}
	dst := image.NewNRGBA(image.Rect(0, 0, src.Bounds().Dx(), src.Bounds().Dy()))
	draw.Draw(dst, dst.Rect, src, src.Bounds().Min, draw.Src)
	return dst
}
