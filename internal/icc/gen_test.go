package icc

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/image/tiff"
)

// Regenerate testdata/lcms.json with
//
//	go test ./internal/icc -run TestGenerateLCMS -update-lcms
//
// It needs transicc from liblcms2-utils (LittleCMS 2) on the PATH; see
// testdata/README.md.
var updateLCMS = flag.Bool("update-lcms", false, "regenerate testdata/lcms.json with transicc (LittleCMS)")

const goldenPath = "testdata/lcms.json"

// goldens is the content of testdata/lcms.json.
type goldens struct {
	Note      string        `json:"note"`
	Command   string        `json:"command"`
	LCMS      string        `json:"lcms"`
	Images    []goldenImage `json:"images"`
	Synthetic []goldenSynth `json:"synthetic"`
}

// goldenImage holds the reference patches of one corpus image.
type goldenImage struct {
	File    string        `json:"file"`
	Patches []goldenPatch `json:"patches"`
}

// goldenPatch is a box of the decoded (upright) image with the mean of
// its pixels: as decoded and shown without colour management (Input;
// CMYK naively converted to RGB), and converted by LittleCMS (LCMS).
type goldenPatch struct {
	X     int        `json:"x"`
	Y     int        `json:"y"`
	W     int        `json:"w"`
	H     int        `json:"h"`
	Input [3]float64 `json:"input"`
	LCMS  [3]float64 `json:"lcms"`
}

// goldenSynth holds device colours (8-bit) and what LittleCMS converts
// them to, for one synthetic profile.
type goldenSynth struct {
	Name   string       `json:"name"`
	Inputs [][]int      `json:"inputs"`
	LCMS   [][3]float64 `json:"lcms"`
}

func readGoldens(tb testing.TB) *goldens {
	tb.Helper()
	b, err := os.ReadFile(goldenPath)
	if err != nil {
		tb.Fatalf("read goldens: %v", err)
	}
	var g goldens
	if err := json.Unmarshal(b, &g); err != nil {
		tb.Fatalf("parse %s: %v", goldenPath, err)
	}
	return &g
}

// pixelAt returns the device values of the pixel at x, y (RGB for YCbCr,
// one value for grey, CMYK for CMYK) and its unmanaged RGB rendering.
func pixelAt(img image.Image, x, y int) (dev []int, rgb [3]uint8) {
	switch m := img.(type) {
	case *image.YCbCr:
		yo, co := m.YOffset(x, y), m.COffset(x, y)
		r, g, b := color.YCbCrToRGB(m.Y[yo], m.Cb[co], m.Cr[co])
		return []int{int(r), int(g), int(b)}, [3]uint8{r, g, b}
	case *image.Gray:
		v := m.Pix[m.PixOffset(x, y)]
		return []int{int(v)}, [3]uint8{v, v, v}
	case *image.NRGBA:
		p := m.Pix[m.PixOffset(x, y):]
		return []int{int(p[0]), int(p[1]), int(p[2])}, [3]uint8{p[0], p[1], p[2]}
	case *image.CMYK:
		p := m.Pix[m.PixOffset(x, y):]
		r, g, b := color.CMYKToRGB(p[0], p[1], p[2], p[3])
		return []int{int(p[0]), int(p[1]), int(p[2]), int(p[3])}, [3]uint8{r, g, b}
	}
	panic(fmt.Sprintf("unexpected image type %T", img))
}

