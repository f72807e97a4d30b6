package codec

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/raster"
	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// class names the error class of err: "ok", "too large", "unsupported",
// "unknown format", "corrupt", or "other: ..." for anything unclassified.
func class(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, ErrTooLarge):
		return "too large"
	case errors.Is(err, ErrUnsupported):
		return "unsupported"
	case errors.Is(err, ErrUnknownFormat):
		return "unknown format"
	case errors.Is(err, ErrCorrupt):
		return "corrupt"
	}
	return "other: " + err.Error()
}

type corpusCase struct {
	format         Format
	w, h           int    // stored size from DecodeConfig
	orient         int    // EXIF orientation (or irot/imir for AVIF/HEIF)
	ow, oh         int    // oriented size
	alpha, anim    bool   // hints
	config, decode string // error classes
	pixels         string // type of Image.Pixels when decoded
}

// corpus lists every file of the shared corpus. A file missing from this
// table fails the test, so that new corpus files get expectations.
var corpus = map[string]corpusCase{
	"avif-8bpc-420-1204x800.avif":             {AVIF, 1204, 800, 1, 1204, 800, false, false, "ok", "ok", "*image.NRGBA"},
	"avif-alpha-2048x2048.avif":               {AVIF, 2048, 2048, 1, 2048, 2048, true, false, "ok", "ok", "*image.NRGBA"},
	"avif-irot90-1024x722.avif":               {AVIF, 1024, 722, 6, 722, 1024, false, false, "ok", "ok", "*image.NRGBA"},
	"bmp-24bit-200x200.bmp":                   {BMP, 200, 200, 1, 200, 200, false, false, "ok", "ok", "*image.NRGBA"},
	"bmp-8bit-gray-512x512.bmp":               {BMP, 512, 512, 1, 512, 512, false, false, "ok", "ok", "*image.Gray"},
	"gif-animated-121x128.gif":                {GIF, 121, 128, 1, 121, 128, true, true, "ok", "ok", "*image.NRGBA"},
	"gif-animated-80x80.gif":                  {GIF, 80, 80, 1, 80, 80, true, true, "ok", "ok", "*image.NRGBA"},
	"gif-static-800x533.gif":                  {GIF, 800, 533, 1, 800, 533, false, false, "ok", "ok", "*image.NRGBA"},
	"heic-iphone-3024x4032.heic":              {HEIF, 4032, 3024, 6, 3024, 4032, false, false, "unsupported", "unsupported", ""},
	"heif-alpha-202x259.heif":                 {HEIF, 202, 259, 1, 202, 259, true, false, "unsupported", "unsupported", ""},
	"hostile-bomb-avif-17000x17000.avif":      {AVIF, 17000, 17000, 1, 17000, 17000, false, false, "too large", "too large", ""},
	"hostile-bomb-jpeg-64250x64250.jpg":       {JPEG, 64250, 64250, 1, 64250, 64250, false, false, "too large", "too large", ""},
	"hostile-bomb-png-65536x65536.png":        {PNG, 65536, 65536, 1, 65536, 65536, false, false, "too large", "too large", ""},
	"hostile-corrupt-header.jpg":              {JPEG, 0, 0, 1, 0, 0, false, false, "corrupt", "corrupt", ""},
	"hostile-empty.jpg":                       {Unknown, 0, 0, 1, 0, 0, false, false, "unknown format", "unknown format", ""},
	"hostile-not-an-image.jpg":                {Unknown, 0, 0, 1, 0, 0, false, false, "unknown format", "unknown format", ""},
	"hostile-truncated-290x442.jpg":           {JPEG, 290, 442, 1, 290, 442, false, false, "ok", "corrupt", ""},
	"hostile-truncated-575x800.gif":           {GIF, 575, 800, 1, 575, 800, false, false, "ok", "corrupt", ""},
	"jpeg-cmyk-swop-icc-500x333.jpg":          {JPEG, 500, 333, 1, 500, 333, false, false, "ok", "ok", "*image.NRGBA"},
	"jpeg-gray-icc-400x267.jpg":               {JPEG, 400, 267, 1, 400, 267, false, false, "ok", "ok", "*image.Gray"},
	"jpeg-photo-12mp-iphone-p3-orient6.jpg":   {JPEG, 4032, 3024, 6, 3024, 4032, false, false, "ok", "ok", "*image.YCbCr"},
	"jpeg-photo-1920x1080.jpg":                {JPEG, 1920, 1080, 1, 1920, 1080, false, false, "ok", "ok", "*image.YCbCr"},
	"jpeg-photo-2000x1333.jpg":                {JPEG, 2000, 1333, 1, 2000, 1333, false, false, "ok", "ok", "*image.YCbCr"},
	"jpeg-photo-24mp-4000x6000.jpg":           {JPEG, 4000, 6000, 1, 4000, 6000, false, false, "ok", "ok", "*image.YCbCr"},
	"jpeg-progressive-1204x800.jpg":           {JPEG, 1204, 800, 1, 1204, 800, false, false, "ok", "ok", "*image.YCbCr"},
	"jpeg-progressive-adobergb-1900x1263.jpg": {JPEG, 1900, 1263, 1, 1900, 1263, false, false, "ok", "ok", "*image.YCbCr"},
	"jpeg-prophoto-icc-1680x1050.jpg":         {JPEG, 1680, 1050, 1, 1680, 1050, false, false, "ok", "ok", "*image.YCbCr"},
	"jxl-1200x720.jxl":                        {JXL, 0, 0, 1, 0, 0, false, false, "unsupported", "unsupported", ""},
	"png-16bit-rgb-900x600.png":               {PNG, 900, 600, 1, 900, 600, false, false, "ok", "ok", "*image.NRGBA"},
	"png-16bit-rgb-photo-290x442.png":         {PNG, 290, 442, 1, 290, 442, false, false, "ok", "ok", "*image.NRGBA"},
	"png-gray-512x512.png":                    {PNG, 512, 512, 1, 512, 512, false, false, "ok", "ok", "*image.Gray"},
	"png-gray-alpha-293x115.png":              {PNG, 293, 115, 1, 293, 115, true, false, "ok", "ok", "*image.NRGBA"},
	"png-interlaced-rgba-162x150.png":         {PNG, 162, 150, 1, 162, 150, true, false, "ok", "ok", "*image.NRGBA"},
	"png-palette-290x442.png":                 {PNG, 290, 442, 1, 290, 442, false, false, "ok", "ok", "*image.NRGBA"},
	"png-rgba-1634x2224.png":                  {PNG, 1634, 2224, 1, 1634, 2224, true, false, "ok", "ok", "*image.NRGBA"},
	"png-rgba-320x240.png":                    {PNG, 320, 240, 1, 320, 240, true, false, "ok", "ok", "*image.NRGBA"},
	"svg-logo-736x552.svg":                    {SVG, 0, 0, 1, 0, 0, false, false, "unsupported", "unsupported", ""},
	"svg-star-880x880.svg":                    {SVG, 0, 0, 1, 0, 0, false, false, "unsupported", "unsupported", ""},
	"tiff-gopher-200x100.tiff":                {TIFF, 200, 100, 1, 200, 100, true, false, "ok", "ok", "*image.NRGBA"},
	"tiff-rgb-290x442.tif":                    {TIFF, 290, 442, 1, 290, 442, false, false, "ok", "ok", "*image.NRGBA"},
	"webp-animated-80x80.webp":                {WebP, 80, 80, 1, 80, 80, true, true, "ok", "ok", "*image.NRGBA"},
	"webp-lossless-alpha-400x301.webp":        {WebP, 400, 301, 1, 400, 301, true, false, "ok", "ok", "*image.NRGBA"},
	"webp-lossy-1024x772.webp":                {WebP, 1024, 772, 1, 1024, 772, false, false, "ok", "ok", "*image.NRGBA"},
	"webp-lossy-alpha-300x300.webp":           {WebP, 300, 300, 1, 300, 300, true, false, "ok", "ok", "*image.NRGBA"},
}

