package pipeline

import (
	"image"
	"math"
)

// focusSide is the longer side of the luma thumbnail that fo-auto searches.
const focusSide = 128

// autoFocus returns the top-left corner, in the coordinates of img's bounds
// (origin at 0,0), of the crop of the given size that holds the most detail:
// the window with the largest sum of luma gradient magnitude, measured on a
// small thumbnail. Ties keep the window nearest the centre.
func autoFocus(img image.Image, crop image.Point) image.Point {
	b := img.Bounds()
	size := b.Size()
	free := size.Sub(crop)
	if free.X <= 0 && free.Y <= 0 {
		return image.Point{}
	}
	luma, tw, th := lumaThumb(img, focusSide)
	if tw < 3 || th < 3 {
		return image.Pt(max(free.X, 0)/2, max(free.Y, 0)/2)
	}
	energy := gradient(luma, tw, th)
	sx := float64(tw) / float64(size.X)
	sy := float64(th) / float64(size.Y)
	// Sum of energy per column (horizontal slack) or per row (vertical slack).
	if free.X > 0 {
		cols := make([]float64, tw)
		for y := 0; y < th; y++ {
			for x := 0; x < tw; x++ {
				cols[x] += energy[y*tw+x]
			}
		}
		best := bestWindow(cols, int(math.Round(float64(crop.X)*sx)))
		return image.Pt(clamp(int(math.Round(float64(best)/sx)), 0, free.X), max(free.Y, 0)/2)
	}
	rows := make([]float64, th)
	for y := 0; y < th; y++ {
		for x := 0; x < tw; x++ {
			rows[y] += energy[y*tw+x]
		}
	}
	best := bestWindow(rows, int(math.Round(float64(crop.Y)*sy)))
	return image.Pt(0, clamp(int(math.Round(float64(best)/sy)), 0, free.Y))
}

// bestWindow returns the start of the run of n values of v with the largest
// sum; among equal sums, the one nearest the centre.
func bestWindow(v []float64, n int) int {
	n = clamp(n, 1, len(v))
	var sum float64
	for _, e := range v[:n] {
		sum += e
	}
	centre := float64(len(v)-n) / 2
	best, bestSum := 0, sum
	for i := 1; i+n <= len(v); i++ {
		sum += v[i+n-1] - v[i-1]
		if sum > bestSum*(1+1e-9) || (sum >= bestSum*(1-1e-9) && math.Abs(float64(i)-centre) < math.Abs(float64(best)-centre)) {
			best, bestSum = i, sum
		}
	}
	return best
}

// gradient returns the Sobel gradient magnitude of a w×h luma plane
// (zero on the one-pixel frame).
func gradient(l []float32, w, h int) []float64 {
	e := make([]float64, w*h)
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			i := y*w + x
			gx := (l[i-w+1] + 2*l[i+1] + l[i+w+1]) - (l[i-w-1] + 2*l[i-1] + l[i+w-1])
			gy := (l[i+w-1] + 2*l[i+w] + l[i+w+1]) - (l[i-w-1] + 2*l[i-w] + l[i-w+1])
			e[i] = math.Sqrt(float64(gx*gx + gy*gy))
		}
	}
	return e
}

// lumaThumb returns a box-averaged luma thumbnail of img whose longer side is
// at most side pixels, reading the pixel slices of the decoded layouts
// directly.
func lumaThumb(img image.Image, side int) (l []float32, w, h int) {
	b := img.Bounds()
	f := max(1, (max(b.Dx(), b.Dy())+side-1)/side)
	w, h = (b.Dx()+f-1)/f, (b.Dy()+f-1)/f
	sum := make([]float32, w*h)
	cnt := make([]float32, w*h)
	add := func(x, y int, v float32) {
		i := (y/f)*w + x/f
		sum[i] += v
		cnt[i]++
	}
	switch m := img.(type) {
	case *image.YCbCr:
		for y := 0; y < b.Dy(); y++ {
			row := m.Y[m.YOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < b.Dx(); x++ {
				add(x, y, float32(row[x]))
			}
		}
	case *image.Gray:
		for y := 0; y < b.Dy(); y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < b.Dx(); x++ {
				add(x, y, float32(row[x]))
			}
		}
	case *image.NRGBA:
		for y := 0; y < b.Dy(); y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < b.Dx(); x++ {
				p := row[4*x : 4*x+4 : 4*x+4]
				a := float32(p[3]) / 255
				add(x, y, a*(0.299*float32(p[0])+0.587*float32(p[1])+0.114*float32(p[2])))
			}
		}
	default:
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				r, g, bb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				add(x, y, (0.299*float32(r)+0.587*float32(g)+0.114*float32(bb))/257)
			}
		}
	}
	for i := range sum {
		if cnt[i] > 0 {
			sum[i] /= cnt[i]
		}
	}
	return sum, w, h
}
