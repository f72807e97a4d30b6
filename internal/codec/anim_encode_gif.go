package codec

import (
	"compress/lzw"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"io"
	"math/bits"
	"time"

	"github.com/imgcdn/imgcdn/internal/quantize"
	"github.com/imgcdn/imgcdn/internal/raster"
)

// EncodeGIF writes img as a still GIF. The colours are chosen for the
// image (Wu's quantizer with k-means refinement, from package quantize)
// rather than taken from a fixed palette: an image with at most 256
// colours keeps them exactly, any other is mapped to 256 colours with
// Floyd–Steinberg dithering, which hides banding in a still image. A
// pixel with alpha below 128 becomes transparent, every other pixel
// opaque. img may be of any type and size up to 65535×65535. EncodeGIF is
// safe for concurrent use.
func EncodeGIF(w io.Writer, img image.Image) error {
	r := img.Bounds()
	if r.Empty() || r.Dx() > 0xffff || r.Dy() > 0xffff {
		return fmt.Errorf("%w: gif: image of %dx%d is outside 1…65535", ErrEncode, r.Dx(), r.Dy())
	}
	b := image.NewNRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	animBinarize(b, raster.ToNRGBA(img))
	p := quantize.Quantize(b, quantize.Options{Dither: true})
	trans := -1
	if last := len(p.Palette) - 1; p.Palette[last].(color.NRGBA).A == 0 {
		trans = last
	}
	depth := animPaletteBits(len(p.Palette))
	out := animGIFHeader(nil, r.Dx(), r.Dy(), 0x80|0x70|byte(depth-1))
	out = animColorTable(out, p.Palette, depth)
	if trans >= 0 {
		out = animGCE(out, 0, 0, trans)
	}
	out = animGIFImage(out, image.Rect(0, 0, r.Dx(), r.Dy()), 0, p.Pix, depth)
	out = append(out, 0x3b)
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("codec: writing GIF: %w", err)
	}
	return nil
}

// animBinarize copies src into dst (of the same size) with GIF's transparency:
// alpha below 128 becomes transparent black, anything else opaque.
func animBinarize(dst, src *image.NRGBA) {
	w := 4 * dst.Rect.Dx()
	for y := 0; y < dst.Rect.Dy(); y++ {
		d := dst.Pix[y*dst.Stride : y*dst.Stride+w]
		copy(d, src.Pix[y*src.Stride:])
		for i := 0; i < len(d); i += 4 {
			if d[i+3] < 0x80 {
				d[i], d[i+1], d[i+2], d[i+3] = 0, 0, 0, 0
			} else {
				d[i+3] = 0xff
			}
		}
	}
}

// animPaletteBits returns the bits of a colour table holding n entries: 1 to
// 8.
func animPaletteBits(n int) int {
	return max(1, bits.Len(uint(max(n, 1)-1)))
}

// animGIFHeader appends the GIF89a header and logical screen descriptor.
func animGIFHeader(out []byte, w, h int, packed byte) []byte {
	out = append(out, "GIF89a"...)
	out = binary.LittleEndian.AppendUint16(out, uint16(w))
	out = binary.LittleEndian.AppendUint16(out, uint16(h))
	return append(out, packed, 0, 0)
}

// animColorTable appends a colour table of 1<<depth entries, p padded
// with black.
func animColorTable(out []byte, p color.Palette, depth int) []byte {
	for i := 0; i < 1<<depth; i++ {
		if i < len(p) {
			c := color.NRGBAModel.Convert(p[i]).(color.NRGBA)
			out = append(out, c.R, c.G, c.B)
		} else {
			out = append(out, 0, 0, 0)
		}
	}
	return out
}

// animGCE appends a graphic control extension.
func animGCE(out []byte, disposal byte, delay time.Duration, trans int) []byte {
	cs := min(max((delay+5*time.Millisecond)/(10*time.Millisecond), 0), 0xffff)
	packed := disposal << 2
	ti := byte(0)
	if trans >= 0 {
		packed |= 1
		ti = byte(trans)
	}
	out = append(out, 0x21, 0xf9, 4, packed)
	out = binary.LittleEndian.AppendUint16(out, uint16(cs))
	return append(out, ti, 0)
}

