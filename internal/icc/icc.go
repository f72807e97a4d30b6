// Package icc reads ICC colour profiles (versions 2 and 4) and converts
// decoded pixels described by them to sRGB, so that wide-gamut (Display P3,
// Adobe RGB, ProPhoto), grey and CMYK sources keep their colours when they
// are served as untagged or sRGB-tagged images.
//
// # What is supported
//
//   - RGB matrix/TRC profiles (rXYZ/gXYZ/bXYZ colorants with rTRC/gTRC/bTRC
//     curves of type curv or para), the kind cameras, phones and most RGB
//     working spaces embed.
//   - Grey profiles with a kTRC curve.
//   - LUT-based profiles whose A2B1 (or, failing that, A2B0) tag is a
//     lut16Type (mft2), lut8Type (mft1) or lutAtoBType (mAB ) table, with a
//     Lab or XYZ connection space: CMYK printer profiles such as U.S. Web
//     Coated (SWOP), and RGB profiles that have no matrix/TRC tags.
//
// # The conversion
//
// The intent is relative colorimetric without black point compensation,
// as LittleCMS does for intent 1: device values go through the source
// profile to the D50 profile connection space (PCS), and from there
// through sRGB, whose colorants are the standard Rec. 709 primaries and
// D65 white Bradford-adapted to the D50 PCS white, exactly as the ICC
// sRGB profiles and LittleCMS build them. Colorants of matrix/TRC
// profiles are already D50-adapted PCS values by the ICC specification (a
// version 4 profile's chad tag only records how they were adapted), so
// neither chad nor the media white point (wtpt) is needed: the source
// white lands on the sRGB white. For LUT-based profiles the A2B1
// (colorimetric) table is preferred to A2B0 (perceptual), as LittleCMS
// does for this intent. Colours outside the sRGB gamut are clipped
// channel by channel in linear light.
//
// A [Transform] does the per-pixel work with lookup tables and integer
// arithmetic (see [Profile.ToSRGB] for how each kind of profile is
// tabulated), with only a few small allocations besides a result image.
// Large images are split into bands of rows converted on up to GOMAXPROCS
// goroutines.
//
// Parsing is defensive: any byte slice gives a [Profile] or an error
// matching [ErrMalformed] (never a panic), and no allocation is larger
// than a small multiple of the profile's own size or a fixed bound.
package icc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrMalformed is matched (with errors.Is) by the errors of [Parse] for
// bytes that are not a well-formed ICC profile: too short, without the
// 'acsp' signature, with tags outside the profile or a tag needed for the
// colour conversion that cannot be read. It is a read-only value.
var ErrMalformed = errors.New("icc: malformed profile")

// ErrUnsupported is matched (with errors.Is) by the errors of
// [Profile.ToSRGB] for well-formed profiles this package cannot convert
// from: colour spaces other than RGB, grey and CMYK, device links,
// abstract and named-colour profiles, and profiles whose conversion needs
// tags or tag types it does not implement. It is a read-only value.
var ErrUnsupported = errors.New("icc: unsupported profile")

// ColorSpace is an ICC colour space signature, as found in a profile
// header: the four ASCII bytes read as a big-endian number. It is a plain
// value, safe for concurrent use.
type ColorSpace uint32

// The colour spaces this package names. RGB, Gray and CMYK are the
// device spaces [Profile.ToSRGB] converts from; XYZ and Lab are the
// profile connection spaces returned by [Profile.PCS].
const (
	RGB  ColorSpace = 0x52474220 // 'RGB '
	Gray ColorSpace = 0x47524159 // 'GRAY'
	CMYK ColorSpace = 0x434d594b // 'CMYK'
	XYZ  ColorSpace = 0x58595a20 // 'XYZ '
	Lab  ColorSpace = 0x4c616220 // 'Lab '
)

// String returns the name of the colour space: "RGB", "Gray", "CMYK",
// "XYZ", "Lab", the trimmed signature text for other printable signatures
// (for example "YCbr"), or the signature in hexadecimal.
func (c ColorSpace) String() string {
	switch c {
	case RGB:
		return "RGB"
	case Gray:
		return "Gray"
	case CMYK:
		return "CMYK"
	case XYZ:
		return "XYZ"
	case Lab:
		return "Lab"
	}
	return sigString(uint32(c))
}

