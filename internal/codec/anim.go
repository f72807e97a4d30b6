package codec

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"io"
	"time"
)

// The default animation limits, used for a zero (or negative) field of
// [AnimLimits].
const (
	// DefaultMaxFrames is the default limit of the number of frames.
	DefaultMaxFrames = 1000
	// DefaultMaxAnimationPixels is the default limit of the pixels an
	// animation may make the decoder composite: 200 million, such as 500
	// frames of 640×625.
	DefaultMaxAnimationPixels = 200_000_000
)

// AnimLimits bound the work of decoding an animation, on top of the
// [Limits] that the canvas must meet. The zero value means the defaults;
// each zero or negative field takes its default.
type AnimLimits struct {
	// MaxFrames is the largest number of frames accepted (default
	// [DefaultMaxFrames]).
	MaxFrames int
	// MaxTotalPixels bounds the pixels of all frames together: the canvas
	// width × height × the number of frames, and also (for GIF, whose
	// frames may be larger than the canvas) the sum of the frames' own
	// areas (default [DefaultMaxAnimationPixels]).
	MaxTotalPixels int64
}

func (l AnimLimits) withDefaults() AnimLimits {
	if l.MaxFrames <= 0 {
		l.MaxFrames = DefaultMaxFrames
	}
	if l.MaxTotalPixels <= 0 {
		l.MaxTotalPixels = DefaultMaxAnimationPixels
	}
	return l
}

// check returns a *LimitError when an animation of frames frames, which
// composites pixels pixels in all, exceeds a limit.
func (l AnimLimits) check(frames int, pixels int64) error {
	if frames > l.MaxFrames {
		return &LimitError{What: "frames", Value: int64(frames), Max: int64(l.MaxFrames)}
	}
	if pixels > l.MaxTotalPixels {
		return &LimitError{What: "animation pixels", Value: pixels, Max: l.MaxTotalPixels}
	}
	return nil
}

// AnimInfo describes an animation, as read from its blocks or chunks
// before any pixel is decoded.
type AnimInfo struct {
	// Format is GIF or WebP.
	Format Format
	// Width and Height are the size of the canvas (GIF's logical screen,
	// WebP's VP8X canvas); every frame [AnimDecoder.Next] returns has it.
	Width, Height int
	// Frames is the number of frames, 1 for a still image.
	Frames int
	// LoopCount is the total number of times the animation plays; 0 means
	// forever. For GIF it comes from the NETSCAPE2.0 (or ANIMEXTS1.0)
	// application extension, which stores the number of repeats after the
	// first play: no extension means 1 (play once), a stored 0 means 0
	// (forever), a stored n means n+1. For WebP it is the ANIM chunk's
	// loop count as stored (0 forever); a still WebP, which has no ANIM
	// chunk, reports 1. [NewAnimEncoder] takes the same number and writes
	// the inverse mapping.
	LoopCount int
	// Background is the declared background colour, for information only:
	// GIF's background colour index looked up in the global colour table
	// (zero when there is none), WebP's ANIM background colour. Frames are
	// composited on a transparent canvas regardless, as browsers do.
	Background color.NRGBA
}

// AnimDecoder yields the frames of a GIF or WebP animation one by one,
// each composited onto the full canvas ("coalesced"), starting from a
// transparent canvas and honouring each frame's disposal and blending:
//
//   - GIF: disposal "none" (and the unspecified or reserved values) keeps
//     the frame on the canvas; "background" clears its rectangle to
//     transparent after it is shown (as browsers do; the declared
//     background colour is ignored); "previous" restores the canvas as it
//     was before the frame. Pixels of the transparent index leave the
//     canvas as it is. A frame that extends beyond the logical screen is
//     clipped to it (the pixels outside are decoded and dropped), as
//     browsers do; its declared area still counts against the limits.
//   - WebP: frames are alpha-blended onto the canvas or replace it (the
//     ANMF blending bit) and optionally disposed to transparent; the
//     compositing reproduces libwebp's WebPAnimDecoder (anim_decode.c)
//     exactly, including its integer blending and its key-frame rules. A
//     frame outside the canvas makes the file corrupt, as in libwebp.
//
// A still GIF or WebP is an animation of one frame. Frames are returned as
// stored: an EXIF orientation is not applied.
//
// Delays are returned as stored: GIF's in hundredths of a second, WebP's
// in milliseconds. Browsers show GIF delays of 0 or 10 ms as 100 ms; that
// is a policy for players, not applied here.
//
// An AnimDecoder keeps a reference to the file bytes, which must not
// change while it is in use, and to the context given to
// [NewAnimDecoder], which [AnimDecoder.Next] checks before each frame. It
// must not be used by two goroutines at once.
type AnimDecoder struct {
	ctx  context.Context
	b    []byte
	info AnimInfo
	next int
	err  error // sticky: the error that stopped decoding

	canvas *image.NRGBA // the canvas before the next frame (after disposal)
	gif    *gifAnim
	webp   *webpAnim
	still  *probed // a still WebP

	prevWebP    *webpAnimFrame // the previous WebP frame
	prevWebPKey bool           // it was a key frame
}

