package icc

// The per-pixel loops. Each works on one row of pixels at a time, with
// integer arithmetic and table lookups only.

// row converts a row of NRGBA pixels in place through the matrix tables.
func (m *matrixTables) row(pix []byte) {
	enc := m.enc
	tr, tg, tb := &m.in[0], &m.in[1], &m.in[2]
	for i := 0; i+3 < len(pix); i += 4 {
		p := pix[i : i+3 : i+3]
		r, g, b := &tr[p[0]], &tg[p[1]], &tb[p[2]]
		x := int(r[0]) + int(g[0]) + int(b[0])
		y := int(r[1]) + int(g[1]) + int(b[1])
		z := int(r[2]) + int(g[2]) + int(b[2])
		p[0] = enc[(min(max(x, 0), linOne)+1<<(encShift-1))>>encShift]
		p[1] = enc[(min(max(y, 0), linOne)+1<<(encShift-1))>>encShift]
		p[2] = enc[(min(max(z, 0), linOne)+1<<(encShift-1))>>encShift]
	}
}

// grayRGBRow converts each colour channel of a row of NRGBA pixels in
// place through the grey table.
func grayRGBRow(lut *[256]uint8, pix []byte) {
	for i := 0; i+3 < len(pix); i += 4 {
		p := pix[i : i+3 : i+3]
		p[0], p[1], p[2] = lut[p[0]], lut[p[1]], lut[p[2]]
	}
}

// ycbcrRow converts a row of JFIF YCbCr to opaque RGB in dst, exactly as
// color.YCbCrToRGB does. cx holds the chroma index of each pixel.
func ycbcrRow(dst, ys, cbs, crs []byte, cx []int32) {
	for i, yv := range ys {
		c := cx[i]
		yy1 := int32(yv) * 0x10101
		cb1 := int32(cbs[c]) - 128
		cr1 := int32(crs[c]) - 128
		r := yy1 + 91881*cr1
		if uint32(r)&0xff000000 == 0 {
			r >>= 16
		} else {
			r = ^(r >> 31)
		}
		g := yy1 - 22554*cb1 - 46802*cr1
		if uint32(g)&0xff000000 == 0 {
			g >>= 16
		} else {
			g = ^(g >> 31)
		}
		b := yy1 + 116130*cb1
		if uint32(b)&0xff000000 == 0 {
			b >>= 16
		} else {
			b = ^(b >> 31)
		}
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0], d[1], d[2], d[3] = uint8(r), uint8(g), uint8(b), 0xff
	}
}

// tetraOrder picks the tetrahedron of a grid cell that holds the point
// with fractions rx, ry, rz along axes of steps sx, sy, sz: the offsets of
// its second and third corners from the first, and the weights of the
// three edges walked from corner to corner.
func tetraOrder(sx, sy, sz, rx, ry, rz int) (o1, o2, w1, w2, w3 int) {
	if rx >= ry {
		switch {
		case ry >= rz:
			return sx, sx + sy, rx, ry, rz
		case rx >= rz:
			return sx, sx + sz, rx, rz, ry
		default:
			return sz, sz + sx, rz, rx, ry
		}
	}
	switch {
	case rx >= rz:
		return sy, sy + sx, ry, rx, rz
	case ry >= rz:
		return sy, sy + sz, ry, rz, rx
	default:
		return sz, sz + sy, rz, ry, rx
	}
}

// cell interpolates the grid in the tetrahedron whose corners lie at
// sample offsets base, base+o1, base+o2 and base+o3 (see tetraOrder), with
// edge weights w1, w2, w3 of fracOne.
func (t *gridTables) cell(base, o1, o2, o3, w1, w2, w3 int) (int, int, int) {
	d := t.data
	c0 := d[base : base+3 : base+3]
	c1 := d[base+o1 : base+o1+3 : base+o1+3]
	c2 := d[base+o2 : base+o2+3 : base+o2+3]
	c3 := d[base+o3 : base+o3+3 : base+o3+3]
	const half = fracOne / 2
	r := int(c0[0]) + ((int(c1[0])-int(c0[0]))*w1+(int(c2[0])-int(c1[0]))*w2+(int(c3[0])-int(c2[0]))*w3+half)>>16
	g := int(c0[1]) + ((int(c1[1])-int(c0[1]))*w1+(int(c2[1])-int(c1[1]))*w2+(int(c3[1])-int(c2[1]))*w3+half)>>16
	b := int(c0[2]) + ((int(c1[2])-int(c0[2]))*w1+(int(c2[2])-int(c1[2]))*w2+(int(c3[2])-int(c2[2]))*w3+half)>>16
	return r, g, b
}

