package codec

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"time"
)

// GIF disposal methods, as stored in the graphic control extension.
const (
	animDisposeNone       = 1
	animDisposeBackground = 2
	animDisposePrevious   = 3
)

// gifAnimFrame is one image of a GIF file, as its blocks declare it.
type gifAnimFrame struct {
	rect        image.Rectangle // as declared; may extend beyond the screen
	disposal    byte
	delay       int // hundredths of a second
	transparent int // the transparent index, or -1
	start, end  int // b[start:end] runs from the image descriptor to its block terminator
}

// gifAnim is the block structure of a whole GIF file.
type gifAnim struct {
	width, height int
	header        []byte // the header, logical screen descriptor and global colour table
	background    color.NRGBA
	loop          int // the NETSCAPE2.0 repeat count, or -1 without one
	frames        []gifAnimFrame
}

// animSubBlocks returns the index after the data sub-blocks that start at i,
// and the number of data bytes in them; false when they run past b.
func animSubBlocks(b []byte, i int) (int, int64, bool) {
	var n int64
	for i < len(b) {
		size := int(b[i])
		i++
		if size == 0 {
			return i, n, true
		}
		i += size
		n += int64(size)
	}
	return len(b), n, false
}

// scanGIFAnim walks every block of the GIF file b (whose header probe has
// read) and checks the frames against the limits. It never reads outside
// b, always moves forward, and keeps at most alim.MaxFrames frames.
func scanGIFAnim(b []byte, lim Limits, alim AnimLimits) (*gifAnim, error) {
	if len(b) < 13 {
		return nil, corruptf("gif: header cut short")
	}
	a := &gifAnim{
		width:  int(binary.LittleEndian.Uint16(b[6:8])),
		height: int(binary.LittleEndian.Uint16(b[8:10])),
		loop:   -1,
	}
	i := 13
	if b[10]&0x80 != 0 {
		i += 3 << (b[10]&7 + 1)
		if i > len(b) {
			return nil, corruptf("gif: global colour table cut short")
		}
		if bg := 13 + 3*int(b[11]); bg+3 <= i {
			a.background = color.NRGBA{b[bg], b[bg+1], b[bg+2], 0xff}
		}
	}
	a.header = b[:i]
	var (
		count  int
		pixels int64
		gce    = gifAnimFrame{transparent: -1}
	)
	for {
		if i >= len(b) {
			return nil, corruptf("gif: file ends without a trailer after %d frames", count)
		}
		switch b[i] {
		case 0x21: // extension
			if i+2 > len(b) {
				return nil, corruptf("gif: extension cut short")
			}
			label, start := b[i+1], i+2
			end, _, ok := animSubBlocks(b, start)
			if !ok {
				return nil, corruptf("gif: extension cut short")
			}
			switch {
			case label == 0xf9 && b[start] >= 4:
				packed := b[start+1]
				gce.disposal = packed >> 2 & 7
				gce.delay = int(binary.LittleEndian.Uint16(b[start+2:]))
				gce.transparent = -1
				if packed&1 != 0 {
					gce.transparent = int(b[start+4])
				}
			case label == 0xff && b[start] == 11 && start+12 < end:
				if id := string(b[start+1 : start+12]); id == "NETSCAPE2.0" || id == "ANIMEXTS1.0" {
					if d := b[start+12:]; d[0] >= 3 && len(d) >= 4 && d[1] == 1 {
						a.loop = int(binary.LittleEndian.Uint16(d[2:4]))
					}
				}
			}
			i = end
		case 0x2c: // image descriptor
			if i+11 > len(b) {
				return nil, corruptf("gif: image descriptor cut short")
			}
			f := gce
			gce = gifAnimFrame{transparent: -1}
			f.start = i
			d := b[i+1 : i+10]
			x, y := int(binary.LittleEndian.Uint16(d[0:])), int(binary.LittleEndian.Uint16(d[2:]))
			w, h := int(binary.LittleEndian.Uint16(d[4:])), int(binary.LittleEndian.Uint16(d[6:]))
			f.rect = image.Rect(x, y, x+w, y+h)
			i += 10
			if d[8]&0x80 != 0 {
				i += 3 << (d[8]&7 + 1)
			} else if b[10]&0x80 == 0 {
				return nil, corruptf("gif: frame %d has no colour table", count+1)
			}
			if i >= len(b) {
				return nil, corruptf("gif: frame %d cut short", count+1)
			}
			end, n, ok := animSubBlocks(b, i+1)
			if !ok {
				return nil, corruptf("gif: frame %d image data cut short", count+1)
			}
			f.end, i = end, end
			count++
			if w > 0 && h > 0 {
				if err := lim.checkSize(w, h); err != nil {
					return nil, err
				}
			}
			// The decoder allocates the frame before reading its data:
			// refuse data too short to fill it.
			if area := int64(w) * int64(h); n < area/maxLZWRatio {
				return nil, corruptf("gif: frame %d: %d bytes of image data cannot hold %dx%d pixels", count, n, w, h)
			}
			pixels += int64(w) * int64(h)
			if count <= alim.MaxFrames {
				a.frames = append(a.frames, f)
			}
		case 0x3b: // trailer
			if count == 0 {
				return nil, corruptf("gif: no image")
			}
			canvas := int64(a.width) * int64(a.height) * int64(count)
			if err := alim.check(count, max(canvas, pixels)); err != nil {
				return nil, err
			}
			return a, nil
		default:
			return nil, corruptf("gif: unknown block type 0x%02x after %d frames", b[i], count)
		}
	}
}

