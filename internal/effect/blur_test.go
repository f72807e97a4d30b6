package effect

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"
)

func TestBlurUniformExact(t *testing.T) {
	for _, c := range []color.NRGBA{{0, 0, 0, 255}, {255, 255, 255, 255}, {10, 200, 30, 128}, {7, 8, 9, 1}} {
		for _, r := range []int{1, 2, 5, 6, 10, 50, 100} {
			img := uniform(37, 23, c)
			got := Blur(img, r)
			for y := range 23 {
				for x := range 37 {
					if p := px(got, x, y); p != c {
						t.Fatalf("Blur(uniform %v, %d) at (%d,%d) = %v, want unchanged", c, r, x, y, p)
					}
				}
			}
		}
	}
}

func TestBlurEdgeMonotonic(t *testing.T) {
	const w, h = 120, 8
	img := newImage(w, h, func(x, y int) color.NRGBA {
		if x < w/2 {
			return color.NRGBA{0, 0, 0, 255}
		}
		return color.NRGBA{255, 255, 255, 255}
	})
	for _, r := range []int{1, 4, 6, 10, 20, 40} {
		got := Blur(img, r)
		for y := range h {
			prev := -1
			mid := 0
			for x := range w {
				p := px(got, x, y)
				if p.R != p.G || p.G != p.B || p.A != 255 {
					t.Fatalf("Blur(edge, %d) at (%d,%d) = %v, want opaque grey", r, x, y, p)
				}
				if int(p.R) < prev {
					t.Fatalf("Blur(edge, %d) row %d not monotonic at x=%d: %d after %d", r, y, x, p.R, prev)
				}
				prev = int(p.R)
				if p.R > 0 && p.R < 255 {
					mid++
				}
				// The edge is symmetric: x and w-1-x are complementary.
				if q := px(got, w-1-x, y); abs(int(p.R)+int(q.R)-255) > 1 {
					t.Fatalf("Blur(edge, %d) not symmetric: (%d)=%d, (%d)=%d", r, x, p.R, w-1-x, q.R)
				}
			}
			// sigma = r/2: the transition spans roughly ±2 sigma.
			if mid < r {
				t.Errorf("Blur(edge, %d): %d intermediate pixels in row %d, want at least %d", r, mid, y, r)
			}
		}
		// At one sigma from the edge a Gaussian edge reaches Φ(1) ≈ 84%.
		// (For small sigma the sampled kernel differs from the continuous one.)
		sigma := float64(r) / 2
		if sigma < 2 {
			continue
		}
		x := w/2 + int(math.Round(sigma-0.5))
		want := 255 * 0.5 * (1 + math.Erf((float64(x)+0.5-w/2)/(sigma*math.Sqrt2)))
		if p := px(got, x, 0); math.Abs(float64(p.R)-want) > 8 {
			t.Errorf("Blur(edge, %d) at x=%d = %d, want ≈ %.0f (Gaussian, sigma %.1f)", r, x, p.R, want, sigma)
		}
	}
}

func TestBlurPreservesMean(t *testing.T) {
	const w, h, margin = 200, 160, 60
	rng := rand.New(rand.NewPCG(1, 2))
	img := newImage(w, h, func(x, y int) color.NRGBA {
		if x < margin || y < margin || x >= w-margin || y >= h-margin {
			return color.NRGBA{40, 80, 120, 255}
		}
		return color.NRGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255}
	})
	mean := func(img *image.NRGBA) [3]float64 {
		var s [3]float64
		for y := range h {
			r := row(img, y)
			for i := 0; i < len(r); i += 4 {
				s[0] += float64(r[i])
				s[1] += float64(r[i+1])
				s[2] += float64(r[i+2])
			}
		}
		for i := range s {
			s[i] /= w * h
		}
		return s
	}
	before := mean(img)
	for _, r := range []int{2, 10, 30} {
		after := mean(Blur(img, r))
		for c := range 3 {
			if math.Abs(after[c]-before[c]) > 0.3 {
				t.Errorf("Blur(%d) channel %d mean = %.3f, want %.3f", r, c, after[c], before[c])
			}
		}
	}
}

