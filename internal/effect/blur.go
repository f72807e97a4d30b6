package effect

import (
	"image"
	"math"
)

// MaxBlurRadius is the largest radius [Blur] honours; larger values are
// treated as MaxBlurRadius.
const MaxBlurRadius = 1000

// Blur returns a Gaussian-blurred copy of img. radius is the blur radius in
// pixels, as in the bl- parameter (1 to 100 in URLs); the Gaussian's standard
// deviation is sigma = radius/2, the convention CSS uses for blur radii, so
// about 95% of each output pixel comes from within radius pixels of it.
// radius ≤ 0 returns an unchanged copy; radius above [MaxBlurRadius] is
// treated as MaxBlurRadius.
//
// The blur works on premultiplied colour, so the colour hidden under
// transparent pixels never bleeds into visible ones, and alpha is blurred
// like the other channels. Pixels beyond the edges repeat the edge pixels, so
// a uniform image stays exactly as it is. Small radii (sigma below 3) use a
// direct separable kernel truncated at 3 sigma; larger ones use three
// successive box blurs whose widths are chosen to match the Gaussian's
// variance, which costs the same at any radius.
//
// The result's bounds start at (0, 0). Blur never modifies img and is safe
// for concurrent use.
func Blur(img *image.NRGBA, radius int) *image.NRGBA {
	if radius <= 0 || img.Rect.Empty() {
		return clone(img)
	}
	radius = min(radius, MaxBlurRadius)
	return gaussian(premultiply(img), float64(radius)/2, 0).nrgba()
}

// boxMinSigma is the smallest sigma blurred with box passes rather than a
// direct kernel. Below it the direct kernel is about as fast and three
// odd-width boxes match the Gaussian only coarsely; from it on, box passes
// are faster and their cost does not grow with sigma.
const boxMinSigma = 3

// gaussian blurs p with a Gaussian of standard deviation sigma. Below
// boxMinSigma it convolves with a kernel truncated halfWidth pixels either
// side of the centre (0 means 3·sigma, rounded up; at most 6·sigma); from
// boxMinSigma on it uses box passes, which approximate the untruncated
// Gaussian whatever halfWidth says. It may overwrite p and returns the
// result.
func gaussian(p plane, sigma float64, halfWidth int) plane {
	if sigma <= 0 || p.w == 0 || p.h == 0 {
		return p
	}
	if sigma >= boxMinSigma {
		return boxBlur(p, sigma)
	}
	limit := int(math.Ceil(6 * sigma))
	if halfWidth <= 0 {
		halfWidth = int(math.Ceil(3 * sigma))
	}
	return convolve(p, gaussKernel(sigma, min(halfWidth, limit)))
}

// kernelBits is the fixed-point precision of kernel weights.
const kernelBits = 14

// gaussKernel returns the right half (centre first) of a normalised Gaussian
// kernel of standard deviation sigma, truncated halfWidth pixels from the
// centre, in fixed point with kernelBits fraction bits. The full kernel's
// weights sum to exactly 1<<kernelBits, so uniform areas stay exact.
// Trailing zero weights are dropped.
func gaussKernel(sigma float64, halfWidth int) []uint32 {
	g := make([]float64, halfWidth+1)
	sum := 0.0
	for i := range g {
		g[i] = math.Exp(-float64(i*i) / (2 * sigma * sigma))
		if i == 0 {
			sum += g[i]
		} else {
			sum += 2 * g[i]
		}
	}
	k := make([]uint32, len(g))
	rest := uint32(0)
	for i := len(g) - 1; i >= 1; i-- {
		k[i] = uint32(math.Round(g[i] / sum * (1 << kernelBits)))
		rest += 2 * k[i]
	}
	k[0] = 1<<kernelBits - rest
	for len(k) > 1 && k[len(k)-1] == 0 {
		k = k[:len(k)-1]
	}
	return k
}

// stripValues is the width, in plane values, of the column strips that
// vertical passes work on: narrow enough that a strip's running state stays
// in cache, wide enough to amortise the loop overhead.
const stripValues = 256

