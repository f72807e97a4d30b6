package avifaom

import (
	"fmt"
	"image"
	"image/color"
	"math"
)

// go-avif converts every pixel with fixed BT.709 limited-range coefficients
// rounded to three decimals, on 8.8 fixed-point input (r16/256), and stores
// the result with uint8(), which truncates:
//
//	Y  = uint8( 0.183 R + 0.614 G + 0.062 B +  16)
//	Cb = uint8(-0.101 R - 0.339 G + 0.439 B + 128)
//	Cr = uint8( 0.439 R - 0.399 G - 0.040 B + 128)
//
// keeping Cb and Cr of the top-left pixel of each 2×2 block only. aomFwd is
// that matrix; aomInv is its inverse, which [prepare] uses to find input
// pixels that make go-avif store the samples we want.
var aomFwd = [3][3]float64{
	{0.183, 0.614, 0.062},
	{-0.101, -0.339, 0.439},
	{0.439, -0.399, -0.040},
}

var aomInv = invert3(aomFwd)

func invert3(m [3][3]float64) [3][3]float64 {
	a, b, c := m[0][0], m[0][1], m[0][2]
	d, e, f := m[1][0], m[1][1], m[1][2]
	g, h, i := m[2][0], m[2][1], m[2][2]
	det := a*(e*i-f*h) - b*(d*i-f*g) + c*(d*h-e*g)
	return [3][3]float64{
		{(e*i - f*h) / det, (c*h - b*i) / det, (b*f - c*e) / det},
		{(f*g - d*i) / det, (a*i - c*g) / det, (c*d - a*f) / det},
		{(d*h - e*g) / det, (b*g - a*h) / det, (a*e - b*d) / det},
	}
}

// matrix is a Y'CbCr matrix by its luma weights, as in H.273.
type matrix struct{ kr, kb float64 }

var (
	bt601 = matrix{0.299, 0.114}   // matrix_coefficients 5 and 6
	bt709 = matrix{0.2126, 0.0722} // matrix_coefficients 1
)

// ycc returns the exact limited-range (studio swing) Y, Cb and Cr of an
// R'G'B' pixel on the 8-bit scale (0 to 255, fractions allowed), unrounded.
// Decoders invert exactly this (H.273 with 8-bit limited range).
func (m matrix) ycc(r, g, b float64) (y, cb, cr float64) {
	yl := m.kr*r + (1-m.kr-m.kb)*g + m.kb*b
	y = 16 + yl*219/255
	cb = 128 + (b-yl)/(2*(1-m.kb))*224/255
	cr = 128 + (r-yl)/(2*(1-m.kr))*224/255
	return y, cb, cr
}

// rgb48 is a pixel handed to go-avif. go-avif reads pixels with
// At(x, y).RGBA(); At returns a pointer into the prepared pixel slice, which
// keeps the call allocation-free (a non-pointer value would be boxed for
// every pixel).
type rgb48 struct{ r, g, b uint16 }

func (p *rgb48) RGBA() (r, g, b, a uint32) {
	return uint32(p.r), uint32(p.g), uint32(p.b), 0xffff
}

// prepared is the image handed to go-avif: pixels chosen so that go-avif's
// fixed conversion stores the wanted Y'CbCr samples.
type prepared struct {
	w, h    int
	pix     []rgb48
	clipped int // chroma samples that needed nearest, see prepare
}

func (p *prepared) ColorModel() color.Model { return color.RGBA64Model }
func (p *prepared) Bounds() image.Rectangle { return image.Rect(0, 0, p.w, p.h) }
func (p *prepared) At(x, y int) color.Color { return &p.pix[y*p.w+x] }

// sampler reads the pixels of one row of the source as RGB on the 8-bit
// scale (0 to 255, fractions kept).
type sampler func(y int, r, g, b []float64)

