package icc

import "math"

// Synthetic LUT-based and parametric profiles. The corpus has only one
// LUT-based profile (an mft2 CMYK one), so these exercise the other table
// types, connection spaces and curve types against LittleCMS. They are
// built by code, deterministically: testdata/lcms.json holds what
// LittleCMS made of exactly these bytes.

type synthProfile struct {
	name  string
	space ColorSpace
	build func() []byte
}

func syntheticProfiles() []synthProfile {
	return []synthProfile{
		{"mAB-rgb-xyz", RGB, mABRGBProfile},
		{"mAB-cmyk-lab", CMYK, mABCMYKProfile},
		{"mft1-cmyk-lab", CMYK, mft1CMYKProfile},
		{"mft2-rgb-lab", RGB, mft2RGBProfile},
		{"para-rgb", RGB, paraRGBProfile},
		{"para-gray", Gray, paraGrayProfile},
	}
}

func enc16(v float64) uint16 { return uint16(math.Round(clamp01(v) * 65535)) }

// sampleTable samples f over [0,1] into n 16-bit entries.
func sampleTable(n int, f func(float64) float64) []uint16 {
	t := make([]uint16, n)
	for i := range t {
		t[i] = enc16(f(float64(i) / float64(n-1)))
	}
	return t
}

// sampleCLUT samples f (nIn inputs in [0,1], three outputs in [0,1]) on a
// grid with the first input varying slowest.
func sampleCLUT(grid []int, f func(in []float64) [3]float64) []uint16 {
	total := 1
	for _, g := range grid {
		total *= g
	}
	out := make([]uint16, 0, 3*total)
	in := make([]float64, len(grid))
	for node := range total {
		r := node
		for d := len(grid) - 1; d >= 0; d-- {
			in[d] = float64(r%grid[d]) / float64(grid[d]-1)
			r /= grid[d]
		}
		v := f(in)
		out = append(out, enc16(v[0]), enc16(v[1]), enc16(v[2]))
	}
	return out
}

// cmykLab is a made-up smooth, non-linear CMYK to L*a*b* press.
func cmykLab(in []float64) (l, a, b float64) {
	c, m, y, k := in[0], in[1], in[2], in[3]
	l = 3 + 93*(1-0.28*c-0.42*m-0.09*y-0.05*c*m)*(1-0.82*k*(1-0.2*k))
	a = 62*m - 38*c - 9*y*c + 6*y
	b = 75*y - 45*c - 22*m + 8*c*m
	return l, a, b
}

// labV4 and labV2 encode L*a*b* as normalised lutAtoBType/lut8Type and
// lut16Type samples.
func labV4(l, a, b float64) [3]float64 {
	return [3]float64{l / 100, (a + 128) / 255, (b + 128) / 255}
}

func labV2(l, a, b float64) [3]float64 {
	return [3]float64{l / 100 * 65280 / 65535, (a + 128) * 256 / 65535, (b + 128) * 256 / 65535}
}

func mABRGBProfile() []byte {
	clut := sampleCLUT([]int{5, 6, 7}, func(in []float64) [3]float64 {
		r, g, b := in[0], in[1], in[2]
		return [3]float64{
			0.80*r + 0.15*g + 0.05*b + 0.04*math.Sin(3*r*g),
			0.10*r + 0.85*g + 0.05*b - 0.03*r*b,
			0.02*r + 0.08*g + 0.90*b + 0.02*math.Sin(4*b),
		}
	})
	// The matrix maps to XYZ in u1Fixed15 encoding (1.0 is 0.5).
	mat := []float64{
		0.5 * 0.4361, 0.5 * 0.3851, 0.5 * 0.1431,
		0.5 * 0.2225, 0.5 * 0.7169, 0.5 * 0.0606,
		0.5 * 0.0139, 0.5 * 0.0971, 0.5 * 0.7141,
		0.0015, 0.001, 0.0005,
	}
	bCurve := curvTable(sampleTable(5, func(x float64) float64 { return math.Pow(x, 0.97) }))
	lut := mABTag(3,
		[][]byte{bCurve, bCurve, bCurve},
		mat,
		[][]byte{paraTag(0, 1.1), paraTag(0, 1.05), curvIdentity()},
		[]int{5, 6, 7}, 2, clut,
		[][]byte{
			paraTag(2, 2.0, 0.95, 0.05, 0.0),
			paraTag(3, 2.4, 1/1.055, 0.055/1.055, 1/12.92, 0.04045),
			curvGamma(1.8),
		})
	return buildProfile(0x04300000, "mntr", "RGB ", "XYZ ", []testTag{
		{"desc", mlucTag("synthetic mAB RGB")},
		{"wtpt", xyzTag(d50[0], d50[1], d50[2])},
		{"A2B0", lut},
	})
}