func TestBlurNoBleedFromTransparent(t *testing.T) {
	// Opaque red on the left, fully transparent pixels hiding green on the right.
	img := newImage(200, 10, func(x, y int) color.NRGBA {
		if x < 100 {
			return color.NRGBA{255, 0, 0, 255}
		}
		return color.NRGBA{0, 255, 0, 0}
	})
	for _, r := range []int{3, 10, 40} {
		got := Blur(img, r)
		sawPartial := false
		for x := range 200 {
			p := px(got, x, 5)
			if p.A == 0 {
				continue
			}
			if p.A < 255 {
				sawPartial = true
			}
			if p.R != 255 || p.G != 0 || p.B != 0 {
				t.Fatalf("Blur(%d) at x=%d = %v, want pure red (no hidden green)", r, x, p)
			}
		}
		if !sawPartial {
			t.Errorf("Blur(%d): alpha was not blurred", r)
		}
		if p := px(got, 0, 5); p.A != 255 {
			t.Errorf("Blur(%d) far left alpha = %d, want 255", r, p.A)
		}
	}
}

// referenceBlur is a straightforward float64 Gaussian blur of premultiplied
// colour, untruncated to 5 sigma, repeating edge pixels.
func referenceBlur(img *image.NRGBA, sigma float64) *image.NRGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	r := int(math.Ceil(5 * sigma))
	k := make([]float64, 2*r+1)
	s := 0.0
	for i := range k {
		d := float64(i - r)
		k[i] = math.Exp(-d * d / (2 * sigma * sigma))
		s += k[i]
	}
	for i := range k {
		k[i] /= s
	}
	pm := make([]float64, w*h*4)
	for y := range h {
		for x := range w {
			p := px(img, x, y)
			a := float64(p.A)
			pm[(y*w+x)*4+0] = float64(p.R) * a
			pm[(y*w+x)*4+1] = float64(p.G) * a
			pm[(y*w+x)*4+2] = float64(p.B) * a
			pm[(y*w+x)*4+3] = a * 255
		}
	}
	tmp := make([]float64, len(pm))
	for y := range h {
		for x := range w {
			for c := range 4 {
				v := 0.0
				for i, kv := range k {
					xx := min(max(x+i-r, 0), w-1)
					v += kv * pm[(y*w+xx)*4+c]
				}
				tmp[(y*w+x)*4+c] = v
			}
		}
	}
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			var v [4]float64
			for c := range 4 {
				for i, kv := range k {
					yy := min(max(y+i-r, 0), h-1)
					v[c] += kv * tmp[(yy*w+x)*4+c]
				}
			}
			o := dst.PixOffset(x, y)
			if v[3] <= 0 {
				continue
			}
			for c := range 3 {
				dst.Pix[o+c] = clamp8(float32(v[c] * 255 / v[3]))
			}
			dst.Pix[o+3] = clamp8(float32(v[3] / 255))
		}
	}
	return dst
}

func TestBlurMatchesReference(t *testing.T) {
	src := corpusImage(t, "jpeg-photo-1920x1080.jpg")
	opaque := clone(src.SubImage(image.Rect(700, 400, 860, 520)).(*image.NRGBA))
	// A copy with transparency, so alpha and premultiplication matter.
	translucent := clone(opaque)
	for y := range translucent.Rect.Dy() {
		r := row(translucent, y)
		for i := 3; i < len(r); i += 4 {
			r[i] = uint8(255 - 2*y)
		}
	}
	for _, tc := range []struct {
		radius      int
		maxMean     float64
		maxAbs      int
		description string
	}{
		{1, 0.01, 1, "direct kernel"},
		{3, 0.01, 1, "direct kernel"},
		{5, 0.01, 1, "direct kernel"},
		{6, 0.1, 2, "box passes"},
		{10, 0.1, 2, "box passes"},
		{25, 0.3, 5, "box passes, near the edges"},
		{50, 1, 8, "box passes, near the edges"},
	} {
		for name, img := range map[string]*image.NRGBA{"opaque": opaque, "translucent": translucent} {
			got := Blur(img, tc.radius)
			want := referenceBlur(img, float64(tc.radius)/2)
			if m, a := meanDiff(got, want), maxDiff(got, want); m > tc.maxMean || a > tc.maxAbs {
				t.Errorf("Blur(%s photo, %d) (%s) differs from a float Gaussian: mean %.3f (max %.2f), max %d (max %d)",
					name, tc.radius, tc.description, m, tc.maxMean, a, tc.maxAbs)
			}
		}
	}
}