// strips calls fn in parallel over the column strips of p, each given as a
// range [lo, hi) of value indexes within a row. work is the estimated number
// of operations per value.
func strips(p plane, work int, fn func(lo, hi int)) {
	n := p.rowSize
	count := (n + stripValues - 1) / stripValues
	parallel(count, n*p.h*work, func(first, last int) {
		for s := first; s < last; s++ {
			fn(s*stripValues, min((s+1)*stripValues, n))
		}
	})
}

// convolve applies the symmetric separable kernel k (centre first, fixed
// point) horizontally then vertically, repeating edge pixels. p is
// overwritten by the horizontal pass; the result is a new plane.
func convolve(p plane, k []uint32) plane {
	r := len(k) - 1
	if r == 0 {
		return p
	}
	const round = 1 << (kernelBits - 1)
	ch := p.ch
	// Horizontal pass, in place, one row at a time through a padded copy.
	// Each tap is one sweep along the row, like the vertical pass.
	n := p.rowSize
	parallel(p.h, n*p.h*len(k), func(lo, hi int) {
		buf := make([]uint16, (p.w+2*r)*ch)
		acc := make([]uint32, n)
		for y := lo; y < hi; y++ {
			line := p.row(y)
			padRow(buf, line, r, ch)
			k0 := k[0]
			for j, v := range buf[r*ch : r*ch+n] {
				acc[j] = k0 * uint32(v)
			}
			for i := 1; i <= r; i++ {
				a := buf[(r-i)*ch:]
				b := buf[(r+i)*ch:]
				a = a[:len(acc)]
				b = b[:len(acc)]
				ki := k[i]
				for j := range acc {
					acc[j] += ki * (uint32(a[j]) + uint32(b[j]))
				}
			}
			line = line[:len(acc)]
			for j, v := range acc {
				line[j] = uint16((v + round) >> kernelBits)
			}
		}
	})
	// Vertical pass into a new plane, one column strip at a time.
	dst := newPlane(p.w, p.h, ch)
	stride := p.rowSize
	strips(p, len(k), func(lo, hi int) {
		acc := make([]uint32, hi-lo)
		for y := 0; y < p.h; y++ {
			c := p.pix[y*stride+lo : y*stride+hi]
			c = c[:len(acc)]
			k0 := k[0]
			for j, v := range c {
				acc[j] = k0 * uint32(v)
			}
			for i := 1; i <= r; i++ {
				up := max(y-i, 0)
				dn := min(y+i, p.h-1)
				a := p.pix[up*stride+lo : up*stride+hi]
				b := p.pix[dn*stride+lo : dn*stride+hi]
				a = a[:len(acc)]
				b = b[:len(acc)]
				ki := k[i]
				for j := range acc {
					acc[j] += ki * (uint32(a[j]) + uint32(b[j]))
				}
			}
			o := dst.pix[y*stride+lo : y*stride+hi]
			o = o[:len(acc)]
			for j, v := range acc {
				o[j] = uint16((v + round) >> kernelBits)
			}
		}
	})
	return dst
}

// padRow copies the ch-value pixels of line into buf with pad pixels either
// side, filled by repeating the first and last pixel.
func padRow(buf, line []uint16, pad, ch int) {
	n := len(line)
	copy(buf[pad*ch:], line)
	for i := range pad {
		copy(buf[i*ch:i*ch+ch], line[:ch])
		copy(buf[pad*ch+n+i*ch:pad*ch+n+i*ch+ch], line[n-ch:])
	}
}

// boxRadii returns the radii of three box blurs (widths 2r+1, in increasing
// order) whose combined variance, the sum of (w²-1)/12, best matches sigma².
// The widths differ by at most 4, which keeps the combined kernel close to a
// Gaussian's shape (the scheme of W. Jarosz's and I. Kutskir's fast
// almost-Gaussian filters, with a finer choice of widths); for sigma ≥ 3 its
// standard deviation is within 2.5% of sigma.
func boxRadii(sigma float64) [3]int {
	target := 12*sigma*sigma + 3 // the wanted sum of the squared widths
	mid := int(math.Sqrt(target / 3))
	var best [3]int
	bestErr := math.Inf(1)
	for a := max(1, (mid-4)|1); a <= mid+4; a += 2 {
		for b := a; b <= a+4; b += 2 {
			for c := b; c <= a+4; c += 2 {
				if e := math.Abs(float64(a*a+b*b+c*c) - target); e < bestErr {
					bestErr = e
					best = [3]int{(a - 1) / 2, (b - 1) / 2, (c - 1) / 2}
				}
			}
		}
	}
	return best
}

