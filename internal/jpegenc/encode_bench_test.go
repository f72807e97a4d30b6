package jpegenc

import (
	"bytes"
	"image"
	"image/jpeg"
	"io"
	"testing"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// The benchmarks encode decoded corpus photos (*image.YCbCr, 4:2:0) at
// quality 80 with this package and, for comparison, with image/jpeg.

func BenchmarkEncode1080pBaseline(b *testing.B) {
	benchEncode(b, photo1080(b), &Options{Quality: 80})
}

func BenchmarkEncode1080pBaselineStandardTables(b *testing.B) {
	benchEncode(b, photo1080(b), &Options{Quality: 80, StandardTables: true})
}

func BenchmarkEncode1080pProgressive(b *testing.B) {
	benchEncode(b, photo1080(b), &Options{Quality: 80, Progressive: true})
}

func BenchmarkEncode1080pStdlib(b *testing.B) { benchStdlib(b, photo1080(b)) }

func BenchmarkEncode1080pRGBABaseline(b *testing.B) {
	benchEncode(b, toRGBA(photo1080(b)), &Options{Quality: 80})
}

func BenchmarkEncode1080pRGBAStdlib(b *testing.B) { benchStdlib(b, toRGBA(photo1080(b))) }

func BenchmarkEncode400x600Baseline(b *testing.B) {
	benchEncode(b, photo400x600(b), &Options{Quality: 80})
}

func BenchmarkEncode400x600BaselineStandardTables(b *testing.B) {
	benchEncode(b, photo400x600(b), &Options{Quality: 80, StandardTables: true})
}

func BenchmarkEncode400x600Progressive(b *testing.B) {
	benchEncode(b, photo400x600(b), &Options{Quality: 80, Progressive: true})
}

func BenchmarkEncode400x600Stdlib(b *testing.B) { benchStdlib(b, photo400x600(b)) }

// benchEncode measures Encode of img with o; bytes are counted as the
// image's 24-bit RGB size, and out-bytes is the size of the result.
func benchEncode(b *testing.B, img image.Image, o *Options) {
	var buf bytes.Buffer
	if err := Encode(&buf, img, o); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(img.Bounds().Dx() * img.Bounds().Dy() * 3))
	b.ReportAllocs()
	for b.Loop() {
		if err := Encode(io.Discard, img, o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "out-bytes")
}

// benchStdlib measures image/jpeg's Encode of img at quality 80.
func benchStdlib(b *testing.B, img image.Image) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(img.Bounds().Dx() * img.Bounds().Dy() * 3))
	b.ReportAllocs()
	for b.Loop() {
		if err := jpeg.Encode(io.Discard, img, &jpeg.Options{Quality: 80}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "out-bytes")
}

func photo1080(tb testing.TB) *image.YCbCr {
	return decodeCorpus(tb, "jpeg-photo-1920x1080.jpg")
}

// photo400x600 returns the 24 MP photo scaled down ten times by taking every
// tenth sample.
func photo400x600(tb testing.TB) *image.YCbCr {
	big := decodeCorpus(tb, "jpeg-photo-24mp-4000x6000.jpg")
	const f = 10
	r := image.Rect(0, 0, big.Rect.Dx()/f, big.Rect.Dy()/f)
	m := image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
	for y := range r.Dy() {
		for x := range r.Dx() {
			sx, sy := big.Rect.Min.X+x*f, big.Rect.Min.Y+y*f
			m.Y[m.YOffset(x, y)] = big.Y[big.YOffset(sx, sy)]
			ci, si := m.COffset(x, y), big.COffset(sx, sy)
			m.Cb[ci], m.Cr[ci] = big.Cb[si], big.Cr[si]
		}
	}
	return m
}

func decodeCorpus(tb testing.TB, name string) *image.YCbCr {
	tb.Helper()
	m, err := jpeg.Decode(bytes.NewReader(testcorpus.Read(tb, name)))
	if err != nil {
		tb.Fatalf("decode %s: %v", name, err)
	}
	y, ok := m.(*image.YCbCr)
	if !ok {
		tb.Fatalf("decode %s: got %T, want *image.YCbCr", name, m)
	}
	return y
}
