package pipeline

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/draw"
	_ "image/gif"
	_ "image/jpeg"
	"image/png"
	"math"
	"testing"

	xdraw "golang.org/x/image/draw"

	"github.com/imgcdn/imgcdn/internal/codec"
	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

func mustParse(t testing.TB, s string) Chain {
	t.Helper()
	c, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return c
}

func process(t testing.TB, src []byte, tr string) *Result {
	t.Helper()
	res, err := Process(context.Background(), src, mustParse(t, tr), nil)
	if err != nil {
		t.Fatalf("Process(%q): %v", tr, err)
	}
	return res
}

// decodeResult decodes res with the codec (the standard library for JPEG,
// PNG and GIF) and checks that its format and size agree with what Result
// says.
func decodeResult(t testing.TB, res *Result) image.Image {
	t.Helper()
	dec, err := codec.Decode(context.Background(), res.Bytes, codec.Limits{}, codec.DecodeHint{})
	if err != nil {
		t.Fatalf("output does not decode: %v", err)
	}
	if f := fromCodec(dec.Header.Format); f != res.Format {
		t.Errorf("output is %v, Result.Format says %v", f, res.Format)
	}
	img := dec.Pixels
	if s := img.Bounds().Size(); s != image.Pt(res.Width, res.Height) {
		t.Errorf("output is %v, Result says %dx%d", s, res.Width, res.Height)
	}
	return img
}

