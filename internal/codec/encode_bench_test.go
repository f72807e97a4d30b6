package codec

import (
	"bytes"
	"context"
	"testing"
)

// benchEncode encodes the corpus photo scaled to 800×450 (as the
// *image.YCbCr a resize of a JPEG gives) in f with o, reporting the output
// size as "bytes" and the time as "ms/op". AVIF is warmed up first, so
// that the one-off compilation of the WebAssembly codec is not counted.
func benchEncode(b *testing.B, f Format, o EncodeOptions) {
	src := photo800(b)
	var buf bytes.Buffer
	ctx := context.Background()
	if f == AVIF {
		if err := WarmUp(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		buf.Reset()
		if err := Encode(ctx, &buf, src, f, o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
}

func BenchmarkEncodeJPEG(b *testing.B) { benchEncode(b, JPEG, EncodeOptions{}) }
func BenchmarkEncodeJPEGProgressive(b *testing.B) {
	benchEncode(b, JPEG, EncodeOptions{Progressive: true})
}
func BenchmarkEncodePNG(b *testing.B)          { benchEncode(b, PNG, EncodeOptions{}) }
func BenchmarkEncodeGIF(b *testing.B)          { benchEncode(b, GIF, EncodeOptions{}) }
func BenchmarkEncodeWebP(b *testing.B)         { benchEncode(b, WebP, EncodeOptions{}) }
func BenchmarkEncodeWebPLossless(b *testing.B) { benchEncode(b, WebP, EncodeOptions{Lossless: true}) }
func BenchmarkEncodeAVIF(b *testing.B)         { benchEncode(b, AVIF, EncodeOptions{}) }
