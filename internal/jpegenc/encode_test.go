package jpegenc

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/color/palette"
	"image/draw"
	"image/jpeg"
	"maps"
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// TestEncodeCorpus encodes corpus photos and holds the results to the
// standard library's encoder at the same quality: no more than 0.5 dB worse
// in PSNR and no more than 3% larger.
func TestEncodeCorpus(t *testing.T) {
	photos := map[string]func(testing.TB) image.Image{
		"1920x1080-ycbcr": func(tb testing.TB) image.Image { return photo1080(tb) },
		"2000x1333-rgba": func(tb testing.TB) image.Image {
			return toRGBA(decodeCorpus(tb, "jpeg-photo-2000x1333.jpg"))
		},
	}
	for name, load := range photos {
		t.Run(name, func(t *testing.T) {
			src := load(t)
			for _, q := range []int{50, 80, 90, 95} {
				var std bytes.Buffer
				if err := jpeg.Encode(&std, src, &jpeg.Options{Quality: q}); err != nil {
					t.Fatal(err)
				}
				stdPSNR := psnr(src, decode(t, std.Bytes()))
				var baseline image.Image
				for _, prog := range []bool{false, true} {
					o := &Options{Quality: q, Progressive: prog}
					var buf bytes.Buffer
					if err := Encode(&buf, src, o); err != nil {
						t.Fatalf("Encode(q%d, progressive %v): %v", q, prog, err)
					}
					f := parseFrame(t, buf.Bytes())
					if want := sofFor(prog); f.sof != want {
						t.Errorf("q%d progressive %v: SOF %#x, want %#x", q, prog, f.sof, want)
					}
					got := decode(t, buf.Bytes())
					p := psnr(src, got)
					ratio := float64(buf.Len()) / float64(std.Len())
					t.Logf("q%d progressive=%-5v size %7d (stdlib %7d, %+.1f%%) PSNR %.2f dB (stdlib %.2f)",
						q, prog, buf.Len(), std.Len(), 100*(ratio-1), p, stdPSNR)
					if p < stdPSNR-0.5 {
						t.Errorf("q%d progressive %v: PSNR %.2f dB, stdlib %.2f dB", q, prog, p, stdPSNR)
					}
					if ratio > 1.03 {
						t.Errorf("q%d progressive %v: %d bytes, %.1f%% more than stdlib's %d", q, prog, buf.Len(), 100*(ratio-1), std.Len())
					}
					if prog {
						if p := psnr(baseline, got); !math.IsInf(p, 1) {
							t.Errorf("q%d: progressive decodes differently from baseline (PSNR %.2f dB between them)", q, p)
						}
					} else {
						baseline = got
					}
					if lj := djpeg(t, buf.Bytes()); lj != nil {
						if p := psnr(got, lj); p < 40 {
							t.Errorf("q%d progressive %v: djpeg and image/jpeg disagree: PSNR %.2f dB", q, prog, p)
						}
					}
				}
			}
		})
	}
}

func sofFor(progressive bool) byte {
	if progressive {
		return 0xc2
	}
	return 0xc0
}

// gradient draws a smooth test picture with a few hard edges.
func gradient(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			r := uint8(255 * x / max(w-1, 1))
			g := uint8(255 * y / max(h-1, 1))
			b := uint8(128 + 100*math.Sin(float64(x+y)/7))
			if (x/5+y/3)%4 == 0 {
				r, g = g, r
			}
			m.SetRGBA(x, y, color.RGBA{r, g, b, 255})
		}
	}
	return m
}