func TestProcessCorpus(t *testing.T) {
	tests := []struct {
		file, tr string
		format   Format
		w, h     int
	}{
		{"jpeg-photo-24mp-4000x6000.jpg", "w-400", FormatJPEG, 400, 600},
		{"jpeg-photo-1920x1080.jpg", "w-300,h-300", FormatJPEG, 300, 300},
		{"jpeg-photo-1920x1080.jpg", "w-300,h-200,c-at_max", FormatJPEG, 300, 169},
		{"jpeg-photo-1920x1080.jpg", "w-300,h-200,cm-pad_resize,bg-F3F3F3", FormatJPEG, 300, 200},
		{"jpeg-photo-1920x1080.jpg", "w-200,h-200,cm-extract,x-10,y-20", FormatJPEG, 200, 200},
		{"jpeg-photo-1920x1080.jpg", "w-0.25,pr-true,q-60", FormatJPEG, 480, 270},
		{"jpeg-photo-1920x1080.jpg", "w-300:rt-90", FormatJPEG, 169, 300},
		{"jpeg-photo-1920x1080.jpg", "w-300,rt-45", FormatJPEG, 332, 332},
		{"jpeg-photo-1920x1080.jpg", "w-100,b-5_FF0000,fl-h,e-grayscale", FormatJPEG, 110, 66},
		{"jpeg-photo-1920x1080.jpg", "w-200,r-max", FormatPNG, 200, 113},
		{"jpeg-photo-1920x1080.jpg", "w-200,r-max,f-jpg", FormatJPEG, 200, 113},
		{"jpeg-photo-1920x1080.jpg", "w-200,bl-5,e-sharpen,e-contrast,e-usm-2-1-0.8-0.02", FormatJPEG, 200, 113},
		{"jpeg-photo-1920x1080.jpg", "w-120,f-gif", FormatGIF, 120, 68},
		{"jpeg-photo-1920x1080.jpg", "w-120,f-png", FormatPNG, 120, 68},
		{"jpeg-photo-1920x1080.jpg", "f-orig,w-64", FormatJPEG, 64, 36},
		{"jpeg-progressive-1204x800.jpg", "w-301", FormatJPEG, 301, 200},
		{"jpeg-gray-icc-400x267.jpg", "h-100", FormatJPEG, 150, 100},
		{"jpeg-cmyk-swop-icc-500x333.jpg", "w-250", FormatJPEG, 250, 167},
		{"jpeg-photo-12mp-iphone-p3-orient6.jpg", "w-300", FormatJPEG, 300, 400},
		{"exif-Landscape_6.jpg", "w-300", FormatJPEG, 300, 200},
		{"exif-Portrait_8.jpg", "w-300", FormatJPEG, 300, 450},
		{"png-rgba-1634x2224.png", "w-200", FormatPNG, 200, 272},
		{"png-rgba-320x240.png", "w-100,f-jpg,bg-white", FormatJPEG, 100, 75},
		{"png-palette-290x442.png", "h-100", FormatJPEG, 66, 100},
		{"png-16bit-rgb-photo-290x442.png", "w-145", FormatJPEG, 145, 221},
		{"png-gray-512x512.png", "w-128", FormatJPEG, 128, 128},
		{"png-gray-alpha-293x115.png", "w-100", FormatPNG, 100, 39},
		{"png-interlaced-rgba-162x150.png", "w-81", FormatPNG, 81, 75},
		{"gif-static-800x533.gif", "w-400", FormatJPEG, 400, 267},
		{"gif-static-800x533.gif", "w-400,f-orig", FormatGIF, 400, 267},
		{"gif-animated-121x128.gif", "w-60", FormatGIF, 60, 63},
		{"gif-animated-121x128.gif", "w-60,f-png", FormatPNG, 60, 63},
		{"webp-animated-80x80.webp", "w-40", FormatGIF, 40, 40},
		{"webp-animated-80x80.webp", "w-40,f-webp", FormatWebP, 40, 40},
		{"jpeg-photo-1920x1080.jpg", "w-120,f-webp", FormatWebP, 120, 68},
		{"jpeg-photo-1920x1080.jpg", "w-120,f-avif", FormatAVIF, 120, 68},
		{"jpeg-photo-1920x1080.jpg", "w-120,f-webp,lo-true", FormatWebP, 120, 68},
		{"avif-irot90-1024x722.avif", "w-100", FormatJPEG, 100, 142},
		{"avif-alpha-2048x2048.avif", "w-100", FormatPNG, 100, 100},
		{"webp-lossy-1024x772.webp", "w-100", FormatJPEG, 100, 75},
		{"webp-lossless-alpha-400x301.webp", "w-200", FormatPNG, 200, 151},
		{"webp-lossy-alpha-300x300.webp", "w-150", FormatPNG, 150, 150},
		{"bmp-24bit-200x200.bmp", "w-100", FormatJPEG, 100, 100},
		{"bmp-8bit-gray-512x512.bmp", "w-100,f-orig", FormatJPEG, 100, 100},
		{"tiff-rgb-290x442.tif", "w-100", FormatJPEG, 100, 152},
		{"tiff-gopher-200x100.tiff", "w-100", FormatPNG, 100, 50},
		{"jpeg-photo-2000x1333.jpg", "t-true,w-100,h-100,fo-auto", FormatJPEG, 100, 100},
		{"jpeg-photo-2000x1333.jpg", "w-500,h-100,cm-pad_extract,fo-bottom_right", FormatJPEG, 500, 100},
	}
	for _, tc := range tests {
		t.Run(tc.file+"/"+tc.tr, func(t *testing.T) {
			res := process(t, testcorpus.Read(t, tc.file), tc.tr)
			if res.Format != tc.format || res.Width != tc.w || res.Height != tc.h {
				t.Errorf("Process(%s, %q) = %v %dx%d, want %v %dx%d", tc.file, tc.tr, res.Format, res.Width, res.Height, tc.format, tc.w, tc.h)
			}
			decodeResult(t, res)
		})
	}
}

// TestProcessMatchesReference checks the pixels of resized and cropped
// output against the same operation done with golang.org/x/image/draw on
// the standard library's decode.
func TestProcessMatchesReference(t *testing.T) {
	tests := []struct {
		file, tr string
		crop     image.Rectangle // region of the source the output shows
	}{
		{"jpeg-photo-1920x1080.jpg", "w-480,q-95", image.Rect(0, 0, 1920, 1080)},
		{"jpeg-photo-1920x1080.jpg", "w-300,h-300,q-95", image.Rect(420, 0, 1500, 1080)},
		{"jpeg-photo-1920x1080.jpg", "w-300,h-300,fo-left,q-95", image.Rect(0, 0, 1080, 1080)},
		{"jpeg-photo-1920x1080.jpg", "w-300,h-300,fo-right,q-95", image.Rect(840, 0, 1920, 1080)},
		{"jpeg-photo-1920x1080.jpg", "w-200,h-150,cm-extract,x-100,y-50,q-95", image.Rect(100, 50, 300, 200)},
		{"jpeg-photo-1920x1080.jpg", "w-400,h-100,c-force,q-95", image.Rect(0, 0, 1920, 1080)},
		{"png-rgba-1634x2224.png", "w-200,bg-FFFFFF,f-jpg,q-95", image.Rect(0, 0, 1634, 2224)},
	}
	for _, tc := range tests {
		t.Run(tc.file+"/"+tc.tr, func(t *testing.T) {
			src := testcorpus.Read(t, tc.file)
			res := process(t, src, tc.tr)
			got := decodeResult(t, res)
			ref, _, err := image.Decode(bytes.NewReader(src))
			if err != nil {
				t.Fatal(err)
			}
			want := image.NewRGBA(got.Bounds())
			draw.Draw(want, want.Bounds(), image.White, image.Point{}, draw.Src)
			xdraw.CatmullRom.Scale(want, want.Bounds(), ref, tc.crop, xdraw.Over, nil)
			if p := psnr(got, want); p < 30 {
				t.Errorf("PSNR against reference = %.1f dB, want ≥ 30", p)
			} else {
				t.Logf("PSNR against reference: %.1f dB", p)
			}
		})
	}
}