// sigString renders a four-byte signature as text when it is printable
// ASCII and in hexadecimal otherwise.
func sigString(s uint32) string {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], s)
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return fmt.Sprintf("0x%08x", s)
		}
	}
	return strings.TrimRight(string(b[:]), " ")
}

// Profile class signatures (header bytes 12..15) that cannot describe the
// pixels of an image.
const (
	classLink     = 0x6c696e6b // 'link'
	classAbstract = 0x61627374 // 'abst'
	classNamed    = 0x6e6d636c // 'nmcl'
)

// Tag signatures.
const (
	tagDesc = 0x64657363 // 'desc'
	tagRXYZ = 0x7258595a // 'rXYZ'
	tagGXYZ = 0x6758595a // 'gXYZ'
	tagBXYZ = 0x6258595a // 'bXYZ'
	tagRTRC = 0x72545243 // 'rTRC'
	tagGTRC = 0x67545243 // 'gTRC'
	tagBTRC = 0x62545243 // 'bTRC'
	tagKTRC = 0x6b545243 // 'kTRC'
	tagA2B0 = 0x41324230 // 'A2B0'
	tagA2B1 = 0x41324231 // 'A2B1'
)

// headerSize is the size of the fixed profile header; the tag count
// follows it.
const headerSize = 128

// Profile is a parsed ICC profile: the facts of its header, its
// description and the colour model [Profile.ToSRGB] needs. A Profile does
// not refer to the bytes it was parsed from, never changes once Parse has
// returned it, and is safe for concurrent use.
type Profile struct {
	version uint32
	class   uint32
	space   ColorSpace
	pcs     ColorSpace
	desc    string

	model    model // nil when modelErr is set
	modelErr error
	srgb     bool
}

// Parse parses the ICC profile b (version 2 or 4). It reads the header,
// the tag table, the description and the tags that describe the colour
// conversion; b is not retained. The error matches [ErrMalformed] when b
// is not a well-formed profile or a tag the conversion needs cannot be
// read. A well-formed profile that cannot be converted parses without
// error and reports [ErrUnsupported] from [Profile.ToSRGB]. Parse is safe
// for concurrent use.
func Parse(b []byte) (*Profile, error) {
	if len(b) < headerSize+4 {
		return nil, fmt.Errorf("%w: %d bytes, shorter than a profile header", ErrMalformed, len(b))
	}
	if string(b[36:40]) != "acsp" {
		return nil, fmt.Errorf("%w: no 'acsp' signature", ErrMalformed)
	}
	size := be32(b[0:])
	if size < headerSize+4 {
		return nil, fmt.Errorf("%w: declared size %d", ErrMalformed, size)
	}
	if uint64(size) < uint64(len(b)) {
		// Trailing bytes (padding of the container) are not part of it.
		b = b[:size]
	}
	// A declared size larger than b is tolerated, as LittleCMS does: every
	// tag must still lie inside b.
	p := &Profile{
		version: be32(b[8:]),
		class:   be32(b[12:]),
		space:   ColorSpace(be32(b[16:])),
		pcs:     ColorSpace(be32(b[20:])),
	}
	tags, err := readTagTable(b)
	if err != nil {
		return nil, err
	}
	p.desc = readDescription(tags[tagDesc])
	m, err := buildModel(p, tags)
	switch {
	case err == nil:
		p.model = m
		p.srgb = isSRGB(m)
	case errors.Is(err, ErrUnsupported):
		p.modelErr = err
	default:
		return nil, err
	}
	return p, nil
}

