package raster

import "image"

// The EXIF orientation values (TIFF tag 0x0112). Each names the transform
// that turns the stored image upright.
const (
	// OrientNormal needs no change.
	OrientNormal = 1
	// OrientFlipH is mirrored left to right.
	OrientFlipH = 2
	// OrientRotate180 is turned by a half.
	OrientRotate180 = 3
	// OrientFlipV is mirrored top to bottom.
	OrientFlipV = 4
	// OrientTranspose is mirrored across the top-left to bottom-right diagonal.
	OrientTranspose = 5
	// OrientRotate90 needs a quarter turn clockwise.
	OrientRotate90 = 6
	// OrientTransverse is mirrored across the top-right to bottom-left diagonal.
	OrientTransverse = 7
	// OrientRotate270 needs a quarter turn anticlockwise (270° clockwise).
	OrientRotate270 = 8
)

// op is one of the seven non-identity transforms. Its value is the EXIF
// orientation it undoes.
type op uint8

const (
	opFlipH      op = OrientFlipH
	opRotate180  op = OrientRotate180
	opFlipV      op = OrientFlipV
	opTranspose  op = OrientTranspose
	opRotate90   op = OrientRotate90
	opTransverse op = OrientTransverse
	opRotate270  op = OrientRotate270
)

// swaps reports whether the transform exchanges width and height.
func (o op) swaps() bool { return o >= opTranspose }

// reverses reports which source axes the transform reads backwards: the
// source x axis (revX) and the source y axis (revY).
func (o op) reverses() (revX, revY bool) {
	switch o {
	case opFlipH, opRotate270:
		return true, false
	case opFlipV, opRotate90:
		return false, true
	case opRotate180, opTransverse:
		return true, true
	}
	return false, false
}

// matrices holds (read-only), for each orientation 1 to 8, the signed
// permutation matrix {a, b, c, d} that maps centred source coordinates (u, v) to display
// coordinates (a*u + b*v, c*u + d*v) once the orientation has been applied.
var matrices = [9][4]int8{
	{},
	{1, 0, 0, 1},   // 1: identity
	{-1, 0, 0, 1},  // 2: mirror left to right
	{-1, 0, 0, -1}, // 3: half turn
	{1, 0, 0, -1},  // 4: mirror top to bottom
	{0, 1, 1, 0},   // 5: transpose
	{0, -1, 1, 0},  // 6: quarter turn clockwise
	{0, -1, -1, 0}, // 7: transverse
	{0, 1, -1, 0},  // 8: quarter turn anticlockwise
}

// Valid reports whether o is an EXIF orientation, 1 to 8.
func Valid(o int) bool { return o >= 1 && o <= 8 }

// Compose returns the orientation whose transform equals applying the
// transform of first and then that of second. Invalid values count as 1.
func Compose(first, second int) int {
	if !Valid(first) {
		first = OrientNormal
	}
	if !Valid(second) {
		second = OrientNormal
	}
	p, q := matrices[first], matrices[second]
	m := [4]int8{
		q[0]*p[0] + q[1]*p[2], q[0]*p[1] + q[1]*p[3],
		q[2]*p[0] + q[3]*p[2], q[2]*p[1] + q[3]*p[3],
	}
	for o := 1; o <= 8; o++ {
		if matrices[o] == m {
			return o
		}
	}
	return OrientNormal // unreachable: the eight matrices form a group
}

// Inverse returns the orientation that undoes the transform of o: 6 and 8
// undo each other, every other orientation undoes itself. Invalid values
// give 1.
func Inverse(o int) int {
	switch o {
	case OrientRotate90:
		return OrientRotate270
	case OrientRotate270:
		return OrientRotate90
	}
	if !Valid(o) {
		return OrientNormal
	}
	return o
}

// OrientedSize returns the size of a w×h stored image once orientation o has
// been applied: orientations 5 to 8 exchange width and height.
func OrientedSize(w, h, o int) (int, int) {
	if o >= OrientTranspose && o <= OrientRotate270 {
		return h, w
	}
	return w, h
}

// Orient returns img turned upright according to the EXIF orientation o. For
// 1 and for invalid values it returns img itself; otherwise a new image whose
// bounds start at the origin (see the package documentation for the types).
func Orient(img image.Image, o int) image.Image {
	if o <= OrientNormal || o > OrientRotate270 {
		return img
	}
	return transform(img, op(o))
}

// Rotate90 returns img turned a quarter clockwise.
func Rotate90(img image.Image) image.Image { return transform(img, opRotate90) }

// Rotate180 returns img turned by a half.
func Rotate180(img image.Image) image.Image { return transform(img, opRotate180) }

// Rotate270 returns img turned a quarter anticlockwise (270° clockwise).
func Rotate270(img image.Image) image.Image { return transform(img, opRotate270) }

// FlipH returns img mirrored left to right.
func FlipH(img image.Image) image.Image { return transform(img, opFlipH) }

// FlipV returns img mirrored top to bottom.
func FlipV(img image.Image) image.Image { return transform(img, opFlipV) }

// Transpose returns img mirrored across its top-left to bottom-right
// diagonal: the pixel at (x, y) moves to (y, x).
func Transpose(img image.Image) image.Image { return transform(img, opTranspose) }

// Transverse returns img mirrored across its top-right to bottom-left
// diagonal: a quarter turn clockwise followed by a left-to-right mirror.
func Transverse(img image.Image) image.Image { return transform(img, opTransverse) }
