package resample

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"
)

// toYCbCr converts src to a YCbCr image with the given subsample ratio, each
// chroma sample the mean over the pixels it covers.
func toYCbCr(src *image.RGBA, ratio image.YCbCrSubsampleRatio) *image.YCbCr {
	b := src.Rect
	dst := image.NewYCbCr(b, ratio)
	hx, hy, _ := subsampling(ratio)
	cw, ch := chromaSize(b.Dx(), b.Dy(), ratio)
	cb := make([]int, cw*ch)
	cr := make([]int, cw*ch)
	n := make([]int, cw*ch)
	for y := range b.Dy() {
		for x := range b.Dx() {
			p := src.Pix[y*src.Stride+4*x:]
			yy, u, v := color.RGBToYCbCr(p[0], p[1], p[2])
			dst.Y[y*dst.YStride+x] = yy
			i := y/hy*cw + x/hx
			cb[i] += int(u)
			cr[i] += int(v)
			n[i]++
		}
	}
	for cy := range ch {
		for cx := range cw {
			i := cy*cw + cx
			dst.Cb[cy*dst.CStride+cx] = uint8((cb[i] + n[i]/2) / n[i])
			dst.Cr[cy*dst.CStride+cx] = uint8((cr[i] + n[i]/2) / n[i])
		}
	}
	return dst
}

// TestYCbCrMatchesRGB compares Resize on YCbCr images, converted to RGB
// afterwards, with the reference on the same images converted to RGB first.
func TestYCbCrMatchesRGB(t *testing.T) {
	if testing.Short() {
		t.Skip("slow reference")
	}
	photo := decode(t, "jpeg-photo-1920x1080.jpg")
	rgba := toRGBA(photo)
	srcs := []struct {
		name string
		img  *image.YCbCr
	}{{"native-" + photo.(*image.YCbCr).SubsampleRatio.String(), photo.(*image.YCbCr)}}
	for _, ratio := range ratios {
		srcs = append(srcs, struct {
			name string
			img  *image.YCbCr
		}{ratio.String(), toYCbCr(rgba, ratio)})
	}
	sizes := []struct {
		crop func(image.Rectangle) image.Rectangle
		div  float64
	}{{full, 2}, {full, 10}, {oddCrop, 2.7}, {full, 17}, {smallCrop, 1 / 3.1}}
	for _, src := range srcs {
		conv := toRGBA(src.img)
		for _, sz := range sizes {
			r := sz.crop(src.img.Rect)
			w := int(math.Round(float64(r.Dx()) / sz.div))
			h := int(math.Round(float64(r.Dy()) / sz.div))
			t.Run(fmt.Sprintf("%s/%v-%dx%d", src.name, r, w, h), func(t *testing.T) {
				got, err := Resize(src.img, r, w, h)
				if err != nil {
					t.Fatal(err)
				}
				ref := refResize(conv, r, w, h)
				// The result holds chroma at a fraction of the resolution of
				// the reference, so it misses the finest colour detail of
				// the reference, more of it the more the image shrinks.
				p := compare(t, got, ref, 33)
				// Subsampled the same way, the reference must match closely.
				sub := toRGBA(toYCbCr(round8(ref), src.img.SubsampleRatio))
				q := compare(t, got, float(sub), 45)
				t.Logf("%.2f dB against the reference, %.2f dB against it subsampled", p, q)
			})
		}
	}
}

// TestYCbCrChromaSiting checks, on chroma ramps, that the crop window is
// mapped into chroma coordinates with sub-pixel precision: each output
// chroma sample must take the value of the ramp at its own centre.
func TestYCbCrChromaSiting(t *testing.T) {
	const w, h = 80, 80
	for _, ratio := range ratios {
		hx, hy, _ := subsampling(ratio)
		src := image.NewYCbCr(image.Rect(0, 0, w, h), ratio)
		cw, ch := chromaSize(w, h, ratio)
		// Both ramps rise by 3 per luma pixel: Cb across, Cr down.
		for cy := range ch {
			for cx := range cw {
				src.Cb[cy*src.CStride+cx] = uint8(10 + 3*hx*cx)
				src.Cr[cy*src.CStride+cx] = uint8(10 + 3*hy*cy)
			}
		}
		// ramp returns the value of a ramp of 3 per pixel at luma
		// coordinate x, for samples covering sub pixels.
		ramp := func(x float64, sub int) float64 {
			return 10 + 3*float64(sub)*(x/float64(sub)-0.5)
		}
		for _, c := range []struct {
			r          image.Rectangle
			outW, outH int
		}{
			{image.Rect(3, 5, 43, 35), 40, 30}, // odd origin, 1:1
			{image.Rect(1, 1, 61, 45), 30, 22}, // odd origin, 2:1
			{image.Rect(5, 3, 45, 43), 23, 21}, // odd origin, non-integer factors
			{image.Rect(7, 9, 27, 25), 33, 29}, // enlargement
			{image.Rect(2, 2, 62, 46), 60, 44}, // even origin
			{image.Rect(0, 0, 79, 80), 80, 79}, // whole image, slight change
		} {
			t.Run(fmt.Sprintf("%v/%v-%dx%d", ratio, c.r, c.outW, c.outH), func(t *testing.T) {
				m, err := Resize(src, c.r, c.outW, c.outH)
				if err != nil {
					t.Fatal(err)
				}
				got := m.(*image.YCbCr)
				bx := float64(c.r.Dx()) / float64(c.outW)
				by := float64(c.r.Dy()) / float64(c.outH)
				ow, oh := chromaSize(c.outW, c.outH, ratio)
				checked := 0
				for j := range oh {
					for i := range ow {
						// Source luma coordinates of the centre of output
						// chroma sample (i, j).
						x := float64(c.r.Min.X) + (float64(hx*i)+float64(hx)/2)*bx
						y := float64(c.r.Min.Y) + (float64(hy*j)+float64(hy)/2)*by
						// Skip samples whose filter reaches the plane edges.
						mx := (3*max(bx, 1) + 1) * float64(hx)
						my := (3*max(by, 1) + 1) * float64(hy)
						if x < mx || x > w-mx || y < my || y > h-my {
							continue
						}
						checked++
						cb := float64(got.Cb[j*got.CStride+i])
						cr := float64(got.Cr[j*got.CStride+i])
						if want := ramp(x, hx); math.Abs(cb-want) > 0.75 {
							t.Errorf("Cb(%d, %d) = %v, want %.2f", i, j, cb, want)
						}
						if want := ramp(y, hy); math.Abs(cr-want) > 0.75 {
							t.Errorf("Cr(%d, %d) = %v, want %.2f", i, j, cr, want)
						}
					}
				}
				if checked == 0 {
					t.Fatal("no interior chroma sample to check")
				}
			})
		}
	}
}

// round8 returns the RGBA image nearest to the reference image m.
func round8(m refImage) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, m.w, m.h))
	for i, v := range m.pix {
		dst.Pix[i] = uint8(math.Round(math.Max(0, math.Min(v, 255))))
	}
	return dst
}

// float returns m as a reference image.
func float(m *image.RGBA) refImage {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	out := refImage{w: w, h: h, nc: 4, pix: make([]float64, 4*w*h)}
	for y := range h {
		for x := range 4 * w {
			out.pix[y*4*w+x] = float64(m.Pix[y*m.Stride+x])
		}
	}
	return out
}