// TestProcessOrientation checks that EXIF orientation is applied before any
// step: every exif-* file gives the same output as its orientation-1 file.
func TestProcessOrientation(t *testing.T) {
	for _, kind := range []string{"Landscape", "Portrait"} {
		ref := decodeResult(t, process(t, testcorpus.Read(t, "exif-"+kind+"_1.jpg"), "w-300,h-200,q-95"))
		for _, name := range testcorpus.Names(t, "exif-"+kind+"_*.jpg") {
			t.Run(name, func(t *testing.T) {
				res := process(t, testcorpus.Read(t, name), "w-300,h-200,q-95")
				got := decodeResult(t, res)
				if p := psnr(got, ref); p < 28 {
					t.Errorf("PSNR against %s_1 = %.1f dB, want ≥ 28 (orientation not applied?)", kind, p)
				}
				if bytes.Contains(res.Bytes, []byte("Exif\x00\x00")) {
					t.Error("output keeps the EXIF segment; metadata must be stripped by default")
				}
			})
		}
	}
}

// synthetic encodes a w×h PNG whose pixels come from f.
func synthetic(t testing.TB, w, h int, f func(x, y int) color.NRGBA) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, y, f(x, y))
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var (
	red   = color.NRGBA{255, 0, 0, 255}
	blue  = color.NRGBA{0, 0, 255, 255}
	green = color.NRGBA{0, 255, 0, 255}
	white = color.NRGBA{255, 255, 255, 255}
)

func nrgbaAt(img image.Image, x, y int) color.NRGBA {
	b := img.Bounds()
	return color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
}

