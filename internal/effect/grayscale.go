package effect

import "image"

// Grayscale returns a grey copy of img, for e-grayscale. Each pixel becomes
// its Rec. 601 luma, Y = 0.299·R + 0.587·G + 0.114·B computed on the
// gamma-encoded values (as JPEG, ImageMagick's Rec601Luma and Go's
// color.GrayModel do), rounded to nearest, in all three channels: pure red
// gives 76, pure green 150, pure blue 29, and greys stay exactly as they are.
// Alpha is kept.
//
// The result's bounds start at (0, 0). Grayscale never modifies img and is
// safe for concurrent use.
func Grayscale(img *image.NRGBA) *image.NRGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	dst := newNRGBA(w, h)
	parallel(h, w*h, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			s, d := row(img, y), row(dst, y)
			for i := 0; i+3 < len(s) && i+3 < len(d); i += 4 {
				// The weights are 0.299, 0.587 and 0.114 in 16-bit fixed point;
				// they sum to 1<<16 so greys are exact.
				l := uint8((19595*uint32(s[i+0]) + 38470*uint32(s[i+1]) + 7471*uint32(s[i+2]) + 1<<15) >> 16)
				d[i+0], d[i+1], d[i+2], d[i+3] = l, l, l, s[i+3]
			}
		}
	})
	return dst
}
