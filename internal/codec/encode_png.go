package codec

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"io"
	"slices"

	"github.com/imgcdn/imgcdn/internal/raster"
)

// pngICCName is the profile name written in the iCCP chunk.
const pngICCName = "ICC profile"

// pngXMPKeyword is the iTXt keyword of an XMP packet.
const pngXMPKeyword = "XML:com.adobe.xmp"

// encodePNG writes img losslessly as the smallest fitting PNG colour type
// (see [Encode]) and adds the metadata chunks of o after IHDR.
func encodePNG(w io.Writer, img image.Image, o *EncodeOptions) error {
	m := pngImage(img, iccSpace(o.ICC))
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, m); err != nil {
		return err
	}
	var chunks [][]byte
	if icc := o.ICC; len(icc) > 0 {
		_, gray := m.(*image.Gray)
		if gray || iccSpace(icc) != "GRAY" {
			c, err := iccpChunk(icc)
			if err != nil {
				return err
			}
			chunks = append(chunks, c)
		}
	}
	if o.EXIF != nil {
		chunks = append(chunks, newPNGChunk("eXIf", o.EXIF))
	}
	if o.XMP != nil {
		data := make([]byte, 0, len(pngXMPKeyword)+5+len(o.XMP))
		data = append(data, pngXMPKeyword...)
		// NUL, uncompressed, method 0, empty language tag and translated
		// keyword.
		data = append(data, 0, 0, 0, 0, 0)
		data = append(data, o.XMP...)
		chunks = append(chunks, newPNGChunk("iTXt", data))
	}
	return injectPNG(w, buf.Bytes(), chunks)
}

// iccSpace returns the data colour space field of an ICC profile header
// ("RGB ", "GRAY", "CMYK"...), or "" when icc is too short to have one.
func iccSpace(icc []byte) string {
	if len(icc) < 20 {
		return ""
	}
	return string(icc[16:20])
}

// pngImage returns img in the type that image/png writes as the smallest
// lossless PNG: *image.Gray for grey input or opaque grey pixels (unless
// the profile is an RGB one, which a grey PNG cannot carry), an
// *image.Paletted for at most 256 distinct colours, and otherwise an
// *image.NRGBA, which image/png writes as RGB when every pixel is opaque.
func pngImage(img image.Image, space string) image.Image {
	if g, ok := img.(*image.Gray); ok && space != "RGB " {
		return g
	}
	if g, ok := img.(*image.Gray); ok {
		return grayPalette(g)
	}
	n := raster.ToNRGBA(img)
	pal, gray, ok := palette(n)
	if !ok {
		return n
	}
	if gray && space != "RGB " {
		return nrgbaToGray(n)
	}
	return toPaletted(n, pal)
}

// maxHashed is the size of the open-addressing table that counts colours:
// a power of two comfortably above 257 entries.
const maxHashed = 1024

// palette counts the distinct colours of m, stopping at 257. With at most
// 256 it returns them as non-premultiplied colours, non-opaque ones first
// (so that tRNS can stop early) and reports whether every pixel is an
// opaque grey.
func palette(m *image.NRGBA) (pal []uint32, gray, ok bool) {
	var (
		table [maxHashed]uint32
		used  [maxHashed]bool
		n     int
	)
	gray = true
	w, h := m.Rect.Dx(), m.Rect.Dy()
	last, have := uint32(0), false
	for y := range h {
		row := m.Pix[y*m.Stride : y*m.Stride+4*w]
		for i := 0; i < len(row); i += 4 {
			c := binary.BigEndian.Uint32(row[i:])
			if have && c == last {
				continue
			}
			last, have = c, true
			if row[i+3] != 0xff || row[i] != row[i+1] || row[i+1] != row[i+2] {
				gray = false
			}
			// Fibonacci hashing into the table, then linear probing.
			j := (c * 0x9e3779b1) >> (32 - 10)
			for used[j] && table[j] != c {
				j = (j + 1) & (maxHashed - 1)
			}
			if !used[j] {
				if n == 256 {
					return nil, false, false
				}
				used[j], table[j] = true, c
				n++
			}
		}
	}
	pal = make([]uint32, 0, n)
	for j, u := range used {
		if u {
			pal = append(pal, table[j])
		}
	}
	// Non-opaque first, then by value, for a short tRNS and a stable
	// output.
	slices.SortFunc(pal, func(a, b uint32) int {
		oa, ob := a&0xff == 0xff, b&0xff == 0xff
		switch {
		case oa != ob && !oa:
			return -1
		case oa != ob:
			return 1
		case a < b:
			return -1
		case a > b:
			return 1
		}
		return 0
	})
	return pal, gray, true
}