// choosePatches picks n boxes of size×size pixels of varied colour: among
// boxes on a regular grid, the most saturated first, then each time the
// box whose mean colour is farthest from those already chosen.
func choosePatches(img image.Image, n, size int) []image.Rectangle {
	b := img.Bounds()
	type cand struct {
		r    image.Rectangle
		mean [3]float64
	}
	var cands []cand
	step := max(b.Dx(), b.Dy()) / 28
	for y := b.Min.Y + step/2; y+size <= b.Max.Y; y += step {
		for x := b.Min.X + step/2; x+size <= b.Max.X; x += step {
			r := image.Rect(x, y, x+size, y+size)
			cands = append(cands, cand{r, meanRGB(img, r)})
		}
	}
	sat := func(m [3]float64) float64 {
		return max(m[0], m[1], m[2]) - min(m[0], m[1], m[2])
	}
	best := 0
	for i, c := range cands {
		if sat(c.mean) > sat(cands[best].mean) {
			best = i
		}
	}
	chosen := []cand{cands[best]}
	for len(chosen) < n {
		far, farD := -1, -1.0
		for i, c := range cands {
			d := math.Inf(1)
			for _, o := range chosen {
				d = min(d, math.Hypot(math.Hypot(c.mean[0]-o.mean[0], c.mean[1]-o.mean[1]), c.mean[2]-o.mean[2]))
			}
			if d > farD {
				far, farD = i, d
			}
		}
		chosen = append(chosen, cands[far])
	}
	out := make([]image.Rectangle, len(chosen))
	for i, c := range chosen {
		out[i] = c.r
	}
	return out
}

// meanRGB is the mean unmanaged RGB rendering of the box r of img.
func meanRGB(img image.Image, r image.Rectangle) [3]float64 {
	var s [3]float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			_, rgb := pixelAt(img, x, y)
			for k := range s {
				s[k] += float64(rgb[k])
			}
		}
	}
	n := float64(r.Dx() * r.Dy())
	return [3]float64{s[0] / n, s[1] / n, s[2] / n}
}

// transiccArgs are the flags the goldens are made with: terse output,
// no precalculated (optimised) transform, relative colorimetric intent,
// LittleCMS's built-in sRGB as the output profile. Values are in
// floating point: 0..255 for RGB and grey, 0..100 (%) for CMYK.
var transiccArgs = []string{"-n", "-c0", "-t1", "-o*sRGB"}

// transicc converts device colours (8-bit) with the profile in the file
// path, returning sRGB in 0..255 floating point, clipped to that range.
func transicc(tb testing.TB, path string, space ColorSpace, colours [][]int) [][3]float64 {
	tb.Helper()
	var in bytes.Buffer
	for _, c := range colours {
		for i, v := range c {
			if i > 0 {
				in.WriteByte(' ')
			}
			if space == CMYK {
				fmt.Fprintf(&in, "%.6f", float64(v)*100/255)
			} else {
				fmt.Fprintf(&in, "%d", v)
			}
		}
		in.WriteByte('\n')
	}
	cmd := exec.Command("transicc", append([]string{"-i" + path}, transiccArgs...)...)
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("transicc: %v: %s", err, stderr.String())
	}
	var res [][3]float64
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			tb.Fatalf("transicc output line %q", sc.Text())
		}
		var v [3]float64
		for k := range v {
			x, err := strconv.ParseFloat(f[k], 64)
			if err != nil {
				tb.Fatalf("transicc output line %q: %v", sc.Text(), err)
			}
			v[k] = min(max(x, 0), 255)
		}
		res = append(res, v)
	}
	if len(res) != len(colours) {
		tb.Fatalf("transicc gave %d results for %d colours", len(res), len(colours))
	}
	return res
}

// synthInputs are the device colours sampled for a synthetic profile:
// the corners of the device cube, a grey (or K) ramp and pseudo-random
// colours from a fixed generator.
func synthInputs(n int) [][]int {
	var out [][]int
	for c := range 1 << n {
		v := make([]int, n)
		for i := range v {
			v[i] = 255 * (c >> i & 1)
		}
		out = append(out, v)
	}
	for _, g := range []int{16, 48, 96, 128, 160, 200, 240} {
		v := make([]int, n)
		if n == 4 {
			v[3] = g
		} else {
			for i := range v {
				v[i] = g
			}
		}
		out = append(out, v)
	}
	seed := uint32(12345)
	for range 48 {
		v := make([]int, n)
		for i := range v {
			seed = seed*1664525 + 1013904223
			v[i] = int(seed >> 24)
		}
		out = append(out, v)
	}
	return out
}

