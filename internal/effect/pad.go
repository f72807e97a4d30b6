package effect

import (
	"image"
	"image/color"
)

// Pad returns a w×h canvas filled with bg on which img is placed with its
// top-left corner at (x, y), for cm-pad_resize and cm-pad_extract. Parts of
// img that fall outside the canvas are cut off; x and y may be negative.
// bg may be transparent or translucent; img's pixels are copied unchanged,
// not composited over bg (use [Flatten] to composite). Negative sizes give
// an empty image.
//
// The result's bounds start at (0, 0). Pad never modifies img and is safe for
// concurrent use.
func Pad(img *image.NRGBA, w, h, x, y int, bg color.NRGBA) *image.NRGBA {
	dst := newNRGBA(w, h)
	fill(dst, [4]byte{bg.R, bg.G, bg.B, bg.A})
	// The part of img that lands on the canvas, in canvas coordinates.
	sw, sh := img.Rect.Dx(), img.Rect.Dy()
	r := image.Rect(x, y, x+sw, y+sh).Intersect(dst.Rect)
	if r.Empty() {
		return dst
	}
	for cy := r.Min.Y; cy < r.Max.Y; cy++ {
		src := row(img, cy-y)[(r.Min.X-x)*4 : (r.Max.X-x)*4]
		copy(row(dst, cy)[r.Min.X*4:], src)
	}
	return dst
}
