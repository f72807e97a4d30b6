package effect

import (
	"image"
	"image/color"
	"math"
)

// Rotate returns a copy of img rotated clockwise by degrees, for rt-N. The
// canvas grows to hold the whole rotated image: for an angle θ it is
// ⌈w·|cos θ| + h·|sin θ|⌉ × ⌈w·|sin θ| + h·|cos θ|⌉, with the image centred,
// and the corners it does not cover are bg, which may be transparent or
// translucent. Negative angles rotate counter-clockwise; any angle is reduced
// modulo 360. Multiples of 90 degrees move pixels exactly; other angles
// resample with a Catmull-Rom bicubic kernel on premultiplied colour (so
// transparent pixels' hidden colour never bleeds), each result clamped to the
// range of the four nearest source pixels so that sharp edges neither ring
// nor gain halos; the same resampling anti-aliases the image's edges against
// bg. NaN and infinite angles are treated as 0.
//
// The result's bounds start at (0, 0). Rotate never modifies img and is safe
// for concurrent use.
func Rotate(img *image.NRGBA, degrees float64, bg color.NRGBA) *image.NRGBA {
	if math.IsNaN(degrees) || math.IsInf(degrees, 0) {
		degrees = 0
	}
	d := math.Mod(degrees, 360)
	if d < 0 {
		d += 360
	}
	switch d {
	case 0:
		return clone(img)
	case 90, 180, 270:
		return rotateRight(img, int(d)/90)
	}
	return rotateAny(img, d*math.Pi/180, bg)
}

// rotateRight returns img rotated clockwise by quarter turns (1, 2 or 3),
// moving pixels exactly.
func rotateRight(img *image.NRGBA, quarters int) *image.NRGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	dw, dh := h, w
	if quarters == 2 {
		dw, dh = w, h
	}
	dst := newNRGBA(dw, dh)
	parallel(h, w*h, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			s := row(img, y)
			for x := range w {
				var dx, dy int
				switch quarters {
				case 1:
					dx, dy = h-1-y, x
				case 2:
					dx, dy = w-1-x, h-1-y
				default:
					dx, dy = y, w-1-x
				}
				o := dy*dst.Stride + dx*4
				copy(dst.Pix[o:o+4], s[x*4:x*4+4])
			}
		}
	})
	return dst
}

// rotatedSize returns the size of the canvas that holds a w×h image rotated
// by theta radians. A tiny tolerance keeps values like 100.0000000001 from
// rounding up.
func rotatedSize(w, h int, theta float64) (int, int) {
	s, c := math.Sincos(theta)
	s, c = math.Abs(s), math.Abs(c)
	fw, fh := float64(w), float64(h)
	return int(math.Ceil(fw*c + fh*s - 1e-6)), int(math.Ceil(fw*s + fh*c - 1e-6))
}

// catmullRom returns the four Catmull-Rom weights for samples at -1, 0, 1
// and 2 relative to a position t in [0, 1) past sample 0.
func catmullRom(t float32) [4]float32 {
	t2 := t * t
	t3 := t2 * t
	return [4]float32{
		-0.5*t3 + t2 - 0.5*t,
		1.5*t3 - 2.5*t2 + 1,
		-1.5*t3 + 2*t2 + 0.5*t,
		0.5*t3 - 0.5*t2,
	}
}

// rotateAny rotates img clockwise by theta radians onto a canvas that holds
// it all, filling uncovered areas with bg.
func rotateAny(img *image.NRGBA, theta float64, bg color.NRGBA) *image.NRGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	dw, dh := rotatedSize(w, h, theta)
	dst := newNRGBA(dw, dh)
	if w == 0 || h == 0 {
		fill(dst, [4]byte{bg.R, bg.G, bg.B, bg.A})
		return dst
	}
	sin, cos := math.Sincos(theta)
	// The background, premultiplied in the same scales as the samples:
	// alpha 0..255, colour 0..255·255.
	ba := float32(bg.A)
	bc := [3]float32{float32(bg.R) * ba, float32(bg.G) * ba, float32(bg.B) * ba}
	bgPix := [4]byte{bg.R, bg.G, bg.B, bg.A}
	opaque := isOpaque(img)

	parallel(dh, dw*dh*16, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			out := row(dst, y)
			dy := float64(y) + 0.5 - float64(dh)/2
			for x := range dw {
				dx := float64(x) + 0.5 - float64(dw)/2
				// The source position, in pixel-index coordinates (pixel i's
				// centre at i), of the destination pixel's centre.
				sx := dx*cos + dy*sin + float64(w)/2 - 0.5
				sy := -dx*sin + dy*cos + float64(h)/2 - 0.5
				fx, fy := math.Floor(sx), math.Floor(sy)
				ix, iy := int(fx), int(fy)
				o := out[x*4 : x*4+4]
				if ix+2 < 0 || iy+2 < 0 || ix-1 >= w || iy-1 >= h {
					copy(o, bgPix[:])
					continue
				}
				wx := catmullRom(float32(sx - fx))
				wy := catmullRom(float32(sy - fy))
				var acc [4]float32
				switch {
				case ix < 1 || iy < 1 || ix+2 >= w || iy+2 >= h:
					acc = sampleEdge(img, ix, iy, &wx, &wy)
				case opaque:
					acc = sampleInsideOpaque(img, ix, iy, &wx, &wy)
				default:
					acc = sampleInside(img, ix, iy, &wx, &wy)
				}
				composite(o, acc, bc, ba, bgPix)
			}
		}
	})
	return dst
}