func mABCMYKProfile() []byte {
	grid := []int{5, 4, 6, 3}
	lut := func(scale float64) []byte {
		clut := sampleCLUT(grid, func(in []float64) [3]float64 {
			l, a, b := cmykLab(in)
			return labV4(l*scale, a, b)
		})
		return mABTag(4,
			[][]byte{curvIdentity(), curvIdentity(), curvIdentity()},
			nil, nil, grid, 1, clut,
			[][]byte{
				curvTable([]uint16{0, 0x5000, 0xffff}),
				curvIdentity(),
				paraTag(0, 0.9),
				curvTable([]uint16{0, 0x3000, 0x9000, 0xffff}),
			})
	}
	return buildProfile(0x04300000, "prtr", "CMYK", "Lab ", []testTag{
		{"desc", mlucTag("synthetic mAB CMYK")},
		{"wtpt", xyzTag(d50[0], d50[1], d50[2])},
		// A2B0 differs (darker): the relative colorimetric A2B1 must win.
		{"A2B0", lut(0.5)},
		{"A2B1", lut(1)},
	})
}

func mft1CMYKProfile() []byte {
	const g = 7
	grid := []int{g, g, g, g}
	clut := sampleCLUT(grid, func(in []float64) [3]float64 {
		return labV4(cmykLab(in))
	})
	in := make([][]uint16, 4)
	for i := range in {
		p := 1 + 0.1*float64(i)
		in[i] = sampleTable(256, func(x float64) float64 { return math.Pow(x, p) })
	}
	out := make([][]uint16, 3)
	for i := range out {
		out[i] = sampleTable(256, func(x float64) float64 { return x })
	}
	return buildProfile(0x02100000, "prtr", "CMYK", "Lab ", []testTag{
		{"desc", descTag("synthetic mft1 CMYK")},
		{"wtpt", xyzTag(d50[0], d50[1], d50[2])},
		{"A2B0", lutTag(1, 4, g, in, clut, out)},
	})
}

func mft2RGBProfile() []byte {
	const g = 9
	// Device RGB with a 2.0 gamma (undone by the input tables) to Lab
	// through Adobe-RGB-like primaries.
	m := mat3{{0.6097, 0.2053, 0.1492}, {0.3111, 0.6257, 0.0632}, {0.0195, 0.0609, 0.7446}}
	clut := sampleCLUT([]int{g, g, g}, func(in []float64) [3]float64 {
		lin := [3]float64{math.Pow(in[0], 1.1), math.Pow(in[1], 1.1), math.Pow(in[2], 1.1)}
		xyz := m.apply(lin)
		return labV2(xyzToLab(xyz))
	})
	in := make([][]uint16, 3)
	for i := range in {
		in[i] = sampleTable(1024, func(x float64) float64 { return math.Pow(x, 2.0) })
	}
	out := make([][]uint16, 3)
	for i := range out {
		out[i] = sampleTable(2, func(x float64) float64 { return x })
	}
	return buildProfile(0x02100000, "mntr", "RGB ", "Lab ", []testTag{
		{"desc", descTag("synthetic mft2 RGB")},
		{"wtpt", xyzTag(d50[0], d50[1], d50[2])},
		{"A2B0", lutTag(2, 3, g, in, clut, out)},
	})
}

func xyzToLab(xyz [3]float64) (l, a, b float64) {
	f := func(t float64) float64 {
		const e = 6.0 / 29
		if t > e*e*e {
			return math.Cbrt(t)
		}
		return t/(3*e*e) + 4.0/29
	}
	fx, fy, fz := f(xyz[0]/d50[0]), f(xyz[1]/d50[1]), f(xyz[2]/d50[2])
	return 116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)
}

func paraRGBProfile() []byte {
	return buildProfile(0x04300000, "mntr", "RGB ", "XYZ ", []testTag{
		{"desc", mlucTag("synthetic para RGB")},
		{"wtpt", xyzTag(d50[0], d50[1], d50[2])},
		{"rXYZ", xyzTag(0.6097, 0.3111, 0.0195)},
		{"gXYZ", xyzTag(0.2053, 0.6257, 0.0609)},
		{"bXYZ", xyzTag(0.1492, 0.0632, 0.7446)},
		{"rTRC", paraTag(1, 2.2, 1.05, -0.05)},
		{"gTRC", paraTag(2, 2.0, 0.9, 0.1, -0.01)},
		{"bTRC", paraTag(4, 2.6, 0.95, 0.05, 0.1, 0.06, 0.005, 0.001)},
	})
}

func paraGrayProfile() []byte {
	return grayProfile(paraTag(4, 2.2, 0.9, 0.1, 0.08, 0.05, 0.01, 0.002))
}
