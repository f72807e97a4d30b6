package icc

import (
	"errors"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestParseCorpusProfiles(t *testing.T) {
	tests := []struct {
		file  string
		space ColorSpace
		pcs   ColorSpace
		major int
		desc  string
		srgb  bool
	}{
		{fileP3, RGB, XYZ, 4, "Display P3", false},
		{fileAdobeRGB, RGB, XYZ, 2, "Adobe RGB (1998)", false},
		{fileProPhoto, RGB, XYZ, 2, "ProPhoto RGB", false},
		{fileCMYK, CMYK, Lab, 2, "U.S. Web Coated (SWOP) v2", false},
		{fileGray, Gray, XYZ, 2, "Gray Gamma 2.2", false},
		{fileSRGB, RGB, XYZ, 2, "sRGB IEC61966-2.1", true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p, err := Parse(corpusProfile(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if major, _ := p.Version(); major != tt.major {
				t.Errorf("version %d, want %d", major, tt.major)
			}
			if p.ColorSpace() != tt.space || p.PCS() != tt.pcs {
				t.Errorf("colour space %v, PCS %v; want %v, %v", p.ColorSpace(), p.PCS(), tt.space, tt.pcs)
			}
			if p.Description() != tt.desc {
				t.Errorf("description %q, want %q", p.Description(), tt.desc)
			}
			if p.IsSRGB() != tt.srgb {
				t.Errorf("IsSRGB %v, want %v", p.IsSRGB(), tt.srgb)
			}
			tr, err := p.ToSRGB()
			if err != nil {
				t.Fatal(err)
			}
			if tr.ColorSpace() != tt.space {
				t.Errorf("transform colour space %v, want %v", tr.ColorSpace(), tt.space)
			}
		})
	}
}

// TestSRGBMatrix checks the sRGB target against the colorants of
// LittleCMS's built-in sRGB (transicc -i*sRGB -o*XYZ of the primaries,
// divided by 100). The older IEC61966-2.1 profiles round blue's Z to
// 0.7141 after a different adaptation; the difference is under 0.1 of a
// level.
func TestSRGBMatrix(t *testing.T) {
	want := mat3{
		{0.436041, 0.385113, 0.143046},
		{0.222485, 0.716905, 0.060610},
		{0.013920, 0.097067, 0.713913},
	}
	for r := range 3 {
		for c := range 3 {
			if d := math.Abs(srgbToXYZ[r][c] - want[r][c]); d > 2e-6 {
				t.Errorf("srgbToXYZ[%d][%d] = %.6f, want %.6f", r, c, srgbToXYZ[r][c], want[r][c])
			}
		}
	}
	// The sRGB white is the PCS white.
	w := srgbToXYZ.apply([3]float64{1, 1, 1})
	for k := range w {
		if math.Abs(w[k]-d50[k]) > 1e-9 {
			t.Errorf("white %v, want %v", w, d50)
		}
	}
}

// identityCheck converts every third level of each channel through tr
// and returns the largest change.
func identityCheck(t *testing.T, tr *Transform) int {
	t.Helper()
	const step = 3
	n := 256/step + 1
	img := image.NewNRGBA(image.Rect(0, 0, n*n, n))
	for b := range n {
		for g := range n {
			for r := range n {
				i := img.PixOffset(g*n+r, b)
				img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(min(r*step, 255)), uint8(min(g*step, 255)), uint8(min(b*step, 255)), 0xff
			}
		}
	}
	orig := append([]byte(nil), img.Pix...)
	tr.NRGBA(img)
	worst := 0
	for i := range orig {
		worst = max(worst, absInt(int(img.Pix[i])-int(orig[i])))
	}
	return worst
}

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func TestSRGBProfileIsIdentity(t *testing.T) {
	profiles := map[string][]byte{"synthetic": srgbProfile()}
	if b := corpusProfileIfPresent(fileSRGB); b != nil {
		profiles["corpus "+fileSRGB] = b
	}
	for name, b := range profiles {
		p, err := Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		if !p.IsSRGB() {
			t.Errorf("%s: IsSRGB false", name)
		}
		tr, err := p.ToSRGB()
		if err != nil {
			t.Fatal(err)
		}
		if d := identityCheck(t, tr); d > 1 {
			t.Errorf("%s: converting sRGB to sRGB changes a value by %d", name, d)
		}
	}
	// A wide-gamut profile is not an identity, by far.
	p, err := Parse(paraRGBProfile())
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := p.ToSRGB()
	if p.IsSRGB() || identityCheck(t, tr) < 20 {
		t.Errorf("para-rgb: IsSRGB %v, identity check passes: the check is blind", p.IsSRGB())
	}
}

// TestIsSRGBTolerance: a profile whose colorants are nudged by a small
// amount is still sRGB, one nudged by a visible amount is not.
func TestIsSRGBTolerance(t *testing.T) {
	build := func(dx float64) []byte {
		trc := paraTag(3, 2.4, 1/1.055, 0.055/1.055, 1/12.92, 0.04045)
		return buildProfile(0x02100000, "mntr", "RGB ", "XYZ ", []testTag{
			{"rXYZ", xyzTag(srgbToXYZ[0][0]+dx, srgbToXYZ[1][0], srgbToXYZ[2][0])},
			{"gXYZ", xyzTag(srgbToXYZ[0][1], srgbToXYZ[1][1], srgbToXYZ[2][1])},
			{"bXYZ", xyzTag(srgbToXYZ[0][2], srgbToXYZ[1][2], srgbToXYZ[2][2])},
			{"rTRC", trc}, {"gTRC", trc}, {"bTRC", trc},
		})
	}
	for _, tt := range []struct {
		dx   float64
		want bool
	}{{0.0005, true}, {0.01, false}} {
		p, err := Parse(build(tt.dx))
		if err != nil {
			t.Fatal(err)
		}
		if p.IsSRGB() != tt.want {
			t.Errorf("red X moved by %v: IsSRGB %v, want %v", tt.dx, p.IsSRGB(), tt.want)
		}
	}
}

func TestParaFormulas(t *testing.T) {
	// Parameters exactly representable in s15Fixed16.
	g, a, b, c, d, e, f := 2.5, 0.875, 0.125, 0.0625, 0.25, 0.03125, 0.015625
	tests := []struct {
		fn     int
		params []float64
		want   func(x float64) float64
	}{
		{0, []float64{g}, func(x float64) float64 { return math.Pow(x, g) }},
		{1, []float64{g, a, -b}, func(x float64) float64 {
			if x >= b/a {
				return math.Pow(a*x-b, g)
			}
			return 0
		}},
		{2, []float64{g, a, b, c}, func(x float64) float64 {
			if x >= -b/a {
				return math.Pow(a*x+b, g) + c
			}
			return c
		}},
		{3, []float64{g, a, b, c, d}, func(x float64) float64 {
			if x >= d {
				return math.Pow(a*x+b, g)
			}
			return c * x
		}},
		{4, []float64{g, a, b, c, d, e, f}, func(x float64) float64 {
			if x >= d {
				return math.Pow(a*x+b, g) + e
			}
			return c*x + f
		}},
	}
	for _, tt := range tests {
		cv, size, err := readCurve(paraTag(tt.fn, tt.params...))
		if err != nil {
			t.Fatal(err)
		}
		if size != 12+4*len(tt.params) {
			t.Errorf("type %d: size %d", tt.fn, size)
		}
		for i := range 1001 {
			x := float64(i) / 1000
			want := min(max(tt.want(x), 0), 1)
			if got := cv.eval(x); math.Abs(got-want) > 1e-12 {
				t.Fatalf("para type %d at %v: %v, want %v", tt.fn, x, got, want)
			}
		}
	}
	// curv: a gamma and a table, linearly interpolated.
	cv, _, err := readCurve(curvGamma(1.8))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cv.eval(0.5), math.Pow(0.5, 1.80078125); math.Abs(got-want) > 1e-12 {
		t.Errorf("curv gamma 1.8 at 0.5: %v, want %v", got, want)
	}
	cv, _, err = readCurve(curvTable([]uint16{0, 0x1000, 0xffff}))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cv.eval(0.25), float64(0x800)/65535; math.Abs(got-want) > 1e-12 {
		t.Errorf("curv table at 0.25: %v, want %v", got, want)
	}
	if got, want := cv.eval(0.75), (float64(0x1000)+float64(0xffff))/2/65535; math.Abs(got-want) > 1e-12 {
		t.Errorf("curv table at 0.75: %v, want %v", got, want)
	}
}

func TestGrayGamma22(t *testing.T) {
	p, err := Parse(grayProfile(curvGamma(2.2)))
	if err != nil {
		t.Fatal(err)
	}
	if p.IsSRGB() {
		t.Error("gamma 2.2 grey is not sRGB")
	}
	tr, err := p.ToSRGB()
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewGray(image.Rect(0, 0, 256, 1))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	tr.Gray(img)
	// u8Fixed8 stores 2.2 as 563/256.
	const gamma = 563.0 / 256
	for v := range 256 {
		lin := math.Pow(float64(v)/255, gamma)
		enc := 12.92 * lin
		if lin > 0.0031308 {
			enc = 1.055*math.Pow(lin, 1/2.4) - 0.055
		}
		if want := uint8(math.Round(255 * enc)); img.Pix[v] != want {
			t.Errorf("%d: %d, want %d", v, img.Pix[v], want)
		}
	}
	// Mid grey barely moves; shadows move a lot (LittleCMS: 129.03, 2.66).
	for _, c := range [][2]uint8{{0, 0}, {10, 3}, {128, 129}, {255, 255}} {
		if img.Pix[c[0]] != c[1] {
			t.Errorf("gamma 2.2 %d became %d, want %d", c[0], img.Pix[c[0]], c[1])
		}
	}
	// A grey profile with the sRGB curve is sRGB, and an identity.
	p, err = Parse(grayProfile(paraTag(3, 2.4, 1/1.055, 0.055/1.055, 1/12.92, 0.04045)))
	if err != nil {
		t.Fatal(err)
	}
	if !p.IsSRGB() {
		t.Error("sRGB-curve grey: IsSRGB false")
	}
	tr, _ = p.ToSRGB()
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	tr.Gray(img)
	for v, got := range img.Pix {
		if absInt(int(got)-v) > 1 {
			t.Errorf("sRGB grey %d became %d", v, got)
		}
	}
}

func TestDescription(t *testing.T) {
	twoRecords := func() []byte {
		// fr-FR first, then en-US.
		b := u32(u32(append([]byte("mluc"), 0, 0, 0, 0), 2), 12)
		b = append(b, "frFR"...)
		b = u32(u32(b, 4), 40)
		b = append(b, "enUS"...)
		b = u32(u32(b, 4), 44)
		return append(b, 0, 'F', 0, 'R', 0, 'E', 0, 'N')
	}
	for _, tt := range []struct {
		tag  []byte
		want string
	}{
		{descTag("Version 2 text"), "Version 2 text"},
		{mlucTag("Version 4 ünicode"), "Version 4 ünicode"},
		{twoRecords(), "EN"},
		{append([]byte("text\x00\x00\x00\x00"), "plain\x00"...), "plain"},
		{[]byte("desc\x00\x00\x00\x00\xff\xff\xff\xffab"), ""},
		{[]byte("mluc\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x0cenUS\x00\x00\x00\x10\xff\xff\x00\x00"), ""},
	} {
		p, err := Parse(buildProfile(0x04300000, "mntr", "GRAY", "XYZ ", []testTag{{"desc", tt.tag}, {"kTRC", curvGamma(1)}}))
		if err != nil {
			t.Fatal(err)
		}
		if p.Description() != tt.want {
			t.Errorf("description %q, want %q", p.Description(), tt.want)
		}
	}
}

func TestErrors(t *testing.T) {
	srgb := srgbProfile()
	withTag := func(sig string, data []byte) []byte {
		return buildProfile(0x02100000, "mntr", "RGB ", "XYZ ", []testTag{
			{"rXYZ", xyzTag(0.4361, 0.2225, 0.0139)},
			{"gXYZ", xyzTag(0.3851, 0.7169, 0.0971)},
			{"bXYZ", xyzTag(0.1431, 0.0606, 0.7141)},
			{"rTRC", curvGamma(2.2)}, {"gTRC", curvGamma(2.2)},
			{sig, data},
		})
	}
	badTable := append([]byte(nil), srgb...)
	badTable[128+4+4] = 0x7f // first tag's offset far outside
	noACSP := append([]byte(nil), srgb...)
	copy(noACSP[36:], "xxxx")
	malformed := map[string][]byte{
		"nil":            nil,
		"short":          srgb[:100],
		"no acsp":        noACSP,
		"tag outside":    badTable,
		"huge tag count": append(append([]byte(nil), srgb[:128]...), 0xff, 0xff, 0xff, 0xff),
		"bTRC truncated": withTag("bTRC", curvTable(make([]uint16, 10))[:20]),
		"rXYZ wrong type": buildProfile(0x02100000, "mntr", "RGB ", "XYZ ", []testTag{
			{"rXYZ", curvGamma(1)}, {"gXYZ", xyzTag(0, 1, 0)}, {"bXYZ", xyzTag(0, 0, 1)},
			{"rTRC", curvGamma(1)}, {"gTRC", curvGamma(1)}, {"bTRC", curvGamma(1)},
		}),
		"CMYK mft2 grid 1": buildProfile(0x02100000, "prtr", "CMYK", "Lab ", []testTag{
			{"A2B0", lutTag(2, 4, 1, make4(2), make([]uint16, 3), make3(2))},
		}),
		"CMYK mft2 short": buildProfile(0x02100000, "prtr", "CMYK", "Lab ", []testTag{
			{"A2B0", lutTag(2, 4, 9, make4(2), make([]uint16, 100), make3(2))},
		}),
		"CMYK LUT with 3 inputs": buildProfile(0x02100000, "prtr", "CMYK", "Lab ", []testTag{
			{"A2B0", lutTag(2, 3, 2, make3(2), make([]uint16, 24), make3(2))},
		}),
		"mAB CLUT larger than tag": buildProfile(0x04300000, "prtr", "CMYK", "Lab ", []testTag{
			{"A2B0", mABTag(4, [][]byte{curvIdentity(), curvIdentity(), curvIdentity()}, nil, nil,
				[]int{200, 200, 200, 200}, 2, make([]uint16, 30),
				[][]byte{curvIdentity(), curvIdentity(), curvIdentity(), curvIdentity()})},
		}),
	}
	for name, b := range malformed {
		p, err := Parse(b)
		if !errors.Is(err, ErrMalformed) || p != nil {
			t.Errorf("%s: Parse gave %v, %v; want ErrMalformed", name, p, err)
		}
	}
	unsupported := map[string][]byte{
		"Lab colour space":  buildProfile(0x02100000, "spac", "Lab ", "Lab ", nil),
		"device link":       buildProfile(0x02100000, "link", "RGB ", "CMYK", nil),
		"RGB without tags":  buildProfile(0x02100000, "mntr", "RGB ", "XYZ ", nil),
		"RGB missing bTRC":  withTag("desc", descTag("x")),
		"CMYK without A2B":  buildProfile(0x02100000, "prtr", "CMYK", "Lab ", nil),
		"para type 7":       withTag("bTRC", paraTag(7, 1, 1, 1, 1, 1, 1, 1, 1)),
		"bTRC unknown type": withTag("bTRC", []byte("xxxxxxxxxxxx")),
		"CMYK LUT, PCS is CMYK": buildProfile(0x02100000, "prtr", "CMYK", "CMYK", []testTag{
			{"A2B0", lutTag(2, 4, 2, make4(2), make([]uint16, 48), make3(2))},
		}),
		"mBA as A2B0": buildProfile(0x02100000, "prtr", "CMYK", "Lab ", []testTag{
			{"A2B0", append([]byte("mBA "), make([]byte, 40)...)},
		}),
	}
	for name, b := range unsupported {
		p, err := Parse(b)
		if err != nil {
			t.Errorf("%s: Parse: %v", name, err)
			continue
		}
		if p.IsSRGB() {
			t.Errorf("%s: IsSRGB true", name)
		}
		tr, err := p.ToSRGB()
		if !errors.Is(err, ErrUnsupported) || tr != nil {
			t.Errorf("%s: ToSRGB gave %v, %v; want ErrUnsupported", name, tr, err)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "icc: ") && !strings.Contains(err.Error(), ": icc: ") {
			t.Errorf("%s: error %q does not name the package", name, err)
		}
	}
}

func make3(n int) [][]uint16 { return [][]uint16{lin(n), lin(n), lin(n)} }
func make4(n int) [][]uint16 { return [][]uint16{lin(n), lin(n), lin(n), lin(n)} }
func lin(n int) []uint16     { return sampleTable(n, func(x float64) float64 { return x }) }

func TestColorSpaceString(t *testing.T) {
	for c, want := range map[ColorSpace]string{
		RGB: "RGB", Gray: "Gray", CMYK: "CMYK", XYZ: "XYZ", Lab: "Lab",
		0x59436272: "YCbr", 0x00000001: "0x00000001",
	} {
		if got := c.String(); got != want {
			t.Errorf("%#x: %q, want %q", uint32(c), got, want)
		}
	}
}

func corpusTransform(t testing.TB, name string) *Transform {
	t.Helper()
	p, err := Parse(corpusProfile(t, name))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := p.ToSRGB()
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func randomYCbCr(rng *rand.Rand, r image.Rectangle, ratio image.YCbCrSubsampleRatio) *image.YCbCr {
	img := image.NewYCbCr(r, ratio)
	for _, p := range [][]byte{img.Y, img.Cb, img.Cr} {
		for i := range p {
			p[i] = uint8(rng.IntN(256))
		}
	}
	return img
}

// TestYCbCrMatchesNRGBA: the YCbCr path equals converting to RGB the way
// image.YCbCr.At and color.YCbCrToRGB do, then the NRGBA path, for every
// subsampling and an odd, offset rectangle.
func TestYCbCrMatchesNRGBA(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	tr := corpusTransform(t, fileAdobeRGB)
	lut := func() *Transform {
		p, err := Parse(mft2RGBProfile())
		if err != nil {
			t.Fatal(err)
		}
		tr, _ := p.ToSRGB()
		return tr
	}()
	for _, ratio := range []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	} {
		r := image.Rect(-7, 3, 30, 24)
		src := randomYCbCr(rng, r, ratio)
		for name, tr := range map[string]*Transform{"matrix": tr, "lut": lut} {
			got := tr.YCbCr(src)
			want := image.NewNRGBA(r)
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					c := src.YCbCrAt(x, y)
					rr, gg, bb := color.YCbCrToRGB(c.Y, c.Cb, c.Cr)
					want.SetNRGBA(x, y, color.NRGBA{rr, gg, bb, 0xff})
				}
			}
			tr.NRGBA(want)
			if got.Rect != r || string(got.Pix) != string(want.Pix) {
				t.Errorf("%v %s: YCbCr path differs from YCbCrToRGB + NRGBA", ratio, name)
			}
		}
	}
}