func (a *gifAnim) info() AnimInfo {
	loop := 1 // no extension: play once
	switch {
	case a.loop == 0:
		loop = 0
	case a.loop > 0:
		loop = a.loop + 1
	}
	return AnimInfo{
		Format:     GIF,
		Width:      a.width,
		Height:     a.height,
		Frames:     len(a.frames),
		LoopCount:  loop,
		Background: a.background,
	}
}

// file returns a GIF file holding only frame f, on a logical screen large
// enough for it, for the standard decoder.
func (a *gifAnim) file(b []byte, f *gifAnimFrame) []byte {
	out := make([]byte, 0, len(a.header)+8+f.end-f.start+1)
	out = append(out, a.header...)
	binary.LittleEndian.PutUint16(out[6:], uint16(max(a.width, min(f.rect.Max.X, 0xffff))))
	binary.LittleEndian.PutUint16(out[8:], uint16(max(a.height, min(f.rect.Max.Y, 0xffff))))
	if f.transparent >= 0 {
		out = append(out, 0x21, 0xf9, 4, 1, 0, 0, byte(f.transparent), 0)
	}
	out = append(out, b[f.start:f.end]...)
	return append(out, 0x3b)
}

// gifFrame decodes frame d.next and composites it.
func (d *AnimDecoder) gifFrame() (*image.NRGBA, time.Duration, error) {
	a := d.gif
	f := &a.frames[d.next]
	out := animClone(d.canvas)
	r := f.rect.Intersect(d.canvas.Rect)
	if !f.rect.Empty() {
		m, err := gif.Decode(bytes.NewReader(a.file(d.b, f)))
		if err != nil {
			return nil, 0, decodeErr(GIF, err)
		}
		p, ok := m.(*image.Paletted)
		if !ok || p.Rect != f.rect {
			return nil, 0, corruptf("gif: frame %d decoded as %v, want %v", d.next+1, m.Bounds(), f.rect)
		}
		// The colours straight from the colour table (the decoder has
		// checked that every pixel, but the transparent one, is in it).
		table := a.header[13:]
		if packed := d.b[f.start+9]; packed&0x80 != 0 {
			table = d.b[f.start+10 : f.start+10+3<<(packed&7+1)]
		}
		var lut [256][4]uint8
		var keep [256]bool
		for i := 0; i < len(table)/3 && i < 256; i++ {
			lut[i] = [4]uint8{table[3*i], table[3*i+1], table[3*i+2], 0xff}
		}
		if f.transparent >= 0 && f.transparent < 256 {
			keep[f.transparent] = true
		}
		for y := r.Min.Y; y < r.Max.Y; y++ {
			src := p.Pix[p.PixOffset(r.Min.X, y):p.PixOffset(r.Max.X, y)]
			dst := out.Pix[out.PixOffset(r.Min.X, y):out.PixOffset(r.Max.X, y)]
			for x, v := range src {
				if !keep[v] {
					copy(dst[4*x:4*x+4], lut[v][:])
				}
			}
		}
	}
	switch f.disposal {
	case animDisposePrevious:
		// The canvas stays as it was before this frame.
	case animDisposeBackground:
		copy(d.canvas.Pix, out.Pix)
		animClearRect(d.canvas, r)
	default:
		copy(d.canvas.Pix, out.Pix)
	}
	return out, time.Duration(f.delay) * 10 * time.Millisecond, nil
}
