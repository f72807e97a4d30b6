package codec

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/gif"

	"github.com/imgcdn/imgcdn/internal/raster"
)

// gifLayout is what one walk over the blocks of a GIF file finds.
type gifLayout struct {
	first       image.Rectangle // bounds of the first frame
	transparent bool            // the first frame has a transparent index
	lzwBytes    int64           // image data bytes of the first frame
	frames      int             // frames seen, counting up to 2
}

// maxLZWRatio is the largest expansion of GIF's LZW: a 12-bit code can stand
// for a string of up to 4096 bytes.
const maxLZWRatio = 2731

// scanGIF walks the blocks of b up to the second image. It never reads
// outside b and always moves forward.
func scanGIF(b []byte) gifLayout {
	var g gifLayout
	if len(b) < 13 {
		return g
	}
	i := 13
	if b[10]&0x80 != 0 {
		i += 3 << (b[10]&7 + 1)
	}
	transparent := false
	for i < len(b) && g.frames < 2 {
		switch b[i] {
		case 0x21: // extension
			if i+2 > len(b) {
				return g
			}
			if b[i+1] == 0xf9 && i+4 <= len(b) && b[i+2] == 4 {
				transparent = b[i+3]&1 != 0
			}
			i, _ = skipSubBlocks(b, i+2)
		case 0x2c: // image descriptor
			if i+10 > len(b) {
				return g
			}
			d := b[i+1 : i+10]
			x, y := int(binary.LittleEndian.Uint16(d[0:])), int(binary.LittleEndian.Uint16(d[2:]))
			w, h := int(binary.LittleEndian.Uint16(d[4:])), int(binary.LittleEndian.Uint16(d[6:]))
			i += 10
			if d[8]&0x80 != 0 {
				i += 3 << (d[8]&7 + 1)
			}
			i++ // LZW minimum code size
			var n int64
			i, n = skipSubBlocks(b, i)
			if g.frames == 0 {
				g.first = image.Rect(x, y, x+w, y+h)
				g.transparent = transparent
				g.lzwBytes = n
			}
			g.frames++
			transparent = false
		default: // trailer or garbage
			return g
		}
	}
	return g
}

// skipSubBlocks returns the index after the sub-blocks that start at i and
// the number of data bytes in them.
func skipSubBlocks(b []byte, i int) (int, int64) {
	var n int64
	for i < len(b) {
		size := int(b[i])
		i++
		if size == 0 {
			return i, n
		}
		i += size
		n += int64(size)
	}
	return len(b), n
}

func probeGIF(b []byte) (*probed, error) {
	cfg, err := gif.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, decodeErr(GIF, err)
	}
	g := scanGIF(b)
	screen := image.Rect(0, 0, cfg.Width, cfg.Height)
	p := &probed{
		h: Header{
			Width:    cfg.Width,
			Height:   cfg.Height,
			HasAlpha: g.transparent || g.first != screen,
			Animated: g.frames > 1,
		},
	}
	if g.frames > 0 && g.first.In(screen) {
		// The decoder allocates the first frame before reading its data;
		// refuse data too short to fill it.
		p.minBytes = int64(len(b)) - g.lzwBytes + int64(g.first.Dx())*int64(g.first.Dy())/maxLZWRatio
	}
	return p, nil
}

func decodeGIF(b []byte, p *probed) (image.Image, error) {
	img, err := gif.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, decodeErr(GIF, err)
	}
	frame := raster.ToNRGBA(img)
	screen := image.Rect(0, 0, p.h.Width, p.h.Height)
	if frame.Rect == screen {
		return frame, nil
	}
	// Lay the first frame on a transparent logical screen.
	canvas := image.NewNRGBA(screen)
	r := frame.Rect.Intersect(screen)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		copy(canvas.Pix[canvas.PixOffset(r.Min.X, y):canvas.PixOffset(r.Max.X, y)],
			frame.Pix[frame.PixOffset(r.Min.X, y):])
	}
	return canvas, nil
}
