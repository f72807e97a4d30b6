package codec

import (
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"
	"strings"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"

	"github.com/imgcdn/imgcdn/internal/raster"
)

// Header describes an image from its header, read without decoding pixels.
type Header struct {
	// Format is the file format, from the leading bytes.
	Format Format
	// Width and Height are the size stored in the file, before the
	// orientation is applied. They are zero when the header could not be
	// read.
	Width, Height int
	// Orientation is the EXIF orientation, 1 to 8 (1 when absent): the
	// IFD0 tag of the EXIF block in a JPEG (APP1), WebP (EXIF chunk), PNG
	// (eXIf chunk) or TIFF file. For AVIF and HEIF it is the equivalent of
	// the container's irot and imir properties, which take precedence over
	// any EXIF data there.
	Orientation int
	// OrientedWidth and OrientedHeight are the display size: Width and
	// Height, exchanged for orientations 5 to 8.
	OrientedWidth, OrientedHeight int
	// HasAlpha is a hint that the image may have transparent pixels: an
	// alpha channel or transparency chunk in PNG, an alpha flag in WebP, a
	// transparent colour or a first frame smaller than the screen in GIF,
	// an alpha sample in TIFF, 32-bit pixels with a V4/V5 header in BMP, an
	// alpha auxiliary image in AVIF and HEIF. False for JPEG.
	HasAlpha bool
	// Animated is a hint that the file holds more than one frame: a second
	// image in GIF, the animation flag in WebP, an acTL chunk in PNG.
	Animated bool
}

// maxICCBytes bounds an ICC profile kept from a file. Larger profiles are
// dropped.
const maxICCBytes = 4 << 20

// probed is what a format's header reader finds.
type probed struct {
	h Header
	// minBytes is the smallest file that can hold the declared pixels
	// (0 when unknown); a shorter file is corrupt, found before any pixel
	// memory is allocated.
	minBytes int64
	// icc returns a copy of the ICC profile of the file, or nil. It runs
	// only when the pixels are decoded.
	icc func() []byte
	// cmykICC returns a copy of the CMYK profile of a CMYK JPEG, or nil:
	// the decoder converts the pixels to sRGB with it.
	cmykICC func() []byte
	// webp is the chunk layout of a WebP file.
	webp *webpLayout
}

// DecodeConfig reads the header of the image file b: its format, stored and
// oriented size, EXIF orientation and hints. It checks lim in this order:
// the file size, then (from the header, before any pixel memory is
// allocated) the pixel count and each side; and it refuses files too short
// to hold the pixels they declare.
//
// The error matches one of [ErrTooLarge] (a *[LimitError]),
// [ErrUnsupported], [ErrUnknownFormat] or [ErrCorrupt]. With an error, the
// Header still holds what was read: the Format once recognised, and the
// size when the header declared one (so a HEIF file reports its size with
// ErrUnsupported, and a decompression bomb its declared size with
// ErrTooLarge).
//
// DecodeConfig never panics and is safe for concurrent use.
func DecodeConfig(b []byte, lim Limits) (Header, error) {
	p, err := probe(b, lim)
	if p == nil {
		return Header{Format: Sniff(b), Orientation: 1}, err
	}
	return p.h, err
}

// probe reads and checks the header of b, turning panics into ErrCorrupt.
// It returns a non-nil probed whenever the format was recognised.
func probe(b []byte, lim Limits) (p *probed, err error) {
	lim = lim.withDefaults()
	if err := lim.checkBytes(len(b)); err != nil {
		return nil, err
	}
	f := Sniff(b)
	defer func() {
		if r := recover(); r != nil {
			p, err = &probed{h: Header{Format: f, Orientation: 1}}, panicErr(f, r)
		}
	}()
	switch f {
	case JPEG:
		p, err = probeJPEG(b)
	case PNG:
		p, err = probePNG(b)
	case GIF:
		p, err = probeGIF(b)
	case WebP:
		p, err = probeWebP(b)
	case BMP:
		p, err = probeBMP(b)
	case TIFF:
		p, err = probeTIFF(b)
	case AVIF, HEIF:
		p = probeHEIF(b, f)
	case JXL, SVG:
		p = &probed{}
	default:
		return nil, ErrUnknownFormat
	}
	if p == nil {
		p = &probed{}
	}
	h := &p.h
	h.Format = f
	if !raster.Valid(h.Orientation) {
		h.Orientation = raster.OrientNormal
	}
	h.OrientedWidth, h.OrientedHeight = raster.OrientedSize(h.Width, h.Height, h.Orientation)
	// A declared size beyond the limits wins over every other verdict, so
	// that a decompression bomb is reported as such even when its file is
	// also malformed or in a format not decoded here.
	sized := h.Width > 0 && h.Height > 0
	if sized {
		if err := lim.checkSize(h.Width, h.Height); err != nil {
			return p, err
		}
	}
	if err != nil {
		return p, err
	}
	if !f.Decodable() {
		return p, unsupported(f, nil)
	}
	if !sized {
		return p, lim.checkSize(h.Width, h.Height)
	}
	if int64(len(b)) < p.minBytes {
		return p, corruptf("%s: %d bytes cannot hold %dx%d pixels", f, len(b), h.Width, h.Height)
	}
	return p, nil
}

// decodeErr classifies an error from a format's decoder: its "unsupported
// feature" errors become ErrUnsupported, everything else ErrCorrupt.
func decodeErr(f Format, err error) error {
	var (
		je jpeg.UnsupportedError
		pe png.UnsupportedError
		te tiff.UnsupportedError
	)
	if errors.As(err, &je) || errors.As(err, &pe) || errors.As(err, &te) || errors.Is(err, bmp.ErrUnsupported) {
		return unsupported(f, err)
	}
	if named(f, err) {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return fmt.Errorf("%w: %s: %w", ErrCorrupt, f, err)
}

// named reports whether the message of err already names the format f, as
// "png: invalid format" and "invalid JPEG format" do.
func named(f Format, err error) bool {
	return strings.Contains(strings.ToLower(err.Error()), f.String())
}

// panicErr turns a recovered panic from a decoder into ErrCorrupt.
func panicErr(f Format, r any) error {
	msg := fmt.Sprint(r)
	if len(msg) > 80 {
		msg = msg[:80] + "…"
	}
	return corruptf("%s decoder failed: %s", f, msg)
}
