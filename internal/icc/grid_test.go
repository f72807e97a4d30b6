package icc

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGridMatchesExact compares LUT-based transforms (a resampled grid,
// fixed-point) with the exact floating-point evaluation of the same
// profile on random device colours. Where the grid reproduces the
// profile's interpolation (every profile here but mAB-rgb-xyz, whose
// curves after the CLUT are non-linear on purpose), the only error is
// the final rounding to 8 bits (at most 0.5) and the table steps.
func TestGridMatchesExact(t *testing.T) {
	type profile struct {
		name     string
		b        []byte
		max      float64
		maxMeans float64
	}
	profiles := []profile{
		{"mAB-rgb-xyz", mABRGBProfile(), 1.6, 0.45},
		{"mAB-cmyk-lab", mABCMYKProfile(), 0.75, 0.4},
		{"mft1-cmyk-lab", mft1CMYKProfile(), 0.75, 0.4},
		{"mft2-rgb-lab", mft2RGBProfile(), 0.75, 0.4},
	}
	if b := corpusProfileIfPresent(fileCMYK); b != nil {
		profiles = append(profiles, profile{"SWOP", b, 0.75, 0.4})
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for _, pr := range profiles {
		p, err := Parse(pr.b)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := p.ToSRGB()
		if err != nil {
			t.Fatal(err)
		}
		n := p.model.channels()
		in := make([][]int, 20000)
		for i := range in {
			in[i] = make([]int, n)
			for k := range in[i] {
				in[i][k] = rng.IntN(256)
			}
		}
		got := convertSamples(t, tr, in)
		var worst, sum float64
		for i, v := range in {
			var dev [maxLUTInputs]float64
			for k, x := range v {
				dev[k] = float64(x) / 255
			}
			ex := pcsToSRGB(p.model.toPCS(dev))
			d := 0.0
			for k := range ex {
				d = max(d, math.Abs(ex[k]*255-float64(got[i][k])))
			}
			worst = max(worst, d)
			sum += d
		}
		mean := sum / float64(len(in))
		t.Logf("%s: max %.3f, mean of per-sample max %.3f", pr.name, worst, mean)
		if worst > pr.max || mean > pr.maxMeans {
			t.Errorf("%s: grid differs from exact by up to %.3f (mean %.3f), want ≤ %.2f (mean ≤ %.2f)", pr.name, worst, mean, pr.max, pr.maxMeans)
		}
	}
}
