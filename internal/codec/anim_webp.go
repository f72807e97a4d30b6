package codec

import (
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"time"
)

// The flag bits of an ANMF chunk.
const (
	anmfDispose = 1 << 0 // dispose to background (transparent)
	anmfNoBlend = 1 << 1 // overwrite rather than alpha-blend
)

// webpAnimFrame is one ANMF frame of an animated WebP.
type webpAnimFrame struct {
	webpFrame
	duration int // milliseconds
	blend    bool
	dispose  bool
	hasAlpha bool // an ALPH chunk, or the alpha bit of a VP8L header
}

// webpAnim is the chunk structure of an animated WebP file.
type webpAnim struct {
	canvasW, canvasH int
	loop             int
	background       color.NRGBA
	frames           []webpAnimFrame
}

// scanWebPAnim walks every chunk of the animated WebP whose layout
// scanWebP read, and checks each frame and the limits. It keeps at most
// alim.MaxFrames frames.
func scanWebPAnim(l *webpLayout, alim AnimLimits) (*webpAnim, error) {
	a := &webpAnim{canvasW: l.canvasW, canvasH: l.canvasH}
	canvas := image.Rect(0, 0, l.canvasW, l.canvasH)
	var (
		count    int
		haveANIM bool
	)
	err := walkRIFF(l.riff[12:], func(id string, data []byte) error {
		switch id {
		case "ANIM":
			if len(data) < 6 {
				return corruptf("webp: ANIM chunk of %d bytes", len(data))
			}
			if !haveANIM {
				haveANIM = true
				a.background = color.NRGBA{data[2], data[1], data[0], data[3]} // stored as B, G, R, A
				a.loop = int(binary.LittleEndian.Uint16(data[4:6]))
			}
		case "ANMF":
			count++
			if !haveANIM {
				return corruptf("webp: frame %d precedes the ANIM chunk", count)
			}
			if len(data) < 16 {
				return corruptf("webp: frame %d: ANMF chunk of %d bytes", count, len(data))
			}
			var f webpAnimFrame
			f.rect.Min = image.Pt(2*le24(data[0:3]), 2*le24(data[3:6]))
			f.rect.Max = f.rect.Min.Add(image.Pt(1+le24(data[6:9]), 1+le24(data[9:12])))
			f.duration = le24(data[12:15])
			f.blend = data[15]&anmfNoBlend == 0
			f.dispose = data[15]&anmfDispose != 0
			if err := walkRIFF(data[16:], func(id string, d []byte) error {
				switch id {
				case "ALPH":
					if f.alph == nil && !f.found {
						f.alph = d
					}
				case "VP8 ":
					if !f.found {
						f.vp8, f.found = d, true
					}
				case "VP8L":
					if !f.found {
						f.vp8l, f.found = d, true
					}
				}
				return nil
			}); err != nil {
				return err
			}
			if err := f.check(count, canvas); err != nil {
				return err
			}
			if count <= alim.MaxFrames {
				a.frames = append(a.frames, f)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if count == 0 {
		return nil, corruptf("webp: animation without frames")
	}
	if err := alim.check(count, int64(a.canvasW)*int64(a.canvasH)*int64(count)); err != nil {
		return nil, err
	}
	return a, nil
}

// check validates frame n: its bitstream, its size against the ANMF
// header, its place on the canvas, and data long enough for what the
// decoder allocates.
func (f *webpAnimFrame) check(n int, canvas image.Rectangle) error {
	if !f.found {
		return corruptf("webp: frame %d has no image data", n)
	}
	w, h, err := f.bitstreamSize()
	if err != nil {
		return fmt.Errorf("frame %d: %w", n, err)
	}
	if f.rect.Dx() != w || f.rect.Dy() != h {
		return corruptf("webp: frame %d is %dx%d, its bitstream %dx%d", n, f.rect.Dx(), f.rect.Dy(), w, h)
	}
	if !f.rect.In(canvas) {
		return corruptf("webp: frame %d at %v does not fit the %dx%d canvas", n, f.rect, canvas.Dx(), canvas.Dy())
	}
	if d := f.vp8; d != nil {
		if first := le24(d); 10+first>>5 > len(d) {
			return corruptf("webp: frame %d: VP8 first partition of %d bytes exceeds its chunk", n, first>>5)
		}
	}
	if f.vp8l != nil {
		f.alph = nil // VP8L carries its own alpha
	}
	if a := f.alph; a != nil && (len(a) == 0 || a[0]&3 == 0 && len(a)-1 < w*h) {
		return corruptf("webp: frame %d: ALPH chunk too short for %dx%d pixels", n, w, h)
	}
	f.hasAlpha = f.alph != nil || vp8lAlpha(f.vp8l)
	return nil
}

func (a *webpAnim) info() AnimInfo {
	return AnimInfo{
		Format:     WebP,
		Width:      a.canvasW,
		Height:     a.canvasH,
		Frames:     len(a.frames),
		LoopCount:  a.loop,
		Background: a.background,
	}
}

// webpFrame decodes frame d.next and composites it as libwebp's
// WebPAnimDecoder does (src/demux/anim_decode.c).
func (d *AnimDecoder) webpFrame() (*image.NRGBA, time.Duration, error) {
	a := d.webp
	f := &a.frames[d.next]
	// Reuse the still-image path, which matches dwebp, on a file holding
	// the frame alone.
	m, err := decodePixels(nil, &probed{h: Header{Format: WebP}, webp: &webpLayout{riff: f.file()}})
	if err != nil {
		return nil, 0, err
	}
	src, ok := m.(*image.NRGBA)
	if !ok || src.Rect.Size() != f.rect.Size() {
		return nil, 0, corruptf("webp: frame %d decoded as %v, want %v", d.next+1, m.Bounds().Size(), f.rect.Size())
	}
	full := f.rect == d.canvas.Rect
	prev := d.prevWebP
	key := d.next == 0 ||
		(!f.hasAlpha || !f.blend) && full ||
		prev.dispose && (prev.rect == d.canvas.Rect || d.prevWebPKey)
	var out *image.NRGBA
	if key {
		out = image.NewNRGBA(d.canvas.Rect)
	} else {
		out = animClone(d.canvas)
	}
	r := f.rect
	for y := 0; y < r.Dy(); y++ {
		copy(out.Pix[out.PixOffset(r.Min.X, r.Min.Y+y):out.PixOffset(r.Max.X, r.Min.Y+y)],
			src.Pix[src.PixOffset(src.Rect.Min.X, src.Rect.Min.Y+y):])
	}
	if d.next > 0 && f.blend && !key {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			if !prev.dispose || y < prev.rect.Min.Y || y >= prev.rect.Max.Y {
				animBlendRow(out, d.canvas, y, r.Min.X, r.Max.X)
				continue
			}
			// Pixels inside the previous frame's rectangle were cleared
			// to transparent; libwebp does not blend over them.
			animBlendRow(out, d.canvas, y, r.Min.X, min(r.Max.X, prev.rect.Min.X))
			animBlendRow(out, d.canvas, y, max(r.Min.X, prev.rect.Max.X), r.Max.X)
		}
	}
	copy(d.canvas.Pix, out.Pix)
	if f.dispose {
		animClearRect(d.canvas, r)
	}
	d.prevWebP, d.prevWebPKey = f, key
	return out, time.Duration(f.duration) * time.Millisecond, nil
}

// animBlendRow alpha-blends the pixels x0 ≤ x < x1 of row y of src (the new
// frame) over the same pixels of dst (the previous canvas), in place in
// src, for every pixel of src that is not opaque.
func animBlendRow(src, dst *image.NRGBA, y, x0, x1 int) {
	if x0 >= x1 {
		return
	}
	s := src.Pix[src.PixOffset(x0, y):src.PixOffset(x1, y)]
	d := dst.Pix[dst.PixOffset(x0, y):dst.PixOffset(x1, y)]
	for i := 0; i < len(s); i += 4 {
		if s[i+3] != 0xff {
			animBlendPixel(s[i:i+4:i+4], d[i:i+4:i+4])
		}
	}
}

// animBlendPixel composites the non-premultiplied pixel s over d into s, with
// libwebp's integer arithmetic (BlendPixelNonPremult).
func animBlendPixel(s, d []uint8) {
	sa := uint32(s[3])
	if sa == 0 {
		copy(s, d)
		return
	}
	dfa := uint32(uint8(uint32(d[3]) * (256 - sa) >> 8))
	ba := uint32(uint8(sa + dfa))
	scale := uint32(1<<24) / ba
	for c := 0; c < 3; c++ {
		s[c] = uint8((uint32(s[c])*sa + uint32(d[c])*dfa) * scale >> 24)
	}
	s[3] = uint8(ba)
}
