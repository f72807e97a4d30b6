//go:build cgo

// Package avifaom encodes AVIF images with libaom, through cgo, using
// github.com/Kagami/go-avif v0.1.0. It is an optional native alternative to
// the default pure-Go (WebAssembly) encoder, github.com/gen2brain/avif. At
// the same libaom speed (6) it is about three times faster on one thread and
// 0.3 to 1.2 dB better in PSNR at equal file size on the corpus photos; but
// its fastest setting is still 2 to 3.5 times slower than gen2brain's
// default (speed 10), which costs that one 1.6 to 2.6 dB. It needs CGO_ENABLED=1 and
// libaom (Debian and Ubuntu: apt-get install libaom-dev) to build, and
// libaom at run time. See README.md for measurements.
//
// go-avif on its own shifts colours: it converts RGB to BT.709 limited-range
// Y'CbCr, truncating, keeps the chroma of one pixel in four, and writes no
// colour description, so that decoders read its files as BT.601. [Encoder]
// works around all of that without changing go-avif: it hands go-avif
// pixels computed so that go-avif stores exact, rounded, box-filtered
// BT.601 samples, and re-writes the container with an nclx colr box that
// says so.
package avifaom

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"runtime"

	goavif "github.com/Kagami/go-avif"
)

// DefaultSpeed is the libaom speed used when Encoder.Speed is 0: the
// fastest that libaom 3.6 distinguishes in go-avif's mode.
const DefaultSpeed = 6

// MaxSpeed is the largest libaom speed (cpu-used) go-avif accepts. libaom
// 3.6 encodes 7 and 8 exactly as 6 in go-avif's mode (good quality, two
// passes).
const MaxSpeed = goavif.MaxSpeed

// MaxSide is the largest width or height go-avif can encode.
const MaxSide = 1<<16 - 1

// Errors returned by Encode, possibly wrapped.
var (
	// ErrSize reports an empty image or one wider or taller than MaxSide.
	ErrSize = errors.New("avifaom: image size out of range")
	// ErrAlpha reports an image that is not opaque; flatten it first.
	ErrAlpha = errors.New("avifaom: image has transparency, which is not supported")
	// ErrSpeed reports a Speed outside 0 to MaxSpeed.
	ErrSpeed = errors.New("avifaom: speed out of range")
)

// Encoder writes AVIF images with libaom. The zero value is ready to use.
// An Encoder is safe for concurrent use.
type Encoder struct {
	// Speed is libaom's cpu-used, 1 (slowest) to MaxSpeed; 0 means
	// DefaultSpeed. Measured with libaom 3.6 on one thread for an 800×450
	// photo at quality 60: 1 and 2 take about 30 s, 3 takes 1.6 s, 4 and 5
	// 1.2 s, 6 to 8 0.5 s; files are 1 to 3% smaller at 1 to 5 than at 6.
	// (cpu-used 0 cannot be chosen: it is as slow as 1.)
	Speed int
	// Threads is the number of libaom worker threads for one image; 0 means
	// GOMAXPROCS. go-avif splits the image into 2×2 tiles and enables
	// row-based multithreading: two threads encode that photo in 0.25 s
	// instead of 0.43 s at speed 6.
	Threads int
}

// Quantizer returns the libaom quantizer (cq-level, 0 best to 63 worst) that
// Encode uses for quality, a JPEG-like quality from 1 (worst) to 100 (best),
// mapped as libavif maps its quality: (100-quality)*63/100, rounded. Values
// outside 1 to 100 are clamped. The result is at least 1, because go-avif
// treats 0 as lossless.
func Quantizer(quality int) int {
	quality = min(max(quality, 1), 100)
	return max(((100-quality)*63+50)/100, 1)
}

// Encode writes img to w as an 8-bit 4:2:0 AVIF at the given quality (1 to
// 100, see [Quantizer]). img must be opaque (alpha is not stored) and its
// pixels are taken to be sRGB. Any image type works, with fast paths for
// *image.RGBA, *image.NRGBA, *image.YCbCr and *image.Gray.
//
// With lossless set, quality is ignored and libaom codes the Y'CbCr samples
// losslessly (go-avif's quantizer 0). That is not lossless RGB: the 8-bit
// 4:2:0 limited-range conversion before coding still loses detail (40 to
// 45 dB PSNR on the corpus photos, see README.md), because go-avif supports
// neither 4:4:4 nor the identity matrix.
//
// The colours differ from those of a plain go-avif call, which come out
// shifted by up to 3 levels per channel mean, in four ways:
//
//   - The output carries an nclx colr box: BT.709 primaries (1), sRGB
//     transfer (13), BT.601 matrix (6), limited range. go-avif writes none,
//     and libaom's sequence header then says "unspecified" (2), which
//     libavif, dav1d-based viewers and Chromium decode as BT.601 while
//     go-avif encoded BT.709: the main cause of the shift.
//   - Each pixel handed to go-avif is solved through the inverse of
//     go-avif's fixed BT.709 matrix so that go-avif stores exactly the
//     BT.601 samples of the source pixel, rounded where go-avif truncates
//     (truncation alone makes every sample half a level low on average).
//   - Each chroma sample is the mean of its 2×2 block, with error diffusion,
//     instead of the top-left pixel's value (which aliases).
//   - BT.601 rather than go-avif's own BT.709 is declared because libyuv,
//     which libavif and Chromium use for 8-bit output, caps the blue
//     coefficient of limited-range BT.709 at 2.0 instead of 2.112, which
//     moves blue by up to 0.8 levels on average; its limited-range BT.601
//     coefficient is off by 0.9% only.
//
// The libaom call cannot be interrupted: ctx is checked before encoding
// starts and before the result is written. Nothing is written to w on error.
func (e *Encoder) Encode(ctx context.Context, w io.Writer, img image.Image, quality int, lossless bool) error {
	return e.encode(ctx, w, img, quality, lossless, bt601Limited)
}

// encode is Encode with the colour representation c.
func (e *Encoder) encode(ctx context.Context, w io.Writer, img image.Image, quality int, lossless bool, c colour) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b := img.Bounds()
	if b.Empty() || b.Dx() > MaxSide || b.Dy() > MaxSide {
		return fmt.Errorf("%w: %dx%d", ErrSize, b.Dx(), b.Dy())
	}
	if !opaque(img) {
		return ErrAlpha
	}
	speed := e.Speed
	if speed == 0 {
		speed = DefaultSpeed
	}
	if speed < 1 || speed > MaxSpeed {
		return fmt.Errorf("%w: %d (want 0 to %d)", ErrSpeed, e.Speed, MaxSpeed)
	}
	threads := e.Threads
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	q := Quantizer(quality)
	if lossless {
		q = 0
	}

	src := prepare(img, c.matrix)
	var raw bytes.Buffer
	raw.Grow(src.w * src.h / 4)
	if err := goavif.Encode(&raw, src, &goavif.Options{Threads: threads, Speed: speed, Quality: q}); err != nil {
		return fmt.Errorf("avifaom: %w", err)
	}
	stream, err := av1Stream(raw.Bytes())
	if err != nil {
		return err
	}
	obus, seq, err := itemOBUs(stream)
	if err != nil {
		return err
	}
	out := mux(obus, uint32(b.Dx()), uint32(b.Dy()), seq, c.nclx)
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// opaque reports whether every pixel of img is fully opaque.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0xffff {
				return false
			}
		}
	}
	return true
}
