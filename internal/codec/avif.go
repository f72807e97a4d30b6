package codec

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"math"
	"slices"

	"github.com/gen2brain/avif"
)

// decodeAVIF decodes the primary image of an AVIF file with libavif
// (github.com/gen2brain/avif), without its own orientation handling:
// Decode applies the irot and imir properties that probeHEIF read, once.
// Its 8-bit output is premultiplied RGBA and its 10- and 12-bit output
// premultiplied 16-bit RGBA; both become *image.NRGBA.
//
// A file with several ipma boxes of the same version and flags, which
// libavif refuses, is repaired first by merging them (see mergeIpma).
func decodeAVIF(b []byte, _ *probed) (image.Image, error) {
	b, _ = mergeIpma(b)
	img, err := avif.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, decodeErr(AVIF, err)
	}
	return normalize(img), nil
}

// ilocBox is the parsed item location box of an ISO-BMFF file.
type ilocBox struct {
	version                             byte
	offSize, lenSize, baseSize, idxSize int
	items                               []ilocItem
}

// ilocItem is where one item's data lies.
type ilocItem struct {
	id      uint32
	method  int    // construction method: 0 file offsets, 1 idat, 2 item
	dataRef uint16 // data reference index; 0 is this file
	base    uint64
	basePos int // offset of the base_offset field in the payload, -1 if absent
	extents []ilocExtent
}

// ilocExtent is one piece of an item's data.
type ilocExtent struct {
	off, length uint64
	offPos      int // offset of the extent_offset field in the payload, -1 if absent
}

// errIloc reports a malformed iloc box.
var errIloc = errors.New("malformed iloc box")

// parseIloc reads an iloc payload (starting with version and flags). It
// never reads outside d and bounds the items and extents by what d can
// hold.
func parseIloc(d []byte) (*ilocBox, error) {
	if len(d) < 8 {
		return nil, errIloc
	}
	l := &ilocBox{version: d[0]}
	if l.version > 2 {
		return nil, fmt.Errorf("%w: version %d", errIloc, l.version)
	}
	l.offSize, l.lenSize = int(d[4]>>4), int(d[4]&15)
	l.baseSize = int(d[5] >> 4)
	if l.version > 0 {
		l.idxSize = int(d[5] & 15)
	}
	for _, s := range []int{l.offSize, l.lenSize, l.baseSize, l.idxSize} {
		if s != 0 && s != 4 && s != 8 {
			return nil, fmt.Errorf("%w: field size %d", errIloc, s)
		}
	}
	pos := 6
	read := func(size int) (uint64, bool) {
		if pos+size > len(d) {
			return 0, false
		}
		var v uint64
		switch size {
		case 2:
			v = uint64(binary.BigEndian.Uint16(d[pos:]))
		case 4:
			v = uint64(binary.BigEndian.Uint32(d[pos:]))
		case 8:
			v = binary.BigEndian.Uint64(d[pos:])
		}
		pos += size
		return v, true
	}
	idSize := 2
	if l.version == 2 {
		idSize = 4
	}
	count, ok := read(idSize)
	if !ok {
		return nil, errIloc
	}
	for i := uint64(0); i < count && i < maxBoxes; i++ {
		var it ilocItem
		v, ok := read(idSize)
		if !ok {
			return nil, errIloc
		}
		it.id = uint32(v)
		if l.version > 0 {
			if v, ok = read(2); !ok {
				return nil, errIloc
			}
			it.method = int(v & 15)
		}
		if v, ok = read(2); !ok {
			return nil, errIloc
		}
		it.dataRef = uint16(v)
		it.basePos = -1
		if l.baseSize > 0 {
			it.basePos = pos
		}
		if it.base, ok = read(l.baseSize); !ok {
			return nil, errIloc
		}
		n, ok := read(2)
		if !ok {
			return nil, errIloc
		}
		// Every extent takes its fields' bytes, which bounds n by what is
		// left; extents of no bytes at all are not believed beyond one.
		per := uint64(l.idxSize + l.offSize + l.lenSize)
		if per == 0 && n > 1 || per > 0 && n > uint64(len(d)-pos)/per {
			return nil, fmt.Errorf("%w: %d extents", errIloc, n)
		}
		for e := uint64(0); e < n; e++ {
			var x ilocExtent
			if _, ok = read(l.idxSize); !ok {
				return nil, errIloc
			}
			x.offPos = -1
			if l.offSize > 0 {
				x.offPos = pos
			}
			if x.off, ok = read(l.offSize); !ok {
				return nil, errIloc
			}
			if x.length, ok = read(l.lenSize); !ok {
				return nil, errIloc
			}
			it.extents = append(it.extents, x)
		}
		l.items = append(l.items, it)
	}
	return l, nil
}

