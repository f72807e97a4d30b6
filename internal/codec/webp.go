package codec

import (
	"bytes"
	"encoding/binary"
	"image"

	"golang.org/x/image/webp"

	"github.com/imgcdn/imgcdn/internal/exif"
	"github.com/imgcdn/imgcdn/internal/raster"
)

// webpLayout is the chunk structure of a WebP file, as far as decoding the
// first image needs it.
type webpLayout struct {
	riff             []byte // the file cut to the length its RIFF header declares
	vp8x             bool
	flags            byte
	canvasW, canvasH int
	frame            webpFrame // the still image, or the first animation frame
	iccp, exif       []byte
}

// webpFrame is one image in a WebP file: its place on the canvas and its
// chunks.
type webpFrame struct {
	rect      image.Rectangle
	alph      []byte // ALPH chunk payload, or nil
	vp8, vp8l []byte // the bitstream chunk payload (one of them)
	found     bool
}

const (
	webpFlagAnimation = 1 << 1
	webpFlagAlpha     = 1 << 4
)

func le24(b []byte) int { return int(b[0]) | int(b[1])<<8 | int(b[2])<<16 }

// walkRIFF calls fn for each chunk of body in order. It reports ErrCorrupt
// when a chunk claims more bytes than body holds; a missing final pad byte
// is tolerated. It never reads outside body and always moves forward.
func walkRIFF(body []byte, fn func(id string, data []byte) error) error {
	for len(body) >= 8 {
		n := uint64(binary.LittleEndian.Uint32(body[4:8]))
		if n > uint64(len(body)-8) {
			return corruptf("webp: %q chunk of %d bytes exceeds the file", body[:4], n)
		}
		if err := fn(string(body[:4]), body[8:8+n]); err != nil {
			return err
		}
		next := min(8+n+n&1, uint64(len(body)))
		body = body[next:]
	}
	return nil
}

// scanWebP reads the chunk structure of b and the size of its first image.
// With an error, the layout (when not nil) still holds the canvas size
// read so far.
func scanWebP(b []byte) (*webpLayout, error) {
	size := uint64(binary.LittleEndian.Uint32(b[4:8]))
	if size < 4 || size+8 > uint64(len(b)) {
		return nil, corruptf("webp: RIFF length %d does not match the file (%d bytes)", size, len(b))
	}
	l := &webpLayout{riff: b[:8+size]}
	setFrame := func(f *webpFrame, id string, data []byte) {
		switch id {
		case "ALPH":
			if f.alph == nil && !f.found {
				f.alph = data
			}
		case "VP8 ":
			if !f.found {
				f.vp8, f.found = data, true
			}
		case "VP8L":
			if !f.found {
				f.vp8l, f.found = data, true
			}
		}
	}
	first := true
	err := walkRIFF(l.riff[12:], func(id string, data []byte) error {
		defer func() { first = false }()
		switch id {
		case "VP8X":
			if !first || len(data) < 10 {
				return corruptf("webp: misplaced or short VP8X chunk")
			}
			l.vp8x, l.flags = true, data[0]
			l.canvasW, l.canvasH = 1+le24(data[4:7]), 1+le24(data[7:10])
		case "ICCP":
			if l.iccp == nil {
				l.iccp = data
			}
		case "EXIF":
			if l.exif == nil {
				l.exif = data
			}
		case "ANMF":
			if l.frame.found || len(data) < 16 {
				return nil
			}
			var f webpFrame
			f.rect.Min = image.Pt(2*le24(data[0:3]), 2*le24(data[3:6]))
			f.rect.Max = f.rect.Min.Add(image.Pt(1+le24(data[6:9]), 1+le24(data[9:12])))
			if err := walkRIFF(data[16:], func(id string, d []byte) error {
				setFrame(&f, id, d)
				return nil
			}); err != nil {
				return err
			}
			if f.found {
				l.frame = f
			}
		default:
			setFrame(&l.frame, id, data)
		}
		return nil
	})
	if err != nil {
		return l, err
	}
	if !l.frame.found {
		return l, corruptf("webp: no image data")
	}
	w, h, err := l.frame.bitstreamSize()
	if err != nil {
		return l, err
	}
	if !l.vp8x {
		l.canvasW, l.canvasH = w, h
	}
	if l.frame.rect.Empty() {
		l.frame.rect = image.Rect(0, 0, w, h)
	} else if l.frame.rect.Dx() != w || l.frame.rect.Dy() != h {
		return l, corruptf("webp: frame is %dx%d, its bitstream %dx%d", l.frame.rect.Dx(), l.frame.rect.Dy(), w, h)
	}
	// The decoder allocates the frame (and a raw alpha plane) before it
	// reads their data: refuse data that cannot fill them.
	if d := l.frame.vp8; d != nil {
		if first := int(d[0]) | int(d[1])<<8 | int(d[2])<<16; 10+first>>5 > len(d) {
			return l, corruptf("webp: VP8 first partition of %d bytes exceeds its chunk", first>>5)
		}
	}
	if a := l.frame.alph; a != nil && (len(a) == 0 || a[0]&3 == 0 && len(a)-1 < w*h) {
		return l, corruptf("webp: ALPH chunk too short for %dx%d pixels", w, h)
	}
	canvas := image.Rect(0, 0, l.canvasW, l.canvasH)
	if l.frame.rect.Empty() || !l.frame.rect.In(canvas) || !l.animated() && l.frame.rect != canvas {
		return l, corruptf("webp: image %v does not fit the %dx%d canvas", l.frame.rect, l.canvasW, l.canvasH)
	}
	return l, nil
}

