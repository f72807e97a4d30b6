package effect

import "image"

// newNRGBA returns a transparent w×h image whose bounds start at (0, 0).
// Negative sizes give an empty image.
func newNRGBA(w, h int) *image.NRGBA {
	return image.NewNRGBA(image.Rect(0, 0, max(w, 0), max(h, 0)))
}

// row returns the pixel bytes of row y of img, where y counts from the top of
// img's bounds (0 is the first row).
func row(img *image.NRGBA, y int) []byte {
	b := img.Rect
	off := img.PixOffset(b.Min.X, b.Min.Y+y)
	return img.Pix[off : off+b.Dx()*4 : off+b.Dx()*4]
}

// clone returns a copy of img whose bounds start at (0, 0).
func clone(img *image.NRGBA) *image.NRGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	dst := newNRGBA(w, h)
	for y := range h {
		copy(row(dst, y), row(img, y))
	}
	return dst
}

// isOpaque reports whether every pixel of img has alpha 255.
func isOpaque(img *image.NRGBA) bool {
	h := img.Rect.Dy()
	for y := range h {
		r := row(img, y)
		for i := 3; i < len(r); i += 4 {
			if r[i] != 255 {
				return false
			}
		}
	}
	return true
}

// fill sets every pixel of img to c.
func fill(img *image.NRGBA, c [4]byte) {
	h := img.Rect.Dy()
	if h == 0 || img.Rect.Dx() == 0 {
		return
	}
	first := row(img, 0)
	for i := 0; i < len(first); i += 4 {
		first[0+i], first[1+i], first[2+i], first[3+i] = c[0], c[1], c[2], c[3]
	}
	for y := 1; y < h; y++ {
		copy(row(img, y), first)
	}
}

// clamp8 rounds v to the nearest integer and clamps it to [0, 255].
func clamp8(v float32) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// abs returns the absolute value of v.
func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
