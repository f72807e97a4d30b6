package resample

import (
	"errors"
	"fmt"
	"image"
)

// Errors returned by [Resize], wrapped with details.
var (
	// ErrUnsupported reports a source image type that Resize does not
	// handle; convert it to one of the supported types first.
	ErrUnsupported = errors.New("resample: unsupported image type")
	// ErrSize reports an output size that is not positive or too large.
	ErrSize = errors.New("resample: invalid output size")
	// ErrRect reports a source rectangle that is empty or not within the
	// bounds of the source image.
	ErrRect = errors.New("resample: invalid source rectangle")
	// ErrMalformed reports an image whose pixel buffers are too short for its
	// bounds.
	ErrMalformed = errors.New("resample: malformed image")
)

// Limits on the size of the output of Resize.
const (
	// MaxPixels is the largest number of output pixels.
	MaxPixels = 1 << 30
	// MaxSide is the largest output width or height.
	MaxSide = 1 << 24
)

// Resize returns the region r of src scaled to w×h pixels with a Lanczos3
// filter, as an image of the same concrete type as src whose bounds are
// image.Rect(0, 0, w, h).
//
// src must be an *image.YCbCr (any subsample ratio; the result keeps it), an
// *image.Gray, an *image.RGBA or an *image.NRGBA; other types give an error
// wrapping [ErrUnsupported]. r must be non-empty and lie within src.Bounds(),
// and w and h must be at least 1 and at most [MaxSide], with w*h at most
// [MaxPixels]; other values give errors wrapping [ErrRect] and [ErrSize].
//
// Output pixels near the edges of r are computed from the source pixels
// around them, including those outside r but inside src.Bounds(), as if the
// whole image were scaled and then cropped; at the edges of src.Bounds() the
// filter is renormalised over the pixels that exist. To scale r as an image on
// its own, pass a sub-image: Resize(src.SubImage(r), r, w, h).
//
// Resize does not modify src and is safe for concurrent use. It uses up to
// GOMAXPROCS goroutines.
func Resize(src image.Image, r image.Rectangle, w, h int) (image.Image, error) {
	if w < 1 || h < 1 || w > MaxSide || h > MaxSide || int64(w)*int64(h) > MaxPixels {
		return nil, fmt.Errorf("%w: %d×%d", ErrSize, w, h)
	}
	if src == nil {
		return nil, fmt.Errorf("%w: nil", ErrUnsupported)
	}
	if b := src.Bounds(); r.Empty() || !r.In(b) {
		return nil, fmt.Errorf("%w: %v not within %v", ErrRect, r, b)
	}
	switch s := src.(type) {
	case *image.YCbCr:
		return resizeYCbCr(s, r, w, h)
	case *image.Gray:
		dst := image.NewGray(image.Rect(0, 0, w, h))
		err := scale([]plane{{s.Pix, s.Stride, s.Rect.Dx(), s.Rect.Dy(), 1}},
			[]plane{{dst.Pix, dst.Stride, w, h, 1}}, s.Rect.Min, r, w, h, 1, 1, finishPlain, false)
		return result(dst, err)
	case *image.RGBA:
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		err := scale([]plane{{s.Pix, s.Stride, s.Rect.Dx(), s.Rect.Dy(), 4}},
			[]plane{{dst.Pix, dst.Stride, w, h, 4}}, s.Rect.Min, r, w, h, 1, 1, finishRGBA, false)
		return result(dst, err)
	case *image.NRGBA:
		dst := image.NewNRGBA(image.Rect(0, 0, w, h))
		err := scale([]plane{{s.Pix, s.Stride, s.Rect.Dx(), s.Rect.Dy(), 4}},
			[]plane{{dst.Pix, dst.Stride, w, h, 4}}, s.Rect.Min, r, w, h, 1, 1, finishNRGBA, true)
		return result(dst, err)
	}
	return nil, fmt.Errorf("%w: %T", ErrUnsupported, src)
}

// result returns m, or nil when err is not nil.
func result(m image.Image, err error) (image.Image, error) {
	if err != nil {
		return nil, err
	}
	return m, nil
}

