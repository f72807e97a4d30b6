// Package jpegenc encodes images as JPEG files (ITU T.81), baseline or
// progressive.
//
// The standard library's image/jpeg writes only baseline files with the
// example Huffman tables of T.81 Annex K. Encode adds what an image CDN
// wants from an encoder:
//
//   - progressive output (SOF2), after the default scan script of the IJG
//     library: DC first at half precision, then spectral bands (luma 1–5,
//     chroma 1–63, luma 6–63) at reduced precision, then successive
//     approximation refinement scans;
//   - Huffman tables computed for each image (for progressive output, for
//     each scan), limited to 16-bit codes as in Annex K.2, with end-of-band
//     runs spanning blocks in progressive AC scans;
//   - 4:2:0 or 4:4:4 chroma, read straight from the planes of an
//     *image.YCbCr when its layout allows;
//   - one-component output for gray images;
//   - extra marker segments (Exif, ICC profiles, comments) after the JFIF
//     header.
//
// Quality follows the IJG scaling of the Annex K quantisation tables, so a
// quality setting means what it means to libjpeg and image/jpeg. The
// forward DCT is a float32 Arai–Agui–Nakajima transform, slightly more
// accurate than image/jpeg's integer one.
//
// Encode converts the whole image to quantised coefficients before it
// writes any entropy-coded data, which both optimised tables and
// progressive scans need: about 128 bytes of memory per 8×8 block, 6 MB for
// a 1920×1080 image in 4:2:0, reused from call to call. Large images are
// transformed by several goroutines.
//
// A minimal use:
//
//	var buf bytes.Buffer
//	err := jpegenc.Encode(&buf, img, &jpegenc.Options{Quality: 80, Progressive: true})
//
// Encode is safe for concurrent use.
package jpegenc
