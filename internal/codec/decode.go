package codec

import (
	"context"
	"image"
	"image/color"

	"github.com/imgcdn/imgcdn/internal/raster"
)

// DecodeHint is the smallest size the caller needs, in display (oriented)
// pixels; zero fields mean "no constraint". It lets a decoder that can
// decode at a reduced scale (a JPEG DCT-domain 1/2, 1/4 or 1/8 decode, for
// example) do less work.
//
// The contract: a decoder may return an image smaller than the full
// oriented size, scaled by the same factor on both axes, as long as it is
// at least Width pixels wide and at least Height pixels tall (when those
// are set). Callers must therefore take the size of [Image.Pixels] as
// authoritative and scale their geometry (crop boxes, focus points, the
// resize plan) from the oriented header size to it. Today every decoder
// ignores the hint and decodes at full size.
type DecodeHint struct {
	// Width is the smallest display width needed, in pixels; 0 for any.
	Width int
	// Height is the smallest display height needed, in pixels; 0 for any.
	Height int
}

// Image is a decoded image, turned upright.
type Image struct {
	// Header is the header of the source file. Its sizes describe the
	// source, not necessarily Pixels (see [DecodeHint]).
	Header Header
	// Pixels is the upright image, its bounds starting at the origin. Its
	// type is one of *image.YCbCr (3-component JPEG, as decoded),
	// *image.Gray (grey JPEG, PNG, BMP, TIFF) or *image.NRGBA (everything
	// else, with 16-bit samples rounded to 8 bits).
	Pixels image.Image
	// ICC is a copy of the embedded ICC colour profile that describes
	// Pixels (JPEG APP2 chunks, PNG iCCP, WebP ICCP, AVIF colr of type
	// prof or rICC), or nil. A CMYK profile is dropped, since CMYK pixels
	// are converted to RGB.
	ICC []byte
	// EXIF is a copy of the embedded EXIF block, TIFF-structured (starting
	// with "II" or "MM", without JPEG's "Exif\0\0" prefix), or nil: the
	// first APP1 Exif segment of a JPEG, the eXIf chunk of a PNG, the EXIF
	// chunk of a WebP (a leading "Exif\0\0" removed). A block that is not
	// TIFF-structured, or over 4 MiB, is dropped; AVIF and the other
	// formats give nil. Its orientation tag still describes the stored,
	// not the upright, pixels: see exif.ResetOrientation.
	EXIF []byte
	// XMP is a copy of the embedded XMP packet, or nil: the first APP1 XMP
	// segment of a JPEG (not the extended XMP segments), the iTXt chunk
	// with the keyword XML:com.adobe.xmp of a PNG (inflated if
	// compressed), the "XMP " chunk of a WebP. A packet over 4 MiB is
	// dropped.
	XMP []byte
}

// Decode decodes the image file b into upright pixels, within lim. It
// first reads the header and checks the limits exactly as [DecodeConfig]
// does, so an image that is too large fails before any pixel memory is
// allocated; then it checks ctx, decodes, normalises the pixel type (see
// [Image.Pixels]) and applies the orientation with [raster.Orient].
//
// Normalisation: CMYK and YCCK JPEGs become RGB with the plain formula;
// lossy WebP is converted from its limited-range BT.601 YCbCr (with the
// same chroma upsampling as libwebp) rather than taken as JFIF; GIF keeps
// its first frame, laid on a transparent logical screen; animated WebP
// keeps its first frame likewise. AVIF is converted by libavif (its colour
// matrix and range as the file declares them; 10- and 12-bit samples
// rounded to 8 bits; alpha kept) without its own orientation handling, so
// that irot and imir are applied once, here; a file with several ipma
// boxes of the same version and flags, which libavif refuses, is repaired
// first.
//
// The error matches one of [ErrTooLarge], [ErrUnsupported],
// [ErrUnknownFormat] or [ErrCorrupt], or is the error of ctx. A panic in a
// decoder is recovered and reported as ErrCorrupt. Decode is safe for
// concurrent use; b is only read, and the result does not refer to it.
func Decode(ctx context.Context, b []byte, lim Limits, hint DecodeHint) (*Image, error) {
	_ = hint // no decoder reduces its scale yet; see DecodeHint
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := probe(b, lim)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	img, err := decodePixels(b, p)
	if err != nil {
		return nil, err
	}
	if got := img.Bounds(); got != image.Rect(0, 0, p.h.Width, p.h.Height) {
		return nil, corruptf("%s: decoded %dx%d, header says %dx%d", p.h.Format, got.Dx(), got.Dy(), p.h.Width, p.h.Height)
	}
	out := &Image{Header: p.h, Pixels: raster.Orient(img, p.h.Orientation)}
	if p.icc != nil {
		out.ICC = p.icc()
	}
	out.EXIF, out.XMP = metadata(b, p)
	return out, nil
}

// decodePixels runs the decoder of the format, turning a panic into
// ErrCorrupt.
func decodePixels(b []byte, p *probed) (img image.Image, err error) {
	f := p.h.Format
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, panicErr(f, r)
		}
	}()
	switch f {
	case JPEG:
		return decodeJPEG(b, p)
	case PNG:
		return decodePNG(b, p)
	case GIF:
		return decodeGIF(b, p)
	case WebP:
		return decodeWebP(b, p)
	case BMP:
		return decodeBMP(b, p)
	case TIFF:
		return decodeTIFF(b, p)
	case AVIF:
		return decodeAVIF(b, p)
	}
	return nil, unsupported(f, nil)
}

// normalize turns a decoder's output into *image.YCbCr, *image.Gray or
// *image.NRGBA, reusing its memory where the layout allows.
func normalize(img image.Image) image.Image {
	switch m := img.(type) {
	case *image.YCbCr, *image.Gray, *image.NRGBA:
		return m
	case *image.Gray16:
		return raster.ToGray(m)
	case *image.RGBA:
		if opaque(m.Pix) {
			// An opaque premultiplied pixel is the same bytes unpremultiplied.
			return &image.NRGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}
		}
	case *image.Paletted:
		if g, ok := grayPaletted(m); ok {
			return g
		}
	}
	return raster.ToNRGBA(img)
}

// opaque reports whether every alpha byte of the RGBA layout pix is 0xff.
func opaque(pix []byte) bool {
	for i := 3; i < len(pix); i += 4 {
		if pix[i] != 0xff {
			return false
		}
	}
	return true
}

// grayPaletted converts m to *image.Gray when every palette entry is an
// opaque grey.
func grayPaletted(m *image.Paletted) (*image.Gray, bool) {
	if len(m.Palette) == 0 || len(m.Palette) > 256 {
		return nil, false
	}
	var lut [256]uint8
	for i, c := range m.Palette {
		if c == nil {
			return nil, false
		}
		n := color.NRGBA64Model.Convert(c).(color.NRGBA64)
		if n.A != 0xffff || n.R != n.G || n.G != n.B || n.R%0x101 != 0 {
			return nil, false
		}
		lut[i] = uint8(n.R >> 8)
	}
	for _, v := range m.Pix {
		if int(v) >= len(m.Palette) {
			return nil, false
		}
	}
	g := image.NewGray(m.Rect)
	w := m.Rect.Dx()
	for y := 0; y < m.Rect.Dy(); y++ {
		s := m.Pix[y*m.Stride : y*m.Stride+w]
		d := g.Pix[y*g.Stride : y*g.Stride+w]
		for i, v := range s {
			d[i] = lut[v]
		}
	}
	return g, true
}