// inputs builds the test picture of size w×h in every image type Encode
// distinguishes.
func inputs(w, h int) map[string]image.Image {
	src := gradient(w, h)
	in := map[string]image.Image{"rgba": src}

	nrgba := image.NewNRGBA(src.Rect)
	draw.Draw(nrgba, nrgba.Rect, src, image.Point{}, draw.Src)
	in["nrgba"] = nrgba

	gray := image.NewGray(src.Rect)
	draw.Draw(gray, gray.Rect, src, image.Point{}, draw.Src)
	in["gray"] = gray

	gray16 := image.NewGray16(src.Rect)
	draw.Draw(gray16, gray16.Rect, src, image.Point{}, draw.Src)
	in["gray16"] = gray16

	rgba64 := image.NewRGBA64(src.Rect)
	draw.Draw(rgba64, rgba64.Rect, src, image.Point{}, draw.Src)
	in["rgba64"] = rgba64

	pal := image.NewPaletted(src.Rect, palette.Plan9)
	draw.Draw(pal, pal.Rect, src, image.Point{}, draw.Src)
	in["paletted"] = pal

	for _, r := range []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio444,
		image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio440,
	} {
		in["ycbcr"+r.String()[len("YCbCrSubsampleRatio"):]] = toYCbCr(src, r)
	}

	// Views into larger images, at odd origins.
	bigger := image.Rect(-3, -5, w+4, h+4)
	rgbaView := image.NewRGBA(bigger)
	draw.Draw(rgbaView, src.Rect.Add(image.Pt(1, 1)), src, image.Point{}, draw.Src)
	in["rgba-view"] = rgbaView.SubImage(src.Rect.Add(image.Pt(1, 1)))
	ycc := toYCbCr(rgbaView, image.YCbCrSubsampleRatio420)
	in["ycbcr420-view-odd"] = ycc.SubImage(src.Rect.Add(image.Pt(1, 1)))
	in["ycbcr420-view-even"] = ycc.SubImage(src.Rect.Add(image.Pt(2, 2)))
	in["ycbcr420-view-negative"] = ycc.SubImage(src.Rect.Add(image.Pt(-2, -4)))
	return in
}

// toYCbCr converts m to an *image.YCbCr with the given subsampling, each
// chroma sample taken from the top-left pixel it covers.
func toYCbCr(m image.Image, r image.YCbCrSubsampleRatio) *image.YCbCr {
	b := m.Bounds()
	y := image.NewYCbCr(b, r)
	for py := b.Min.Y; py < b.Max.Y; py++ {
		for px := b.Min.X; px < b.Max.X; px++ {
			c := color.YCbCrModel.Convert(m.At(px, py)).(color.YCbCr)
			y.Y[y.YOffset(px, py)] = c.Y
			ci := y.COffset(px, py)
			y.Cb[ci], y.Cr[ci] = c.Cb, c.Cr
		}
	}
	return y
}

// modes are the encoder configurations the synthetic tests run.
var modes = map[string]func(c *config){
	"baseline":          func(c *config) {},
	"baseline-standard": func(c *config) { c.optimise = false },
	"progressive":       func(c *config) { c.progressive = true },
	"progressive-spectral": func(c *config) {
		c.progressive = true
		c.script = scriptSpectral(c)
	},
}

// twins are configurations that must give the same bytes as one in modes:
// splitting the work among goroutines must not change the output.
var twins = map[string]struct {
	of  string
	cfg func(c *config)
}{
	"baseline-parallel":  {"baseline", func(c *config) { c.workers, c.forceParallel = 3, true }},
	"progressive-serial": {"progressive", func(c *config) { c.progressive, c.workers = true, 1 }},
}

// scriptSpectral is a progressive script with spectral selection only.
func scriptSpectral(c *config) []scan {
	return []scan{
		{[]int{0, 1, 2}, 0, 0, 0, 0},
		{[]int{0}, 1, 5, 0, 0},
		{[]int{2}, 1, 63, 0, 0},
		{[]int{1}, 1, 63, 0, 0},
		{[]int{0}, 6, 63, 0, 0},
	}
}

// TestEncodeSynthetic encodes small pictures of odd sizes, of every input
// type, in every mode, at extreme and ordinary qualities, and checks that
// both image/jpeg and djpeg decode them, that progressive and baseline
// output decode to the same pixels, and that quality 100 is close to the
// source.
func TestEncodeSynthetic(t *testing.T) {
	sizes := []image.Point{{1, 1}, {17, 9}, {1, 300}, {300, 1}, {33, 47}, {64, 48}}
	for _, size := range sizes {
		t.Run(fmt.Sprintf("%dx%d", size.X, size.Y), func(t *testing.T) {
			t.Parallel()
			for name, img := range inputs(size.X, size.Y) {
				gray := name == "gray" || name == "gray16"
				for _, sub := range []Subsampling{Subsample420, Subsample444} {
					for _, q := range []int{1, 75, 100} {
						c := synthCase{name: name, img: img, sub: sub, q: q, gray: gray}
						c.run(t)
					}
				}
			}
		})
	}
}

// synthCase is one picture at one subsampling and quality.
type synthCase struct {
	name string
	img  image.Image
	sub  Subsampling
	q    int
	gray bool
}

func (c *synthCase) encode(t *testing.T, desc string, mode func(*config)) []byte {
	t.Helper()
	cfg, err := (&Options{Quality: c.q, Subsampling: c.sub}).config()
	if err != nil {
		t.Fatal(err)
	}
	mode(&cfg)
	var buf bytes.Buffer
	if err := encode(&buf, c.img, cfg); err != nil {
		t.Fatalf("%s: %v", desc, err)
	}
	checkSynthetic(t, desc, buf.Bytes(), c.img, &cfg, c.gray)
	return buf.Bytes()
}

