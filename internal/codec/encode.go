package codec

import (
	"context"
	"image"
	"io"
)

// EncodeOptions are the parameters of [Encode]. The zero value means the
// defaults of each format.
type EncodeOptions struct {
	// Quality is the lossy quality, 1–100; 0 means 80. PNG and GIF ignore it.
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
	// "MM", without JPEG's "Exif\0\0" prefix), or nil.
	EXIF []byte
	// XMP is an XMP packet to embed, or nil.
	XMP []byte
}

// Encode writes img to w in format f (JPEG, PNG, GIF, WebP or AVIF) with
// the options o. Formats without alpha expect an opaque image: flattening
// is the caller's job. Encode is safe for concurrent use.
func Encode(ctx context.Context, w io.Writer, img image.Image, f Format, o EncodeOptions) error {
	panic("not implemented")
}
