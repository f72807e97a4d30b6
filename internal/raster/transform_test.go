package raster

import (
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

// srcCoord returns the source pixel that lands at (x, y) of the output when
// the transform of orientation o is applied to a w×h image, written out case
// by case independently of the implementation.
func srcCoord(o, x, y, w, h int) (int, int) {
	switch o {
	case OrientFlipH:
		return w - 1 - x, y
	case OrientRotate180:
		return w - 1 - x, h - 1 - y
	case OrientFlipV:
		return x, h - 1 - y
	case OrientTranspose:
		return y, x
	case OrientRotate90:
		return y, h - 1 - x
	case OrientTransverse:
		return w - 1 - y, h - 1 - x
	case OrientRotate270:
		return w - 1 - y, x
	}
	return x, y
}

var transforms = map[int]func(image.Image) image.Image{
	OrientFlipH:      FlipH,
	OrientRotate180:  Rotate180,
	OrientFlipV:      FlipV,
	OrientTranspose:  Transpose,
	OrientRotate90:   Rotate90,
	OrientTransverse: Transverse,
	OrientRotate270:  Rotate270,
}

func fill(rng *rand.Rand, b []byte) {
	for i := range b {
		b[i] = uint8(rng.UintN(256))
	}
}

// testImages returns images of every supported type, with random pixels, in
// bounds that are not all at the origin and not all of even size.
func testImages(rng *rand.Rand) map[string]image.Image {
	rects := []image.Rectangle{
		image.Rect(0, 0, 1, 1),
		image.Rect(0, 0, 5, 3),
		image.Rect(0, 0, 4, 2),
		image.Rect(0, 0, 8, 8),
		image.Rect(0, 0, 7, 1),
		image.Rect(0, 0, 70, 37), // more than one tile
		image.Rect(4, 2, 13, 9),  // aligned for every ratio, odd size
		image.Rect(3, 1, 11, 7),  // unaligned origin
		image.Rect(-3, -5, 6, 2), // negative origin
	}
	ratios := []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422,
		image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio440,
		image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	}
	out := map[string]image.Image{}
	for _, r := range rects {
		for _, ratio := range ratios {
			m := image.NewYCbCr(r, ratio)
			fill(rng, m.Y)
			fill(rng, m.Cb)
			fill(rng, m.Cr)
			out[fmt.Sprintf("YCbCr%s/%v", ratio, r)] = m
		}
		a := image.NewNYCbCrA(r, image.YCbCrSubsampleRatio420)
		fill(rng, a.Y)
		fill(rng, a.Cb)
		fill(rng, a.Cr)
		fill(rng, a.A)
		out[fmt.Sprintf("NYCbCrA/%v", r)] = a
		g := image.NewGray(r)
		fill(rng, g.Pix)
		out[fmt.Sprintf("Gray/%v", r)] = g
		g16 := image.NewGray16(r)
		fill(rng, g16.Pix)
		out[fmt.Sprintf("Gray16/%v", r)] = g16
		n := image.NewNRGBA(r)
		fill(rng, n.Pix)
		out[fmt.Sprintf("NRGBA/%v", r)] = n
		n64 := image.NewNRGBA64(r)
		fill(rng, n64.Pix)
		out[fmt.Sprintf("NRGBA64/%v", r)] = n64
		rgba := image.NewRGBA(r)
		fill(rng, rgba.Pix)
		out[fmt.Sprintf("RGBA/%v", r)] = rgba
		c := image.NewCMYK(r)
		fill(rng, c.Pix)
		out[fmt.Sprintf("CMYK/%v", r)] = c
		p := image.NewPaletted(r, color.Palette{color.Black, color.White, color.RGBA{1, 2, 3, 255}})
		for i := range p.Pix {
			p.Pix[i] = uint8(rng.UintN(3))
		}
		out[fmt.Sprintf("Paletted/%v", r)] = p
		// A sub-image, so that Stride is wider than the row.
		big := image.NewNRGBA(r.Inset(-2))
		fill(rng, big.Pix)
		out[fmt.Sprintf("NRGBAsub/%v", r)] = big.SubImage(r)
		bigY := image.NewYCbCr(image.Rect(r.Min.X-4, r.Min.Y-4, r.Max.X+4, r.Max.Y+4), image.YCbCrSubsampleRatio420)
		fill(rng, bigY.Y)
		fill(rng, bigY.Cb)
		fill(rng, bigY.Cr)
		out[fmt.Sprintf("YCbCr420sub/%v", r)] = bigY.SubImage(r)
	}
	return out
}