func (c *synthCase) run(t *testing.T) {
	out := map[string][]byte{}
	var ref image.Image // the decoded baseline output
	minPSNR := 40.0
	if c.q == 100 && c.sub == Subsample420 && !c.gray {
		// The test picture's sharp colour edges suffer from 4:2:0; hold
		// the result to the standard library's instead.
		var std bytes.Buffer
		if err := jpeg.Encode(&std, c.img, &jpeg.Options{Quality: 100}); err != nil {
			t.Fatal(err)
		}
		minPSNR = min(minPSNR, psnr(c.img, decode(t, std.Bytes()))-0.5)
	}
	for _, mode := range slices.Sorted(maps.Keys(modes)) {
		if c.gray && mode == "progressive-spectral" {
			continue
		}
		desc := fmt.Sprintf("%s %v q%d %s", c.name, c.sub, c.q, mode)
		data := c.encode(t, desc, modes[mode])
		out[mode] = data
		if lj := djpeg(t, data); lj != nil {
			checkAgree(t, desc, data, lj)
		}
		got := decode(t, data)
		if ref == nil {
			ref = got
		} else if p := psnr(ref, got); !math.IsInf(p, 1) {
			t.Errorf("%s: decodes differently from baseline: PSNR %.2f dB", desc, p)
		}
		if p := psnr(c.img, got); c.q == 100 && p < minPSNR {
			t.Errorf("%s: PSNR %.2f dB, want at least %.2f", desc, p, minPSNR)
		}
	}
	for name, tw := range twins {
		desc := fmt.Sprintf("%s %v q%d %s", c.name, c.sub, c.q, name)
		if data := c.encode(t, desc, tw.cfg); !bytes.Equal(data, out[tw.of]) {
			t.Errorf("%s: output differs from %s", desc, tw.of)
		}
	}
}

// checkSynthetic checks the frame header of one synthetic output and that
// image/jpeg decodes it.
func checkSynthetic(t *testing.T, desc string, data []byte, img image.Image, cfg *config, gray bool) {
	t.Helper()
	f := parseFrame(t, data)
	b := img.Bounds()
	if f.sof != sofFor(cfg.progressive) || f.w != b.Dx() || f.h != b.Dy() {
		t.Errorf("%s: SOF %#x %dx%d, want %#x %dx%d", desc, f.sof, f.w, f.h, sofFor(cfg.progressive), b.Dx(), b.Dy())
	}
	var want []byte
	switch {
	case gray:
		want = []byte{0x11}
	case cfg.sub == Subsample420:
		want = []byte{0x22, 0x11, 0x11}
	default:
		want = []byte{0x11, 0x11, 0x11}
	}
	if !bytes.Equal(f.comps, want) {
		t.Errorf("%s: sampling factors % x, want % x", desc, f.comps, want)
	}
	got := decode(t, data)
	if _, isGray := got.(*image.Gray); isGray != gray {
		t.Errorf("%s: decoded as %T", desc, got)
	}
}

// checkAgree checks that djpeg's decoding lj of data matches image/jpeg's.
func checkAgree(t *testing.T, desc string, data []byte, lj image.Image) {
	t.Helper()
	got := decode(t, data)
	if lj.Bounds() != got.Bounds() {
		t.Fatalf("%s: djpeg bounds %v, image/jpeg %v", desc, lj.Bounds(), got.Bounds())
	}
	if p := psnr(got, lj); p < 30 {
		t.Errorf("%s: djpeg and image/jpeg disagree: PSNR %.2f dB", desc, p)
	}
}

// TestQuantTables checks the DQT segment against the IJG scaling of the
// Annex K tables.
func TestQuantTables(t *testing.T) {
	tests := map[string]struct {
		q              int
		luma0, chroma0 byte // first entries
		luma63         byte // last entry
	}{
		"q1":   {1, 255, 255, 255},
		"q50":  {50, 16, 17, 99},
		"q75":  {75, 8, 9, 50},
		"q90":  {90, 3, 3, 20},
		"q100": {100, 1, 1, 1},
		"zero": {0, 8, 9, 50}, // the default, 75
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Encode(&buf, gradient(8, 8), &Options{Quality: tc.q}); err != nil {
				t.Fatal(err)
			}
			data := buf.Bytes()
			i := bytes.Index(data, []byte{0xff, 0xdb})
			if i < 0 {
				t.Fatal("no DQT")
			}
			luma, chroma := data[i+5:i+69], data[i+70:i+134]
			if luma[0] != tc.luma0 || chroma[0] != tc.chroma0 || luma[63] != tc.luma63 {
				t.Errorf("quality %d: tables start %d, %d, luma ends %d; want %d, %d, %d",
					tc.q, luma[0], chroma[0], luma[63], tc.luma0, tc.chroma0, tc.luma63)
			}
		})
	}
}