// tetra interpolates the grid tetrahedrally in the cell at sample offset
// base with axis steps sx, sy, sz and fractions rx, ry, rz (of fracOne).
func (t *gridTables) tetra(base, sx, sy, sz, rx, ry, rz int) (int, int, int) {
	o1, o2, w1, w2, w3 := tetraOrder(sx, sy, sz, rx, ry, rz)
	return t.cell(base, o1, o2, sx+sy+sz, w1, w2, w3)
}

// labFinvQ is labFinv in Q16, for t in [labSampleMin, labSampleMax].
func labFinvQ(t int) int {
	const (
		e  = (6 << 16) / 29                 // 6/29
		c4 = (4 << 16) / 29                 // 4/29
		k  = 3 * 36 * (1 << 16) / (29 * 29) // 3·(6/29)²
	)
	if t > e {
		return (t * t >> 16) * t >> 16
	}
	return (t - c4) * k >> 16
}

// store converts an interpolated grid result to sRGB, clips it and writes
// it as 8-bit.
func (t *gridTables) store(p []byte, r, g, b int) {
	if t.lab {
		x, y, z := labFinvQ(r), labFinvQ(g), labFinvQ(b)
		m := &t.labMat
		r = (m[0][0]*x + m[0][1]*y + m[0][2]*z + 1<<13) >> 14
		g = (m[1][0]*x + m[1][1]*y + m[1][2]*z + 1<<13) >> 14
		b = (m[2][0]*x + m[2][1]*y + m[2][2]*z + 1<<13) >> 14
	}
	enc := t.enc
	p[0] = enc[(min(max(r, 0), linOne)+1<<(encShift-1))>>encShift]
	p[1] = enc[(min(max(g, 0), linOne)+1<<(encShift-1))>>encShift]
	p[2] = enc[(min(max(b, 0), linOne)+1<<(encShift-1))>>encShift]
}

// row3 converts a row of NRGBA pixels in place through a 3-D grid.
func (t *gridTables) row3(pix []byte) {
	ax, ay, az := &t.axes[0], &t.axes[1], &t.axes[2]
	sx, sy, sz := t.stride[0], t.stride[1], t.stride[2]
	for i := 0; i+3 < len(pix); i += 4 {
		p := pix[i : i+3 : i+3]
		a, b, c := ax[p[0]], ay[p[1]], az[p[2]]
		r, g, bl := t.tetra(int(a.off+b.off+c.off), sx, sy, sz, int(a.frac), int(b.frac), int(c.frac))
		t.store(p, r, g, bl)
	}
}

// row4 converts a row of CMYK pixels in src to opaque NRGBA in dst
// through a 4-D grid: tetrahedrally over M, Y and K in the two C slices
// around the pixel (the same tetrahedron in both), then linearly between
// them.
func (t *gridTables) row4(dst, src []byte) {
	a0, a1, a2, a3 := &t.axes[0], &t.axes[1], &t.axes[2], &t.axes[3]
	s0, sx, sy, sz := t.stride[0], t.stride[1], t.stride[2], t.stride[3]
	o3 := sx + sy + sz
	const half = fracOne / 2
	for i := 0; i+3 < len(src) && i+3 < len(dst); i += 4 {
		p := src[i : i+4 : i+4]
		c, m, y, k := a0[p[0]], a1[p[1]], a2[p[2]], a3[p[3]]
		base := int(c.off + m.off + y.off + k.off)
		o1, o2, w1, w2, w3 := tetraOrder(sx, sy, sz, int(m.frac), int(y.frac), int(k.frac))
		r, g, bl := t.cell(base, o1, o2, o3, w1, w2, w3)
		if f := int(c.frac); f != 0 {
			r2, g2, b2 := t.cell(base+s0, o1, o2, o3, w1, w2, w3)
			r += ((r2-r)*f + half) >> 16
			g += ((g2-g)*f + half) >> 16
			bl += ((b2-bl)*f + half) >> 16
		}
		out := dst[i : i+4 : i+4]
		t.store(out, r, g, bl)
		out[3] = 0xff
	}
}
