package codec

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	dwebp "github.com/deepteams/webp"
	xdraw "golang.org/x/image/draw"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// animRefs are the corpus animations with their coalesced frames as a
// reference decoder composites them, stacked top to bottom in one PNG:
// ImageMagick's -coalesce for GIF (it clears "background" disposal to
// transparent, as browsers do), libwebp's WebPAnimDecoder for WebP.
var animRefs = []struct{ file, golden string }{
	{"gif-animated-121x128.gif", "testdata/anim-gif-animated-121x128.magick.png"},
	{"gif-animated-80x80.gif", "testdata/anim-gif-animated-80x80.magick.png"},
	{"webp-animated-80x80.webp", "testdata/anim-webp-animated-80x80.libwebp.png"},
}

// animWebPInfo is what `webpmux -info` says of the animated WebP.
const animWebPInfo = "testdata/anim-webp-animated-80x80.webpmux.txt"

// animBuildDump compiles testdata/anim_dump.c (libwebp's WebPAnimDecoder),
// skipping t when a C compiler or libwebpdemux is missing.
func animBuildDump(t *testing.T) string {
	t.Helper()
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skipf("no C compiler for testdata/anim_dump.c: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "anim_dump")
	if out, err := exec.Command(cc, "-O2", "-o", bin, "testdata/anim_dump.c", "-lwebpdemux", "-lwebp").CombinedOutput(); err != nil {
		t.Skipf("cannot build testdata/anim_dump.c (apt-get install libwebp-dev): %v\n%s", err, out)
	}
	return bin
}

// animDumpWebP returns the frames of the WebP file path composited by
// libwebp, stacked top to bottom.
func animDumpWebP(t *testing.T, bin, path string) *image.NRGBA {
	t.Helper()
	out, err := exec.Command(bin, path).Output()
	if err != nil {
		t.Fatalf("anim_dump %s: %v", path, err)
	}
	m, err := animReadPAM(out)
	if err != nil {
		t.Fatalf("anim_dump %s: %v", path, err)
	}
	return m
}

// animReadPAM reads a binary PAM image of type RGB_ALPHA.
func animReadPAM(b []byte) (*image.NRGBA, error) {
	r := bufio.NewReader(bytes.NewReader(b))
	var w, h int
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("PAM header: %w", err)
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		switch f[0] {
		case "WIDTH":
			w, _ = strconv.Atoi(f[1])
		case "HEIGHT":
			h, _ = strconv.Atoi(f[1])
		case "TUPLTYPE":
			if f[1] != "RGB_ALPHA" {
				return nil, fmt.Errorf("PAM of type %s", f[1])
			}
		}
		if f[0] == "ENDHDR" {
			break
		}
	}
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	if _, err := io.ReadFull(r, m.Pix); err != nil {
		return nil, fmt.Errorf("PAM pixels: %w", err)
	}
	return m, nil
}

