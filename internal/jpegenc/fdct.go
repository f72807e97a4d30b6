package jpegenc

import "math"

// The forward DCT is the factorisation of Arai, Agui and Nakajima (AAN) in
// float32: 5 multiplications and 29 additions per 8-point transform. Its
// outputs carry a scale factor 8·s(u)·s(v), with s(0) = 1 and
// s(k) = √2·cos(kπ/16), which the quantisation step folds into its
// multipliers, so no separate scaling pass is needed.

const (
	c4   = 0.707106781186547524 // cos(4π/16)
	c6   = 0.382683432365089772 // cos(6π/16)
	c2c6 = 0.541196100146196984 // cos(2π/16) - cos(6π/16)
	c2p6 = 1.306562964876376527 // cos(2π/16) + cos(6π/16)
)

// fdct transforms the level-shifted samples of b, in natural order, into
// scaled DCT coefficients in place: rows first, then columns. The 8-point
// transform is written out twice rather than called, which the compiler
// would not inline.
func fdct(b *[64]float32) {
	for i := 0; i < 64; i += 8 {
		r := b[i : i+8 : i+8]
		s07, t07 := r[0]+r[7], r[0]-r[7]
		s16, t16 := r[1]+r[6], r[1]-r[6]
		s25, t25 := r[2]+r[5], r[2]-r[5]
		s34, t34 := r[3]+r[4], r[3]-r[4]

		// Even part.
		e0, e3 := s07+s34, s07-s34
		e1, e2 := s16+s25, s16-s25
		r[0], r[4] = e0+e1, e0-e1
		z := (e2 + e3) * c4
		r[2], r[6] = e3+z, e3-z

		// Odd part.
		p0 := t34 + t25
		p1 := t25 + t16
		p2 := t16 + t07
		z5 := (p0 - p2) * c6
		z2 := c2c6*p0 + z5
		z4 := c2p6*p2 + z5
		z3 := p1 * c4
		z11, z13 := t07+z3, t07-z3
		r[5], r[3] = z13+z2, z13-z2
		r[1], r[7] = z11+z4, z11-z4
	}
	for i := range 8 {
		c := b[i : i+57 : i+57]
		s07, t07 := c[0]+c[56], c[0]-c[56]
		s16, t16 := c[8]+c[48], c[8]-c[48]
		s25, t25 := c[16]+c[40], c[16]-c[40]
		s34, t34 := c[24]+c[32], c[24]-c[32]

		e0, e3 := s07+s34, s07-s34
		e1, e2 := s16+s25, s16-s25
		c[0], c[32] = e0+e1, e0-e1
		z := (e2 + e3) * c4
		c[16], c[48] = e3+z, e3-z

		p0 := t34 + t25
		p1 := t25 + t16
		p2 := t16 + t07
		z5 := (p0 - p2) * c6
		z2 := c2c6*p0 + z5
		z4 := c2p6*p2 + z5
		z3 := p1 * c4
		z11, z13 := t07+z3, t07-z3
		c[40], c[24] = z13+z2, z13-z2
		c[8], c[56] = z11+z4, z11-z4
	}
}

// quantizer turns fdct output into quantised coefficients for one
// quantisation table.
type quantizer struct {
	table [64]uint8   // the table in zig-zag order, as DQT writes it
	recip [64]float32 // 1/(table·scale) in zig-zag order
	// clamp is set when an AC entry is so small that a quantised value can
	// exceed the 10 bits baseline coding allows.
	clamp bool
}

func (q *quantizer) init(class, quality int) {
	scaleQuant(&q.table, class, quality)
	for i, n := range zigzag {
		su, sv := aanScale(int(n%8)), aanScale(int(n/8))
		q.recip[i] = float32(1 / (float64(q.table[i]) * su * sv * 8))
	}
	// An AC coefficient of 8-bit samples stays below 1024 in magnitude, so
	// only a divisor of 1 can yield one that does not fit.
	q.clamp = false
	for _, v := range q.table[1:] {
		if v == 1 {
			q.clamp = true
		}
	}
}

func aanScale(k int) float64 {
	if k == 0 {
		return 1
	}
	return math.Sqrt2 * math.Cos(float64(k)*math.Pi/16)
}

// quantize divides the fdct output src by the table, rounds to nearest, and
// stores the result in zig-zag order in dst (64 values). It returns a mask
// with bit i set when dst[i] is not zero.
func (q *quantizer) quantize(dst []int16, src *[64]float32) uint64 {
	dst = dst[:64:64]
	// 16384.5 makes the conversion, which truncates, round a value of
	// magnitude below 16384 to nearest.
	dc := int32(src[0]*q.recip[0]+16384.5) - 16384
	dst[0] = int16(dc)
	mask := uint64(uint32(dc|-dc) >> 31)
	if q.clamp {
		for i := 1; i < 64; i++ {
			v := int32(src[zigzag[i]&63]*q.recip[i]+16384.5) - 16384
			v = min(max(v, -1023), 1023)
			dst[i] = int16(v)
			mask |= uint64(uint32(v|-v)>>31) << i
		}
		return mask
	}
	for i := 1; i < 64; i++ {
		v := int32(src[zigzag[i]&63]*q.recip[i]+16384.5) - 16384
		dst[i] = int16(v)
		mask |= uint64(uint32(v|-v)>>31) << i
	}
	return mask
}
