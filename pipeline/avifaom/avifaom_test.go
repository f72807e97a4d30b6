package avifaom

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestQuantizer(t *testing.T) {
	for _, c := range []struct{ quality, want int }{
		{-5, 62}, {0, 62}, {1, 62}, {50, 32}, {60, 25}, {70, 19}, {80, 13}, {90, 6}, {99, 1}, {100, 1}, {101, 1},
	} {
		if got := Quantizer(c.quality); got != c.want {
			t.Errorf("Quantizer(%d) = %d, want %d", c.quality, got, c.want)
		}
	}
}

// boxes splits an ISOBMFF byte range into its boxes: type -> body.
func boxes(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	for len(b) > 0 {
		if len(b) < 8 {
			t.Fatalf("trailing %d bytes", len(b))
		}
		size := binary.BigEndian.Uint32(b)
		if size < 8 || int(size) > len(b) {
			t.Fatalf("box %q size %d of %d", b[4:8], size, len(b))
		}
		m[string(b[4:8])] = b[8:size]
		b = b[size:]
	}
	return m
}

func encodeTest(t *testing.T, img image.Image, quality int, lossless bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := (&Encoder{Speed: 8, Threads: 1}).Encode(context.Background(), &buf, img, quality, lossless); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func flat(w, h int, c color.RGBA) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(m, m.Bounds(), image.NewUniform(c), image.Point{}, draw.Src)
	return m
}

// TestContainer checks the file structure: the colr box, the item location
// pointing at the AV1 data, the av1C box agreeing with the sequence header,
// and no temporal delimiter in the item.
func TestContainer(t *testing.T) {
	file := encodeTest(t, flat(40, 30, color.RGBA{200, 100, 50, 255}), 60, false)
	top := boxes(t, file)
	if ftyp := top["ftyp"]; string(ftyp[:4]) != "avif" || !bytes.Contains(ftyp, []byte("mif1")) || !bytes.Contains(ftyp, []byte("miaf")) {
		t.Errorf("ftyp %q", ftyp)
	}
	meta := boxes(t, top["meta"][4:])
	ipco := boxes(t, boxes(t, meta["iprp"])["ipco"])
	if got, want := ipco["colr"], []byte("nclx\x00\x01\x00\x0d\x00\x06\x00"); !bytes.Equal(got, want) {
		t.Errorf("colr %q, want %q", got, want)
	}
	if ispe := ipco["ispe"]; binary.BigEndian.Uint32(ispe[4:]) != 40 || binary.BigEndian.Uint32(ispe[8:]) != 30 {
		t.Errorf("ispe %x", ispe)
	}
	iloc := meta["iloc"]
	off, n := binary.BigEndian.Uint32(iloc[14:]), binary.BigEndian.Uint32(iloc[18:])
	mdat := top["mdat"]
	if int(n) != len(mdat) || int(off)+int(n) != len(file) || !bytes.Equal(file[off:], mdat) {
		t.Errorf("iloc extent %d+%d, mdat %d bytes at the end of %d", off, n, len(mdat), len(file))
	}
	obus, seq, err := itemOBUs(mdat)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(obus, mdat) {
		t.Error("the item holds OBUs that should have been dropped")
	}
	if mdat[0]>>3&15 != 1 {
		t.Errorf("first OBU type %d, want the sequence header (1)", mdat[0]>>3&15)
	}
	av1C := ipco["av1C"]
	if av1C[0] != 0x81 || av1C[1] != seq.profile<<5|seq.level || av1C[2] != 0x0c {
		t.Errorf("av1C %x, sequence header %+v", av1C, seq)
	}
}

// TestAvifdecInfo checks what libavif reads from the file.
func TestAvifdecInfo(t *testing.T) {
	bin, err := exec.LookPath("avifdec")
	if err != nil {
		t.Skip("avifdec not found (apt-get install libavif-bin); skipping")
	}
	p := filepath.Join(t.TempDir(), "a.avif")
	if err := os.WriteFile(p, encodeTest(t, flat(33, 17, color.RGBA{10, 200, 90, 255}), 60, false), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--info", p).CombinedOutput()
	if err != nil {
		t.Fatalf("avifdec --info: %v\n%s", err, out)
	}
	for _, want := range []string{"Resolution     : 33x17", "Bit Depth      : 8", "Format         : YUV420", "Range          : Limited",
		"Color Primaries: 1", "Transfer Char. : 13", "Matrix Coeffs. : 6"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("avifdec --info lacks %q:\n%s", want, out)
		}
	}
}

