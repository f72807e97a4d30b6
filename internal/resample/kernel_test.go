package resample

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestLanczos(t *testing.T) {
	tests := map[float64]float64{0: 1, 1: 0, 2: 0, -1: 0, 3: 0, -3: 0, 3.5: 0, 0.5: 0.6079271, -1.5: -0.1350949, 2.5: 0.0243170}
	for x, want := range tests {
		if got := lanczos(x); math.Abs(got-want) > 1e-6 {
			t.Errorf("lanczos(%v) = %.7f, want %.7f", x, got, want)
		}
	}
}

func TestNewTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		n := 1 + rng.IntN(300)
		out := 1 + rng.IntN(300)
		if i%4 == 0 {
			n = 1 + rng.IntN(5000)
			out = 1 + rng.IntN(50)
		}
		span := 1 + rng.IntN(n)
		off := rng.IntN(n - span + 1)
		sub := []int{1, 2, 4}[rng.IntN(3)]
		a := float64(off) / float64(sub)
		b := float64(span) / float64(out)
		box := boxFactor(b, n)
		t.Run(fmt.Sprintf("n=%d/out=%d/a=%.2f/b=%.3f/box=%d", n, out, a, b, box), func(t *testing.T) {
			tb := newTable(n, out, a, b, box)
			nb := (n + box - 1) / box
			if tb.lo < 0 || tb.hi > nb || tb.lo >= tb.hi {
				t.Fatalf("stage-0 range [%d, %d) not within [0, %d)", tb.lo, tb.hi, nb)
			}
			if len(tb.start) != out || len(tb.off) != out+1 {
				t.Fatalf("%d starts and %d offsets for %d outputs", len(tb.start), len(tb.off), out)
			}
			for j := range out {
				ws := tb.w[tb.off[j]:tb.off[j+1]]
				if len(ws) == 0 {
					t.Fatalf("output %d has no weights", j)
				}
				if s := int(tb.start[j]); s < 0 || s+len(ws) > tb.hi-tb.lo {
					t.Fatalf("output %d reads [%d, %d), outside [0, %d)", j, s, s+len(ws), tb.hi-tb.lo)
				}
				sum := 0
				for _, w := range ws {
					sum += int(w)
				}
				if sum != weightOne {
					t.Fatalf("weights of output %d sum to %d, want %d", j, sum, weightOne)
				}
				if ws[0] == 0 || ws[len(ws)-1] == 0 {
					t.Fatalf("weights of output %d not trimmed: %v", j, ws)
				}
			}
			if !tb.packable {
				t.Errorf("table not packable")
			}
		})
	}
}

func TestBoxFactor(t *testing.T) {
	tests := []struct {
		s    float64
		n    int
		want int
	}{
		{0.5, 100, 1}, {1, 100, 1}, {10, 4000, 1}, {11.9, 4000, 1}, {12, 4000, 2},
		{30, 6000, 5}, {1000, 6000, maxBox}, {1000, 20, 20},
	}
	for _, tt := range tests {
		if got := boxFactor(tt.s, tt.n); got != tt.want {
			t.Errorf("boxFactor(%v, %d) = %d, want %d", tt.s, tt.n, got, tt.want)
		}
	}
}

func TestDividerMean(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, d := range []int{1, 2, 3, 4, 9, 255, 255 * 9, 255 * 64 * 64, 4096, 7 * 13} {
		v := newDivider(d)
		for range 20000 {
			sum := uint32(rng.Int64N(255*int64(d) + 1)) // means are at most 255
			want := (uint64(sum)<<fracBits + uint64(d/2)) / uint64(d)
			if got := v.mean(sum); uint64(got) != want {
				t.Fatalf("mean(%d) with d=%d = %d, want %d", sum, d, got, want)
			}
		}
	}
}