// prepare computes the pixels to hand to go-avif so that the samples it
// stores are the limited-range Y'CbCr of src with matrix m:
//
//   - Y is the pixel's exact Y rounded to nearest. For a pixel whose chroma
//     go-avif drops (all but the top-left of each 2×2 block) prepare hands
//     over a grey of that luma, which is always inside go-avif's input range.
//   - Cb and Cr are the means of the block (centred siting: what libavif's
//     encoder writes and what decoders' bilinear upsamplers assume), rounded
//     with error diffusion along each chroma row. Plain rounding is biased on
//     8-bit photographs, whose near-neutral colours put Cb and Cr at
//     recurring fractions: on the 1920×1080 corpus photo, +0.12 levels of Cb,
//     +0.24 levels of blue.
//
// Each top-left pixel is solved through the inverse of go-avif's matrix so
// that go-avif's truncation gives exactly the wanted samples (see find).
// Where the wanted combination is outside what go-avif's conversion of the
// RGB cube can give (see nearest; 1.6% and 4% of the blocks of the two
// corpus photos), the pixel is counted in clipped and what is stored instead feeds
// the error diffusion. src must be opaque; alpha is ignored.
func prepare(src image.Image, m matrix) *prepared {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	p := &prepared{w: w, h: h, pix: make([]rgb48, w*h)}
	read := newSampler(src)

	// Two source rows at a time, converted to exact Y, Cb, Cr.
	var rows [2][3][]float64
	var ycc [2][3][]float64
	for i := range rows {
		for c := range 3 {
			rows[i][c] = make([]float64, w)
			ycc[i][c] = make([]float64, w)
		}
	}
	for y0 := 0; y0 < h; y0 += 2 {
		n := min(2, h-y0)
		for i := range n {
			read(y0+i, rows[i][0], rows[i][1], rows[i][2])
			for x := range w {
				ycc[i][0][x], ycc[i][1][x], ycc[i][2][x] = m.ycc(rows[i][0][x], rows[i][1][x], rows[i][2][x])
			}
		}
		for i := range n {
			out := p.pix[(y0+i)*w : (y0+i+1)*w]
			for x := range w {
				out[x] = greys[round8(ycc[i][0][x], 16, 235)]
			}
		}
		// Top-left pixels: the block's mean chroma, error-diffused.
		var carryB, carryR float64
		for x := 0; x < w; x += 2 {
			var sb, sr float64
			k := 0
			for j := range n {
				for xx := x; xx < min(x+2, w); xx++ {
					sb += ycc[j][1][xx]
					sr += ycc[j][2][xx]
					k++
				}
			}
			cb := sb/float64(k) + carryB
			cr := sr/float64(k) + carryR
			want := [3]uint8{round8(ycc[0][0][x], 16, 235), round8(cb, 16, 240), round8(cr, 16, 240)}
			px, ok := find(want)
			if !ok {
				p.clipped++
				px = nearest(want)
			}
			p.pix[y0*w+x] = px
			_, gb, gr := goavifYUV(px)
			// A rounding residual is within ±0.5; the bound only stops a
			// long unreachable run from building up a large carry.
			carryB = min(max(cb-float64(gb), -1), 1)
			carryR = min(max(cr-float64(gr), -1), 1)
		}
	}
	return p
}

// goavifYUV returns the samples go-avif stores for the pixel p: its rgb2yuv,
// copied (the same expression, so the same float32 arithmetic).
func goavifYUV(p rgb48) (uint8, uint8, uint8) {
	r, g, b := float32(p.r)/256, float32(p.g)/256, float32(p.b)/256
	y := 0.183*r + 0.614*g + 0.062*b + 16
	cb := -0.101*r - 0.339*g + 0.439*b + 128
	cr := 0.439*r - 0.399*g - 0.040*b + 128
	return uint8(y), uint8(cb), uint8(cr)
}

// round8 rounds v to the nearest integer in [lo, hi].
func round8(v float64, lo, hi uint8) uint8 {
	return uint8(min(max(math.Round(v), float64(lo)), float64(hi)))
}

// greys[y] is an input pixel for which go-avif stores luma y, for y in 16 to
// 235 (the limited range).
var greys = func() (t [256]rgb48) {
	for y := 16; y <= 235; y++ {
		px, ok := find([3]uint8{uint8(y), 128, 128})
		if !ok {
			panic(fmt.Sprintf("avifaom: no input pixel for grey %d", y))
		}
		t[y] = px
	}
	return t
}()

// cellOffsets are the points tried, per sample, inside the interval
// [v, v+1) that go-avif's truncation maps to v: the middle first, then
// toward the ends, which matters only at the corners of the RGB cube (white
// needs R and B slightly above G).
var cellOffsets = [...]float64{0.5, 0.3, 0.7, 0.1, 0.9}

// find returns an input pixel, in go-avif's 16-bit input range, for which
// go-avif stores exactly want (Y, Cb, Cr), and whether there is one.
func find(want [3]uint8) (rgb48, bool) {
	for _, oy := range cellOffsets {
		for _, ob := range cellOffsets {
			for _, or := range cellOffsets {
				d := [3]float64{float64(want[0]) + oy - 16, float64(want[1]) + ob - 128, float64(want[2]) + or - 128}
				px, ok := quantize(mul(aomInv, d))
				if ok {
					if y, cb, cr := goavifYUV(px); y == want[0] && cb == want[1] && cr == want[2] {
						return px, true
					}
				}
			}
		}
	}
	return rgb48{}, false
}

