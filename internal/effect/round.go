package effect

import (
	"image"
	"math"
)

// Round returns a copy of img with rounded corners, for r-N and
// r-TL_TR_BR_BL: outside a quarter circle of the given radius (in pixels) at
// each corner (top-left, top-right, bottom-right, bottom-left) pixels become
// transparent, with an anti-aliased edge one pixel wide (alpha scaled by the
// pixel's coverage, estimated from its centre's distance to the circle).
// Negative radii count as 0 (a square corner). When the radii of two corners
// on one side add up to more than that side's length, all four are scaled
// down by the same factor until they fit, as CSS border-radius does, so a
// square image with every radius ≥ half its side becomes a circle; use
// [Ellipse] for r-max on any shape.
//
// Colour is kept (alpha is straight), so a later [Flatten] or encoder decides
// what shows through. The result's bounds start at (0, 0). Round never
// modifies img and is safe for concurrent use.
func Round(img *image.NRGBA, tl, tr, br, bl int) *image.NRGBA {
	dst := clone(img)
	w, h := dst.Rect.Dx(), dst.Rect.Dy()
	r := [4]float64{float64(max(tl, 0)), float64(max(tr, 0)), float64(max(br, 0)), float64(max(bl, 0))}
	f := 1.0
	for _, side := range [4]struct{ sum, length float64 }{
		{r[0] + r[1], float64(w)}, {r[3] + r[2], float64(w)},
		{r[0] + r[3], float64(h)}, {r[1] + r[2], float64(h)},
	} {
		if side.sum > side.length {
			f = min(f, side.length/side.sum)
		}
	}
	for corner, radius := range r {
		radius *= f
		if radius <= 0 {
			continue
		}
		n := int(math.Ceil(radius))
		for j := range min(n, h) {
			// Rows and columns counted from the corner inwards.
			y := j
			if corner >= 2 {
				y = h - 1 - j
			}
			line := row(dst, y)
			dy := radius - (float64(j) + 0.5)
			for i := range min(n, w) {
				x := i
				if corner == 1 || corner == 2 {
					x = w - 1 - i
				}
				dx := radius - (float64(i) + 0.5)
				if dx <= 0 || dy <= 0 {
					continue
				}
				cov := radius - math.Hypot(dx, dy) + 0.5
				scaleAlpha(line, x, cov)
			}
		}
	}
	return dst
}

// Ellipse returns a copy of img cut to the ellipse inscribed in its bounds,
// for r-max: a circle on a square image. Pixels outside become transparent
// with an anti-aliased edge about one pixel wide (alpha scaled by coverage,
// estimated from the distance of the pixel's centre to the ellipse). The cut
// is symmetric about both axes (and the diagonals on a square).
//
// Colour is kept (alpha is straight). The result's bounds start at (0, 0).
// Ellipse never modifies img and is safe for concurrent use.
func Ellipse(img *image.NRGBA) *image.NRGBA {
	dst := clone(img)
	w, h := dst.Rect.Dx(), dst.Rect.Dy()
	a, b := float64(w)/2, float64(h)/2
	// A pixel centre on the ellipse scaled by k0 < 1 lies at least
	// (1-k0)·min(a, b) inside, so below this k0² the pixel is fully covered.
	inside := max(1-1/min(a, b), 0)
	inside *= inside
	parallel(h, w*h*8, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			line := row(dst, y)
			py := math.Abs(float64(y) + 0.5 - b)
			for x := range w {
				px := math.Abs(float64(x) + 0.5 - a)
				if (px/a)*(px/a)+(py/b)*(py/b) < inside {
					continue
				}
				// Approximate signed distance to the ellipse (negative
				// inside): f/|∇f| for f = k0·(k0-1), after I. Quílez.
				k0 := math.Hypot(px/a, py/b)
				if k0 < 0.5 {
					continue // also keeps the centre of tiny images from dividing by 0
				}
				k1 := math.Hypot(px/(a*a), py/(b*b))
				d := k0 * (k0 - 1) / k1
				scaleAlpha(line, x, 0.5-d)
			}
		}
	})
	return dst
}

// scaleAlpha multiplies the alpha of pixel x of line by cov, clamped to
// [0, 1]; cov ≥ 1 leaves the pixel alone.
func scaleAlpha(line []byte, x int, cov float64) {
	if cov >= 1 {
		return
	}
	i := x*4 + 3
	if cov <= 0 {
		line[i] = 0
		return
	}
	line[i] = uint8(float64(line[i])*cov + 0.5)
}
