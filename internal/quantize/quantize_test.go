package quantize

import (
	"bytes"
	"image"
	"image/color"
	"image/color/palette"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"testing"

	xdraw "golang.org/x/image/draw"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// photo returns a corpus image as NRGBA, scaled to width w (0 keeps it).
func photo(tb testing.TB, name string, w int) *image.NRGBA {
	tb.Helper()
	b := testcorpus.Read(tb, name)
	var (
		img image.Image
		err error
	)
	if name[len(name)-4:] == ".gif" {
		img, err = gif.Decode(bytes.NewReader(b))
	} else {
		img, err = jpeg.Decode(bytes.NewReader(b))
	}
	if err != nil {
		tb.Fatalf("decode %s: %v", name, err)
	}
	r := img.Bounds()
	if w == 0 {
		w = r.Dx()
	}
	h := r.Dy() * w / r.Dx()
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	xdraw.CatmullRom.Scale(out, out.Rect, img, r, xdraw.Src, nil)
	return out
}

// psnr compares the RGB of a paletted image with the original.
func psnr(a *image.NRGBA, p *image.Paletted) float64 {
	var sse float64
	r := a.Rect
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := a.NRGBAAt(x, y)
			q := color.NRGBAModel.Convert(p.At(x, y)).(color.NRGBA)
			for _, d := range [3]float64{float64(c.R) - float64(q.R), float64(c.G) - float64(q.G), float64(c.B) - float64(q.B)} {
				sse += d * d
			}
		}
	}
	mse := sse / float64(3*r.Dx()*r.Dy())
	return 10 * math.Log10(255*255/mse)
}

// plan9 is what image/gif does by default: the Plan 9 palette with
// Floyd–Steinberg dithering.
func plan9(img *image.NRGBA) *image.Paletted {
	p := image.NewPaletted(img.Rect, palette.Plan9)
	draw.FloydSteinberg.Draw(p, img.Rect, img, img.Rect.Min)
	return p
}

func TestQuantizePSNRBeatsPlan9(t *testing.T) {
	for _, c := range []struct {
		name  string
		width int
	}{
		{"jpeg-photo-1920x1080.jpg", 640},
		{"gif-static-800x533.gif", 400},
		{"jpeg-prophoto-icc-1680x1050.jpg", 560},
	} {
		t.Run(c.name, func(t *testing.T) {
			img := photo(t, c.name, c.width)
			base := psnr(img, plan9(img))
			plain := psnr(img, Quantize(img, Options{}))
			dith := psnr(img, Quantize(img, Options{Dither: true}))
			t.Logf("%s %v: Plan9+FS %.2f dB, ours %.2f dB, ours+FS %.2f dB", c.name, img.Rect.Size(), base, plain, dith)
			if plain < base+3 {
				t.Errorf("PSNR %.2f dB does not beat Plan9+FS (%.2f dB) by 3 dB", plain, base)
			}
			if dith < base+1 {
				t.Errorf("dithered PSNR %.2f dB does not beat Plan9+FS (%.2f dB) by 1 dB", dith, base)
			}
		})
	}
}

func TestPaletteKeepsFewColoursExactly(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 40, 30))
	want := []color.NRGBA{{10, 20, 30, 255}, {200, 0, 7, 255}, {1, 2, 3, 200}}
	for i := range img.Pix[:len(img.Pix)/4] {
		c := want[i%3]
		if i%7 == 6 {
			c = color.NRGBA{99, 99, 99, 10} // transparent: not counted
		}
		img.SetNRGBA(i%40, i/40, c)
	}
	got := Palette(img, 3)
	if len(got) != 3 {
		t.Fatalf("Palette = %v, want the 3 opaque colours", got)
	}
	for i, c := range got {
		if w := want[i]; c != (color.NRGBA{w.R, w.G, w.B, 255}) {
			t.Errorf("entry %d = %v, want %v", i, c, w)
		}
	}
	if got := Palette(img, 2); len(got) != 2 {
		t.Errorf("Palette(n=2) has %d colours", len(got))
	}
}

func TestMapNearestMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 17, 255} {
		pal := make(color.Palette, n)
		for i := range pal {
			pal[i] = color.NRGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255}
		}
		pal = append(pal, color.NRGBA{}) // transparent: never chosen
		m := NewMap(pal)
		if m.Transparent() != n {
			t.Fatalf("Transparent() = %d, want %d", m.Transparent(), n)
		}
		for k := 0; k < 20000; k++ {
			r, g, b := uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256))
			if k%3 == 0 { // revisit colours to exercise the cache
				r, g, b = uint8(k%7*30), uint8(k%5*50), uint8(k%11*20)
			}
			best, bd := 0, 1<<30
			for i, c := range pal[:n] {
				c := c.(color.NRGBA)
				dr, dg, db := int(c.R)-int(r), int(c.G)-int(g), int(c.B)-int(b)
				if d := dr*dr + dg*dg + db*db; d < bd {
					best, bd = i, d
				}
			}
			if got := m.Index(r, g, b); int(got) != best {
				t.Fatalf("n=%d Index(%d,%d,%d) = %d, want %d", n, r, g, b, got, best)
			}
		}
	}
}

func TestQuantizeTransparency(t *testing.T) {
	img := photo(t, "jpeg-photo-1920x1080.jpg", 160)
	for y := 0; y < 20; y++ {
		for x := 0; x < 160; x++ {
			c := img.NRGBAAt(x, y)
			c.A = uint8(x) // below 128 up to x=127
			img.SetNRGBA(x, y, c)
		}
	}
	for _, dither := range []bool{false, true} {
		p := Quantize(img, Options{Colors: 64, Dither: dither})
		if len(p.Palette) > 64 {
			t.Fatalf("palette has %d colours, want at most 64", len(p.Palette))
		}
		ti := len(p.Palette) - 1
		if p.Palette[ti] != (color.NRGBA{}) {
			t.Fatalf("last entry %v, want transparent", p.Palette[ti])
		}
		for y := 0; y < img.Rect.Dy(); y++ {
			for x := 0; x < img.Rect.Dx(); x++ {
				if got, want := p.ColorIndexAt(x, y) == uint8(ti), img.NRGBAAt(x, y).A < 128; got != want {
					t.Fatalf("dither=%v pixel (%d,%d) alpha %d: transparent=%v", dither, x, y, img.NRGBAAt(x, y).A, got)
				}
			}
		}
	}
	// An opaque image gets no transparent entry.
	opaque := photo(t, "jpeg-photo-1920x1080.jpg", 64)
	p := Quantize(opaque, Options{Colors: 16})
	for _, c := range p.Palette {
		if c.(color.NRGBA).A != 255 {
			t.Fatalf("opaque image got palette entry %v", c)
		}
	}
}

