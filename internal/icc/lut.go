package icc

import "fmt"

// maxLUTInputs is the largest number of input channels of a LUT this
// package evaluates (CMYK).
const maxLUTInputs = 4

// pcsEncoding says how the normalised [0,1] outputs of a LUT encode the
// profile connection space.
type pcsEncoding uint8

const (
	pcsXYZ   pcsEncoding = iota // u1Fixed15: 1.0 is 0x8000 of 0xffff
	pcsLabV2                    // lut16Type Lab: L 100 is 0xff00, a and b 0 are 0x8000
	pcsLabV4                    // lut8Type and lutAtoBType Lab: L 100 is 0xffff, a and b 0 are 0x8080
)

// clut is a colour lookup table: a grid of nodes over [0,1]^nIn, each
// holding nOut samples normalised to 0..65535. The first input varies
// slowest, as in the ICC layout.
type clut struct {
	nIn, nOut int
	grid      [maxLUTInputs]int
	stride    [maxLUTInputs]int // in samples
	data      []uint16
}

// lutPipeline is a device-to-PCS table, lut8Type, lut16Type or
// lutAtoBType, in the lutAtoBType order: A curves, CLUT, M curves,
// matrix, B curves. Missing stages are nil.
type lutPipeline struct {
	nIn    int
	a      []curve // nIn input curves
	clut   *clut
	m      []curve      // 3 curves after the CLUT (lutAtoBType only)
	matrix *[12]float64 // 3×3 matrix and offsets (lutAtoBType only)
	b      []curve      // 3 output curves
	enc    pcsEncoding
}

// readLUT reads an A2Bx tag of type mft2, mft1 or mAB  with nIn inputs
// and three outputs, in a profile whose connection space is pcs.
func readLUT(t []byte, nIn int, pcs ColorSpace) (*lutPipeline, error) {
	if len(t) < 12 {
		return nil, fmt.Errorf("%w: LUT of %d bytes", ErrMalformed, len(t))
	}
	if pcs != XYZ && pcs != Lab {
		return nil, fmt.Errorf("%w: connection space %s", ErrUnsupported, pcs)
	}
	var (
		l   *lutPipeline
		err error
	)
	switch typ := string(t[:4]); typ {
	case "mft2", "mft1":
		l, err = readLUT8or16(t, typ == "mft2")
	case "mAB ":
		l, err = readLUTAtoB(t)
	default:
		return nil, fmt.Errorf("%w: LUT type %q", ErrUnsupported, sigString(be32(t)))
	}
	if err != nil {
		return nil, err
	}
	if l.nIn != nIn {
		return nil, fmt.Errorf("%w: LUT has %d inputs, the colour space %d", ErrMalformed, l.nIn, nIn)
	}
	switch {
	case pcs == XYZ:
		l.enc = pcsXYZ
	case string(t[:4]) == "mft2":
		l.enc = pcsLabV2
	default:
		l.enc = pcsLabV4
	}
	return l, nil
}

