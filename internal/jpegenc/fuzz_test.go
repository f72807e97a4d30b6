package jpegenc

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"testing"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// FuzzEncode encodes pictures of arbitrary size, content, type and options,
// and checks that image/jpeg decodes them to the right size and that
// progressive output decodes to the same pixels as baseline.
func FuzzEncode(f *testing.F) {
	f.Add([]byte{0, 255, 128}, uint8(1), uint8(1), uint8(1), uint8(0))
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9}, uint8(17), uint8(9), uint8(100), uint8(3))
	f.Add([]byte{200, 10}, uint8(1), uint8(200), uint8(50), uint8(4))
	f.Add([]byte{7}, uint8(33), uint8(2), uint8(0), uint8(11))
	if seed := testcorpus.ReadSeed("png-rgba-320x240.png"); seed != nil {
		f.Add(seed[:min(len(seed), 4096)], uint8(40), uint8(30), uint8(80), uint8(2))
	}
	f.Fuzz(func(t *testing.T, pix []byte, w, h, q, flags uint8) {
		if len(pix) == 0 {
			return
		}
		img := fuzzImage(pix, int(w)%96+1, int(h)%96+1, flags>>2)
		o := Options{Quality: int(q) % 101}
		if flags&2 != 0 {
			o.Subsampling = Subsample444
		}
		var base, prog bytes.Buffer
		if err := Encode(&base, img, &o); err != nil {
			t.Fatalf("baseline: %v", err)
		}
		o.Progressive = true
		if err := Encode(&prog, img, &o); err != nil {
			t.Fatalf("progressive: %v", err)
		}
		a, err := jpeg.Decode(&base)
		if err != nil {
			t.Fatalf("decode baseline: %v", err)
		}
		b, err := jpeg.Decode(&prog)
		if err != nil {
			t.Fatalf("decode progressive: %v", err)
		}
		if a.Bounds().Size() != img.Bounds().Size() {
			t.Fatalf("decoded %v, want size %v", a.Bounds(), img.Bounds().Size())
		}
		if p := psnr(a, b); !math.IsInf(p, 1) {
			t.Fatalf("progressive decodes differently from baseline: PSNR %.2f dB", p)
		}
	})
}

// fuzzImage builds a w×h image of the kind chosen by kind from the bytes of
// pix, repeated as needed.
func fuzzImage(pix []byte, w, h int, kind uint8) image.Image {
	r := image.Rect(0, 0, w, h)
	fill := func(dst []byte) {
		for i := range dst {
			dst[i] = pix[i%len(pix)]
		}
	}
	switch kind % 5 {
	case 0:
		m := image.NewRGBA(r)
		fill(m.Pix)
		return m
	case 1:
		m := image.NewNRGBA(r)
		fill(m.Pix)
		return m
	case 2:
		m := image.NewGray(r)
		fill(m.Pix)
		return m
	case 3:
		m := image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
		fill(m.Y)
		fill(m.Cb)
		fill(m.Cr)
		return m
	default:
		m := image.NewRGBA64(r)
		fill(m.Pix)
		return m
	}
}
