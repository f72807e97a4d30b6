// Package raster holds exact pixel transforms on the concrete image types of
// the standard library: the eight orientations of the dihedral group (quarter
// turns, flips, transpose and transverse), EXIF orientation handling, and fast
// conversions to [image.NRGBA].
//
// Every function works on the pixel slices (Pix, Stride, the Y/Cb/Cr planes)
// directly; none calls At or Set in a loop, apart from the documented generic
// fallback for image types it does not know.
//
// The transforms never modify their input: they return a new image whose
// bounds start at the origin. They keep the concrete type of the input for
// *image.YCbCr, *image.NYCbCrA, *image.Gray, *image.Gray16, *image.Alpha,
// *image.Alpha16, *image.NRGBA, *image.NRGBA64, *image.RGBA, *image.RGBA64,
// *image.CMYK and *image.Paletted; any other image is converted with
// [ToNRGBA] first. A 4:2:2 *image.YCbCr turned by a quarter becomes 4:4:0
// (and the reverse); 4:2:0 and 4:4:4 keep their ratio; 4:1:1 and 4:1:0, which
// have no transposed counterpart, become 4:4:4. When a flip would split a
// chroma sample (an odd width or height in a subsampled direction), the image
// is expanded to 4:4:4 first, so the result is exact: every pixel of the
// output has the Y, Cb and Cr values of its source pixel.
//
// All functions are safe for concurrent use on distinct or read-only images.
//
// A typical use turns a decoded photo upright:
//
//	upright := raster.Orient(img, orientation) // orientation from EXIF, 1 to 8
package raster