// readLUT8or16 reads a lut16Type (mft2) or lut8Type (mft1) tag. Its 3×3
// matrix applies only to XYZ input and is ignored.
func readLUT8or16(t []byte, is16 bool) (*lutPipeline, error) {
	if len(t) < 48 {
		return nil, fmt.Errorf("%w: lut of %d bytes", ErrMalformed, len(t))
	}
	nIn, nOut, g := int(t[8]), int(t[9]), int(t[10])
	if nIn < 1 || nIn > maxLUTInputs || nOut != 3 {
		return nil, fmt.Errorf("%w: lut with %d inputs and %d outputs", ErrUnsupported, nIn, nOut)
	}
	if g < 2 {
		return nil, fmt.Errorf("%w: lut with %d grid points", ErrMalformed, g)
	}
	width, nTab, mTab, pos := 1, 256, 256, 48
	if is16 {
		if len(t) < 52 {
			return nil, fmt.Errorf("%w: lut16 of %d bytes", ErrMalformed, len(t))
		}
		width, nTab, mTab, pos = 2, int(be16(t[48:])), int(be16(t[50:])), 52
		if nTab < 2 || nTab > 4096 || mTab < 2 || mTab > 4096 {
			return nil, fmt.Errorf("%w: lut16 tables of %d and %d entries", ErrMalformed, nTab, mTab)
		}
	}
	nodes := uint64(1)
	for range nIn {
		nodes *= uint64(g)
	}
	need := uint64(pos) + uint64(width)*(uint64(nIn*nTab)+nodes*uint64(nOut)+uint64(nOut*mTab))
	if need > uint64(len(t)) {
		return nil, fmt.Errorf("%w: lut needs %d bytes, has %d", ErrMalformed, need, len(t))
	}
	sample := func(i int) uint16 {
		if width == 2 {
			return be16(t[pos+2*i:])
		}
		return uint16(t[pos+i]) * 257
	}
	tables := func(n, size int) []curve {
		cs := make([]curve, n)
		for c := range cs {
			tab := make([]uint16, size)
			for i := range tab {
				tab[i] = sample(c*size + i)
			}
			cs[c] = curve{kind: curveTable, table: tab}
		}
		pos += n * size * width
		return cs
	}
	l := &lutPipeline{nIn: nIn}
	l.a = tables(nIn, nTab)
	c := &clut{nIn: nIn, nOut: nOut}
	for i := range nIn {
		c.grid[i] = g
	}
	c.setStrides()
	c.data = make([]uint16, int(nodes)*nOut)
	for i := range c.data {
		c.data[i] = sample(i)
	}
	pos += len(c.data) * width
	l.clut = c
	l.b = tables(nOut, mTab)
	return l, nil
}

// setStrides fills the strides of c from its grid sizes.
func (c *clut) setStrides() {
	s := c.nOut
	for i := c.nIn - 1; i >= 0; i-- {
		c.stride[i] = s
		s *= c.grid[i]
	}
}

// readLUTAtoB reads a lutAtoBType (mAB ) tag.
func readLUTAtoB(t []byte) (*lutPipeline, error) {
	if len(t) < 32 {
		return nil, fmt.Errorf("%w: mAB of %d bytes", ErrMalformed, len(t))
	}
	nIn, nOut := int(t[8]), int(t[9])
	if nIn < 1 || nIn > maxLUTInputs || nOut != 3 {
		return nil, fmt.Errorf("%w: mAB with %d inputs and %d outputs", ErrUnsupported, nIn, nOut)
	}
	offB, offMat, offM, offCLUT, offA := be32(t[12:]), be32(t[16:]), be32(t[20:]), be32(t[24:]), be32(t[28:])
	at := func(off uint32, what string) ([]byte, error) {
		if off < 32 || uint64(off) >= uint64(len(t)) {
			return nil, fmt.Errorf("%w: mAB %s at offset %d of %d", ErrMalformed, what, off, len(t))
		}
		return t[off:], nil
	}
	l := &lutPipeline{nIn: nIn}
	if offB == 0 {
		return nil, fmt.Errorf("%w: mAB without B curves", ErrMalformed)
	}
	s, err := at(offB, "B curves")
	if err != nil {
		return nil, err
	}
	if l.b, err = readCurves(s, nOut); err != nil {
		return nil, fmt.Errorf("mAB B curves: %w", err)
	}
	if offMat != 0 {
		s, err := at(offMat, "matrix")
		if err != nil {
			return nil, err
		}
		if len(s) < 48 {
			return nil, fmt.Errorf("%w: mAB matrix of %d bytes", ErrMalformed, len(s))
		}
		var m [12]float64
		for i := range m {
			m[i] = s15f16(s[4*i:])
		}
		l.matrix = &m
	}
	if offM != 0 {
		s, err := at(offM, "M curves")
		if err != nil {
			return nil, err
		}
		if l.m, err = readCurves(s, nOut); err != nil {
			return nil, fmt.Errorf("mAB M curves: %w", err)
		}
	}
	if offCLUT != 0 {
		s, err := at(offCLUT, "CLUT")
		if err != nil {
			return nil, err
		}
		if l.clut, err = readCLUT(s, nIn, nOut); err != nil {
			return nil, err
		}
	} else if nIn != nOut {
		return nil, fmt.Errorf("%w: mAB with %d inputs, %d outputs and no CLUT", ErrMalformed, nIn, nOut)
	}
	if offA != 0 {
		s, err := at(offA, "A curves")
		if err != nil {
			return nil, err
		}
		if l.a, err = readCurves(s, nIn); err != nil {
			return nil, fmt.Errorf("mAB A curves: %w", err)
		}
	}
	return l, nil
}