func (l *webpLayout) animated() bool { return l.vp8x && l.flags&webpFlagAnimation != 0 }

// bitstreamSize reads the size from the VP8 frame header or the VP8L
// header.
func (f *webpFrame) bitstreamSize() (w, h int, err error) {
	if f.vp8l != nil {
		d := f.vp8l
		if len(d) < 5 || d[0] != 0x2f {
			return 0, 0, corruptf("webp: bad VP8L header")
		}
		bits := binary.LittleEndian.Uint32(d[1:5])
		return 1 + int(bits&0x3fff), 1 + int(bits>>14&0x3fff), nil
	}
	d := f.vp8
	if len(d) < 10 || d[3] != 0x9d || d[4] != 0x01 || d[5] != 0x2a {
		return 0, 0, corruptf("webp: bad VP8 header")
	}
	if d[0]&1 != 0 {
		return 0, 0, corruptf("webp: VP8 data is not a key frame")
	}
	w, h = int(binary.LittleEndian.Uint16(d[6:8])&0x3fff), int(binary.LittleEndian.Uint16(d[8:10])&0x3fff)
	if w == 0 || h == 0 {
		return 0, 0, corruptf("webp: VP8 frame is %dx%d", w, h)
	}
	return w, h, nil
}

// vp8lAlpha reports the alpha_is_used bit of a VP8L header.
func vp8lAlpha(d []byte) bool {
	return len(d) >= 5 && binary.LittleEndian.Uint32(d[1:5])>>28&1 != 0
}

func probeWebP(b []byte) (*probed, error) {
	l, err := scanWebP(b)
	if l == nil {
		return nil, err
	}
	p := &probed{
		h: Header{
			Width:       l.canvasW,
			Height:      l.canvasH,
			Orientation: exif.Orientation(l.exif),
			HasAlpha:    l.vp8x && l.flags&webpFlagAlpha != 0 || !l.vp8x && vp8lAlpha(l.frame.vp8l),
			Animated:    l.animated(),
		},
		webp: l,
	}
	if err != nil {
		return p, err
	}
	if _, err := webp.DecodeConfig(bytes.NewReader(l.riff)); err != nil {
		return p, decodeErr(WebP, err)
	}
	if l.iccp != nil {
		icc := l.iccp
		p.icc = func() []byte {
			if len(icc) > maxICCBytes {
				return nil
			}
			return bytes.Clone(icc)
		}
	}
	return p, nil
}

// riffChunk appends a RIFF chunk to b.
func riffChunk(b []byte, id string, data []byte) []byte {
	b = append(b, id...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	b = append(b, data...)
	if len(data)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// file returns a still WebP file holding only f.
func (f *webpFrame) file() []byte {
	var body []byte
	body = append(body, "WEBP"...)
	switch {
	case f.vp8l != nil:
		body = riffChunk(body, "VP8L", f.vp8l)
	case f.alph != nil:
		var x [10]byte
		x[0] = webpFlagAlpha
		w, h := f.rect.Dx()-1, f.rect.Dy()-1
		x[4], x[5], x[6] = byte(w), byte(w>>8), byte(w>>16)
		x[7], x[8], x[9] = byte(h), byte(h>>8), byte(h>>16)
		body = riffChunk(body, "VP8X", x[:])
		body = riffChunk(body, "ALPH", f.alph)
		body = riffChunk(body, "VP8 ", f.vp8)
	default:
		body = riffChunk(body, "VP8 ", f.vp8)
	}
	return riffChunk(nil, "RIFF", body)
}

func decodeWebP(_ []byte, p *probed) (image.Image, error) {
	l := p.webp
	src := l.riff
	if l.animated() {
		src = l.frame.file()
	}
	img, err := webp.Decode(bytes.NewReader(src))
	if err != nil {
		return nil, decodeErr(WebP, err)
	}
	var frame *image.NRGBA
	switch m := img.(type) {
	case *image.YCbCr:
		frame = vp8ToNRGBA(m, nil, 0)
	case *image.NYCbCrA:
		frame = vp8ToNRGBA(&m.YCbCr, m.A[m.AOffset(m.Rect.Min.X, m.Rect.Min.Y):], m.AStride)
	default:
		frame = raster.ToNRGBA(img)
	}
	if !l.animated() {
		return frame, nil
	}
	// Lay the first frame on a transparent canvas.
	canvas := image.NewNRGBA(image.Rect(0, 0, l.canvasW, l.canvasH))
	r := l.frame.rect
	if frame.Rect.Size() != r.Size() {
		return nil, corruptf("webp: frame decoded as %v, want %v", frame.Rect.Size(), r.Size())
	}
	for y := 0; y < r.Dy(); y++ {
		copy(canvas.Pix[canvas.PixOffset(r.Min.X, r.Min.Y+y):canvas.PixOffset(r.Max.X, r.Min.Y+y)],
			frame.Pix[frame.PixOffset(frame.Rect.Min.X, frame.Rect.Min.Y+y):])
	}
	return canvas, nil
}
