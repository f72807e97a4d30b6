package effect

import "image"

// DefaultTrimTolerance is the tolerance that a bare t-true stands for.
const DefaultTrimTolerance = 10

// TrimRect returns the part of img that [Trim] keeps: the smallest rectangle,
// in img's coordinates, outside which every pixel is border. The border
// colour is img's top-left pixel; a pixel is border when each of its
// channels, compared premultiplied by alpha (so fully transparent pixels
// match whatever colour they hide), differs from the border colour's by at
// most tolerance percent of 255, alpha included. tolerance is clamped to
// 0–100; 0 requires an exact match. When every pixel is border, or img is
// empty, TrimRect returns img's bounds: the image is kept unchanged.
//
// TrimRect is safe for concurrent use.
func TrimRect(img *image.NRGBA, tolerance int) image.Rectangle {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if w == 0 || h == 0 {
		return img.Rect
	}
	tol := (min(max(tolerance, 0), 100)*255 + 50) / 100
	first := row(img, 0)
	ra := int(first[3])
	ref := [3]int{int(first[0]) * ra, int(first[1]) * ra, int(first[2]) * ra}
	// Colours are compared as c·a, so their tolerance is scaled by 255.
	ctol := tol * 255
	border := func(p []byte) bool {
		a := int(p[3])
		return abs(a-ra) <= tol &&
			abs(int(p[0])*a-ref[0]) <= ctol &&
			abs(int(p[1])*a-ref[1]) <= ctol &&
			abs(int(p[2])*a-ref[2]) <= ctol
	}
	rowIsBorder := func(y, x0, x1 int) bool {
		r := row(img, y)
		for x := x0; x < x1; x++ {
			if !border(r[x*4 : x*4+4]) {
				return false
			}
		}
		return true
	}
	colIsBorder := func(x, y0, y1 int) bool {
		for y := y0; y < y1; y++ {
			if !border(row(img, y)[x*4 : x*4+4]) {
				return false
			}
		}
		return true
	}
	top := 0
	for top < h && rowIsBorder(top, 0, w) {
		top++
	}
	if top == h {
		return img.Rect
	}
	bottom := h // exclusive
	for rowIsBorder(bottom-1, 0, w) {
		bottom--
	}
	left := 0
	for colIsBorder(left, top, bottom) {
		left++
	}
	right := w // exclusive
	for colIsBorder(right-1, top, bottom) {
		right--
	}
	o := img.Rect.Min
	return image.Rect(o.X+left, o.Y+top, o.X+right, o.Y+bottom)
}

// Trim returns a copy of the part of img that [TrimRect] keeps, for t-true
// and t-N: near-uniform borders, of the colour of the top-left pixel within
// tolerance percent, are cut away. When everything is border the image is
// kept unchanged.
//
// The result's bounds start at (0, 0). Trim never modifies img and is safe
// for concurrent use.
func Trim(img *image.NRGBA, tolerance int) *image.NRGBA {
	return clone(img.SubImage(TrimRect(img, tolerance)).(*image.NRGBA))
}
