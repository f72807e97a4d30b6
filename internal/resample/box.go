package resample

import "math/bits"

// divider divides 32-bit numerators by a fixed divisor d exactly, with a
// multiplication (Lemire, Kaser and Kurz, "Faster remainder by direct
// computation", 2019).
type divider struct {
	d uint64
	m uint64 // ceil(2^64 / d); unused when d == 1
}

func newDivider(d int) divider {
	if d <= 1 {
		return divider{d: 1}
	}
	return divider{d: uint64(d), m: ^uint64(0)/uint64(d) + 1}
}

// div returns x / d for x < 2^32.
func (v divider) div(x uint64) uint64 {
	if v.d == 1 {
		return x
	}
	hi, _ := bits.Mul64(v.m, x)
	return hi
}

// mean returns round(sum * 2^fracBits / d), rounding halves up, for
// sum < 2^32 and d < 2^23.
func (v divider) mean(sum uint32) uint16 {
	q := v.div(uint64(sum))
	r := uint64(sum) - q*v.d
	return uint16(q<<fracBits + v.div(r<<fracBits+v.d/2))
}

// stage0Row computes row m of the stage-0 image of p over the stage-0 columns
// [j.x.lo, j.x.hi) into dst: the means of the box blocks of p, with fracBits
// fractional bits, premultiplied by alpha when j.premul is set. sums is
// scratch space for the column sums of the block row.
func (j *job) stage0Row(p *plane, dst []uint16, sums []uint32, m int) {
	kx, ky, nc := j.x.box, j.y.box, j.nc
	r0, r1 := m*ky, min(m*ky+ky, p.h)
	c0, c1 := j.x.lo*kx, min(j.x.hi*kx, p.w)
	dst = dst[:(j.x.hi-j.x.lo)*nc]

	if kx == 1 && ky == 1 { // premultiply only
		row := p.pix[r0*p.stride+c0*nc : r0*p.stride+c1*nc]
		premultiplyRow(dst, row)
		return
	}

	// Sum the block rows column by column.
	sums = sums[:(c1-c0)*nc]
	if j.premul {
		sumRowsPremul(sums, p, r0, r1, c0*nc, c1*nc)
	} else {
		sumRows(sums, p, r0, r1, c0*nc, c1*nc)
	}

	// Sum the blocks of each row and divide by their sizes.
	unit := r1 - r0
	if j.premul {
		unit *= 255
	}
	full := newDivider(kx * unit)
	nb := j.x.hi - j.x.lo
	for l := range nb {
		b0 := l * kx
		b1 := min(b0+kx, c1-c0)
		div := full
		if b1-b0 != kx {
			div = newDivider((b1 - b0) * unit)
		}
		if nc == 1 {
			var s uint32
			for _, v := range sums[b0:b1] {
				s += v
			}
			dst[l] = div.mean(s)
			continue
		}
		var s0, s1, s2, s3 uint32
		blk := sums[4*b0 : 4*b1]
		for i := 0; i+4 <= len(blk); i += 4 {
			q := blk[i : i+4 : i+4]
			s0 += q[0]
			s1 += q[1]
			s2 += q[2]
			s3 += q[3]
		}
		d := dst[4*l : 4*l+4 : 4*l+4]
		d[0], d[1], d[2], d[3] = div.mean(s0), div.mean(s1), div.mean(s2), div.mean(s3)
	}
}

// premultiplyRow writes the straight-alpha pixels of src to dst premultiplied,
// with fracBits fractional bits.
func premultiplyRow(dst []uint16, src []uint8) {
	dst = dst[:len(src)]
	for i := 0; i+4 <= len(src); i += 4 {
		s, d := src[i:i+4:i+4], dst[i:i+4:i+4]
		a := uint32(s[3])
		d[0] = uint16((uint32(s[0])*a<<fracBits + 127) / 255)
		d[1] = uint16((uint32(s[1])*a<<fracBits + 127) / 255)
		d[2] = uint16((uint32(s[2])*a<<fracBits + 127) / 255)
		d[3] = uint16(a << fracBits)
	}
}

// sumRows sets sums to the sums of the bytes [b0, b0+len(sums)) of the rows
// [r0, r1) of p, reading rows in pairs.
func sumRows(sums []uint32, p *plane, r0, r1, b0, b1 int) {
	row := func(r int) []uint8 { return p.pix[r*p.stride+b0 : r*p.stride+b1] }
	r := r0
	if (r1-r0)%2 == 1 {
		a := row(r)
		a = a[:len(sums)]
		for i, v := range a {
			sums[i] = uint32(v)
		}
		r++
	} else {
		a, b := row(r), row(r+1)
		a, b = a[:len(sums)], b[:len(sums)]
		for i, v := range a {
			sums[i] = uint32(v) + uint32(b[i])
		}
		r += 2
	}
	for ; r < r1; r += 2 {
		a, b := row(r), row(r+1)
		a, b = a[:len(sums)], b[:len(sums)]
		for i, v := range a {
			sums[i] += uint32(v) + uint32(b[i])
		}
	}
}

// sumRowsPremul is sumRows for straight-alpha RGBA pixels, whose colour
// channels are multiplied by alpha and alpha by 255 before being summed.
func sumRowsPremul(sums []uint32, p *plane, r0, r1, b0, b1 int) {
	for r := r0; r < r1; r++ {
		row := p.pix[r*p.stride+b0 : r*p.stride+b1]
		row = row[:len(sums)]
		if r == r0 {
			for i := 0; i+4 <= len(row); i += 4 {
				s, q := sums[i:i+4:i+4], row[i:i+4:i+4]
				a := uint32(q[3])
				s[0], s[1], s[2], s[3] = uint32(q[0])*a, uint32(q[1])*a, uint32(q[2])*a, a*255
			}
			continue
		}
		for i := 0; i+4 <= len(row); i += 4 {
			s, q := sums[i:i+4:i+4], row[i:i+4:i+4]
			a := uint32(q[3])
			s[0] += uint32(q[0]) * a
			s[1] += uint32(q[1]) * a
			s[2] += uint32(q[2]) * a
			s[3] += a * 255
		}
	}
}
