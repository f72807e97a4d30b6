package avifaom

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	_ "image/jpeg"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/imgcdn/imgcdn/internal/resample"
	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// photo returns the corpus photo name as *image.RGBA scaled to width
// (Lanczos3, the pipeline's resampler).
func photo(tb testing.TB, name string, width int) *image.RGBA {
	tb.Helper()
	src, _, err := image.Decode(bytes.NewReader(testcorpus.Read(tb, name)))
	if err != nil {
		tb.Fatal(err)
	}
	b := src.Bounds()
	rgba := image.NewRGBA(b)
	draw.Draw(rgba, b, src, b.Min, draw.Src)
	h := (b.Dy()*width + b.Dx()/2) / b.Dx()
	m, err := resample.Resize(rgba, b, width, h)
	if err != nil {
		tb.Fatal(err)
	}
	return m.(*image.RGBA)
}

// avifdec decodes an AVIF file with the external avifdec (libavif with
// dav1d), skipping tb when avifdec is not installed. By default it writes an
// 8-bit PNG, converting with libyuv as Chromium does; pass "-d", "16" for
// libavif's exact floating-point conversion.
func avifdec(tb testing.TB, file []byte, args ...string) image.Image {
	tb.Helper()
	bin, err := exec.LookPath("avifdec")
	if err != nil {
		tb.Skip("avifdec not found (apt-get install libavif-bin); skipping")
	}
	dir := tb.TempDir()
	in, out := filepath.Join(dir, "in.avif"), filepath.Join(dir, "out.png")
	if err := os.WriteFile(in, file, 0o644); err != nil {
		tb.Fatal(err)
	}
	args = append([]string{"--codec", "dav1d", "--depth", "8"}, args...)
	if msg, err := exec.Command(bin, append(args, in, out)...).CombinedOutput(); err != nil {
		tb.Fatalf("avifdec: %v\n%s", err, msg)
	}
	f, err := os.Open(out)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	m, err := png.Decode(f)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// fidelity compares a decoded image with its source.
type fidelity struct {
	shift [3]float64 // mean of decoded minus mean of source, per channel, in 8-bit levels
	psnr  float64    // over R, G and B together, dB
}

func (f fidelity) String() string {
	return fmt.Sprintf("mean shift R %+.2f G %+.2f B %+.2f, PSNR %.2f dB", f.shift[0], f.shift[1], f.shift[2], f.psnr)
}

// maxShift returns the largest absolute channel mean shift.
func (f fidelity) maxShift() float64 {
	return max(math.Abs(f.shift[0]), math.Abs(f.shift[1]), math.Abs(f.shift[2]))
}

func compare(tb testing.TB, src *image.RGBA, got image.Image) fidelity {
	tb.Helper()
	b := src.Bounds()
	if got.Bounds().Size() != b.Size() {
		tb.Fatalf("decoded size %v, want %v", got.Bounds().Size(), b.Size())
	}
	var sum [3]float64
	var se float64
	o := got.Bounds().Min
	for y := range b.Dy() {
		for x := range b.Dx() {
			r, g, bl, _ := got.At(o.X+x, o.Y+y).RGBA()
			s := src.Pix[src.PixOffset(x, y):]
			for c, v := range [3]uint32{r, g, bl} {
				d := float64(v)/257 - float64(s[c])
				sum[c] += d
				se += d * d
			}
		}
	}
	n := float64(b.Dx() * b.Dy())
	f := fidelity{psnr: 10 * math.Log10(255*255/(se/(3*n)))}
	for c := range 3 {
		f.shift[c] = sum[c] / n
	}
	return f
}
