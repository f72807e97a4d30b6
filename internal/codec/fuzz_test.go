package codec

import (
	"context"
	"fmt"
	"image"
	"testing"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// fuzzLimits are tight, so that a fuzzed header cannot ask for much.
var fuzzLimits = Limits{MaxBytes: 1 << 20, MaxPixels: 4_000_000, MaxSide: 8192}

// maxFuzzAlloc bounds the memory one decode may allocate under fuzzLimits:
// the worst case is a progressive CMYK JPEG (coefficients, planes, RGB
// conversion and a turned copy, about 32 bytes per pixel).
const maxFuzzAlloc = 48*4_000_000 + 16<<20

func FuzzDecode(f *testing.F) {
	for _, name := range []string{
		"gif-animated-121x128.gif", "png-gray-alpha-293x115.png", "png-16bit-rgb-900x600.png",
		"png-interlaced-rgba-162x150.png", "webp-animated-80x80.webp", "tiff-gopher-200x100.tiff",
		"jpeg-gray-icc-400x267.jpg", "heif-alpha-202x259.heif", "svg-star-880x880.svg",
		"hostile-bomb-jpeg-64250x64250.jpg", "hostile-bomb-avif-17000x17000.avif",
		"hostile-corrupt-header.jpg", "hostile-truncated-290x442.jpg",
	} {
		if b := testcorpus.ReadSeed(name); b != nil {
			f.Add(b)
		}
	}
	f.Add(heifWithIspe(300, 200))
	f.Add(webpOf(vp8xChunk(webpFlagAlpha, 64, 64), riffChunk(nil, "ALPH", []byte{0}), vp8Chunk(64, 64)))
	f.Add(append(bmpHeader(2, 2, 24), make([]byte, 16)...))
	f.Add(gifHeader(4, 4, 2, 2, 3))
	f.Add(jpegSOF(0xc2, 16, 16))
	// Compile the AVIF codec once per process, before fuzzing starts, so no
	// input pays it (a slow input at the deadline fails the run).
	if err := WarmUp(context.Background()); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var (
			img *Image
			err error
		)
		n := allocated(func() { img, err = Decode(context.Background(), b, fuzzLimits, DecodeHint{}) })
		if n > maxFuzzAlloc {
			t.Fatalf("Decode allocated %d bytes, want at most %d", n, maxFuzzAlloc)
		}
		h, cerr := DecodeConfig(b, fuzzLimits)
		if err != nil {
			if c := class(err); c[:2] == "ot" {
				t.Fatalf("Decode error %v is not classified", err)
			}
			if img != nil {
				t.Fatalf("Decode returned an image with error %v", err)
			}
			return
		}
		if cerr != nil {
			t.Fatalf("Decode succeeded but DecodeConfig failed: %v", cerr)
		}
		if img.Header != h {
			t.Fatalf("Decode header %+v, DecodeConfig %+v", img.Header, h)
		}
		if got, want := img.Pixels.Bounds(), image.Rect(0, 0, h.OrientedWidth, h.OrientedHeight); got != want {
			t.Fatalf("Decode bounds %v, want %v", got, want)
		}
		switch img.Pixels.(type) {
		case *image.YCbCr, *image.Gray, *image.NRGBA:
		default:
			t.Fatalf("Decode returned %s", fmt.Sprintf("%T", img.Pixels))
		}
	})
}
