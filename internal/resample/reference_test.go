package resample

import (
	"image"
	"image/draw"
	"math"
	"runtime"
	"sync"
)

// This file holds a slow, exact reference for the filter: float64
// arithmetic throughout, the Lanczos3 kernel stretched by the full shrink
// factor with no box pre-shrink, and no rounding between the passes.

// refImage is a w×h image of nc float64 channels in 8-bit units.
type refImage struct {
	w, h, nc int
	pix      []float64
}

// refAxis returns, for each of out outputs, the first source sample and the
// normalised weights, for an axis of n samples where output coordinate v maps
// to source coordinate a + b*v.
func refAxis(n, out int, a, b float64) ([]int, [][]float64) {
	scale := math.Max(b, 1)
	support := 3 * scale
	starts := make([]int, out)
	ws := make([][]float64, out)
	for j := range out {
		c := a + b*(float64(j)+0.5) - 0.5
		x0 := max(int(math.Ceil(c-support)), 0)
		x1 := min(int(math.Floor(c+support)), n-1)
		var w []float64
		sum := 0.0
		for x := x0; x <= x1; x++ {
			t := math.Abs(float64(x)-c) / scale
			v := 0.0
			switch {
			case t < 1e-12:
				v = 1
			case t < 3:
				v = 3 * math.Sin(math.Pi*t) * math.Sin(math.Pi*t/3) / (math.Pi * math.Pi * t * t)
			}
			w = append(w, v)
			sum += v
		}
		for i := range w {
			w[i] /= sum
		}
		starts[j], ws[j] = x0, w
	}
	return starts, ws
}

// refPlane scales a plane of 8-bit samples (w×h pixels of nc channels, rows
// stride bytes apart) to outW×outH, output (x, y) mapping to source
// (ax + bx*x, ay + by*y). With premul, the last channel is alpha and the
// others are multiplied by it before filtering (the result stays
// premultiplied).
func refPlane(pix []uint8, stride, w, h, nc int, premul bool, ax, bx, ay, by float64, outW, outH int) refImage {
	xs, xw := refAxis(w, outW, ax, bx)
	ys, yw := refAxis(h, outH, ay, by)
	// Horizontal pass over every source row an output reads.
	y0, y1 := h, 0
	for i := range ys {
		y0 = min(y0, ys[i])
		y1 = max(y1, ys[i]+len(yw[i]))
	}
	tmp := make([]float64, (y1-y0)*outW*nc)
	var wg sync.WaitGroup
	rows := make(chan int, y1-y0)
	for y := y0; y < y1; y++ {
		rows <- y
	}
	close(rows)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			px := make([]float64, nc)
			for y := range rows {
				row := pix[y*stride:]
				d := tmp[(y-y0)*outW*nc:]
				for j := range outW {
					acc := d[j*nc : j*nc+nc]
					for k, wk := range xw[j] {
						p := row[(xs[j]+k)*nc:]
						for c := range nc {
							px[c] = float64(p[c])
						}
						if premul {
							for c := range nc - 1 {
								px[c] *= px[nc-1] / 255
							}
						}
						for c := range nc {
							acc[c] += wk * px[c]
						}
					}
				}
			}
		})
	}
	wg.Wait()
	out := refImage{w: outW, h: outH, nc: nc, pix: make([]float64, outW*outH*nc)}
	for i := range outH {
		d := out.pix[i*outW*nc : (i+1)*outW*nc]
		for k, wk := range yw[i] {
			s := tmp[(ys[i]+k-y0)*outW*nc:]
			for x := range d {
				d[x] += wk * s[x]
			}
		}
	}
	return out
}

// refResize is the reference for Resize on *image.Gray, *image.RGBA and
// *image.NRGBA sources. For NRGBA it returns straight colour; for RGBA,
// premultiplied colour.
func refResize(src image.Image, r image.Rectangle, w, h int) refImage {
	var (
		pix    []uint8
		stride int
		b      = src.Bounds()
		nc     = 4
		premul bool
	)
	switch s := src.(type) {
	case *image.Gray:
		pix, stride, nc = s.Pix, s.Stride, 1
	case *image.RGBA:
		pix, stride = s.Pix, s.Stride
	case *image.NRGBA:
		pix, stride, premul = s.Pix, s.Stride, true
	default:
		panic("refResize: unsupported type")
	}
	bx := float64(r.Dx()) / float64(w)
	by := float64(r.Dy()) / float64(h)
	out := refPlane(pix, stride, b.Dx(), b.Dy(), nc, premul,
		float64(r.Min.X-b.Min.X), bx, float64(r.Min.Y-b.Min.Y), by, w, h)
	if nc == 4 && !premul { // premultiplied colour cannot exceed alpha
		for i := 0; i < len(out.pix); i += 4 {
			p := out.pix[i : i+4]
			p[3] = math.Max(0, math.Min(p[3], 255))
			for c := range 3 {
				p[c] = math.Max(0, math.Min(p[c], p[3]))
			}
		}
	}
	if premul {
		for i := 0; i < len(out.pix); i += 4 {
			p := out.pix[i : i+4]
			a := p[3]
			for c := range 3 {
				if a <= 0 {
					p[c] = 0
				} else {
					p[c] = math.Max(0, math.Min(p[c], a)) * 255 / a
				}
			}
		}
	}
	return out
}

// toNRGBA converts any image to an *image.NRGBA with the standard library.
func toNRGBA(src image.Image) *image.NRGBA {
	b := src.Bounds()
	dst := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Rect, src, b.Min, draw.Src)
	return dst
}

// toRGBA converts any image to an *image.RGBA with the standard library.
func toRGBA(src image.Image) *image.RGBA {
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Rect, src, b.Min, draw.Src)
	return dst
}

// psnr returns the peak signal-to-noise ratio in dB of the 8-bit image got
// (w×h pixels of nc channels, rows stride bytes apart) against want,
// over the first channels channels of each pixel. Identical images give +Inf.
func psnr(got []uint8, stride int, want refImage, channels int) float64 {
	var se float64
	for y := range want.h {
		for x := range want.w {
			g := got[y*stride+x*want.nc:]
			wp := want.pix[(y*want.w+x)*want.nc:]
			for c := range channels {
				d := float64(g[c]) - math.Max(0, math.Min(255, wp[c]))
				se += d * d
			}
		}
	}
	mse := se / float64(want.w*want.h*channels)
	return 10 * math.Log10(255*255/mse)
}

// pixOf returns the pixel buffer, stride and channel count of an image
// produced by Resize, converting YCbCr to RGBA first.
func pixOf(img image.Image) ([]uint8, int, int) {
	switch m := img.(type) {
	case *image.Gray:
		return m.Pix, m.Stride, 1
	case *image.RGBA:
		return m.Pix, m.Stride, 4
	case *image.NRGBA:
		return m.Pix, m.Stride, 4
	}
	m := toRGBA(img)
	return m.Pix, m.Stride, 4
}
