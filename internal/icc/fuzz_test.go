package icc

import (
	"errors"
	"image"
	"testing"
)

// FuzzParse feeds arbitrary bytes to Parse and, when they parse, runs
// every accessor, ToSRGB and each conversion on small images. Nothing may
// panic; errors must match the documented sentinels; conversions must
// leave alpha alone and give opaque results.
func FuzzParse(f *testing.F) {
	var seeds [][]byte
	for _, name := range []string{fileP3, fileAdobeRGB, fileProPhoto, fileCMYK, fileGray, fileSRGB} {
		if b := corpusProfileIfPresent(name); b != nil {
			seeds = append(seeds, b)
		}
	}
	seeds = append(seeds, srgbProfile(), grayProfile(curvGamma(2.2)))
	for _, sp := range syntheticProfiles() {
		seeds = append(seeds, sp.build())
	}
	for _, b := range seeds {
		f.Add(b)
		// Truncated copies: inside the header, the tag table and the tags.
		for _, n := range []int{0, 64, 131, 140, len(b) / 2, len(b) - 1} {
			if n >= 0 && n < len(b) {
				f.Add(b[:n])
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Parse(b)
		if err != nil {
			if p != nil || !errors.Is(err, ErrMalformed) {
				t.Fatalf("Parse: %v, %v; want nil and ErrMalformed", p, err)
			}
			return
		}
		_ = p.ColorSpace().String()
		_ = p.PCS().String()
		_, _ = p.Version()
		_ = p.Description()
		srgb := p.IsSRGB()
		tr, err := p.ToSRGB()
		if err != nil {
			if tr != nil || !errors.Is(err, ErrUnsupported) || srgb {
				t.Fatalf("ToSRGB: %v, %v (IsSRGB %v); want nil and ErrUnsupported", tr, err, srgb)
			}
			return
		}
		r := image.Rect(1, 1, 8, 6)
		n := image.NewNRGBA(r)
		for i := range n.Pix {
			n.Pix[i] = uint8(i * 37)
		}
		tr.NRGBA(n)
		for i := 3; i < len(n.Pix); i += 4 {
			if n.Pix[i] != uint8(i*37) {
				t.Fatal("NRGBA changed alpha")
			}
		}
		y := image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
		for i := range y.Y {
			y.Y[i] = uint8(i * 11)
		}
		for i := range y.Cb {
			y.Cb[i], y.Cr[i] = uint8(i*53), uint8(i*91)
		}
		opaque(t, tr.YCbCr(y))
		g := image.NewGray(r)
		for i := range g.Pix {
			g.Pix[i] = uint8(i * 7)
		}
		tr.Gray(g)
		c := image.NewCMYK(r)
		for i := range c.Pix {
			c.Pix[i] = uint8(i * 29)
		}
		opaque(t, tr.CMYK(c))
	})
}

func opaque(t *testing.T, img *image.NRGBA) {
	t.Helper()
	for i := 3; i < len(img.Pix); i += 4 {
		if img.Pix[i] != 0xff {
			t.Fatal("result not opaque")
		}
	}
}
