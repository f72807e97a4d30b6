package quantize

import (
	"image"
	"image/color"
	"slices"
)

// cacheBits sets the size of a Map's cache of answers: 2^14 entries,
// 80 KB.
const cacheBits = 14

// The colour cube is divided into 16×16×16 cells of 16³ colours for the
// search; each cell gets its list of candidate entries when first visited.
const (
	cellShift = 4
	cellSide  = 256 >> cellShift
	cellCount = cellSide * cellSide * cellSide
)

// Map finds the nearest colour of a palette: the opaque entry (alpha 128
// or more) at the smallest squared Euclidean distance in RGB, ties going
// to the lower index. Entries with alpha below 128 are never chosen by
// distance; the first of them is the transparent entry that [Map.Draw]
// gives transparent pixels. Only the first 256 entries are used.
//
// The search is a locally sorted search (Heckbert): the RGB cube is cut
// into cells, and each cell keeps, sorted by their smallest possible
// distance, the only entries that can be nearest to a colour in it; a
// direct-mapped cache remembers recent answers. The zero Map has an empty
// palette; [Map.Reset] gives it one. A Map must not be used by two
// goroutines at once.
type Map struct {
	ents  []entry // the opaque entries
	trans int
	keys  []uint32 // cache: the colour with bit 24 set, or 0 when empty
	vals  []uint8
	// cell[c] is 1 + the offset in cands of cell c's list (ended by an
	// entry with i == -1), or 0 when not built yet.
	cell  []int32
	cands []cand
	dmin  []int32 // scratch for building a cell
}

type entry struct {
	r, g, b int32
	i       int32
}

// cand is an entry in a cell's list, with its smallest possible squared
// distance to a colour in the cell.
type cand struct {
	entry
	d int32
}

// NewMap returns a Map for the palette p.
func NewMap(p color.Palette) *Map {
	m := new(Map)
	m.Reset(p)
	return m
}

// Reset makes m a Map for the palette p, keeping its memory.
func (m *Map) Reset(p color.Palette) {
	m.ents = m.ents[:0]
	m.trans = -1
	if len(p) > 256 {
		p = p[:256]
	}
	for i, c := range p {
		n := color.NRGBAModel.Convert(c).(color.NRGBA)
		if n.A < 0x80 {
			if m.trans < 0 {
				m.trans = i
			}
			continue
		}
		m.ents = append(m.ents, entry{int32(n.R), int32(n.G), int32(n.B), int32(i)})
	}
	m.clear()
}

// resetOpaque makes m a Map for the opaque colours p, without a
// transparent entry.
func (m *Map) resetOpaque(p []color.NRGBA) {
	m.ents = m.ents[:0]
	m.trans = -1
	for i, n := range p[:min(len(p), 256)] {
		m.ents = append(m.ents, entry{int32(n.R), int32(n.G), int32(n.B), int32(i)})
	}
	m.clear()
}

func (m *Map) clear() {
	if m.keys == nil {
		m.keys = make([]uint32, 1<<cacheBits)
		m.vals = make([]uint8, 1<<cacheBits)
		m.cell = make([]int32, cellCount)
	} else {
		clear(m.keys)
		clear(m.cell)
	}
	m.cands = m.cands[:0]
}

// Transparent returns the index of the transparent entry (the first entry
// with alpha below 128), or -1 when the palette has none.
func (m *Map) Transparent() int { return m.trans }

// Index returns the index of the palette entry nearest to the colour
// (r, g, b). With no opaque entry it returns the transparent entry, or 0.
func (m *Map) Index(r, g, b uint8) uint8 {
	key := uint32(r)<<16 | uint32(g)<<8 | uint32(b) | 1<<24
	h := (key * 0x9e3779b1) >> (32 - cacheBits)
	if m.keys[h] == key {
		return m.vals[h]
	}
	i := m.search(r, g, b)
	m.keys[h], m.vals[h] = key, i
	return i
}

func (m *Map) search(r, g, b uint8) uint8 {
	if len(m.ents) == 0 {
		return uint8(max(m.trans, 0))
	}
	c := int(r>>cellShift)*cellSide*cellSide + int(g>>cellShift)*cellSide + int(b>>cellShift)
	off := m.cell[c]
	if off == 0 {
		off = m.build(c)
	}
	ri, gi, bi := int32(r), int32(g), int32(b)
	best, idx := int32(1<<30), int32(0)
	for _, e := range m.cands[off-1:] {
		if e.i < 0 || e.d > best {
			break
		}
		dr, dg, db := e.r-ri, e.g-gi, e.b-bi
		if d := dr*dr + dg*dg + db*db; d < best || d == best && e.i < idx {
			best, idx = d, e.i
		}
	}
	return uint8(idx)
}

