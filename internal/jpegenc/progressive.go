package jpegenc

import "math/bits"

// scan is one scan of a progressive script: its components (indices into
// encoder.comps), spectral selection Ss to Se, and successive approximation
// bit positions Ah (high) and Al (low); see T.81 G.1.
type scan struct {
	comps          []int
	ss, se, ah, al int
}

// Progressive scripts after the default of the IJG library: the DC
// coefficients of all components first at half precision, then the lowest
// luma frequencies, the chroma, the remaining luma frequencies, all at
// reduced precision, and finally refinement scans adding one bit each.
var (
	scriptColor = []scan{
		{[]int{0, 1, 2}, 0, 0, 0, 1},
		{[]int{0}, 1, 5, 0, 2},
		{[]int{2}, 1, 63, 0, 1},
		{[]int{1}, 1, 63, 0, 1},
		{[]int{0}, 6, 63, 0, 2},
		{[]int{0}, 1, 63, 2, 1},
		{[]int{0, 1, 2}, 0, 0, 1, 0},
		{[]int{2}, 1, 63, 1, 0},
		{[]int{1}, 1, 63, 1, 0},
		{[]int{0}, 1, 63, 1, 0},
	}
	scriptGray = []scan{
		{[]int{0}, 0, 0, 0, 1},
		{[]int{0}, 1, 5, 0, 2},
		{[]int{0}, 6, 63, 0, 2},
		{[]int{0}, 1, 63, 2, 1},
		{[]int{0}, 0, 0, 1, 0},
		{[]int{0}, 1, 63, 1, 0},
	}
)

// maxCorr is how many correction bits may wait for an end-of-band run
// before the run is cut short.
const maxCorr = 4096

// writeProgressive writes the scans of a progressive file, each with
// Huffman tables optimised for it. When more than one CPU is available, the
// symbol statistics of the scans are gathered in a second goroutine that
// runs ahead of the one writing them.
func (e *encoder) writeProgressive() {
	script := e.cfg.script
	if script == nil {
		script = scriptColor
		if len(e.comps) == 1 {
			script = scriptGray
		}
	}
	if cap(e.stats) < len(script) {
		e.stats = make([][2][2]freqTable, len(script))
	}
	stats := e.stats[:len(script)]
	clear(stats)
	counter := coder{e: e, corr: e.corrCount[:0]}
	var ready chan struct{}
	if e.cfg.workers > 1 {
		ready = make(chan struct{}, len(script))
		go func() {
			for i := range script {
				counter.count(&script[i], &stats[i])
				ready <- struct{}{}
			}
		}()
	}
	w := coder{e: e, bw: &e.bw, corr: e.corr[:0]}
	for i := range script {
		s := &script[i]
		if ready != nil {
			<-ready
		} else {
			counter.count(s, &stats[i])
		}
		if e.bw.err != nil {
			continue
		}
		if s.ss != 0 || s.ah == 0 { // all but DC refinement use tables
			kind := 0
			if s.ss > 0 {
				kind = 1
			}
			var done [2]bool
			for _, ci := range s.comps {
				c := e.comps[ci].tq
				if done[c] {
					continue
				}
				done[c] = true
				optimal(&e.spec[c][kind], &stats[i][c][kind])
				e.code[c][kind].build(&e.spec[c][kind])
				e.writeDHT(kind, c, &e.spec[c][kind])
			}
		}
		e.writeSOS(s.comps, s.ss, s.se, s.ah, s.al)
		w.run(s)
		e.bw.align()
		e.bw.maybeFlush()
	}
	e.corr, e.corrCount = w.corr, counter.corr
}

// coder codes the blocks of one progressive scan at a time, or, without a
// bitWriter, counts the Huffman symbols they need.
type coder struct {
	e      *encoder   // the coefficients; only read
	bw     *bitWriter // nil when counting
	freq   *[2][2]freqTable
	acFreq *freqTable // the table of the scan's component
	acCode *huffCode
	eobrun int    // blocks in the pending end-of-band run
	corr   []byte // correction bits waiting for the next symbol
	be     int    // how many of corr belong to the blocks in the run
}

