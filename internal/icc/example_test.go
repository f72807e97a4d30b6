package icc_test

import (
	"image"

	"github.com/imgcdn/imgcdn/internal/icc"
)

// toSRGB colour-manages decoded pixels tagged with the ICC profile prof,
// returning them in sRGB. Profiles that are already sRGB cost one Parse.
func toSRGB(pixels image.Image, prof []byte) (image.Image, error) {
	p, err := icc.Parse(prof)
	if err != nil {
		return nil, err // errors.Is(err, icc.ErrMalformed)
	}
	if p.IsSRGB() {
		return pixels, nil
	}
	t, err := p.ToSRGB() // errors.Is(err, icc.ErrUnsupported) for Lab, device links...
	if err != nil {
		return nil, err
	}
	switch m := pixels.(type) {
	case *image.YCbCr:
		return t.YCbCr(m), nil
	case *image.NRGBA:
		t.NRGBA(m)
		return m, nil
	case *image.Gray:
		t.Gray(m)
		return m, nil
	case *image.CMYK:
		return t.CMYK(m), nil
	}
	return pixels, nil
}

// Example shows the usual sequence: parse the embedded profile, skip
// sRGB, build the transform and convert the decoded pixels with the
// method of their type.
func Example() {
	_ = toSRGB
}