// TestSegments checks that extra segments follow the JFIF segment in order,
// and that an APP0 of the caller's replaces the JFIF segment.
func TestSegments(t *testing.T) {
	exif := append([]byte{0xff, 0xe1, 0, 12}, "Exif\x00\x00abcd"...)
	com := append([]byte{0xff, 0xfe, 0, 7}, "hello"...)
	app0 := append([]byte{0xff, 0xe0, 0, 16}, "JFIF\x00\x01\x02\x00\x00\x01\x00\x01\x00\x00"...)
	tests := map[string]struct {
		segs    [][]byte
		markers []byte
	}{
		"none":       {nil, []byte{0xd8, 0xe0, 0xdb, 0xc0}},
		"exif+com":   {[][]byte{exif, com}, []byte{0xd8, 0xe0, 0xe1, 0xfe, 0xdb, 0xc0}},
		"own app0":   {[][]byte{app0, exif}, []byte{0xd8, 0xe0, 0xe1, 0xdb, 0xc0}},
		"empty exif": {[][]byte{{0xff, 0xe1, 0, 2}}, []byte{0xd8, 0xe0, 0xe1, 0xdb, 0xc0}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Encode(&buf, gradient(9, 9), &Options{Segments: tc.segs}); err != nil {
				t.Fatal(err)
			}
			f := parseFrame(t, buf.Bytes())
			if got := f.markers[:len(tc.markers)]; !bytes.Equal(got, tc.markers) {
				t.Errorf("markers % X, want % X first", f.markers, tc.markers)
			}
			for _, s := range tc.segs {
				if !bytes.Contains(buf.Bytes(), s) {
					t.Errorf("segment % X missing", s[:4])
				}
			}
			decode(t, buf.Bytes())
		})
	}
}

// TestInvalid checks the errors for options and images Encode refuses.
func TestInvalid(t *testing.T) {
	tests := map[string]struct {
		img  image.Image
		o    *Options
		want error
	}{
		"quality -1":       {gradient(4, 4), &Options{Quality: -1}, ErrInvalidOptions},
		"quality 101":      {gradient(4, 4), &Options{Quality: 101}, ErrInvalidOptions},
		"subsampling":      {gradient(4, 4), &Options{Subsampling: 7}, ErrInvalidOptions},
		"short segment":    {gradient(4, 4), &Options{Segments: [][]byte{{0xff, 0xe1, 0}}}, ErrInvalidOptions},
		"not APPn":         {gradient(4, 4), &Options{Segments: [][]byte{{0xff, 0xdb, 0, 2}}}, ErrInvalidOptions},
		"bad length":       {gradient(4, 4), &Options{Segments: [][]byte{{0xff, 0xe2, 0, 9, 1}}}, ErrInvalidOptions},
		"empty":            {image.NewRGBA(image.Rect(3, 3, 3, 9)), nil, ErrInvalidImage},
		"too wide":         {hugeImage{image.Rect(0, 0, 70000, 10)}, nil, ErrInvalidImage},
		"too tall":         {hugeImage{image.Rect(0, 0, 10, 65536)}, nil, ErrInvalidImage},
		"largest accepted": {nil, nil, nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if tc.img == nil {
				return
			}
			err := Encode(new(bytes.Buffer), tc.img, tc.o)
			if !errors.Is(err, tc.want) {
				t.Errorf("Encode = %v, want %v", err, tc.want)
			}
		})
	}
}

// hugeImage has bounds but no pixels worth reading.
type hugeImage struct{ r image.Rectangle }

func (h hugeImage) ColorModel() color.Model { return color.RGBAModel }
func (h hugeImage) Bounds() image.Rectangle { return h.r }
func (h hugeImage) At(x, y int) color.Color { return color.RGBA{} }

// TestWriteError checks that a failing writer's error comes back wrapped.
func TestWriteError(t *testing.T) {
	boom := errors.New("boom")
	for _, prog := range []bool{false, true} {
		for _, limit := range []int{0, 100, 70000} {
			w := &failWriter{limit: limit, err: boom}
			err := Encode(w, gradient(700, 500), &Options{Progressive: prog, Quality: 100})
			if !errors.Is(err, boom) {
				t.Errorf("progressive %v, fail after %d bytes: Encode = %v, want %v", prog, limit, err, boom)
			}
		}
	}
}

