package resample

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg"
	_ "image/png"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// decode returns the corpus image name, decoded by the standard library.
func decode(tb testing.TB, name string) image.Image {
	tb.Helper()
	img, _, err := image.Decode(bytes.NewReader(testcorpus.Read(tb, name)))
	if err != nil {
		tb.Fatalf("decode %s: %v", name, err)
	}
	return img
}

var ratios = []image.YCbCrSubsampleRatio{
	image.YCbCrSubsampleRatio444,
	image.YCbCrSubsampleRatio422,
	image.YCbCrSubsampleRatio420,
	image.YCbCrSubsampleRatio440,
	image.YCbCrSubsampleRatio411,
	image.YCbCrSubsampleRatio410,
}

// uniform returns a w×h image of type kind filled with one colour.
func uniform(kind string, w, h int) image.Image {
	r := image.Rect(3, -2, 3+w, -2+h) // bounds away from the origin on purpose
	switch kind {
	case "gray":
		m := image.NewGray(r)
		fill(m.Pix, []uint8{173})
		return m
	case "rgba":
		m := image.NewRGBA(r)
		fill(m.Pix, []uint8{90, 0, 150, 200})
		return m
	case "nrgba":
		m := image.NewNRGBA(r)
		fill(m.Pix, []uint8{250, 7, 128, 255})
		return m
	case "nrgba-half":
		m := image.NewNRGBA(r)
		fill(m.Pix, []uint8{250, 7, 128, 128})
		return m
	case "nrgba-faint":
		m := image.NewNRGBA(r)
		fill(m.Pix, []uint8{201, 99, 3, 1})
		return m
	}
	for _, ratio := range ratios {
		if kind == "ycbcr-"+ratio.String() {
			m := image.NewYCbCr(r, ratio)
			fill(m.Y, []uint8{16})
			fill(m.Cb, []uint8{200})
			fill(m.Cr, []uint8{31})
			return m
		}
	}
	panic("unknown kind " + kind)
}

func fill(pix, v []uint8) {
	for i := range pix {
		pix[i] = v[i%len(v)]
	}
}

// constant reports the first sample of m that differs from the colour m
// was filled with by uniform, or "" when there is none.
func constant(m image.Image) string {
	check := func(name string, pix []uint8, stride, w, h int, v []uint8) string {
		for y := range h {
			for x := range w * len(v) {
				if got := pix[y*stride+x]; got != v[x%len(v)] {
					return fmt.Sprintf("%s(%d, %d) channel %d = %d, want %d", name, x/len(v), y, x%len(v), got, v[x%len(v)])
				}
			}
		}
		return ""
	}
	b := m.Bounds()
	switch m := m.(type) {
	case *image.Gray:
		return check("Gray", m.Pix, m.Stride, b.Dx(), b.Dy(), []uint8{173})
	case *image.RGBA:
		return check("RGBA", m.Pix, m.Stride, b.Dx(), b.Dy(), []uint8{90, 0, 150, 200})
	case *image.NRGBA:
		want := []uint8{250, 7, 128, m.Pix[3]}
		if m.Pix[3] == 1 {
			want = []uint8{201, 99, 3, 1}
		}
		return check("NRGBA", m.Pix, m.Stride, b.Dx(), b.Dy(), want)
	case *image.YCbCr:
		cw, ch := chromaSize(b.Dx(), b.Dy(), m.SubsampleRatio)
		if s := check("Y", m.Y, m.YStride, b.Dx(), b.Dy(), []uint8{16}); s != "" {
			return s
		}
		if s := check("Cb", m.Cb, m.CStride, cw, ch, []uint8{200}); s != "" {
			return s
		}
		return check("Cr", m.Cr, m.CStride, cw, ch, []uint8{31})
	}
	return fmt.Sprintf("unexpected type %T", m)
}

// chromaSize returns the size of the chroma planes of a w×h YCbCr image
// whose bounds start at the origin.
func chromaSize(w, h int, ratio image.YCbCrSubsampleRatio) (int, int) {
	hx, hy, _ := subsampling(ratio)
	return (w + hx - 1) / hx, (h + hy - 1) / hy
}

