package icc

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"
)

// Tolerances against LittleCMS, in 8-bit levels.
//
// Corpus patches compare the mean of 256 converted pixels with the mean
// of LittleCMS's floating-point results for the same decoded pixels. Our
// departures from exact arithmetic are the 8-bit output rounding
// (unbiased, so it averages out to a few hundredths on a patch mean) and
// the steps of the tables: 1/65536 of linear light in, 1/16384 out
// (under 0.2 of a level at black, far less elsewhere). The CMYK table is
// resampled on a grid that subdivides the profile's own CLUT cells, which
// reproduces its interpolation exactly (see gridSizes), so it gets no
// extra allowance. Measured: at most 0.39 (Adobe RGB), 0.04 for CMYK. A
// wrong curve, matrix, white point or table encoding moves saturated or
// dark patches by several levels; the unconverted pixels are 4 to 62
// levels off.
var corpusTolerance = map[string]float64{
	fileP3:       0.5,
	fileAdobeRGB: 0.5,
	fileProPhoto: 0.5,
	fileGray:     0.5,
	fileCMYK:     0.5,
}

// controlFactor: the unconverted pixels must be off by at least this many
// times the tolerance on some patch, or the test could not tell a
// missing or broken transform from a working one.
const controlFactor = 4

func convertImage(t testing.TB, tr *Transform, img image.Image) image.Image {
	t.Helper()
	switch m := img.(type) {
	case *image.YCbCr:
		return tr.YCbCr(m)
	case *image.Gray:
		c := *m
		c.Pix = append([]byte(nil), m.Pix...)
		tr.Gray(&c)
		return &c
	case *image.CMYK:
		return tr.CMYK(m)
	}
	t.Fatalf("unexpected image type %T", img)
	return nil
}

// meanOut is the mean colour of the box r of a converted image.
func meanOut(img image.Image, r image.Rectangle) [3]float64 {
	var s [3]float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			var c [3]uint8
			switch m := img.(type) {
			case *image.NRGBA:
				p := m.Pix[m.PixOffset(x, y):]
				c = [3]uint8{p[0], p[1], p[2]}
			case *image.Gray:
				v := m.Pix[m.PixOffset(x, y)]
				c = [3]uint8{v, v, v}
			}
			for k := range s {
				s[k] += float64(c[k])
			}
		}
	}
	n := float64(r.Dx() * r.Dy())
	return [3]float64{s[0] / n, s[1] / n, s[2] / n}
}

func TestCorpusMatchesLCMS(t *testing.T) {
	g := readGoldens(t)
	if len(g.Images) != len(corpusTolerance) {
		t.Fatalf("goldens hold %d images, want %d", len(g.Images), len(corpusTolerance))
	}
	for _, gi := range g.Images {
		t.Run(gi.File, func(t *testing.T) {
			tol, ok := corpusTolerance[gi.File]
			if !ok {
				t.Fatalf("no tolerance for %s", gi.File)
			}
			if len(gi.Patches) < 6 {
				t.Fatalf("%d patches, want at least 6", len(gi.Patches))
			}
			img := decodeCorpus(t, gi.File)
			p, err := Parse(corpusProfile(t, gi.File))
			if err != nil {
				t.Fatal(err)
			}
			tr, err := p.ToSRGB()
			if err != nil {
				t.Fatal(err)
			}
			out := convertImage(t, tr, img)
			var worst, worstRaw, sum float64
			for _, pt := range gi.Patches {
				r := image.Rect(pt.X, pt.Y, pt.X+pt.W, pt.Y+pt.H)
				if in := meanRGB(img, r); !near3(in, pt.Input, 0.01) {
					t.Fatalf("patch %v: decoded mean %v, goldens made from %v: regenerate the goldens", r, in, pt.Input)
				}
				got := meanOut(out, r)
				for k := range got {
					d := math.Abs(got[k] - pt.LCMS[k])
					sum += d
					worst = max(worst, d)
					worstRaw = max(worstRaw, math.Abs(pt.Input[k]-pt.LCMS[k]))
				}
				t.Logf("patch %v: ours %.2f, lcms %.2f, unconverted %.2f", r, got, pt.LCMS, pt.Input)
			}
			t.Logf("%s: max |ours−lcms| %.3f (mean %.3f), max |unconverted−lcms| %.2f, tolerance %.1f",
				gi.File, worst, sum/float64(3*len(gi.Patches)), worstRaw, tol)
			if worst > tol {
				t.Errorf("patch means differ from LittleCMS by up to %.3f levels, tolerance %.1f", worst, tol)
			}
			if worstRaw < controlFactor*tol {
				t.Errorf("control: unconverted patches are within %.2f levels of LittleCMS, under %d× the tolerance: the comparison cannot detect a missing transform", worstRaw, controlFactor)
			}
		})
	}
}