// nearest returns an input pixel for a want that find cannot reach: a
// combination of luma and chroma outside what go-avif's conversion of the RGB
// cube gives, which 4:2:0 produces where a dark or light pixel carries the
// mean chroma of saturated neighbours. The chroma is kept and the luma moved
// to the nearest value that allows it (one pixel of four gets a luma error,
// the block keeps its colour: better for both PSNR and mean colour than the
// reverse); when no luma allows that chroma, the chroma is pulled toward
// grey at the wanted luma until it fits.
func nearest(want [3]uint8) rgb48 {
	// go-avif's input is affine in Y for fixed Cb, Cr: v(y) = v0 + y·a.
	d := [3]float64{-16, float64(want[1]) + 0.5 - 128, float64(want[2]) + 0.5 - 128}
	v0 := mul(aomInv, d)
	a := mul(aomInv, [3]float64{1, 0, 0})
	lo, hi := 16.0, 236.0
	for i := range 3 {
		// 0 <= v0[i] + y·a[i] <= 65535, with a[i] > 0.
		lo = max(lo, -v0[i]/a[i])
		hi = min(hi, (65535-v0[i])/a[i])
	}
	if lo <= hi-1 {
		y := min(max(float64(want[0]), math.Ceil(lo-0.5)), math.Floor(hi-0.5))
		for _, dy := range [...]float64{0, 1, -1} {
			if y+dy < 16 || y+dy > 235 {
				continue
			}
			if px, ok := find([3]uint8{uint8(y + dy), want[1], want[2]}); ok {
				return px
			}
		}
	}
	g := greys[want[0]]
	grey := [3]float64{float64(g.r), float64(g.g), float64(g.b)}
	d = [3]float64{float64(want[0]) + 0.5 - 16, d[1], d[2]}
	v := mul(aomInv, d)
	t := 1.0
	for i := range 3 {
		switch {
		case v[i] > 65535:
			t = min(t, (65535-grey[i])/(v[i]-grey[i]))
		case v[i] < 0:
			t = min(t, grey[i]/(grey[i]-v[i]))
		}
	}
	for i := range 3 {
		v[i] = grey[i] + t*(v[i]-grey[i])
	}
	px, _ := quantize(v)
	return px
}

// mul returns 256·(m·d): the 8.8 fixed-point input for the go-avif matrix
// inverse m.
func mul(m [3][3]float64, d [3]float64) [3]float64 {
	var v [3]float64
	for i := range 3 {
		v[i] = 256 * (m[i][0]*d[0] + m[i][1]*d[1] + m[i][2]*d[2])
	}
	return v
}

// quantize rounds v to 16 bits, clamping, and reports whether v was inside
// the range (up to rounding).
func quantize(v [3]float64) (rgb48, bool) {
	ok := true
	var c [3]uint16
	for i, f := range v {
		if f < -0.5 || f > 65535.5 {
			ok = false
		}
		c[i] = uint16(min(max(math.Round(f), 0), 65535))
	}
	return rgb48{c[0], c[1], c[2]}, ok
}

// newSampler returns a reader of src's rows as 8-bit-scale RGB (0-255, with
// the fraction of 16-bit sources kept), with fast paths for the types the
// pipeline produces.
func newSampler(src image.Image) sampler {
	b := src.Bounds()
	w := b.Dx()
	switch s := src.(type) {
	case *image.RGBA:
		return func(y int, r, g, bl []float64) {
			row := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := range w {
				r[x], g[x], bl[x] = float64(row[4*x]), float64(row[4*x+1]), float64(row[4*x+2])
			}
		}
	case *image.NRGBA:
		return func(y int, r, g, bl []float64) {
			row := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := range w {
				r[x], g[x], bl[x] = float64(row[4*x]), float64(row[4*x+1]), float64(row[4*x+2])
			}
		}
	case *image.Gray:
		return func(y int, r, g, bl []float64) {
			row := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := range w {
				v := float64(row[x])
				r[x], g[x], bl[x] = v, v, v
			}
		}
	case *image.YCbCr:
		return func(y int, r, g, bl []float64) {
			for x := range w {
				c := s.YCbCrAt(b.Min.X+x, b.Min.Y+y)
				r16, g16, b16, _ := c.RGBA()
				r[x], g[x], bl[x] = float64(r16)/257, float64(g16)/257, float64(b16)/257
			}
		}
	}
	return func(y int, r, g, bl []float64) {
		for x := range w {
			r16, g16, b16, _ := src.At(b.Min.X+x, b.Min.Y+y).RGBA()
			r[x], g[x], bl[x] = float64(r16)/257, float64(g16)/257, float64(b16)/257
		}
	}
}