func TestResizeConstant(t *testing.T) {
	kinds := []string{"gray", "rgba", "nrgba", "nrgba-half", "nrgba-faint"}
	for _, ratio := range ratios {
		kinds = append(kinds, "ycbcr-"+ratio.String())
	}
	type size struct{ sw, sh, w, h int }
	sizes := []size{
		{1, 1, 1, 1}, {1, 1, 7, 3}, {37, 23, 5, 3}, {37, 23, 1, 1}, {37, 23, 111, 70},
		{64, 48, 63, 47}, {500, 301, 17, 9}, {301, 500, 3, 200}, {1, 300, 5, 2}, {300, 1, 2, 5},
		{640, 480, 20, 15}, // box pre-shrink
	}
	for _, kind := range kinds {
		for _, s := range sizes {
			src := uniform(kind, s.sw, s.sh)
			b := src.Bounds()
			crops := []image.Rectangle{b}
			if s.sw > 4 && s.sh > 4 {
				crops = append(crops, image.Rect(b.Min.X+1, b.Min.Y+3, b.Max.X-2, b.Max.Y-1))
			}
			for _, r := range crops {
				name := fmt.Sprintf("%s/%dx%d/%v/%dx%d", kind, s.sw, s.sh, r, s.w, s.h)
				t.Run(name, func(t *testing.T) {
					got, err := Resize(src, r, s.w, s.h)
					if err != nil {
						t.Fatalf("Resize: %v", err)
					}
					if msg := constant(got); msg != "" {
						t.Error(msg)
					}
				})
			}
		}
	}
}

func TestResizeBounds(t *testing.T) {
	srcs := map[string]image.Image{
		"gray":  image.NewGray(image.Rect(-5, 7, 95, 57)),
		"rgba":  image.NewRGBA(image.Rect(0, 0, 100, 50)),
		"nrgba": image.NewNRGBA(image.Rect(10, 10, 110, 60)),
	}
	for _, ratio := range ratios {
		srcs["ycbcr-"+ratio.String()] = image.NewYCbCr(image.Rect(1, 3, 101, 53), ratio)
	}
	sizes := []image.Point{{1, 1}, {1, 77}, {77, 1}, {33, 17}, {100, 50}, {301, 13}, {7, 250}}
	for name, src := range srcs {
		for _, sz := range sizes {
			t.Run(fmt.Sprintf("%s/%v", name, sz), func(t *testing.T) {
				b := src.Bounds()
				r := image.Rect(b.Min.X+3, b.Min.Y+1, b.Max.X-4, b.Max.Y-5)
				got, err := Resize(src, r, sz.X, sz.Y)
				if err != nil {
					t.Fatalf("Resize(%T, %v, %d, %d): %v", src, r, sz.X, sz.Y, err)
				}
				if want := image.Rect(0, 0, sz.X, sz.Y); got.Bounds() != want {
					t.Errorf("bounds = %v, want %v", got.Bounds(), want)
				}
				if fmt.Sprintf("%T", got) != fmt.Sprintf("%T", src) {
					t.Errorf("type = %T, want %T", got, src)
				}
				if y, ok := src.(*image.YCbCr); ok {
					g := got.(*image.YCbCr)
					if g.SubsampleRatio != y.SubsampleRatio {
						t.Errorf("ratio = %v, want %v", g.SubsampleRatio, y.SubsampleRatio)
					}
				}
			})
		}
	}
}

func TestResizeErrors(t *testing.T) {
	gray := image.NewGray(image.Rect(0, 0, 10, 10))
	tests := map[string]struct {
		src  image.Image
		r    image.Rectangle
		w, h int
		want error
	}{
		"zero width":      {gray, gray.Rect, 0, 5, ErrSize},
		"negative height": {gray, gray.Rect, 5, -1, ErrSize},
		"huge":            {gray, gray.Rect, 1 << 20, 1 << 20, ErrSize},
		"too wide":        {gray, gray.Rect, MaxSide + 1, 1, ErrSize},
		"empty rect":      {gray, image.Rect(2, 2, 2, 8), 5, 5, ErrRect},
		"rect outside":    {gray, image.Rect(5, 5, 11, 10), 5, 5, ErrRect},
		"rect disjoint":   {gray, image.Rect(20, 20, 30, 30), 5, 5, ErrRect},
		"nil":             {nil, gray.Rect, 5, 5, ErrUnsupported},
		"rgba64":          {image.NewRGBA64(gray.Rect), gray.Rect, 5, 5, ErrUnsupported},
		"paletted":        {image.NewPaletted(gray.Rect, color.Palette{color.Black}), gray.Rect, 5, 5, ErrUnsupported},
		"uniform":         {image.NewUniform(color.White), gray.Rect, 5, 5, ErrUnsupported},
		"bad ratio":       {&image.YCbCr{Rect: gray.Rect, SubsampleRatio: 99}, gray.Rect, 5, 5, ErrUnsupported},
		"short pix":       {&image.Gray{Pix: make([]uint8, 99), Stride: 10, Rect: gray.Rect}, gray.Rect, 5, 5, ErrMalformed},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := Resize(tt.src, tt.r, tt.w, tt.h)
			if !errors.Is(err, tt.want) {
				t.Errorf("Resize(%T, %v, %d, %d) error = %v, want %v", tt.src, tt.r, tt.w, tt.h, err, tt.want)
			}
			if got != nil {
				t.Errorf("Resize returned an image with error %v", err)
			}
		})
	}
}

