package codec

import (
	"bytes"
	"fmt"
	"image"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/deepteams/webp"
	"github.com/gen2brain/avif"

	"github.com/imgcdn/imgcdn/internal/raster"
)

// TestEncodeMeasure prints the figures behind DefaultWebPMethod,
// DefaultAVIFSpeed and avifQualities: time, size, PSNR (RGB and luma),
// SSIM (luma) and channel-mean shifts against the source. It is slow and
// runs only when IMGCDN_MEASURE names what to measure (1 for the usual
// set):
//
//	jpeg       our JPEG at qualities 75, 80, 85, baseline and progressive
//	jpegq      JPEG and WebP over qualities 50 to 95 (the quality anchors)
//	webp       deepteams/webp methods 0 to 6, sharp YUV and other options,
//	           cwebp and dwebp for reference (the blue shift)
//	webpm      methods 2 to 6, interleaved runs (the method choice)
//	webpin     *image.YCbCr input against *image.NRGBA
//	webprd     methods 3 and 4 over qualities 60 to 90 (rate–distortion)
//	avifspeed  libavif speeds 6 to 10 at libavif quality 60
//	avifq      libavif qualities at IMGCDN_SPEED (default DefaultAVIFSpeed);
//	           IMGCDN_WIDE=1 for the wide sweep of the anchors
//
// IMGCDN_PHOTO names another corpus JPEG to scale to 800 wide. For example:
//
//	IMGCDN_MEASURE=webpm go test ./internal/codec/ -run EncodeMeasure -v
func TestEncodeMeasure(t *testing.T) {
	if os.Getenv("IMGCDN_MEASURE") == "" {
		t.Skip("set IMGCDN_MEASURE=1 to measure the encoders")
	}
	src := photo800(t)
	if name := os.Getenv("IMGCDN_PHOTO"); name != "" {
		src = scaled800(t, name)
	}
	ref := raster.ToNRGBA(src)
	refMeans := channelMeans(ref)
	t.Logf("source %v, means R %.2f G %.2f B %.2f", ref.Rect.Size(), refMeans[0], refMeans[1], refMeans[2])
	report := func(name string, b []byte, d time.Duration) {
		img := decodeBack(t, b)
		got := raster.ToNRGBA(img.Pixels)
		m := channelMeans(got)
		t.Logf("%-28s %7.1f ms %7.1f KB  PSNR %5.2f dB (Y %5.2f)  SSIM %.4f  mean shift R %+.2f G %+.2f B %+.2f",
			name, float64(d.Microseconds())/1000, float64(len(b))/1024, psnr(ref, got), lumaPSNR(ref, got), ssim(ref, got),
			m[0]-refMeans[0], m[1]-refMeans[1], m[2]-refMeans[2])
	}
	// timed runs fn n times and returns the output and the median time.
	timed := func(n int, fn func() []byte) ([]byte, time.Duration) {
		var ds []time.Duration
		var out []byte
		for range n {
			start := time.Now()
			out = fn()
			ds = append(ds, time.Since(start))
		}
		slices.Sort(ds)
		return out, ds[len(ds)/2]
	}
	what := os.Getenv("IMGCDN_MEASURE")
	if what == "jpegq" {
		for _, q := range []int{50, 60, 70, 75, 80, 85, 90, 95} {
			b, d := timed(1, func() []byte { return encodeTo(t, src, JPEG, EncodeOptions{Quality: q, Progressive: true}) })
			report(fmt.Sprintf("jpeg q%d progressive", q), b, d)
		}
		for _, q := range []int{50, 60, 70, 80, 90} {
			b, d := timed(1, func() []byte { return encodeTo(t, src, WebP, EncodeOptions{Quality: q}) })
			report(fmt.Sprintf("webp q%d", q), b, d)
		}
	}
	if what == "1" || what == "jpeg" {
		for _, q := range []int{75, 80, 85} {
			for _, prog := range []bool{false, true} {
				b, d := timed(5, func() []byte { return encodeTo(t, src, JPEG, EncodeOptions{Quality: q, Progressive: prog}) })
				report(fmt.Sprintf("jpeg q%d progressive=%v", q, prog), b, d)
			}
		}
	}
	if what == "1" || what == "webpm" {
		// Interleaved rounds, so that the load of a shared machine falls
		// on every method alike.
		times := map[int][]time.Duration{}
		sizes := map[int][]byte{}
		in := raster.ToNRGBA(src) // as encodeWebP passes it
		for range 9 {
			for m := 2; m <= 6; m++ {
				o := webp.DefaultOptions()
				o.Quality, o.Method = 80, m
				var buf bytes.Buffer
				start := time.Now()
				if err := webp.Encode(&buf, in, o); err != nil {
					t.Fatal(err)
				}
				times[m] = append(times[m], time.Since(start))
				sizes[m] = buf.Bytes()
			}
		}
		for m := 2; m <= 6; m++ {
			slices.Sort(times[m])
			report(fmt.Sprintf("webp q80 method %d", m), sizes[m], times[m][len(times[m])/2])
		}
	}
	if what == "webpin" {
		var ty, tn []time.Duration
		for range 9 {
			for i, in := range []image.Image{src, nil} {
				o := webp.DefaultOptions()
				o.Quality, o.Method = 80, DefaultWebPMethod
				start := time.Now()
				if in == nil {
					in = raster.ToNRGBA(src)
				}
				var buf bytes.Buffer
				if err := webp.Encode(&buf, in, o); err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					ty = append(ty, time.Since(start))
				} else {
					tn = append(tn, time.Since(start))
				}
			}
		}
		slices.Sort(ty)
		slices.Sort(tn)
		t.Logf("webp from *image.YCbCr %v, converted to *image.NRGBA first %v", ty[4], tn[4])
	}
	if what == "webprd" {
		for _, m := range []int{3, 4} {
			for _, q := range []int{60, 65, 70, 75, 80, 85, 90} {
				o := webp.DefaultOptions()
				o.Quality, o.Method = float32(q), m
				var buf bytes.Buffer
				if err := webp.Encode(&buf, src, o); err != nil {
					t.Fatal(err)
				}
				report(fmt.Sprintf("webp q%d method %d", q, m), buf.Bytes(), 0)
			}
		}
	}
	if what == "1" || what == "webp" {
		enc := func(o *webp.EncoderOptions) []byte {
			var buf bytes.Buffer
			if err := webp.Encode(&buf, src, o); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		}
		for m := 0; m <= 6; m++ {
			o := webp.DefaultOptions()
			o.Quality, o.Method = 80, m
			b, d := timed(5, func() []byte { return enc(o) })
			report(fmt.Sprintf("webp q80 method %d", m), b, d)
		}
		for _, v := range []struct {
			name string
			set  func(o *webp.EncoderOptions)
		}{
			{"sharpyuv", func(o *webp.EncoderOptions) { o.UseSharpYUV = true }},
			{"nrgba input", nil},
			{"sns 0", func(o *webp.EncoderOptions) { o.SNSStrength = 0 }},
			{"preset photo", func(o *webp.EncoderOptions) { *o = *webp.OptionsForPreset(webp.PresetPhoto, 80) }},
			{"filter 0", func(o *webp.EncoderOptions) { o.FilterStrength = 0 }},
		} {
			o := webp.DefaultOptions()
			o.Quality, o.Method = 80, 4
			var in image.Image = src
			if v.set != nil {
				v.set(o)
			} else {
				in = ref
			}
			b, d := timed(3, func() []byte {
				var buf bytes.Buffer
				if err := webp.Encode(&buf, in, o); err != nil {
					t.Fatal(err)
				}
				return buf.Bytes()
			})
			report("webp q80 m4 "+v.name, b, d)
		}
		// libwebp's cwebp on the same pixels, for reference, and dwebp on
		// our output to tell the encoder's shift from the decoder's.
		if _, err := exec.LookPath("cwebp"); err == nil {
			dir := t.TempDir()
			in := filepath.Join(dir, "in.png")
			writePNG(t, in, ref)
			for _, extra := range [][]string{nil, {"-sharp_yuv"}} {
				out := filepath.Join(dir, "out.webp")
				args := append([]string{"-quiet", "-q", "80", "-m", "4"}, extra...)
				start := time.Now()
				if b, err := exec.Command("cwebp", append(args, in, "-o", out)...).CombinedOutput(); err != nil {
					t.Fatalf("cwebp: %v %s", err, b)
				}
				d := time.Since(start)
				b, _ := os.ReadFile(out)
				report(fmt.Sprintf("cwebp q80 m4 %v (process)", extra), b, d)
			}
			o := webp.DefaultOptions()
			o.Quality = 80
			ours := filepath.Join(dir, "ours.webp")
			os.WriteFile(ours, enc(o), 0o644)
			png := filepath.Join(dir, "ours.png")
			if b, err := exec.Command("dwebp", "-quiet", ours, "-o", png).CombinedOutput(); err != nil {
				t.Fatalf("dwebp: %v %s", err, b)
			}
			got := readPNG(t, png)
			m := channelMeans(got)
			t.Logf("deepteams q80 m4 decoded by dwebp: PSNR %.2f dB, mean shift R %+.2f G %+.2f B %+.2f",
				psnr(ref, got), m[0]-refMeans[0], m[1]-refMeans[1], m[2]-refMeans[2])
		}
	}
	if what == "1" || what == "avif" || what == "avifspeed" {
		for _, speed := range []int{6, 7, 8, 9, 10} {
			b, d := timed(3, func() []byte {
				var buf bytes.Buffer
				if err := avif.Encode(&buf, src, avif.Options{Quality: 60, QualityAlpha: 60, Speed: speed, ChromaSubsampling: image.YCbCrSubsampleRatio420}); err != nil {
					t.Fatal(err)
				}
				return buf.Bytes()
			})
			report(fmt.Sprintf("avif libq60 speed %d", speed), b, d)
		}
	}
	if what == "1" || what == "avif" || what == "avifq" {
		speed := DefaultAVIFSpeed
		if s := os.Getenv("IMGCDN_SPEED"); s != "" {
			fmt.Sscan(s, &speed)
		}
		qs := []int{45, 50, 55, 60, 65, 70, 75}
		if os.Getenv("IMGCDN_WIDE") != "" {
			qs = []int{30, 40, 50, 55, 60, 62, 64, 66, 68, 70, 75, 80, 85, 90}
		}
		for _, q := range qs {
			b, d := timed(1, func() []byte {
				var buf bytes.Buffer
				if err := avif.Encode(&buf, src, avif.Options{Quality: q, QualityAlpha: q, Speed: speed, ChromaSubsampling: image.YCbCrSubsampleRatio420}); err != nil {
					t.Fatal(err)
				}
				return buf.Bytes()
			})
			report(fmt.Sprintf("avif libq%d speed %d", q, speed), b, d)
		}
	}
}

