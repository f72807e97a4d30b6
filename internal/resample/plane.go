package resample

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// plane is a rectangular array of samples with nc interleaved channels.
type plane struct {
	pix    []uint8
	stride int // bytes between rows
	w, h   int // size in pixels
	nc     int // channels per pixel: 1 or 4
}

// row returns the pixels [x0, x1) of row y.
func (p *plane) row(y, x0, x1 int) []uint8 {
	o := y * p.stride
	return p.pix[o+x0*p.nc : o+x1*p.nc]
}

// maxPlanes is the largest number of planes a job scales.
const maxPlanes = 2

// job scales planes of the same geometry with the same filter tables.
type job struct {
	srcs, dsts [maxPlanes]plane // source and destination planes, pairwise
	np         int              // number of planes
	nc         int              // channels per pixel of every plane
	premul     bool             // sources have straight alpha: premultiply while reading
	fin        finisher         // how destinations are written
	x, y       table
	hfirst     bool // whether the horizontal pass comes first
	work       int  // weights applied per plane and channel
}

// stage0 reports whether the first pass reads computed stage-0 samples
// rather than the source bytes.
func (j *job) stage0() bool { return j.premul || j.x.box > 1 || j.y.box > 1 }

// Work below this many weight applications per goroutine is not split.
const minParallelWork = 1 << 16

// plan chooses the order of the passes: the one that applies fewer weights,
// counting half for the horizontal pass from stage-0 rows when it runs
// packed.
func (j *job) plan() {
	nx := j.x.hi - j.x.lo // stage-0 columns read
	ny := j.y.hi - j.y.lo // stage-0 rows read
	outW, outH := j.dsts[0].w, j.dsts[0].h
	hx := j.x.taps()
	if j.x.packable {
		hx /= 2
	}
	hFirst := ny*hx + outW*j.y.taps()
	vFirst := nx*j.y.taps() + outH*j.x.taps()
	if j.x.box > 1 || j.y.box > 1 {
		// Stage-0 rows must be computed before the vertical pass.
		// (Premultiplication is left out, so that the order, and hence the
		// rounding, is the same for NRGBA and RGBA.)
		vFirst += nx * ny
	}
	j.hfirst = hFirst <= vFirst
	j.work = min(hFirst, vFirst)
}

// run scales each source plane into its destination plane.
//
// The output rows are split into a few chunks per plane, which the workers
// take in turn. A chunk's worker streams through the stage-0 rows the chunk
// needs, keeping only a window of them, so no intermediate image is ever
// stored whole. Adjacent chunks both compute the rows their windows share.
func (j *job) run() {
	np, outH := j.np, j.dsts[0].h
	workers := max(1, min(runtime.GOMAXPROCS(0), np*j.nc*j.work/minParallelWork))
	n := chunks(workers, outH, j.y.hi-j.y.lo, j.y.window)
	parallel(workers, np*n, func(lo, hi int, sc *scratch) {
		for c := lo; c < hi; c++ {
			p, k := c/n, c%n
			i0, i1 := k*outH/n, (k+1)*outH/n
			if j.hfirst {
				j.hFirst(&j.srcs[p], &j.dsts[p], i0, i1, sc)
			} else {
				j.vFirst(&j.srcs[p], &j.dsts[p], i0, i1, sc)
			}
		}
	})
}

// chunks returns how many chunks to split outH output rows into, for
// workers goroutines, when the chunks read ny stage-0 rows in all and
// windows of win rows: two per worker, unless the rows computed twice would
// add more than about a tenth to the work.
func chunks(workers, outH, ny, win int) int {
	if workers <= 1 {
		return 1
	}
	n := 2 * workers
	for n > workers && ny < 8*win*n {
		n--
	}
	return max(1, min(n, outH))
}

// firstRow returns the first stage-0 row, relative to t.lo, that the outputs
// [i0, i1) read.
func (t *table) firstRow(i0, i1 int) int {
	first := int(t.start[i0])
	for _, s := range t.start[i0:i1] {
		first = min(first, int(s))
	}
	return first
}

// hFirst writes the output rows [i0, i1) of dst: the horizontal pass filters
// stage-0 rows of src into a ring of rows, from which the vertical pass
// computes each output row.
func (j *job) hFirst(src, dst *plane, i0, i1 int, sc *scratch) {
	nc, outW := j.nc, dst.w
	tw := outW * nc
	size := j.y.window + 2 // rows of the ring; +2 as rows may come in pairs
	ring := sc.ring32(size * tw)
	slot := func(m int) []int32 { return ring[m%size*tw : (m%size+1)*tw] }
	row := sc.int32s(tw)
	acc := sc.ints()
	rows := sc.rows32(j.y.window)
	next := j.y.firstRow(i0, i1)
	for i := i0; i < i1; i++ {
		s, ws := int(j.y.start[i]), j.y.w[j.y.off[i]:j.y.off[i+1]]
		for next < s+len(ws) {
			next += j.hrows(src, next, slot, sc)
		}
		rows = rows[:len(ws)]
		for k := range rows {
			rows[k] = slot(s + k)
		}
		vfilter(row, acc, rows, ws, shiftFix)
		j.fin.finish(dst.row(i, 0, outW), row)
	}
}

