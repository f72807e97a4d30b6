package effect

import (
	"runtime"
	"sync"
)

// minParallelWork is the estimated number of inner-loop operations below
// which splitting work across goroutines costs more than it saves.
const minParallelWork = 1 << 16

// parallel calls fn over [0, n) split into contiguous bands, one per
// GOMAXPROCS, and waits for them all. work is the estimated total number of
// inner-loop operations; small jobs run on the calling goroutine.
func parallel(n, work int, fn func(lo, hi int)) {
	p := runtime.GOMAXPROCS(0)
	if p > n {
		p = n
	}
	if p <= 1 || work < minParallelWork {
		if n > 0 {
			fn(0, n)
		}
		return
	}
	var wg sync.WaitGroup
	for i := range p {
		lo, hi := n*i/p, n*(i+1)/p
		wg.Go(func() { fn(lo, hi) })
	}
	wg.Wait()
}