// animGIFImage appends an image descriptor for r with the packed byte
// given (no local colour table may follow), then the LZW-coded pixels pix
// (r.Dx()×r.Dy() indexes of depth bits).
func animGIFImage(out []byte, r image.Rectangle, packed byte, pix []byte, depth int) []byte {
	out = append(out, 0x2c)
	for _, v := range []int{r.Min.X, r.Min.Y, r.Dx(), r.Dy()} {
		out = binary.LittleEndian.AppendUint16(out, uint16(v))
	}
	out = append(out, packed)
	return animLZW(out, pix, depth)
}

// animLZW appends the LZW minimum code size and the LZW-coded pix in
// data sub-blocks.
func animLZW(out []byte, pix []byte, depth int) []byte {
	lit := max(depth, 2)
	out = append(out, byte(lit))
	bw := &animGIFBlocks{out: out}
	z := lzw.NewWriter(bw, lzw.LSB, lit)
	z.Write(pix) // animGIFBlocks never fails, and pix is within lit bits
	z.Close()
	return bw.close()
}

// animGIFBlocks cuts what is written into GIF data sub-blocks of up to 255
// bytes, appended to out.
type animGIFBlocks struct {
	out []byte
	n   int
	b   [255]byte
}

func (g *animGIFBlocks) Write(p []byte) (int, error) {
	total := len(p)
	for len(p) > 0 {
		k := copy(g.b[g.n:], p)
		g.n += k
		p = p[k:]
		if g.n == len(g.b) {
			g.flush()
		}
	}
	return total, nil
}

func (g *animGIFBlocks) flush() {
	if g.n > 0 {
		g.out = append(g.out, byte(g.n))
		g.out = append(g.out, g.b[:g.n]...)
		g.n = 0
	}
}

// close writes the last sub-block and the block terminator, and returns
// the bytes.
func (g *animGIFBlocks) close() []byte {
	g.flush()
	return append(g.out, 0)
}

// animGIFWriter streams an animated GIF. It holds back one frame, whose
// disposal depends on the next.
type animGIFWriter struct {
	w             io.Writer
	width, height int
	loop          int
	started       bool
	// canvas is what a decoder shows before the pending frame (after the
	// previous frame's disposal); source holds the pixels given for it,
	// which canvas approximates within the palettes. Both are binarized:
	// transparent pixels are all zero, the rest opaque.
	canvas, source *image.NRGBA
	pending, spare *image.NRGBA
	delay          time.Duration
	q              quantize.Quantizer
	m              quantize.Map
	out            []byte
}

func newAnimGIFWriter(w io.Writer, width, height, loop int) *animGIFWriter {
	r := image.Rect(0, 0, width, height)
	return &animGIFWriter{w: w, width: width, height: height, loop: loop,
		canvas: image.NewNRGBA(r), source: image.NewNRGBA(r)}
}

func (g *animGIFWriter) add(src *image.NRGBA, delay time.Duration) error {
	next := g.spare
	if next == nil {
		next = image.NewNRGBA(g.canvas.Rect)
	}
	animBinarize(next, src)
	if g.pending != nil {
		if err := g.flush(next); err != nil {
			return err
		}
	}
	g.spare, g.pending, g.delay = g.pending, next, delay
	return nil
}

func (g *animGIFWriter) close() error {
	if err := g.flush(nil); err != nil {
		return err
	}
	return g.write([]byte{0x3b})
}

func (g *animGIFWriter) write(b []byte) error {
	if _, err := g.w.Write(b); err != nil {
		return fmt.Errorf("codec: writing GIF: %w", err)
	}
	return nil
}