// vFirst writes the output rows [i0, i1) of dst: the vertical pass filters
// stage-0 rows of src, read from src or computed into a ring of rows, into
// one row, which the horizontal pass filters into the output row.
func (j *job) vFirst(src, dst *plane, i0, i1 int, sc *scratch) {
	nc, outW := j.nc, dst.w
	tw := (j.x.hi - j.x.lo) * nc
	trow := sc.int32s(tw + outW*nc)
	row := trow[tw:]
	trow = trow[:tw]
	acc := sc.ints()
	if !j.stage0() {
		rows := sc.rows8(j.y.window)
		for i := i0; i < i1; i++ {
			s, ws := int(j.y.start[i]), j.y.w[j.y.off[i]:j.y.off[i+1]]
			rows = rows[:len(ws)]
			for k := range rows {
				rows[k] = src.row(j.y.lo+s+k, j.x.lo, j.x.hi)
			}
			vfilter(trow, acc, rows, ws, shiftU8)
			hfilter(j, row, trow, shiftFix)
			j.fin.finish(dst.row(i, 0, outW), row)
		}
		clear(rows[:cap(rows)]) // do not keep the caller's image alive
		return
	}
	size := j.y.window + 1
	ring := sc.ring16(size * tw)
	slot := func(m int) []uint16 { return ring[m%size*tw : (m%size+1)*tw] }
	cols := sc.uint32s((j.x.hi - j.x.lo) * j.x.box * nc)
	rows := sc.rows16(j.y.window)
	next := j.y.firstRow(i0, i1)
	for i := i0; i < i1; i++ {
		s, ws := int(j.y.start[i]), j.y.w[j.y.off[i]:j.y.off[i+1]]
		for ; next < s+len(ws); next++ {
			j.stage0Row(src, slot(next), cols, j.y.lo+next)
		}
		rows = rows[:len(ws)]
		for k := range rows {
			rows[k] = slot(s + k)
		}
		vfilter(trow, acc, rows, ws, shiftFix)
		hfilter(j, row, trow, shiftFix)
		j.fin.finish(dst.row(i, 0, outW), row)
	}
}

// hrows runs the horizontal pass over stage-0 row m (relative to j.y.lo) of
// src, and over row m+1 too when it filters one-channel rows in pairs,
// writing each row m to slot(m). It returns the number of rows filtered.
func (j *job) hrows(src *plane, m int, slot func(int) []int32, sc *scratch) int {
	nc, nx, ny := j.nc, j.x.hi-j.x.lo, j.y.hi-j.y.lo
	y := j.y.lo + m
	if !j.x.packable {
		d := slot(m)
		if !j.stage0() {
			hfilter(j, d, src.row(y, j.x.lo, j.x.hi), shiftU8)
			return 1
		}
		s0 := sc.uint16s(nx * nc)
		j.stage0Row(src, s0, sc.uint32s(nx*j.x.box*nc), y)
		hfilter(j, d, s0, shiftFix)
		return 1
	}
	sums := sc.int64s(len(j.x.start))
	if nc == 4 {
		d := slot(m)
		rb, ga := sc.uint64s(2 * nx)
		shift := uint(shiftFix)
		switch {
		case !j.stage0():
			pack4(rb, ga, src.row(y, j.x.lo, j.x.hi))
			shift = shiftU8
		case j.x.box == 1 && j.y.box == 1: // premultiply only
			premultiplyPack4(rb, ga, src.row(y, j.x.lo, j.x.hi))
		default:
			s0 := sc.uint16s(nx * nc)
			j.stage0Row(src, s0, sc.uint32s(nx*j.x.box*nc), y)
			pack4(rb, ga, s0)
		}
		hpacked(d[0:], d[2:], 4, rb, &j.x, shift, sums)
		hpacked(d[1:], d[3:], 4, ga, &j.x, shift, sums)
		return 1
	}
	n := min(2, ny-m) // rows in this unit
	d0, d1 := slot(m), slot(m+n-1)
	pk, _ := sc.uint64s(2 * nx)
	if !j.stage0() {
		pack2(pk, src.row(y, j.x.lo, j.x.hi), src.row(y+n-1, j.x.lo, j.x.hi))
		hpacked(d0, d1, 1, pk, &j.x, shiftU8, sums)
		return n
	}
	a, b := sc.uint16s(2 * nx)[:nx], sc.u16[nx:2*nx]
	cols := sc.uint32s(nx * j.x.box)
	j.stage0Row(src, a, cols, y)
	j.stage0Row(src, b, cols, y+n-1)
	pack2(pk, a, b)
	hpacked(d0, d1, 1, pk, &j.x, shiftFix, sums)
	return n
}

// hfilter runs the horizontal filter of j over the row src.
func hfilter[S sample](j *job, dst []int32, src []S, shift uint) {
	if j.nc == 1 {
		hfilter1(dst, src, &j.x, shift)
	} else {
		hfilter4(dst, src, &j.x, shift)
	}
}

// parallel calls fn over consecutive chunks of [0, n) from up to workers
// goroutines, the calling one included, and returns when all are done. Chunks
// are handed out on demand, so a worker slowed down by the rest of the machine
// takes fewer of them.
func parallel(workers, n int, fn func(lo, hi int, sc *scratch)) {
	if n <= 0 {
		return
	}
	workers = min(workers, n)
	if workers <= 1 {
		sc := getScratch()
		fn(0, n, sc)
		putScratch(sc)
		return
	}
	g := &group{fn: fn, n: n, chunk: max(1, n/(workers*8))}
	g.wg.Add(workers - 1)
	for range workers - 1 {
		go g.work(true)
	}
	g.work(false)
	g.wg.Wait()
}

// group is the shared state of the goroutines of one parallel call.
type group struct {
	wg       sync.WaitGroup
	next     atomic.Int64
	fn       func(lo, hi int, sc *scratch)
	n, chunk int
}

func (g *group) work(spawned bool) {
	sc := getScratch()
	for {
		lo := int(g.next.Add(int64(g.chunk))) - g.chunk
		if lo >= g.n {
			break
		}
		g.fn(lo, min(lo+g.chunk, g.n), sc)
	}
	putScratch(sc)
	if spawned {
		g.wg.Done()
	}
}