func TestBlurPhoto(t *testing.T) {
	img := corpusImage(t, "jpeg-photo-1920x1080.jpg")
	before := snapshot(img)
	got := Blur(img, 20)
	checkUnmodified(t, img, before)
	if got.Rect != img.Rect {
		t.Fatalf("Blur bounds = %v, want %v", got.Rect, img.Rect)
	}
	// Blurring removes detail: the mean difference between neighbours drops.
	detail := func(m *image.NRGBA) float64 {
		s := 0
		for y := range m.Rect.Dy() {
			r := row(m, y)
			for i := 4; i < len(r); i++ {
				s += abs(int(r[i]) - int(r[i-4]))
			}
		}
		return float64(s) / float64(len(m.Pix))
	}
	if d0, d1 := detail(img), detail(got); d1 > d0/4 {
		t.Errorf("Blur(photo, 20): neighbour difference %.2f → %.2f, want at least 4× lower", d0, d1)
	}
	var s0, s1 float64
	for i := range img.Pix {
		s0 += float64(img.Pix[i])
		s1 += float64(got.Pix[i])
	}
	n := float64(len(img.Pix))
	if math.Abs(s0/n-s1/n) > 0.5 {
		t.Errorf("Blur(photo, 20) mean %.2f, want %.2f", s1/n, s0/n)
	}
}

func TestBlurSubImageAndEmpty(t *testing.T) {
	img := newImage(40, 40, func(x, y int) color.NRGBA {
		if x >= 20 {
			return color.NRGBA{255, 255, 255, 255}
		}
		return color.NRGBA{0, 0, 0, 255}
	})
	sub := img.SubImage(image.Rect(10, 10, 30, 30)).(*image.NRGBA)
	got := Blur(sub, 4)
	want := Blur(clone(sub), 4)
	if got.Rect != image.Rect(0, 0, 20, 20) || maxDiff(got, want) != 0 {
		t.Errorf("Blur(sub-image) = %v, differs from blurring a copy", got.Rect)
	}
	if e := Blur(image.NewNRGBA(image.Rect(0, 0, 0, 5)), 10); !e.Rect.Empty() {
		t.Errorf("Blur(empty) bounds = %v", e.Rect)
	}
	one := uniform(1, 1, color.NRGBA{1, 2, 3, 4})
	if p := px(Blur(one, 100), 0, 0); p != (color.NRGBA{1, 2, 3, 4}) {
		t.Errorf("Blur(1×1) = %v", p)
	}
}

func TestDividerExact(t *testing.T) {
	check := func(w int, x uint32) {
		d := newDivider(w)
		want := (uint64(x) + uint64(w/2)) / uint64(w)
		if got := d.div(x); uint64(got) != want {
			t.Fatalf("divider(%d).div(%d) = %d, want %d", w, x, got, want)
		}
	}
	for w := 1; w <= 401; w++ {
		for q := uint32(0); q <= planeMax; q++ {
			// The values either side of each rounding boundary.
			b := q*uint32(w) + uint32(w-w/2) // first x rounding up to q+1
			if b <= planeMax*uint32(w) {
				check(w, b)
				check(w, b-1)
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		w := 1 + rng.IntN(1<<15)
		check(w, uint32(rng.Int64N(int64(planeMax)*int64(w)+1)))
		check(w, planeMax*uint32(w))
	}
}

func TestBoxRadii(t *testing.T) {
	for s := 3.0; s <= 500; s += 0.5 {
		r := boxRadii(s)
		v := 0.0
		for _, x := range r {
			w := float64(2*x + 1)
			v += (w*w - 1) / 12
		}
		if e := math.Abs(math.Sqrt(v)/s - 1); e > 0.025 {
			t.Errorf("boxRadii(%.1f) = %v: sigma %.3f, off by %.1f%%", s, r, math.Sqrt(v), 100*e)
		}
		if r[0] > r[1] || r[1] > r[2] || r[2]-r[0] > 2 {
			t.Errorf("boxRadii(%.1f) = %v, want increasing radii within 2", s, r)
		}
	}
}

func TestGaussKernelSumsExactly(t *testing.T) {
	for sigma := 0.05; sigma < boxMinSigma; sigma += 0.05 {
		for hw := 1; hw <= int(math.Ceil(6*sigma)); hw++ {
			k := gaussKernel(sigma, hw)
			sum := int64(k[0])
			for i := 1; i < len(k); i++ {
				sum += 2 * int64(k[i])
				if k[i] > k[i-1] {
					t.Fatalf("gaussKernel(%.2f, %d) = %v, not decreasing", sigma, hw, k)
				}
			}
			if sum != 1<<kernelBits || k[0] > 1<<kernelBits {
				t.Fatalf("gaussKernel(%.2f, %d) sums to %d, want %d", sigma, hw, sum, 1<<kernelBits)
			}
		}
	}
}
