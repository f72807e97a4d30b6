package resample

// sample is the element type of a row a filter pass reads: source bytes,
// stage-0 samples with fracBits fractional bits, or intermediate values.
type sample interface {
	~uint8 | ~uint16 | ~int32
}

// Shifts that bring a weighted sum back to fracBits fractional bits.
const (
	shiftU8  = weightBits - fracBits // from 8-bit samples
	shiftFix = weightBits            // from samples with fracBits fractional bits
)

// The inner loops of the filters are functions of their own, kept out of
// line: inlined into the loops over outputs, their accumulators would not
// stay in registers.

// hfilter1 filters a row of one-channel samples along the row: dst[j] is the
// weighted sum over t.w of src[t.start[j]:], shifted right by shift with
// rounding.
func hfilter1[S sample](dst []int32, src []S, t *table, shift uint) {
	round := 1 << (shift - 1)
	start, off, w := t.start, t.off, t.w
	off = off[:len(dst)+1]
	start = start[:len(dst)]
	for j := range dst {
		acc := dotN(w[off[j]:off[j+1]], src[start[j]:])
		dst[j] = int32((acc + round) >> shift)
	}
}

// dotN returns the dot product of ws and the start of p.
//
//go:noinline
func dotN[S sample](ws []int32, p []S) int {
	p = p[:len(ws)]
	acc := 0
	for k, wk := range ws {
		acc += int(wk) * int(p[k])
	}
	return acc
}

// hfilter4 is hfilter1 for rows of four-channel pixels.
func hfilter4[S sample](dst []int32, src []S, t *table, shift uint) {
	round := 1 << (shift - 1)
	start, off, w := t.start, t.off, t.w
	n := len(dst) / 4
	off = off[:n+1]
	start = start[:n]
	for j := range n {
		a0, a1, a2, a3 := dot4(w[off[j]:off[j+1]], src[4*int(start[j]):])
		d := dst[4*j : 4*j+4 : 4*j+4]
		d[0] = int32((a0 + round) >> shift)
		d[1] = int32((a1 + round) >> shift)
		d[2] = int32((a2 + round) >> shift)
		d[3] = int32((a3 + round) >> shift)
	}
}

// dot4 returns the dot products of ws with each channel of the four-channel
// pixels at the start of p.
//
//go:noinline
func dot4[S sample](ws []int32, p []S) (a0, a1, a2, a3 int) {
	p = p[:4*len(ws)]
	for k, wk := range ws {
		q := p[4*k : 4*k+4 : 4*k+4]
		wi := int(wk)
		a0 += wi * int(q[0])
		a1 += wi * int(q[1])
		a2 += wi * int(q[2])
		a3 += wi * int(q[3])
	}
	return
}

// Packed rows hold two lanes of samples in each uint64: bits 0..31 and bits
// 32..63. One multiplication then applies a weight to both lanes, and the two
// sums are separated at the end; this is exact as long as each sum stays
// within ±2^31 (see table.packable).

// pack2 packs the rows a and b into the lanes of dst.
func pack2[S ~uint8 | ~uint16](dst []uint64, a, b []S) {
	dst = dst[:len(a)]
	b = b[:len(a)]
	for i, v := range a {
		dst[i] = uint64(v) | uint64(b[i])<<32
	}
}

// pack4 packs a row of four-channel pixels into rb (channels 0 and 2) and ga
// (channels 1 and 3).
func pack4[S ~uint8 | ~uint16](rb, ga []uint64, src []S) {
	n := len(src) / 4
	rb, ga = rb[:n], ga[:n]
	for i := range rb {
		p := src[4*i : 4*i+4 : 4*i+4]
		rb[i] = uint64(p[0]) | uint64(p[2])<<32
		ga[i] = uint64(p[1]) | uint64(p[3])<<32
	}
}

// premultiplyPack4 is premultiplyRow followed by pack4.
func premultiplyPack4(rb, ga []uint64, src []uint8) {
	n := len(src) / 4
	rb, ga = rb[:n], ga[:n]
	for i := range rb {
		p := src[4*i : 4*i+4 : 4*i+4]
		a := uint64(p[3])
		if a == 255 { // opaque: the same as without premultiplication
			rb[i] = uint64(p[0])<<fracBits | uint64(p[2])<<(32+fracBits)
			ga[i] = uint64(p[1])<<fracBits | 255<<(32+fracBits)
			continue
		}
		r := (uint64(p[0])*a<<fracBits + 127) / 255
		g := (uint64(p[1])*a<<fracBits + 127) / 255
		b := (uint64(p[2])*a<<fracBits + 127) / 255
		rb[i] = r | b<<32
		ga[i] = g | a<<(32+fracBits)
	}
}

// hpacked filters a packed row along the row, writing the sums of the low
// lanes to lo[j*step] and of the high lanes to hi[j*step] for each output j,
// shifted right by shift with rounding. sums is scratch space of one element
// per output.
func hpacked(lo, hi []int32, step int, src []uint64, t *table, shift uint, sums []int64) {
	dot(sums, src, t)
	round := int64(1) << (shift - 1)
	for j, acc := range sums {
		a := int64(int32(acc))
		b := (acc - a) >> 32
		lo[j*step] = int32((a + round) >> shift)
		hi[j*step] = int32((b + round) >> shift)
	}
}

