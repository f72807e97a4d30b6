package codec

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"golang.org/x/image/webp"

	"github.com/imgcdn/imgcdn/internal/icc/icctest"
	"github.com/imgcdn/imgcdn/internal/raster"
	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

var update = flag.Bool("update", false, "regenerate the reference goldens in testdata with dwebp (libwebp) and ImageMagick")

// crop is a 48×48 region of a corpus image checked against a reference
// decoder.
type crop struct {
	file string
	at   image.Point
}

const cropSize = 48

// webpCrops are the regions checked against dwebp: corners (where the
// chroma upsampling meets the edges), the middle, and odd offsets.
var webpCrops = []crop{
	{"webp-lossy-1024x772.webp", image.Pt(0, 0)},
	{"webp-lossy-1024x772.webp", image.Pt(488, 362)},
	{"webp-lossy-1024x772.webp", image.Pt(301, 157)},
	{"webp-lossy-1024x772.webp", image.Pt(976, 724)},
	{"webp-lossy-alpha-300x300.webp", image.Pt(0, 0)},
	{"webp-lossy-alpha-300x300.webp", image.Pt(75, 33)},
	{"webp-lossy-alpha-300x300.webp", image.Pt(126, 126)},
	{"webp-lossy-alpha-300x300.webp", image.Pt(252, 252)},
	{"webp-lossless-alpha-400x301.webp", image.Pt(0, 0)},
	{"webp-lossless-alpha-400x301.webp", image.Pt(177, 131)},
	{"webp-lossless-alpha-400x301.webp", image.Pt(352, 253)},
}

// The first frame of the animated WebP, 55×55 at (12, 12) on an 80×80
// canvas, as libwebp decodes it on its own.
const (
	animFile   = "webp-animated-80x80.webp"
	animGolden = "testdata/webp-animated-80x80.frame1.dwebp.png"
)

var animFrame = image.Rect(12, 12, 67, 67)

func (c crop) golden() string {
	return filepath.Join("testdata", fmt.Sprintf("%s.dwebp.%dx%d+%d+%d.png",
		c.file[:len(c.file)-len(filepath.Ext(c.file))], cropSize, cropSize, c.at.X, c.at.Y))
}

func (c crop) rect() image.Rectangle {
	return image.Rectangle{c.at, c.at.Add(image.Pt(cropSize, cropSize))}
}

// The CMYK golden: ImageMagick's plain conversion of the whole image to
// sRGB (no profile), averaged over 4×4 blocks.
const (
	cmykFile   = "jpeg-cmyk-swop-icc-500x333.jpg"
	cmykGolden = "testdata/jpeg-cmyk-swop-icc-500x333.magick-srgb.box4.png"
	boxFactor  = 4
)

func readPNG(t *testing.T, path string) *image.NRGBA {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden: %v (regenerate with -update)", err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode golden %s: %v", path, err)
	}
	return raster.ToNRGBA(img)
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// runTool runs a reference tool, skipping the test when it is missing.
func runTool(t *testing.T, name string, args ...string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed (apt-get install webp imagemagick): %v", name, err)
	}
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

// boxDown averages f×f blocks of img (its size cut to a multiple of f),
// rounding to nearest.
func boxDown(img *image.NRGBA, f int) *image.NRGBA {
	w, h := img.Rect.Dx()/f, img.Rect.Dy()/f
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var sum [4]int
			for dy := 0; dy < f; dy++ {
				p := img.Pix[img.PixOffset(img.Rect.Min.X+x*f, img.Rect.Min.Y+y*f+dy):]
				for dx := 0; dx < f; dx++ {
					for c := 0; c < 4; c++ {
						sum[c] += int(p[4*dx+c])
					}
				}
			}
			for c := 0; c < 4; c++ {
				out.Pix[out.PixOffset(x, y)+c] = uint8((sum[c] + f*f/2) / (f * f))
			}
		}
	}
	return out
}

// TestUpdateGoldens regenerates the reference goldens when run with
// -update. It uses only the reference tools, never this package's decoder.
func TestUpdateGoldens(t *testing.T) {
	if !*update {
		t.Skip("run with -update to regenerate the goldens")
	}
	tmp := t.TempDir()
	full := map[string]*image.NRGBA{}
	for _, c := range webpCrops {
		ref, ok := full[c.file]
		if !ok {
			out := filepath.Join(tmp, c.file+".png")
			runTool(t, "dwebp", testcorpus.Path(t, c.file), "-o", out)
			ref = readPNG(t, out)
			full[c.file] = ref
		}
		writePNG(t, c.golden(), ref.SubImage(c.rect()))
	}
	frame := filepath.Join(tmp, "frame1.webp")
	runTool(t, "webpmux", "-get", "frame", "1", testcorpus.Path(t, animFile), "-o", frame)
	runTool(t, "dwebp", frame, "-o", filepath.Join(tmp, "frame1.png"))
	writePNG(t, animGolden, readPNG(t, filepath.Join(tmp, "frame1.png")))

	out := filepath.Join(tmp, "cmyk.png")
	runTool(t, "convert-im6.q16", testcorpus.Path(t, cmykFile), "-colorspace", "sRGB", "-strip", "-depth", "8", "PNG32:"+out)
	writePNG(t, cmykGolden, boxDown(readPNG(t, out), boxFactor))
}

