package codec

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"image"
	"image/png"
	"io"

	"github.com/imgcdn/imgcdn/internal/exif"
)

// pngMeta is what one walk over the chunks of a PNG file finds.
type pngMeta struct {
	depth, colorType int
	trns, actl       bool
	idat             int64  // total IDAT payload bytes
	iccp             []byte // iCCP chunk data
	exif             []byte // eXIf chunk data
	xmp              []byte // iTXt chunk data with the XMP keyword
}

// scanPNG walks the chunks of b up to IEND. It never reads outside b and
// always moves forward; a chunk cut short by the end of b ends the walk.
func scanPNG(b []byte) pngMeta {
	var m pngMeta
	for i := len(pngSignature); len(b)-i >= 12; {
		n := int64(binary.BigEndian.Uint32(b[i:]))
		typ := string(b[i+4 : i+8])
		start := int64(i + 8)
		end := start + n
		if end+4 > int64(len(b)) {
			if typ == "IDAT" {
				m.idat += int64(len(b)) - start
			}
			return m
		}
		data := b[start:end]
		switch typ {
		case "IHDR":
			if len(data) >= 13 {
				m.depth, m.colorType = int(data[8]), int(data[9])
			}
		case "tRNS":
			m.trns = true
		case "acTL":
			m.actl = true
		case "iCCP":
			if m.iccp == nil {
				m.iccp = data
			}
		case "eXIf":
			if m.exif == nil {
				m.exif = data
			}
		case "iTXt":
			if m.xmp == nil && bytes.HasPrefix(data, []byte(pngXMPKeyword+"\x00")) {
				m.xmp = data
			}
		case "IDAT":
			m.idat += n
		case "IEND":
			return m
		}
		i = int(end + 4)
	}
	return m
}

// maxDeflateRatio is the largest expansion a deflate stream can achieve: a
// 258-byte match coded in two bits.
const maxDeflateRatio = 1032

func probePNG(b []byte) (*probed, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, decodeErr(PNG, err)
	}
	m := scanPNG(b)
	p := &probed{
		h: Header{
			Width:       cfg.Width,
			Height:      cfg.Height,
			Orientation: exif.Orientation(exif.FromPNG(b)),
			HasAlpha:    m.colorType == 4 || m.colorType == 6 || m.trns,
			Animated:    m.actl,
		},
	}
	// The filtered rows hold at least width×height×bits/8 bytes, and the
	// IDAT stream cannot inflate by more than maxDeflateRatio: a file whose
	// image data is shorter than that is corrupt.
	var samples int64
	switch m.colorType {
	case 0, 3:
		samples = 1
	case 4:
		samples = 2
	case 2:
		samples = 3
	case 6:
		samples = 4
	}
	raw := int64(cfg.Width) * int64(cfg.Height) * samples * int64(m.depth) / 8
	p.minBytes = int64(len(b)) - m.idat + raw/maxDeflateRatio
	iccp := m.iccp
	p.icc = func() []byte { return pngICC(iccp) }
	return p, nil
}

// pngICC inflates the profile of an iCCP chunk (name, NUL, method 0, zlib
// data). The profile's own header gives its size, which must be at most
// maxICCBytes; exactly that much is allocated and inflated. It returns nil
// on any error.
func pngICC(data []byte) []byte {
	i := bytes.IndexByte(data, 0)
	if i < 1 || i > 79 || i+2 > len(data) || data[i+1] != 0 {
		return nil
	}
	zr, err := zlib.NewReader(bytes.NewReader(data[i+2:]))
	if err != nil {
		return nil
	}
	defer zr.Close()
	var size [4]byte
	if _, err := io.ReadFull(zr, size[:]); err != nil {
		return nil
	}
	n := binary.BigEndian.Uint32(size[:])
	if n < 128 || n > maxICCBytes {
		return nil
	}
	icc := make([]byte, n)
	copy(icc, size[:])
	if _, err := io.ReadFull(zr, icc[4:]); err != nil {
		return nil
	}
	return icc
}

func decodePNG(b []byte, _ *probed) (image.Image, error) {
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, decodeErr(PNG, err)
	}
	return normalize(img), nil
}
