package avifaom

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"io"
	"math"
	"strings"
	"sync"
	"testing"

	goavif "github.com/Kagami/go-avif"
	g2b "github.com/gen2brain/avif"
)

// The colour tests encode corpus photos scaled to 800 wide, decode them with
// the external avifdec (8-bit output, libyuv conversion, as Chromium) and
// compare with the source. The acceptance criteria, at qualities 60 and 70:
//
//   - every channel mean within maxMeanShift levels of the source's;
//   - PSNR at least that of gen2brain/avif (the default pure-Go encoder, at
//     the same libaom speed) minus maxPSNRDeficit dB, at gen2brain's file
//     size (interpolated between qualities).
//
// gen2brain itself measures within ±0.15 levels and 34.6 to 37.6 dB here.
const (
	maxMeanShift   = 0.5
	maxPSNRDeficit = 1.0
	colourSpeed    = 6
)

var (
	colourPhotos    = []string{"jpeg-photo-1920x1080.jpg", "jpeg-photo-2000x1333.jpg"}
	colourQualities = []int{60, 70}
)

// encoder is an encoder under test.
type encoder struct {
	name   string
	encode func(w io.Writer, img image.Image, quality int) error
}

var (
	corrected = encoder{"avifaom.Encoder", func(w io.Writer, img image.Image, q int) error {
		return (&Encoder{Speed: colourSpeed}).Encode(context.Background(), w, img, q, false)
	}}
	// uncorrected is the plain go-avif call this package replaces.
	uncorrected = encoder{"go-avif uncorrected", func(w io.Writer, img image.Image, q int) error {
		return goavif.Encode(w, img, &goavif.Options{Speed: colourSpeed, Quality: Quantizer(q)})
	}}
	gen2brain = encoder{"gen2brain/avif", func(w io.Writer, img image.Image, q int) error {
		return g2b.Encode(w, img, g2b.Options{Quality: q, Speed: colourSpeed, ChromaSubsampling: image.YCbCrSubsampleRatio420})
	}}
)

// point is one measured encoding.
type point struct {
	quality, size int
	fidelity
}

func (p point) String() string {
	return fmt.Sprintf("q%d %6d bytes, %v", p.quality, p.size, p.fidelity)
}

// results caches measurements: gen2brain is slow and shared by the tests.
var results sync.Map // "encoder|photo|quality" -> point

func measure(t *testing.T, e encoder, name string, src *image.RGBA, q int) point {
	t.Helper()
	key := e.name + "|" + name + "|" + fmt.Sprint(q)
	if p, ok := results.Load(key); ok {
		return p.(point)
	}
	var buf bytes.Buffer
	if err := e.encode(&buf, src, q); err != nil {
		t.Fatalf("%s q%d: %v", e.name, q, err)
	}
	p := point{q, buf.Len(), compare(t, src, avifdec(t, buf.Bytes()))}
	results.Store(key, p)
	return p
}

// psnrAtSize returns e's PSNR at the file size target, interpolated (in log
// size) between the two qualities, in steps of 5, that bracket it.
func psnrAtSize(t *testing.T, e encoder, name string, src *image.RGBA, target, start int) (float64, point, point) {
	t.Helper()
	a := measure(t, e, name, src, start)
	step := 5
	if a.size > target {
		step = -5
	}
	for q := start + step; q >= 5 && q <= 100; q += step {
		b := measure(t, e, name, src, q)
		if (b.size >= target) != (a.size >= target) {
			f := (math.Log(float64(target)) - math.Log(float64(a.size))) / (math.Log(float64(b.size)) - math.Log(float64(a.size)))
			return a.psnr + f*(b.psnr-a.psnr), a, b
		}
		a = b
	}
	t.Fatalf("%s: no quality gives %d bytes", e.name, target)
	return 0, a, a
}

// colourProblems measures e on the colour photos and returns the criteria it
// misses. It logs every figure.
func colourProblems(t *testing.T, e encoder) []string {
	t.Helper()
	t.Logf("gen2brain/avif via libavif shared library: %v (nil means yes; otherwise WebAssembly)", g2b.Dynamic())
	var problems []string
	for _, name := range colourPhotos {
		src := photo(t, name, 800)
		for _, q := range colourQualities {
			p := measure(t, e, name, src, q)
			ref := measure(t, gen2brain, name, src, q)
			psnr, lo, hi := psnrAtSize(t, e, name, src, ref.size, q)
			t.Logf("%s %dx%d q%d\n\t%-20s %v\n\t%-20s %v\n\t%-20s PSNR %.2f dB at %d bytes (between %v and %v)",
				name, src.Rect.Dx(), src.Rect.Dy(), q, e.name, p, "gen2brain", ref, e.name, psnr, ref.size, lo, hi)
			if s := p.maxShift(); s > maxMeanShift {
				problems = append(problems, fmt.Sprintf("%s q%d: channel mean shifted %.2f levels (max %.1f): %v", name, q, s, maxMeanShift, p.fidelity))
			}
			if psnr < ref.psnr-maxPSNRDeficit {
				problems = append(problems, fmt.Sprintf("%s q%d: PSNR %.2f dB at %d bytes, gen2brain %.2f dB", name, q, psnr, ref.size, ref.psnr))
			}
		}
	}
	return problems
}

func TestColourMatchesSource(t *testing.T) {
	if testing.Short() {
		t.Skip("slow (encodes with libaom and gen2brain, decodes with avifdec); skipped with -short")
	}
	if p := colourProblems(t, corrected); len(p) > 0 {
		t.Errorf("colour criteria missed:\n%s", strings.Join(p, "\n"))
	}
}

// TestUncorrectedGoAvifShiftsColours documents the defect Encoder corrects:
// a plain go-avif call misses the same criteria.
func TestUncorrectedGoAvifShiftsColours(t *testing.T) {
	if testing.Short() {
		t.Skip("slow (encodes with libaom and gen2brain, decodes with avifdec); skipped with -short")
	}
	p := colourProblems(t, uncorrected)
	if len(p) == 0 {
		t.Fatal("plain go-avif output meets the colour criteria: the correction is no longer needed, or the test lost its power")
	}
	t.Logf("as expected, plain go-avif misses the colour criteria:\n%s", strings.Join(p, "\n"))
}

// TestMatrixChoice documents why Encode declares BT.601 rather than
// go-avif's own BT.709: decoded exactly (avifdec -d 16) both are right, but
// libyuv, which converts 8-bit output in libavif and Chromium, caps the
// limited-range BT.709 blue coefficient (2.0 for 2.112), which moves blue
// by most of a level on these photos. It fails only if BT.601 stops meeting
// the criterion; the BT.709 figures are logged.
func TestMatrixChoice(t *testing.T) {
	if testing.Short() {
		t.Skip("slow; skipped with -short")
	}
	ctx := context.Background()
	for _, name := range colourPhotos {
		src := photo(t, name, 800)
		for _, c := range []colour{bt601Limited, bt709Limited} {
			var buf bytes.Buffer
			if err := (&Encoder{Speed: colourSpeed}).encode(ctx, &buf, src, 60, false, c); err != nil {
				t.Fatal(err)
			}
			libyuv := compare(t, src, avifdec(t, buf.Bytes()))
			exact := compare(t, src, avifdec(t, buf.Bytes(), "-d", "16"))
			t.Logf("%s q60 matrix %d: libyuv %v; exact %v", name, c.nclx.matrix, libyuv, exact)
			if c == bt601Limited && libyuv.maxShift() > maxMeanShift {
				t.Errorf("%s: BT.601 output shifted %.2f levels through libyuv", name, libyuv.maxShift())
			}
		}
	}
}
