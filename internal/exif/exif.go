package exif

import "encoding/binary"

// TagOrientation is the TIFF tag that holds the orientation, 1 to 8.
const TagOrientation = 0x0112

// maxEntries bounds the number of IFD0 entries read. Real files have a few
// dozen; the format allows 65535.
const maxEntries = 1024

// header is the prefix of an EXIF payload in a JPEG APP1 segment, which some
// writers also leave in WebP and PNG chunks.
const header = "Exif\x00\x00"

// Orientation returns the EXIF orientation (1 to 8) held in IFD0 of the
// TIFF-structured payload b, which may start with the "Exif\x00\x00" header.
// It returns 1 (normal) when b is not a TIFF structure, holds no orientation
// or holds a value outside 1 to 8.
func Orientation(b []byte) int {
	v, ok := Uint(b, TagOrientation)
	if !ok || v < 1 || v > 8 {
		return 1
	}
	return int(v)
}

// Uint returns the first value of the integer tag (BYTE, SHORT or LONG) in
// IFD0 of the TIFF-structured payload b, which may start with the
// "Exif\x00\x00" header. It reports false when b is not a TIFF structure,
// the tag is absent, has another type, has no values or points outside b.
func Uint(b []byte, tag uint16) (uint32, bool) {
	if len(b) >= len(header) && string(b[:len(header)]) == header {
		b = b[len(header):]
	}
	order, ok := byteOrder(b)
	if !ok {
		return 0, false
	}
	off := uint64(order.Uint32(b[4:8]))
	if off < 8 || off+2 > uint64(len(b)) {
		return 0, false
	}
	n := int(order.Uint16(b[off:]))
	p := b[off+2:]
	n = min(n, len(p)/12, maxEntries)
	for i := 0; i < n; i++ {
		e := p[12*i : 12*i+12]
		if order.Uint16(e[0:2]) != tag {
			continue
		}
		typ, count := order.Uint16(e[2:4]), order.Uint32(e[4:8])
		size := intSize(typ)
		if size == 0 {
			return 0, false
		}
		if count == 0 {
			return 0, false
		}
		v := e[8:12]
		if size*uint64(count) > 4 {
			o := uint64(order.Uint32(e[8:12]))
			if o+size > uint64(len(b)) {
				return 0, false
			}
			v = b[o : o+size]
		}
		switch size {
		case 1:
			return uint32(v[0]), true
		case 2:
			return uint32(order.Uint16(v)), true
		}
		return order.Uint32(v), true
	}
	return 0, false
}

// byteOrder returns the byte order of the TIFF structure b, and false when b
// does not start with a TIFF header.
func byteOrder(b []byte) (binary.ByteOrder, bool) {
	if len(b) < 8 {
		return nil, false
	}
	switch string(b[:4]) {
	case "II*\x00":
		return binary.LittleEndian, true
	case "MM\x00*":
		return binary.BigEndian, true
	}
	return nil, false
}

// intSize returns the size in bytes of one value of the TIFF integer type
// typ (BYTE, SHORT or LONG), or 0 for any other type.
func intSize(typ uint16) uint64 {
	switch typ {
	case 1: // BYTE
		return 1
	case 3: // SHORT
		return 2
	case 4: // LONG
		return 4
	}
	return 0
}
