package codec

import (
	"bytes"
	"context"
	"image"
	"math"
	"testing"

	"github.com/imgcdn/imgcdn/internal/raster"
	"github.com/imgcdn/imgcdn/internal/resample"
	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// photoFile is the corpus photo the encoding tests and benchmarks use.
const photoFile = "jpeg-photo-1920x1080.jpg"

// photo800 returns the corpus photo scaled to 800 pixels wide (800×450),
// as the *image.YCbCr a resize of a JPEG gives.
func photo800(tb testing.TB) *image.YCbCr {
	tb.Helper()
	return scaled800(tb, photoFile)
}

// scaled800 returns the corpus JPEG name scaled to 800 pixels wide.
func scaled800(tb testing.TB, name string) *image.YCbCr {
	tb.Helper()
	img, err := Decode(context.Background(), testcorpus.Read(tb, name), Limits{}, DecodeHint{})
	if err != nil {
		tb.Fatalf("Decode(%s): %v", name, err)
	}
	b := img.Pixels.Bounds()
	r, err := resample.Resize(img.Pixels, b, 800, 800*b.Dy()/b.Dx())
	if err != nil {
		tb.Fatalf("Resize: %v", err)
	}
	return r.(*image.YCbCr)
}

// encodeTo encodes img and returns the bytes, failing tb on error.
func encodeTo(tb testing.TB, img image.Image, f Format, o EncodeOptions) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := Encode(context.Background(), &buf, img, f, o); err != nil {
		tb.Fatalf("Encode(%v, %+v): %v", f, o, err)
	}
	return buf.Bytes()
}

// decodeBack decodes b with Decode, failing tb on error.
func decodeBack(tb testing.TB, b []byte) *Image {
	tb.Helper()
	img, err := Decode(context.Background(), b, Limits{}, DecodeHint{})
	if err != nil {
		tb.Fatalf("Decode of the encoded %v: %v", Sniff(b), err)
	}
	return img
}

// channelMeans returns the mean of R, G, B and A over img.
func channelMeans(img image.Image) [4]float64 {
	n := raster.ToNRGBA(img)
	var sum [4]float64
	w, h := n.Rect.Dx(), n.Rect.Dy()
	for y := range h {
		row := n.Pix[y*n.Stride : y*n.Stride+4*w]
		for i, v := range row {
			sum[i&3] += float64(v)
		}
	}
	for i := range sum {
		sum[i] /= float64(w * h)
	}
	return sum
}

// alphaPSNR returns the PSNR of the alpha channel of b against a, which
// have the same bounds.
func alphaPSNR(a, b *image.NRGBA) float64 {
	var se float64
	w, h := a.Rect.Dx(), a.Rect.Dy()
	for y := range h {
		pa, pb := a.Pix[y*a.Stride:], b.Pix[y*b.Stride:]
		for x := range w {
			d := float64(pa[4*x+3]) - float64(pb[4*x+3])
			se += d * d
		}
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(se/float64(w*h)))
}