// noise returns an image of type kind with random pixels.
func noise(kind string, w, h int, seed uint64) image.Image {
	rng := rand.New(rand.NewPCG(seed, 1))
	r := image.Rect(0, 0, w, h)
	rnd := func(pix []uint8) {
		for i := range pix {
			pix[i] = uint8(rng.IntN(256))
		}
	}
	switch kind {
	case "gray":
		m := image.NewGray(r)
		rnd(m.Pix)
		return m
	case "rgba":
		m := image.NewRGBA(r)
		rnd(m.Pix)
		for i := 0; i < len(m.Pix); i += 4 {
			a := m.Pix[i+3]
			m.Pix[i], m.Pix[i+1], m.Pix[i+2] = min(m.Pix[i], a), min(m.Pix[i+1], a), min(m.Pix[i+2], a)
		}
		return m
	case "nrgba":
		m := image.NewNRGBA(r)
		rnd(m.Pix)
		return m
	}
	panic("unknown kind " + kind)
}

// TestResizeExtremes compares Resize with the reference on random images at
// extreme sizes and ratios.
func TestResizeExtremes(t *testing.T) {
	type tc struct{ sw, sh, w, h int }
	cases := []tc{
		{1, 1, 1, 1}, {1, 1, 9, 4}, {1, 200, 200, 1}, {200, 1, 1, 200}, {1, 500, 3, 7},
		{500, 1, 7, 3}, {2, 2, 1, 1}, {3, 1000, 1, 10}, {1000, 3, 10, 1}, {7, 5, 301, 203},
		{640, 480, 13, 9}, {97, 89, 96, 88}, {31, 29, 32, 30},
		{600, 400, 600, 40}, {600, 400, 599, 15}, {400, 600, 40, 600}, // vertical pass first, or not
	}
	for _, kind := range []string{"gray", "rgba", "nrgba"} {
		for i, c := range cases {
			src := noise(kind, c.sw, c.sh, uint64(i))
			t.Run(fmt.Sprintf("%s/%dx%d-to-%dx%d", kind, c.sw, c.sh, c.w, c.h), func(t *testing.T) {
				got, err := Resize(src, src.Bounds(), c.w, c.h)
				if err != nil {
					t.Fatal(err)
				}
				minDB := 50.0
				if c.sw >= 2*minLanczosFactor*c.w || c.sh >= 2*minLanczosFactor*c.h {
					// White noise varies most within the blocks of a box
					// pre-shrink: the worst case for it.
					minDB = 45
				}
				compare(t, got, refResize(src, src.Bounds(), c.w, c.h), minDB)
			})
		}
	}
}

// compare checks that got, a result of Resize, is within minDB of PSNR of
// the reference want, over all channels; for NRGBA the colour is compared
// premultiplied, as it is seen.
func compare(t *testing.T, got image.Image, want refImage, minDB float64) float64 {
	t.Helper()
	pix, stride, nc := pixOf(got)
	if nrgba, ok := got.(*image.NRGBA); ok {
		pix, stride, want = premultiplied(nrgba, want)
	}
	p := psnr(pix, stride, want, nc)
	if p < minDB {
		t.Errorf("PSNR against the reference = %.2f dB, want ≥ %.2f", p, minDB)
	}
	return p
}

// premultiplied returns the pixels of m and of the straight-alpha reference
// want with colour multiplied by alpha, so that invisible colour does not
// count.
func premultiplied(m *image.NRGBA, want refImage) ([]uint8, int, refImage) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	pix := make([]uint8, 4*w*h)
	ref := refImage{w: want.w, h: want.h, nc: 4, pix: make([]float64, len(want.pix))}
	for y := range h {
		for x := range w {
			s := m.Pix[y*m.Stride+4*x:]
			d := pix[4*(y*w+x):]
			rs := want.pix[4*(y*w+x):]
			rd := ref.pix[4*(y*w+x):]
			a := float64(s[3])
			ra := math.Max(0, math.Min(255, rs[3]))
			for c := range 3 {
				d[c] = uint8(math.Round(float64(s[c]) * a / 255))
				rd[c] = math.Max(0, math.Min(255, rs[c])) * ra / 255
			}
			d[3], rd[3] = s[3], ra
		}
	}
	return pix, 4 * w, ref
}

