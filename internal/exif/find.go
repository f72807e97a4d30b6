package exif

import "encoding/binary"

// Find returns the EXIF payload of the JPEG, PNG, WebP or TIFF file b,
// chosen by its leading bytes, or nil when b has none.
func Find(b []byte) []byte {
	switch {
	case len(b) >= 2 && b[0] == 0xff && b[1] == 0xd8:
		return FromJPEG(b)
	case len(b) >= 8 && string(b[:8]) == pngSignature:
		return FromPNG(b)
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return FromWebP(b)
	}
	return FromTIFF(b)
}

// FromJPEG returns the TIFF-structured payload of the first APP1 "Exif"
// segment of the JPEG file b, without the "Exif\x00\x00" header, or nil when
// there is none before the first scan. A segment cut short by the end of b is
// returned as far as it goes.
func FromJPEG(b []byte) []byte {
	if len(b) < 4 || b[0] != 0xff || b[1] != 0xd8 {
		return nil
	}
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xff {
			return nil // lost the marker sequence
		}
		m := b[i+1]
		if m == 0xff { // fill byte
			i++
			continue
		}
		i += 2
		switch {
		case m == 0xd8 || m == 0x01 || m >= 0xd0 && m <= 0xd7:
			continue // markers without a length
		case m == 0xda || m == 0xd9:
			return nil // start of scan or end of image
		}
		n := int(b[i])<<8 | int(b[i+1])
		if n < 2 {
			return nil
		}
		end := min(i+n, len(b))
		seg := b[i+2 : end]
		if m == 0xe1 && len(seg) >= len(header) && string(seg[:5]) == header[:5] {
			return seg[len(header):]
		}
		i = end
	}
	return nil
}

const pngSignature = "\x89PNG\r\n\x1a\n"

// FromPNG returns the data of the eXIf chunk of the PNG file b, or nil when
// there is none. A chunk cut short by the end of b is returned as far as it
// goes.
func FromPNG(b []byte) []byte {
	if len(b) < 8 || string(b[:8]) != pngSignature {
		return nil
	}
	for i := 8; len(b)-i >= 8; {
		n := uint64(binary.BigEndian.Uint32(b[i:]))
		typ := string(b[i+4 : i+8])
		start := i + 8
		end := uint64(start) + n
		if end > uint64(len(b)) {
			end = uint64(len(b))
		}
		switch typ {
		case "eXIf":
			return b[start:end]
		case "IEND":
			return nil
		}
		next := end + 4 // CRC
		if next > uint64(len(b)) {
			return nil
		}
		i = int(next)
	}
	return nil
}

// FromWebP returns the data of the EXIF chunk of the WebP file b, or nil
// when there is none. A chunk cut short by the end of b is returned as far
// as it goes.
func FromWebP(b []byte) []byte {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return nil
	}
	for i := 12; len(b)-i >= 8; {
		n := uint64(binary.LittleEndian.Uint32(b[i+4:]))
		start := i + 8
		end := uint64(start) + n
		if end > uint64(len(b)) {
			end = uint64(len(b))
		}
		if string(b[i:i+4]) == "EXIF" {
			return b[start:end]
		}
		next := end + n&1 // chunks are padded to an even length
		if next > uint64(len(b)) {
			return nil
		}
		i = int(next)
	}
	return nil
}

// FromTIFF returns b itself when it starts with a TIFF header ("II*\x00" or
// "MM\x00*"): a TIFF file is its own EXIF payload. Otherwise it returns nil.
func FromTIFF(b []byte) []byte {
	if _, ok := byteOrder(b); !ok {
		return nil
	}
	return b
}
