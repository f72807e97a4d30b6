package jpegenc

import "math/bits"

// writeBaseline writes the tables and the single interleaved scan of a
// baseline (sequential) file.
func (e *encoder) writeBaseline() {
	classes := 1
	if len(e.comps) > 1 {
		classes = 2
	}
	specs := [2][2]*huffSpec{{&stdDCLuma, &stdACLuma}, {&stdDCChroma, &stdACChroma}}
	if e.cfg.optimise {
		for c := range classes {
			for k := range 2 {
				optimal(&e.spec[c][k], &e.freq[c][k])
				specs[c][k] = &e.spec[c][k]
			}
		}
	}
	for c := range classes {
		for k := range 2 {
			e.code[c][k].build(specs[c][k])
			e.writeDHT(k, c, specs[c][k])
		}
	}
	e.writeSOS(e.allComps(), 0, 63, 0, 0)
	e.encodeBaseline()
	e.bw.align()
}

// allComps returns the indices of all components.
func (e *encoder) allComps() []int {
	return []int{0, 1, 2}[:len(e.comps)]
}

// encodeBaseline writes the entropy-coded data of the baseline scan.
func (e *encoder) encodeBaseline() {
	var pred [3]int32
	b := &e.bw
	for my := range e.mcuY {
		for mx := range e.mcuX {
			for ci := range e.comps {
				c := &e.comps[ci]
				t := &e.code[c.tq]
				for j := range c.v {
					idx := c.off + (my*c.v+j)*c.bw + mx*c.h
					for range c.h {
						pred[ci] = b.block(e.coef[idx*64:], e.mask[idx], pred[ci], &t[0], &t[1])
						idx++
					}
				}
			}
			if !b.maybeFlush() {
				return
			}
		}
	}
}

// magnitude returns the absolute value of v, the number of bits it needs
// (its size category, T.81 F.1.2.1), and the additional bits that code v in
// that many bits: v itself when positive, v-1 when negative.
func magnitude(v int32) (a uint32, n uint, extra uint32) {
	s := v >> 31
	a = uint32((v ^ s) - s)
	n = uint(bits.Len32(a))
	return a, n, uint32(v+s) & (1<<n - 1)
}

// block codes one block of a baseline scan (T.81 F.1.2) and returns its DC
// value, the predictor for the next block of the component.
func (b *bitWriter) block(blk []int16, mask uint64, pred int32, dc, ac *huffCode) int32 {
	blk = blk[:64:64]
	v := int32(blk[0])
	_, n, x := magnitude(v - pred)
	c := dc[n]
	b.emit(c>>8<<n|x, uint(c&0xff)+n)
	last := 0
	for m := mask &^ 1; m != 0; m &= m - 1 {
		k := bits.TrailingZeros64(m)
		r := k - last - 1
		for ; r > 15; r -= 16 {
			c := ac[0xf0]
			b.emit(c>>8, uint(c&0xff))
		}
		_, n, x := magnitude(int32(blk[k]))
		c := ac[r<<4|int(n)]
		b.emit(c>>8<<n|x, uint(c&0xff)+n)
		last = k
	}
	if last != 63 {
		c := ac[0]
		b.emit(c>>8, uint(c&0xff))
	}
	return v
}

// countBlock counts the symbols block would emit for one block.
func countBlock(blk []int16, mask uint64, pred int32, dc, ac *freqTable) int32 {
	blk = blk[:64:64]
	v := int32(blk[0])
	_, n, _ := magnitude(v - pred)
	dc[n]++
	last := 0
	for m := mask &^ 1; m != 0; m &= m - 1 {
		k := bits.TrailingZeros64(m)
		r := k - last - 1
		for ; r > 15; r -= 16 {
			ac[0xf0]++
		}
		_, n, _ := magnitude(int32(blk[k]))
		ac[r<<4|int(n)]++
		last = k
	}
	if last != 63 {
		ac[0]++
	}
	return v
}