func TestResizeAlphaBleed(t *testing.T) {
	// The left half is transparent, with garbage colour; the right half is
	// opaque blue.
	src := image.NewNRGBA(image.Rect(0, 0, 300, 200))
	for y := range 200 {
		for x := range 300 {
			p := src.Pix[y*src.Stride+4*x:]
			if x < 150 {
				copy(p, []uint8{255, uint8(x), uint8(y), 0})
			} else {
				copy(p, []uint8{0, 0, 255, 255})
			}
		}
	}
	for _, sz := range []image.Point{{30, 20}, {97, 61}, {7, 3}, {600, 400}, {1, 1}} {
		t.Run(fmt.Sprint(sz), func(t *testing.T) {
			got, err := Resize(src, src.Rect, sz.X, sz.Y)
			if err != nil {
				t.Fatal(err)
			}
			m := got.(*image.NRGBA)
			edge := 0
			for y := range sz.Y {
				for x := range sz.X {
					p := m.Pix[y*m.Stride+4*x : y*m.Stride+4*x+4]
					if p[3] == 0 {
						continue
					}
					if p[3] < 255 {
						edge++
					}
					if p[0] != 0 || p[1] != 0 || p[2] != 255 {
						t.Fatalf("pixel (%d, %d) = %v, want pure blue", x, y, p)
					}
				}
			}
			if sz.X > 2 && edge == 0 {
				t.Errorf("no partly transparent pixel: the edge was not filtered")
			}
		})
	}
}

func TestOpaqueNRGBAMatchesRGBA(t *testing.T) {
	photo := toRGBA(decode(t, "jpeg-photo-2000x1333.jpg"))
	nrgba := image.NewNRGBA(photo.Rect)
	copy(nrgba.Pix, photo.Pix)
	b := photo.Rect
	for _, c := range []struct {
		r    image.Rectangle
		w, h int
	}{
		{b, 200, 133}, {b, 100, 67}, {b, 1333, 888}, {b, 37, 4000},
		{image.Rect(101, 33, 600, 500), 1201, 901}, {image.Rect(1, 1, 1999, 1332), 3, 1},
	} {
		t.Run(fmt.Sprintf("%v-%dx%d", c.r, c.w, c.h), func(t *testing.T) {
			a, err := Resize(photo, c.r, c.w, c.h)
			if err != nil {
				t.Fatal(err)
			}
			n, err := Resize(nrgba, c.r, c.w, c.h)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.(*image.RGBA).Pix, n.(*image.NRGBA).Pix) {
				t.Errorf("opaque NRGBA result differs from RGBA result")
			}
		})
	}
}

// TestResizeReference compares Resize with the exact reference on corpus
// images, as Gray, RGBA and NRGBA, at several factors and crops.
func TestResizeReference(t *testing.T) {
	photo := decode(t, "jpeg-photo-1920x1080.jpg")
	rgba := toRGBA(photo)
	gray := image.NewGray(rgba.Rect)
	for i := range gray.Pix {
		p := rgba.Pix[4*i:]
		gray.Pix[i] = uint8((299*int(p[0]) + 587*int(p[1]) + 114*int(p[2]) + 500) / 1000)
	}
	alpha := toNRGBA(decode(t, "png-rgba-1634x2224.png"))
	srcs := map[string]image.Image{
		"gray":        gray,
		"rgba":        rgba,
		"nrgba-alpha": alpha,
		"gray-jpeg":   decode(t, "jpeg-gray-icc-400x267.jpg"),
	}
	tests := []struct {
		name string
		crop func(image.Rectangle) image.Rectangle
		div  float64 // output size = crop size / div
	}{
		{"2x", full, 2},
		{"10x", full, 10},
		{"2.7x", full, 2.7},
		{"17x", full, 17}, // box pre-shrink
		{"odd-crop-3.3x", oddCrop, 3.3},
		{"odd-crop-1x", oddCrop, 1},
		{"up-2.5x", smallCrop, 1 / 2.5},
		{"up-7x", smallCrop, 1. / 7},
	}
	for name, src := range srcs {
		for _, tt := range tests {
			t.Run(name+"/"+tt.name, func(t *testing.T) {
				if testing.Short() && name != "gray-jpeg" {
					t.Skip("slow reference")
				}
				r := tt.crop(src.Bounds())
				w := max(1, int(math.Round(float64(r.Dx())/tt.div)))
				h := max(1, int(math.Round(float64(r.Dy())/tt.div)))
				got, err := Resize(src, r, w, h)
				if err != nil {
					t.Fatal(err)
				}
				p := compare(t, got, refResize(src, r, w, h), 55)
				t.Logf("%v → %dx%d: %.2f dB", r, w, h, p)
			})
		}
	}
}

func full(r image.Rectangle) image.Rectangle { return r }

func oddCrop(r image.Rectangle) image.Rectangle {
	return image.Rect(r.Min.X+r.Dx()/7|1, r.Min.Y+r.Dy()/5|1, r.Max.X-r.Dx()/3|1, r.Max.Y-r.Dy()/9|1)
}

func smallCrop(r image.Rectangle) image.Rectangle {
	return image.Rect(r.Min.X+r.Dx()/3|1, r.Min.Y+r.Dy()/3|1, r.Min.X+r.Dx()/3+101, r.Min.Y+r.Dy()/3+77)
}
