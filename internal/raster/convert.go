package raster

import (
	"image"
	"image/color"
)

// ToNRGBA returns img as non-premultiplied 8-bit RGBA with the same bounds.
// An *image.NRGBA is returned as it is, not copied. The conversions are:
//
//   - *image.YCbCr and *image.NYCbCrA: the JFIF full-range formula of
//     [color.YCbCrToRGB], bit for bit, chroma repeated over the pixels it
//     covers;
//   - *image.Gray, *image.Gray16: grey copied to R, G and B, opaque;
//   - *image.RGBA, *image.RGBA64: alpha divided out exactly as
//     [color.NRGBAModel] does;
//   - *image.CMYK: [color.CMYKToRGB];
//   - *image.Paletted: through the palette, each entry converted like the
//     16-bit types (an index outside the palette gives transparent black);
//   - 16-bit types: each channel rounded to the nearest 8-bit value
//     (v*255/65535, halves up);
//   - anything else: the generic path through At and [color.NRGBA64Model],
//     then rounded like the 16-bit types.
func ToNRGBA(img image.Image) *image.NRGBA {
	switch m := img.(type) {
	case *image.NRGBA:
		return m
	case *image.YCbCr:
		d := image.NewNRGBA(m.Rect)
		ycbcrToNRGBA(d, m, nil, 0)
		return d
	case *image.NYCbCrA:
		d := image.NewNRGBA(m.Rect)
		ycbcrToNRGBA(d, &m.YCbCr, m.A[m.AOffset(m.Rect.Min.X, m.Rect.Min.Y):], m.AStride)
		return d
	case *image.Gray:
		return grayToNRGBA(m)
	case *image.RGBA:
		return rgbaToNRGBA(m)
	case *image.CMYK:
		return cmykToNRGBA(m)
	case *image.Paletted:
		return palettedToNRGBA(m)
	case *image.RGBA64:
		return rgba64ToNRGBA(m)
	case *image.NRGBA64:
		return nrgba64ToNRGBA(m)
	case *image.Gray16:
		return gray16ToNRGBA(m)
	}
	return genericToNRGBA(img)
}

// ToGray returns img as 8-bit grey with the same bounds. An *image.Gray is
// returned as it is, not copied; an *image.Gray16 is rounded to the nearest
// 8-bit value; anything else goes through [color.GrayModel].
func ToGray(img image.Image) *image.Gray {
	switch m := img.(type) {
	case *image.Gray:
		return m
	case *image.Gray16:
		d := image.NewGray(m.Rect)
		w := m.Rect.Dx()
		for y := 0; y < m.Rect.Dy(); y++ {
			s := m.Pix[m.PixOffset(m.Rect.Min.X, m.Rect.Min.Y+y):][:2*w]
			p := d.Pix[y*d.Stride : y*d.Stride+w]
			for i := range p {
				p[i] = round16(uint32(s[2*i])<<8 | uint32(s[2*i+1]))
			}
		}
		return d
	}
	b := img.Bounds()
	d := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		p := d.Pix[(y-b.Min.Y)*d.Stride:]
		for x := b.Min.X; x < b.Max.X; x++ {
			p[x-b.Min.X] = color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y
		}
	}
	return d
}

// round16 rounds a 16-bit sample to 8 bits: round(v * 255 / 65535).
func round16(v uint32) uint8 { return uint8((v + 128) / 257) }

// clampFix turns a 16.16 fixed-point value into a byte, clamping to 0..255
// the way [color.YCbCrToRGB] does.
func clampFix(v int32) uint8 {
	if uint32(v)&0xff000000 == 0 {
		return uint8(v >> 16)
	}
	return uint8(^(v >> 31))
}