// diffStats compares two images of the same size channel by channel.
type diffStats struct {
	within2 float64 // fraction of pixels with every channel within ±2
	mean    float64 // mean absolute error per channel
	max     int
}

func (d diffStats) String() string {
	return fmt.Sprintf("%.2f%% of pixels within ±2, mean error %.3f, max %d", 100*d.within2, d.mean, d.max)
}

func compare(a, b *image.NRGBA) diffStats {
	w, h := a.Rect.Dx(), a.Rect.Dy()
	var s diffStats
	var sum, n, ok int
	for y := 0; y < h; y++ {
		pa := a.Pix[a.PixOffset(a.Rect.Min.X, a.Rect.Min.Y+y):]
		pb := b.Pix[b.PixOffset(b.Rect.Min.X, b.Rect.Min.Y+y):]
		for x := 0; x < w; x++ {
			good := true
			// RGB under a fully transparent pixel is invisible and not
			// compared.
			channels := 4
			if pa[4*x+3] == 0 && pb[4*x+3] == 0 {
				channels = 0
			}
			for c := 0; c < channels; c++ {
				d := int(pa[4*x+c]) - int(pb[4*x+c])
				if d < 0 {
					d = -d
				}
				sum += d
				n++
				s.max = max(s.max, d)
				if d > 2 {
					good = false
				}
			}
			if good {
				ok++
			}
		}
	}
	s.within2 = float64(ok) / float64(w*h)
	if n > 0 {
		s.mean = float64(sum) / float64(n)
	}
	return s
}

func TestWebPColoursMatchLibwebp(t *testing.T) {
	decoded := map[string]*image.NRGBA{}
	plain := map[string]*image.NRGBA{}
	for _, c := range webpCrops {
		t.Run(fmt.Sprintf("%s@%d,%d", c.file, c.at.X, c.at.Y), func(t *testing.T) {
			ours, ok := decoded[c.file]
			if !ok {
				b := testcorpus.Read(t, c.file)
				img, err := Decode(context.Background(), b, Limits{}, DecodeHint{})
				if err != nil {
					t.Fatalf("Decode(%s): %v", c.file, err)
				}
				ours = img.Pixels.(*image.NRGBA)
				decoded[c.file] = ours
				// The plain x/image/webp result, read as JFIF YCbCr.
				m, err := webp.Decode(bytes.NewReader(b))
				if err != nil {
					t.Fatal(err)
				}
				plain[c.file] = raster.ToNRGBA(m)
			}
			want := readPNG(t, c.golden())
			got := compare(ours.SubImage(c.rect()).(*image.NRGBA), want)
			base := compare(plain[c.file].SubImage(c.rect()).(*image.NRGBA), want)
			t.Logf("ours: %v; plain x/image/webp: %v", got, base)
			if got.within2 < 0.99 || got.mean >= 1 {
				t.Errorf("decoded crop differs from dwebp: %v, want ≥ 99%% within ±2 and mean < 1", got)
			}
			if c.file != "webp-lossless-alpha-400x301.webp" && base.mean <= got.mean {
				t.Errorf("plain x/image/webp (%v) is not further from dwebp than ours (%v)", base, got)
			}
		})
	}
}

func TestWebPAnimatedFirstFrame(t *testing.T) {
	b := testcorpus.Read(t, animFile)
	img, err := Decode(context.Background(), b, Limits{}, DecodeHint{})
	if err != nil {
		t.Fatalf("Decode(%s): %v", animFile, err)
	}
	if !img.Header.Animated || !img.Header.HasAlpha {
		t.Errorf("Header = %+v, want Animated and HasAlpha", img.Header)
	}
	n := img.Pixels.(*image.NRGBA)
	got := compare(n.SubImage(animFrame).(*image.NRGBA), readPNG(t, animGolden))
	t.Logf("first frame against webpmux + dwebp: %v", got)
	if got.within2 < 0.99 || got.mean >= 1 {
		t.Errorf("first frame differs from libwebp: %v", got)
	}
	for y := 0; y < n.Rect.Dy(); y++ {
		for x := 0; x < n.Rect.Dx(); x++ {
			if !image.Pt(x, y).In(animFrame) && n.NRGBAAt(x, y).A != 0 {
				t.Fatalf("pixel (%d,%d) outside the first frame is %v, want transparent", x, y, n.NRGBAAt(x, y))
			}
		}
	}
}

