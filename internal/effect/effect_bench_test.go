package effect

import (
	"image"
	"image/color"
	"image/draw"
	"testing"

	"github.com/anthonynsimon/bild/blur"
)

// benchEffect times f on the 1920×1080 corpus photo, decoded and converted to
// NRGBA before the timer starts.
func benchEffect(b *testing.B, f func(*image.NRGBA) *image.NRGBA) {
	img := corpusImage(b, "jpeg-photo-1920x1080.jpg")
	b.SetBytes(int64(len(img.Pix)))
	b.ReportAllocs()
	for b.Loop() {
		f(img)
	}
}

func BenchmarkBlur10(b *testing.B) {
	benchEffect(b, func(m *image.NRGBA) *image.NRGBA { return Blur(m, 10) })
}

func BenchmarkBlur50(b *testing.B) {
	benchEffect(b, func(m *image.NRGBA) *image.NRGBA { return Blur(m, 50) })
}

func BenchmarkBlur4(b *testing.B) {
	benchEffect(b, func(m *image.NRGBA) *image.NRGBA { return Blur(m, 4) })
}

func BenchmarkSharpen(b *testing.B) {
	benchEffect(b, func(m *image.NRGBA) *image.NRGBA { return Sharpen(m, 0) })
}

func BenchmarkUnsharpMask(b *testing.B) {
	benchEffect(b, func(m *image.NRGBA) *image.NRGBA { return UnsharpMask(m, 2, 2, 0.8, 0.024) })
}

func BenchmarkContrast(b *testing.B) {
	benchEffect(b, Contrast)
}

func BenchmarkGrayscale(b *testing.B) {
	benchEffect(b, Grayscale)
}

func BenchmarkRotate30(b *testing.B) {
	benchEffect(b, func(m *image.NRGBA) *image.NRGBA { return Rotate(m, 30, color.NRGBA{}) })
}

func BenchmarkEllipse(b *testing.B) {
	benchEffect(b, Ellipse)
}

func BenchmarkFlatten(b *testing.B) {
	benchEffect(b, func(m *image.NRGBA) *image.NRGBA { return Flatten(m, color.NRGBA{255, 255, 255, 255}) })
}

// bildGaussian is bild's Gaussian blur used the alpha-correct way: the
// straight-alpha image premultiplied into an RGBA image, blurred, and
// converted back. bild's radius r means sigma = √(2r), truncated r pixels
// from the centre. It is here only to compare with Blur: its cost grows with
// the radius, it truncates instead of rounding (a uniform white image comes
// back with alpha 253), and importing it sets GOMAXPROCS to the number of
// CPUs when its parallel package initialises.
func bildGaussian(m *image.NRGBA, r float64) *image.NRGBA {
	pm := image.NewRGBA(m.Rect)
	draw.Draw(pm, pm.Rect, m, m.Rect.Min, draw.Src)
	out := blur.Gaussian(pm, r)
	dst := image.NewNRGBA(out.Rect)
	draw.Draw(dst, dst.Rect, out, out.Rect.Min, draw.Src)
	return dst
}

// BenchmarkBildGaussian10 is bild's blur at its radius 10 (sigma 4.5, a
// kernel of 21 taps), the nearest to Blur(10) (sigma 5), for comparison.
func BenchmarkBildGaussian10(b *testing.B) {
	benchEffect(b, func(m *image.NRGBA) *image.NRGBA { return bildGaussian(m, 10) })
}

// BenchmarkBildGaussian50 is bild's blur at its radius 50 (sigma 10, a
// kernel of 101 taps), for comparison with Blur(50) (sigma 25).
func BenchmarkBildGaussian50(b *testing.B) {
	benchEffect(b, func(m *image.NRGBA) *image.NRGBA { return bildGaussian(m, 50) })
}