// TestSubImage converts patches as sub-images (odd offsets, shared chroma
// samples) and checks they match the whole-image conversion exactly.
func TestSubImage(t *testing.T) {
	g := readGoldens(t)
	for _, gi := range g.Images {
		img := decodeCorpus(t, gi.File)
		p, err := Parse(corpusProfile(t, gi.File))
		if err != nil {
			t.Fatal(err)
		}
		tr, err := p.ToSRGB()
		if err != nil {
			t.Fatal(err)
		}
		full := convertImage(t, tr, img)
		for _, pt := range gi.Patches {
			r := image.Rect(pt.X+1, pt.Y+1, pt.X+pt.W, pt.Y+pt.H)
			sub := img.(interface {
				SubImage(image.Rectangle) image.Image
			}).SubImage(r)
			part := convertImage(t, tr, sub)
			if part.Bounds() != r {
				t.Fatalf("%s: sub-image result bounds %v, want %v", gi.File, part.Bounds(), r)
			}
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					if a, b := part.At(x, y), full.At(x, y); a != b {
						t.Fatalf("%s: at %d,%d sub-image gives %v, whole image %v", gi.File, x, y, a, b)
					}
				}
			}
		}
	}
}

func near3(a, b [3]float64, tol float64) bool {
	for k := range a {
		if math.Abs(a[k]-b[k]) > tol {
			return false
		}
	}
	return true
}

// synthTolerance bounds, per synthetic profile, the difference of each
// converted 8-bit sample from LittleCMS's floating-point result: 0.5 of
// rounding plus the table steps. mAB-rgb-xyz gets more because its
// stages after the CLUT (M curves, matrix, B curves) are deliberately
// non-linear, and the grid interpolates over them (measured 0.92, on a
// dark colour).
var synthTolerance = map[string]float64{
	"mAB-rgb-xyz":   1.25,
	"mAB-cmyk-lab":  0.75,
	"mft1-cmyk-lab": 0.75,
	"mft2-rgb-lab":  0.75,
	"para-rgb":      0.75,
	"para-gray":     0.75,
}

// exactTolerance bounds the difference of the exact (floating-point,
// table-free) evaluation of a profile from LittleCMS's, which computes
// the same formulas but partly in single precision and, for LUT-based
// profiles, in its 16-bit pipeline: its CLUT and table curves take 16-bit
// inputs and give 16-bit outputs. With an XYZ connection space that
// quantises XYZ to 1/32768, up to about 0.3 of a level in sRGB at black
// (measured 0.11), hence exactTolerance XYZ.
const (
	exactTolerance    = 0.05
	exactToleranceXYZ = 0.15
)