func init() {
	// The EXIF orientation examples: stored landscape (1800×1200) for
	// Landscape 1 to 4 and Portrait 6 and 8, portrait otherwise.
	for o := 1; o <= 8; o++ {
		w, h := 1800, 1200
		if o >= 5 {
			w, h = h, w
		}
		corpus[fmt.Sprintf("exif-Landscape_%d.jpg", o)] = corpusCase{JPEG, w, h, o, 1800, 1200, false, false, "ok", "ok", "*image.YCbCr"}
	}
	for _, o := range []int{1, 2, 3, 4, 6, 8} {
		w, h := 1200, 1800
		if o >= 5 {
			w, h = h, w
		}
		corpus[fmt.Sprintf("exif-Portrait_%d.jpg", o)] = corpusCase{JPEG, w, h, o, 1200, 1800, false, false, "ok", "ok", "*image.YCbCr"}
	}
}

func TestCorpus(t *testing.T) {
	names := testcorpus.Names(t, "*")
	seen := 0
	for _, name := range names {
		if strings.HasSuffix(name, ".md") {
			continue
		}
		seen++
		tc, ok := corpus[name]
		if !ok {
			t.Errorf("corpus file %s has no expectations in this test", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			b := testcorpus.Read(t, name)
			if f := Sniff(b); f != tc.format {
				t.Errorf("Sniff = %v, want %v", f, tc.format)
			}
			h, err := DecodeConfig(b, Limits{})
			if got := class(err); got != tc.config {
				t.Errorf("DecodeConfig error = %v (%s), want %s", err, got, tc.config)
			}
			want := Header{
				Format: tc.format, Width: tc.w, Height: tc.h, Orientation: tc.orient,
				OrientedWidth: tc.ow, OrientedHeight: tc.oh, HasAlpha: tc.alpha, Animated: tc.anim,
			}
			if h != want {
				t.Errorf("DecodeConfig = %+v, want %+v", h, want)
			}
			if testing.Short() && len(b) > 1<<20 {
				return
			}
			img, err := Decode(context.Background(), b, Limits{}, DecodeHint{})
			if got := class(err); got != tc.decode {
				t.Fatalf("Decode error = %v (%s), want %s", err, got, tc.decode)
			}
			if err != nil {
				if img != nil {
					t.Errorf("Decode returned an image with error %v", err)
				}
				return
			}
			if img.Header != want {
				t.Errorf("Image.Header = %+v, want %+v", img.Header, want)
			}
			if typ := fmt.Sprintf("%T", img.Pixels); typ != tc.pixels {
				t.Errorf("Pixels is %s, want %s", typ, tc.pixels)
			}
			if b := img.Pixels.Bounds(); b != image.Rect(0, 0, tc.ow, tc.oh) {
				t.Errorf("Pixels bounds %v, want %v", b, image.Rect(0, 0, tc.ow, tc.oh))
			}
		})
	}
	if seen < len(corpus) {
		t.Errorf("found %d corpus files, the table expects %d", seen, len(corpus))
	}
}

