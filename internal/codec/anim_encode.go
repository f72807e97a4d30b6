package codec

import (
	"fmt"
	"image"
	"io"
	"time"

	"github.com/imgcdn/imgcdn/internal/raster"
)

// errAnimClosed is returned by Add and Close after Close.
var errAnimClosed = fmt.Errorf("%w: animation encoder is closed", ErrEncode)

// AnimEncoder writes an animated GIF or WebP, one coalesced frame at a
// time: each frame given to [AnimEncoder.Add] is the whole canvas as it
// should be shown, and the encoder works out the smallest changed
// rectangle, the disposal and the blending that reproduce it, so that the
// frames decode back (with [AnimDecoder]) to what was given, within the
// format's precision, and in the same number.
//
// GIF: each frame is quantized to its own palette of up to 256 colours
// (Wu's quantizer from package quantize, without dithering: dither noise
// changes from frame to frame and flickers, and it defeats the reuse of
// unchanged pixels). A pixel with alpha below 128 is transparent, the rest
// are opaque. Only the rectangle that changed is stored; inside it, pixels
// that did not change are written with the transparent index, which
// leaves the previous frame showing and compresses well. A frame is
// disposed to background (cleared to transparent) only when the next frame
// needs transparency where it was opaque. A frame whose changed pixels
// have at most 255 colours (256 when none is kept) decodes back exactly.
// Delays are rounded to the nearest hundredth of a second (GIF's unit, up
// to 655.35 s), and written as given: no minimum is imposed. The loop count maps to the NETSCAPE2.0 extension as
// [AnimInfo.LoopCount] describes: 1 writes none, 0 writes 0 (forever), n
// writes n-1. GIF output is written as frames arrive (each frame once the
// next one, or Close, shows how it must be disposed). EncodeOptions are
// ignored: GIF has no quality setting here and no metadata is written.
//
// WebP: each frame after the first stores the changed rectangle (its
// offset rounded down to even coordinates, as WebP requires); when every
// changed pixel is opaque, the unchanged pixels in it are made transparent
// and the frame is alpha-blended, which keeps them exactly; otherwise it
// replaces the rectangle. A frame identical to the previous one is kept as
// a one-pixel transparent frame, so the frame count is preserved. Frames
// are coded by github.com/deepteams/webp at [DefaultWebPMethod], lossy at
// o.Quality (0 means [DefaultQuality]) or, with o.Lossless, lossless,
// which reproduces the frames exactly (the colour of fully transparent
// pixels is not kept). Delays are stored in milliseconds (up to about 4.6
// hours), the loop count as is (0 forever, at most 65535), and o.ICC,
// o.EXIF and o.XMP are embedded. The file is written by Close, since its
// header gives its total length.
//
// An AnimEncoder must not be used by two goroutines at once.
type AnimEncoder struct {
	f             Format
	width, height int
	frames        int
	err           error // sticky
	gif           *animGIFWriter
	webp          *animWebPWriter
}

// NewAnimEncoder returns an encoder writing an animation of format f (GIF
// or WebP) with a width×height canvas to w. loopCount is the total number
// of plays, 0 for forever, as in [AnimInfo]: from 0 to 65536 for GIF, to
// 65535 for WebP. o applies to WebP (Quality, Lossless, ICC, EXIF, XMP);
// GIF ignores it. A format other than GIF and WebP is [ErrUnsupported];
// a canvas, loop count or quality out of range is [ErrEncode]. Nothing is
// written until the first frame.
func NewAnimEncoder(w io.Writer, f Format, width, height int, loopCount int, o EncodeOptions) (*AnimEncoder, error) {
	e := &AnimEncoder{f: f, width: width, height: height}
	switch f {
	case GIF:
		if width <= 0 || height <= 0 || width > 0xffff || height > 0xffff {
			return nil, fmt.Errorf("%w: gif: canvas %dx%d is outside 1…65535", ErrEncode, width, height)
		}
		if loopCount < 0 || loopCount > 0x10000 {
			return nil, fmt.Errorf("%w: gif: loop count %d is outside 0…65536", ErrEncode, loopCount)
		}
		e.gif = newAnimGIFWriter(w, width, height, loopCount)
	case WebP:
		if width <= 0 || height <= 0 || width > animWebPMaxSide || height > animWebPMaxSide {
			return nil, fmt.Errorf("%w: webp: canvas %dx%d is outside 1…%d", ErrEncode, width, height, animWebPMaxSide)
		}
		if loopCount < 0 || loopCount > 0xffff {
			return nil, fmt.Errorf("%w: webp: loop count %d is outside 0…65535", ErrEncode, loopCount)
		}
		if o.Quality < 0 || o.Quality > 100 {
			return nil, fmt.Errorf("%w: webp: quality %d is not within 1 to 100", ErrEncode, o.Quality)
		}
		e.webp = newAnimWebPWriter(w, width, height, loopCount, o)
	default:
		return nil, fmt.Errorf("%w: animated %s output (GIF and WebP are)", ErrUnsupported, f)
	}
	return e, nil
}