// TestAnimUpdateGoldens regenerates the animation goldens with -update,
// from the reference tools only.
func TestAnimUpdateGoldens(t *testing.T) {
	if !*update {
		t.Skip("run with -update to regenerate the goldens")
	}
	tmp := t.TempDir()
	for _, r := range animRefs {
		path := testcorpus.Path(t, r.file)
		if strings.HasSuffix(r.file, ".gif") {
			out := filepath.Join(tmp, r.file+".png")
			runTool(t, "convert-im6.q16", path, "-coalesce", "-append", "PNG32:"+out)
			writePNG(t, r.golden, readPNG(t, out))
			continue
		}
		writePNG(t, r.golden, animDumpWebP(t, animBuildDump(t), path))
	}
	out, err := exec.Command("webpmux", "-info", testcorpus.Path(t, "webp-animated-80x80.webp")).Output()
	if err != nil {
		t.Fatalf("webpmux -info: %v", err)
	}
	if err := os.WriteFile(animWebPInfo, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// animDecodeAll decodes every frame of b.
func animDecodeAll(t *testing.T, b []byte, lim Limits, alim AnimLimits) (AnimInfo, []*image.NRGBA, []time.Duration) {
	t.Helper()
	d, err := NewAnimDecoder(context.Background(), b, lim, alim)
	if err != nil {
		t.Fatalf("NewAnimDecoder: %v", err)
	}
	var (
		frames []*image.NRGBA
		delays []time.Duration
	)
	for {
		m, delay, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Next (frame %d): %v", len(frames)+1, err)
		}
		if want := image.Rect(0, 0, d.Info().Width, d.Info().Height); m.Rect != want {
			t.Fatalf("frame %d bounds %v, want %v", len(frames)+1, m.Rect, want)
		}
		frames = append(frames, m)
		delays = append(delays, delay)
	}
	if len(frames) != d.Info().Frames {
		t.Fatalf("decoded %d frames, Info says %d", len(frames), d.Info().Frames)
	}
	if _, _, err := d.Next(); err != io.EOF {
		t.Fatalf("Next after the end: %v, want io.EOF", err)
	}
	return d.Info(), frames, delays
}

// animStrip cuts frame i of height h out of a strip of frames.
func animStrip(strip *image.NRGBA, i, h int) *image.NRGBA {
	return strip.SubImage(image.Rect(0, i*h, strip.Rect.Dx(), (i+1)*h)).(*image.NRGBA)
}

// animDiff counts the pixels of a and b (same size, any origin) that
// differ, and the largest channel difference. With visible, two pixels
// that are both fully transparent are equal whatever their colour.
func animDiff(a, b *image.NRGBA, visible bool) (n, maxd int) {
	for y := 0; y < a.Rect.Dy(); y++ {
		for x := 0; x < a.Rect.Dx(); x++ {
			p := a.Pix[a.PixOffset(a.Rect.Min.X+x, a.Rect.Min.Y+y):][:4]
			q := b.Pix[b.PixOffset(b.Rect.Min.X+x, b.Rect.Min.Y+y):][:4]
			if visible && p[3] == 0 && q[3] == 0 || string(p) == string(q) {
				continue
			}
			n++
			for c := range 4 {
				maxd = max(maxd, int(p[c])-int(q[c]), int(q[c])-int(p[c]))
			}
		}
	}
	return n, maxd
}

// TestAnimCorpusFrames compares every coalesced frame of the corpus
// animations with the reference decoders, pixel for pixel.
func TestAnimCorpusFrames(t *testing.T) {
	for _, r := range animRefs {
		t.Run(r.file, func(t *testing.T) {
			info, frames, _ := animDecodeAll(t, testcorpus.Read(t, r.file), Limits{}, AnimLimits{})
			ref := readPNG(t, r.golden)
			if ref.Rect.Dx() != info.Width || ref.Rect.Dy() != info.Height*len(frames) {
				t.Fatalf("golden is %v, want %d frames of %dx%d", ref.Rect.Size(), len(frames), info.Width, info.Height)
			}
			// libwebp keeps the colour under transparent pixels, which we
			// match; ImageMagick's PNG does not, so GIF compares what shows.
			visible := info.Format == GIF
			for i, m := range frames {
				if n, maxd := animDiff(m, animStrip(ref, i, info.Height), visible); n != 0 {
					t.Errorf("frame %d: %d pixels differ from the reference, by up to %d", i+1, n, maxd)
				}
			}
		})
	}
}

// animGIFLoop maps image/gif's LoopCount (-1 none, else the stored value)
// to total plays, independently of the code under test.
func animGIFLoop(stored int) int {
	switch stored {
	case -1:
		return 1
	case 0:
		return 0
	}
	return stored + 1
}

// TestAnimCorpusInfo checks frame counts, delays and loop counts against
// what the files declare, read by image/gif and by webpmux.
func TestAnimCorpusInfo(t *testing.T) {
	for _, name := range []string{"gif-animated-121x128.gif", "gif-animated-80x80.gif", "gif-static-800x533.gif"} {
		t.Run(name, func(t *testing.T) {
			b := testcorpus.Read(t, name)
			g, err := gif.DecodeAll(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("image/gif: %v", err)
			}
			info, _, delays := animDecodeAll(t, b, Limits{}, AnimLimits{})
			want := AnimInfo{Format: GIF, Width: g.Config.Width, Height: g.Config.Height, Frames: len(g.Image),
				LoopCount: animGIFLoop(g.LoopCount), Background: info.Background}
			if info != want {
				t.Errorf("Info = %+v, want %+v", info, want)
			}
			for i, d := range delays {
				if want := time.Duration(g.Delay[i]) * 10 * time.Millisecond; d != want {
					t.Errorf("frame %d delay %v, want %v", i+1, d, want)
				}
			}
		})
	}
	t.Run("webp-animated-80x80.webp", func(t *testing.T) {
		text, err := os.ReadFile(animWebPInfo)
		if err != nil {
			t.Fatalf("%v (regenerate with -update)", err)
		}
		var (
			want   = AnimInfo{Format: WebP}
			delays []time.Duration
		)
		for _, line := range strings.Split(string(text), "\n") {
			f := strings.Fields(line)
			switch {
			case strings.HasPrefix(line, "Canvas size:"):
				want.Width, _ = strconv.Atoi(f[2])
				want.Height, _ = strconv.Atoi(f[4])
			case strings.HasPrefix(line, "Background color"):
				argb, _ := strconv.ParseUint(f[3], 0, 32)
				want.Background = color.NRGBA{uint8(argb >> 16), uint8(argb >> 8), uint8(argb), uint8(argb >> 24)}
				want.LoopCount, _ = strconv.Atoi(f[7])
			case strings.HasPrefix(line, "Number of frames:"):
				want.Frames, _ = strconv.Atoi(f[3])
			case len(f) == 11 && strings.HasSuffix(f[0], ":") && f[0] != "No.:":
				ms, _ := strconv.Atoi(f[6])
				delays = append(delays, time.Duration(ms)*time.Millisecond)
			}
		}
		info, _, got := animDecodeAll(t, testcorpus.Read(t, "webp-animated-80x80.webp"), Limits{}, AnimLimits{})
		if info != want {
			t.Errorf("Info = %+v, webpmux says %+v", info, want)
		}
		if fmt.Sprint(got) != fmt.Sprint(delays) || len(delays) != want.Frames {
			t.Errorf("delays %v, webpmux says %v", got, delays)
		}
	})
}

// TestAnimWebPMatchesLibwebp converts the corpus GIFs to animated WebP
// with gif2webp (which uses disposal to background, blending and
// sub-frames) and compares every frame with libwebp's compositing.
func TestAnimWebPMatchesLibwebp(t *testing.T) {
	if _, err := exec.LookPath("gif2webp"); err != nil {
		t.Skipf("gif2webp not installed (apt-get install webp): %v", err)
	}
	bin := animBuildDump(t)
	tmp := t.TempDir()
	for _, name := range []string{"gif-animated-121x128.gif", "gif-animated-80x80.gif"} {
		for _, mode := range [][]string{{}, {"-lossy", "-q", "60"}, {"-mixed"}, {"-lossy", "-min_size"}} {
			t.Run(name+strings.Join(mode, ""), func(t *testing.T) {
				out := filepath.Join(tmp, "out.webp")
				runTool(t, "gif2webp", append(append([]string{"-quiet"}, mode...), testcorpus.Path(t, name), "-o", out)...)
				b, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				ref := animDumpWebP(t, bin, out)
				info, frames, _ := animDecodeAll(t, b, Limits{}, AnimLimits{})
				if ref.Rect.Dy() != info.Height*len(frames) {
					t.Fatalf("libwebp gives %d rows, we %d frames of %d", ref.Rect.Dy(), len(frames), info.Height)
				}
				for i, m := range frames {
					if n, maxd := animDiff(m, animStrip(ref, i, info.Height), false); n != 0 {
						t.Errorf("frame %d: %d pixels differ from libwebp, by up to %d", i+1, n, maxd)
					}
				}
			})
		}
	}
}

// Colours of the synthetic GIFs, by letter.
var animColors = map[byte]color.NRGBA{
	'.': {},
	'R': {0xff, 0, 0, 0xff},
	'G': {0, 0xff, 0, 0xff},
	'B': {0, 0, 0xff, 0xff},
}

var animPalette = color.Palette{color.RGBA{}, color.RGBA{0xff, 0, 0, 0xff}, color.RGBA{0, 0xff, 0, 0xff}, color.RGBA{0, 0, 0xff, 0xff}}

// animPaletted makes a frame at (x, y) from rows of letters ('.' is the
// transparent index).
func animPaletted(x, y int, rows ...string) *image.Paletted {
	m := image.NewPaletted(image.Rect(x, y, x+len(rows[0]), y+len(rows)), animPalette)
	for j, row := range rows {
		for i := range row {
			m.SetColorIndex(x+i, y+j, uint8(strings.IndexByte(".RGB", row[i])))
		}
	}
	return m
}

// animGrid renders an image as rows of letters ('?' for other colours).
func animGrid(m *image.NRGBA) string {
	var s []string
	for y := m.Rect.Min.Y; y < m.Rect.Max.Y; y++ {
		var row []byte
		for x := m.Rect.Min.X; x < m.Rect.Max.X; x++ {
			c := m.NRGBAAt(x, y)
			ch := byte('?')
			for k, v := range animColors {
				if v == c || k == '.' && c.A == 0 {
					ch = k
				}
			}
			row = append(row, ch)
		}
		s = append(s, string(row))
	}
	return strings.Join(s, "/")
}

// TestAnimGIFDisposal decodes a synthetic GIF that uses every disposal
// method and compares each canvas with the one worked out by hand.
func TestAnimGIFDisposal(t *testing.T) {
	g := &gif.GIF{
		Image: []*image.Paletted{
			animPaletted(0, 0, "RRRR", "RRRR", "RRRR", "RRRR"),
			animPaletted(1, 1, "GG", "GG"),
			animPaletted(0, 0, ".B", "BB"),
			animPaletted(2, 0, "G.", ".B"),
			animPaletted(0, 2, "BB", "BB"),
			animPaletted(3, 3, "G"),
		},
		Delay:     []int{5, 7, 0, 1, 2, 65535},
		Disposal:  []byte{gif.DisposalNone, gif.DisposalBackground, gif.DisposalPrevious, 0, gif.DisposalBackground, gif.DisposalNone},
		LoopCount: 2,
	}
	want := []string{
		"RRRR/RRRR/RRRR/RRRR",
		"RRRR/RGGR/RGGR/RRRR", // then the centre is cleared
		"RBRR/BB.R/R..R/RRRR", // (0,0) transparent: the red stays; then restored
		"RRGR/R..B/R..R/RRRR", // unspecified disposal keeps the frame
		"RRGR/R..B/BB.R/BBRR", // then the bottom-left is cleared
		"RRGR/R..B/...R/..RG",
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		t.Fatal(err)
	}
	info, frames, delays := animDecodeAll(t, buf.Bytes(), Limits{}, AnimLimits{})
	if info.Frames != 6 || info.LoopCount != 3 || info.Width != 4 || info.Height != 4 {
		t.Errorf("Info = %+v, want 6 frames of 4x4 played 3 times", info)
	}
	for i, m := range frames {
		if got := animGrid(m); got != want[i] {
			t.Errorf("frame %d = %s, want %s", i+1, got, want[i])
		}
		if d := time.Duration(g.Delay[i]) * 10 * time.Millisecond; delays[i] != d {
			t.Errorf("frame %d delay %v, want %v", i+1, delays[i], d)
		}
	}

	// Disposal "previous" on the first frame restores the empty canvas.
	g = &gif.GIF{
		Image:     []*image.Paletted{animPaletted(0, 0, "RR", "RR"), animPaletted(1, 1, "G")},
		Delay:     []int{0, 0},
		Disposal:  []byte{gif.DisposalPrevious, gif.DisposalNone},
		LoopCount: -1, // no NETSCAPE2.0 extension
	}
	buf.Reset()
	if err := gif.EncodeAll(&buf, g); err != nil {
		t.Fatal(err)
	}
	info, frames, _ = animDecodeAll(t, buf.Bytes(), Limits{}, AnimLimits{})
	if got := animGrid(frames[0]) + " " + animGrid(frames[1]); got != "RR/RR ../.G" {
		t.Errorf("frames %s, want RR/RR ../.G", got)
	}
	if info.LoopCount != 1 {
		t.Errorf("LoopCount %d without a NETSCAPE extension, want 1 (play once)", info.LoopCount)
	}
}

// TestAnimGIFFrameBeyondScreen clips a frame that extends beyond the
// logical screen.
func TestAnimGIFFrameBeyondScreen(t *testing.T) {
	g := &gif.GIF{
		Image:     []*image.Paletted{animPaletted(0, 0, "RRRR", "RRRR", "RRRR", "RRRR"), animPaletted(2, 2, "GB", "BG")},
		Delay:     []int{0, 0},
		Disposal:  []byte{0, 0},
		LoopCount: 0,
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	b[6], b[8] = 3, 3 // shrink the logical screen to 3×3
	info, frames, _ := animDecodeAll(t, b, Limits{}, AnimLimits{})
	if info.Width != 3 || info.LoopCount != 0 {
		t.Fatalf("Info = %+v", info)
	}
	if got := animGrid(frames[1]); got != "RRR/RRR/RRG" {
		t.Errorf("clipped frame = %s, want RRR/RRR/RRG", got)
	}
}

// animManyFrames returns a GIF with a w×h screen and n frames of 1×1.
func animManyFrames(t testing.TB, w, h, n int) []byte {
	g := &gif.GIF{Config: image.Config{ColorModel: animPalette, Width: w, Height: h}}
	for i := 0; i < n; i++ {
		g.Image = append(g.Image, animPaletted(i%w, 0, "R"))
		g.Delay = append(g.Delay, 1)
		g.Disposal = append(g.Disposal, 0)
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestAnimLimits refuses animations beyond the frame and pixel limits
// before decoding any pixel.
func TestAnimLimits(t *testing.T) {
	many := animManyFrames(t, 1000, 1000, 300) // 300 million pixels in all
	webp := testcorpus.ReadSeed("webp-animated-80x80.webp")
	for _, c := range []struct {
		name  string
		b     []byte
		lim   Limits
		alim  AnimLimits
		what  string
		value int64
	}{
		{"gif frames", many, Limits{}, AnimLimits{MaxFrames: 100}, "frames", 300},
		{"gif pixels by default", many, Limits{}, AnimLimits{}, "animation pixels", 300_000_000},
		{"gif pixels", many, Limits{}, AnimLimits{MaxTotalPixels: 1_000_000}, "animation pixels", 300_000_000},
		{"gif canvas", many, Limits{MaxPixels: 999_999}, AnimLimits{}, "source pixels", 1_000_000},
		{"webp frames", webp, Limits{}, AnimLimits{MaxFrames: 8}, "frames", 9},
		{"webp pixels", webp, Limits{}, AnimLimits{MaxTotalPixels: 80*80*9 - 1}, "animation pixels", 80 * 80 * 9},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.b == nil {
				t.Skip("corpus file missing")
			}
			var err error
			n := allocated(func() { _, err = NewAnimDecoder(context.Background(), c.b, c.lim, c.alim) })
			var le *LimitError
			if !errors.Is(err, ErrTooLarge) || !errors.As(err, &le) || le.What != c.what || le.Value != c.value {
				t.Fatalf("NewAnimDecoder error %v, want a LimitError on %s of %d", err, c.what, c.value)
			}
			if n > 256<<10 {
				t.Errorf("NewAnimDecoder allocated %d bytes before refusing, want under 256 KiB", n)
			}
		})
	}
	// Within the limits, the same file decodes.
	d, err := NewAnimDecoder(context.Background(), many, Limits{}, AnimLimits{MaxTotalPixels: 300_000_000})
	if err != nil || d.Info().Frames != 300 {
		t.Fatalf("NewAnimDecoder within limits: %v", err)
	}
	// A frame larger than the pixel limit is refused too.
	g := &gif.GIF{Image: []*image.Paletted{animPaletted(0, 0, "R")}, Delay: []int{0}}
	g.Image[0] = image.NewPaletted(image.Rect(0, 0, 2000, 2000), animPalette)
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	b[6], b[7], b[8], b[9] = 10, 0, 10, 0 // a 10×10 screen
	_, err = NewAnimDecoder(context.Background(), b, Limits{MaxPixels: 1_000_000}, AnimLimits{})
	var le *LimitError
	if !errors.As(err, &le) || le.What != "source pixels" {
		t.Errorf("2000×2000 frame on a 10×10 screen: %v, want a source pixels LimitError", err)
	}
}

// TestAnimCorrupt checks that damaged files fail with ErrCorrupt, most of
// them before any pixel is decoded.
func TestAnimCorrupt(t *testing.T) {
	if b := testcorpus.ReadSeed("hostile-truncated-575x800.gif"); b != nil {
		var err error
		n := allocated(func() { _, err = NewAnimDecoder(context.Background(), b, Limits{}, AnimLimits{}) })
		if class(err) != "corrupt" {
			t.Errorf("hostile-truncated-575x800.gif: %v, want corrupt", err)
		}
		if n > 1<<20 {
			t.Errorf("hostile-truncated-575x800.gif: allocated %d bytes before failing", n)
		}
	}
	for _, name := range []string{"gif-animated-121x128.gif", "gif-animated-80x80.gif", "webp-animated-80x80.webp"} {
		b := testcorpus.Read(t, name)
		// gif-animated-80x80.gif has zero padding after its trailer; a cut
		// there loses nothing.
		end := len(bytes.TrimRight(b, "\x00"))
		for k := 0; k < 64; k++ {
			cut := 20 + k*(end-21)/63
			_, err := NewAnimDecoder(context.Background(), b[:cut], Limits{}, AnimLimits{})
			if class(err) != "corrupt" {
				t.Errorf("%s cut to %d of %d bytes: %v, want corrupt", name, cut, end, err)
			}
		}
	}
	// A WebP frame that does not fit the canvas.
	b := bytes.Clone(testcorpus.Read(t, "webp-animated-80x80.webp"))
	second := bytes.Index(b[bytes.Index(b, []byte("ANMF"))+4:], []byte("ANMF"))
	if second < 0 {
		t.Fatal("no second ANMF chunk")
	}
	at := bytes.Index(b, []byte("ANMF")) + 4 + second + 8
	b[at] = 20 // x offset 40: 40 + 55 > 80
	if _, err := NewAnimDecoder(context.Background(), b, Limits{}, AnimLimits{}); class(err) != "corrupt" {
		t.Errorf("frame beyond the canvas: %v, want corrupt", err)
	}
	// Damaged image data inside a well-formed GIF fails in Next.
	g := testcorpus.Read(t, "gif-animated-80x80.gif")
	bad := bytes.Clone(g)
	for i := len(bad) / 2; i < len(bad)/2+64; i++ {
		bad[i] ^= 0xff
	}
	d, err := NewAnimDecoder(context.Background(), bad, Limits{}, AnimLimits{})
	for err == nil {
		_, _, err = d.Next()
	}
	if err != io.EOF && class(err) != "corrupt" {
		t.Errorf("damaged GIF: %v, want corrupt", err)
	}
}

// TestAnimNotAnimated decodes still GIF and WebP files as one frame, the
// same as Decode, and refuses other formats.
func TestAnimNotAnimated(t *testing.T) {
	for _, name := range []string{"gif-static-800x533.gif", "webp-lossy-1024x772.webp", "webp-lossless-alpha-400x301.webp"} {
		t.Run(name, func(t *testing.T) {
			b := testcorpus.Read(t, name)
			info, frames, delays := animDecodeAll(t, b, Limits{}, AnimLimits{})
			if info.Frames != 1 || info.LoopCount != 1 || delays[0] != 0 {
				t.Errorf("Info = %+v, delay %v; want one frame played once", info, delays[0])
			}
			img, err := Decode(context.Background(), b, Limits{}, DecodeHint{})
			if err != nil {
				t.Fatal(err)
			}
			if n, maxd := animDiff(frames[0], img.Pixels.(*image.NRGBA), false); n != 0 {
				t.Errorf("frame differs from Decode in %d pixels, by up to %d", n, maxd)
			}
		})
	}
	for _, name := range []string{"png-rgba-320x240.png", "jpeg-gray-icc-400x267.jpg"} {
		if _, err := NewAnimDecoder(context.Background(), testcorpus.Read(t, name), Limits{}, AnimLimits{}); class(err) != "unsupported" {
			t.Errorf("%s: %v, want unsupported", name, err)
		}
	}
	if _, err := NewAnimDecoder(context.Background(), []byte("hello"), Limits{}, AnimLimits{}); class(err) != "unknown format" {
		t.Errorf("text: %v, want unknown format", err)
	}
}

func TestAnimContext(t *testing.T) {
	b := testcorpus.Read(t, "gif-animated-80x80.gif")
	ctx, cancel := context.WithCancel(context.Background())
	d, err := NewAnimDecoder(ctx, b, Limits{}, AnimLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.Next(); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, _, err := d.Next(); !errors.Is(err, context.Canceled) {
		t.Errorf("Next after cancel: %v, want context.Canceled", err)
	}
	if _, err := NewAnimDecoder(ctx, b, Limits{}, AnimLimits{}); !errors.Is(err, context.Canceled) {
		t.Errorf("NewAnimDecoder with a cancelled context: %v", err)
	}
}

// animEncode encodes frames with the given delays.
func animEncode(t testing.TB, f Format, frames []*image.NRGBA, delays []time.Duration, loop int, o EncodeOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	r := frames[0].Rect
	e, err := NewAnimEncoder(&buf, f, r.Dx(), r.Dy(), loop, o)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range frames {
		if err := e.Add(m, delays[i]); err != nil {
			t.Fatalf("Add frame %d: %v", i+1, err)
		}
	}
	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return buf.Bytes()
}

// animVisiblePSNR returns the PSNR over R, G, B of the pixels of a that are
// opaque enough to show (alpha 128 or more), and the largest channel
// error among them.
func animVisiblePSNR(a, b *image.NRGBA) (float64, int) {
	var se float64
	var n, maxd int
	for i := 0; i < len(a.Pix); i += 4 {
		if a.Pix[i+3] < 0x80 {
			continue
		}
		for c := 0; c < 3; c++ {
			d := int(a.Pix[i+c]) - int(b.Pix[i+c])
			se += float64(d * d)
			maxd = max(maxd, d, -d)
		}
		n += 3
	}
	if se == 0 {
		return math.Inf(1), 0
	}
	return 10 * math.Log10(255*255*float64(n)/se), maxd
}

// TestAnimRoundTrip decodes the corpus animations, encodes them as GIF and
// WebP, and decodes the result again.
func TestAnimRoundTrip(t *testing.T) {
	for _, name := range []string{"gif-animated-121x128.gif", "gif-animated-80x80.gif", "webp-animated-80x80.webp"} {
		src := testcorpus.Read(t, name)
		info, frames, delays := animDecodeAll(t, src, Limits{}, AnimLimits{})
		for _, c := range []struct {
			f    Format
			o    EncodeOptions
			loop int
		}{
			{GIF, EncodeOptions{}, info.LoopCount},
			{GIF, EncodeOptions{}, 1},
			{GIF, EncodeOptions{}, 5},
			{WebP, EncodeOptions{Lossless: true}, info.LoopCount},
			{WebP, EncodeOptions{Quality: 90}, 7},
		} {
			t.Run(fmt.Sprintf("%s-%s-lossless=%v-loop%d", name, c.f, c.o.Lossless, c.loop), func(t *testing.T) {
				out := animEncode(t, c.f, frames, delays, c.loop, c.o)
				got, back, backDelays := animDecodeAll(t, out, Limits{}, AnimLimits{})
				want := info
				want.Format, want.LoopCount, want.Background = c.f, c.loop, got.Background
				if got != want {
					t.Fatalf("Info = %+v, want %+v", got, want)
				}
				if fmt.Sprint(backDelays) != fmt.Sprint(delays) {
					t.Errorf("delays %v, want %v", backDelays, delays)
				}
				worst, worstMax, lossyLoss := math.Inf(1), 0, 0.0
				for i := range frames {
					switch {
					case c.f == GIF:
						for p := 3; p < len(frames[i].Pix); p += 4 {
							if a, b := frames[i].Pix[p], back[i].Pix[p]; (a >= 0x80) != (b == 0xff) || b != 0 && b != 0xff {
								t.Fatalf("frame %d pixel %d: alpha %d became %d", i+1, p/4, a, b)
							}
						}
					case c.o.Lossless:
						if n, maxd := animDiff(frames[i], back[i], true); n != 0 {
							t.Fatalf("lossless frame %d: %d pixels differ, by up to %d", i+1, n, maxd)
						}
					default:
						// Alpha is coded losslessly, and blending keeps it.
						for p := 3; p < len(frames[i].Pix); p += 4 {
							if a, b := frames[i].Pix[p], back[i].Pix[p]; a != b {
								t.Fatalf("lossy frame %d pixel %d: alpha %d became %d", i+1, p/4, a, b)
							}
						}
						// The frame alone, coded as a still image.
						still := animStillWebP(t, frames[i], c.o.Quality)
						ps, _ := animVisiblePSNR(frames[i], still)
						pa, _ := animVisiblePSNR(frames[i], back[i])
						lossyLoss = max(lossyLoss, ps-pa)
					}
					p, m := animVisiblePSNR(frames[i], back[i])
					worst, worstMax = min(worst, p), max(worstMax, m)
				}
				t.Logf("%d bytes (source %d), worst frame PSNR %.2f dB, max error %d", len(out), len(src), worst, worstMax)
				switch {
				case c.f == GIF && info.Format == GIF:
					// At most 256 colours a frame: kept exactly.
					if worstMax != 0 {
						t.Errorf("GIF of a GIF: max error %d, want 0", worstMax)
					}
				case c.f == GIF:
					if worst < 40 || worstMax > 16 {
						t.Errorf("GIF: worst frame PSNR %.2f dB, max error %d; want at least 40 dB and at most 16", worst, worstMax)
					}
				case !c.o.Lossless:
					// Coding only the changed rectangle costs little against
					// coding each frame whole.
					t.Logf("lossy: at most %.2f dB below each frame coded alone", lossyLoss)
					if lossyLoss > 1 {
						t.Errorf("lossy WebP frames are up to %.2f dB worse than coded alone", lossyLoss)
					}
				}
			})
		}
	}
}

// animStillWebP codes m alone as a lossy WebP and decodes it.
func animStillWebP(t *testing.T, m *image.NRGBA, quality int) *image.NRGBA {
	t.Helper()
	opts := dwebp.DefaultOptions()
	opts.Quality = float32(quality)
	opts.Method = DefaultWebPMethod
	var buf bytes.Buffer
	if err := dwebp.Encode(&buf, m, opts); err != nil {
		t.Fatal(err)
	}
	img, err := Decode(context.Background(), buf.Bytes(), Limits{}, DecodeHint{})
	if err != nil {
		t.Fatal(err)
	}
	return img.Pixels.(*image.NRGBA)
}

// animSynthetic returns frames that make the encoders use transparency:
// a square moving over a transparent canvas, a repeated frame, a
// many-coloured opaque frame, an empty one, a translucent one.
func animSynthetic() []*image.NRGBA {
	const w, h = 40, 30
	square := func(x, y int) *image.NRGBA {
		m := image.NewNRGBA(image.Rect(0, 0, w, h))
		for j := y; j < y+8; j++ {
			for i := x; i < x+8; i++ {
				m.SetNRGBA(i, j, color.NRGBA{200, uint8(20 * (i - x)), 30, 0xff})
			}
		}
		return m
	}
	gradient := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			gradient.SetNRGBA(x, y, color.NRGBA{uint8(6 * x), uint8(8 * y), uint8(3*x + 3*y), 0xff})
		}
	}
	translucent := square(10, 10)
	for y := 0; y < h; y++ {
		for x := 0; x < 20; x++ {
			translucent.SetNRGBA(x, y, color.NRGBA{10, 200, 90, uint8(60 + 5*x)})
		}
	}
	return []*image.NRGBA{
		square(2, 2), square(20, 6), square(20, 6), gradient, image.NewNRGBA(image.Rect(0, 0, w, h)),
		square(3, 20), square(4, 20), translucent, gradient, square(0, 0),
	}
}

// TestAnimEncodeSynthetic checks that the encoders reproduce frames that
// need transparency where earlier frames were opaque.
func TestAnimEncodeSynthetic(t *testing.T) {
	frames := animSynthetic()
	delays := make([]time.Duration, len(frames))
	for i := range delays {
		delays[i] = time.Duration(10*(i+1)) * time.Millisecond
	}
	// WebP lossless: every frame exactly, translucency included.
	out := animEncode(t, WebP, frames, delays, 0, EncodeOptions{Lossless: true})
	_, back, backDelays := animDecodeAll(t, out, Limits{}, AnimLimits{})
	if fmt.Sprint(backDelays) != fmt.Sprint(delays) {
		t.Errorf("WebP delays %v, want %v", backDelays, delays)
	}
	for i := range frames {
		if n, maxd := animDiff(frames[i], back[i], true); n != 0 {
			t.Errorf("WebP frame %d: %d pixels differ, by up to %d", i+1, n, maxd)
		}
	}
	// GIF: exact but for the gradient's quantization and binary alpha.
	out = animEncode(t, GIF, frames, delays, 0, EncodeOptions{})
	_, back, backDelays = animDecodeAll(t, out, Limits{}, AnimLimits{})
	if fmt.Sprint(backDelays) != fmt.Sprint(delays) {
		t.Errorf("GIF delays %v, want %v", backDelays, delays)
	}
	for i, m := range frames {
		want := image.NewNRGBA(m.Rect)
		animBinarize(want, m)
		n, maxd := animDiff(want, back[i], true)
		if i == 3 || i == 8 { // the gradient has 1200 colours
			if p, _ := animVisiblePSNR(want, back[i]); p < 35 || maxd > 16 {
				t.Errorf("GIF gradient frame %d: PSNR %.2f dB, max error %d", i+1, p, maxd)
			}
			continue
		}
		if n != 0 {
			t.Errorf("GIF frame %d: %d pixels differ, by up to %d:\n%v\n%v", i+1, n, maxd, animGrid(want), animGrid(back[i]))
		}
	}
	// The GIF stores sub-rectangles: the repeated frame is a single pixel.
	g, err := gif.DecodeAll(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("image/gif cannot read our GIF: %v", err)
	}
	if r := g.Image[2].Rect; r.Dx()*r.Dy() != 1 {
		t.Errorf("repeated frame stored as %v, want one pixel", r)
	}
	if r := g.Image[6].Rect; r.Dx() > 9 || r.Dy() > 8 {
		t.Errorf("frame moved by one pixel stored as %v, want at most 9×8", r)
	}
}

// TestAnimEncoderLoopCount checks the NETSCAPE2.0 extension written for
// each loop count, as image/gif reads it, and WebP's stored value.
func TestAnimEncoderLoopCount(t *testing.T) {
	frames := []*image.NRGBA{image.NewNRGBA(image.Rect(0, 0, 2, 2))}
	delays := []time.Duration{0}
	for loop, stored := range map[int]int{0: 0, 1: -1, 2: 1, 65536: 65535} {
		g, err := gif.DecodeAll(bytes.NewReader(animEncode(t, GIF, frames, delays, loop, EncodeOptions{})))
		if err != nil {
			t.Fatal(err)
		}
		if g.LoopCount != stored {
			t.Errorf("loop %d: image/gif reads LoopCount %d, want %d", loop, g.LoopCount, stored)
		}
	}
	for _, loop := range []int{0, 1, 3, 65535} {
		d, err := NewAnimDecoder(context.Background(), animEncode(t, WebP, frames, delays, loop, EncodeOptions{}), Limits{}, AnimLimits{})
		if err != nil || d.Info().LoopCount != loop {
			t.Errorf("WebP loop %d: %v, %+v", loop, err, d)
		}
	}
	for _, c := range []struct {
		f    Format
		loop int
	}{{GIF, -1}, {GIF, 65537}, {WebP, 65536}, {WebP, -1}} {
		if _, err := NewAnimEncoder(io.Discard, c.f, 2, 2, c.loop, EncodeOptions{}); !errors.Is(err, ErrEncode) {
			t.Errorf("%s loop %d: %v, want ErrEncode", c.f, c.loop, err)
		}
	}
}

func TestAnimEncoderErrors(t *testing.T) {
	if _, err := NewAnimEncoder(io.Discard, PNG, 2, 2, 0, EncodeOptions{}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("PNG: %v, want ErrUnsupported", err)
	}
	if _, err := NewAnimEncoder(io.Discard, WebP, 16384, 2, 0, EncodeOptions{}); !errors.Is(err, ErrEncode) {
		t.Errorf("WebP 16384 wide: %v, want ErrEncode", err)
	}
	for _, f := range []Format{GIF, WebP} {
		e, err := NewAnimEncoder(io.Discard, f, 4, 4, 0, EncodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Add(image.NewNRGBA(image.Rect(0, 0, 4, 5)), 0); !errors.Is(err, ErrEncode) {
			t.Errorf("%s: frame of the wrong size: %v", f, err)
		}
		e, _ = NewAnimEncoder(io.Discard, f, 4, 4, 0, EncodeOptions{})
		if err := e.Close(); !errors.Is(err, ErrEncode) {
			t.Errorf("%s: Close without frames: %v", f, err)
		}
		if err := e.Add(image.NewNRGBA(image.Rect(0, 0, 4, 4)), 0); !errors.Is(err, ErrEncode) {
			t.Errorf("%s: Add after Close: %v", f, err)
		}
		// A writer error is returned, wrapped.
		e, _ = NewAnimEncoder(animFailWriter{}, f, 4, 4, 0, EncodeOptions{})
		err = e.Add(image.NewNRGBA(image.Rect(10, 10, 14, 14)), 0)
		if err == nil {
			err = e.Close()
		}
		if !errors.Is(err, errAnimWrite) {
			t.Errorf("%s: writer error: %v", f, err)
		}
	}
}

var errAnimWrite = errors.New("anim test: write failed")

type animFailWriter struct{}

func (animFailWriter) Write([]byte) (int, error) { return 0, errAnimWrite }

// TestAnimWebPMetadata checks that ICC, EXIF and XMP reach the file.
func TestAnimWebPMetadata(t *testing.T) {
	icc := bytes.Repeat([]byte("icc!"), 100)
	exif := []byte("II*\x00\x08\x00\x00\x00\x00\x00\x00\x00")
	xmp := []byte("<x:xmpmeta/>")
	frames := animSynthetic()[:3]
	out := animEncode(t, WebP, frames, []time.Duration{0, 0, 0}, 0, EncodeOptions{ICC: icc, EXIF: exif, XMP: xmp})
	chunks := map[string][]byte{}
	if err := walkRIFF(out[12:], func(id string, data []byte) error {
		chunks[id] = data
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(chunks["ICCP"], icc) || !bytes.Equal(chunks["EXIF"], exif) || !bytes.Equal(chunks["XMP "], xmp) {
		t.Errorf("chunks %q: metadata missing", func() []string {
			var ids []string
			for id := range chunks {
				ids = append(ids, id)
			}
			return ids
		}())
	}
	if x := chunks["VP8X"]; x[0]&(animWebPFlagICC|animWebPFlagEXIF|animWebPFlagXMP|webpFlagAnimation) != animWebPFlagICC|animWebPFlagEXIF|animWebPFlagXMP|webpFlagAnimation {
		t.Errorf("VP8X flags %08b", x[0])
	}
	img, err := Decode(context.Background(), out, Limits{}, DecodeHint{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(img.ICC, icc) || !img.Header.Animated {
		t.Errorf("Decode: Animated %v, ICC of %d bytes", img.Header.Animated, len(img.ICC))
	}
	if _, err := exec.LookPath("webpmux"); err == nil {
		path := filepath.Join(t.TempDir(), "a.webp")
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		if msg, err := exec.Command("webpmux", "-info", path).CombinedOutput(); err != nil || !bytes.Contains(msg, []byte("Number of frames: 3")) {
			t.Errorf("webpmux -info: %v\n%s", err, msg)
		}
	}
}

// animPhoto returns a corpus photo scaled to w pixels wide.
func animPhoto(t testing.TB, name string, w int) *image.NRGBA {
	t.Helper()
	img, err := Decode(context.Background(), testcorpus.Read(t, name), Limits{}, DecodeHint{})
	if err != nil {
		t.Fatal(err)
	}
	r := img.Pixels.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, w, r.Dy()*w/r.Dx()))
	xdraw.CatmullRom.Scale(out, out.Rect, img.Pixels, r, xdraw.Src, nil)
	return out
}

// TestEncodeGIFBeatsPlan9 compares the still GIF encoder with image/gif's
// default (the Plan 9 palette with Floyd–Steinberg dithering).
func TestEncodeGIFBeatsPlan9(t *testing.T) {
	for _, name := range []string{"jpeg-photo-1920x1080.jpg", "gif-static-800x533.gif"} {
		img := animPhoto(t, name, 480)
		var ours, plan9 bytes.Buffer
		if err := EncodeGIF(&ours, img); err != nil {
			t.Fatal(err)
		}
		if err := gif.Encode(&plan9, img, nil); err != nil {
			t.Fatal(err)
		}
		decode := func(b []byte) *image.NRGBA {
			info, frames, _ := animDecodeAll(t, b, Limits{}, AnimLimits{})
			if info.Frames != 1 || info.LoopCount != 1 {
				t.Errorf("still GIF Info = %+v", info)
			}
			return frames[0]
		}
		p, q := psnr(img, decode(ours.Bytes())), psnr(img, decode(plan9.Bytes()))
		t.Logf("%s at 480 wide: ours %.2f dB in %d bytes, image/gif Plan9 %.2f dB in %d bytes", name, p, ours.Len(), q, plan9.Len())
		if p < q+6 {
			t.Errorf("%s: PSNR %.2f dB, want 6 dB above image/gif's %.2f", name, p, q)
		}
	}
	// Transparency: alpha below 128 is transparent, the rest opaque.
	m := image.NewNRGBA(image.Rect(5, 5, 261, 15))
	for y := 5; y < 15; y++ {
		for x := 5; x < 261; x++ {
			m.SetNRGBA(x, y, color.NRGBA{uint8(x), 40, 90, uint8(x - 5)})
		}
	}
	var buf bytes.Buffer
	if err := EncodeGIF(&buf, m); err != nil {
		t.Fatal(err)
	}
	_, frames, _ := animDecodeAll(t, buf.Bytes(), Limits{}, AnimLimits{})
	for x := 0; x < 256; x++ {
		c := frames[0].NRGBAAt(x, 3)
		if want := uint8(x + 5); (x >= 128) != (c.A == 0xff) || c.A == 0xff && c != (color.NRGBA{want, 40, 90, 0xff}) {
			t.Fatalf("pixel %d (alpha %d) = %v", x, x, c)
		}
	}
	if err := EncodeGIF(io.Discard, image.NewNRGBA(image.Rect(0, 0, 0, 3))); !errors.Is(err, ErrEncode) {
		t.Errorf("empty image: %v", err)
	}
}

// maxAnimFuzzAlloc bounds what one fuzzed animation may make the decoder
// allocate under animFuzzLimits: a few copies of each pixel composited,
// and the frame files.
const maxAnimFuzzAlloc = 40*4_000_000 + 32<<20

var animFuzzLimits = AnimLimits{MaxFrames: 64, MaxTotalPixels: 4_000_000}

func FuzzAnimDecode(f *testing.F) {
	for _, name := range []string{"gif-animated-121x128.gif", "gif-animated-80x80.gif", "webp-animated-80x80.webp", "hostile-truncated-575x800.gif"} {
		if b := testcorpus.ReadSeed(name); b != nil {
			f.Add(b)
		}
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, &gif.GIF{
		Image:    []*image.Paletted{animPaletted(0, 0, "RR", "RR"), animPaletted(1, 0, ".B"), animPaletted(0, 1, "G")},
		Delay:    []int{1, 2, 3},
		Disposal: []byte{gif.DisposalNone, gif.DisposalBackground, gif.DisposalPrevious},
	}); err == nil {
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var frames int
		n := allocated(func() {
			d, err := NewAnimDecoder(context.Background(), b, fuzzLimits, animFuzzLimits)
			if err != nil {
				if c := class(err); c[:2] == "ot" {
					t.Fatalf("NewAnimDecoder error %v is not classified", err)
				}
				return
			}
			info := d.Info()
			if info.Frames < 1 || info.Frames > animFuzzLimits.MaxFrames {
				t.Fatalf("Info = %+v", info)
			}
			for {
				m, _, err := d.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					if c := class(err); c != "corrupt" {
						t.Fatalf("Next error %v is not ErrCorrupt", err)
					}
					return
				}
				if m.Rect != image.Rect(0, 0, info.Width, info.Height) {
					t.Fatalf("frame bounds %v, Info %+v", m.Rect, info)
				}
				frames++
			}
			if frames != info.Frames {
				t.Fatalf("%d frames, Info says %d", frames, info.Frames)
			}
		})
		if n > maxAnimFuzzAlloc {
			t.Fatalf("decoding %d frames allocated %d bytes, want at most %d", frames, n, maxAnimFuzzAlloc)
		}
	})
}
