package codec

import (
	"bytes"
	"encoding/binary"
)

// Format is an image file format, as recognised by [Sniff].
type Format uint8

// The formats [Sniff] recognises. The zero value is Unknown.
const (
	Unknown Format = iota
	JPEG
	PNG
	GIF
	WebP
	BMP
	TIFF
	AVIF
	HEIF
	JXL
	SVG
)

// String returns the lower-case short name of f ("jpeg", "png", "webp"...),
// or "unknown".
func (f Format) String() string {
	switch f {
	case JPEG:
		return "jpeg"
	case PNG:
		return "png"
	case GIF:
		return "gif"
	case WebP:
		return "webp"
	case BMP:
		return "bmp"
	case TIFF:
		return "tiff"
	case AVIF:
		return "avif"
	case HEIF:
		return "heif"
	case JXL:
		return "jxl"
	case SVG:
		return "svg"
	}
	return "unknown"
}

// Decodable reports whether [Decode] can turn f into pixels: JPEG, PNG,
// GIF, WebP, BMP, TIFF and AVIF. HEIF, JPEG XL and SVG are recognised but
// not decoded.
func (f Format) Decodable() bool {
	switch f {
	case JPEG, PNG, GIF, WebP, BMP, TIFF, AVIF:
		return true
	}
	return false
}

// Encodable reports whether [Encode] can write f: JPEG, PNG, GIF, WebP and
// AVIF.
func (f Format) Encodable() bool {
	switch f {
	case JPEG, PNG, GIF, WebP, AVIF:
		return true
	}
	return false
}

// Sniff returns the format of the file b by its leading bytes only, never by
// a name or a declared type. It returns Unknown for anything it does not
// recognise, including an empty b.
func Sniff(b []byte) Format {
	switch {
	case len(b) >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff:
		return JPEG
	case bytes.HasPrefix(b, []byte(pngSignature)):
		return PNG
	case bytes.HasPrefix(b, []byte("GIF87a")) || bytes.HasPrefix(b, []byte("GIF89a")):
		return GIF
	case len(b) >= 16 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return WebP
	case isBMP(b):
		return BMP
	case len(b) >= 8 && (string(b[:4]) == "II*\x00" || string(b[:4]) == "MM\x00*"):
		return TIFF
	case len(b) >= 2 && b[0] == 0xff && b[1] == 0x0a:
		return JXL // bare codestream
	case bytes.HasPrefix(b, []byte("\x00\x00\x00\x0cJXL \r\n\x87\n")):
		return JXL // ISO-BMFF container
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		return sniffFtyp(b)
	case isSVG(b):
		return SVG
	}
	return Unknown
}

const pngSignature = "\x89PNG\r\n\x1a\n"

// isBMP reports whether b starts with a BMP file header followed by one of
// the known DIB header sizes; "BM" alone is too weak a signature.
func isBMP(b []byte) bool {
	if len(b) < 18 || b[0] != 'B' || b[1] != 'M' {
		return false
	}
	switch binary.LittleEndian.Uint32(b[14:18]) {
	case 12, 16, 40, 52, 56, 64, 108, 124:
		return true
	}
	return false
}

// maxBrands bounds the compatible brands read from an ftyp box.
const maxBrands = 64

// sniffFtyp tells AVIF from HEIF (or neither) by the brands of the leading
// ISO-BMFF ftyp box: an AV1 brand anywhere wins, then an HEVC brand, then
// the generic image brands mif1/msf1.
func sniffFtyp(b []byte) Format {
	size := uint64(binary.BigEndian.Uint32(b))
	if size < 16 || size > uint64(len(b)) {
		size = uint64(len(b))
	}
	brands := b[8:size]
	var avif, heif, generic bool
	for i := 0; i+4 <= len(brands) && i/4 < maxBrands; i += 4 {
		if i == 4 {
			continue // minor_version
		}
		switch string(brands[i : i+4]) {
		case "avif", "avis", "avio":
			avif = true
		case "heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs":
			heif = true
		case "mif1", "msf1", "mif2", "miaf":
			generic = true
		}
	}
	switch {
	case avif:
		return AVIF
	case heif || generic:
		return HEIF
	}
	return Unknown
}

// maxSVGProlog bounds how far isSVG looks for the root element, past the XML
// declaration, comments, processing instructions and a doctype.
const maxSVGProlog = 64 << 10

// isSVG reports whether b is text whose root element is <svg: an optional
// UTF-8 byte-order mark and white space, then any XML declaration,
// processing instructions, comments and doctype, then "<svg".
func isSVG(b []byte) bool {
	b = b[:min(len(b), maxSVGProlog)]
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		switch {
		case bytes.HasPrefix(b, []byte("<svg")):
			if len(b) == 4 {
				return false
			}
			switch b[4] {
			case ' ', '\t', '\r', '\n', '>', '/':
				return true
			}
			return false
		case bytes.HasPrefix(b, []byte("<?")):
			i := bytes.Index(b, []byte("?>"))
			if i < 0 {
				return false
			}
			b = b[i+2:]
		case bytes.HasPrefix(b, []byte("<!--")):
			i := bytes.Index(b[4:], []byte("-->"))
			if i < 0 {
				return false
			}
			b = b[4+i+3:]
		case bytes.HasPrefix(b, []byte("<!DOCTYPE")):
			// Skip to the '>' that closes the doctype, past any internal
			// subset in brackets.
			end := bytes.IndexAny(b, "[>")
			if end < 0 {
				return false
			}
			if b[end] == '[' {
				j := bytes.Index(b[end:], []byte("]"))
				if j < 0 {
					return false
				}
				end += j
				k := bytes.IndexByte(b[end:], '>')
				if k < 0 {
					return false
				}
				end += k
			}
			b = b[end+1:]
		default:
			return false
		}
	}
}
