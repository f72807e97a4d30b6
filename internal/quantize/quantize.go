package quantize

import (
	"image"
	"image/color"
)

// Options control [Quantize]. The zero value means 256 colours without
// dithering.
type Options struct {
	// Colors is the largest palette, transparent entry included, from 2
	// to 256; 0 means 256.
	Colors int
	// Dither spreads the error of each pixel over its neighbours
	// (Floyd–Steinberg). It hides banding in photographs but adds noise,
	// which flickers from frame to frame in an animation.
	Dither bool
}

// Quantize returns img as a paletted image of at most o.Colors colours.
// When some pixel of img has alpha below 128, the last palette entry is
// transparent (color.NRGBA{}) and those pixels take it; the other entries
// are opaque color.NRGBA colours chosen by [Palette] from the remaining
// pixels. The result has img's bounds.
func Quantize(img *image.NRGBA, o Options) *image.Paletted {
	n := o.Colors
	if n <= 0 || n > 256 {
		n = 256
	}
	n = max(n, 2)
	transparent := hasTransparent(img)
	if transparent {
		n--
	}
	var q Quantizer
	pal := q.Palette(img, n)
	if transparent {
		pal = append(pal, color.NRGBA{})
	}
	if len(pal) == 0 {
		pal = color.Palette{color.NRGBA{A: 0xff}}
	}
	dst := image.NewPaletted(img.Rect, pal)
	NewMap(pal).Draw(dst, img, o.Dither)
	return dst
}

// hasTransparent reports whether some pixel of img has alpha below 128.
func hasTransparent(img *image.NRGBA) bool {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for i := 3; i < len(row); i += 4 {
			if row[i] < 0x80 {
				return true
			}
		}
	}
	return false
}
