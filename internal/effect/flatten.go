package effect

import (
	"image"
	"image/color"
)

// Flatten returns img composited over an opaque background of colour bg, for
// output formats without alpha: every pixel becomes
// (colour·alpha + bg·(255-alpha)) / 255, rounded to nearest, with alpha 255.
// bg's own alpha is ignored (the background is opaque). Red at alpha 128
// (50%) over white gives (255, 127, 127).
//
// The result's bounds start at (0, 0). Flatten never modifies img and is safe
// for concurrent use.
func Flatten(img *image.NRGBA, bg color.NRGBA) *image.NRGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	dst := newNRGBA(w, h)
	br, bgG, bb := uint32(bg.R), uint32(bg.G), uint32(bg.B)
	parallel(h, w*h, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			s, d := row(img, y), row(dst, y)
			for i := 0; i+3 < len(s) && i+3 < len(d); i += 4 {
				a := uint32(s[i+3])
				switch a {
				case 255:
					d[i+0], d[i+1], d[i+2] = s[i+0], s[i+1], s[i+2]
				case 0:
					d[i+0], d[i+1], d[i+2] = bg.R, bg.G, bg.B
				default:
					na := 255 - a
					d[i+0] = uint8((uint32(s[i+0])*a + br*na + 127) / 255)
					d[i+1] = uint8((uint32(s[i+1])*a + bgG*na + 127) / 255)
					d[i+2] = uint8((uint32(s[i+2])*a + bb*na + 127) / 255)
				}
				d[i+3] = 255
			}
		}
	})
	return dst
}