func TestDitherKeepsMean(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for i := range img.Pix {
		img.Pix[i] = 96
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	pal := color.Palette{color.NRGBA{0, 0, 0, 255}, color.NRGBA{255, 255, 255, 255}}
	mean := func(dither bool) float64 {
		p := image.NewPaletted(img.Rect, pal)
		NewMap(pal).Draw(p, img, dither)
		s := 0
		for _, v := range p.Pix {
			s += int(v) * 255
		}
		return float64(s) / float64(len(p.Pix))
	}
	if got := mean(false); got != 0 {
		t.Errorf("plain mapping mean %v, want 0 (all black)", got)
	}
	if got := mean(true); math.Abs(got-96) > 2 {
		t.Errorf("dithered mean %v, want 96±2", got)
	}
}

func TestExact(t *testing.T) {
	img := image.NewNRGBA(image.Rect(3, 4, 23, 14))
	cols := []color.NRGBA{{255, 0, 0, 255}, {0, 0, 0, 0}, {1, 2, 3, 255}, {9, 9, 9, 128}, {5, 0, 0, 0}}
	for y := 4; y < 14; y++ {
		for x := 3; x < 23; x++ {
			img.SetNRGBA(x, y, cols[(x*y)%len(cols)])
		}
	}
	p, ok := Exact(img, 5)
	if !ok {
		t.Fatal("Exact(5) = false for 5 colours")
	}
	if p.Rect != img.Rect || len(p.Palette) != 5 {
		t.Fatalf("Exact: rect %v palette %v", p.Rect, p.Palette)
	}
	for i, c := range p.Palette {
		if opaque := c.(color.NRGBA).A == 255; opaque != (i >= 3) {
			t.Errorf("palette %v: translucent entries must come first", p.Palette)
			break
		}
	}
	for y := 4; y < 14; y++ {
		for x := 3; x < 23; x++ {
			if got, want := p.Palette[p.ColorIndexAt(x, y)], img.NRGBAAt(x, y); got != want {
				t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, got, want)
			}
		}
	}
	if _, ok := Exact(img, 4); ok {
		t.Error("Exact(4) = true for 5 colours")
	}
	if _, ok := Exact(photo(t, "jpeg-photo-1920x1080.jpg", 100), 256); ok {
		t.Error("Exact(256) = true for a photograph")
	}
}

func BenchmarkPalette1920x1080(b *testing.B) {
	img := photo(b, "jpeg-photo-1920x1080.jpg", 0)
	var q Quantizer
	b.ReportAllocs()
	for b.Loop() {
		q.Palette(img, 256)
	}
}

func benchDraw(b *testing.B, dither bool) {
	img := photo(b, "jpeg-photo-1920x1080.jpg", 0)
	pal := Palette(img, 256)
	dst := image.NewPaletted(img.Rect, pal)
	m := NewMap(pal)
	b.ReportAllocs()
	for b.Loop() {
		m.Reset(pal)
		m.Draw(dst, img, dither)
	}
}

func BenchmarkDraw1920x1080(b *testing.B)       { benchDraw(b, false) }
func BenchmarkDrawDither1920x1080(b *testing.B) { benchDraw(b, true) }
func BenchmarkPlan9Dither1920x1080(b *testing.B) {
	img := photo(b, "jpeg-photo-1920x1080.jpg", 0)
	b.ReportAllocs()
	for b.Loop() {
		plan9(img)
	}
}

func BenchmarkExact(b *testing.B) {
	img := photo(b, "jpeg-photo-1920x1080.jpg", 0)
	p := Quantize(img, Options{})
	few := image.NewNRGBA(img.Rect)
	draw.Draw(few, few.Rect, p, p.Rect.Min, draw.Src)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := Exact(few, 256); !ok {
			b.Fatal("not exact")
		}
	}
}

// TestQuantizerReuse checks that a reused Quantizer and Map give what
// fresh ones give.
func TestQuantizerReuse(t *testing.T) {
	a := photo(t, "jpeg-photo-1920x1080.jpg", 200)
	b := photo(t, "jpeg-prophoto-icc-1680x1050.jpg", 150)
	var q Quantizer
	var m Map
	for _, img := range []*image.NRGBA{a, b, a} {
		got, want := q.Palette(img, 100), Palette(img, 100)
		if len(got) != len(want) {
			t.Fatalf("reused Quantizer: %d colours, fresh %d", len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("reused Quantizer: entry %d = %v, fresh %v", i, got[i], want[i])
			}
		}
		m.Reset(got)
		p1 := image.NewPaletted(img.Rect, got)
		m.Draw(p1, img, true)
		p2 := image.NewPaletted(img.Rect, got)
		NewMap(got).Draw(p2, img, true)
		if !bytes.Equal(p1.Pix, p2.Pix) {
			t.Fatal("reused Map maps differently")
		}
	}
}