// near reports whether a and b are within tol per channel; fully
// transparent colours are all equal.
func near(a, b color.NRGBA, tol int) bool {
	if a.A == 0 && b.A == 0 {
		return true
	}
	d := func(x, y uint8) bool { return int(x)-int(y) <= tol && int(y)-int(x) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}

func TestProcessPixels(t *testing.T) {
	// Left half red, right half blue, 40×20.
	halves := synthetic(t, 40, 20, func(x, y int) color.NRGBA {
		if x < 20 {
			return red
		}
		return blue
	})
	// Top half red, bottom half blue, 20×40.
	topBottom := synthetic(t, 20, 40, func(x, y int) color.NRGBA {
		if y < 20 {
			return red
		}
		return blue
	})
	// A transparent 20×20 image with an opaque green 10×10 centre.
	hole := synthetic(t, 20, 20, func(x, y int) color.NRGBA {
		if x >= 5 && x < 15 && y >= 5 && y < 15 {
			return green
		}
		return color.NRGBA{255, 0, 255, 0}
	})
	type probe struct {
		x, y int
		want color.NRGBA
	}
	tests := []struct {
		name   string
		src    []byte
		tr     string
		w, h   int
		probes []probe
	}{
		{"identity png", halves, "f-png", 40, 20, []probe{{2, 2, red}, {37, 17, blue}}},
		{"flip h", halves, "fl-h,f-png", 40, 20, []probe{{2, 2, blue}, {37, 17, red}}},
		{"flip v keeps columns", halves, "fl-v,f-png", 40, 20, []probe{{2, 2, red}, {37, 17, blue}}},
		{"flip both", topBottom, "fl-h_v,f-png", 20, 40, []probe{{2, 2, blue}, {17, 37, red}}},
		{"rotate 90 clockwise", topBottom, "rt-90,f-png", 40, 20, []probe{{37, 10, red}, {2, 10, blue}}},
		{"rotate 270", topBottom, "rt-N90,f-png", 40, 20, []probe{{2, 10, red}, {37, 10, blue}}},
		{"rotate 180", halves, "rt-180,f-png", 40, 20, []probe{{2, 2, blue}, {37, 17, red}}},
		{"crop left", halves, "w-10,h-20,fo-left,f-png", 10, 20, []probe{{5, 10, red}}},
		{"crop right", halves, "w-10,h-20,fo-right,f-png", 10, 20, []probe{{5, 10, blue}}},
		{"extract x", halves, "w-10,h-10,cm-extract,x-30,y-5,f-png", 10, 10, []probe{{0, 0, blue}, {9, 9, blue}}},
		{"pad resize bg", halves, "w-40,h-40,cm-pad_resize,bg-00FF00,f-png", 40, 40, []probe{{20, 2, green}, {2, 15, red}, {37, 25, blue}, {20, 37, green}}},
		{"pad resize top", halves, "w-40,h-40,cm-pad_resize,bg-00FF00,fo-top,f-png", 40, 40, []probe{{2, 2, red}, {20, 37, green}}},
		{"pad resize default black", halves, "w-40,h-40,cm-pad_resize,f-png", 40, 40, []probe{{20, 2, color.NRGBA{0, 0, 0, 255}}}},
		{"pad extract", halves, "w-60,h-20,cm-pad_extract,bg-00FF00,f-png", 60, 20, []probe{{5, 10, green}, {15, 10, red}, {45, 10, blue}, {55, 10, green}}},
		{"border", halves, "b-3_00FF00,f-png", 46, 26, []probe{{0, 0, green}, {45, 25, green}, {5, 5, red}, {40, 20, blue}}},
		{"grayscale", halves, "e-grayscale,f-png", 40, 20, []probe{{2, 2, color.NRGBA{76, 76, 76, 255}}, {37, 2, color.NRGBA{29, 29, 29, 255}}}},
		{"radius max", halves, "r-max,f-png", 40, 20, []probe{{0, 0, color.NRGBA{}}, {39, 19, color.NRGBA{}}, {10, 10, red}, {30, 10, blue}}},
		{"radius flattened on bg", halves, "r-max,bg-FFFFFF,f-jpg,q-100", 40, 20, []probe{{0, 0, white}, {10, 10, red}}},
		{"flatten default black", hole, "f-jpg,q-100", 20, 20, []probe{{1, 1, color.NRGBA{0, 0, 0, 255}}, {10, 10, green}}},
		{"flatten white", hole, "bg-white,f-jpg,q-100", 20, 20, []probe{{1, 1, white}, {10, 10, green}}},
		{"auto keeps alpha", hole, "", 20, 20, []probe{{1, 1, color.NRGBA{}}, {10, 10, green}}},
		{"rotate keeps alpha", hole, "rt-45", 29, 29, []probe{{0, 0, color.NRGBA{}}, {3, 14, color.NRGBA{}}, {14, 14, green}}},
		{"rotate transparent on bg", hole, "rt-45,bg-0000FF,f-png", 29, 29, []probe{{0, 0, blue}, {3, 14, blue}, {14, 14, green}}},
		{"rotate opaque on black", halves, "rt-45,f-png", 43, 43, []probe{{0, 0, color.NRGBA{0, 0, 0, 255}}, {10, 21, red}, {32, 21, blue}}},
		{"pad keeps alpha", hole, "w-40,h-20,cm-pad_resize", 40, 20, []probe{{2, 10, color.NRGBA{}}, {20, 10, green}}},
		{"trim", hole, "t-true,f-png", 10, 10, []probe{{0, 0, green}, {9, 9, green}}},
		{"chain order", halves, "w-20,h-20,fo-left:rt-90,f-png", 20, 20, []probe{{10, 10, red}}},
		{"later step sees earlier result", halves, "fl-h:w-10,h-20,fo-left,f-png", 10, 20, []probe{{5, 10, blue}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := process(t, tc.src, tc.tr)
			img := decodeResult(t, res)
			if res.Width != tc.w || res.Height != tc.h {
				t.Fatalf("Process(%q) = %dx%d, want %dx%d", tc.tr, res.Width, res.Height, tc.w, tc.h)
			}
			tol := 2
			if res.Format == FormatJPEG {
				tol = 12
			}
			for _, p := range tc.probes {
				if got := nrgbaAt(img, p.x, p.y); !near(got, p.want, tol) {
					t.Errorf("Process(%q) pixel (%d,%d) = %v, want %v", tc.tr, p.x, p.y, got, p.want)
				}
			}
		})
	}
}

func TestProcessAutoFocus(t *testing.T) {
	// Flat grey on the left two thirds, a fine checkerboard on the right third.
	src := synthetic(t, 300, 100, func(x, y int) color.NRGBA {
		if x >= 200 && (x/2+y/2)%2 == 0 {
			return color.NRGBA{0, 0, 0, 255}
		}
		if x >= 200 {
			return white
		}
		return color.NRGBA{128, 128, 128, 255}
	})
	for _, tr := range []string{"w-100,h-100,fo-auto,f-png", "w-100,h-100,cm-extract,fo-auto,f-png"} {
		img := decodeResult(t, process(t, src, tr))
		var grey int
		for x := 0; x < 100; x++ {
			if c := nrgbaAt(img, x, 50); c.R > 100 && c.R < 156 {
				grey++
			}
		}
		if grey > 5 {
			t.Errorf("Process(%q): %d of 100 pixels in the middle row are flat grey; fo-auto should keep the detailed right third", tr, grey)
		}
	}
}

func TestProcessOriginal(t *testing.T) {
	src := testcorpus.Read(t, "webp-lossy-1024x772.webp")
	res := process(t, src, "w-100,orig-true")
	if !bytes.Equal(res.Bytes, src) || res.Format != FormatWebP || res.Width != 1024 || res.Height != 772 {
		t.Errorf("orig-true = %v %dx%d (%d bytes), want the source unchanged", res.Format, res.Width, res.Height, len(res.Bytes))
	}
}

func TestProcessProgressive(t *testing.T) {
	src := testcorpus.Read(t, "jpeg-photo-1920x1080.jpg")
	for _, tc := range []struct {
		tr  string
		sof byte
	}{{"w-200", 0xC0}, {"w-200,pr-true", 0xC2}, {"w-200,pr-false", 0xC0}} {
		res := process(t, src, tc.tr)
		if !bytes.Contains(res.Bytes, []byte{0xFF, tc.sof}) || bytes.Contains(res.Bytes, []byte{0xFF, 0xC0 ^ 0xC2 ^ tc.sof}) {
			t.Errorf("Process(%q): want SOF marker %#x only", tc.tr, tc.sof)
		}
		decodeResult(t, res)
	}
}

func TestProcessQuality(t *testing.T) {
	src := testcorpus.Read(t, "jpeg-photo-1920x1080.jpg")
	low := process(t, src, "w-400,q-20")
	high := process(t, src, "w-400,q-95")
	def := process(t, src, "w-400")
	if !(len(low.Bytes) < len(def.Bytes) && len(def.Bytes) < len(high.Bytes)) {
		t.Errorf("sizes q-20 %d, default %d, q-95 %d: want increasing", len(low.Bytes), len(def.Bytes), len(high.Bytes))
	}
	opt := &Options{Quality: 20}
	res, err := Process(context.Background(), src, mustParse(t, "w-400"), opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Bytes) != len(low.Bytes) {
		t.Errorf("Options.Quality 20 gave %d bytes, q-20 gave %d", len(res.Bytes), len(low.Bytes))
	}
}

func TestProcessErrors(t *testing.T) {
	photo := testcorpus.Read(t, "jpeg-photo-1920x1080.jpg")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		src  []byte
		tr   string
		opts *Options
		want error
	}{
		{"orig of heif", nil, testcorpus.Read(t, "heif-alpha-202x259.heif"), "f-orig", nil, ErrNotSupported},
		{"avif pixels", nil, testcorpus.Read(t, "avif-alpha-2048x2048.avif"), "w-10", &Options{MaxAVIFSourcePixels: 2048*2048 - 1}, ErrSourceTooLarge},
		{"too many frames", nil, testcorpus.Read(t, "gif-animated-80x80.gif"), "w-10", &Options{MaxFrames: 2}, ErrSourceTooLarge},
		{"animation pixels", nil, testcorpus.Read(t, "gif-animated-80x80.gif"), "w-10", &Options{MaxAnimationPixels: 80 * 80 * 2}, ErrSourceTooLarge},
		{"truncated animation", nil, testcorpus.Read(t, "hostile-truncated-575x800.gif"), "w-10", nil, ErrCorrupt},
		{"named", nil, photo, "n-thumb", nil, ErrInvalidValue},
		{"extract outside", nil, photo, "w-2000,h-10,cm-extract", nil, ErrExtractOutside},
		{"output too large", nil, photo, "w-20000", nil, ErrOutputTooLarge},
		{"output pixels", nil, photo, "w-3000", &Options{MaxOutputPixels: 1_000_000}, ErrOutputTooLarge},
		{"border too large", nil, photo, "b-9000_FF0000", nil, ErrOutputTooLarge},
		{"source bytes", nil, photo, "w-10", &Options{MaxSourceBytes: 1000}, ErrSourceTooLarge},
		{"source pixels", nil, photo, "w-10", &Options{MaxSourcePixels: 1_000_000}, ErrSourceTooLarge},
		{"jpeg bomb", nil, testcorpus.Read(t, "hostile-bomb-jpeg-64250x64250.jpg"), "w-10", nil, ErrSourceTooLarge},
		{"png bomb", nil, testcorpus.Read(t, "hostile-bomb-png-65536x65536.png"), "w-10", nil, ErrSourceTooLarge},
		{"empty", nil, testcorpus.Read(t, "hostile-empty.jpg"), "w-10", nil, ErrUnknownFormat},
		{"not an image", nil, testcorpus.Read(t, "hostile-not-an-image.jpg"), "w-10", nil, ErrUnknownFormat},
		{"truncated", nil, testcorpus.Read(t, "hostile-truncated-290x442.jpg"), "w-10", nil, ErrCorrupt},
		{"svg", nil, testcorpus.Read(t, "svg-star-880x880.svg"), "w-10", nil, ErrUnsupportedFormat},
		{"heic", nil, testcorpus.Read(t, "heif-alpha-202x259.heif"), "w-10", nil, ErrUnsupportedFormat},
		{"cancelled", cancelled, photo, "w-10", nil, context.Canceled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := tc.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			res, err := Process(ctx, tc.src, mustParse(t, tc.tr), tc.opts)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Process(%q) = %v, %v; want error %v", tc.tr, res, err, tc.want)
			}
		})
	}
}

