package pipeline

import (
	"context"
	"fmt"
	"image"
	"math"
	"testing"

	"github.com/imgcdn/imgcdn/internal/codec"
	"github.com/imgcdn/imgcdn/internal/exif"
	"github.com/imgcdn/imgcdn/internal/icc/icctest"
	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// upright maps a box of the stored pixel grid of an image of stored size
// w×h to the upright image, for EXIF orientations 1 and 6, the ones of
// the colour-managed corpus files.
func upright(r image.Rectangle, w, h, orientation int) image.Rectangle {
	if orientation == 6 {
		return image.Rect(h-r.Max.Y, r.Min.X, h-r.Min.Y, r.Max.X)
	}
	return r
}

// meanRGB returns the mean colour of img.
func meanRGB(img image.Image) [3]float64 {
	pix, w, h := flatRGB(img)
	var m [3]float64
	for i, v := range pix {
		m[i%3] += v
	}
	for c := range m {
		m[c] /= float64(w * h)
	}
	return m
}

// TestColourManaged measures colour patches of the wide-gamut and grey
// corpus photos in every output format: by default they come out in
// sRGB, within a few levels of LittleCMS, with no profile; with cp-true
// the pixels are left as stored and the source profile is embedded. The
// unconverted colours are up to 62 levels away, so neither half can pass
// by accident.
func TestColourManaged(t *testing.T) {
	files := []string{
		"jpeg-photo-12mp-iphone-p3-orient6.jpg",
		"jpeg-progressive-adobergb-1900x1263.jpg",
		"jpeg-prophoto-icc-1680x1050.jpg",
		"jpeg-gray-icc-400x267.jpg",
	}
	// The tolerance per format, in levels of a 16×16 patch mean: lossy
	// coding at q-95 keeps means within a level or two, a little more where
	// a channel is clipped at 0 or 255 and noise can only go one way.
	formats := []struct {
		f   Format
		tol float64
	}{{FormatPNG, 1}, {FormatJPEG, 3}, {FormatWebP, 3}, {FormatAVIF, 3}}
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			src := testcorpus.Read(t, file)
			hdr, err := codec.DecodeConfig(src, codec.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			dec, err := codec.Decode(context.Background(), src, codec.Limits{}, codec.DecodeHint{})
			if err != nil {
				t.Fatal(err)
			}
			var gapSRGB, gapKept float64
			for i, p := range icctest.Patches(t, file) {
				r := upright(image.Rect(p.X, p.Y, p.X+p.W, p.Y+p.H), hdr.Width, hdr.Height, hdr.Orientation)
				extract := fmt.Sprintf("w-%d,h-%d,cm-extract,x-%d,y-%d,q-95", r.Dx(), r.Dy(), r.Min.X, r.Min.Y)
				for _, of := range formats {
					if i >= 4 && of.f != FormatPNG {
						continue // four patches per lossy format are enough
					}
					res := process(t, src, extract+",f-"+of.f.String())
					out, err := codec.Decode(context.Background(), res.Bytes, codec.Limits{}, codec.DecodeHint{})
					if err != nil {
						t.Fatal(err)
					}
					if out.ICC != nil {
						t.Errorf("%v: a %d-byte profile was embedded in sRGB output", of.f, len(out.ICC))
					}
					got := meanRGB(out.Pixels)
					for c := range 3 {
						if d := math.Abs(got[c] - p.LCMS[c]); d > of.tol {
							t.Errorf("%v patch %v channel %d: %.1f, LittleCMS %.1f", of.f, r, c, got[c], p.LCMS[c])
						}
						gapSRGB = max(gapSRGB, math.Abs(p.Input[c]-p.LCMS[c]))
					}
				}
				// cp-true: pixels as stored, profile embedded.
				res := process(t, src, extract+",cp-true,f-png")
				out, err := codec.Decode(context.Background(), res.Bytes, codec.Limits{}, codec.DecodeHint{})
				if err != nil {
					t.Fatal(err)
				}
				if string(out.ICC) != string(dec.ICC) {
					t.Errorf("cp-true: output profile is %d bytes, want the source's %d", len(out.ICC), len(dec.ICC))
				}
				got := meanRGB(out.Pixels)
				for c := range 3 {
					gapKept = max(gapKept, math.Abs(got[c]-p.Input[c]))
				}
			}
			if gapKept > 1 {
				t.Errorf("cp-true changed the pixels: a patch moved %.1f levels", gapKept)
			}
			t.Logf("unconverted colours are up to %.1f levels from sRGB", gapSRGB)
		})
	}
}

// TestMetadata checks md-true: EXIF and XMP are copied with the
// orientation reset (the pixels are upright), in every format that can
// hold them; without it, nothing is copied.
func TestMetadata(t *testing.T) {
	src := testcorpus.Read(t, "exif-Landscape_6.jpg")
	dec, err := codec.Decode(context.Background(), src, codec.Limits{}, codec.DecodeHint{})
	if err != nil {
		t.Fatal(err)
	}
	if dec.EXIF == nil || exif.Orientation(dec.EXIF) != 6 {
		t.Fatalf("source EXIF orientation = %d, want 6", exif.Orientation(dec.EXIF))
	}
	for _, f := range []Format{FormatJPEG, FormatPNG, FormatWebP} {
		res := process(t, src, "w-120,md-true,f-"+f.String())
		out, err := codec.Decode(context.Background(), res.Bytes, codec.Limits{}, codec.DecodeHint{})
		if err != nil {
			t.Fatal(err)
		}
		if out.EXIF == nil {
			t.Errorf("%v: md-true dropped the EXIF block", f)
			continue
		}
		if o := exif.Orientation(out.EXIF); o != 1 || out.Header.Orientation != 1 {
			t.Errorf("%v: orientation %d (header %d), want 1", f, o, out.Header.Orientation)
		}
		if len(out.EXIF) != len(dec.EXIF) {
			t.Errorf("%v: EXIF is %d bytes, want the source's %d", f, len(out.EXIF), len(dec.EXIF))
		}
		if string(out.XMP) != string(dec.XMP) {
			t.Errorf("%v: XMP is %d bytes, want the source's %d", f, len(out.XMP), len(dec.XMP))
		}
		if b := out.Pixels.Bounds(); b.Dx() != 120 || b.Dy() != 80 {
			t.Errorf("%v: %v, want 120x80 upright", f, b)
		}
		plain := process(t, src, "w-120,f-"+f.String())
		if p, _ := codec.Decode(context.Background(), plain.Bytes, codec.Limits{}, codec.DecodeHint{}); p.EXIF != nil || p.XMP != nil {
			t.Errorf("%v: metadata kept without md-true", f)
		}
	}
}