// withoutAPP2 returns the JPEG file b without its APP2 segments (ICC
// profile chunks).
func withoutAPP2(t *testing.T, b []byte) []byte {
	t.Helper()
	out := append([]byte(nil), b[:2]...)
	i := 2
	for i+4 <= len(b) && b[i] == 0xff && b[i+1] != 0xda {
		n := int(b[i+2])<<8 | int(b[i+3])
		if b[i+1] != 0xe2 {
			out = append(out, b[i:i+2+n]...)
		}
		i += 2 + n
	}
	if i+4 > len(b) {
		t.Fatal("no scan found")
	}
	return append(out, b[i:]...)
}

// TestCMYKMatchesImageMagick checks the conversion of CMYK without a
// profile: the plain formula, as ImageMagick's -colorspace sRGB does it.
func TestCMYKMatchesImageMagick(t *testing.T) {
	b := withoutAPP2(t, testcorpus.Read(t, cmykFile))
	img, err := Decode(context.Background(), b, Limits{}, DecodeHint{})
	if err != nil {
		t.Fatalf("Decode(%s): %v", cmykFile, err)
	}
	n, ok := img.Pixels.(*image.NRGBA)
	if !ok {
		t.Fatalf("Decode(%s) gave %T, want *image.NRGBA", cmykFile, img.Pixels)
	}
	if img.ICC != nil {
		t.Errorf("Decode(%s) kept a %d-byte ICC profile, want none for converted CMYK", cmykFile, len(img.ICC))
	}
	want := readPNG(t, cmykGolden)
	got := compare(boxDown(n, boxFactor), want)
	t.Logf("CMYK, 4×4 box averages against ImageMagick -colorspace sRGB: %v", got)
	if got.within2 < 0.99 || got.mean >= 1 {
		t.Errorf("CMYK colours differ from ImageMagick: %v", got)
	}
	// Inverted CMYK would be far off.
	inv := image.NewNRGBA(n.Rect)
	for i := range n.Pix {
		inv.Pix[i] = n.Pix[i]
		if i%4 != 3 {
			inv.Pix[i] = 255 - n.Pix[i]
		}
	}
	if bad := compare(boxDown(inv, boxFactor), want); bad.mean < 20 {
		t.Errorf("inverted colours are close to the golden too (%v): the golden proves nothing", bad)
	}
}

// psnr returns the peak signal-to-noise ratio of b against a over R, G, B.
func psnr(a, b *image.NRGBA) float64 {
	var se float64
	var n int
	for y := 0; y < a.Rect.Dy(); y++ {
		pa := a.Pix[y*a.Stride:]
		pb := b.Pix[y*b.Stride:]
		for x := 0; x < a.Rect.Dx(); x++ {
			for c := 0; c < 3; c++ {
				d := float64(pa[4*x+c]) - float64(pb[4*x+c])
				se += d * d
				n++
			}
		}
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(se/float64(n)))
}

// TestCMYKProfile checks that a CMYK JPEG with a profile is converted
// through it: every patch within 1 level of LittleCMS (relative
// colorimetric), where the plain formula is off by 20 or more.
func TestCMYKProfile(t *testing.T) {
	b := testcorpus.Read(t, cmykFile)
	img, err := Decode(context.Background(), b, Limits{}, DecodeHint{})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Decode(context.Background(), withoutAPP2(t, b), Limits{}, DecodeHint{})
	if err != nil {
		t.Fatal(err)
	}
	var worstPlain float64
	for _, p := range icctest.Patches(t, cmykFile) {
		r := image.Rect(p.X, p.Y, p.X+p.W, p.Y+p.H)
		got, naive := boxMean(img.Pixels, r), boxMean(plain.Pixels, r)
		for c := range 3 {
			if d := math.Abs(got[c] - p.LCMS[c]); d > 1 {
				t.Errorf("patch %v channel %d: %.1f, LittleCMS %.1f", r, c, got[c], p.LCMS[c])
			}
			worstPlain = max(worstPlain, math.Abs(naive[c]-p.LCMS[c]))
		}
	}
	if worstPlain < 20 {
		t.Errorf("the plain formula is within %.1f of LittleCMS: the patches prove nothing", worstPlain)
	}
}

// boxMean returns the mean RGB of img over r.
func boxMean(img image.Image, r image.Rectangle) [3]float64 {
	var s [3]float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			s[0] += float64(c.R)
			s[1] += float64(c.G)
			s[2] += float64(c.B)
		}
	}
	n := float64(r.Dx() * r.Dy())
	return [3]float64{s[0] / n, s[1] / n, s[2] / n}
}