// ycbcrToNRGBA converts m into d (same bounds) with the formula of
// color.YCbCrToRGB; a is the alpha plane starting at the first pixel, or nil
// for opaque.
func ycbcrToNRGBA(d *image.NRGBA, m *image.YCbCr, a []byte, aStride int) {
	r := m.Rect
	if r.Min.X < 0 || r.Min.Y < 0 {
		// Negative coordinates are rare; the shifts below would round them
		// differently from the truncating division of image.YCbCr.COffset.
		m = to444(m)
	}
	w := r.Dx()
	hf, vf := factors(m.SubsampleRatio)
	hs := uint(hf >> 1) // 1→0, 2→1, 4→2
	x0 := r.Min.X >> hs
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := y - r.Min.Y
		ys := m.Y[m.YOffset(r.Min.X, y):][:w]
		crow := (y/vf - r.Min.Y/vf) * m.CStride
		p := d.Pix[row*d.Stride : row*d.Stride+4*w]
		var as []byte
		if a != nil {
			as = a[row*aStride : row*aStride+w]
		}
		for i, yv := range ys {
			ci := crow + (r.Min.X+i)>>hs - x0
			yy := int32(yv) * 0x10101
			cb := int32(m.Cb[ci]) - 128
			cr := int32(m.Cr[ci]) - 128
			q := p[4*i : 4*i+4 : 4*i+4]
			q[0] = clampFix(yy + 91881*cr)
			q[1] = clampFix(yy - 22554*cb - 46802*cr)
			q[2] = clampFix(yy + 116130*cb)
			if as != nil {
				q[3] = as[i]
			} else {
				q[3] = 0xff
			}
		}
	}
}

func grayToNRGBA(m *image.Gray) *image.NRGBA {
	d := image.NewNRGBA(m.Rect)
	w := m.Rect.Dx()
	for y := 0; y < m.Rect.Dy(); y++ {
		s := m.Pix[m.PixOffset(m.Rect.Min.X, m.Rect.Min.Y+y):][:w]
		p := d.Pix[y*d.Stride : y*d.Stride+4*w]
		for i, v := range s {
			q := p[4*i : 4*i+4 : 4*i+4]
			q[0], q[1], q[2], q[3] = v, v, v, 0xff
		}
	}
	return d
}

func gray16ToNRGBA(m *image.Gray16) *image.NRGBA {
	d := image.NewNRGBA(m.Rect)
	w := m.Rect.Dx()
	for y := 0; y < m.Rect.Dy(); y++ {
		s := m.Pix[m.PixOffset(m.Rect.Min.X, m.Rect.Min.Y+y):][:2*w]
		p := d.Pix[y*d.Stride : y*d.Stride+4*w]
		for i := 0; i < w; i++ {
			v := round16(uint32(s[2*i])<<8 | uint32(s[2*i+1]))
			q := p[4*i : 4*i+4 : 4*i+4]
			q[0], q[1], q[2], q[3] = v, v, v, 0xff
		}
	}
	return d
}

// unpremul8 divides a premultiplied 8-bit channel by alpha the way
// color.NRGBAModel does: ((c*0x101*0xffff)/(a*0x101)) >> 8, clamped.
func unpremul8(c, a uint32) uint8 {
	v := (c * 0xffff / a) >> 8
	if v > 0xff {
		return 0xff
	}
	return uint8(v)
}

func rgbaToNRGBA(m *image.RGBA) *image.NRGBA {
	d := image.NewNRGBA(m.Rect)
	w := m.Rect.Dx()
	for y := 0; y < m.Rect.Dy(); y++ {
		s := m.Pix[m.PixOffset(m.Rect.Min.X, m.Rect.Min.Y+y):][:4*w]
		p := d.Pix[y*d.Stride : y*d.Stride+4*w]
		for i := 0; i+4 <= len(s); i += 4 {
			sq := s[i : i+4 : i+4]
			q := p[i : i+4 : i+4]
			switch a := uint32(sq[3]); a {
			case 0xff:
				q[0], q[1], q[2], q[3] = sq[0], sq[1], sq[2], 0xff
			case 0:
				q[0], q[1], q[2], q[3] = 0, 0, 0, 0
			default:
				q[0] = unpremul8(uint32(sq[0]), a)
				q[1] = unpremul8(uint32(sq[1]), a)
				q[2] = unpremul8(uint32(sq[2]), a)
				q[3] = uint8(a)
			}
		}
	}
	return d
}