// count gathers the symbol statistics of scan s into f.
func (c *coder) count(s *scan, f *[2][2]freqTable) {
	if s.ss == 0 && s.ah != 0 {
		return // DC refinement codes no symbols
	}
	c.freq = f
	c.run(s)
	c.freq = nil
}

// run codes (or counts) one scan.
func (c *coder) run(s *scan) {
	c.eobrun, c.be, c.corr = 0, 0, c.corr[:0]
	if s.ss == 0 {
		c.dcScan(s)
		return
	}
	comp := &c.e.comps[s.comps[0]]
	if c.bw == nil {
		c.acFreq = &c.freq[comp.tq][1]
	} else {
		c.acCode = &c.e.code[comp.tq][1]
	}
	coef, mask := c.e.coef, c.e.mask
	for by := range comp.ch {
		for bx := range comp.cw {
			idx := comp.off + by*comp.bw + bx
			if s.ah == 0 {
				c.acFirst(coef[idx*64:], mask[idx], s.ss, s.se, uint(s.al))
			} else {
				c.acRefine(coef[idx*64:], mask[idx], s.ss, s.se, uint(s.al))
			}
		}
		if c.bw != nil && !c.bw.maybeFlush() {
			return
		}
	}
	c.flushEOBRun()
}

// dcScan codes a DC scan: the first one (T.81 G.1.2.1), DC differences of
// the point-transformed values with the DC tables, or a refinement (G.1.2.2),
// one raw bit per block. A scan of several components is interleaved by MCU;
// one of a single component codes the component's blocks in raster order.
func (c *coder) dcScan(s *scan) {
	e := c.e
	if len(s.comps) == 1 {
		ci := s.comps[0]
		comp := &e.comps[ci]
		var pred int32
		for by := range comp.ch {
			idx := comp.off + by*comp.bw
			for i := range comp.cw {
				pred = c.dc(e.coef[(idx+i)*64], pred, comp.tq, s)
			}
			if c.bw != nil && !c.bw.maybeFlush() {
				return
			}
		}
		return
	}
	var pred [3]int32
	for my := range e.mcuY {
		for mx := range e.mcuX {
			for _, ci := range s.comps {
				comp := &e.comps[ci]
				for j := range comp.v {
					idx := comp.off + (my*comp.v+j)*comp.bw + mx*comp.h
					for i := range comp.h {
						pred[ci] = c.dc(e.coef[(idx+i)*64], pred[ci], comp.tq, s)
					}
				}
			}
		}
		if c.bw != nil && !c.bw.maybeFlush() {
			return
		}
	}
}

// dc codes the DC coefficient v of one block in DC scan s and returns the
// predictor for the next block of the component.
func (c *coder) dc(coef int16, pred int32, tq int, s *scan) int32 {
	v := int32(coef) >> s.al // an arithmetic shift: T.81 G.1.2.1
	if s.ah != 0 {
		c.bw.emit(uint32(v&1), 1)
		return 0
	}
	_, n, x := magnitude(v - pred)
	if c.bw == nil {
		c.freq[tq][0][n]++
		return v
	}
	code := c.e.code[tq][0][n]
	c.bw.emit(code>>8<<n|x, uint(code&0xff)+n)
	return v
}

// acSym codes (or counts) one symbol with the scan's AC table, followed by n
// extra bits x.
func (c *coder) acSym(sym int, x uint32, n uint) {
	if c.bw == nil {
		c.acFreq[sym]++
		return
	}
	code := c.acCode[sym]
	c.bw.emit(code>>8<<n|x, uint(code&0xff)+n)
}

// flushEOBRun codes the pending end-of-band run, if any, followed by the
// correction bits of the blocks in it.
func (c *coder) flushEOBRun() {
	if c.eobrun == 0 {
		return
	}
	n := uint(bits.Len(uint(c.eobrun)) - 1)
	c.acSym(int(n)<<4, uint32(c.eobrun)&(1<<n-1), n)
	c.eobrun = 0
	c.sendCorr(c.corr[:c.be])
	c.corr = c.corr[:copy(c.corr, c.corr[c.be:])]
	c.be = 0
}