// TestParallelMatchesSerial converts an image large enough to be split
// across goroutines and compares it with converting each row on its own.
func TestParallelMatchesSerial(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	r := image.Rect(0, 0, 700, 400)
	if r.Dx()*r.Dy() < minParallelPixels {
		t.Fatal("image too small to be split")
	}
	tr := corpusTransform(t, fileP3)
	src := image.NewNRGBA(r)
	for i := range src.Pix {
		src.Pix[i] = uint8(rng.IntN(256))
	}
	whole := image.NewNRGBA(r)
	copy(whole.Pix, src.Pix)
	tr.NRGBA(whole)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := src.SubImage(image.Rect(r.Min.X, y, r.Max.X, y+1)).(*image.NRGBA)
		tr.NRGBA(row)
	}
	if string(whole.Pix) != string(src.Pix) {
		t.Error("split conversion differs from row-by-row conversion")
	}

	ycc := randomYCbCr(rng, r, image.YCbCrSubsampleRatio420)
	got := tr.YCbCr(ycc)
	for _, y := range []int{0, 1, 199, 200, 399} {
		row := tr.YCbCr(ycc.SubImage(image.Rect(0, y, 700, y+1)).(*image.YCbCr))
		if string(row.Pix) != string(got.Pix[y*got.Stride:(y+1)*got.Stride]) {
			t.Errorf("YCbCr row %d differs between split and single-row conversion", y)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	tr := corpusTransform(t, fileCMYK)
	rng := rand.New(rand.NewPCG(5, 6))
	src := image.NewCMYK(image.Rect(0, 0, 64, 64))
	for i := range src.Pix {
		src.Pix[i] = uint8(rng.IntN(256))
	}
	want := tr.CMYK(src)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 20 {
				if got := tr.CMYK(src); string(got.Pix) != string(want.Pix) {
					t.Error("concurrent conversion differs")
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestMismatchedMethods: a method that does not fit the profile converts
// without colour management or leaves the image alone, as documented.
func TestMismatchedMethods(t *testing.T) {
	rgb := corpusTransform(t, fileAdobeRGB)
	cmyk := corpusTransform(t, fileCMYK)
	gray := corpusTransform(t, fileGray)

	px := image.NewNRGBA(image.Rect(0, 0, 2, 1))
	copy(px.Pix, []byte{10, 20, 30, 40, 128, 128, 128, 255})
	orig := append([]byte(nil), px.Pix...)
	cmyk.NRGBA(px)
	if string(px.Pix) != string(orig) {
		t.Error("CMYK transform changed an NRGBA image")
	}
	gray.NRGBA(px)
	ref := image.NewGray(image.Rect(0, 0, 4, 1))
	copy(ref.Pix, []byte{10, 20, 30, 128})
	gray.Gray(ref)
	v := ref.Pix
	if want := []byte{v[0], v[1], v[2], 40, v[3], v[3], v[3], 255}; string(px.Pix) != string(want) || v[0] == 10 {
		t.Errorf("grey transform on NRGBA: %v, want %v", px.Pix, want)
	}

	g := image.NewGray(image.Rect(0, 0, 2, 1))
	copy(g.Pix, []byte{10, 128})
	rgb.Gray(g)
	cmyk.Gray(g)
	if g.Pix[0] != 10 || g.Pix[1] != 128 {
		t.Error("non-grey transform changed a grey image")
	}

	c := image.NewCMYK(image.Rect(0, 0, 1, 1))
	copy(c.Pix, []byte{10, 200, 30, 40})
	r, gg, b := color.CMYKToRGB(10, 200, 30, 40)
	for _, tr := range []*Transform{rgb, gray} {
		if got := tr.CMYK(c).Pix; got[0] != r || got[1] != gg || got[2] != b || got[3] != 0xff {
			t.Errorf("non-CMYK transform on CMYK: %v, want %v %v %v 255", got, r, gg, b)
		}
	}

	y := image.NewYCbCr(image.Rect(0, 0, 1, 1), image.YCbCrSubsampleRatio444)
	y.Y[0], y.Cb[0], y.Cr[0] = 100, 90, 200
	r, gg, b = color.YCbCrToRGB(100, 90, 200)
	for _, tr := range []*Transform{cmyk, gray} {
		if got := tr.YCbCr(y).Pix; got[0] != r || got[1] != gg || got[2] != b || got[3] != 0xff {
			t.Errorf("non-RGB transform on YCbCr: %v, want %v %v %v 255", got, r, gg, b)
		}
	}
}

func TestShortPixPanics(t *testing.T) {
	tr := corpusTransform(t, fileP3)
	defer func() {
		if recover() == nil {
			t.Error("no panic for a Pix shorter than its Rect")
		}
	}()
	tr.NRGBA(&image.NRGBA{Pix: make([]byte, 10), Stride: 40, Rect: image.Rect(0, 0, 10, 10)})
}

func TestEmptyImages(t *testing.T) {
	tr := corpusTransform(t, fileP3)
	tr.NRGBA(&image.NRGBA{})
	if out := tr.YCbCr(&image.YCbCr{}); out.Bounds() != (image.Rectangle{}) {
		t.Error("empty YCbCr gave a non-empty image")
	}
	tr.Gray(&image.Gray{})
	if out := tr.CMYK(&image.CMYK{}); out.Bounds() != (image.Rectangle{}) {
		t.Error("empty CMYK gave a non-empty image")
	}
}

func TestGridSizes(t *testing.T) {
	for _, tt := range []struct {
		nIn  int
		grid []int
		want []int
	}{
		{4, []int{9, 9, 9, 9}, []int{17, 17, 17, 17}},     // SWOP: each cell halved
		{4, []int{7, 7, 7, 7}, []int{19, 19, 19, 19}},     // thirds
		{4, []int{33, 33, 33, 33}, []int{17, 17, 17, 17}}, // too big to align: fall back
		{4, []int{5, 4, 6, 3}, []int{17, 22, 36, 15}},     // one factor (7) on M, Y, K
		{3, []int{17, 17, 17}, []int{33, 33, 33}},
		{3, []int{2, 2, 2}, []int{33, 33, 33}},
		{3, []int{40, 40, 40}, []int{40, 40, 40}},
	} {
		l := &lutPipeline{nIn: tt.nIn, clut: &clut{nIn: tt.nIn, nOut: 3}}
		copy(l.clut.grid[:], tt.grid)
		got := gridSizes(l)
		if !slices.Equal(got[:tt.nIn], tt.want) {
			t.Errorf("grid %v: sizes %v, want %v", tt.grid, got[:tt.nIn], tt.want)
		}
	}
}
