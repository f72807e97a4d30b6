package codec

import (
	"bytes"
	"image"

	"golang.org/x/image/tiff"

	"github.com/imgcdn/imgcdn/internal/exif"
)

// tagExtraSamples is the TIFF tag that says what a fourth sample means:
// 1 associated (premultiplied) alpha, 2 unassociated alpha.
const tagExtraSamples = 338

func probeTIFF(b []byte) (*probed, error) {
	cfg, err := tiff.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, decodeErr(TIFF, err)
	}
	extra, _ := exif.Uint(b, tagExtraSamples)
	return &probed{
		h: Header{
			Width:       cfg.Width,
			Height:      cfg.Height,
			Orientation: exif.Orientation(b),
			HasAlpha:    extra == 1 || extra == 2,
		},
	}, nil
}

func decodeTIFF(b []byte, _ *probed) (image.Image, error) {
	img, err := tiff.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, decodeErr(TIFF, err)
	}
	return normalize(img), nil
}