func TestSyntheticMatchesLCMS(t *testing.T) {
	g := readGoldens(t)
	byName := map[string]goldenSynth{}
	for _, s := range g.Synthetic {
		byName[s.Name] = s
	}
	for _, sp := range syntheticProfiles() {
		t.Run(sp.name, func(t *testing.T) {
			gs, ok := byName[sp.name]
			if !ok {
				t.Fatalf("no goldens for %s: regenerate them", sp.name)
			}
			p, err := Parse(sp.build())
			if err != nil {
				t.Fatal(err)
			}
			if p.ColorSpace() != sp.space {
				t.Fatalf("colour space %v, want %v", p.ColorSpace(), sp.space)
			}
			tr, err := p.ToSRGB()
			if err != nil {
				t.Fatal(err)
			}
			got := convertSamples(t, tr, gs.Inputs)
			tol := synthTolerance[sp.name]
			var worst, worstExact, worstRaw float64
			for i, in := range gs.Inputs {
				var dev [maxLUTInputs]float64
				for k, v := range in {
					dev[k] = float64(v) / 255
				}
				exact := pcsToSRGB(p.model.toPCS(dev))
				for k := range 3 {
					want := gs.LCMS[i][k]
					worst = max(worst, math.Abs(float64(got[i][k])-want))
					worstExact = max(worstExact, math.Abs(exact[k]*255-want))
					worstRaw = max(worstRaw, math.Abs(float64(unmanaged(in)[k])-want))
				}
				if d := maxDiff(got[i], gs.LCMS[i]); d > tol {
					t.Errorf("%v: got %v, LittleCMS %v (off by %.2f, tolerance %.2f)", in, got[i], gs.LCMS[i], d, tol)
				}
			}
			t.Logf("%s: max |ours−lcms| %.3f, max |exact−lcms| %.4f, max |unconverted−lcms| %.1f", sp.name, worst, worstExact, worstRaw)
			exactTol := exactTolerance
			if l, ok := p.model.(*lutModel); ok && l.l.enc == pcsXYZ {
				exactTol = exactToleranceXYZ
			}
			if worstExact > exactTol {
				t.Errorf("exact evaluation differs from LittleCMS by up to %.4f levels, tolerance %.2f", worstExact, exactTol)
			}
			if worstRaw < controlFactor*tol {
				t.Errorf("control: unconverted samples are within %.2f levels of LittleCMS, under %d× the tolerance", worstRaw, controlFactor)
			}
		})
	}
}

// unmanaged renders device values as RGB without colour management.
func unmanaged(in []int) [3]uint8 {
	switch len(in) {
	case 1:
		return [3]uint8{uint8(in[0]), uint8(in[0]), uint8(in[0])}
	case 4:
		r, g, b := color.CMYKToRGB(uint8(in[0]), uint8(in[1]), uint8(in[2]), uint8(in[3]))
		return [3]uint8{r, g, b}
	}
	return [3]uint8{uint8(in[0]), uint8(in[1]), uint8(in[2])}
}

func maxDiff(a [3]uint8, b [3]float64) float64 {
	var d float64
	for k := range a {
		d = max(d, math.Abs(float64(a[k])-b[k]))
	}
	return d
}

// convertSamples converts device colours (1, 3 or 4 channels, 8-bit)
// with tr through the method matching their channel count.
func convertSamples(t testing.TB, tr *Transform, in [][]int) [][3]uint8 {
	t.Helper()
	out := make([][3]uint8, len(in))
	n := len(in[0])
	r := image.Rect(0, 0, len(in), 1)
	switch n {
	case 1:
		img := image.NewGray(r)
		for i, c := range in {
			img.Pix[i] = uint8(c[0])
		}
		tr.Gray(img)
		for i := range in {
			v := img.Pix[i]
			out[i] = [3]uint8{v, v, v}
		}
	case 3:
		img := image.NewNRGBA(r)
		for i, c := range in {
			copy(img.Pix[4*i:], []uint8{uint8(c[0]), uint8(c[1]), uint8(c[2]), 0x80})
		}
		tr.NRGBA(img)
		for i := range in {
			if img.Pix[4*i+3] != 0x80 {
				t.Fatalf("alpha changed")
			}
			out[i] = [3]uint8(img.Pix[4*i : 4*i+3])
		}
	case 4:
		img := image.NewCMYK(r)
		for i, c := range in {
			copy(img.Pix[4*i:], []uint8{uint8(c[0]), uint8(c[1]), uint8(c[2]), uint8(c[3])})
		}
		res := tr.CMYK(img)
		for i := range in {
			out[i] = [3]uint8(res.Pix[4*i : 4*i+3])
		}
	default:
		panic(fmt.Sprint("bad channel count ", n))
	}
	return out
}
