package icc

import (
	"errors"
	"fmt"
	"math"
	"sync"
)

// d50 is the ICC profile connection space white, as the specification
// and LittleCMS give it.
var d50 = [3]float64{0.9642, 1.0, 0.8249}

// srgbToXYZ maps linear sRGB to PCS XYZ: the Rec. 709 primaries with the
// D65 white, Bradford-adapted to D50. xyzToSRGB is its inverse. Both are
// computed once at start-up and only read.
var srgbToXYZ, xyzToSRGB = srgbMatrices()

type mat3 [3][3]float64

func srgbMatrices() (to, from mat3) {
	prim := [3][2]float64{{0.64, 0.33}, {0.30, 0.60}, {0.15, 0.06}}
	const wx, wy = 0.3127, 0.3290
	var p mat3 // columns: XYZ of each primary with Y = 1
	for i, c := range prim {
		p[0][i], p[1][i], p[2][i] = c[0]/c[1], 1, (1-c[0]-c[1])/c[1]
	}
	w := [3]float64{wx / wy, 1, (1 - wx - wy) / wy}
	s := p.inverse().apply(w)
	var m65 mat3
	for r := range 3 {
		for c := range 3 {
			m65[r][c] = p[r][c] * s[c]
		}
	}
	bradford := mat3{
		{0.8951, 0.2664, -0.1614},
		{-0.7502, 1.7135, 0.0367},
		{0.0389, -0.0685, 1.0296},
	}
	src, dst := bradford.apply(w), bradford.apply(d50)
	var scale mat3
	for i := range 3 {
		scale[i][i] = dst[i] / src[i]
	}
	adapt := bradford.inverse().mul(scale).mul(bradford)
	to = adapt.mul(m65)
	return to, to.inverse()
}

func (a mat3) mul(b mat3) mat3 {
	var m mat3
	for r := range 3 {
		for c := range 3 {
			m[r][c] = a[r][0]*b[0][c] + a[r][1]*b[1][c] + a[r][2]*b[2][c]
		}
	}
	return m
}

func (a mat3) apply(v [3]float64) [3]float64 {
	return [3]float64{
		a[0][0]*v[0] + a[0][1]*v[1] + a[0][2]*v[2],
		a[1][0]*v[0] + a[1][1]*v[1] + a[1][2]*v[2],
		a[2][0]*v[0] + a[2][1]*v[1] + a[2][2]*v[2],
	}
}

// inverse returns the inverse of a, or the zero matrix when a is
// singular.
func (a mat3) inverse() mat3 {
	c00 := a[1][1]*a[2][2] - a[1][2]*a[2][1]
	c01 := a[1][2]*a[2][0] - a[1][0]*a[2][2]
	c02 := a[1][0]*a[2][1] - a[1][1]*a[2][0]
	det := a[0][0]*c00 + a[0][1]*c01 + a[0][2]*c02
	if det == 0 || math.IsNaN(det) || math.IsInf(det, 0) {
		return mat3{}
	}
	inv := 1 / det
	return mat3{
		{c00 * inv, (a[0][2]*a[2][1] - a[0][1]*a[2][2]) * inv, (a[0][1]*a[1][2] - a[0][2]*a[1][1]) * inv},
		{c01 * inv, (a[0][0]*a[2][2] - a[0][2]*a[2][0]) * inv, (a[0][2]*a[1][0] - a[0][0]*a[1][2]) * inv},
		{c02 * inv, (a[0][1]*a[2][0] - a[0][0]*a[2][1]) * inv, (a[0][0]*a[1][1] - a[0][1]*a[1][0]) * inv},
	}
}

// srgbEncode applies the sRGB transfer function (IEC 61966-2-1) to a
// linear value in [0,1].
func srgbEncode(l float64) float64 {
	if l <= 0.0031308 {
		return 12.92 * clamp01(l)
	}
	return 1.055*math.Pow(min(l, 1), 1/2.4) - 0.055
}

// pcsToSRGB converts PCS XYZ to encoded sRGB in [0,1], clipping each
// channel in linear light.
func pcsToSRGB(xyz [3]float64) [3]float64 {
	l := xyzToSRGB.apply(xyz)
	return [3]float64{srgbEncode(clamp01(l[0])), srgbEncode(clamp01(l[1])), srgbEncode(clamp01(l[2]))}
}

// model is the colour conversion a profile describes: device values in
// [0,1] to relative PCS XYZ. Models are immutable once built.
type model interface {
	// channels returns the number of device channels: 1, 3 or 4.
	channels() int
	// toPCS maps device values (channels() of them) to PCS XYZ.
	toPCS(in [maxLUTInputs]float64) [3]float64
}

// matrixModel is an RGB matrix/TRC profile: per-channel curves to linear
// light, then the colorant matrix (columns rXYZ, gXYZ, bXYZ).
type matrixModel struct {
	trc [3]curve
	m   mat3
}

func (m *matrixModel) channels() int { return 3 }

func (m *matrixModel) toPCS(in [maxLUTInputs]float64) [3]float64 {
	return m.m.apply([3]float64{m.trc[0].eval(in[0]), m.trc[1].eval(in[1]), m.trc[2].eval(in[2])})
}

// grayModel is a grey profile: the kTRC curve gives the luminance of a
// neutral of the PCS white's chromaticity.
type grayModel struct{ trc curve }

