package exif

// ResetOrientation returns a copy of the TIFF-structured EXIF block b with
// every Orientation tag (0x0112) of IFD0 set to 1 (normal), in the byte
// order of the block. Use it when the pixels have been turned upright and
// the EXIF block is kept: the tag must then no longer ask viewers to rotate.
//
// b may start with the "Exif\x00\x00" header, which the copy keeps. A tag
// of type BYTE, SHORT or LONG with at least one value has its first value
// rewritten where it lies (in the entry, or at the offset the entry points
// to when the values do not fit there); a tag of another type, or one that
// points outside b, into its header or into IFD0 itself, is left alone. When b is not a TIFF structure or has
// no such tag, the result is an unchanged copy of b (nil for a nil b).
// ResetOrientation never modifies b, never panics, and is safe for
// concurrent use.
func ResetOrientation(b []byte) []byte {
	if b == nil {
		return nil
	}
	out := make([]byte, len(b))
	copy(out, b)
	t := out
	if len(t) >= len(header) && string(t[:len(header)]) == header {
		t = t[len(header):]
	}
	order, ok := byteOrder(t)
	if !ok {
		return out
	}
	off := uint64(order.Uint32(t[4:8]))
	if off < 8 || off+2 > uint64(len(t)) {
		return out
	}
	n := int(order.Uint16(t[off:]))
	p := t[off+2:]
	n = min(n, len(p)/12, maxEntries)
	for i := 0; i < n; i++ {
		e := p[12*i : 12*i+12]
		if order.Uint16(e[0:2]) != TagOrientation || order.Uint32(e[4:8]) == 0 {
			continue
		}
		// The value sits in the first bytes of the 4-byte field whenever
		// it fits there, which one value of any integer type does; an
		// out-of-line array is first pointed at, so its first value is
		// rewritten where it lies.
		v := e[8:12]
		count := uint64(order.Uint32(e[4:8]))
		size := intSize(order.Uint16(e[2:4]))
		if size == 0 {
			continue
		}
		if size*count > 4 {
			// The values must lie past the header and outside the
			// directory itself, or rewriting them would change the
			// structure rather than the tag.
			o := uint64(order.Uint32(e[8:12]))
			ifdEnd := off + 2 + 12*uint64(n)
			if o < 8 || o+size > uint64(len(t)) || o < ifdEnd && o+size > off {
				continue
			}
			v = t[o : o+size]
		}
		switch size {
		case 1:
			v[0] = 1
		case 2:
			order.PutUint16(v, 1)
		case 4:
			order.PutUint32(v, 1)
		}
	}
	return out
}