// composite writes to o the straight-alpha pixel for a premultiplied sample
// acc (colour 0..255·255, alpha 0..255, possibly overshooting after a
// bicubic kernel) laid over a premultiplied background (bc, ba). Where
// nothing is left visible, o becomes bgPix (the background's straight form).
func composite(o []byte, acc [4]float32, bc [3]float32, ba float32, bgPix [4]byte) {
	a := min(max(acc[3], 0), 255)
	rest := 1 - a/255
	outA := a + ba*rest
	if outA < 0.5 {
		copy(o, bgPix[:3])
		o[3] = 0
		return
	}
	inv := 1 / outA
	for c := range 3 {
		v := min(max(acc[c], 0), a*255)
		o[c] = clamp8((v + bc[c]*rest) * inv)
	}
	o[3] = clamp8(outA)
}

// The samplers below return the premultiplied Catmull-Rom interpolation
// (colour·alpha ×3 in 0..255·255, alpha in 0..255) of the 4×4 pixels whose
// top-left one is (ix-1, iy-1), with weights wx across and wy down, clamped
// to the range of the four nearest pixels (ix..ix+1, iy..iy+1) so that sharp
// edges neither ring nor gain halos.

// sampleInside is the sampler for footprints entirely inside img.
func sampleInside(img *image.NRGBA, ix, iy int, wx, wy *[4]float32) [4]float32 {
	var acc, lo, hi [4]float32
	off := img.PixOffset(img.Rect.Min.X+ix-1, img.Rect.Min.Y+iy-1)
	for j := range 4 {
		p := img.Pix[off+j*img.Stride : off+j*img.Stride+16 : off+j*img.Stride+16]
		var v [4][4]float32
		for i := range 4 {
			a := float32(p[i*4+3])
			v[i] = [4]float32{a * float32(p[i*4]), a * float32(p[i*4+1]), a * float32(p[i*4+2]), a}
		}
		wj := wy[j]
		for c := range 4 {
			acc[c] += wj * (wx[0]*v[0][c] + wx[1]*v[1][c] + wx[2]*v[2][c] + wx[3]*v[3][c])
		}
		switch j {
		case 1:
			for c := range 4 {
				lo[c], hi[c] = min(v[1][c], v[2][c]), max(v[1][c], v[2][c])
			}
		case 2:
			for c := range 4 {
				lo[c], hi[c] = min(lo[c], v[1][c], v[2][c]), max(hi[c], v[1][c], v[2][c])
			}
		}
	}
	for c := range 4 {
		acc[c] = min(max(acc[c], lo[c]), hi[c])
	}
	return acc
}

// sampleInsideOpaque is the sampler for footprints entirely inside an
// opaque img, where premultiplying is not needed.
func sampleInsideOpaque(img *image.NRGBA, ix, iy int, wx, wy *[4]float32) [4]float32 {
	var acc, lo, hi [3]float32
	off := img.PixOffset(img.Rect.Min.X+ix-1, img.Rect.Min.Y+iy-1)
	for j := range 4 {
		p := img.Pix[off+j*img.Stride : off+j*img.Stride+16 : off+j*img.Stride+16]
		wj := wy[j]
		for c := range 3 {
			v0, v1, v2, v3 := float32(p[c]), float32(p[4+c]), float32(p[8+c]), float32(p[12+c])
			acc[c] += wj * (wx[0]*v0 + wx[1]*v1 + wx[2]*v2 + wx[3]*v3)
			switch j {
			case 1:
				lo[c], hi[c] = min(v1, v2), max(v1, v2)
			case 2:
				lo[c], hi[c] = min(lo[c], v1, v2), max(hi[c], v1, v2)
			}
		}
	}
	var out [4]float32
	for c := range 3 {
		out[c] = 255 * min(max(acc[c], lo[c]), hi[c])
	}
	out[3] = 255
	return out
}

// sampleEdge is the sampler for footprints that reach outside img, where
// pixels count as transparent.
func sampleEdge(img *image.NRGBA, ix, iy int, wx, wy *[4]float32) [4]float32 {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	var acc, v [4]float32
	lo := [4]float32{math.MaxFloat32, math.MaxFloat32, math.MaxFloat32, math.MaxFloat32}
	var hi [4]float32
	for j := range 4 {
		yy := iy - 1 + j
		for i := range 4 {
			xx := ix - 1 + i
			v = [4]float32{}
			if xx >= 0 && yy >= 0 && xx < w && yy < h {
				p := row(img, yy)[xx*4 : xx*4+4]
				a := float32(p[3])
				v = [4]float32{a * float32(p[0]), a * float32(p[1]), a * float32(p[2]), a}
			}
			wt := wx[i] * wy[j]
			for c := range 4 {
				acc[c] += wt * v[c]
			}
			if (i == 1 || i == 2) && (j == 1 || j == 2) {
				for c := range 4 {
					lo[c], hi[c] = min(lo[c], v[c]), max(hi[c], v[c])
				}
			}
		}
	}
	for c := range 4 {
		acc[c] = min(max(acc[c], lo[c]), hi[c])
	}
	return acc
}
