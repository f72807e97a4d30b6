package icc

import (
	"image"
	"image/draw"
	"testing"
)

// Benchmarks on real corpus images. Each reports throughput in
// megapixels per second (MP/s). Run with -cpu 1,2 to see the row split
// across goroutines.

func reportMP(b *testing.B, pixels int) {
	b.ReportMetric(float64(pixels)*float64(b.N)/b.Elapsed().Seconds()/1e6, "MP/s")
}

// p3Crop returns a 1920×1080 crop of the Display P3 photo, as YCbCr and
// as NRGBA.
func p3Crop(b *testing.B) (*image.YCbCr, *image.NRGBA) {
	img := decodeCorpus(b, fileP3).(*image.YCbCr)
	r := image.Rect(0, 0, 1920, 1080).Add(img.Rect.Min.Add(image.Pt(500, 500)))
	y := img.SubImage(r).(*image.YCbCr)
	n := image.NewNRGBA(image.Rect(0, 0, 1920, 1080))
	draw.Draw(n, n.Rect, y, r.Min, draw.Src)
	return y, n
}

func BenchmarkNRGBA_P3_1080p(b *testing.B) {
	tr := corpusTransform(b, fileP3)
	_, n := p3Crop(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		tr.NRGBA(n) // in place: the values drift, the work does not
	}
	reportMP(b, 1920*1080)
}

func BenchmarkYCbCr_P3_1080p(b *testing.B) {
	tr := corpusTransform(b, fileP3)
	y, _ := p3Crop(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		tr.YCbCr(y)
	}
	reportMP(b, 1920*1080)
}

func BenchmarkYCbCr_P3_12MP(b *testing.B) {
	tr := corpusTransform(b, fileP3)
	y := decodeCorpus(b, fileP3).(*image.YCbCr)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		tr.YCbCr(y)
	}
	reportMP(b, y.Rect.Dx()*y.Rect.Dy())
}

func BenchmarkCMYK_SWOP(b *testing.B) {
	tr := corpusTransform(b, fileCMYK)
	c := decodeCorpus(b, fileCMYK).(*image.CMYK)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		tr.CMYK(c)
	}
	reportMP(b, c.Rect.Dx()*c.Rect.Dy())
}

func BenchmarkGray(b *testing.B) {
	tr := corpusTransform(b, fileGray)
	src := decodeCorpus(b, fileGray).(*image.Gray)
	g := image.NewGray(src.Rect)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		copy(g.Pix, src.Pix)
		tr.Gray(g)
	}
	reportMP(b, g.Rect.Dx()*g.Rect.Dy())
}

// The one-off costs: parsing, and building the tables of a transform.

func BenchmarkParse_P3(b *testing.B) {
	prof := corpusProfile(b, fileP3)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(prof); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse_sRGB parses the camera sRGB profile of the 24 MP photo:
// the common case, where IsSRGB runs its whole check and says yes.
func BenchmarkParse_sRGB(b *testing.B) {
	prof := corpusProfile(b, fileSRGB)
	b.ReportAllocs()
	for b.Loop() {
		if p, err := Parse(prof); err != nil || !p.IsSRGB() {
			b.Fatal(p, err)
		}
	}
}

func BenchmarkToSRGB_P3(b *testing.B) {
	p, err := Parse(corpusProfile(b, fileP3))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		p.ToSRGB()
	}
}

func BenchmarkParse_SWOP(b *testing.B) {
	prof := corpusProfile(b, fileCMYK)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(prof); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkToSRGB_SWOP(b *testing.B) {
	p, err := Parse(corpusProfile(b, fileCMYK))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		p.ToSRGB()
	}
}
