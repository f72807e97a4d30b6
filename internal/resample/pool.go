package resample

import "sync"

// scratchPool recycles the buffers of workers between calls. The buffers
// carry no state from one call to the next: every element a call reads, it
// has written first.
var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// accLen is the number of columns the vertical filter sums at a time, so that
// its accumulators stay in the first-level cache.
const accLen = 1024

// scratch holds the buffers of one worker. Each accessor returns its buffer
// with at least the given length, growing it when needed.
type scratch struct {
	r32 []int32    // ring of horizontally filtered rows
	r16 []uint16   // ring of stage-0 rows
	l32 [][]int32  // lists of the rows a vertical pass reads: ring rows,
	l16 [][]uint16 // stage-0 ring rows,
	l8  [][]uint8  // or source rows (cleared after use)
	i32 []int32    // output rows before they are finished
	u16 []uint16   // stage-0 rows
	u32 []uint32   // column sums of box blocks
	u64 []uint64   // packed rows
	i64 []int64    // packed sums
	acc []int      // vertical accumulators
}

func getScratch() *scratch   { return scratchPool.Get().(*scratch) }
func putScratch(sc *scratch) { scratchPool.Put(sc) }

func (sc *scratch) int32s(n int) []int32 {
	if cap(sc.i32) < n {
		sc.i32 = make([]int32, n)
	}
	return sc.i32[:n]
}

func (sc *scratch) uint16s(n int) []uint16 {
	if cap(sc.u16) < n {
		sc.u16 = make([]uint16, n)
	}
	return sc.u16[:n]
}

func (sc *scratch) uint32s(n int) []uint32 {
	if cap(sc.u32) < n {
		sc.u32 = make([]uint32, n)
	}
	return sc.u32[:n]
}

func (sc *scratch) ints() []int {
	if sc.acc == nil {
		sc.acc = make([]int, accLen)
	}
	return sc.acc
}

// uint64s returns two buffers of n/2 elements each.
func (sc *scratch) uint64s(n int) (a, b []uint64) {
	if cap(sc.u64) < n {
		sc.u64 = make([]uint64, n)
	}
	return sc.u64[: n/2 : n/2], sc.u64[n/2 : n]
}

func (sc *scratch) int64s(n int) []int64 {
	if cap(sc.i64) < n {
		sc.i64 = make([]int64, n)
	}
	return sc.i64[:n]
}

func (sc *scratch) ring32(n int) []int32 {
	if cap(sc.r32) < n {
		sc.r32 = make([]int32, n)
	}
	return sc.r32[:n]
}

func (sc *scratch) ring16(n int) []uint16 {
	if cap(sc.r16) < n {
		sc.r16 = make([]uint16, n)
	}
	return sc.r16[:n]
}

// rows32, rows16 and rows8 return lists of rows with room for n rows.
func (sc *scratch) rows32(n int) [][]int32 {
	if cap(sc.l32) < n {
		sc.l32 = make([][]int32, n)
	}
	return sc.l32[:n]
}

func (sc *scratch) rows16(n int) [][]uint16 {
	if cap(sc.l16) < n {
		sc.l16 = make([][]uint16, n)
	}
	return sc.l16[:n]
}

func (sc *scratch) rows8(n int) [][]uint8 {
	if cap(sc.l8) < n {
		sc.l8 = make([][]uint8, n)
	}
	return sc.l8[:n]
}
