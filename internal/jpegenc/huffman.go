package jpegenc

// huffCode is the encoder's view of a Huffman table: for each symbol, its
// code in the high bits and the code length in the low 8 bits. A zero entry
// means the symbol has no code.
type huffCode [256]uint32

// build fills c with the canonical codes of s (T.81 Annex C).
func (c *huffCode) build(s *huffSpec) {
	*c = huffCode{}
	code, k := uint32(0), 0
	for n, count := range s.counts {
		for range count {
			c[s.values[k]] = code<<8 | uint32(n+1)
			code++
			k++
		}
		code <<= 1
	}
}

// freqTable counts how often each symbol of one Huffman table is used in a
// scan. Index 256 is the reserved symbol of Annex K.2 that keeps any real code
// from being all 1 bits.
type freqTable [257]int64

// maxDepth bounds the code lengths the pairing in optimal can produce before
// they are limited to 16 bits: one symbol deeper per merge.
const maxDepth = 257

// optimal fills s with a Huffman table for the symbol counts f whose codes are
// at most 16 bits long, following the procedure of T.81 Annex K.2: repeated
// pairing of the two least frequent entries (Figure K.1), counting codes by
// length (K.2), moving codes longer than 16 bits up the tree (K.3), and
// sorting the symbols by code length (K.4, and by count among symbols of one
// length). Symbols with a zero count get no code. f is not modified.
func optimal(s *huffSpec, f *freqTable) {
	var (
		freq   [257]int64
		size   [257]int
		next   [257]int16 // the next symbol in the same subtree, or -1
		active [257]int16 // symbols still taking part in the pairing
	)
	n := 0
	for v := range freq {
		next[v] = -1
		freq[v] = f[v]
		if v == 256 {
			freq[v] = 1
		}
		if freq[v] > 0 {
			active[n] = int16(v)
			n++
		}
	}
	for n > 1 {
		// Find the two least frequent entries; on a tie prefer the larger
		// symbol, as Figure K.1 does.
		a, b := -1, -1 // indices into active: a least, b second least
		for i := range n {
			fi := freq[active[i]]
			switch {
			case a < 0 || fi < freq[active[a]] || fi == freq[active[a]] && active[i] > active[a]:
				b = a
				a = i
			case b < 0 || fi < freq[active[b]] || fi == freq[active[b]] && active[i] > active[b]:
				b = i
			}
		}
		v1, v2 := active[a], active[b]
		freq[v1] += freq[v2]
		freq[v2] = 0
		// Every symbol in both subtrees moves one level deeper; the second
		// subtree's chain is appended to the first's.
		for v := v1; ; v = next[v] {
			size[v]++
			if next[v] < 0 {
				next[v] = v2
				break
			}
		}
		for v := v2; v >= 0; v = next[v] {
			size[v]++
		}
		n--
		active[b] = active[n]
	}

	var count [maxDepth + 1]int
	for _, l := range size {
		if l > 0 {
			count[l]++
		}
	}
	// Limit the code length to 16 (Figure K.3): a pair of codes at the
	// longest length i is replaced by one code of length i-1 and a shorter
	// code j is split into two codes of length j+1.
	for i := maxDepth; i > 16; i-- {
		for count[i] > 0 {
			j := i - 2
			for count[j] == 0 {
				j--
			}
			count[i] -= 2
			count[i-1]++
			count[j+1] += 2
			count[j]--
		}
	}
	// Drop the reserved symbol, which has one of the longest codes.
	for i := 16; i > 0; i-- {
		if count[i] > 0 {
			count[i]--
			break
		}
	}
	s.values = s.values[:0]
	for i := range 16 {
		s.counts[i] = uint8(count[i+1])
	}
	// Figure K.4: symbols in order of code length, then of value. The
	// lengths after limiting are assigned in that order, so limiting may
	// give symbols of one length different lengths; put the more frequent
	// ones of a length first so that they keep the shorter codes.
	for l := 1; l <= maxDepth; l++ {
		first := len(s.values)
		for v := range 256 {
			if size[v] != l {
				continue
			}
			s.values = append(s.values, uint8(v))
			for i := len(s.values) - 1; i > first && f[s.values[i-1]] < f[v]; i-- {
				s.values[i], s.values[i-1] = s.values[i-1], s.values[i]
			}
		}
	}
}
