// Package codec recognises image files by their leading bytes, reads their
// headers, decodes them into upright pixels within limits, and encodes
// pixels into the formats an image CDN serves.
//
// [Sniff] names the format from magic bytes only. [DecodeConfig] reads the
// header: format, stored and oriented size, EXIF orientation, hints for
// alpha and animation; it enforces [Limits] (file bytes, then pixels and
// sides) before any pixel memory is allocated, and refuses files too short
// to hold what they declare. [Decode] does the same, then decodes with the
// standard library (JPEG, PNG, GIF), golang.org/x/image (WebP, BMP, TIFF)
// and libavif through github.com/gen2brain/avif (AVIF), normalises the
// pixel type, applies the orientation and returns the ICC profile, the
// EXIF block and the XMP packet.
//
// [Encode] writes JPEG (internal/jpegenc), PNG (image/png, as a palette
// image when the colours allow), GIF, WebP (github.com/deepteams/webp) and
// AVIF (libavif), embedding an ICC profile, EXIF and XMP where the format
// has room for them. AVIF runs on a system libavif 1.1 or later when one
// is installed and the program is dynamically linked (unless built with
// the nodynamic tag), and otherwise on a WebAssembly build of libavif that
// the first AVIF call of a process compiles, in about a second: call
// [WarmUp] at start, and log [AVIFBackend]. The WebAssembly decoder holds
// about 50 bytes per pixel while it runs (210 MB for 2048×2048), so a
// server that decodes AVIF should keep [Limits.MaxPixels] in proportion.
//
// Every error of DecodeConfig and Decode matches exactly one class with
// [errors.Is]: [ErrTooLarge] (a *[LimitError] saying which limit),
// [ErrUnsupported] (recognised but not decodable here: HEIF, JPEG XL, SVG,
// or a feature such as arithmetic-coded JPEG), [ErrUnknownFormat] (not an
// image) or [ErrCorrupt] (truncated or malformed; the decoder's error is
// wrapped). Decoders never panic through this package: a panic is
// recovered as ErrCorrupt. Encode's errors match [ErrEncode] or
// [ErrUnsupported], or wrap the error of the writer.
//
// Hostile files fail fast. The headers of WebP, GIF, PNG and JPEG are
// walked with bounds checks before a decoder sees them; a WebP whose chunks
// claim more bytes than the file has is refused, as is an image whose
// declared size cannot come from the data present (a PNG whose compressed
// data could not inflate to its pixels, a sequential JPEG with less than a
// byte for every 512 pixels, a BMP shorter than its rows, a GIF frame whose
// LZW data is too short). What remains is bounded by [Limits]: a
// progressive JPEG, for one, may still make the decoder allocate its full
// declared size (about 6 bytes per pixel for its coefficients and planes)
// before finding its data short.
//
// All functions are safe for concurrent use; none keeps a reference to its
// input, and none changes it.
//
// A typical use:
//
//	img, err := codec.Decode(ctx, b, codec.Limits{}, codec.DecodeHint{Width: 400})
//	switch {
//	case errors.Is(err, codec.ErrTooLarge):
//		// 413 or 422: the source is too big
//	case errors.Is(err, codec.ErrUnsupported), errors.Is(err, codec.ErrUnknownFormat):
//		// 415
//	case err != nil:
//		// 422: corrupt source
//	}
//	// img.Pixels is upright; plan the resize from its bounds.
package codec