// allocated returns the bytes allocated while fn runs (by the whole
// process, so tests that use it do not run in parallel).
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// maxHostileAlloc bounds what any hostile input may make DecodeConfig and
// Decode allocate.
const maxHostileAlloc = 16 << 20

func TestHostileCorpus(t *testing.T) {
	want := map[string]struct {
		class string
		what  string // LimitError.What for "too large"
	}{
		"hostile-bomb-jpeg-64250x64250.jpg":  {"too large", "source pixels"},
		"hostile-bomb-png-65536x65536.png":   {"too large", "source pixels"},
		"hostile-bomb-avif-17000x17000.avif": {"too large", "source pixels"},
		"hostile-truncated-290x442.jpg":      {"corrupt", ""},
		"hostile-truncated-575x800.gif":      {"corrupt", ""},
		"hostile-corrupt-header.jpg":         {"corrupt", ""},
		"hostile-empty.jpg":                  {"unknown format", ""},
		"hostile-not-an-image.jpg":           {"unknown format", ""},
	}
	names := testcorpus.Names(t, "hostile-*")
	if len(names) != len(want) {
		t.Errorf("found %d hostile files, want %d", len(names), len(want))
	}
	for _, name := range names {
		w, ok := want[name]
		if !ok {
			t.Errorf("hostile file %s has no expectation", name)
			continue
		}
		b := testcorpus.Read(t, name)
		var err error
		n := allocated(func() { _, err = Decode(context.Background(), b, Limits{}, DecodeHint{}) })
		t.Logf("%-36s %-15s allocated %7.1f KB: %v", name, class(err), float64(n)/1024, err)
		if got := class(err); got != w.class {
			t.Errorf("Decode(%s) = %v (%s), want %s", name, err, got, w.class)
		}
		if w.what != "" {
			var le *LimitError
			if !errors.As(err, &le) || le.What != w.what || le.Max != DefaultMaxPixels {
				t.Errorf("Decode(%s) = %#v, want a *LimitError for %s", name, err, w.what)
			}
		}
		if n > maxHostileAlloc {
			t.Errorf("Decode(%s) allocated %d bytes, want at most %d", name, n, maxHostileAlloc)
		}
		if n := allocated(func() { DecodeConfig(b, Limits{}) }); n > 1<<20 {
			t.Errorf("DecodeConfig(%s) allocated %d bytes, want at most 1 MiB", name, n)
		}
	}
}

// maskedStats compares two upright decodes of the same scene outside a
// central box (where the example files print their orientation number): the
// mean absolute difference per channel and the PSNR over R, G and B.
func maskedStats(a, b *image.NRGBA) (mad [3]float64, psnr float64) {
	w, h := a.Rect.Dx(), a.Rect.Dy()
	mask := image.Rect(w*3/8, h*3/8, w*5/8, h*5/8)
	var se float64
	var n int
	for y := 0; y < h; y++ {
		pa, pb := a.Pix[y*a.Stride:], b.Pix[y*b.Stride:]
		for x := 0; x < w; x++ {
			if image.Pt(x, y).In(mask) {
				continue
			}
			for c := 0; c < 3; c++ {
				d := float64(pa[4*x+c]) - float64(pb[4*x+c])
				mad[c] += math.Abs(d)
				se += d * d
			}
			n++
		}
	}
	for c := range mad {
		mad[c] /= float64(n)
	}
	return mad, 10 * math.Log10(255*255/(se/float64(3*n)))
}