// axisDist returns the smallest and largest distance from v to [lo, hi].
func axisDist(v, lo, hi int32) (near, far int32) {
	switch {
	case v < lo:
		return lo - v, hi - v
	case v > hi:
		return v - hi, v - lo
	}
	return 0, max(v-lo, hi-v)
}

// build makes the candidate list of cell c: the entries whose smallest
// distance to the cell is no more than the smallest largest distance of
// any entry, sorted by that smallest distance. It returns 1 + its offset.
func (m *Map) build(c int) int32 {
	lo := [3]int32{int32(c / (cellSide * cellSide)), int32(c / cellSide % cellSide), int32(c % cellSide)}
	var hi [3]int32
	for k := range lo {
		lo[k] <<= cellShift
		hi[k] = lo[k] + 1<<cellShift - 1
	}
	m.dmin = m.dmin[:0]
	bound := int32(1 << 30)
	for _, e := range m.ents {
		var near, far int32
		for k, v := range [3]int32{e.r, e.g, e.b} {
			n, f := axisDist(v, lo[k], hi[k])
			near += n * n
			far += f * f
		}
		m.dmin = append(m.dmin, near)
		bound = min(bound, far)
	}
	start := len(m.cands)
	for j, e := range m.ents {
		if m.dmin[j] <= bound {
			m.cands = append(m.cands, cand{e, m.dmin[j]})
		}
	}
	list := m.cands[start:]
	slices.SortFunc(list, func(a, b cand) int {
		if a.d != b.d {
			return int(a.d - b.d)
		}
		return int(a.i - b.i)
	})
	m.cands = append(m.cands, cand{entry: entry{i: -1}})
	m.cell[c] = int32(start + 1)
	return int32(start + 1)
}

// Draw maps src onto dst: each pixel whose alpha is below 128 takes the
// transparent entry (when the palette has one; otherwise it is matched by
// its colour like the rest), every other pixel the nearest opaque entry.
// With dither, the error of each pixel is spread over its neighbours
// (Floyd–Steinberg, serpentine rows); transparent pixels neither take nor
// pass on error. Draw covers the pixels that both images have, from their
// top-left corners; dst's palette is left alone.
func (m *Map) Draw(dst *image.Paletted, src *image.NRGBA, dither bool) {
	w := min(dst.Rect.Dx(), src.Rect.Dx())
	h := min(dst.Rect.Dy(), src.Rect.Dy())
	if w <= 0 || h <= 0 {
		return
	}
	if !dither {
		for y := 0; y < h; y++ {
			s := src.Pix[y*src.Stride : y*src.Stride+4*w]
			d := dst.Pix[y*dst.Stride : y*dst.Stride+w]
			last, li := uint32(1<<31), uint8(0)
			for x := range d {
				p := s[4*x : 4*x+4 : 4*x+4]
				if p[3] < 0x80 && m.trans >= 0 {
					d[x] = uint8(m.trans)
					continue
				}
				k := uint32(p[0])<<16 | uint32(p[1])<<8 | uint32(p[2])
				if k != last {
					last, li = k, m.Index(p[0], p[1], p[2])
				}
				d[x] = li
			}
		}
		return
	}
	m.dither(dst, src, w, h)
}

// dither maps with Floyd–Steinberg error diffusion. Errors are kept in
// sixteenths, with one pixel of padding on each side of the row.
func (m *Map) dither(dst *image.Paletted, src *image.NRGBA, w, h int) {
	cur := make([]int32, 3*(w+2))
	nxt := make([]int32, 3*(w+2))
	var pal [256][3]int32
	for _, e := range m.ents {
		pal[e.i] = [3]int32{e.r, e.g, e.b}
	}
	for y := 0; y < h; y++ {
		s := src.Pix[y*src.Stride : y*src.Stride+4*w]
		d := dst.Pix[y*dst.Stride : y*dst.Stride+w]
		x, end, step := 0, w, 1
		if y&1 == 1 {
			x, end, step = w-1, -1, -1
		}
		for ; x != end; x += step {
			p := s[4*x : 4*x+4 : 4*x+4]
			e := cur[3*(x+1) : 3*(x+1)+3 : 3*(x+1)+3]
			if p[3] < 0x80 && m.trans >= 0 {
				d[x] = uint8(m.trans)
				continue
			}
			var v [3]int32
			for c := range v {
				v[c] = min(max(int32(p[c])+(e[c]+8)>>4, 0), 255)
			}
			i := m.Index(uint8(v[0]), uint8(v[1]), uint8(v[2]))
			d[x] = i
			q := pal[i]
			ahead := 3 * (x + 1 + step)
			behind := 3 * (x + 1 - step)
			below := 3 * (x + 1)
			for c := range v {
				err := v[c] - q[c]
				cur[ahead+c] += err * 7
				nxt[behind+c] += err * 3
				nxt[below+c] += err * 5
				nxt[ahead+c] += err
			}
		}
		cur, nxt = nxt, cur
		clear(nxt)
	}
}
