package codec

import (
	"bytes"
	"context"
	"image"
	"io"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// benchAnimDecode decodes every frame of a corpus animation.
func benchAnimDecode(b *testing.B, name string) {
	src := testcorpus.Read(b, name)
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	frames := 0
	for b.Loop() {
		d, err := NewAnimDecoder(context.Background(), src, Limits{}, AnimLimits{})
		if err != nil {
			b.Fatal(err)
		}
		for frames = 0; ; frames++ {
			if _, _, err := d.Next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(frames), "frames")
}

func BenchmarkAnimDecodeGIF121x128(b *testing.B) { benchAnimDecode(b, "gif-animated-121x128.gif") }
func BenchmarkAnimDecodeGIF80x80(b *testing.B)   { benchAnimDecode(b, "gif-animated-80x80.gif") }
func BenchmarkAnimDecodeWebP80x80(b *testing.B)  { benchAnimDecode(b, "webp-animated-80x80.webp") }

// benchAnimEncode encodes the frames of a corpus animation.
func benchAnimEncode(b *testing.B, name string, f Format, o EncodeOptions) {
	d, err := NewAnimDecoder(context.Background(), testcorpus.Read(b, name), Limits{}, AnimLimits{})
	if err != nil {
		b.Fatal(err)
	}
	var (
		frames []*image.NRGBA
		delays []time.Duration
	)
	for {
		m, delay, err := d.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			b.Fatal(err)
		}
		frames, delays = append(frames, m), append(delays, delay)
	}
	r := frames[0].Rect
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		e, err := NewAnimEncoder(&buf, f, r.Dx(), r.Dy(), 0, o)
		if err != nil {
			b.Fatal(err)
		}
		for i, m := range frames {
			if err := e.Add(m, delays[i]); err != nil {
				b.Fatal(err)
			}
		}
		if err := e.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/file")
}

func BenchmarkAnimEncodeGIF121x128(b *testing.B) {
	benchAnimEncode(b, "gif-animated-121x128.gif", GIF, EncodeOptions{})
}
func BenchmarkAnimEncodeGIF80x80(b *testing.B) {
	benchAnimEncode(b, "gif-animated-80x80.gif", GIF, EncodeOptions{})
}
func BenchmarkAnimEncodeGIFFromWebP80x80(b *testing.B) {
	benchAnimEncode(b, "webp-animated-80x80.webp", GIF, EncodeOptions{})
}
func BenchmarkAnimEncodeWebPLossy121x128(b *testing.B) {
	benchAnimEncode(b, "gif-animated-121x128.gif", WebP, EncodeOptions{})
}
func BenchmarkAnimEncodeWebPLossless121x128(b *testing.B) {
	benchAnimEncode(b, "gif-animated-121x128.gif", WebP, EncodeOptions{Lossless: true})
}
func BenchmarkAnimEncodeWebPLossy80x80(b *testing.B) {
	benchAnimEncode(b, "webp-animated-80x80.webp", WebP, EncodeOptions{})
}

// BenchmarkEncodeGIFStill480 encodes a photo scaled to 480×270 as a still
// GIF (quantization and dithering included).
func BenchmarkEncodeGIFStill480(b *testing.B) {
	img := animPhoto(b, "jpeg-photo-1920x1080.jpg", 480)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := EncodeGIF(&buf, img); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/file")
}