// ssim returns the mean structural similarity of the BT.601 luma of b
// against a over 8×8 windows stepped by 4 (constants of Wang et al. 2004).
func ssim(a, b *image.NRGBA) float64 {
	w, h := a.Rect.Dx(), a.Rect.Dy()
	luma := func(m *image.NRGBA) []float64 {
		out := make([]float64, w*h)
		for y := range h {
			p := m.Pix[y*m.Stride:]
			for x := range w {
				out[y*w+x] = 0.299*float64(p[4*x]) + 0.587*float64(p[4*x+1]) + 0.114*float64(p[4*x+2])
			}
		}
		return out
	}
	la, lb := luma(a), luma(b)
	const c1, c2 = (0.01 * 255) * (0.01 * 255), (0.03 * 255) * (0.03 * 255)
	var sum float64
	var n int
	for y := 0; y+8 <= h; y += 4 {
		for x := 0; x+8 <= w; x += 4 {
			var ma, mb, va, vb, cov float64
			for j := range 8 {
				for i := range 8 {
					pa, pb := la[(y+j)*w+x+i], lb[(y+j)*w+x+i]
					ma += pa
					mb += pb
				}
			}
			ma /= 64
			mb /= 64
			for j := range 8 {
				for i := range 8 {
					da, db := la[(y+j)*w+x+i]-ma, lb[(y+j)*w+x+i]-mb
					va += da * da
					vb += db * db
					cov += da * db
				}
			}
			va /= 63
			vb /= 63
			cov /= 63
			sum += (2*ma*mb + c1) * (2*cov + c2) / ((ma*ma + mb*mb + c1) * (va + vb + c2))
			n++
		}
	}
	return sum / float64(n)
}

// lumaPSNR returns the PSNR of the BT.601 luma of b against a.
func lumaPSNR(a, b *image.NRGBA) float64 {
	var se float64
	w, h := a.Rect.Dx(), a.Rect.Dy()
	for y := range h {
		pa, pb := a.Pix[y*a.Stride:], b.Pix[y*b.Stride:]
		for x := range w {
			ya := 0.299*float64(pa[4*x]) + 0.587*float64(pa[4*x+1]) + 0.114*float64(pa[4*x+2])
			yb := 0.299*float64(pb[4*x]) + 0.587*float64(pb[4*x+1]) + 0.114*float64(pb[4*x+2])
			se += (ya - yb) * (ya - yb)
		}
	}
	return 10 * math.Log10(255*255/(se/float64(w*h)))
}
