package raster

import (
	"encoding/binary"
	"image"
)

// transform applies o to img, keeping its concrete type where it can.
func transform(img image.Image, o op) image.Image {
	switch m := img.(type) {
	case *image.YCbCr:
		return transformYCbCr(m, o)
	case *image.NYCbCrA:
		return transformNYCbCrA(m, o)
	case *image.Gray:
		d := image.NewGray(rotatedRect(m.Rect, o))
		return movePix(d, d.Pix, d.Stride, m.Rect, m.Pix, m.Stride, 1, o)
	case *image.Alpha:
		d := image.NewAlpha(rotatedRect(m.Rect, o))
		return movePix(d, d.Pix, d.Stride, m.Rect, m.Pix, m.Stride, 1, o)
	case *image.Paletted:
		d := image.NewPaletted(rotatedRect(m.Rect, o), m.Palette)
		return movePix(d, d.Pix, d.Stride, m.Rect, m.Pix, m.Stride, 1, o)
	case *image.Gray16:
		d := image.NewGray16(rotatedRect(m.Rect, o))
		return movePix(d, d.Pix, d.Stride, m.Rect, m.Pix, m.Stride, 2, o)
	case *image.Alpha16:
		d := image.NewAlpha16(rotatedRect(m.Rect, o))
		return movePix(d, d.Pix, d.Stride, m.Rect, m.Pix, m.Stride, 2, o)
	case *image.NRGBA:
		d := image.NewNRGBA(rotatedRect(m.Rect, o))
		return movePix(d, d.Pix, d.Stride, m.Rect, m.Pix, m.Stride, 4, o)
	case *image.RGBA:
		d := image.NewRGBA(rotatedRect(m.Rect, o))
		return movePix(d, d.Pix, d.Stride, m.Rect, m.Pix, m.Stride, 4, o)
	case *image.CMYK:
		d := image.NewCMYK(rotatedRect(m.Rect, o))
		return movePix(d, d.Pix, d.Stride, m.Rect, m.Pix, m.Stride, 4, o)
	case *image.NRGBA64:
		d := image.NewNRGBA64(rotatedRect(m.Rect, o))
		return movePix(d, d.Pix, d.Stride, m.Rect, m.Pix, m.Stride, 8, o)
	case *image.RGBA64:
		d := image.NewRGBA64(rotatedRect(m.Rect, o))
		return movePix(d, d.Pix, d.Stride, m.Rect, m.Pix, m.Stride, 8, o)
	}
	return transform(ToNRGBA(img), o)
}

// movePix transforms the pixels of a packed image whose bounds are r into
// d's buffer, and returns d.
func movePix(d image.Image, dst []byte, dstStride int, r image.Rectangle, src []byte, srcStride, bpp int, o op) image.Image {
	// A packed image's Pix starts at its Rect.Min (PixOffset(Min) is 0).
	transformPlane(dst, dstStride, src, srcStride, r.Dx(), r.Dy(), bpp, o)
	return d
}

// rotatedRect returns the bounds, at the origin, of an image with bounds r
// after o.
func rotatedRect(r image.Rectangle, o op) image.Rectangle {
	d, _, _ := newRect(r, o)
	return d
}

// newRect returns the bounds of the transformed image (at the origin) and the
// source width and height.
func newRect(r image.Rectangle, o op) (dst image.Rectangle, w, h int) {
	w, h = r.Dx(), r.Dy()
	if o.swaps() {
		return image.Rect(0, 0, h, w), w, h
	}
	return image.Rect(0, 0, w, h), w, h
}

// tile is the side, in pixels, of the square blocks in which the transforms
// that exchange the axes walk the image, so that the rows they read and write
// stay in the cache.
const tile = 32

// transformPlane writes into dst the plane src (w×h pixels of bpp bytes,
// rows stride bytes apart, starting at src[0]) transformed by o. dst must hold
// the transformed plane at dstStride bytes per row.
func transformPlane(dst []byte, dstStride int, src []byte, srcStride, w, h, bpp int, o op) {
	if w <= 0 || h <= 0 {
		return
	}
	revX, revY := o.reverses()
	if !o.swaps() {
		rowBytes := w * bpp
		for y := 0; y < h; y++ {
			sy := y
			if revY {
				sy = h - 1 - y
			}
			s := src[sy*srcStride : sy*srcStride+rowBytes]
			d := dst[y*dstStride : y*dstStride+rowBytes]
			if !revX {
				copy(d, s)
				continue
			}
			reverseRow(d, s, bpp)
		}
		return
	}

	// The axes swap: the output is h wide and w tall; output pixel (x, y)
	// comes from source column sx(y), row sy(x).
	step := srcStride
	start := 0
	if revY {
		step = -srcStride
		start = (h - 1) * srcStride
	}
	dw, dh := h, w
	for ty := 0; ty < dh; ty += tile {
		yEnd := min(ty+tile, dh)
		for tx := 0; tx < dw; tx += tile {
			xEnd := min(tx+tile, dw)
			for y := ty; y < yEnd; y++ {
				sx := y
				if revX {
					sx = w - 1 - y
				}
				off := start + sx*bpp + tx*step
				d := dst[y*dstStride+tx*bpp : y*dstStride+xEnd*bpp]
				switch bpp {
				case 1:
					for i := range d {
						d[i] = src[off]
						off += step
					}
				case 4:
					for i := 0; i+4 <= len(d); i += 4 {
						binary.LittleEndian.PutUint32(d[i:], binary.LittleEndian.Uint32(src[off:]))
						off += step
					}
				default:
					for i := 0; i+bpp <= len(d); i += bpp {
						copy(d[i:i+bpp], src[off:off+bpp])
						off += step
					}
				}
			}
		}
	}
}