// toPaletted returns m as a palette image over pal, which holds every
// colour of m (as big-endian RGBA words).
func toPaletted(m *image.NRGBA, pal []uint32) *image.Paletted {
	cp := make(color.Palette, len(pal))
	index := make(map[uint32]uint8, len(pal))
	for i, c := range pal {
		cp[i] = color.NRGBA{uint8(c >> 24), uint8(c >> 16), uint8(c >> 8), uint8(c)}
		index[c] = uint8(i)
	}
	w, h := m.Rect.Dx(), m.Rect.Dy()
	p := image.NewPaletted(image.Rect(0, 0, w, h), cp)
	for y := range h {
		row := m.Pix[y*m.Stride : y*m.Stride+4*w]
		dst := p.Pix[y*p.Stride : y*p.Stride+w]
		last, idx, have := uint32(0), uint8(0), false
		for x := range dst {
			c := binary.BigEndian.Uint32(row[4*x:])
			if !have || c != last {
				last, idx, have = c, index[c], true
			}
			dst[x] = idx
		}
	}
	return p
}

// nrgbaToGray returns the grey levels of m, whose pixels are all opaque
// greys.
func nrgbaToGray(m *image.NRGBA) *image.Gray {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		row := m.Pix[y*m.Stride : y*m.Stride+4*w]
		dst := g.Pix[y*g.Stride : y*g.Stride+w]
		for x := range dst {
			dst[x] = row[4*x]
		}
	}
	return g
}

// grayPalette returns g as a palette image of grey levels, for a grey
// image that must be written in colour (to carry an RGB profile).
func grayPalette(g *image.Gray) *image.Paletted {
	var seen [256]bool
	w, h := g.Rect.Dx(), g.Rect.Dy()
	for y := range h {
		for _, v := range g.Pix[y*g.Stride : y*g.Stride+w] {
			seen[v] = true
		}
	}
	var pal color.Palette
	var index [256]uint8
	for v, s := range seen {
		if s {
			index[v] = uint8(len(pal))
			pal = append(pal, color.Gray{uint8(v)})
		}
	}
	p := image.NewPaletted(image.Rect(0, 0, w, h), pal)
	for y := range h {
		src := g.Pix[y*g.Stride : y*g.Stride+w]
		dst := p.Pix[y*p.Stride : y*p.Stride+w]
		for x, v := range src {
			dst[x] = index[v]
		}
	}
	return p
}

// iccpChunk returns an iCCP chunk: the profile name, NUL, compression
// method 0 and the zlib-compressed profile.
func iccpChunk(icc []byte) ([]byte, error) {
	var z bytes.Buffer
	z.WriteString(pngICCName)
	z.Write([]byte{0, 0})
	zw := zlib.NewWriter(&z)
	if _, err := zw.Write(icc); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return newPNGChunk("iCCP", z.Bytes()), nil
}

// newPNGChunk returns a complete PNG chunk: length, type, data and CRC.
func newPNGChunk(typ string, data []byte) []byte {
	c := make([]byte, 0, 12+len(data))
	c = binary.BigEndian.AppendUint32(c, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// injectPNG writes the PNG stream src with chunks inserted right after its
// IHDR chunk, which image/png writes first.
func injectPNG(w io.Writer, src []byte, chunks [][]byte) error {
	const ihdrEnd = len(pngSignature) + 8 + 13 + 4
	if len(src) < ihdrEnd || string(src[len(pngSignature)+4:len(pngSignature)+8]) != "IHDR" {
		return fmt.Errorf("%w: png: encoder output does not start with IHDR", ErrEncode)
	}
	for _, c := range chunks {
		if len(c)-12 > 0x7fffffff {
			return fmt.Errorf("%w: png: %s chunk of %d bytes is too large", ErrEncode, c[4:8], len(c)-12)
		}
	}
	if _, err := w.Write(src[:ihdrEnd]); err != nil {
		return err
	}
	for _, c := range chunks {
		if _, err := w.Write(c); err != nil {
			return err
		}
	}
	_, err := w.Write(src[ihdrEnd:])
	return err
}