// readCurves reads n curv or para elements, each padded to four bytes,
// from the start of s.
func readCurves(s []byte, n int) ([]curve, error) {
	cs := make([]curve, n)
	pos := 0
	for i := range cs {
		if pos >= len(s) {
			return nil, fmt.Errorf("%w: curve %d of %d missing", ErrMalformed, i+1, n)
		}
		c, size, err := readCurve(s[pos:])
		if err != nil {
			return nil, err
		}
		cs[i] = c
		pos += (size + 3) &^ 3
	}
	return cs, nil
}

// readCLUT reads the CLUT of a lutAtoBType tag: 16 grid sizes, the sample
// precision in bytes, three bytes of padding, then the samples.
func readCLUT(s []byte, nIn, nOut int) (*clut, error) {
	if len(s) < 20 {
		return nil, fmt.Errorf("%w: mAB CLUT of %d bytes", ErrMalformed, len(s))
	}
	prec := int(s[16])
	if prec != 1 && prec != 2 {
		return nil, fmt.Errorf("%w: mAB CLUT precision %d", ErrMalformed, prec)
	}
	c := &clut{nIn: nIn, nOut: nOut}
	avail := uint64(len(s)-20) / uint64(prec*nOut)
	nodes := uint64(1)
	for i := range nIn {
		g := int(s[i])
		if g < 2 {
			return nil, fmt.Errorf("%w: mAB CLUT with %d grid points", ErrMalformed, g)
		}
		c.grid[i] = g
		nodes *= uint64(g)
	}
	if nodes > avail {
		return nil, fmt.Errorf("%w: mAB CLUT of %d nodes in %d bytes", ErrMalformed, nodes, len(s))
	}
	c.setStrides()
	c.data = make([]uint16, int(nodes)*nOut)
	for i := range c.data {
		if prec == 2 {
			c.data[i] = be16(s[20+2*i:])
		} else {
			c.data[i] = uint16(s[20+i]) * 257
		}
	}
	return c, nil
}

// eval interpolates the table at in (each clamped to [0,1]) into out:
// tetrahedrally over the last three inputs and linearly over any before
// them, as LittleCMS does for three and four inputs.
func (c *clut) eval(in *[maxLUTInputs]float64, out *[3]float64) {
	c.evalFrom(0, 0, in, out)
}

// evalFrom interpolates over inputs dim and after, starting at the sample
// offset base.
func (c *clut) evalFrom(dim, base int, in *[maxLUTInputs]float64, out *[3]float64) {
	if c.nIn-dim == 3 {
		c.tetra(dim, base, in, out)
		return
	}
	if dim == c.nIn {
		for k := range out {
			out[k] = float64(c.data[base+k]) / 65535
		}
		return
	}
	i, f, step := c.locate(dim, in[dim])
	var lo, hi [3]float64
	c.evalFrom(dim+1, base+i*c.stride[dim], in, &lo)
	if step == 0 || f == 0 {
		*out = lo
		return
	}
	c.evalFrom(dim+1, base+i*c.stride[dim]+step, in, &hi)
	for k := range out {
		out[k] = lo[k] + (hi[k]-lo[k])*f
	}
}

// locate returns the grid cell of x along dimension dim: its lower node,
// the fraction of the way to the next node, and the sample step to it (0
// at the top of the grid).
func (c *clut) locate(dim int, x float64) (i int, f float64, step int) {
	x = clamp01(x)
	pos := x * float64(c.grid[dim]-1)
	i = int(pos)
	if i >= c.grid[dim]-1 {
		return c.grid[dim] - 1, 0, 0
	}
	return i, pos - float64(i), c.stride[dim]
}

