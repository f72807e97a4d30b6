package codec

import (
	"bytes"
	"compress/zlib"
	"io"
)

// maxMetaBytes bounds an EXIF block or XMP packet kept from a file. Larger
// ones are dropped.
const maxMetaBytes = 4 << 20

// metadata returns copies of the EXIF block and XMP packet of the file b,
// whose header p describes: JPEG APP1 segments, PNG eXIf and iTXt chunks,
// WebP EXIF and "XMP " chunks. Other formats give nil. The EXIF block is
// returned only when it is TIFF-structured (a leading "Exif\0\0", which
// some writers put in PNG and WebP chunks, is removed); the XMP packet
// only when it is not empty. Every read is bounds-checked: hostile input
// yields nil, never a panic.
func metadata(b []byte, p *probed) (exifBlock, xmp []byte) {
	switch p.h.Format {
	case JPEG:
		m := scanJPEG(b)
		exifBlock, xmp = m.exif, m.xmp
	case PNG:
		m := scanPNG(b)
		exifBlock, xmp = m.exif, pngXMP(m.xmp)
	case WebP:
		if p.webp != nil {
			exifBlock, xmp = webpMeta(p.webp.riff)
		}
	}
	return tiffBlock(exifBlock), keep(xmp)
}

// tiffBlock returns a copy of the EXIF block b without any "Exif\0\0"
// prefix, or nil when it is not a TIFF structure or too large.
func tiffBlock(b []byte) []byte {
	b = bytes.TrimPrefix(b, []byte(exifMarker))
	if len(b) < 8 || string(b[:4]) != "II*\x00" && string(b[:4]) != "MM\x00*" {
		return nil
	}
	return keep(b)
}

// keep returns a copy of b, or nil when b is empty or too large.
func keep(b []byte) []byte {
	if len(b) == 0 || len(b) > maxMetaBytes {
		return nil
	}
	return bytes.Clone(b)
}

// pngXMP returns the text of an iTXt chunk (keyword, NUL, compression
// flag and method, language tag, NUL, translated keyword, NUL, text),
// inflated when compressed; nil when malformed or too large.
func pngXMP(d []byte) []byte {
	i := bytes.IndexByte(d, 0)
	if i < 0 || len(d) < i+3 {
		return nil
	}
	compressed, method := d[i+1], d[i+2]
	rest := d[i+3:]
	for range 2 { // language tag, translated keyword
		j := bytes.IndexByte(rest, 0)
		if j < 0 {
			return nil
		}
		rest = rest[j+1:]
	}
	switch {
	case compressed == 0:
		return rest
	case compressed == 1 && method == 0:
		zr, err := zlib.NewReader(bytes.NewReader(rest))
		if err != nil {
			return nil
		}
		defer zr.Close()
		out, err := io.ReadAll(io.LimitReader(zr, maxMetaBytes+1))
		if err != nil || len(out) > maxMetaBytes {
			return nil
		}
		return out
	}
	return nil
}

// webpMeta returns the first EXIF and "XMP " chunks of the RIFF file riff.
// The walk is webp.go's walkRIFF, which stays within riff.
func webpMeta(riff []byte) (exifBlock, xmp []byte) {
	if len(riff) < 12 {
		return nil, nil
	}
	_ = walkRIFF(riff[12:], func(id string, data []byte) error {
		switch {
		case id == "EXIF" && exifBlock == nil:
			exifBlock = data
		case id == "XMP " && xmp == nil:
			xmp = data
		}
		return nil
	})
	return exifBlock, xmp
}
