package codec

import (
	"context"
	"testing"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// benchDecode decodes the corpus file name with the default limits.
func benchDecode(b *testing.B, name string) {
	src := testcorpus.Read(b, name)
	ctx := context.Background()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(ctx, src, Limits{}, DecodeHint{}); err != nil {
			b.Fatal(err)
		}
	}
}

// benchConfig reads the header of the corpus file name.
func benchConfig(b *testing.B, name string) {
	src := testcorpus.Read(b, name)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeConfig(src, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeJPEG24MP(b *testing.B)      { benchDecode(b, "jpeg-photo-24mp-4000x6000.jpg") }
func BenchmarkDecodeJPEG1920x1080(b *testing.B) { benchDecode(b, "jpeg-photo-1920x1080.jpg") }
func BenchmarkDecodeJPEG12MPOrient6(b *testing.B) {
	benchDecode(b, "jpeg-photo-12mp-iphone-p3-orient6.jpg")
}
func BenchmarkDecodePNGRGBA1634x2224(b *testing.B)  { benchDecode(b, "png-rgba-1634x2224.png") }
func BenchmarkDecodeWebPLossy1024x772(b *testing.B) { benchDecode(b, "webp-lossy-1024x772.webp") }
func BenchmarkConfigJPEG24MP(b *testing.B)          { benchConfig(b, "jpeg-photo-24mp-4000x6000.jpg") }
func BenchmarkConfigWebPLossy(b *testing.B)         { benchConfig(b, "webp-lossy-1024x772.webp") }