// readTagTable returns the data of each tag of the profile b, keyed by
// signature; the first of repeated signatures wins. Every tag lies inside
// b.
func readTagTable(b []byte) (map[uint32][]byte, error) {
	n := be32(b[headerSize:])
	if uint64(n) > uint64(len(b)-headerSize-4)/12 {
		return nil, fmt.Errorf("%w: tag count %d does not fit in %d bytes", ErrMalformed, n, len(b))
	}
	tags := make(map[uint32][]byte, n)
	for i := range int(n) {
		e := b[headerSize+4+12*i:]
		sig, off, sz := be32(e), be32(e[4:]), be32(e[8:])
		if uint64(off)+uint64(sz) > uint64(len(b)) || off < headerSize {
			return nil, fmt.Errorf("%w: tag %s at %d+%d outside the %d-byte profile", ErrMalformed, sigString(sig), off, sz, len(b))
		}
		if _, dup := tags[sig]; !dup {
			tags[sig] = b[off : off+sz : off+sz]
		}
	}
	return tags, nil
}

// ColorSpace returns the colour space of the data the profile describes
// (header bytes 16..19), for example [RGB], [Gray] or [CMYK].
func (p *Profile) ColorSpace() ColorSpace { return p.space }

// PCS returns the profile connection space (header bytes 20..23),
// normally [XYZ] or [Lab].
func (p *Profile) PCS() ColorSpace { return p.pcs }

// Version returns the major and minor version of the profile format, for
// example 2, 1 for a version 2.1 profile or 4, 3 for version 4.3.
func (p *Profile) Version() (major, minor int) {
	return int(p.version >> 24), int(p.version>>20) & 0xf
}

// Description returns the profile's description (its 'desc' tag, of type
// textDescriptionType in version 2 or multiLocalizedUnicodeType in version
// 4, preferring English), or "" when it has none.
func (p *Profile) Description() string { return p.desc }

// IsSRGB reports whether converting with the profile would change nothing
// visible: [Profile.ToSRGB] is supported, and evaluated without lookup
// tables it moves none of a set of test colours (the full grey ramp and,
// for RGB, 5 levels per channel) by a full 8-bit level or more. It is true for
// the sRGB IEC61966-2.1 profiles cameras and editors embed, whatever
// their curve encoding, and for grey profiles with the sRGB tone curve;
// false for Display P3, Adobe RGB, ProPhoto, grey gamma 2.2 and any CMYK
// profile. The answer is computed once by [Parse].
func (p *Profile) IsSRGB() bool { return p.srgb }

// readDescription decodes a 'desc' tag of type desc (textDescriptionType),
// mluc (multiLocalizedUnicodeType) or text, returning "" for anything
// else.
func readDescription(t []byte) string {
	if len(t) < 12 {
		return ""
	}
	var s string
	switch string(t[:4]) {
	case "desc":
		n := be32(t[8:])
		if uint64(n) > uint64(len(t)-12) {
			return ""
		}
		s = string(t[12 : 12+n])
	case "text":
		s = string(t[8:])
	case "mluc":
		s = readMLUC(t)
	}
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(strings.ToValidUTF8(s, string(utf8.RuneError)))
}

// readMLUC returns the English (or else the first) record of a
// multiLocalizedUnicodeType tag.
func readMLUC(t []byte) string {
	if len(t) < 16 {
		return ""
	}
	n, recSize := be32(t[8:]), be32(t[12:])
	if recSize < 12 || uint64(n)*uint64(recSize) > uint64(len(t)-16) {
		return ""
	}
	if n == 0 {
		return ""
	}
	best, score := 0, -1
	for i := range int(n) {
		r := t[16+i*int(recSize):]
		sc := 0
		if string(r[0:2]) == "en" {
			sc = 1
			if string(r[2:4]) == "US" {
				sc = 2
			}
		}
		if sc > score {
			best, score = i, sc
		}
	}
	r := t[16+best*int(recSize):]
	ln, off := be32(r[4:]), be32(r[8:])
	if uint64(off)+uint64(ln) > uint64(len(t)) {
		return ""
	}
	raw := t[off : off+ln]
	u := make([]uint16, len(raw)/2)
	for i := range u {
		u[i] = binary.BigEndian.Uint16(raw[2*i:])
	}
	return string(utf16.Decode(u))
}

func be32(b []byte) uint32 { return binary.BigEndian.Uint32(b) }
func be16(b []byte) uint16 { return binary.BigEndian.Uint16(b) }

// s15f16 reads an s15Fixed16Number.
func s15f16(b []byte) float64 { return float64(int32(be32(b))) / 65536 }
