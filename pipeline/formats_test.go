package pipeline

import (
	"image"
	"math"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/codec"
	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// outputFormats are the formats Process writes, with the fidelity each
// must keep against a lossless reference at 96 px wide: the lowest PSNR
// and the largest shift of a channel's mean, in levels. The lossy formats
// run at quality 80, where thumbnails of detailed photos measure 25–30 dB
// and sharp-edged graphics lose most to 4:2:0 chroma; GIF has 256
// colours (its reference gets the same 1-bit transparency). A wrong
// orientation measures 8–13 dB, a colour conversion left out shifts means
// by 5–20 levels.
var outputFormats = []struct {
	format  Format
	minPSNR float64
	maxMean float64
}{
	{FormatJPEG, 24, 3},
	{FormatPNG, math.Inf(1), 0},
	{FormatGIF, 20, 5},
	{FormatWebP, 25, 3},
	{FormatAVIF, 24, 3},
}

// binaryAlpha returns a copy of img with alpha rounded to 0 or 255 at 128,
// the transparency GIF can store.
func binaryAlpha(img image.Image) image.Image {
	n := toNRGBA(img)
	c := *n
	c.Pix = append([]uint8(nil), n.Pix...)
	for i := 3; i < len(c.Pix); i += 4 {
		if c.Pix[i] >= 128 {
			c.Pix[i] = 255
		} else {
			c.Pix[i] = 0
		}
	}
	return &c
}

// flatRGB returns the pixels of img composited onto black, as float RGB
// triples, so that images with and without alpha compare.
func flatRGB(img image.Image) (pix []float64, w, h int) {
	n := toNRGBA(img)
	w, h = n.Rect.Dx(), n.Rect.Dy()
	pix = make([]float64, 0, 3*w*h)
	for y := 0; y < h; y++ {
		row := n.Pix[y*n.Stride:]
		for x := 0; x < w; x++ {
			a := float64(row[4*x+3]) / 255
			pix = append(pix, float64(row[4*x])*a, float64(row[4*x+1])*a, float64(row[4*x+2])*a)
		}
	}
	return pix, w, h
}

// compare returns the PSNR of got against want (both flattened onto
// black) and the largest difference of a channel's mean.
func compare(got, want image.Image) (psnr, mean float64) {
	g, _, _ := flatRGB(got)
	r, _, _ := flatRGB(want)
	var se float64
	var sum [3]float64
	for i := range g {
		d := g[i] - r[i]
		se += d * d
		sum[i%3] += d
	}
	n := float64(len(g) / 3)
	for _, s := range sum {
		mean = max(mean, math.Abs(s/n))
	}
	if se == 0 {
		return math.Inf(1), mean
	}
	return 10 * math.Log10(255*255/(se/float64(len(g)))), mean
}

// TestFormatsCorpus is the proof of the output formats: every decodable
// corpus image, written in every output format, decodes back with the
// right format and size, upright (the lossless reference is upright, as
// TestProcessOrientation shows, and orientations 5–8 swap the sides), with
// colours within the format's tolerance of the lossless reference.
// Animated sources keep every frame in GIF and WebP.
func TestFormatsCorpus(t *testing.T) {
	for _, name := range testcorpus.Names(t, "*") {
		switch {
		case strings.HasPrefix(name, "hostile-"), strings.HasSuffix(name, ".md"),
			strings.HasPrefix(name, "svg-"), strings.HasPrefix(name, "heic-"),
			strings.HasPrefix(name, "heif-"), strings.HasPrefix(name, "jxl-"),
			name == "jpeg-photo-24mp-4000x6000.jpg" && testing.Short():
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src := testcorpus.Read(t, name)
			hdr, err := codec.DecodeConfig(src, codec.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			ref := process(t, src, "w-96,f-png")
			refImg := decodeResult(t, ref)
			wantH := int(math.Round(float64(hdr.OrientedHeight) * 96 / float64(hdr.OrientedWidth)))
			if ref.Width != 96 || ref.Height != max(1, wantH) {
				t.Fatalf("reference is %dx%d, want 96x%d (source %dx%d upright)", ref.Width, ref.Height, wantH, hdr.OrientedWidth, hdr.OrientedHeight)
			}
			for _, of := range outputFormats {
				res := process(t, src, "w-96,f-"+of.format.String())
				img := decodeResult(t, res)
				if res.Format != of.format || res.Width != ref.Width || res.Height != ref.Height {
					t.Errorf("%v: %v %dx%d, want %v %dx%d", of.format, res.Format, res.Width, res.Height, of.format, ref.Width, ref.Height)
					continue
				}
				want := refImg
				if of.format == FormatGIF {
					want = binaryAlpha(refImg)
				}
				p, m := compare(img, want)
				if p < of.minPSNR || m > of.maxMean {
					t.Errorf("%v: PSNR %.1f dB, channel mean off by %.2f; want ≥ %.0f dB, ≤ %.1f", of.format, p, m, of.minPSNR, of.maxMean)
				}
				animated := hdr.Animated && (of.format == FormatGIF || of.format == FormatWebP)
				if animated != (res.Frames > 1) {
					t.Errorf("%v: %d frames from an animated=%v source", of.format, res.Frames, hdr.Animated)
				}
				t.Logf("%-4v %6d bytes  %5.1f dB  mean Δ %.2f  frames %d", of.format, len(res.Bytes), p, m, res.Frames)
			}
		})
	}
}