// NewAnimDecoder reads the structure of the GIF or WebP file b and returns
// a decoder of its frames. Before any pixel is decoded it checks lim
// exactly as [DecodeConfig] does (the file size, then the canvas), walks
// every block (GIF) or chunk (WebP) of the file, and checks alim: more
// frames than alim.MaxFrames, or more pixels in all than
// alim.MaxTotalPixels, is an error matching [ErrTooLarge] whose
// *[LimitError] says "frames" or "animation pixels". Each GIF frame must
// also meet lim.MaxPixels and lim.MaxSide ("source pixels" and so on).
//
// A file whose blocks or chunks are cut short or malformed, a GIF without
// its trailer, a GIF frame whose compressed data is too short for its
// size, or a WebP frame that does not fit the canvas is reported as
// [ErrCorrupt], before any pixel is decoded. A format other than GIF and
// WebP is [ErrUnsupported] (or [ErrUnknownFormat] when not an image at
// all).
//
// ctx is checked now and before each frame that [AnimDecoder.Next]
// decodes. NewAnimDecoder never panics and is safe for concurrent use.
func NewAnimDecoder(ctx context.Context, b []byte, lim Limits, alim AnimLimits) (*AnimDecoder, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	lim, alim = lim.withDefaults(), alim.withDefaults()
	p, err := probe(b, lim)
	if err != nil {
		return nil, err
	}
	d := &AnimDecoder{ctx: ctx, b: b}
	switch p.h.Format {
	case GIF:
		d.gif, err = scanGIFAnim(b, lim, alim)
		if err != nil {
			return nil, err
		}
		d.info = d.gif.info()
	case WebP:
		if !p.webp.animated() {
			d.still = p
			d.info = AnimInfo{Format: WebP, Width: p.h.Width, Height: p.h.Height, Frames: 1, LoopCount: 1}
			break
		}
		d.webp, err = scanWebPAnim(p.webp, alim)
		if err != nil {
			return nil, err
		}
		d.info = d.webp.info()
	default:
		return nil, fmt.Errorf("%w: %s is not an animation format (GIF and WebP are)", ErrUnsupported, p.h.Format)
	}
	return d, nil
}

// Info returns the description of the animation.
func (d *AnimDecoder) Info() AnimInfo { return d.info }

// Next returns the next frame, composited onto the canvas, and how long it
// is shown; io.EOF after the last frame. Each call returns a new
// *image.NRGBA with bounds (0, 0)–(Width, Height) that the caller owns.
//
// After an error, Next returns the same error again: a corrupt frame
// ([ErrCorrupt]; a panic in a decoder is recovered as ErrCorrupt), or the
// error of the context when it is done.
func (d *AnimDecoder) Next() (*image.NRGBA, time.Duration, error) {
	if d.err != nil {
		return nil, 0, d.err
	}
	if d.next >= d.info.Frames {
		return nil, 0, io.EOF
	}
	if err := d.ctx.Err(); err != nil {
		d.err = err
		return nil, 0, err
	}
	img, delay, err := d.frame()
	if err != nil {
		d.err = err
		return nil, 0, err
	}
	d.next++
	return img, delay, nil
}

// frame decodes and composites frame d.next, turning a panic into
// ErrCorrupt.
func (d *AnimDecoder) frame() (img *image.NRGBA, delay time.Duration, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, delay, err = nil, 0, panicErr(d.info.Format, r)
		}
	}()
	if d.canvas == nil && d.still == nil {
		d.canvas = image.NewNRGBA(image.Rect(0, 0, d.info.Width, d.info.Height))
	}
	switch {
	case d.gif != nil:
		return d.gifFrame()
	case d.webp != nil:
		return d.webpFrame()
	}
	m, err := decodePixels(d.b, d.still)
	if err != nil {
		return nil, 0, err
	}
	n, ok := m.(*image.NRGBA)
	if !ok || n.Rect != image.Rect(0, 0, d.info.Width, d.info.Height) {
		return nil, 0, corruptf("webp: decoded %v, header says %dx%d", m.Bounds(), d.info.Width, d.info.Height)
	}
	return n, 0, nil
}

// animClone returns a copy of m with the same bounds.
func animClone(m *image.NRGBA) *image.NRGBA {
	return &image.NRGBA{Pix: append([]uint8(nil), m.Pix...), Stride: m.Stride, Rect: m.Rect}
}

// animClearRect sets the pixels of r (clipped to m) to transparent black.
func animClearRect(m *image.NRGBA, r image.Rectangle) {
	r = r.Intersect(m.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		clear(m.Pix[m.PixOffset(r.Min.X, y):m.PixOffset(r.Max.X, y)])
	}
}
