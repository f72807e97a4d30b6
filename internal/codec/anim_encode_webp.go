package codec

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"io"
	"time"

	dwebp "github.com/deepteams/webp"
)

// animWebPMaxSide is the largest side of a WebP canvas.
const animWebPMaxSide = 16383

// The VP8X flags for metadata.
const (
	animWebPFlagICC  = 1 << 5
	animWebPFlagEXIF = 1 << 3
	animWebPFlagXMP  = 1 << 2
)

// animWebPWriter collects the frames of an animated WebP. Each frame is
// coded as a still image by github.com/deepteams/webp, and its bitstream
// chunks are put into an ANMF chunk here: the package's own animation
// encoder merges identical frames (changing the frame count) and drops
// the alpha of lossy frames.
type animWebPWriter struct {
	w             io.Writer
	width, height int
	loop          int
	o             EncodeOptions
	prev, cur     *image.NRGBA // the previous and the current frame, normalised
	frames        int
	alpha         bool   // some frame has an alpha channel
	body          []byte // the ANMF chunks
}

func newAnimWebPWriter(w io.Writer, width, height, loop int, o EncodeOptions) *animWebPWriter {
	return &animWebPWriter{w: w, width: width, height: height, loop: loop, o: o}
}

func (e *animWebPWriter) add(src *image.NRGBA, delay time.Duration) error {
	if e.cur == nil {
		e.cur = image.NewNRGBA(image.Rect(0, 0, e.width, e.height))
	}
	cur := e.cur
	animCopy(cur, src)
	var (
		r     image.Rectangle
		frame *image.NRGBA
		blend bool
	)
	switch {
	case e.prev == nil:
		// The first frame covers the canvas and replaces it.
		r, frame = cur.Rect, cur
	default:
		r = animDiffRect(cur, e.prev)
		if r.Empty() {
			// Nothing changed: one transparent pixel, blended, keeps the
			// frame (and its delay) without changing the canvas.
			r, frame, blend = image.Rect(0, 0, 1, 1), image.NewNRGBA(image.Rect(0, 0, 1, 1)), true
			break
		}
		r.Min.X &^= 1 // offsets are stored halved
		r.Min.Y &^= 1
		frame, blend = animWebPDelta(cur, e.prev, r)
	}
	payload, alpha, err := e.encode(frame)
	if err != nil {
		return err
	}
	e.alpha = e.alpha || alpha
	var h [16]byte
	animPut24(h[0:], r.Min.X/2)
	animPut24(h[3:], r.Min.Y/2)
	animPut24(h[6:], r.Dx()-1)
	animPut24(h[9:], r.Dy()-1)
	animPut24(h[12:], int(min(max((delay+time.Millisecond/2)/time.Millisecond, 0), 1<<24-1)))
	if !blend {
		h[15] = anmfNoBlend
	}
	e.body = riffChunk(e.body, "ANMF", append(h[:], payload...))
	if uint64(len(e.body)) > 1<<32-1<<20 {
		return fmt.Errorf("%w: webp: animation exceeds 4 GiB", ErrEncode)
	}
	e.prev, e.cur = cur, e.prev
	e.frames++
	return nil
}

// animWebPDelta returns the pixels of cur in r, and whether they can be
// alpha-blended: when every changed pixel is opaque, the unchanged ones
// are made transparent, so that blending keeps the canvas there exactly
// (and the frame compresses better).
func animWebPDelta(cur, prev *image.NRGBA, r image.Rectangle) (*image.NRGBA, bool) {
	frame := image.NewNRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	blend := true
	for y := 0; y < r.Dy(); y++ {
		c := cur.Pix[cur.PixOffset(r.Min.X, r.Min.Y+y):cur.PixOffset(r.Max.X, r.Min.Y+y)]
		p := prev.Pix[prev.PixOffset(r.Min.X, r.Min.Y+y):prev.PixOffset(r.Max.X, r.Min.Y+y)]
		copy(frame.Pix[y*frame.Stride:], c)
		if blend {
			for i := 0; i < len(c); i += 4 {
				if c[i+3] != 0xff && string(c[i:i+4]) != string(p[i:i+4]) {
					blend = false
					break
				}
			}
		}
	}
	if !blend {
		return frame, false
	}
	for y := 0; y < r.Dy(); y++ {
		c := frame.Pix[y*frame.Stride : y*frame.Stride+4*r.Dx()]
		p := prev.Pix[prev.PixOffset(r.Min.X, r.Min.Y+y):prev.PixOffset(r.Max.X, r.Min.Y+y)]
		for i := 0; i < len(c); i += 4 {
			if string(c[i:i+4]) == string(p[i:i+4]) {
				clear(c[i : i+4])
			}
		}
	}
	return frame, true
}