// reverseRow writes the pixels of s into d in reverse order.
func reverseRow(d, s []byte, bpp int) {
	switch bpp {
	case 1:
		n := len(s)
		for i := range d[:n] {
			d[i] = s[n-1-i]
		}
	case 4:
		j := len(s) - 4
		for i := 0; i+4 <= len(d) && j >= 0; i += 4 {
			binary.LittleEndian.PutUint32(d[i:], binary.LittleEndian.Uint32(s[j:]))
			j -= 4
		}
	default:
		j := len(s) - bpp
		for i := 0; i+bpp <= len(d) && j >= 0; i += bpp {
			copy(d[i:i+bpp], s[j:j+bpp])
			j -= bpp
		}
	}
}

// factors returns the horizontal and vertical chroma subsampling factors.
func factors(r image.YCbCrSubsampleRatio) (hf, vf int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return 2, 1
	case image.YCbCrSubsampleRatio420:
		return 2, 2
	case image.YCbCrSubsampleRatio440:
		return 1, 2
	case image.YCbCrSubsampleRatio411:
		return 4, 1
	case image.YCbCrSubsampleRatio410:
		return 4, 2
	}
	return 1, 1
}

// transposed returns the ratio of a subsampled image after its axes are
// exchanged, and false when the standard library has no such ratio.
func transposed(r image.YCbCrSubsampleRatio) (image.YCbCrSubsampleRatio, bool) {
	switch r {
	case image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio420:
		return r, true
	case image.YCbCrSubsampleRatio422:
		return image.YCbCrSubsampleRatio440, true
	case image.YCbCrSubsampleRatio440:
		return image.YCbCrSubsampleRatio422, true
	}
	return r, false
}

// needs444 reports whether m must be expanded to 4:4:4 before o can move its
// chroma samples exactly.
func needs444(m *image.YCbCr, o op) bool {
	hf, vf := factors(m.SubsampleRatio)
	if hf == 1 && vf == 1 {
		return false
	}
	r := m.Rect
	if r.Min.X%hf != 0 || r.Min.Y%vf != 0 {
		return true
	}
	revX, revY := o.reverses()
	if revX && r.Dx()%hf != 0 || revY && r.Dy()%vf != 0 {
		return true
	}
	if o.swaps() {
		if _, ok := transposed(m.SubsampleRatio); !ok {
			return true
		}
	}
	return false
}

func transformYCbCr(m *image.YCbCr, o op) *image.YCbCr {
	if needs444(m, o) {
		m = to444(m)
	}
	ratio := m.SubsampleRatio
	if o.swaps() {
		ratio, _ = transposed(ratio)
	}
	r, w, h := newRect(m.Rect, o)
	d := image.NewYCbCr(r, ratio)
	transformPlane(d.Y, d.YStride, m.Y[m.YOffset(m.Rect.Min.X, m.Rect.Min.Y):], m.YStride, w, h, 1, o)
	hf, vf := factors(m.SubsampleRatio)
	cw, ch := (w+hf-1)/hf, (h+vf-1)/vf
	c := m.COffset(m.Rect.Min.X, m.Rect.Min.Y)
	transformPlane(d.Cb, d.CStride, m.Cb[c:], m.CStride, cw, ch, 1, o)
	transformPlane(d.Cr, d.CStride, m.Cr[c:], m.CStride, cw, ch, 1, o)
	return d
}

func transformNYCbCrA(m *image.NYCbCrA, o op) *image.NYCbCrA {
	y := transformYCbCr(&m.YCbCr, o)
	d := &image.NYCbCrA{YCbCr: *y, A: make([]byte, len(y.Y)), AStride: y.YStride}
	w, h := m.Rect.Dx(), m.Rect.Dy()
	transformPlane(d.A, d.AStride, m.A[m.AOffset(m.Rect.Min.X, m.Rect.Min.Y):], m.AStride, w, h, 1, o)
	return d
}

// to444 returns m with full-resolution chroma, each sample repeated over the
// pixels it covered, so that every pixel keeps its Y, Cb and Cr values.
func to444(m *image.YCbCr) *image.YCbCr {
	r := m.Rect
	d := image.NewYCbCr(r, image.YCbCrSubsampleRatio444)
	w := r.Dx()
	hf, vf := factors(m.SubsampleRatio)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		dy := (y - r.Min.Y) * d.YStride
		copy(d.Y[dy:dy+w], m.Y[m.YOffset(r.Min.X, y):])
		cb, cr := d.Cb[dy:dy+w], d.Cr[dy:dy+w]
		crow := (y/vf - r.Min.Y/vf) * m.CStride
		x0 := r.Min.X / hf
		for i := range cb {
			ci := crow + (r.Min.X+i)/hf - x0
			cb[i] = m.Cb[ci]
			cr[i] = m.Cr[ci]
		}
	}
	return d
}
