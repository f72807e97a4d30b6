package effect

import (
	"image"
	"math/bits"
)

// plane is an image held as premultiplied 16-bit fixed point, so that filters
// averaging neighbouring pixels never let the colour hidden under transparent
// pixels bleed into visible ones. Each colour channel is stored as c·a and
// alpha as a·255, so every value lies in [0, planeMax] and 8-bit
// straight-alpha pixels convert to it exactly. An opaque image is held with
// ch = 3 (red, green, blue; alpha is implicitly planeMax), any other with
// ch = 4.
type plane struct {
	pix     []uint16
	w, h    int
	ch      int // values per pixel: 3 (opaque) or 4
	opaque  bool
	rowSize int // w·ch
}

// planeMax is the largest value a plane holds: 255·255.
const planeMax = 255 * 255

func newPlane(w, h, ch int) plane {
	return plane{pix: make([]uint16, w*h*ch), w: w, h: h, ch: ch, opaque: ch == 3, rowSize: w * ch}
}

// row returns the values of row y.
func (p plane) row(y int) []uint16 {
	n := p.rowSize
	return p.pix[y*n : y*n+n : y*n+n]
}

// premultiply converts img to a plane.
func premultiply(img *image.NRGBA) plane {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if isOpaque(img) {
		p := newPlane(w, h, 3)
		parallel(h, w*h, func(lo, hi int) {
			for y := lo; y < hi; y++ {
				s, d := row(img, y), p.row(y)
				for i, j := 0, 0; i+3 < len(s) && j+2 < len(d); i, j = i+4, j+3 {
					d[j+0] = uint16(s[i+0]) * 255
					d[j+1] = uint16(s[i+1]) * 255
					d[j+2] = uint16(s[i+2]) * 255
				}
			}
		})
		return p
	}
	p := newPlane(w, h, 4)
	parallel(h, w*h, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			s, d := row(img, y), p.row(y)
			for i := 0; i+3 < len(s) && i+3 < len(d); i += 4 {
				a := uint16(s[i+3])
				d[i+0] = uint16(s[i+0]) * a
				d[i+1] = uint16(s[i+1]) * a
				d[i+2] = uint16(s[i+2]) * a
				d[i+3] = a * 255
			}
		}
	})
	return p
}

// nrgba converts p back to a straight-alpha image, rounding to nearest.
// Colour under fully transparent pixels becomes black.
func (p plane) nrgba() *image.NRGBA {
	dst := newNRGBA(p.w, p.h)
	parallel(p.h, p.w*p.h, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			s, d := p.row(y), row(dst, y)
			if p.opaque {
				for i, j := 0, 0; j+2 < len(s) && i+3 < len(d); i, j = i+4, j+3 {
					d[i+0] = uint8((uint32(s[j+0]) + 127) / 255)
					d[i+1] = uint8((uint32(s[j+1]) + 127) / 255)
					d[i+2] = uint8((uint32(s[j+2]) + 127) / 255)
					d[i+3] = 255
				}
				continue
			}
			for i := 0; i+3 < len(s) && i+3 < len(d); i += 4 {
				a := uint32(s[i+3])
				if a == 0 {
					d[i+0], d[i+1], d[i+2], d[i+3] = 0, 0, 0, 0
					continue
				}
				inv := 255 / float32(a)
				d[i+0] = clamp8(float32(s[i+0]) * inv)
				d[i+1] = clamp8(float32(s[i+1]) * inv)
				d[i+2] = clamp8(float32(s[i+2]) * inv)
				d[i+3] = uint8((a + 127) / 255)
			}
		}
	})
	return dst
}

// divider divides by a fixed width with rounding to nearest, exactly, using
// a multiplication and a shift instead of a division. It is valid for
// numerators up to planeMax·w and widths up to 1<<15.
type divider struct {
	m    uint64
	s    uint
	half uint32
}

// newDivider returns a divider by w (1 ≤ w ≤ 1<<15). With L = ⌈log2 w⌉ and
// N = 16+L bits of numerator, m = ⌈2^(N+L)/w⌉ gives ⌊x·m / 2^(N+L)⌋ = ⌊x/w⌋
// for every x < 2^N (Granlund and Montgomery), and x·m fits in 64 bits.
func newDivider(w int) divider {
	l := uint(bits.Len32(uint32(w - 1)))
	s := 16 + 2*l
	m := (uint64(1)<<s + uint64(w) - 1) / uint64(w)
	return divider{m: m, s: s, half: uint32(w / 2)}
}

// div returns x/w rounded to nearest.
func (d divider) div(x uint32) uint16 {
	return uint16((uint64(x+d.half) * d.m) >> d.s)
}