// sendCorr writes correction bits, up to 24 at a time.
func (c *coder) sendCorr(bits []byte) {
	if c.bw == nil {
		return
	}
	for len(bits) > 0 {
		n := min(len(bits), 24)
		var v uint32
		for _, b := range bits[:n] {
			v = v<<1 | uint32(b)
		}
		c.bw.emit(v, uint(n))
		bits = bits[n:]
	}
}

// acFirst codes one block in the first scan of a spectral band
// (T.81 G.1.2.2): the coefficients ss to se divided by 2^al, runs of blocks
// with nothing left in the band merged into one end-of-band run.
func (c *coder) acFirst(blk []int16, mask uint64, ss, se int, al uint) {
	blk = blk[:64:64]
	last := ss - 1
	for m := mask & bandMask(ss, se); m != 0; m &= m - 1 {
		k := bits.TrailingZeros64(m)
		v := int32(blk[k&63])
		s := v >> 31
		a := uint32((v^s)-s) >> al
		if a == 0 {
			continue
		}
		if c.eobrun > 0 {
			c.flushEOBRun()
		}
		r := k - last - 1
		for ; r > 15; r -= 16 {
			c.acSym(0xf0, 0, 0)
		}
		n := uint(bits.Len32(a))
		c.acSym(r<<4|int(n), (a^uint32(s))&(1<<n-1), n)
		last = k
	}
	if last < se {
		c.eobrun++
		if c.eobrun == 0x7fff {
			c.flushEOBRun()
		}
	}
}

// bandMask returns a mask with bits ss to se set.
func bandMask(ss, se int) uint64 {
	return ^uint64(0) >> (63 - se) >> ss << ss
}

// acRefine codes one block in a refinement scan of a spectral band
// (T.81 G.1.2.3): bit al of every coefficient in ss to se. Coefficients that
// become nonzero with this bit are coded like in a first scan, with a run
// length that counts only coefficients still zero; the bits of coefficients
// already nonzero are sent raw, after the next symbol.
func (c *coder) acRefine(blk []int16, mask uint64, ss, se int, al uint) {
	blk = blk[:64:64]
	// nz: coefficients nonzero at this precision; fresh: those that become
	// nonzero with this bit.
	var nz, fresh uint64
	for m := mask & bandMask(ss, se); m != 0; m &= m - 1 {
		k := bits.TrailingZeros64(m)
		v := int32(blk[k&63])
		s := v >> 31
		if a := uint32((v^s)-s) >> al; a != 0 {
			nz |= 1 << k
			if a == 1 {
				fresh |= 1 << k
			}
		}
	}
	// Runs of 16 zeros after the last fresh coefficient need no ZRL: they
	// are part of the end of band.
	eob := 63 - bits.LeadingZeros64(fresh)
	r, next := 0, ss
	for m := nz; m != 0; m &= m - 1 {
		k := bits.TrailingZeros64(m)
		r += k - next
		next = k + 1
		for r > 15 && k <= eob {
			if c.eobrun > 0 {
				c.flushEOBRun()
			}
			c.acSym(0xf0, 0, 0)
			r -= 16
			c.sendCorr(c.corr)
			c.corr = c.corr[:0]
		}
		v := int32(blk[k&63])
		if fresh&(1<<k) == 0 {
			s := v >> 31
			c.corr = append(c.corr, byte(uint32((v^s)-s)>>al&1))
			continue
		}
		if c.eobrun > 0 {
			c.flushEOBRun()
		}
		c.acSym(r<<4|1, uint32(v>>31+1), 1) // 1 for positive, 0 for negative
		c.sendCorr(c.corr)
		c.corr = c.corr[:0]
		r = 0
	}
	r += se + 1 - next
	if r > 0 || len(c.corr) > c.be {
		c.eobrun++
		c.be = len(c.corr)
		if c.eobrun == 0x7fff || c.be > maxCorr {
			c.flushEOBRun()
		}
	}
}
