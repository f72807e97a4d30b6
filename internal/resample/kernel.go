package resample

import "math"

const (
	// lobes is the a parameter of the Lanczos kernel.
	lobes = 3

	// weightBits is the number of fractional bits of a filter weight.
	weightBits = 14
	weightOne  = 1 << weightBits

	// fracBits is the number of fractional bits of the samples that pass
	// between the stages: box averages, premultiplied samples and the
	// intermediate image.
	fracBits = 8

	// minLanczosFactor is the smallest shrink factor left to the Lanczos
	// stage after a box pre-shrink: the box factor along an axis is the
	// largest integer k with s/k ≥ minLanczosFactor, so there is no box
	// below a factor of 2*minLanczosFactor. Measured against the exact
	// filter on the photographs of the test corpus at factors of 10 to 30,
	// a minimum of 3 costs 4 to 7 dB of PSNR, which falls well behind
	// filters that merely round their intermediate image to 8 bits; with 6
	// the result is as close to the exact filter as theirs, or closer.
	minLanczosFactor = 6

	// maxBox bounds the box factor so that block sums fit in 32 bits.
	maxBox = 64
)

// lanczos returns the Lanczos3 kernel at t.
func lanczos(t float64) float64 {
	t = math.Abs(t)
	switch {
	case t >= lobes:
		return 0
	case t < 1e-12:
		return 1
	}
	pt := math.Pi * t
	return lobes * math.Sin(pt) * math.Sin(pt/lobes) / (pt * pt)
}

// boxFactor returns the box pre-shrink factor for an axis that shrinks n
// source samples by the factor s (source samples per output sample).
func boxFactor(s float64, n int) int {
	k := int(s / minLanczosFactor)
	return max(1, min(k, maxBox, n))
}

// table holds the filter weights of one axis. The source of the filter is the
// stage-0 image: the source plane itself when box is 1, otherwise the means of
// box consecutive samples (the last block may be shorter).
type table struct {
	box    int     // box pre-shrink factor, 1 for none
	lo, hi int     // stage-0 samples read by any output: [lo, hi)
	start  []int32 // per output: first stage-0 sample, relative to lo
	off    []int32 // per output j: weights w[off[j]:off[j+1]]
	w      []int32 // weights, weightBits fractional bits, summing to weightOne per output

	// window is the number of consecutive stage-0 samples that outputs
	// taken in order need at once: when output j is computed, every sample
	// an earlier output read after its first is within window samples of
	// the first sample j reads.
	window int

	// packable reports whether the weighted sums of samples up to
	// maxSample stay within ±2^31, so that rows can be filtered packed.
	packable bool
}

// maxSample is the largest stage-0 sample: 255 with fracBits fractional bits.
const maxSample = 255 << fracBits

// taps returns the total number of weights, a measure of the work of a pass.
func (t *table) taps() int { return len(t.w) }

// newTable computes the weights for out output samples along an axis of n
// source samples, where the continuous source coordinate of output coordinate
// v is a + b*v (pixel i covering [i, i+1)), with a box pre-shrink of factor
// box.
func newTable(n, out int, a, b float64, box int) table {
	scale := max(b, 1)
	support := lobes * scale
	perOut := int(2*support)/box + 3
	mem := make([]int32, 2*out+1+out*perOut) // one allocation for all
	t := table{box: box, start: mem[:out:out], off: mem[out : 2*out+1 : 2*out+1], w: mem[2*out+1 : 2*out+1]}
	var buf [64]float64
	fw := buf[:]
	if perOut > len(buf) {
		fw = make([]float64, perOut)
	}
	nb := (n + box - 1) / box
	t.lo, t.hi = nb, 0
	var maxAbs int64 // largest sum of absolute weights of an output
	for j := range out {
		c := a + b*(float64(j)+0.5) - 0.5 // source sample index at the centre
		x0 := max(int(math.Ceil(c-support)), 0)
		x1 := min(int(math.Floor(c+support)), n-1)
		if x0 > x1 { // the window misses the plane: take the nearest sample
			x0 = min(max(int(math.Round(c)), 0), n-1)
			x1 = x0
		}
		l0, l1 := x0/box, x1/box
		ws := fw[:l1-l0+1]
		clear(ws)
		sum := 0.0
		for x := x0; x <= x1; x++ {
			v := lanczos((float64(x) - c) / scale)
			ws[x/box-l0] += v
			sum += v
		}
		if math.Abs(sum) < 1e-9 { // only zero-crossings in reach
			l0 = min(max(int(math.Round(c)), 0), n-1) / box
			ws = fw[:1]
			ws[0], sum = 1, 1
		}
		// Quantise, giving the rounding residue to the largest weight so that
		// the weights sum to exactly weightOne.
		base := len(t.w)
		total, big := 0, base
		for _, v := range ws {
			wi := int32(math.Round(v / sum * weightOne))
			t.w = append(t.w, wi)
			total += int(wi)
			if abs32(wi) > abs32(t.w[big]) {
				big = len(t.w) - 1
			}
		}
		t.w[big] += int32(weightOne - total)
		// Trim zero weights at both ends.
		first, last := base, len(t.w)
		for first < last-1 && t.w[first] == 0 {
			first++
		}
		for last > first+1 && t.w[last-1] == 0 {
			last--
		}
		n := copy(t.w[base:], t.w[first:last])
		t.w = t.w[:base+n]
		q := t.w[base:]
		l0 += first - base
		t.start[j] = int32(l0)
		t.off[j+1] = int32(len(t.w))
		t.lo = min(t.lo, l0)
		t.hi = max(t.hi, l0+len(q))
		var abs int64
		for _, v := range q {
			abs += int64(abs32(v))
		}
		maxAbs = max(maxAbs, abs)
	}
	t.packable = maxAbs*maxSample < 1<<31
	end := 0
	for j := range t.start {
		t.start[j] -= int32(t.lo)
		end = max(end, int(t.start[j])+int(t.off[j+1]-t.off[j]))
		t.window = max(t.window, end-int(t.start[j]))
	}
	return t
}

func abs32(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}
