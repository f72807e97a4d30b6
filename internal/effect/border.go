package effect

import (
	"image"
	"image/color"
)

// Border returns a copy of img surrounded by a border width pixels wide on
// every side in colour c, for b-W_RRGGBB: the result is width·2 pixels wider
// and taller than img. The image's own pixels are copied unchanged (a
// transparent pixel stays transparent; the border does not show through it).
// width ≤ 0 returns an unchanged copy.
//
// The result's bounds start at (0, 0). Border never modifies img and is safe
// for concurrent use.
func Border(img *image.NRGBA, width int, c color.NRGBA) *image.NRGBA {
	if width <= 0 {
		return clone(img)
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	return Pad(img, w+2*width, h+2*width, width, width, c)
}