// tetra interpolates tetrahedrally over the three inputs dim..dim+2:
// from the cell's lowest corner it walks one step along each axis in the
// order of decreasing fraction, weighting each step by its fraction.
func (c *clut) tetra(dim, base int, in *[maxLUTInputs]float64, out *[3]float64) {
	x, rx, sx := c.locate(dim, in[dim])
	y, ry, sy := c.locate(dim+1, in[dim+1])
	z, rz, sz := c.locate(dim+2, in[dim+2])
	base += x*c.stride[dim] + y*c.stride[dim+1] + z*c.stride[dim+2]
	o1, o2, w1, w2, w3 := tetraPath(sx, sy, sz, rx, ry, rz)
	o3 := sx + sy + sz
	d := c.data
	for k := range out {
		v0 := float64(d[base+k])
		v1 := float64(d[base+o1+k])
		v2 := float64(d[base+o2+k])
		v3 := float64(d[base+o3+k])
		out[k] = (v0 + (v1-v0)*w1 + (v2-v1)*w2 + (v3-v2)*w3) / 65535
	}
}

// tetraPath orders the three axes of a cell by decreasing fraction. It
// returns the offsets of the first and second corners of the walk from
// the lowest corner to the highest, and the weights of its three steps.
func tetraPath[N int | float64](sx, sy, sz int, rx, ry, rz N) (o1, o2 int, w1, w2, w3 N) {
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

// evalA applies the input curves (stage A) to in.
func (l *lutPipeline) evalA(in *[maxLUTInputs]float64) {
	for i := range l.nIn {
		in[i] = clamp01(in[i])
		if l.a != nil {
			in[i] = l.a[i].eval(in[i])
		}
	}
}

// evalRest evaluates the stages after the input curves at a and returns
// the colour in the connection space: CIE L*a*b* (L, a, b) when l.enc is
// a Lab encoding, else XYZ; both relative to the D50 PCS white.
func (l *lutPipeline) evalRest(a *[maxLUTInputs]float64) [3]float64 {
	var v [3]float64
	if l.clut != nil {
		l.clut.eval(a, &v)
	} else {
		copy(v[:], a[:3])
	}
	if l.m != nil {
		for k := range v {
			v[k] = l.m[k].eval(v[k])
		}
	}
	if m := l.matrix; m != nil {
		var w [3]float64
		for k := range w {
			w[k] = clamp01(m[3*k]*v[0] + m[3*k+1]*v[1] + m[3*k+2]*v[2] + m[9+k])
		}
		v = w
	}
	if l.b != nil {
		for k := range v {
			v[k] = l.b[k].eval(v[k])
		}
	}
	switch l.enc {
	case pcsLabV2:
		return [3]float64{v[0] * 65535 / 65280 * 100, v[1]*65535/256 - 128, v[2]*65535/256 - 128}
	case pcsLabV4:
		return [3]float64{v[0] * 100, v[1]*255 - 128, v[2]*255 - 128}
	}
	const s = 65535.0 / 32768
	return [3]float64{v[0] * s, v[1] * s, v[2] * s}
}

// evalXYZ is evalRest converted to XYZ.
func (l *lutPipeline) evalXYZ(a *[maxLUTInputs]float64) [3]float64 {
	v := l.evalRest(a)
	if l.enc == pcsXYZ {
		return v
	}
	return labToXYZ(v[0], v[1], v[2])
}

// labF returns the f(X/Xn), f(Y/Yn), f(Z/Zn) of CIE L*a*b*, the values
// that are linear in L*, a* and b*.
func labF(l, a, b float64) (fx, fy, fz float64) {
	fy = (l + 16) / 116
	return fy + a/500, fy, fy - b/200
}

// labFinv inverts the CIE L*a*b* function f.
func labFinv(t float64) float64 {
	const e = 6.0 / 29
	if t > e {
		return t * t * t
	}
	return 3 * e * e * (t - 4.0/29)
}

// labToXYZ converts CIE L*a*b* relative to the D50 PCS white to XYZ.
func labToXYZ(l, a, b float64) [3]float64 {
	fx, fy, fz := labF(l, a, b)
	return [3]float64{d50[0] * labFinv(fx), d50[1] * labFinv(fy), d50[2] * labFinv(fz)}
}
