package codec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
)

// DefaultQuality is the lossy quality [Encode] uses when
// EncodeOptions.Quality is 0. It is on the JPEG (IJG) scale; WebP takes it
// as it is and AVIF maps it (see [EncodeOptions.Quality]).
const DefaultQuality = 80

// ErrEncode is wrapped by the errors [Encode] returns when it cannot
// encode: options out of range, an image or metadata that the format cannot
// hold, or a failure (including a recovered panic) inside an encoder. An
// error writing to the destination is returned as it is, wrapped, and does
// not match ErrEncode; a format that cannot be encoded gives
// [ErrUnsupported].
var ErrEncode = errors.New("image encoding failed")

// EncodeOptions are the parameters of [Encode]. The zero value means the
// defaults of each format. Encode only reads an EncodeOptions, so one value
// may serve concurrent calls.
type EncodeOptions struct {
	// Quality is the lossy quality, 1–100; 0 means 80. PNG and GIF ignore it.
	//
	// It is on the JPEG scale: JPEG takes it as the IJG quality and WebP
	// as its own quality, and AVIF maps it onto libavif's scale (80 to
	// 65, 50 to 46, 90 to 80, 100 to 100; see avifQualities) so that each
	// gives about the PSNR and SSIM of a JPEG of the same quality. On a
	// photo at 800×450, quality 80 gave 70.5 KB in progressive JPEG, 58.7
	// KB in WebP and 46.9 KB in AVIF, at 35.2 to 36.7 dB PSNR.
	Quality int
	// Lossless asks WebP or AVIF for lossless coding. JPEG ignores it; PNG
	// and GIF are always lossless (GIF within its palette).
	Lossless bool
	// Progressive asks JPEG for progressive coding.
	Progressive bool
	// Speed is the AVIF encoder speed, 1 (slowest, smallest) to 10
	// (fastest); 0 means DefaultAVIFSpeed.
	Speed int
	// ICC is an ICC profile to embed (JPEG APP2, PNG iCCP, WebP ICCP, AVIF
	// colr), or nil for none (sRGB is then implied).
	ICC []byte
	// EXIF is a TIFF-structured EXIF block to embed (starting with "II" or
	// "MM", without JPEG's "Exif\0\0" prefix), or nil. AVIF output does not
	// carry it. The block is written as it is: reset its orientation (see
	// exif.ResetOrientation) when the pixels have been turned upright.
	EXIF []byte
	// XMP is an XMP packet to embed, or nil. AVIF output does not carry it.
	XMP []byte
}

// Encode writes img to w in format f (JPEG, PNG, GIF, WebP or AVIF) with
// the options o. Formats without alpha expect an opaque image: flattening
// is the caller's job. img may be of any type; the types Decode returns
// (*image.YCbCr, *image.Gray, *image.NRGBA) take the fast paths. Encode is
// safe for concurrent use.
//
// What each format does:
//
//   - JPEG: our own encoder (internal/jpegenc), 4:2:0 chroma, optimised
//     Huffman tables, baseline or (with Progressive) progressive; the ICC
//     profile as APP2 ICC_PROFILE chunks, EXIF and XMP as APP1 segments.
//     An *image.YCbCr is coded from its planes, an *image.Gray as one
//     component.
//   - PNG: image/png at its default compression. An image with at most 256
//     distinct colours (alpha included) is written as a palette image,
//     with a tRNS chunk when some are not opaque; an opaque grey image as
//     8-bit grey; otherwise as RGB, or RGBA only when some pixel is not
//     opaque. ICC goes in iCCP, EXIF in eXIf, XMP in an iTXt chunk with
//     the keyword XML:com.adobe.xmp, all right after IHDR. A grey ICC
//     profile is dropped from a colour PNG, which cannot carry it.
//   - GIF: image/gif with a 256-colour palette, first frame only.
//   - WebP: lossy (VP8, with an ALPH chunk for transparency) or lossless
//     (VP8L), at method [DefaultWebPMethod]; ICC, EXIF and XMP in their
//     chunks.
//   - AVIF: libavif (libaom) through github.com/gen2brain/avif, 8-bit
//     4:2:0 (4:4:4 with the identity matrix when lossless), alpha at the
//     colour quality, at Speed; an ICC profile is added as a colr box of
//     type prof by rewriting the file libavif writes. EXIF and XMP are not
//     written. See [WarmUp] for the cost of the first call.
//
// An ICC profile is embedded only where its colour space, grey or RGB, can
// describe the output: a grey profile is dropped from colour output (WebP,
// AVIF, and JPEG or PNG of a colour image), and a grey image with an RGB
// profile is written in colour (three-component JPEG, palette PNG) so that
// the profile still applies. Other profiles are written as they are.
//
// Encode checks ctx before it starts; an encoder in progress is not
// interrupted. The output is built in memory and written to w with one
// Write call, so on error nothing has been written unless the error comes
// from w (returned wrapped). A panic inside an encoder is recovered and
// returned as an error wrapping [ErrEncode]. A format Encode does not
// write gives [ErrUnsupported]; an empty image and options out of range
// give ErrEncode before any encoding. Encode does not modify img or the
// slices of o.
func Encode(ctx context.Context, w io.Writer, img image.Image, f Format, o EncodeOptions) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !f.Encodable() {
		return unsupported(f, errors.New("not an output format"))
	}
	if img == nil || img.Bounds().Empty() {
		return fmt.Errorf("%w: %s: empty image", ErrEncode, f)
	}
	if o.Quality < 0 || o.Quality > 100 {
		return fmt.Errorf("%w: %s: quality %d is not within 1 to 100", ErrEncode, f, o.Quality)
	}
	if o.Speed < 0 || o.Speed > 10 {
		return fmt.Errorf("%w: %s: speed %d is not within 1 to 10", ErrEncode, f, o.Speed)
	}
	if o.Quality == 0 {
		o.Quality = DefaultQuality
	}
	if o.Speed == 0 {
		o.Speed = DefaultAVIFSpeed
	}
	out, err := encodeBytes(img, f, &o)
	if err != nil {
		return err
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("codec: writing %s: %w", f, err)
	}
	return nil
}

// encodeBytes runs the encoder of f, turning a panic into ErrEncode.
func encodeBytes(img image.Image, f Format, o *EncodeOptions) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprint(r)
			if len(msg) > 200 {
				msg = msg[:200] + "…"
			}
			out, err = nil, fmt.Errorf("%w: %s encoder panicked: %s", ErrEncode, f, msg)
		}
	}()
	var buf bytes.Buffer
	switch f {
	case JPEG:
		err = encodeJPEG(&buf, img, o)
	case PNG:
		err = encodePNG(&buf, img, o)
	case GIF:
		err = EncodeGIF(&buf, img)
	case WebP:
		err = encodeWebP(&buf, img, o)
	case AVIF:
		err = encodeAVIF(&buf, img, o)
	default:
		return nil, unsupported(f, nil)
	}
	if err != nil {
		if errors.Is(err, ErrEncode) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %s: %w", ErrEncode, f, err)
	}
	return buf.Bytes(), nil
}