func TestGenerateLCMS(t *testing.T) {
	if !*updateLCMS {
		t.Skip("run with -update-lcms to regenerate " + goldenPath)
	}
	cmd := exec.Command("transicc", "-n")
	cmd.Stdin = strings.NewReader("")
	ver, _ := cmd.CombinedOutput()
	g := &goldens{
		Note:    "Patch means of corpus images and synthetic profile samples converted to sRGB by LittleCMS; see README.md.",
		Command: "transicc -i<profile> " + strings.Join(transiccArgs, " "),
		LCMS:    strings.TrimSpace(strings.SplitN(string(ver), "\n", 2)[0]),
	}
	dir := t.TempDir()
	for _, name := range []string{fileP3, fileAdobeRGB, fileProPhoto, fileCMYK, fileGray} {
		prof := corpusProfile(t, name)
		p, err := Parse(prof)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "profile.icc")
		if err := os.WriteFile(path, prof, 0o644); err != nil {
			t.Fatal(err)
		}
		img := decodeCorpus(t, name)
		gi := goldenImage{File: name}
		for _, r := range choosePatches(img, 8, 16) {
			var devs [][]int
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					d, _ := pixelAt(img, x, y)
					devs = append(devs, d)
				}
			}
			var sum [3]float64
			for _, v := range transicc(t, path, p.ColorSpace(), devs) {
				for k := range sum {
					sum[k] += v[k]
				}
			}
			n := float64(len(devs))
			gp := goldenPatch{X: r.Min.X, Y: r.Min.Y, W: r.Dx(), H: r.Dy(), Input: meanRGB(img, r)}
			for k := range sum {
				gp.LCMS[k] = round4(sum[k] / n)
				gp.Input[k] = round4(gp.Input[k])
			}
			gi.Patches = append(gi.Patches, gp)
		}
		g.Images = append(g.Images, gi)
	}
	for _, sp := range syntheticProfiles() {
		path := filepath.Join(dir, sp.name+".icc")
		if err := os.WriteFile(path, sp.build(), 0o644); err != nil {
			t.Fatal(err)
		}
		n := map[ColorSpace]int{RGB: 3, CMYK: 4, Gray: 1}[sp.space]
		in := synthInputs(n)
		out := transicc(t, path, sp.space, in)
		for i := range out {
			for k := range out[i] {
				out[i][k] = round4(out[i][k])
			}
		}
		g.Synthetic = append(g.Synthetic, goldenSynth{Name: sp.name, Inputs: in, LCMS: out})
	}
	b, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	// One line per array of numbers keeps the file readable.
	b = numberArray.ReplaceAllFunc(b, func(m []byte) []byte {
		return blanks.ReplaceAll(m, nil)
	})
	if err := os.WriteFile(goldenPath, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

var (
	numberArray = regexp.MustCompile(`\[[-0-9.,\s]*\]`)
	blanks      = regexp.MustCompile(`\s+`)
)

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

// Check whole corpus images against LittleCMS's own 8-bit conversion
// with
//
//	go test ./internal/icc -run TestWholeImagesAgainstLCMS -lcms-check
//
// It needs tificc from liblcms2-utils. Every pixel must be within one
// level.
var lcmsCheck = flag.Bool("lcms-check", false, "compare whole corpus images with tificc (LittleCMS)")

func TestWholeImagesAgainstLCMS(t *testing.T) {
	if !*lcmsCheck {
		t.Skip("run with -lcms-check to compare whole images with tificc")
	}
	dir := t.TempDir()
	for _, name := range []string{fileP3, fileAdobeRGB, fileProPhoto, fileCMYK, fileGray} {
		img := decodeCorpus(t, name)
		prof := filepath.Join(dir, "profile.icc")
		if err := os.WriteFile(prof, corpusProfile(t, name), 0o644); err != nil {
			t.Fatal(err)
		}
		tr := corpusTransform(t, name)
		r := img.Bounds()
		w, h := r.Dx(), r.Dy()
		var dev, ours []byte // device pixels for tificc, our sRGB result
		var spp int
		var photometric uint16
		switch m := img.(type) {
		case *image.YCbCr:
			plain, o := (&Transform{}).YCbCr(m), tr.YCbCr(m)
			for i := 0; i < len(o.Pix); i += 4 {
				dev = append(dev, plain.Pix[i:i+3]...)
				ours = append(ours, o.Pix[i:i+3]...)
			}
			spp, photometric = 3, 2
		case *image.CMYK:
			o := tr.CMYK(m)
			dev = m.Pix
			for i := 0; i < len(o.Pix); i += 4 {
				ours = append(ours, o.Pix[i:i+3]...)
			}
			spp, photometric = 4, 5
		case *image.Gray:
			g := &image.Gray{Pix: append([]byte(nil), m.Pix...), Stride: m.Stride, Rect: m.Rect}
			tr.Gray(g)
			dev = m.Pix
			for _, v := range g.Pix {
				ours = append(ours, v, v, v)
			}
			spp, photometric = 1, 1
		}
		in, out := filepath.Join(dir, "in.tif"), filepath.Join(dir, "out.tif")
		if err := os.WriteFile(in, plainTIFF(w, h, spp, photometric, dev), 0o644); err != nil {
			t.Fatal(err)
		}
		if b, err := exec.Command("tificc", "-c0", "-t1", "-i"+prof, "-o*sRGB", "-w8", in, out).CombinedOutput(); err != nil {
			t.Fatalf("%s: tificc: %v: %s", name, err, b)
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := tiff.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		var hist [256]int
		for y := range h {
			for x := range w {
				rr, gg, bb, _ := ref.At(ref.Bounds().Min.X+x, ref.Bounds().Min.Y+y).RGBA()
				for k, v := range [3]uint32{rr >> 8, gg >> 8, bb >> 8} {
					hist[absInt(int(v)-int(ours[3*(y*w+x)+k]))]++
				}
			}
		}
		n := 3 * w * h
		t.Logf("%s: %.2f%% of samples equal, %.2f%% off by 1, %d off by more",
			name, 100*float64(hist[0])/float64(n), 100*float64(hist[1])/float64(n), n-hist[0]-hist[1])
		if hist[0]+hist[1] != n {
			t.Errorf("%s: %d samples differ from LittleCMS by more than one level", name, n-hist[0]-hist[1])
		}
	}
}

// plainTIFF encodes 8-bit interleaved pixels as an uncompressed
// single-strip TIFF: grey (photometric 1), RGB (2) or CMYK (5).
func plainTIFF(w, h, spp int, photometric uint16, pix []byte) []byte {
	le := binary.LittleEndian
	type entry struct {
		tag, typ uint16
		n, v     uint32
	}
	const nEntries = 11
	bpsOff := uint32(8 + 2 + 12*nEntries + 4)
	dataOff := bpsOff + 8
	bps := bpsOff
	if spp == 1 {
		bps = 8 // fits in the entry
	}
	entries := [nEntries]entry{
		{256, 4, 1, uint32(w)}, {257, 4, 1, uint32(h)}, {258, 3, uint32(spp), bps},
		{259, 3, 1, 1}, {262, 3, 1, uint32(photometric)}, {273, 4, 1, dataOff},
		{277, 3, 1, uint32(spp)}, {278, 4, 1, uint32(h)}, {279, 4, 1, uint32(len(pix))},
		{284, 3, 1, 1}, {332, 3, 1, 1},
	}
	b := le.AppendUint32([]byte("II*\x00"), 8)
	b = le.AppendUint16(b, nEntries)
	for _, e := range entries {
		b = le.AppendUint16(le.AppendUint16(b, e.tag), e.typ)
		b = le.AppendUint32(b, e.n)
		if e.typ == 3 && e.n == 1 {
			b = le.AppendUint16(le.AppendUint16(b, uint16(e.v)), 0)
		} else {
			b = le.AppendUint32(b, e.v)
		}
	}
	b = le.AppendUint32(b, 0)
	for range 4 {
		b = le.AppendUint16(b, 8)
	}
	return append(b, pix...)
}
