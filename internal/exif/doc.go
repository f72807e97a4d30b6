// Package exif reads the little of the EXIF/TIFF structure that serving
// images needs: the orientation tag, and the place of the EXIF payload inside
// JPEG, PNG, WebP and TIFF files.
//
// The EXIF payload is a TIFF structure: a byte-order mark ("II" or "MM"),
// the number 42, and the offset of the first image file directory (IFD0),
// whose entries are 12 bytes each. The readers here are written for hostile
// input: every offset is checked against the slice before it is used, the
// walks over JPEG segments and PNG/RIFF chunks always move forward, only IFD0
// is read (no chain of directories is followed), and nothing panics. The
// readers return slices of their input rather than copies and allocate
// nothing; [ResetOrientation], the one writer, returns a new copy.
//
// All functions are safe for concurrent use.
//
// A typical use finds the orientation of a JPEG photo:
//
//	o := exif.Orientation(exif.FromJPEG(b)) // 1 to 8; 1 when absent
package exif
