package quantize

import (
	"image"
	"image/color"
)

// colorSet collects up to limit distinct 32-bit colours in order of first
// appearance, with an open-addressing hash table.
type colorSet struct {
	keys  []uint32
	slots []int32 // 1 + index into keys, or 0 when empty
	mask  uint32
	limit int
}

func (s *colorSet) reset(limit int) {
	s.limit = limit
	s.keys = s.keys[:0]
	n := 16
	for n < 4*limit {
		n <<= 1
	}
	if len(s.slots) != n {
		s.slots = make([]int32, n)
	} else {
		clear(s.slots)
	}
	s.mask = uint32(n - 1)
}

// add returns the index of k, adding it when new; false when k is new and
// the set is full.
func (s *colorSet) add(k uint32) (int, bool) {
	h := (k * 0x9e3779b1) >> 7 & s.mask
	for {
		j := s.slots[h]
		if j == 0 {
			break
		}
		if s.keys[j-1] == k {
			return int(j - 1), true
		}
		h = (h + 1) & s.mask
	}
	if len(s.keys) >= s.limit {
		return 0, false
	}
	s.keys = append(s.keys, k)
	s.slots[h] = int32(len(s.keys))
	return len(s.keys) - 1, true
}

// Exact returns img as a paletted image with exactly its colours, alpha
// included, when it has at most limit distinct colours (limit is clamped to
// 1…256); otherwise nil and false. The palette holds color.NRGBA values:
// first the colours that are not fully opaque, then the opaque ones, each
// group in order of first appearance (so that a PNG tRNS chunk can stop
// after the last translucent entry). Pixels that differ only in the colour
// of full transparency are different colours here. The result has img's
// bounds and does not share its memory.
func Exact(img *image.NRGBA, limit int) (*image.Paletted, bool) {
	limit = min(max(limit, 1), 256)
	var set colorSet
	set.reset(limit)
	w, h := img.Rect.Dx(), img.Rect.Dy()
	pix := make([]uint8, w*h)
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		out := pix[y*w : y*w+w]
		last, li := uint32(0), -1
		for x := range out {
			p := row[4*x : 4*x+4 : 4*x+4]
			k := uint32(p[0])<<24 | uint32(p[1])<<16 | uint32(p[2])<<8 | uint32(p[3])
			if li < 0 || k != last {
				i, ok := set.add(k)
				if !ok {
					return nil, false
				}
				last, li = k, i
			}
			out[x] = uint8(li)
		}
	}
	// Translucent colours first.
	var remap [256]uint8
	pal := make(color.Palette, 0, len(set.keys))
	for pass := 0; pass < 2; pass++ {
		for i, k := range set.keys {
			if (uint8(k) == 0xff) == (pass == 1) {
				remap[i] = uint8(len(pal))
				pal = append(pal, color.NRGBA{uint8(k >> 24), uint8(k >> 16), uint8(k >> 8), uint8(k)})
			}
		}
	}
	for i, v := range pix {
		pix[i] = remap[v]
	}
	return &image.Paletted{Pix: pix, Stride: w, Rect: img.Rect, Palette: pal}, true
}