// psnr returns the peak signal-to-noise ratio of a against b over the RGB
// channels of their common area, in dB.
func psnr(a, b image.Image) float64 {
	ab, bb := a.Bounds(), b.Bounds()
	w, h := min(ab.Dx(), bb.Dx()), min(ab.Dy(), bb.Dy())
	var se float64
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p := nrgbaAt(a, x, y)
			q := nrgbaAt(b, x, y)
			for _, d := range []float64{float64(p.R) - float64(q.R), float64(p.G) - float64(q.G), float64(p.B) - float64(q.B)} {
				se += d * d
			}
		}
	}
	mse := se / float64(3*w*h)
	if mse == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/mse)
}

func TestDecodeHint(t *testing.T) {
	src := image.Pt(4000, 6000)
	tests := map[string]struct {
		tr   string
		w, h int
	}{
		"no steps":          {"", 4000, 6000},
		"downscale":         {"w-400", 401, 601},
		"crop":              {"w-400,h-400", 401, 601},
		"upscale":           {"w-8000", 4000, 6000},
		"fraction":          {"w-0.1", 4000, 6000},
		"extract":           {"w-400,h-400,cm-extract", 4000, 6000},
		"trim":              {"t-true,w-400", 4000, 6000},
		"later steps only":  {"rt-90:w-400", 4000, 6000},
		"first step counts": {"w-400:w-4000", 401, 601},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := decodeHint(mustParse(t, tc.tr), src)
			if got.Width != tc.w || got.Height != tc.h {
				t.Errorf("decodeHint(%q) = %dx%d, want %dx%d", tc.tr, got.Width, got.Height, tc.w, tc.h)
			}
		})
	}
}