func cmykToNRGBA(m *image.CMYK) *image.NRGBA {
	d := image.NewNRGBA(m.Rect)
	w := m.Rect.Dx()
	for y := 0; y < m.Rect.Dy(); y++ {
		s := m.Pix[m.PixOffset(m.Rect.Min.X, m.Rect.Min.Y+y):][:4*w]
		p := d.Pix[y*d.Stride : y*d.Stride+4*w]
		for i := 0; i+4 <= len(s); i += 4 {
			sq := s[i : i+4 : i+4]
			q := p[i : i+4 : i+4]
			// color.CMYKToRGB, inlined.
			k := 0xffff - uint32(sq[3])*0x101
			q[0] = uint8((0xffff - uint32(sq[0])*0x101) * k / 0xffff >> 8)
			q[1] = uint8((0xffff - uint32(sq[1])*0x101) * k / 0xffff >> 8)
			q[2] = uint8((0xffff - uint32(sq[2])*0x101) * k / 0xffff >> 8)
			q[3] = 0xff
		}
	}
	return d
}

func palettedToNRGBA(m *image.Paletted) *image.NRGBA {
	var lut [256][4]uint8
	for i, c := range m.Palette {
		if i >= len(lut) {
			break
		}
		if c == nil {
			continue
		}
		n := color.NRGBA64Model.Convert(c).(color.NRGBA64)
		lut[i] = [4]uint8{round16(uint32(n.R)), round16(uint32(n.G)), round16(uint32(n.B)), round16(uint32(n.A))}
	}
	d := image.NewNRGBA(m.Rect)
	w := m.Rect.Dx()
	for y := 0; y < m.Rect.Dy(); y++ {
		s := m.Pix[m.PixOffset(m.Rect.Min.X, m.Rect.Min.Y+y):][:w]
		p := d.Pix[y*d.Stride : y*d.Stride+4*w]
		for i, v := range s {
			c := &lut[v]
			q := p[4*i : 4*i+4 : 4*i+4]
			q[0], q[1], q[2], q[3] = c[0], c[1], c[2], c[3]
		}
	}
	return d
}

// unpremul16 divides a premultiplied 16-bit channel by a 16-bit alpha the way
// color.NRGBA64Model does and returns the nearest 8-bit value.
func unpremul16(c, a uint32) uint8 {
	v := c * 0xffff / a
	if v > 0xffff {
		v = 0xffff
	}
	return round16(v)
}

func rgba64ToNRGBA(m *image.RGBA64) *image.NRGBA {
	d := image.NewNRGBA(m.Rect)
	w := m.Rect.Dx()
	for y := 0; y < m.Rect.Dy(); y++ {
		s := m.Pix[m.PixOffset(m.Rect.Min.X, m.Rect.Min.Y+y):][:8*w]
		p := d.Pix[y*d.Stride : y*d.Stride+4*w]
		for i := 0; i < w; i++ {
			sq := s[8*i : 8*i+8 : 8*i+8]
			r := uint32(sq[0])<<8 | uint32(sq[1])
			g := uint32(sq[2])<<8 | uint32(sq[3])
			b := uint32(sq[4])<<8 | uint32(sq[5])
			a := uint32(sq[6])<<8 | uint32(sq[7])
			q := p[4*i : 4*i+4 : 4*i+4]
			switch a {
			case 0xffff:
				q[0], q[1], q[2], q[3] = round16(r), round16(g), round16(b), 0xff
			case 0:
				q[0], q[1], q[2], q[3] = 0, 0, 0, 0
			default:
				q[0], q[1], q[2], q[3] = unpremul16(r, a), unpremul16(g, a), unpremul16(b, a), round16(a)
			}
		}
	}
	return d
}

func nrgba64ToNRGBA(m *image.NRGBA64) *image.NRGBA {
	d := image.NewNRGBA(m.Rect)
	w := m.Rect.Dx()
	for y := 0; y < m.Rect.Dy(); y++ {
		s := m.Pix[m.PixOffset(m.Rect.Min.X, m.Rect.Min.Y+y):][:8*w]
		p := d.Pix[y*d.Stride : y*d.Stride+4*w]
		for i := range p {
			p[i] = round16(uint32(s[2*i])<<8 | uint32(s[2*i+1]))
		}
	}
	return d
}

func genericToNRGBA(img image.Image) *image.NRGBA {
	b := img.Bounds()
	d := image.NewNRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		p := d.Pix[(y-b.Min.Y)*d.Stride:]
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBA64Model.Convert(img.At(x, y)).(color.NRGBA64)
			i := 4 * (x - b.Min.X)
			p[i] = round16(uint32(c.R))
			p[i+1] = round16(uint32(c.G))
			p[i+2] = round16(uint32(c.B))
			p[i+3] = round16(uint32(c.A))
		}
	}
	return d
}
