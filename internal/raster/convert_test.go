package raster

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// opaque hides the concrete type of an image, to reach the generic path.
type opaque struct{ image.Image }

func round8(v uint32) uint8 { return uint8(math.Round(float64(v) * 255 / 65535)) }

func TestRound16(t *testing.T) {
	for v := uint32(0); v <= 0xffff; v++ {
		if got, want := round16(v), round8(v); got != want {
			t.Fatalf("round16(%d) = %d, want %d", v, got, want)
		}
	}
}

// wantNRGBA is the reference conversion of one pixel, written with the
// colour package.
func wantNRGBA(c color.Color) color.NRGBA {
	switch c := c.(type) {
	case color.YCbCr:
		r, g, b := color.YCbCrToRGB(c.Y, c.Cb, c.Cr)
		return color.NRGBA{r, g, b, 0xff}
	case color.NYCbCrA:
		r, g, b := color.YCbCrToRGB(c.Y, c.Cb, c.Cr)
		return color.NRGBA{r, g, b, c.A}
	case color.CMYK:
		r, g, b := color.CMYKToRGB(c.C, c.M, c.Y, c.K)
		return color.NRGBA{r, g, b, 0xff}
	case color.RGBA, color.Gray, color.NRGBA:
		return color.NRGBAModel.Convert(c).(color.NRGBA)
	}
	n := color.NRGBA64Model.Convert(c).(color.NRGBA64)
	return color.NRGBA{round8(uint32(n.R)), round8(uint32(n.G)), round8(uint32(n.B)), round8(uint32(n.A))}
}

func TestToNRGBA(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	imgs := testImages(rng)
	// Premultiplied images with valid colours (channel <= alpha).
	for _, r := range []image.Rectangle{image.Rect(0, 0, 9, 7), image.Rect(-2, 3, 5, 6)} {
		m := image.NewRGBA(r)
		for i := 0; i < len(m.Pix); i += 4 {
			a := uint8(rng.UintN(256))
			if i%12 == 0 {
				a = 0xff
			}
			m.Pix[i+3] = a
			for j := 0; j < 3; j++ {
				m.Pix[i+j] = uint8(rng.UintN(uint(a) + 1))
			}
		}
		imgs["RGBAvalid/"+r.String()] = m
		m64 := image.NewRGBA64(r)
		for i := 0; i < len(m64.Pix); i += 8 {
			a := uint16(rng.UintN(0x10000))
			if i%24 == 0 {
				a = 0xffff
			}
			m64.Pix[i+6], m64.Pix[i+7] = uint8(a>>8), uint8(a)
			for j := 0; j < 3; j++ {
				v := uint16(rng.UintN(uint(a) + 1))
				m64.Pix[i+2*j], m64.Pix[i+2*j+1] = uint8(v>>8), uint8(v)
			}
		}
		imgs["RGBA64valid/"+r.String()] = m64
		imgs["generic/"+r.String()] = opaque{m64}
	}
	for name, m := range imgs {
		if strings.HasPrefix(name, "RGBA/") {
			continue // random premultiplied data is invalid; see RGBAvalid
		}
		got := ToNRGBA(m)
		if got.Rect != m.Bounds() {
			t.Fatalf("%s: bounds %v, want %v", name, got.Rect, m.Bounds())
		}
		b := m.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				want := wantNRGBA(m.At(x, y))
				if have := got.NRGBAAt(x, y); have != want {
					t.Fatalf("%s: pixel (%d,%d) = %v, want %v (source %#v)", name, x, y, have, want, m.At(x, y))
				}
			}
		}
	}
}

func TestToNRGBAReturnsNRGBA(t *testing.T) {
	m := image.NewNRGBA(image.Rect(0, 0, 2, 2))
	if ToNRGBA(m) != m {
		t.Error("ToNRGBA(*image.NRGBA) copied the image, want it returned as it is")
	}
}

func TestToGray(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	g16 := image.NewGray16(image.Rect(1, 2, 40, 9))
	fill(rng, g16.Pix)
	got := ToGray(g16)
	for y := g16.Rect.Min.Y; y < g16.Rect.Max.Y; y++ {
		for x := g16.Rect.Min.X; x < g16.Rect.Max.X; x++ {
			if want := round8(uint32(g16.Gray16At(x, y).Y)); got.GrayAt(x, y).Y != want {
				t.Fatalf("ToGray(Gray16) at (%d,%d) = %d, want %d", x, y, got.GrayAt(x, y).Y, want)
			}
		}
	}
	g := image.NewGray(image.Rect(0, 0, 2, 2))
	if ToGray(g) != g {
		t.Error("ToGray(*image.Gray) copied the image, want it returned as it is")
	}
	n := image.NewNRGBA(image.Rect(0, 0, 3, 1))
	copy(n.Pix, []byte{255, 255, 255, 255, 0, 0, 0, 255, 10, 20, 30, 255})
	gg := ToGray(n)
	for x := 0; x < 3; x++ {
		if want := color.GrayModel.Convert(n.At(x, 0)).(color.Gray); gg.GrayAt(x, 0) != want {
			t.Errorf("ToGray(NRGBA) at %d = %v, want %v", x, gg.GrayAt(x, 0), want)
		}
	}
}

func BenchmarkToNRGBAYCbCr420(b *testing.B) {
	m := image.NewYCbCr(image.Rect(0, 0, 1920, 1080), image.YCbCrSubsampleRatio420)
	b.SetBytes(int64(1920 * 1080 * 4))
	b.ReportAllocs()
	for b.Loop() {
		ToNRGBA(m)
	}
}