// samePixels reports the first pixel at which got (at the origin) differs
// from src transformed by o, comparing colours in src's own model.
func checkTransformed(t *testing.T, name string, src, got image.Image, o int) {
	t.Helper()
	sb := src.Bounds()
	w, h := sb.Dx(), sb.Dy()
	ow, oh := OrientedSize(w, h, o)
	if gb := got.Bounds(); gb != image.Rect(0, 0, ow, oh) {
		t.Fatalf("%s: orientation %d: bounds %v, want %v", name, o, gb, image.Rect(0, 0, ow, oh))
	}
	for y := 0; y < oh; y++ {
		for x := 0; x < ow; x++ {
			sx, sy := srcCoord(o, x, y, w, h)
			want := src.At(sb.Min.X+sx, sb.Min.Y+sy)
			have := got.At(x, y)
			if want != have {
				// A type conversion (such as to NRGBA) changes the colour
				// model; compare the 16-bit values then.
				if src.ColorModel() == got.ColorModel() || !sameRGBA(want, have) {
					t.Fatalf("%s: orientation %d: pixel (%d,%d) = %v, want %v (from source (%d,%d))",
						name, o, x, y, have, want, sx, sy)
				}
			}
		}
	}
}

func sameRGBA(a, b color.Color) bool {
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}

func TestTransformsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for name, src := range testImages(rng) {
		for o, f := range transforms {
			got := f(src)
			checkTransformed(t, name, src, got, o)
			if g2 := Orient(src, o); g2.Bounds() != got.Bounds() {
				t.Fatalf("%s: Orient(%d) bounds %v, want %v", name, o, g2.Bounds(), got.Bounds())
			}
		}
	}
}

func TestTransformKeepsType(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for name, src := range testImages(rng) {
		for o, f := range transforms {
			got := f(src)
			if fmt.Sprintf("%T", got) != fmt.Sprintf("%T", src) {
				t.Errorf("%s: orientation %d returned %T, want %T", name, o, got, src)
			}
		}
	}
}

func TestGrayByHand(t *testing.T) {
	// 1 2 3
	// 4 5 6
	src := &image.Gray{Pix: []byte{1, 2, 3, 4, 5, 6}, Stride: 3, Rect: image.Rect(0, 0, 3, 2)}
	tests := map[string]struct {
		f    func(image.Image) image.Image
		want []byte
		w    int
	}{
		"Rotate90":   {Rotate90, []byte{4, 1, 5, 2, 6, 3}, 2},
		"Rotate180":  {Rotate180, []byte{6, 5, 4, 3, 2, 1}, 3},
		"Rotate270":  {Rotate270, []byte{3, 6, 2, 5, 1, 4}, 2},
		"FlipH":      {FlipH, []byte{3, 2, 1, 6, 5, 4}, 3},
		"FlipV":      {FlipV, []byte{4, 5, 6, 1, 2, 3}, 3},
		"Transpose":  {Transpose, []byte{1, 4, 2, 5, 3, 6}, 2},
		"Transverse": {Transverse, []byte{6, 3, 5, 2, 4, 1}, 2},
	}
	for name, tt := range tests {
		got := tt.f(src).(*image.Gray)
		if got.Rect.Dx() != tt.w || string(got.Pix) != string(tt.want) {
			t.Errorf("%s = %v (width %d), want %v (width %d)", name, got.Pix, got.Rect.Dx(), tt.want, tt.w)
		}
	}
}