func animPut24(b []byte, v int) { b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16) }

// encode codes img as a still WebP and returns its ALPH and bitstream
// chunks, and whether they carry alpha.
func (e *animWebPWriter) encode(img *image.NRGBA) ([]byte, bool, error) {
	opts := dwebp.DefaultOptions()
	opts.Lossless = e.o.Lossless
	q := e.o.Quality
	if q <= 0 {
		q = DefaultQuality
	}
	opts.Quality = float32(min(q, 100))
	opts.Method = DefaultWebPMethod
	var buf bytes.Buffer
	if err := dwebp.Encode(&buf, img, opts); err != nil {
		return nil, false, fmt.Errorf("%w: webp: %w", ErrEncode, err)
	}
	b := buf.Bytes()
	if len(b) < 12 {
		return nil, false, fmt.Errorf("%w: webp: encoder wrote %d bytes", ErrEncode, len(b))
	}
	var alph, bits []byte
	var alpha bool
	err := walkRIFF(b[12:], func(id string, data []byte) error {
		switch id {
		case "ALPH":
			alph = riffChunk(nil, id, data)
			alpha = true
		case "VP8 ":
			bits = riffChunk(nil, id, data)
		case "VP8L":
			bits = riffChunk(nil, id, data)
			alpha = vp8lAlpha(data)
		}
		return nil
	})
	if err != nil || bits == nil {
		return nil, false, fmt.Errorf("%w: webp: encoder output without a bitstream", ErrEncode)
	}
	if bits[0] == 'V' && bits[3] == 'L' {
		alph = nil
	}
	return append(alph, bits...), alpha, nil
}

func (e *animWebPWriter) close() error {
	flags := byte(webpFlagAnimation)
	if e.alpha {
		flags |= webpFlagAlpha
	}
	if e.o.ICC != nil {
		flags |= animWebPFlagICC
	}
	if e.o.EXIF != nil {
		flags |= animWebPFlagEXIF
	}
	if e.o.XMP != nil {
		flags |= animWebPFlagXMP
	}
	var x [10]byte
	x[0] = flags
	animPut24(x[4:], e.width-1)
	animPut24(x[7:], e.height-1)
	body := make([]byte, 0, 64+len(e.body)+len(e.o.ICC)+len(e.o.EXIF)+len(e.o.XMP))
	body = append(body, "WEBP"...)
	body = riffChunk(body, "VP8X", x[:])
	if e.o.ICC != nil {
		body = riffChunk(body, "ICCP", e.o.ICC)
	}
	// Background: transparent, as decoders composite; loop count as given.
	var anim [6]byte
	binary.LittleEndian.PutUint16(anim[4:], uint16(e.loop))
	body = riffChunk(body, "ANIM", anim[:])
	body = append(body, e.body...)
	if e.o.EXIF != nil {
		body = riffChunk(body, "EXIF", e.o.EXIF)
	}
	if e.o.XMP != nil {
		body = riffChunk(body, "XMP ", e.o.XMP)
	}
	if uint64(len(body)) > 1<<32-2 {
		return fmt.Errorf("%w: webp: animation exceeds 4 GiB", ErrEncode)
	}
	out := riffChunk(nil, "RIFF", body)
	if _, err := e.w.Write(out); err != nil {
		return fmt.Errorf("codec: writing WebP: %w", err)
	}
	return nil
}