func (m *grayModel) channels() int { return 1 }

func (m *grayModel) toPCS(in [maxLUTInputs]float64) [3]float64 {
	y := m.trc.eval(in[0])
	return [3]float64{d50[0] * y, d50[1] * y, d50[2] * y}
}

// lutModel is a profile converted through an A2Bx table.
type lutModel struct{ l *lutPipeline }

func (m *lutModel) channels() int { return m.l.nIn }

func (m *lutModel) toPCS(in [maxLUTInputs]float64) [3]float64 {
	m.l.evalA(&in)
	return m.l.evalXYZ(&in)
}

// buildModel reads the tags the colour conversion of p needs. Errors
// matching ErrUnsupported leave p parsed but not convertible; others are
// ErrMalformed.
func buildModel(p *Profile, tags map[uint32][]byte) (model, error) {
	switch p.class {
	case classLink, classAbstract, classNamed:
		return nil, fmt.Errorf("%w: profile class %q", ErrUnsupported, sigString(p.class))
	}
	a2b, a2bName := tags[tagA2B1], "A2B1"
	if a2b == nil {
		a2b, a2bName = tags[tagA2B0], "A2B0"
	}
	lut := func(n int) (model, error) {
		if a2b == nil {
			return nil, fmt.Errorf("%w: %s profile without an A2B0 or A2B1 tag", ErrUnsupported, p.space)
		}
		l, err := readLUT(a2b, n, p.pcs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a2bName, err)
		}
		return &lutModel{l}, nil
	}
	switch p.space {
	case RGB:
		m, err := readMatrixModel(tags)
		if err == nil {
			return m, nil
		}
		if a2b != nil && errors.Is(err, ErrUnsupported) {
			return lut(3)
		}
		return nil, err
	case Gray:
		c, err := readTRC(tags[tagKTRC], "kTRC")
		if err != nil {
			return nil, err
		}
		return &grayModel{c}, nil
	case CMYK:
		return lut(4)
	}
	return nil, fmt.Errorf("%w: colour space %s", ErrUnsupported, p.space)
}

// readMatrixModel reads the colorants and tone curves of an RGB
// matrix/TRC profile.
func readMatrixModel(tags map[uint32][]byte) (*matrixModel, error) {
	m := &matrixModel{}
	for i, sig := range [3]uint32{tagRXYZ, tagGXYZ, tagBXYZ} {
		t := tags[sig]
		if t == nil {
			return nil, fmt.Errorf("%w: no %s tag", ErrUnsupported, sigString(sig))
		}
		if len(t) < 20 || string(t[:4]) != "XYZ " {
			return nil, fmt.Errorf("%w: %s is not an XYZ tag", ErrMalformed, sigString(sig))
		}
		for r := range 3 {
			m.m[r][i] = s15f16(t[8+4*r:])
		}
	}
	for i, sig := range [3]uint32{tagRTRC, tagGTRC, tagBTRC} {
		c, err := readTRC(tags[sig], sigString(sig))
		if err != nil {
			return nil, err
		}
		m.trc[i] = c
	}
	return m, nil
}

// srgbDecode is the inverse of srgbEncode.
func srgbDecode(e float64) float64 {
	if e <= 0.04045 {
		return e / 12.92
	}
	return math.Pow((e+0.055)/1.055, 2.4)
}

// levelBounds holds, for each 8-bit sRGB level v, the open interval of
// linear light that encodes to within one level of v. It is built on
// first use and only read afterwards.
var levelBounds = sync.OnceValue(func() *[256][2]float64 {
	var b [256][2]float64
	for v := range b {
		b[v][0] = srgbDecode(float64(v-1) / 255)
		b[v][1] = srgbDecode(float64(v+1) / 255)
	}
	b[0][0], b[255][1] = math.Inf(-1), math.Inf(1)
	return &b
})

// isSRGB reports whether m, evaluated exactly, moves none of a set of
// test colours by a whole 8-bit level when converted to sRGB: the full
// grey ramp and, for RGB, a grid of 5 levels per channel. Half-intensity
// primaries and secondaries come first, so a wide-gamut profile fails
// fast (full-intensity ones clip to the sRGB primaries).
func isSRGB(m model) bool {
	n := m.channels()
	if n != 1 && n != 3 {
		return false
	}
	bounds := levelBounds()
	near := func(v [3]int) bool {
		var in [maxLUTInputs]float64
		for k := range v {
			in[k] = float64(v[k]) / 255
		}
		l := xyzToSRGB.apply(m.toPCS(in))
		for k := range l {
			want := v[0]
			if n == 3 {
				want = v[k]
			}
			if x := clamp01(l[k]); !(x > bounds[want][0] && x < bounds[want][1]) {
				return false
			}
		}
		return true
	}
	if n == 3 {
		for c := range 8 {
			if !near([3]int{128 * (c & 1), 128 * (c >> 1 & 1), 128 * (c >> 2)}) {
				return false
			}
		}
	}
	for v := range 256 {
		if !near([3]int{v, v, v}) {
			return false
		}
	}
	if n == 1 {
		return true
	}
	levels := [...]int{0, 64, 128, 191, 255}
	for _, r := range levels {
		for _, g := range levels {
			for _, b := range levels {
				if !near([3]int{r, g, b}) {
					return false
				}
			}
		}
	}
	return true
}