func TestSubsampleRatios(t *testing.T) {
	tests := []struct {
		ratio image.YCbCrSubsampleRatio
		w, h  int
		f     func(image.Image) image.Image
		want  image.YCbCrSubsampleRatio
	}{
		{image.YCbCrSubsampleRatio422, 8, 6, Rotate90, image.YCbCrSubsampleRatio440},
		{image.YCbCrSubsampleRatio440, 8, 6, Rotate270, image.YCbCrSubsampleRatio422},
		{image.YCbCrSubsampleRatio420, 8, 6, Transpose, image.YCbCrSubsampleRatio420},
		{image.YCbCrSubsampleRatio420, 8, 6, FlipH, image.YCbCrSubsampleRatio420},
		{image.YCbCrSubsampleRatio420, 7, 6, FlipH, image.YCbCrSubsampleRatio444},    // odd width split
		{image.YCbCrSubsampleRatio420, 7, 6, FlipV, image.YCbCrSubsampleRatio420},    // width not reversed
		{image.YCbCrSubsampleRatio420, 7, 6, Rotate90, image.YCbCrSubsampleRatio420}, // reads y backwards only
		{image.YCbCrSubsampleRatio420, 8, 5, Rotate90, image.YCbCrSubsampleRatio444},
		{image.YCbCrSubsampleRatio411, 8, 6, Rotate90, image.YCbCrSubsampleRatio444},
		{image.YCbCrSubsampleRatio411, 8, 6, FlipH, image.YCbCrSubsampleRatio411},
		{image.YCbCrSubsampleRatio410, 8, 6, Transverse, image.YCbCrSubsampleRatio444},
		{image.YCbCrSubsampleRatio444, 7, 5, Transverse, image.YCbCrSubsampleRatio444},
	}
	for _, tt := range tests {
		m := image.NewYCbCr(image.Rect(0, 0, tt.w, tt.h), tt.ratio)
		got := tt.f(m).(*image.YCbCr).SubsampleRatio
		if got != tt.want {
			t.Errorf("%v %dx%d: ratio %v, want %v", tt.ratio, tt.w, tt.h, got, tt.want)
		}
	}
}

func TestOrientInverse(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for name, src := range testImages(rng) {
		for o := 1; o <= 8; o++ {
			back := Orient(Orient(src, o), Inverse(o))
			checkTransformed(t, fmt.Sprintf("%s round trip %d", name, o), rebase(src), rebase(back), 1)
		}
	}
}

func TestOrientInvalid(t *testing.T) {
	m := image.NewGray(image.Rect(0, 0, 2, 3))
	for _, o := range []int{-1, 0, 1, 9, 100} {
		if got := Orient(m, o); got != image.Image(m) {
			t.Errorf("Orient(m, %d) returned a new image, want m itself", o)
		}
	}
}

// rebase returns img moved to the origin (by value), for comparisons with
// transformed images.
func rebase(img image.Image) image.Image {
	b := img.Bounds()
	return translated{img, b.Min}
}

type translated struct {
	image.Image
	off image.Point
}

func (t translated) Bounds() image.Rectangle { return t.Image.Bounds().Sub(t.off) }
func (t translated) At(x, y int) color.Color { return t.Image.At(x+t.off.X, y+t.off.Y) }

func TestCompose(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	src := image.NewNRGBA(image.Rect(0, 0, 5, 3))
	fill(rng, src.Pix)
	for a := 1; a <= 8; a++ {
		if c := Compose(a, Inverse(a)); c != 1 {
			t.Errorf("Compose(%d, Inverse(%d)) = %d, want 1", a, a, c)
		}
		for b := 1; b <= 8; b++ {
			want := Orient(Orient(src, a), b)
			got := Orient(src, Compose(a, b))
			checkTransformed(t, fmt.Sprintf("Compose(%d,%d)", a, b), rebase(want), got, 1)
		}
	}
}

func TestOrientedSize(t *testing.T) {
	for o := 1; o <= 8; o++ {
		w, h := OrientedSize(30, 20, o)
		want := [2]int{30, 20}
		if o >= 5 {
			want = [2]int{20, 30}
		}
		if [2]int{w, h} != want {
			t.Errorf("OrientedSize(30, 20, %d) = %d, %d, want %v", o, w, h, want)
		}
	}
}

func BenchmarkRotate90YCbCr12MP(b *testing.B) {
	m := image.NewYCbCr(image.Rect(0, 0, 4032, 3024), image.YCbCrSubsampleRatio420)
	b.SetBytes(int64(len(m.Y) + len(m.Cb) + len(m.Cr)))
	b.ReportAllocs()
	for b.Loop() {
		Rotate90(m)
	}
}

func BenchmarkRotate90NRGBA4MP(b *testing.B) {
	m := image.NewNRGBA(image.Rect(0, 0, 2000, 2000))
	b.SetBytes(int64(len(m.Pix)))
	b.ReportAllocs()
	for b.Loop() {
		Rotate90(m)
	}
}