// boxBlur approximates a Gaussian blur of standard deviation sigma with three
// box blurs in each direction, repeating edge pixels. p is overwritten; the
// result is a new plane.
func boxBlur(p plane, sigma float64) plane {
	radii := boxRadii(sigma)
	pad := radii[2] + 1
	ch := p.ch
	var divs [3]divider
	for i, r := range radii {
		divs[i] = newDivider(2*r + 1)
	}
	// Horizontal passes, in place, each row through two padded buffers.
	parallel(p.h, p.rowSize*p.h*6, func(lo, hi int) {
		a := make([]uint16, (p.w+2*pad)*ch)
		b := make([]uint16, len(a))
		for y := lo; y < hi; y++ {
			line := p.row(y)
			padRow(a, line, pad, ch)
			boxRow(b, a, p.w, pad, radii[0], ch, divs[0])
			boxRow(a, b, p.w, pad, radii[1], ch, divs[1])
			boxRow(b, a, p.w, pad, radii[2], ch, divs[2])
			copy(line, b[pad*ch:])
		}
	})
	// Vertical passes, column strip by column strip: p → tmp → p → tmp.
	tmp := newPlane(p.w, p.h, ch)
	strips(p, 3*3, func(lo, hi int) {
		sum := make([]uint32, hi-lo)
		boxColumns(tmp, p, lo, hi, radii[0], divs[0], sum)
		boxColumns(p, tmp, lo, hi, radii[1], divs[1], sum)
		boxColumns(tmp, p, lo, hi, radii[2], divs[2], sum)
	})
	return tmp
}

// boxRow box-blurs one padded row src (w pixels of ch values plus pad
// repeated edge pixels either side; pad > r) into dst with radius r, then
// refills dst's padding.
func boxRow(dst, src []uint16, w, pad, r, ch int, d divider) {
	for c := range ch {
		var s uint32
		for i := pad - r; i <= pad+r; i++ {
			s += uint32(src[i*ch+c])
		}
		in, out := (pad+r+1)*ch+c, (pad-r)*ch+c
		for o := pad*ch + c; o < (pad+w)*ch; o += ch {
			dst[o] = d.div(s)
			s += uint32(src[in]) - uint32(src[out])
			in += ch
			out += ch
		}
	}
	first := dst[pad*ch : pad*ch+ch]
	last := dst[(pad+w-1)*ch : (pad+w)*ch]
	for i := range pad {
		copy(dst[i*ch:i*ch+ch], first)
		copy(dst[(pad+w+i)*ch:(pad+w+i)*ch+ch], last)
	}
}

// boxColumns box-blurs the values [lo, hi) of every row of src vertically into
// dst with radius r, repeating the first and last rows. sum is scratch space
// of hi-lo values.
func boxColumns(dst, src plane, lo, hi, r int, d divider, sum []uint32) {
	stride := src.rowSize
	h := src.h
	at := func(y int) []uint16 {
		y = min(max(y, 0), h-1)
		s := src.pix[y*stride+lo : y*stride+hi]
		return s[:len(sum)]
	}
	for j, v := range at(0) {
		sum[j] = uint32(r+1) * uint32(v)
	}
	for i := 1; i <= r; i++ {
		for j, v := range at(i) {
			sum[j] += uint32(v)
		}
	}
	for y := range h {
		o := dst.pix[y*stride+lo : y*stride+hi]
		o = o[:len(sum)]
		in, out := at(y+r+1), at(y-r)
		for j, s := range sum {
			o[j] = d.div(s)
			sum[j] = s + uint32(in[j]) - uint32(out[j])
		}
	}
}