// dot sets sums[j] to the weighted sum of src for output j of t.
func dot(sums []int64, src []uint64, t *table) {
	start, off, w := t.start, t.off, t.w
	off = off[:len(sums)+1]
	start = start[:len(sums)]
	for j := range sums {
		sums[j] = dot1(w[off[j]:off[j+1]], src[start[j]:])
	}
}

// dot1 returns the dot product of ws and the start of p.
//
//go:noinline
func dot1(ws []int32, p []uint64) int64 {
	p = p[:len(ws)]
	var acc int64
	i := 0
	for ; i+4 <= len(ws); i += 4 {
		w := ws[i : i+4 : i+4]
		q := p[i : i+4 : i+4]
		acc += int64(w[0])*int64(q[0]) + int64(w[1])*int64(q[1]) +
			int64(w[2])*int64(q[2]) + int64(w[3])*int64(q[3])
	}
	for ; i < len(ws); i++ {
		acc += int64(ws[i]) * int64(p[i])
	}
	return acc
}

// vfilter filters across rows: dst[i] is the weighted sum over ws of
// rows[k][i], shifted right by shift with rounding. acc is scratch space; its
// length sets how many columns are summed at a time.
func vfilter[S sample](dst []int32, acc []int, rows [][]S, ws []int32, shift uint) {
	round := 1 << (shift - 1)
	n := len(dst)
	rows = rows[:len(ws)]
	for x0 := 0; x0 < n; x0 += len(acc) {
		a := acc[:min(len(acc), n-x0)]
		k := 0
		if len(ws)%2 == 1 {
			vfirst(a, rows[0][x0:], int(ws[0]))
			k = 1
		} else {
			clear(a)
		}
		for ; k+3 < len(ws); k += 4 {
			vadd4(a, rows[k][x0:], rows[k+1][x0:], rows[k+2][x0:], rows[k+3][x0:],
				int(ws[k]), int(ws[k+1]), int(ws[k+2]), int(ws[k+3]))
		}
		if k+1 < len(ws) {
			vadd2(a, rows[k][x0:], rows[k+1][x0:], int(ws[k]), int(ws[k+1]))
		}
		d := dst[x0 : x0+len(a)]
		for i, v := range a {
			d[i] = int32((v + round) >> shift)
		}
	}
}

// vfirst sets a[i] to w*r[i].
func vfirst[S sample](a []int, r []S, w int) {
	r = r[:len(a)]
	for i, v := range r {
		a[i] = w * int(v)
	}
}

// vadd4 adds w0*r0[i] + w1*r1[i] + w2*r2[i] + w3*r3[i] to a[i].
//
//go:noinline
func vadd4[S sample](a []int, r0, r1, r2, r3 []S, w0, w1, w2, w3 int) {
	r0 = r0[:len(a)]
	r1 = r1[:len(a)]
	r2 = r2[:len(a)]
	r3 = r3[:len(a)]
	for i, v := range r0 {
		a[i] += w0*int(v) + w1*int(r1[i]) + w2*int(r2[i]) + w3*int(r3[i])
	}
}

// vadd2 adds w0*r0[i] + w1*r1[i] to a[i].
//
//go:noinline
func vadd2[S sample](a []int, r0, r1 []S, w0, w1 int) {
	r0 = r0[:len(a)]
	r1 = r1[:len(a)]
	for i, v := range r0 {
		a[i] += w0*int(v) + w1*int(r1[i])
	}
}

// finisher selects how filtered values are written to the destination.
type finisher uint8

const (
	finishPlain finisher = iota // one byte per value, clamped to 0..255
	finishRGBA                  // premultiplied RGBA: colour clamped to 0..alpha
	finishNRGBA                 // straight RGBA: premultiplied values divided by alpha
)

// finish writes the values of src, which have fracBits fractional bits, to
// dst.
func (f finisher) finish(dst []uint8, src []int32) {
	const half = 1 << (fracBits - 1)
	switch f {
	case finishPlain:
		dst = dst[:len(src)]
		for i, v := range src {
			dst[i] = clamp8((v + half) >> fracBits)
		}
	case finishRGBA:
		for i := 0; i+4 <= len(src); i += 4 {
			s := src[i : i+4 : i+4]
			d := dst[i : i+4 : i+4]
			a := clamp8((s[3] + half) >> fracBits)
			d[0] = min(clamp8((s[0]+half)>>fracBits), a)
			d[1] = min(clamp8((s[1]+half)>>fracBits), a)
			d[2] = min(clamp8((s[2]+half)>>fracBits), a)
			d[3] = a
		}
	case finishNRGBA:
		for i := 0; i+4 <= len(src); i += 4 {
			s := src[i : i+4 : i+4]
			d := dst[i : i+4 : i+4]
			a := s[3]
			if (a+half)>>fracBits <= 0 {
				d[0], d[1], d[2], d[3] = 0, 0, 0, 0
				continue
			}
			d[0] = unpremultiply(s[0], a)
			d[1] = unpremultiply(s[1], a)
			d[2] = unpremultiply(s[2], a)
			d[3] = clamp8((a + half) >> fracBits)
		}
	}
}

// unpremultiply returns the straight 8-bit value of the premultiplied value c
// under alpha a, both with fracBits fractional bits and a > 0.
func unpremultiply(c, a int32) uint8 {
	c = max(0, min(c, a))
	return uint8((int64(c)*255 + int64(a/2)) / int64(a))
}

func clamp8(v int32) uint8 {
	return uint8(max(0, min(v, 255)))
}
