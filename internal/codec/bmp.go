package codec

import (
	"bytes"
	"encoding/binary"
	"image"

	"golang.org/x/image/bmp"
)

func probeBMP(b []byte) (*probed, error) {
	cfg, err := bmp.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, decodeErr(BMP, err)
	}
	// The decoder accepts only uncompressed pixel rows that start at the
	// pixel offset; the file must hold all of them.
	offset := int64(binary.LittleEndian.Uint32(b[10:14]))
	infoLen := binary.LittleEndian.Uint32(b[14:18])
	bpp := int64(binary.LittleEndian.Uint16(b[28:30]))
	w, h := int64(cfg.Width), int64(cfg.Height)
	row := (w*bpp + 31) / 32 * 4
	return &probed{
		h: Header{
			Width:    cfg.Width,
			Height:   cfg.Height,
			HasAlpha: bpp == 32 && infoLen > 40,
		},
		minBytes: offset + row*h,
	}, nil
}

func decodeBMP(b []byte, _ *probed) (image.Image, error) {
	img, err := bmp.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, decodeErr(BMP, err)
	}
	if m, ok := img.(*image.NRGBA); ok && transparent(m.Pix) {
		// Many 32-bit BMPs leave the fourth byte at zero; an image with no
		// visible pixel at all means the byte is not alpha.
		for i := 3; i < len(m.Pix); i += 4 {
			m.Pix[i] = 0xff
		}
	}
	return normalize(img), nil
}

// transparent reports whether every alpha byte of the NRGBA layout pix is 0.
func transparent(pix []byte) bool {
	for i := 3; i < len(pix); i += 4 {
		if pix[i] != 0 {
			return false
		}
	}
	return true
}