// Add appends a frame shown for delay. img is the whole canvas: its bounds
// must be width×height (anywhere in the plane); any image type is
// accepted and converted to NRGBA. Add keeps no reference to img. An
// error stops the encoder, and Add and Close then return it again: a
// frame of the wrong size or a failure inside an encoder (a recovered
// panic included) wraps [ErrEncode]; an error of the writer is wrapped as
// it is.
func (e *AnimEncoder) Add(img image.Image, delay time.Duration) error {
	if e.err != nil {
		return e.err
	}
	if s := img.Bounds().Size(); s != image.Pt(e.width, e.height) {
		return fmt.Errorf("%w: %s: animation frame is %dx%d, the canvas %dx%d", ErrEncode, e.f, s.X, s.Y, e.width, e.height)
	}
	if err := e.add(img, delay); err != nil {
		e.err = err
		return err
	}
	e.frames++
	return nil
}

// add encodes a frame, turning a panic in an encoder into ErrEncode.
func (e *AnimEncoder) add(img image.Image, delay time.Duration) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = animPanic(e.f, r)
		}
	}()
	src := raster.ToNRGBA(img)
	if e.gif != nil {
		return e.gif.add(src, delay)
	}
	return e.webp.add(src, delay)
}

// animPanic turns a panic in an encoder into an ErrEncode error.
func animPanic(f Format, r any) error {
	msg := fmt.Sprint(r)
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return fmt.Errorf("%w: %s encoder panicked: %s", ErrEncode, f, msg)
}

// Close writes what remains of the animation and its end. It does not
// close the underlying writer. An animation needs at least one frame:
// Close without one is [ErrEncode]. After Close, Add and Close return an
// ErrEncode error.
func (e *AnimEncoder) Close() error {
	if e.err != nil {
		return e.err
	}
	e.err = errAnimClosed
	if e.frames == 0 {
		return fmt.Errorf("%w: %s: animation without frames", ErrEncode, e.f)
	}
	return e.close()
}

func (e *AnimEncoder) close() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = animPanic(e.f, r)
		}
	}()
	if e.gif != nil {
		return e.gif.close()
	}
	return e.webp.close()
}

// animCopy copies src (of dst's size, anywhere in the plane) into dst,
// making every pixel with zero alpha transparent black.
func animCopy(dst, src *image.NRGBA) {
	w := 4 * dst.Rect.Dx()
	for y := 0; y < dst.Rect.Dy(); y++ {
		d := dst.Pix[y*dst.Stride : y*dst.Stride+w]
		copy(d, src.Pix[(y)*src.Stride:])
		for i := 0; i < len(d); i += 4 {
			if d[i+3] == 0 {
				d[i], d[i+1], d[i+2] = 0, 0, 0
			}
		}
	}
}

// animDiffRect returns the bounding box of the pixels where a and b (of the
// same size, at the origin) differ.
func animDiffRect(a, b *image.NRGBA) image.Rectangle {
	w, h := a.Rect.Dx(), a.Rect.Dy()
	r := image.Rectangle{Min: image.Pt(w, h)}
	for y := 0; y < h; y++ {
		ra := a.Pix[y*a.Stride : y*a.Stride+4*w]
		rb := b.Pix[y*b.Stride : y*b.Stride+4*w]
		x0 := 0
		for x0 < w && string(ra[4*x0:4*x0+4]) == string(rb[4*x0:4*x0+4]) {
			x0++
		}
		if x0 == w {
			continue
		}
		x1 := w
		for string(ra[4*x1-4:4*x1]) == string(rb[4*x1-4:4*x1]) {
			x1--
		}
		r.Min.X, r.Max.X = min(r.Min.X, x0), max(r.Max.X, x1)
		r.Min.Y, r.Max.Y = min(r.Min.Y, y), y+1
	}
	if r.Empty() {
		return image.Rectangle{}
	}
	return r
}
