package effect

import (
	"image"
	"math"
)

// DefaultSharpenStrength is the strength [Sharpen] uses when given 0, as for
// a bare e-sharpen.
const DefaultSharpenStrength = 10

// MaxSharpenStrength is the largest strength [Sharpen] honours; larger values
// are treated as MaxSharpenStrength.
const MaxSharpenStrength = 100

// Sharpen returns a sharpened copy of img, for e-sharpen and e-sharpen-N.
// It is an unsharp mask with sigma 1 (kernel radius 3) and no threshold whose
// amount is strength/10: strength 10 adds 100% of the detail removed by the
// blur (roughly ImageMagick's -sharpen 0x1), 5 adds 50%, 30 adds 300%.
// strength ≤ 0 means [DefaultSharpenStrength]; strength above
// [MaxSharpenStrength] is treated as MaxSharpenStrength. Uniform areas are
// left exactly as they are; alpha is kept.
//
// The result's bounds start at (0, 0). Sharpen never modifies img and is
// safe for concurrent use.
func Sharpen(img *image.NRGBA, strength int) *image.NRGBA {
	if strength <= 0 {
		strength = DefaultSharpenStrength
	}
	strength = min(strength, MaxSharpenStrength)
	return UnsharpMask(img, 0, 1, float64(strength)/10, 0)
}

// UnsharpMask returns a copy of img sharpened with an unsharp mask, as
// ImageMagick's -unsharp and the e-usm-radius-sigma-amount-threshold
// parameter define it: the image is blurred with a Gaussian of standard
// deviation sigma whose kernel reaches radius pixels either side of the
// centre, and each colour channel whose difference d from the blurred image
// satisfies |2d| ≥ threshold·255 becomes original + amount·d.
//
//   - radius ≤ 0 chooses the kernel radius from sigma (3·sigma, rounded up);
//     a fractional radius is rounded up. The radius truncates the kernel only
//     while sigma < 3: larger sigmas always use the whole Gaussian (as a
//     fast three-box approximation, see [Blur]), which bounds the cost.
//   - sigma ≤ 0 means 1; sigma is at most [MaxBlurRadius]/2.
//   - amount is the fraction of the difference added back: 0.8 adds 80%.
//     amount ≤ 0 returns an unchanged copy.
//   - threshold is a fraction of the full range, 0 to 1 (0.024 is about 6 of
//     255 levels); below it, low-contrast detail is left unchanged. Values
//     outside 0 to 1 are clamped.
//
// The blurred reference is computed on premultiplied colour, so transparent
// pixels' hidden colour never creates halos, and alpha is kept unchanged.
// NaN arguments are treated as 0.
//
// The result's bounds start at (0, 0). UnsharpMask never modifies img and is
// safe for concurrent use.
func UnsharpMask(img *image.NRGBA, radius, sigma, amount, threshold float64) *image.NRGBA {
	if math.IsNaN(amount) || amount <= 0 || img.Rect.Empty() {
		return clone(img)
	}
	if math.IsNaN(sigma) || sigma <= 0 {
		sigma = 1
	}
	sigma = min(sigma, MaxBlurRadius/2)
	halfWidth := 0
	if radius > 0 { // false for NaN
		halfWidth = int(math.Ceil(min(radius, 6*sigma)))
	}
	if math.IsNaN(threshold) {
		threshold = 0
	}
	thr := float32(min(max(threshold, 0), 1) * 255) // compared with |2d|, as ImageMagick does
	gain := float32(min(amount, 1e6))

	blurred := gaussian(premultiply(img), sigma, halfWidth)
	w, h := img.Rect.Dx(), img.Rect.Dy()
	dst := newNRGBA(w, h)
	if blurred.opaque {
		// Integer arithmetic in the plane's scale (255 per level): the
		// difference is orig·255 - blurred, the threshold thr·255 levels, and
		// the gain gain/255 in 24-bit fixed point.
		t := int64(math.Ceil(float64(thr) * 255)) // for integers, x < t ⇔ x < thr·255
		g := int64(math.Round(float64(gain) / 255 * (1 << 24)))
		parallel(h, w*h*4, func(lo, hi int) {
			for y := lo; y < hi; y++ {
				s, b, d := row(img, y), blurred.row(y), row(dst, y)
				for i, j := 0, 0; i+3 < len(s) && i+3 < len(d) && j+2 < len(b); i, j = i+4, j+3 {
					d[i+3] = 255
					for c := range 3 {
						o := int64(s[i+c])
						diff := o*255 - int64(b[j+c])
						if 2*diff < t && -2*diff < t {
							d[i+c] = s[i+c]
							continue
						}
						v := o + (diff*g+1<<23)>>24
						d[i+c] = uint8(min(max(v, 0), 255))
					}
				}
			}
		})
		return dst
	}
	parallel(h, w*h*4, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			s, b, d := row(img, y), blurred.row(y), row(dst, y)
			for i := 0; i+3 < len(s) && i+3 < len(d) && i+3 < len(b); i += 4 {
				a, ba := s[i+3], b[i+3]
				d[i+3] = a
				if a == 0 || ba == 0 {
					d[i+0], d[i+1], d[i+2] = s[i+0], s[i+1], s[i+2]
					continue
				}
				inv := 255 / float32(ba)
				for c := range 3 {
					o := float32(s[i+c])
					diff := o - float32(b[i+c])*inv
					if diff+diff < thr && -(diff+diff) < thr {
						d[i+c] = s[i+c]
						continue
					}
					d[i+c] = clamp8(o + gain*diff)
				}
			}
		}
	})
	return dst
}