// flush writes the pending frame, disposed to background when next (nil
// at the end) needs transparency where the pending frame is opaque.
func (g *animGIFWriter) flush(next *image.NRGBA) error {
	p, c, s := g.pending, g.canvas, g.source
	r := animDiffRect(p, s)
	disposal := byte(animDisposeNone)
	if next != nil {
		if n := animNeedRect(next, p); !n.Empty() {
			disposal = animDisposeBackground
			r = r.Union(n)
		}
	}
	if r.Empty() {
		r = image.Rect(0, 0, 1, 1)
	}
	// The pixels to write: those that changed, all opaque. The others keep
	// what shows, through the transparent index.
	sub := image.NewNRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	keep := false
	for y := 0; y < r.Dy(); y++ {
		pr := p.Pix[p.PixOffset(r.Min.X, r.Min.Y+y):p.PixOffset(r.Max.X, r.Min.Y+y)]
		sr := s.Pix[s.PixOffset(r.Min.X, r.Min.Y+y):s.PixOffset(r.Max.X, r.Min.Y+y)]
		d := sub.Pix[y*sub.Stride:]
		for i := 0; i < len(pr); i += 4 {
			if pr[i+3] != 0 && string(pr[i:i+4]) != string(sr[i:i+4]) {
				copy(d[i:i+4], pr[i:i+4])
			} else {
				keep = true
			}
		}
	}
	n := 256
	if keep {
		n--
	}
	pal := g.q.Palette(sub, n)
	trans := -1
	if keep || len(pal) == 0 {
		trans = len(pal)
		pal = append(pal, color.NRGBA{})
	}
	g.m.Reset(pal)
	idx := image.NewPaletted(sub.Rect, pal)
	g.m.Draw(idx, sub, false)
	// Update what a decoder shows.
	for y := 0; y < r.Dy(); y++ {
		for x := 0; x < r.Dx(); x++ {
			i := idx.Pix[y*idx.Stride+x]
			if int(i) == trans {
				continue
			}
			q := pal[i].(color.NRGBA)
			o := c.PixOffset(r.Min.X+x, r.Min.Y+y)
			c.Pix[o], c.Pix[o+1], c.Pix[o+2], c.Pix[o+3] = q.R, q.G, q.B, 0xff
			copy(s.Pix[o:o+4], p.Pix[o:o+4])
		}
	}
	out := g.out[:0]
	if !g.started {
		g.started = true
		out = animGIFHeader(out, g.width, g.height, 0x70)
		if g.loop != 1 {
			out = append(out, 0x21, 0xff, 11)
			out = append(out, "NETSCAPE2.0"...)
			out = append(out, 3, 1)
			out = binary.LittleEndian.AppendUint16(out, uint16(max(g.loop-1, 0)))
			out = append(out, 0)
		}
	}
	depth := animPaletteBits(len(pal))
	out = animGCE(out, disposal, g.delay, trans)
	out = append(out, 0x2c)
	for _, v := range []int{r.Min.X, r.Min.Y, r.Dx(), r.Dy()} {
		out = binary.LittleEndian.AppendUint16(out, uint16(v))
	}
	out = append(out, 0x80|byte(depth-1))
	out = animColorTable(out, pal, depth)
	out = animLZW(out, idx.Pix, depth)
	g.out = out
	if disposal == animDisposeBackground {
		animClearRect(c, r)
		animClearRect(s, r)
	}
	return g.write(out)
}

// animNeedRect returns the bounding box of the pixels that are transparent in
// next but opaque in cur.
func animNeedRect(next, cur *image.NRGBA) image.Rectangle {
	w, h := cur.Rect.Dx(), cur.Rect.Dy()
	r := image.Rectangle{Min: image.Pt(w, h)}
	for y := 0; y < h; y++ {
		nr := next.Pix[y*next.Stride : y*next.Stride+4*w]
		cr := cur.Pix[y*cur.Stride : y*cur.Stride+4*w]
		for x := 0; x < w; x++ {
			if nr[4*x+3] == 0 && cr[4*x+3] != 0 {
				r.Min.X, r.Max.X = min(r.Min.X, x), max(r.Max.X, x+1)
				r.Min.Y, r.Max.Y = min(r.Min.Y, y), y+1
			}
		}
	}
	if r.Empty() {
		return image.Rectangle{}
	}
	return r
}
