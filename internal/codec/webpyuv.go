package codec

import "image"

// vp8ToNRGBA converts the 4:2:0 planes of a lossy WebP (VP8) image into
// RGBA the way libwebp does: VP8 stores limited-range ("studio swing")
// BT.601 Y'CbCr, Y in 16 to 235 and chroma in 16 to 240, not the
// full-range JFIF that image.YCbCr assumes. The chroma is upsampled with
// libwebp's "fancy" filter (weights 9/16, 3/16, 3/16, 1/16 of the four
// nearest chroma samples), and the conversion uses its 14-bit fixed-point
// coefficients, so the result matches libwebp's RGBA output.
//
// a is the alpha plane starting at the first pixel (aStride bytes per row),
// or nil for an opaque image.
func vp8ToNRGBA(m *image.YCbCr, a []byte, aStride int) *image.NRGBA {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	if w == 0 || h == 0 {
		return dst
	}
	cw, ch := (w+1)/2, (h+1)/2
	y0 := m.YOffset(m.Rect.Min.X, m.Rect.Min.Y)
	c0 := m.COffset(m.Rect.Min.X, m.Rect.Min.Y)
	for y := 0; y < h; y++ {
		// The nearest chroma row, and the other one that libwebp blends in
		// with a quarter of the weight (the same row at the edges).
		cn, cf := y>>1, y>>1
		switch {
		case y&1 == 1 && cn+1 < ch:
			cf = cn + 1
		case y&1 == 0 && y > 0:
			cf = cn - 1
		}
		nu := m.Cb[c0+cn*m.CStride:][:cw]
		nv := m.Cr[c0+cn*m.CStride:][:cw]
		fu := m.Cb[c0+cf*m.CStride:][:cw]
		fv := m.Cr[c0+cf*m.CStride:][:cw]
		ys := m.Y[y0+y*m.YStride:][:w]
		out := dst.Pix[y*dst.Stride:][:4*w]
		var as []byte
		if a != nil {
			as = a[y*aStride:][:w]
		}
		for x, yv := range ys {
			c := x >> 1
			// The other chroma column: right for odd x, left for even x.
			d := c - 1
			if x&1 == 1 {
				d = c + 1
			}
			var u, v int
			if x == 0 || d >= cw {
				u = (3*int(nu[c]) + int(fu[c]) + 2) >> 2
				v = (3*int(nv[c]) + int(fv[c]) + 2) >> 2
			} else {
				u = fancy(int(nu[c]), int(nu[d]), int(fu[c]), int(fu[d]))
				v = fancy(int(nv[c]), int(nv[d]), int(fv[c]), int(fv[d]))
			}
			yy := int(yv) * 19077 >> 8
			q := out[4*x : 4*x+4 : 4*x+4]
			q[0] = clip8(yy + v*26149>>8 - 14234)
			q[1] = clip8(yy - u*6419>>8 - v*13320>>8 + 8708)
			q[2] = clip8(yy + u*33050>>8 - 17685)
			if as != nil {
				q[3] = as[x]
			} else {
				q[3] = 0xff
			}
		}
	}
	return dst
}

// fancy interpolates a chroma value from the nearest sample n, its
// horizontal neighbour nh, the sample f in the other row and its neighbour
// fh, as (9n + 3nh + 3f + fh) / 16 with libwebp's exact rounding.
func fancy(n, nh, f, fh int) int {
	diag := (n + nh + f + fh + 8 + 2*(nh+f)) >> 3
	return (diag + n) >> 1
}

// clip8 descales a value with 6 fractional bits and clamps it to a byte.
func clip8(v int) uint8 {
	if v&^(256<<6-1) == 0 {
		return uint8(v >> 6)
	}
	if v < 0 {
		return 0
	}
	return 0xff
}