// itemDataEnd returns the smallest file size that holds the data, at file
// offsets, of every item the iloc box among the meta children mb locates;
// math.MaxInt64 when there is no iloc box or it is malformed, since such a
// file cannot be decoded at all.
func itemDataEnd(mb []box) int64 {
	d, ok := child(mb, "iloc")
	if !ok {
		return math.MaxInt64
	}
	l, err := parseIloc(d)
	if err != nil {
		return math.MaxInt64
	}
	var end uint64
	for _, it := range l.items {
		if it.method != 0 || it.dataRef != 0 {
			continue
		}
		for _, x := range it.extents {
			s := it.base + x.off
			e := s + x.length
			if s < it.base || e < s || e > math.MaxInt64 {
				return math.MaxInt64
			}
			end = max(end, e)
		}
	}
	return int64(end)
}

// isoBox is one ISO-BMFF box of a buffer: its type and where its header,
// payload and end lie in the buffer.
type isoBox struct {
	typ              string
	start, body, end int
}

// errBoxes reports an ISO-BMFF structure rebuildIprp cannot rewrite.
var errBoxes = errors.New("avif: unexpected box structure")

// splitBoxes splits b[from:to] into boxes, strictly: every byte must
// belong to a well-formed box.
func splitBoxes(b []byte, from, to int) ([]isoBox, error) {
	var out []isoBox
	for i := from; i < to; {
		if to-i < 8 || len(out) >= maxBoxes {
			return nil, errBoxes
		}
		size, hdr := uint64(binary.BigEndian.Uint32(b[i:])), 8
		switch size {
		case 0:
			size = uint64(to - i)
		case 1:
			if to-i < 16 {
				return nil, errBoxes
			}
			size, hdr = binary.BigEndian.Uint64(b[i+8:]), 16
		}
		if size < uint64(hdr) || size > uint64(to-i) {
			return nil, errBoxes
		}
		out = append(out, isoBox{string(b[i+4 : i+8]), i, i + hdr, i + int(size)})
		i += int(size)
	}
	return out, nil
}

// find returns the first box of type typ in bs.
func find(bs []isoBox, typ string) (isoBox, bool) {
	for _, x := range bs {
		if x.typ == typ {
			return x, true
		}
	}
	return isoBox{}, false
}

// appendBox appends a box of type typ around the payload parts.
func appendBox(dst []byte, typ string, parts ...[]byte) []byte {
	n := 8
	for _, p := range parts {
		n += len(p)
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(n))
	dst = append(dst, typ...)
	for _, p := range parts {
		dst = append(dst, p...)
	}
	return dst
}

// transformative reports whether an item property of type typ transforms
// the image; ISO/IEC 23008-12 has descriptive properties precede them.
func transformative(typ string) bool {
	switch typ {
	case "irot", "imir", "clap", "iscl":
		return true
	}
	return false
}

