package avifaom

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// nclx is the colour description written in the colr box: what the samples
// prepared by [prepare] are (H.273 code points).
type nclx struct {
	primaries, transfer, matrix uint16
	fullRange                   bool
}

// colour is a Y'CbCr representation: the matrix [prepare] targets and the
// colour description that declares it.
type colour struct {
	matrix matrix
	nclx   nclx
}

// Limited-range sRGB representations (BT.709 primaries, sRGB transfer);
// go-avif's libaom stream is always limited range. Encode uses bt601Limited;
// bt709Limited, go-avif's own matrix, is kept for the measurements in the
// tests (README.md, "Why BT.601").
var (
	bt601Limited = colour{bt601, nclx{primaries: 1, transfer: 13, matrix: 6}}
	bt709Limited = colour{bt709, nclx{primaries: 1, transfer: 13, matrix: 1}}
)

// errContainer reports go-avif output that remux cannot read.
var errContainer = errors.New("avifaom: unexpected go-avif container")

// av1Stream returns the AV1 payload (the contents of the mdat box) of a file
// written by go-avif, which puts ftyp, meta and then one mdat holding the
// single item.
func av1Stream(file []byte) ([]byte, error) {
	for len(file) >= 8 {
		size := binary.BigEndian.Uint32(file)
		if size < 8 || int64(size) > int64(len(file)) {
			return nil, fmt.Errorf("%w: box %q size %d", errContainer, file[4:8], size)
		}
		if string(file[4:8]) == "mdat" {
			return file[8:size], nil
		}
		file = file[size:]
	}
	return nil, fmt.Errorf("%w: no mdat box", errContainer)
}

// seqHeader holds the fields of the AV1 sequence header that the av1C box
// repeats.
type seqHeader struct {
	profile, level uint8
	tier           bool
}

// itemOBUs returns the OBUs of the AV1 stream obus that belong in an AVIF
// item, dropping temporal delimiters, padding and redundant frame headers
// (AV1-ISOBMFF 2.4: they should not be used), and reads profile, level and
// tier from the sequence header (AV1 spec 5.5.1, operating point 0).
func itemOBUs(obus []byte) ([]byte, seqHeader, error) {
	var s seqHeader
	found := false
	out := make([]byte, 0, len(obus))
	for len(obus) > 0 {
		hdr := obus[0]
		typ := hdr >> 3 & 15
		p := 1
		if hdr>>2&1 == 1 { // obu_extension_flag
			p++
		}
		if hdr>>1&1 == 0 || p >= len(obus) {
			return nil, s, fmt.Errorf("%w: OBU without size field", errContainer)
		}
		size, n := leb128(obus[p:])
		if n == 0 || uint64(len(obus)-p-n) < size {
			return nil, s, fmt.Errorf("%w: truncated OBU", errContainer)
		}
		end := p + n + int(size)
		obu, payload := obus[:end], obus[p+n:end]
		obus = obus[end:]
		switch typ {
		case 2, 7, 15: // temporal delimiter, redundant frame header, padding
			continue
		case 1: // sequence header
			if found {
				break
			}
			var err error
			if s, err = parseSeqHeader(payload); err != nil {
				return nil, s, err
			}
			found = true
		}
		out = append(out, obu...)
	}
	if !found {
		return nil, s, fmt.Errorf("%w: no sequence header", errContainer)
	}
	return out, s, nil
}

// parseSeqHeader reads profile, level and tier of operating point 0 from a
// sequence header OBU payload.
func parseSeqHeader(payload []byte) (seqHeader, error) {
	r := bitReader{b: payload}
	var s seqHeader
	s.profile = uint8(r.bits(3))
	r.bits(1)           // still_picture
	if r.bits(1) == 1 { // reduced_still_picture_header
		s.level = uint8(r.bits(5))
	} else {
		if r.bits(1) == 1 { // timing_info_present_flag
			return s, fmt.Errorf("%w: sequence header with timing info", errContainer)
		}
		r.bits(1)  // initial_display_delay_present_flag
		r.bits(5)  // operating_points_cnt_minus_1: only point 0 is read
		r.bits(12) // operating_point_idc[0]
		s.level = uint8(r.bits(5))
		if s.level > 7 {
			s.tier = r.bits(1) == 1
		}
	}
	if r.over {
		return s, fmt.Errorf("%w: short sequence header", errContainer)
	}
	return s, nil
}

func leb128(b []byte) (v uint64, n int) {
	for i := 0; i < 8 && i < len(b); i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i]&0x80 == 0 {
			return v, i + 1
		}
	}
	return 0, 0
}

type bitReader struct {
	b    []byte
	pos  int
	over bool
}

func (r *bitReader) bits(n int) uint32 {
	var v uint32
	for range n {
		if r.pos>>3 >= len(r.b) {
			r.over = true
			return 0
		}
		v = v<<1 | uint32(r.b[r.pos>>3]>>(7-r.pos&7)&1)
		r.pos++
	}
	return v
}