// subsampling returns the horizontal and vertical chroma subsampling factors
// of a ratio.
func subsampling(ratio image.YCbCrSubsampleRatio) (hx, hy int, ok bool) {
	switch ratio {
	case image.YCbCrSubsampleRatio444:
		return 1, 1, true
	case image.YCbCrSubsampleRatio422:
		return 2, 1, true
	case image.YCbCrSubsampleRatio420:
		return 2, 2, true
	case image.YCbCrSubsampleRatio440:
		return 1, 2, true
	case image.YCbCrSubsampleRatio411:
		return 4, 1, true
	case image.YCbCrSubsampleRatio410:
		return 4, 2, true
	}
	return 0, 0, false
}

func resizeYCbCr(s *image.YCbCr, r image.Rectangle, w, h int) (image.Image, error) {
	hx, hy, ok := subsampling(s.SubsampleRatio)
	if !ok {
		return nil, fmt.Errorf("%w: YCbCr subsample ratio %v", ErrUnsupported, s.SubsampleRatio)
	}
	dst := image.NewYCbCr(image.Rect(0, 0, w, h), s.SubsampleRatio)
	b := s.Rect
	if err := scale([]plane{{s.Y, s.YStride, b.Dx(), b.Dy(), 1}}, []plane{{dst.Y, dst.YStride, w, h, 1}},
		b.Min, r, w, h, 1, 1, finishPlain, false); err != nil {
		return nil, err
	}
	// A chroma sample covers hx×hy luma pixels. As in image.YCbCr.COffset,
	// the chroma planes start at the sample that covers b.Min.
	cw := (b.Max.X+hx-1)/hx - b.Min.X/hx
	ch := (b.Max.Y+hy-1)/hy - b.Min.Y/hy
	dw, dh := (w+hx-1)/hx, (h+hy-1)/hy
	origin := image.Pt(b.Min.X/hx*hx, b.Min.Y/hy*hy)
	if err := scale(
		[]plane{{s.Cb, s.CStride, cw, ch, 1}, {s.Cr, s.CStride, cw, ch, 1}},
		[]plane{{dst.Cb, dst.CStride, dw, dh, 1}, {dst.Cr, dst.CStride, dw, dh, 1}},
		origin, r, w, h, hx, hy, finishPlain, false); err != nil {
		return nil, err
	}
	return dst, nil
}

// scale scales the region r of the source planes, whose first samples cover
// the pixel origin, into the destination planes, planes of an output image of
// w×h pixels onto which r is mapped. A sample of any plane covers hx×hy
// pixels; all source planes have the size of the first, and so do all
// destination planes.
func scale(src, dst []plane, origin image.Point, r image.Rectangle, w, h, hx, hy int, fin finisher, premul bool) error {
	for _, p := range src {
		if p.w < 1 || p.h < 1 || p.stride < p.w*p.nc || len(p.pix) < (p.h-1)*p.stride+p.w*p.nc {
			return fmt.Errorf("%w: %d×%d samples with stride %d in %d bytes", ErrMalformed, p.w, p.h, p.stride, len(p.pix))
		}
	}
	newJob(src, dst, origin, r, w, h, hx, hy, fin, premul).run()
	return nil
}

// newJob returns the job of scale, for valid planes.
func newJob(src, dst []plane, origin image.Point, r image.Rectangle, w, h, hx, hy int, fin finisher, premul bool) *job {
	j := &job{np: len(src), nc: src[0].nc, premul: premul, fin: fin}
	copy(j.srcs[:], src)
	copy(j.dsts[:], dst)
	j.x = axisTable(src[0].w, dst[0].w, r.Min.X-origin.X, r.Dx(), w, hx)
	j.y = axisTable(src[0].h, dst[0].h, r.Min.Y-origin.Y, r.Dy(), h, hy)
	j.plan()
	return j
}

// axisTable returns the weights of one axis: out output samples from n source
// samples, where the span pixels starting off pixels after the first source
// sample's become outPix pixels, and a sample covers sub pixels.
func axisTable(n, out, off, span, outPix, sub int) table {
	b := float64(span) / float64(outPix)
	a := float64(off) / float64(sub)
	return newTable(n, out, a, b, boxFactor(b, n))
}
