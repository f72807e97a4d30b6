package effect

import "image"

// ContrastClip is the fraction of colour values [Contrast] lets saturate at
// each end of the range: 0.5% become black and 0.5% white, so a few outliers
// (specular highlights, dead pixels) do not prevent the stretch.
const ContrastClip = 0.005

// Contrast returns a copy of img with its contrast stretched, for e-contrast.
// One histogram pools the red, green and blue values of every pixel that is
// not fully transparent; its black point is the value below which
// [ContrastClip] of them lie and its white point the value above which
// ContrastClip lie. Every colour channel is then mapped linearly so the black
// point becomes 0 and the white point 255 (values beyond them clip). The same
// mapping for all three channels keeps hues (ImageMagick's channel-synced
// -contrast-stretch). A ramp of greys from 100 to 150 becomes a ramp from 0
// to 255.
//
// Alpha, and the colour of fully transparent pixels, are kept. An image with
// a single colour value (or none visible) is returned unchanged.
//
// The result's bounds start at (0, 0). Contrast never modifies img and is
// safe for concurrent use.
func Contrast(img *image.NRGBA) *image.NRGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	var hist [256]int
	total := 0
	for y := range h {
		r := row(img, y)
		for i := 0; i+3 < len(r); i += 4 {
			if r[i+3] == 0 {
				continue
			}
			hist[r[i]]++
			hist[r[i+1]]++
			hist[r[i+2]]++
			total += 3
		}
	}
	clip := int(float64(total) * ContrastClip)
	lo, n := 0, 0
	for ; lo < 255; lo++ {
		if n += hist[lo]; n > clip {
			break
		}
	}
	hi, n := 255, 0
	for ; hi > 0; hi-- {
		if n += hist[hi]; n > clip {
			break
		}
	}
	if total == 0 || hi <= lo {
		return clone(img)
	}
	var lut [256]uint8
	for v := range lut {
		lut[v] = clamp8(float32(v-lo) * 255 / float32(hi-lo))
	}
	dst := newNRGBA(w, h)
	parallel(h, w*h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			s, d := row(img, y), row(dst, y)
			for i := 0; i+3 < len(s) && i+3 < len(d); i += 4 {
				if s[i+3] == 0 {
					copy(d[i:i+4], s[i:i+4])
					continue
				}
				d[i+0], d[i+1], d[i+2], d[i+3] = lut[s[i+0]], lut[s[i+1]], lut[s[i+2]], s[i+3]
			}
		}
	})
	return dst
}