func decodeNRGBA(t *testing.T, name string) *image.NRGBA {
	t.Helper()
	img, err := Decode(context.Background(), testcorpus.Read(t, name), Limits{}, DecodeHint{})
	if err != nil {
		t.Fatalf("Decode(%s): %v", name, err)
	}
	return raster.ToNRGBA(img.Pixels)
}

// TestEXIFOrientation checks that every orientation example decodes to the
// picture of its orientation-1 sibling. The files are encoded separately,
// so they differ by JPEG noise. Outside the central label, measured: mean
// difference up to 3.5 per channel, PSNR 34.5 dB and up; the best wrong
// orientation scores 8.7 to 12.5 dB.
func TestEXIFOrientation(t *testing.T) {
	const maxMAD, minPSNR, minGain = 5.0, 31.0, 15.0
	for _, set := range []string{"Landscape", "Portrait"} {
		ref := decodeNRGBA(t, "exif-"+set+"_1.jpg")
		for _, name := range testcorpus.Names(t, "exif-"+set+"_*.jpg") {
			if strings.HasSuffix(name, "_1.jpg") {
				continue
			}
			got := decodeNRGBA(t, name)
			if got.Rect != ref.Rect {
				t.Errorf("%s decodes to %v, want %v", name, got.Rect.Size(), ref.Rect.Size())
				continue
			}
			mad, p := maskedStats(got, ref)
			// The best wrong orientation of the upright result, for
			// contrast.
			wrong := 0.0
			for o := 2; o <= 8; o++ {
				if w, h := raster.OrientedSize(got.Rect.Dx(), got.Rect.Dy(), o); w != ref.Rect.Dx() || h != ref.Rect.Dy() {
					continue
				}
				_, q := maskedStats(raster.ToNRGBA(raster.Orient(got, o)), ref)
				wrong = max(wrong, q)
			}
			t.Logf("%s: mean difference %.2f/%.2f/%.2f, PSNR %.1f dB (best wrong orientation %.1f dB)", name, mad[0], mad[1], mad[2], p, wrong)
			if max(mad[0], mad[1], mad[2]) > maxMAD || p < minPSNR || p-wrong < minGain {
				t.Errorf("%s does not match %s_1 upright: mean difference %v, PSNR %.1f dB, best wrong %.1f dB",
					name, set, mad, p, wrong)
			}
		}
	}
}

func TestIPhoneOrientation(t *testing.T) {
	const name = "jpeg-photo-12mp-iphone-p3-orient6.jpg"
	b := testcorpus.Read(t, name)
	img, err := Decode(context.Background(), b, Limits{}, DecodeHint{})
	if err != nil {
		t.Fatalf("Decode(%s): %v", name, err)
	}
	if got := img.Pixels.Bounds().Size(); got != image.Pt(3024, 4032) {
		t.Errorf("Decode(%s) is %v, want 3024x4032", name, got)
	}
	if len(img.ICC) < 128 || string(img.ICC[36:40]) != "acsp" {
		t.Errorf("Decode(%s) ICC profile of %d bytes is not a profile", name, len(img.ICC))
	}
}

func TestICCProfiles(t *testing.T) {
	for name, want := range map[string]string{
		"jpeg-photo-12mp-iphone-p3-orient6.jpg":   "RGB ",
		"jpeg-progressive-adobergb-1900x1263.jpg": "RGB ",
		"jpeg-prophoto-icc-1680x1050.jpg":         "RGB ",
		"jpeg-gray-icc-400x267.jpg":               "GRAY",
		"jpeg-photo-24mp-4000x6000.jpg":           "RGB ",
		"jpeg-photo-1920x1080.jpg":                "",
		"jpeg-cmyk-swop-icc-500x333.jpg":          "", // CMYK profile dropped
	} {
		img, err := Decode(context.Background(), testcorpus.Read(t, name), Limits{}, DecodeHint{})
		if err != nil {
			t.Fatalf("Decode(%s): %v", name, err)
		}
		got := ""
		if len(img.ICC) >= 40 && string(img.ICC[36:40]) == "acsp" {
			got = string(img.ICC[16:20]) // colour space of the data
		}
		if got != want {
			t.Errorf("Decode(%s) ICC colour space %q (%d bytes), want %q", name, got, len(img.ICC), want)
		}
		if len(img.ICC) >= 4 {
			if n := int(img.ICC[0])<<24 | int(img.ICC[1])<<16 | int(img.ICC[2])<<8 | int(img.ICC[3]); n != len(img.ICC) {
				t.Errorf("Decode(%s) ICC header says %d bytes, have %d", name, n, len(img.ICC))
			}
		}
	}
}