type failWriter struct {
	n, limit int
	err      error
}

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n+len(p) > w.limit {
		return 0, w.err
	}
	w.n += len(p)
	return len(p), nil
}

// TestAlphaIgnored checks that translucent NRGBA pixels are encoded with
// their colour as if they were opaque.
func TestAlphaIgnored(t *testing.T) {
	src := gradient(32, 32)
	nrgba := image.NewNRGBA(src.Rect)
	draw.Draw(nrgba, nrgba.Rect, src, image.Point{}, draw.Src)
	for i := 3; i < len(nrgba.Pix); i += 4 {
		nrgba.Pix[i] = 10
	}
	var a, b bytes.Buffer
	if err := Encode(&a, src, nil); err != nil {
		t.Fatal(err)
	}
	if err := Encode(&b, nrgba, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("NRGBA with alpha 10 encodes differently from the opaque RGBA")
	}
}

// TestParallelStatistics checks that splitting the transform among
// goroutines gives the same coefficients and baseline statistics as one.
func TestParallelStatistics(t *testing.T) {
	img := gradient(333, 277)
	var want encoder
	for _, workers := range []int{1, 2, 3, 7} {
		cfg, _ := (&Options{}).config()
		cfg.workers, cfg.forceParallel = workers, true
		e := new(encoder)
		e.cfg = cfg
		src, gray := newSource(img, cfg.sub, &e.sources)
		e.layout(img.Bounds(), gray)
		e.quant[0].init(0, cfg.quality)
		e.quant[1].init(1, cfg.quality)
		e.transform(src)
		if workers == 1 {
			want = *e
			continue
		}
		if !slices.Equal(e.coef, want.coef) || !slices.Equal(e.mask, want.mask) {
			t.Errorf("%d workers: coefficients differ", workers)
		}
		if e.freq != want.freq {
			t.Errorf("%d workers: statistics differ", workers)
		}
	}
}

// TestAllocs checks that encoding reuses its buffers: what remains are the
// few small allocations of starting goroutines.
func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop buffers")
	}
	img := toYCbCr(gradient(400, 300), image.YCbCrSubsampleRatio420)
	for _, prog := range []bool{false, true} {
		o := &Options{Progressive: prog}
		var buf bytes.Buffer
		encode := func() {
			buf.Reset()
			if err := Encode(&buf, img, o); err != nil {
				t.Fatal(err)
			}
		}
		// A garbage collection empties the pool, and one may start during
		// any round when other tests run in parallel: the best of a few
		// rounds shows what a warm encoder allocates.
		n := testing.AllocsPerRun(10, encode)
		bytes := uint64(1 << 62)
		for range 5 {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for range 10 {
				encode()
			}
			runtime.ReadMemStats(&after)
			bytes = min(bytes, (after.TotalAlloc-before.TotalAlloc)/10)
			if bytes <= 4096 {
				break
			}
		}
		if n > 10 || bytes > 4096 {
			t.Errorf("progressive %v: %.0f allocations, %d bytes per Encode; want at most 10 and 4096", prog, n, bytes)
		}
	}
}

// TestGrayCorpus encodes a gray corpus photo as a one-component file.
func TestGrayCorpus(t *testing.T) {
	m, err := jpeg.Decode(bytes.NewReader(testcorpus.Read(t, "jpeg-gray-icc-400x267.jpg")))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.(*image.Gray); !ok {
		t.Fatalf("corpus file decodes as %T", m)
	}
	for _, prog := range []bool{false, true} {
		var buf bytes.Buffer
		if err := Encode(&buf, m, &Options{Quality: 90, Progressive: prog}); err != nil {
			t.Fatal(err)
		}
		if f := parseFrame(t, buf.Bytes()); len(f.comps) != 1 {
			t.Errorf("progressive %v: %d components, want 1", prog, len(f.comps))
		}
		got := decode(t, buf.Bytes())
		if p := psnr(m, got); p < 40 {
			t.Errorf("progressive %v: PSNR %.2f dB", prog, p)
		}
		if lj := djpeg(t, buf.Bytes()); lj != nil {
			if p := psnr(got, lj); p < 40 {
				t.Errorf("progressive %v: djpeg and image/jpeg disagree: PSNR %.2f dB", prog, p)
			}
		}
	}
}