// rebuildIprp returns src with the payload of the iprp box of its meta
// box replaced by what fn returns; fn gets the primary item and the boxes
// of iprp (positions in src). It rebuilds the sizes of iprp and meta, and
// moves by as many bytes as meta grew or shrank every iloc offset that
// points past the old end of meta (the media data; data before meta stays
// where it was). It refuses, with an error wrapping errBoxes, any structure
// it cannot rewrite safely.
func rebuildIprp(src []byte, fn func(primary uint32, ib []isoBox) ([]byte, error)) ([]byte, error) {
	top, err := splitBoxes(src, 0, len(src))
	if err != nil {
		return nil, err
	}
	meta, ok := find(top, "meta")
	if !ok || meta.end-meta.body < 4 {
		return nil, fmt.Errorf("%w: no meta box", errBoxes)
	}
	mb, err := splitBoxes(src, meta.body+4, meta.end)
	if err != nil {
		return nil, err
	}
	pb, ok := find(mb, "pitm")
	if !ok {
		return nil, fmt.Errorf("%w: no pitm box", errBoxes)
	}
	primary, ok := pitm([]box{{"pitm", src[pb.body:pb.end]}})
	if !ok {
		return nil, fmt.Errorf("%w: bad pitm box", errBoxes)
	}
	iprp, ok := find(mb, "iprp")
	if !ok {
		return nil, fmt.Errorf("%w: no iprp box", errBoxes)
	}
	ib, err := splitBoxes(src, iprp.body, iprp.end)
	if err != nil {
		return nil, err
	}
	newIprp, err := fn(primary, ib)
	if err != nil {
		return nil, err
	}
	// meta: its header with version and flags, then its children with
	// iprp replaced.
	newMeta := appendBox(nil, "meta", src[meta.body:meta.body+4])
	ilocFrom, ilocTo := -1, -1 // the first iloc payload within newMeta
	for _, x := range mb {
		if x.typ == "iprp" {
			newMeta = appendBox(newMeta, "iprp", newIprp)
			continue
		}
		if x.typ == "iloc" && ilocFrom < 0 {
			ilocFrom = len(newMeta) + (x.body - x.start)
			ilocTo = len(newMeta) + (x.end - x.start)
		}
		newMeta = append(newMeta, src[x.start:x.end]...)
	}
	if uint64(len(newMeta)) > math.MaxUint32 {
		return nil, fmt.Errorf("%w: meta box of %d bytes", errBoxes, len(newMeta))
	}
	binary.BigEndian.PutUint32(newMeta, uint32(len(newMeta)))
	delta := int64(len(newMeta)) - int64(meta.end-meta.start)
	if ilocFrom >= 0 {
		if err := shiftIloc(newMeta[ilocFrom:ilocTo], uint64(meta.start), uint64(meta.end), delta); err != nil {
			return nil, err
		}
	}
	out := make([]byte, 0, len(src)+len(newMeta))
	out = append(out, src[:meta.start]...)
	out = append(out, newMeta...)
	return append(out, src[meta.end:]...), nil
}

// ipmaHolds reports whether any ipma box among ib has an entry for item.
func ipmaHolds(src []byte, ib []isoBox, item uint32) bool {
	for _, x := range ib {
		if x.typ != "ipma" {
			continue
		}
		if p, err := parseIpma(src[x.body:x.end]); err == nil && p.has(item) {
			return true
		}
	}
	return false
}

