package jpegenc

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestFDCT compares fdct, with its scale factors removed, with the DCT
// formula of T.81 A.3.3.
func TestFDCT(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 100 {
		var in [64]float64
		var b [64]float32
		for i := range in {
			switch n % 3 {
			case 0: // noise
				in[i] = float64(rng.IntN(256) - 128)
			case 1: // extremes
				in[i] = float64(rng.IntN(2)*255 - 128)
			default: // smooth
				in[i] = float64(i%8*9 + i/8*7 - 60)
			}
			b[i] = float32(in[i])
		}
		fdct(&b)
		for v := range 8 {
			for u := range 8 {
				var sum float64
				for y := range 8 {
					for x := range 8 {
						sum += in[y*8+x] * math.Cos(float64(2*x+1)*float64(u)*math.Pi/16) *
							math.Cos(float64(2*y+1)*float64(v)*math.Pi/16)
					}
				}
				want := sum / 4 * dctC(u) * dctC(v)
				got := float64(b[v*8+u]) / (8 * aanScale(u) * aanScale(v))
				if math.Abs(got-want) > 1e-3 {
					t.Fatalf("block %d: F(%d,%d) = %.5f, want %.5f", n, u, v, got, want)
				}
			}
		}
	}
}

func dctC(k int) float64 {
	if k == 0 {
		return 1 / math.Sqrt2
	}
	return 1
}

// TestZigzag checks the zig-zag table against a walk along the
// anti-diagonals.
func TestZigzag(t *testing.T) {
	var want []uint8
	for d := range 15 {
		for i := range d + 1 {
			r, c := i, d-i // down the anti-diagonal
			if d%2 == 0 {
				r, c = d-i, i // up it
			}
			if r < 8 && c < 8 {
				want = append(want, uint8(r*8+c))
			}
		}
	}
	if !slices.Equal(zigzag[:], want) {
		t.Errorf("zigzag = %v, want %v", zigzag, want)
	}
}

// TestStandardTables checks that the Annex K tables code exactly the
// symbols baseline coding uses.
func TestStandardTables(t *testing.T) {
	var ac []uint8
	for r := range 16 {
		for s := 1; s <= 10; s++ {
			ac = append(ac, uint8(r<<4|s))
		}
	}
	ac = append(ac, 0x00, 0xf0)
	slices.Sort(ac)
	dc := []uint8{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	tests := map[string]struct {
		spec *huffSpec
		want []uint8
	}{
		"DC luma":   {&stdDCLuma, dc},
		"DC chroma": {&stdDCChroma, dc},
		"AC luma":   {&stdACLuma, ac},
		"AC chroma": {&stdACChroma, ac},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			checkSpec(t, tc.spec)
			got := slices.Sorted(slices.Values(tc.spec.values))
			if !slices.Equal(got, tc.want) {
				t.Errorf("symbols %v, want %v", got, tc.want)
			}
		})
	}
}

// checkSpec checks that s is a complete description of a prefix code with
// no all-ones code word.
func checkSpec(t *testing.T, s *huffSpec) {
	t.Helper()
	n, kraft := 0, 0.0
	for i, c := range s.counts {
		n += int(c)
		kraft += float64(c) / float64(uint(1)<<(i+1))
	}
	if n != len(s.values) {
		t.Errorf("counts add up to %d, %d values", n, len(s.values))
	}
	if kraft >= 1 {
		t.Errorf("Kraft sum %v, want below 1", kraft)
	}
	var seen [256]bool
	for _, v := range s.values {
		if seen[v] {
			t.Errorf("symbol %#x twice", v)
		}
		seen[v] = true
	}
}

// TestOptimal checks optimal on distributions that need no length limit,
// that need it, and degenerate ones.
func TestOptimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	tests := map[string]func(f *freqTable){
		"one symbol":  func(f *freqTable) { f[7] = 100 },
		"two symbols": func(f *freqTable) { f[0], f[255] = 1, 1e9 },
		"all equal": func(f *freqTable) {
			for i := range 256 {
				f[i] = 5
			}
		},
		"random": func(f *freqTable) {
			for i := range 256 {
				if rng.IntN(3) > 0 {
					f[i] = int64(rng.IntN(100000))
				}
			}
		},
		"geometric": func(f *freqTable) {
			for i := range 40 {
				f[i*3] = 1 << (40 - i)
			}
		},
		"fibonacci": func(f *freqTable) { // depth 40 before limiting
			a, b := int64(1), int64(1)
			for i := range 40 {
				f[i] = a
				a, b = b, a+b
			}
		},
	}
	for name, fill := range tests {
		t.Run(name, func(t *testing.T) {
			var f freqTable
			fill(&f)
			var s huffSpec
			optimal(&s, &f)
			checkSpec(t, &s)
			var want []uint8
			for v := range 256 {
				if f[v] > 0 {
					want = append(want, uint8(v))
				}
			}
			if got := slices.Sorted(slices.Values(s.values)); !slices.Equal(got, want) {
				t.Fatalf("coded symbols %v, want %v", got, want)
			}
			// A more frequent symbol never has a longer code.
			var c huffCode
			c.build(&s)
			for _, a := range want {
				for _, b := range want {
					if f[a] > f[b] && c[a]&0xff > c[b]&0xff {
						t.Errorf("symbol %#x (count %d) has %d bits, %#x (count %d) %d",
							a, f[a], c[a]&0xff, b, f[b], c[b]&0xff)
					}
				}
			}
		})
	}
}

// TestOptimalMatchesHuffman checks that without length limiting optimal
// costs no more bits than a plain Huffman code of the symbols and the
// reserved one.
func TestOptimalMatchesHuffman(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 20 {
		var f freqTable
		var counts []int64
		for i := range 200 {
			f[i] = int64(1 + rng.IntN(1000))
			counts = append(counts, f[i])
		}
		var s huffSpec
		optimal(&s, &f)
		var c huffCode
		c.build(&s)
		var got int64
		for v := range 256 {
			got += f[v] * int64(c[v]&0xff)
		}
		if want := huffmanCost(append(counts, 1)); got > want {
			t.Errorf("optimal costs %d bits, Huffman %d", got, want)
		}
	}
}

// huffmanCost returns the total code length of a Huffman code for counts.
func huffmanCost(counts []int64) int64 {
	c := slices.Clone(counts)
	var cost int64
	for len(c) > 1 {
		slices.Sort(c)
		m := c[0] + c[1]
		cost += m
		c = append(c[2:], m)
	}
	return cost
}
