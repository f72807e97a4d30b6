package pipeline

import (
	"image"

	"github.com/imgcdn/imgcdn/internal/codec"
	"github.com/imgcdn/imgcdn/internal/exif"
	"github.com/imgcdn/imgcdn/internal/icc"
)

// sourceMetadata decides what happens to the colour profile and metadata
// of dec. It returns the metadata to embed in the output and the
// conversion to sRGB still to apply to the pixels, or nil.
//
// Without cp-true, pixels described by a profile other than sRGB are
// converted to sRGB and no profile is embedded; a profile that cannot be
// converted (a kind this package does not handle) is embedded instead, so
// that the output still looks right in a colour-managed viewer. A
// malformed profile is ignored. With cp-true the profile is embedded and
// the pixels are left as they are, except for GIF, which cannot carry it.
// With md-true, EXIF (orientation reset to 1) and XMP are kept.
func sourceMetadata(dec *codec.Image, e encoding) (metadata, *icc.Transform) {
	var m metadata
	var t *icc.Transform
	if dec.ICC != nil {
		switch p, err := icc.Parse(dec.ICC); {
		case e.profile && e.format != FormatGIF:
			m.icc = dec.ICC
		case err != nil, p.IsSRGB():
		default:
			if t, err = p.ToSRGB(); err != nil || !profileFits(p, dec.Pixels) {
				t = nil
				if e.format != FormatGIF {
					m.icc = dec.ICC
				}
			}
		}
	}
	if e.metadata {
		if dec.EXIF != nil {
			m.exif = exif.ResetOrientation(dec.EXIF)
		}
		m.xmp = dec.XMP
	}
	return m, t
}

// profileFits reports whether a profile's colour space matches the pixels
// it is to convert: grey for *image.Gray, RGB for the others.
func profileFits(p *icc.Profile, img image.Image) bool {
	if _, ok := img.(*image.Gray); ok {
		return p.ColorSpace() == icc.Gray
	}
	return p.ColorSpace() == icc.RGB
}

// toSRGB converts img to sRGB with t, in place where the pixel type
// allows.
func toSRGB(img image.Image, t *icc.Transform) image.Image {
	switch m := img.(type) {
	case *image.YCbCr:
		return t.YCbCr(m)
	case *image.NRGBA:
		t.NRGBA(m)
		return m
	case *image.Gray:
		t.Gray(m)
		return m
	}
	n := toNRGBA(img)
	t.NRGBA(n)
	return n
}

// colourCanWait reports whether the colour conversion of img may wait
// until after step s, which is cheaper when s makes the image smaller: s
// must add no colour of its own (background, padding, border, rotation
// corners) that would then be converted as if it were in the source's
// colour space, and its geometry must not make the image larger.
func colourCanWait(img image.Image, s Step) bool {
	if s.Background.Set || s.Border.Width > 0 || s.Rotate%90 != 0 || s.Trim.On {
		return false
	}
	size := img.Bounds().Size()
	p, err := PlanStep(size, s)
	if err != nil || p.Pads() {
		return false
	}
	return p.Resize.X*p.Resize.Y <= size.X*size.Y
}