// mux writes a still AVIF holding the AV1 stream obus (8-bit 4:2:0) of a
// w×h image with the colour description c. The layout is the one libavif
// writes for a single opaque image: ftyp, meta (hdlr, pitm, iloc, iinf,
// iprp with ispe, pixi, av1C, colr), mdat.
func mux(obus []byte, w, h uint32, s seqHeader, c nclx) []byte {
	var b boxWriter
	// ftyp
	ftyp := b.begin("ftyp")
	b.str("avif")
	b.u32(0)
	b.str("avif", "mif1", "miaf")
	b.end(ftyp)

	meta := b.fullBegin("meta", 0, 0)
	hdlr := b.fullBegin("hdlr", 0, 0)
	b.u32(0)
	b.str("pict")
	b.u32(0, 0, 0)
	b.bytes("libaom\x00")
	b.end(hdlr)

	pitm := b.fullBegin("pitm", 0, 0)
	b.u16(1)
	b.end(pitm)

	iloc := b.fullBegin("iloc", 0, 0)
	b.u8(0x44) // offset_size 4, length_size 4
	b.u8(0x00) // base_offset_size 0, reserved
	b.u16(1)   // item_count
	b.u16(1)   // item_ID
	b.u16(0)   // data_reference_index
	b.u16(1)   // extent_count
	offsetAt := len(b.buf)
	b.u32(0) // extent_offset, patched below
	b.u32(uint32(len(obus)))
	b.end(iloc)

	iinf := b.fullBegin("iinf", 0, 0)
	b.u16(1)
	infe := b.fullBegin("infe", 2, 0)
	b.u16(1) // item_ID
	b.u16(0) // item_protection_index
	b.str("av01")
	b.bytes("Color\x00")
	b.end(infe)
	b.end(iinf)

	iprp := b.begin("iprp")
	ipco := b.begin("ipco")
	ispe := b.fullBegin("ispe", 0, 0) // property 1
	b.u32(w, h)
	b.end(ispe)
	pixi := b.fullBegin("pixi", 0, 0) // property 2
	b.u8(3, 8, 8, 8)
	b.end(pixi)
	av1C := b.begin("av1C") // property 3
	b.u8(0x81)              // marker, version 1
	b.u8(s.profile<<5 | s.level&31)
	tier := uint8(0)
	if s.tier {
		tier = 0x80
	}
	// high_bitdepth 0, twelve_bit 0, monochrome 0, subsampling_x 1,
	// subsampling_y 1, chroma_sample_position 0 (unknown), as libaom writes.
	b.u8(tier | 0x0c)
	b.u8(0) // no initial_presentation_delay
	b.end(av1C)
	colr := b.begin("colr") // property 4
	b.str("nclx")
	b.u16(c.primaries, c.transfer, c.matrix)
	if c.fullRange {
		b.u8(0x80)
	} else {
		b.u8(0)
	}
	b.end(colr)
	b.end(ipco)
	ipma := b.fullBegin("ipma", 0, 0)
	b.u32(1) // entry_count
	b.u16(1) // item_ID
	b.u8(4)  // association_count
	b.u8(1, 2, 0x80|3, 4)
	b.end(ipma)
	b.end(iprp)
	b.end(meta)

	mdat := b.begin("mdat")
	binary.BigEndian.PutUint32(b.buf[offsetAt:], uint32(len(b.buf)))
	b.bytes(string(obus))
	b.end(mdat)
	return b.buf
}

type boxWriter struct{ buf []byte }

func (b *boxWriter) begin(typ string) int {
	at := len(b.buf)
	b.buf = append(b.buf, 0, 0, 0, 0)
	b.buf = append(b.buf, typ...)
	return at
}

func (b *boxWriter) fullBegin(typ string, version uint8, flags uint32) int {
	at := b.begin(typ)
	b.u32(uint32(version)<<24 | flags)
	return at
}

func (b *boxWriter) end(at int) {
	binary.BigEndian.PutUint32(b.buf[at:], uint32(len(b.buf)-at))
}

func (b *boxWriter) u8(v ...uint8) { b.buf = append(b.buf, v...) }

func (b *boxWriter) u16(v ...uint16) {
	for _, x := range v {
		b.buf = binary.BigEndian.AppendUint16(b.buf, x)
	}
}

func (b *boxWriter) u32(v ...uint32) {
	for _, x := range v {
		b.buf = binary.BigEndian.AppendUint32(b.buf, x)
	}
}

func (b *boxWriter) str(s ...string) {
	for _, x := range s {
		b.buf = append(b.buf, x...)
	}
}

func (b *boxWriter) bytes(s string) { b.buf = append(b.buf, s...) }