// shiftIloc adds delta to every file offset in the iloc payload d that
// points at or past end, the old end of meta; an offset into meta itself
// (past start) is refused.
func shiftIloc(d []byte, start, end uint64, delta int64) error {
	l, err := parseIloc(d)
	if err != nil {
		return err
	}
	put := func(pos, size int, v uint64) error {
		moved := v + uint64(delta)
		if delta < 0 && moved > v || delta > 0 && moved < v {
			return fmt.Errorf("%w: iloc offset %d cannot move by %d", errBoxes, v, delta)
		}
		switch size {
		case 4:
			if moved > math.MaxUint32 {
				return fmt.Errorf("%w: iloc offset %d overflows 32 bits", errBoxes, moved)
			}
			binary.BigEndian.PutUint32(d[pos:], uint32(moved))
		case 8:
			binary.BigEndian.PutUint64(d[pos:], moved)
		default:
			return fmt.Errorf("%w: iloc offset has no field to move", errBoxes)
		}
		return nil
	}
	for _, it := range l.items {
		if it.method != 0 || it.dataRef != 0 || len(it.extents) == 0 {
			continue
		}
		for _, x := range it.extents {
			if a := it.base + x.off; a > start && a < end {
				return fmt.Errorf("%w: item %d data lies inside meta", errBoxes, it.id)
			}
		}
		if it.basePos >= 0 && it.base >= end {
			// Every extent is relative to the base: move the base.
			if err := put(it.basePos, l.baseSize, it.base); err != nil {
				return err
			}
			continue
		}
		for _, x := range it.extents {
			if it.base+x.off >= end {
				if x.offPos < 0 {
					return fmt.Errorf("%w: iloc offset has no field to move", errBoxes)
				}
				if err := put(x.offPos, l.offSize, x.off); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// mergeIpma returns src with the ipma boxes that share a version and
// flags merged into one, and true; or src and false when there are no such
// boxes or they cannot be merged (an item in two of them). libavif refuses
// such files outright ("Multiple Box[ipma] with a given pair of values of
// version and flags", ISO/IEC 23008-12 9.3.1), while older writers made
// them and other decoders read them.
func mergeIpma(src []byte) ([]byte, bool) {
	if !duplicateIpma(src) {
		return src, false
	}
	out, err := rebuildIprp(src, func(_ uint32, ib []isoBox) ([]byte, error) {
		var out []byte
		merged := map[[4]byte]*ipmaBox{}
		var order [][4]byte
		for _, x := range ib {
			if x.typ != "ipma" {
				out = append(out, src[x.start:x.end]...)
				continue
			}
			p, err := parseIpma(src[x.body:x.end])
			if err != nil {
				return nil, err
			}
			key := [4]byte{p.version, p.flags[0], p.flags[1], p.flags[2]}
			m, ok := merged[key]
			if !ok {
				merged[key] = p
				order = append(order, key)
				continue
			}
			for _, e := range p.entries {
				if m.has(e.item) {
					return nil, fmt.Errorf("%w: item %d in two ipma boxes", errBoxes, e.item)
				}
				i := 0
				for i < len(m.entries) && m.entries[i].item < e.item {
					i++
				}
				m.entries = slices.Insert(m.entries, i, e)
			}
		}
		for _, k := range order {
			out = appendBox(out, "ipma", merged[k].bytes())
		}
		return out, nil
	})
	if err != nil {
		return src, false
	}
	return out, true
}

// duplicateIpma reports whether the iprp box of the AVIF file b holds two
// ipma boxes with the same version and flags.
func duplicateIpma(b []byte) bool {
	meta, ok := child(boxes(b), "meta")
	if !ok || len(meta) < 4 {
		return false
	}
	iprp, ok := child(boxes(meta[4:]), "iprp")
	if !ok {
		return false
	}
	seen := map[[4]byte]bool{}
	for _, x := range boxes(iprp) {
		if x.typ != "ipma" || len(x.payload) < 4 {
			continue
		}
		k := [4]byte(x.payload[:4])
		if seen[k] {
			return true
		}
		seen[k] = true
	}
	return false
}

// ipmaBox is a parsed item property association box.
type ipmaBox struct {
	version byte
	flags   [3]byte
	entries []ipmaEntry
}

// ipmaEntry is the property associations of one item: each is the 1-based
// property index, with bit 15 set when essential.
type ipmaEntry struct {
	item  uint32
	assoc []uint16
}

// parseIpma reads an ipma payload, strictly.
func parseIpma(d []byte) (*ipmaBox, error) {
	if len(d) < 8 {
		return nil, fmt.Errorf("%w: short ipma", errBoxes)
	}
	p := &ipmaBox{version: d[0], flags: [3]byte{d[1], d[2], d[3]}}
	wide := d[3]&1 != 0
	count := binary.BigEndian.Uint32(d[4:8])
	d = d[8:]
	for e := uint32(0); e < count; e++ {
		var en ipmaEntry
		if p.version < 1 {
			if len(d) < 3 {
				return nil, fmt.Errorf("%w: short ipma", errBoxes)
			}
			en.item, d = uint32(binary.BigEndian.Uint16(d)), d[2:]
		} else {
			if len(d) < 5 {
				return nil, fmt.Errorf("%w: short ipma", errBoxes)
			}
			en.item, d = binary.BigEndian.Uint32(d), d[4:]
		}
		n := int(d[0])
		d = d[1:]
		for range n {
			switch {
			case wide && len(d) >= 2:
				en.assoc, d = append(en.assoc, binary.BigEndian.Uint16(d)), d[2:]
			case !wide && len(d) >= 1:
				v := uint16(d[0]&0x7f) | uint16(d[0]&0x80)<<8
				en.assoc, d = append(en.assoc, v), d[1:]
			default:
				return nil, fmt.Errorf("%w: short ipma", errBoxes)
			}
		}
		p.entries = append(p.entries, en)
	}
	if len(d) != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the ipma entries", errBoxes, len(d))
	}
	return p, nil
}

// has reports whether p has an entry for item.
func (p *ipmaBox) has(item uint32) bool {
	for _, e := range p.entries {
		if e.item == item {
			return true
		}
	}
	return false
}

// add associates property index (non-essential) with item, placing it
// before the first transformative property of the item (types holds the
// type of each property, by index less one) and creating the item's entry,
// in item order, if it has none.
func (p *ipmaBox) add(item uint32, index int, types []string) error {
	if index > 0x7fff {
		return fmt.Errorf("%w: %d properties", errBoxes, index)
	}
	if p.version < 1 && item > 0xffff {
		return fmt.Errorf("%w: item %d in a version 0 ipma", errBoxes, item)
	}
	i := 0
	for i < len(p.entries) && p.entries[i].item < item {
		i++
	}
	if i == len(p.entries) || p.entries[i].item != item {
		p.entries = append(p.entries, ipmaEntry{})
		copy(p.entries[i+1:], p.entries[i:])
		p.entries[i] = ipmaEntry{item: item}
	}
	e := &p.entries[i]
	if len(e.assoc) >= 255 {
		return fmt.Errorf("%w: item %d has 255 properties", errBoxes, item)
	}
	at := len(e.assoc)
	for j, a := range e.assoc {
		if k := int(a & 0x7fff); k >= 1 && k <= len(types) && transformative(types[k-1]) {
			at = j
			break
		}
	}
	e.assoc = append(e.assoc, 0)
	copy(e.assoc[at+1:], e.assoc[at:])
	e.assoc[at] = uint16(index)
	if index > 0x7f {
		p.flags[2] |= 1
	}
	return nil
}

// bytes returns the ipma payload.
func (p *ipmaBox) bytes() []byte {
	wide := p.flags[2]&1 != 0
	out := []byte{p.version, p.flags[0], p.flags[1], p.flags[2]}
	out = binary.BigEndian.AppendUint32(out, uint32(len(p.entries)))
	for _, e := range p.entries {
		if p.version < 1 {
			out = binary.BigEndian.AppendUint16(out, uint16(e.item))
		} else {
			out = binary.BigEndian.AppendUint32(out, e.item)
		}
		out = append(out, byte(len(e.assoc)))
		for _, a := range e.assoc {
			if wide {
				out = binary.BigEndian.AppendUint16(out, a)
			} else {
				out = append(out, byte(a&0x7f)|byte(a>>8&0x80))
			}
		}
	}
	return out
}
