package avifaom

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"io"
	"testing"

	goavif "github.com/Kagami/go-avif"
	g2b "github.com/gen2brain/avif"
)

// benchPhoto is the corpus photo the benchmarks encode, at 800 wide like the
// colour tests.
const benchPhoto = "jpeg-photo-1920x1080.jpg"

func benchEncode(b *testing.B, enc func(w io.Writer, img image.Image) error) {
	src := photo(b, benchPhoto, 800)
	var buf bytes.Buffer
	if err := enc(&buf, src); err != nil {
		b.Fatal(err)
	}
	size := buf.Len()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		buf.Reset()
		if err := enc(&buf, src); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(size), "bytes")
}

// BenchmarkEncode compares Encoder with gen2brain/avif (the default pure-Go
// encoder) at libaom speeds, quality 60, one image at a time (threads=0 is
// GOMAXPROCS). The "bytes" metric is the output size; the colour tests
// compare quality at equal size.
func BenchmarkEncode(b *testing.B) {
	ctx := context.Background()
	for _, speed := range []int{4, 6} {
		for _, threads := range []int{1, 0} {
			b.Run(fmt.Sprintf("avifaom/speed=%d/threads=%d", speed, threads), func(b *testing.B) {
				e := &Encoder{Speed: speed, Threads: threads}
				benchEncode(b, func(w io.Writer, img image.Image) error { return e.Encode(ctx, w, img, 60, false) })
			})
		}
	}
	// gen2brain runs libaom single-threaded in WebAssembly; 10 is its
	// default speed.
	for _, speed := range []int{4, 6, 8, 10} {
		b.Run(fmt.Sprintf("gen2brain/speed=%d", speed), func(b *testing.B) {
			benchEncode(b, func(w io.Writer, img image.Image) error {
				return g2b.Encode(w, img, g2b.Options{Quality: 60, Speed: speed, ChromaSubsampling: image.YCbCrSubsampleRatio420})
			})
		})
	}
	// The uncorrected call, for the cost of the colour correction.
	b.Run("go-avif-uncorrected/speed=6/threads=1", func(b *testing.B) {
		benchEncode(b, func(w io.Writer, img image.Image) error {
			return goavif.Encode(w, img, &goavif.Options{Threads: 1, Speed: 6, Quality: Quantizer(60)})
		})
	})
}

// BenchmarkPrepare measures the colour pre-conversion alone.
func BenchmarkPrepare(b *testing.B) {
	src := photo(b, benchPhoto, 800)
	b.ReportAllocs()
	for b.Loop() {
		prepare(src, bt601)
	}
}