// TestFlatColours encodes flat colours at odd and tiny sizes and checks the
// decoded colour. A flat colour cannot average out rounding: its luma is off
// by up to half a level (0.58 in RGB), and libyuv's limited-range BT.601
// blue coefficient (2.0 for 2.018) adds 0.018 × (Cb − 128) levels of blue
// (0.7 for these colours); lossy coding of a handful of pixels adds more.
func TestFlatColours(t *testing.T) {
	if _, err := exec.LookPath("avifdec"); err != nil {
		t.Skip("avifdec not found (apt-get install libavif-bin); skipping")
	}
	for _, size := range []image.Point{{1, 1}, {1, 3}, {5, 2}, {33, 17}} {
		for _, c := range []color.RGBA{{0, 0, 0, 255}, {255, 255, 255, 255}, {128, 128, 128, 255}, {200, 100, 50, 255}, {50, 120, 200, 255}, {230, 180, 150, 255}} {
			src := flat(size.X, size.Y, c)
			got := compare(t, src, avifdec(t, encodeTest(t, src, 0, true)))
			if got.maxShift() > 1.5 {
				t.Errorf("%v %v lossless: %v", size, c, got)
			}
			got = compare(t, src, avifdec(t, encodeTest(t, src, 80, false)))
			if got.maxShift() > 2.5 {
				t.Errorf("%v %v q80: %v", size, c, got)
			}
		}
	}
}

// TestImageTypes checks that the fast paths and the generic path give the
// same pixels to go-avif.
func TestImageTypes(t *testing.T) {
	src := image.NewYCbCr(image.Rect(3, 5, 40, 31), image.YCbCrSubsampleRatio420)
	for i := range src.Y {
		src.Y[i] = uint8(60 + i%130)
	}
	for i := range src.Cb {
		src.Cb[i], src.Cr[i] = uint8(110+i%20), uint8(140-i%25)
	}
	rgba := image.NewRGBA(src.Rect)
	draw.Draw(rgba, rgba.Rect, src, src.Rect.Min, draw.Src)
	nrgba := image.NewNRGBA(src.Rect)
	draw.Draw(nrgba, nrgba.Rect, src, src.Rect.Min, draw.Src)
	rgba64 := image.NewRGBA64(src.Rect)
	draw.Draw(rgba64, rgba64.Rect, rgba, rgba.Rect.Min, draw.Src)
	want := prepare(rgba, bt601)
	if want.clipped != 0 {
		t.Fatalf("test image has %d clipped blocks", want.clipped)
	}
	for _, img := range []image.Image{nrgba, rgba64} {
		if got := prepare(img, bt601); !equalPix(got.pix, want.pix) {
			t.Errorf("%T: pixels differ from *image.RGBA", img)
		}
	}
	// *image.YCbCr keeps the fraction of Go's 16-bit conversion, so it may
	// differ from the 8-bit RGBA by a level.
	if got := prepare(src, bt601); !closePix(got.pix, want.pix) {
		t.Error("*image.YCbCr: pixels differ from *image.RGBA by more than a level")
	}
	gray := image.NewGray(src.Rect)
	draw.Draw(gray, gray.Rect, src, src.Rect.Min, draw.Src)
	gray16 := image.NewGray16(src.Rect)
	draw.Draw(gray16, gray16.Rect, gray, gray.Rect.Min, draw.Src)
	if !equalPix(prepare(gray, bt601).pix, prepare(gray16, bt601).pix) {
		t.Error("*image.Gray and *image.Gray16 differ")
	}
}

func equalPix(a, b []rgb48) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func closePix(a, b []rgb48) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		ya, _, _ := goavifYUV(a[i])
		yb, _, _ := goavifYUV(b[i])
		if d := int(ya) - int(yb); d < -1 || d > 1 {
			return false
		}
	}
	return true
}

func TestEncodeErrors(t *testing.T) {
	ctx := context.Background()
	ok := flat(8, 8, color.RGBA{1, 2, 3, 255})
	translucent := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, c := range []struct {
		name string
		e    Encoder
		ctx  context.Context
		img  image.Image
		want error
	}{
		{"empty", Encoder{}, ctx, image.NewRGBA(image.Rect(0, 0, 0, 5)), ErrSize},
		{"too wide", Encoder{}, ctx, image.NewGray(image.Rect(0, 0, MaxSide+1, 1)), ErrSize},
		{"alpha", Encoder{}, ctx, translucent, ErrAlpha},
		{"speed 9", Encoder{Speed: 9}, ctx, ok, ErrSpeed},
		{"speed -1", Encoder{Speed: -1}, ctx, ok, ErrSpeed},
		{"cancelled", Encoder{}, cancelled, ok, context.Canceled},
	} {
		var buf bytes.Buffer
		err := c.e.Encode(c.ctx, &buf, c.img, 60, false)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %d bytes", c.name, buf.Len())
		}
	}
}
