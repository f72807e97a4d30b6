package codec

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/exif"
	"github.com/imgcdn/imgcdn/internal/raster"
	"github.com/imgcdn/imgcdn/internal/resample"
	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// TestEncodeRoundTrip encodes the 800×450 photo in every format, decodes
// it back and checks the size, the fidelity and the colour balance. The
// PSNR floors sit about 1 dB under what was measured (in parentheses), so
// that a real loss of quality, a colour-space mix-up or a swapped channel
// fails while encoder noise does not.
func TestEncodeRoundTrip(t *testing.T) {
	src := photo800(t)
	ref := raster.ToNRGBA(src)
	refMeans := channelMeans(ref)
	tests := []struct {
		name    string
		f       Format
		o       EncodeOptions
		minPSNR float64 // math.Inf(1): lossless
		lossy   bool    // channel means must stay within ±1.5
	}{
		{"jpeg baseline", JPEG, EncodeOptions{}, 34, true},                     // (35.24)
		{"jpeg progressive", JPEG, EncodeOptions{Progressive: true}, 34, true}, // (35.24)
		{"jpeg q50", JPEG, EncodeOptions{Quality: 50}, 29.5, true},             // (30.63)
		{"png", PNG, EncodeOptions{}, math.Inf(1), false},
		{"gif", GIF, EncodeOptions{}, 20, false},
		{"webp", WebP, EncodeOptions{}, 35.5, true}, // (36.71)
		{"webp lossless", WebP, EncodeOptions{Lossless: true}, math.Inf(1), false},
		{"avif", AVIF, EncodeOptions{}, 34.3, true},                 // (35.37)
		{"avif speed 10", AVIF, EncodeOptions{Speed: 10}, 34, true}, // (34.93)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := encodeTo(t, src, tt.f, tt.o)
			if got := Sniff(b); got != tt.f {
				t.Fatalf("Sniff of the output = %v, want %v", got, tt.f)
			}
			img := decodeBack(t, b)
			if got := img.Pixels.Bounds(); got != image.Rect(0, 0, 800, 450) {
				t.Fatalf("decoded bounds %v, want 800x450", got)
			}
			got := raster.ToNRGBA(img.Pixels)
			p := psnr(ref, got)
			m := channelMeans(got)
			t.Logf("%d bytes, PSNR %.2f dB, mean shift R %+.2f G %+.2f B %+.2f",
				len(b), p, m[0]-refMeans[0], m[1]-refMeans[1], m[2]-refMeans[2])
			if p < tt.minPSNR {
				t.Errorf("PSNR %.2f dB, want at least %.2f", p, tt.minPSNR)
			}
			if tt.lossy {
				for c := range 3 {
					if d := m[c] - refMeans[c]; math.Abs(d) > 1.5 {
						t.Errorf("mean of channel %c shifted by %+.2f, want within ±1.5", "RGB"[c], d)
					}
				}
			}
			if m[3] != 255 {
				t.Errorf("opaque source decoded with alpha mean %.2f", m[3])
			}
		})
	}
}

// alphaSource returns the corpus RGBA image with soft, semi-transparent
// edges (rendered dice, 320×240).
func alphaSource(t *testing.T) *image.NRGBA {
	t.Helper()
	img := decodeBack(t, testcorpus.Read(t, "png-rgba-320x240.png"))
	n := raster.ToNRGBA(img.Pixels)
	if opaque(n.Pix) {
		t.Fatal("the alpha source is opaque")
	}
	return n
}

// premultiplied returns m composited over black, so that colours under
// transparent pixels (which WebP and AVIF need not keep) do not count.
func premultiplied(m *image.NRGBA) *image.NRGBA {
	out := image.NewNRGBA(m.Rect)
	for i := 0; i < len(m.Pix); i += 4 {
		a := uint32(m.Pix[i+3])
		for c := range 3 {
			out.Pix[i+c] = uint8((uint32(m.Pix[i+c])*a + 127) / 255)
		}
		out.Pix[i+3] = 255
	}
	return out
}

// TestEncodeInputs encodes each pixel type Decode produces, and a few
// others, in every format: the decode must match the source.
func TestEncodeInputs(t *testing.T) {
	photo, err := resample.Resize(photo800(t), image.Rect(0, 0, 800, 450), 96, 54)
	if err != nil {
		t.Fatal(err)
	}
	ycc := photo.(*image.YCbCr)
	nrgba := raster.ToNRGBA(ycc)
	gray := raster.ToGray(ycc)
	rgba := &image.RGBA{Pix: nrgba.Pix, Stride: nrgba.Stride, Rect: nrgba.Rect}
	// A sub-image whose rows do not start at the origin.
	big := image.NewNRGBA(image.Rect(-5, -3, 120, 70))
	for y := range 54 {
		copy(big.Pix[big.PixOffset(10, 7+y):], nrgba.Pix[y*nrgba.Stride:(y+1)*nrgba.Stride])
	}
	sub := big.SubImage(image.Rect(10, 7, 106, 61))
	inputs := map[string]image.Image{"YCbCr": ycc, "NRGBA": nrgba, "RGBA": rgba, "sub-image": sub}
	for _, f := range []Format{JPEG, PNG, WebP, AVIF} {
		for name, img := range inputs {
			got := raster.ToNRGBA(decodeBack(t, encodeTo(t, img, f, EncodeOptions{Lossless: true, Quality: 90})).Pixels)
			if p := psnr(nrgba, got); p < 34 {
				t.Errorf("%v from %s: PSNR %.2f dB", f, name, p)
			}
		}
		// Grey stays grey where the format has grey.
		img := decodeBack(t, encodeTo(t, gray, f, EncodeOptions{Lossless: true, Quality: 90}))
		if p := psnr(raster.ToNRGBA(gray), raster.ToNRGBA(img.Pixels)); p < 34 {
			t.Errorf("%v from Gray: PSNR %.2f dB", f, p)
		}
		if _, ok := img.Pixels.(*image.Gray); ok != (f == JPEG || f == PNG) {
			t.Errorf("%v from Gray decodes to %T", f, img.Pixels)
		}
	}
	// Lossless WebP and AVIF, and PNG, give back the very pixels.
	for _, f := range []Format{PNG, WebP, AVIF} {
		got := raster.ToNRGBA(decodeBack(t, encodeTo(t, sub, f, EncodeOptions{Lossless: true})).Pixels)
		if p := psnr(nrgba, got); !math.IsInf(p, 1) {
			t.Errorf("lossless %v: PSNR %.2f dB, want identical pixels", f, p)
		}
	}
}

func TestEncodeAlpha(t *testing.T) {
	src := alphaSource(t)
	tests := []struct {
		name          string
		f             Format
		o             EncodeOptions
		minPSNR, minA float64 // colour over black, and alpha
	}{
		{"png", PNG, EncodeOptions{}, math.Inf(1), math.Inf(1)},
		{"webp", WebP, EncodeOptions{}, 37.5, math.Inf(1)}, // (38.98); alpha is coded losslessly
		{"webp lossless", WebP, EncodeOptions{Lossless: true}, math.Inf(1), math.Inf(1)},
		{"avif", AVIF, EncodeOptions{}, 37, 43}, // (38.31, 45.21)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := encodeTo(t, src, tt.f, tt.o)
			img := decodeBack(t, b)
			if !img.Header.HasAlpha {
				t.Error("Header.HasAlpha is false")
			}
			got := raster.ToNRGBA(img.Pixels)
			if got.Rect != src.Rect {
				t.Fatalf("bounds %v, want %v", got.Rect, src.Rect)
			}
			pc, pa := psnr(premultiplied(src), premultiplied(got)), alphaPSNR(src, got)
			t.Logf("%d bytes, PSNR over black %.2f dB, alpha PSNR %.2f dB", len(b), pc, pa)
			if pc < tt.minPSNR || pa < tt.minA {
				t.Errorf("PSNR %.2f dB (alpha %.2f), want at least %.2f (%.2f)", pc, pa, tt.minPSNR, tt.minA)
			}
		})
	}
}

// pngColorType returns the colour type byte of the IHDR of b, and
// whether b has a chunk of type typ.
func pngChunks(b []byte) (colorType byte, types []string) {
	colorType = b[len(pngSignature)+8+9]
	for i := len(pngSignature); i+8 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[i:]))
		types = append(types, string(b[i+4:i+8]))
		i += 12 + n
	}
	return colorType, types
}

func TestEncodePNGColorType(t *testing.T) {
	few := image.NewNRGBA(image.Rect(0, 0, 67, 41))
	colors := []color.NRGBA{{255, 0, 0, 255}, {0, 0, 255, 128}, {10, 200, 30, 255}, {0, 0, 0, 0}, {250, 250, 250, 255}}
	for i := 0; i < len(few.Pix); i += 4 {
		c := colors[(i/4*7+i/4/67)%len(colors)]
		few.Pix[i], few.Pix[i+1], few.Pix[i+2], few.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	n256 := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	n257 := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for i := 0; i < 64*64; i++ {
		// 256 colours, then one more in the last pixel of n257.
		v := uint8(i % 256)
		copy(n256.Pix[4*i:], []byte{v, 255 - v, v / 2, 255})
		copy(n257.Pix[4*i:], []byte{v, 255 - v, v / 2, 255})
	}
	// The last pixel, (255, 0, 127), also appears earlier; (1, 1, 127)
	// is the 257th colour.
	n257.Pix[len(n257.Pix)-4], n257.Pix[len(n257.Pix)-3] = 1, 1
	grayish := image.NewNRGBA(image.Rect(0, 0, 30, 20))
	for i := 0; i < len(grayish.Pix); i += 4 {
		v := uint8(i / 4 * 3)
		copy(grayish.Pix[i:], []byte{v, v, v, 255})
	}
	palette := decodeBack(t, testcorpus.Read(t, "png-palette-290x442.png")).Pixels
	photo := photo800(t)
	tests := []struct {
		name string
		img  image.Image
		want byte // IHDR colour type: 0 grey, 2 RGB, 3 palette, 6 RGBA
		trns bool
	}{
		{"few colours with alpha", few, 3, true},
		{"256 colours", n256, 3, false},
		{"257 colours", n257, 2, false},
		{"opaque grey NRGBA", grayish, 0, false},
		{"gray", image.NewGray(image.Rect(0, 0, 10, 10)), 0, false},
		{"corpus palette PNG decoded to NRGBA", palette, 3, false},
		{"photo YCbCr", photo, 2, false},
		{"photo NRGBA", raster.ToNRGBA(photo), 2, false},
		{"rgba", alphaSource(t), 6, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := encodeTo(t, tt.img, PNG, EncodeOptions{})
			ct, types := pngChunks(b)
			if ct != tt.want {
				t.Errorf("colour type %d, want %d", ct, tt.want)
			}
			trns := strings.Contains(strings.Join(types, ","), "tRNS")
			if trns != tt.trns {
				t.Errorf("tRNS chunk present = %v, want %v (chunks %v)", trns, tt.trns, types)
			}
			// Lossless: the decode gives back the very pixels.
			got := raster.ToNRGBA(decodeBack(t, b).Pixels)
			want := raster.ToNRGBA(tt.img)
			if got.Rect.Size() != want.Rect.Size() {
				t.Fatalf("size %v, want %v", got.Rect.Size(), want.Rect.Size())
			}
			for y := range want.Rect.Dy() {
				w := want.Pix[want.PixOffset(want.Rect.Min.X, want.Rect.Min.Y+y):][:4*want.Rect.Dx()]
				g := got.Pix[y*got.Stride:][:4*got.Rect.Dx()]
				if !bytes.Equal(w, g) {
					t.Fatalf("row %d differs after the round trip", y)
				}
			}
			t.Logf("%d bytes, chunks %v", len(b), types)
		})
	}
	// The palette output is smaller than the RGB output image/png would
	// write for the same pixels.
	var rgb bytes.Buffer
	png.Encode(&rgb, raster.ToNRGBA(palette))
	if ours := encodeTo(t, palette, PNG, EncodeOptions{}); len(ours) >= rgb.Len() {
		t.Errorf("palette PNG is %d bytes, RGB %d: the palette should be smaller", len(ours), rgb.Len())
	}
}

// corpusICC returns the ICC profile of a corpus JPEG.
func corpusICC(t *testing.T, name string) []byte {
	t.Helper()
	icc := decodeBack(t, testcorpus.Read(t, name)).ICC
	if len(icc) < 128 {
		t.Fatalf("%s has no ICC profile", name)
	}
	return icc
}

// bigICC returns a made-up RGB profile of n bytes with a valid size field,
// long enough to need several JPEG APP2 chunks.
func bigICC(n int) []byte {
	p := make([]byte, n)
	binary.BigEndian.PutUint32(p, uint32(n))
	copy(p[12:], "mntrRGB XYZ ")
	copy(p[36:], "acsp")
	for i := 128; i < n; i++ {
		p[i] = byte(i * 31 >> 3)
	}
	return p
}

func TestEncodeICC(t *testing.T) {
	src := photo800(t)
	small, err := resample.Resize(src, src.Bounds(), 160, 90)
	if err != nil {
		t.Fatal(err)
	}
	adobe := corpusICC(t, "jpeg-progressive-adobergb-1900x1263.jpg")
	gray := corpusICC(t, "jpeg-gray-icc-400x267.jpg")
	for _, f := range []Format{JPEG, PNG, WebP, AVIF} {
		for _, icc := range [][]byte{adobe, bigICC(150_000)} {
			t.Run(fmt.Sprintf("%v %d bytes", f, len(icc)), func(t *testing.T) {
				b := encodeTo(t, small, f, EncodeOptions{ICC: icc})
				img := decodeBack(t, b)
				if !bytes.Equal(img.ICC, icc) {
					t.Errorf("decoded ICC is %d bytes, want the %d embedded", len(img.ICC), len(icc))
				}
				without := decodeBack(t, encodeTo(t, small, f, EncodeOptions{}))
				if without.ICC != nil {
					t.Errorf("ICC %d bytes without one embedded", len(without.ICC))
				}
				// The profile changes nothing else.
				if p := psnr(raster.ToNRGBA(img.Pixels), raster.ToNRGBA(without.Pixels)); !math.IsInf(p, 1) {
					t.Errorf("pixels differ with the profile (PSNR %.2f)", p)
				}
			})
		}
	}
	t.Run("png grey", func(t *testing.T) {
		g := raster.ToGray(small)
		img := decodeBack(t, encodeTo(t, g, PNG, EncodeOptions{ICC: gray}))
		if _, ok := img.Pixels.(*image.Gray); !ok || !bytes.Equal(img.ICC, gray) {
			t.Errorf("grey PNG with a grey profile: %T, ICC %d bytes", img.Pixels, len(img.ICC))
		}
		// An RGB profile makes the grey image a palette one, which can
		// carry it.
		b := encodeTo(t, g, PNG, EncodeOptions{ICC: adobe})
		if ct, _ := pngChunks(b); ct != 3 {
			t.Errorf("grey image with an RGB profile written as colour type %d, want 3", ct)
		}
		if img := decodeBack(t, b); !bytes.Equal(img.ICC, adobe) {
			t.Errorf("ICC lost for a grey image with an RGB profile")
		}
		// A grey profile cannot describe colour output: dropped.
		for _, f := range []Format{PNG, JPEG, WebP, AVIF} {
			if img := decodeBack(t, encodeTo(t, small, f, EncodeOptions{ICC: gray})); img.ICC != nil {
				t.Errorf("grey profile kept in a colour %v", f)
			}
		}
	})
	t.Run("jpeg grey", func(t *testing.T) {
		g := raster.ToGray(small)
		img := decodeBack(t, encodeTo(t, g, JPEG, EncodeOptions{ICC: gray}))
		if _, ok := img.Pixels.(*image.Gray); !ok || !bytes.Equal(img.ICC, gray) {
			t.Errorf("grey JPEG with a grey profile: %T, ICC %d bytes", img.Pixels, len(img.ICC))
		}
		b := encodeTo(t, g, JPEG, EncodeOptions{ICC: adobe})
		img = decodeBack(t, b)
		if _, ok := img.Pixels.(*image.YCbCr); !ok || !bytes.Equal(img.ICC, adobe) {
			t.Errorf("grey image with an RGB profile: %T, ICC %d bytes; want colour JPEG with the profile", img.Pixels, len(img.ICC))
		}
		// As faithful as the grey JPEG (both 33.32 dB measured).
		pc := psnr(raster.ToNRGBA(g), raster.ToNRGBA(img.Pixels))
		pg := psnr(raster.ToNRGBA(g), raster.ToNRGBA(decodeBack(t, encodeTo(t, g, JPEG, EncodeOptions{})).Pixels))
		t.Logf("grey image as colour JPEG: PSNR %.2f dB; as grey JPEG: %.2f dB", pc, pg)
		if pc < pg-1 {
			t.Errorf("grey image written in colour: PSNR %.2f dB, %.2f in grey", pc, pg)
		}
	})
}

// testXMP is a small XMP packet.
const testXMP = `<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>` +
	`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
	`<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>imgcdn test</dc:creator></rdf:Description>` +
	`</rdf:RDF></x:xmpmeta><?xpacket end="w"?>`

func TestEncodeMeta(t *testing.T) {
	block := exif.FromJPEG(testcorpus.Read(t, "exif-Landscape_6.jpg"))
	if exif.Orientation(block) != 6 {
		t.Fatal("the EXIF block of exif-Landscape_6.jpg is not orientation 6")
	}
	reset := exif.ResetOrientation(block)
	src := image.NewNRGBA(image.Rect(0, 0, 60, 40))
	for i := range src.Pix {
		src.Pix[i] = uint8(i * 13)
	}
	for i := 3; i < len(src.Pix); i += 4 {
		src.Pix[i] = 255
	}
	for _, f := range []Format{JPEG, PNG, WebP} {
		t.Run(f.String(), func(t *testing.T) {
			b := encodeTo(t, src, f, EncodeOptions{EXIF: reset, XMP: []byte(testXMP)})
			img := decodeBack(t, b)
			if !bytes.Equal(img.EXIF, reset) {
				t.Errorf("EXIF: got %d bytes, want the %d embedded", len(img.EXIF), len(reset))
			}
			if string(img.XMP) != testXMP {
				t.Errorf("XMP: got %q", img.XMP)
			}
			if img.Header.Orientation != 1 || img.Pixels.Bounds().Size() != image.Pt(60, 40) {
				t.Errorf("orientation %d, size %v: want 1, 60x40", img.Header.Orientation, img.Pixels.Bounds().Size())
			}
			if exif.Orientation(exif.Find(b)) != 1 {
				t.Errorf("internal/exif reads orientation %d from the file", exif.Orientation(exif.Find(b)))
			}
			// The block as it was (orientation 6) turns the decode.
			img = decodeBack(t, encodeTo(t, src, f, EncodeOptions{EXIF: block}))
			if img.Header.Orientation != 6 || img.Pixels.Bounds().Size() != image.Pt(40, 60) {
				t.Errorf("with the original block: orientation %d, size %v; want 6, 40x60", img.Header.Orientation, img.Pixels.Bounds().Size())
			}
			img = decodeBack(t, encodeTo(t, src, f, EncodeOptions{}))
			if img.EXIF != nil || img.XMP != nil {
				t.Errorf("metadata without any embedded: EXIF %d, XMP %d bytes", len(img.EXIF), len(img.XMP))
			}
		})
	}
}

// TestMetaCorpus reads the EXIF of corpus files through Decode.
func TestMetaCorpus(t *testing.T) {
	for _, name := range []string{"exif-Landscape_6.jpg", "jpeg-photo-12mp-iphone-p3-orient6.jpg"} {
		b := testcorpus.Read(t, name)
		if testing.Short() && len(b) > 1<<20 {
			continue
		}
		img := decodeBack(t, b)
		if want := exif.FromJPEG(b); !bytes.Equal(img.EXIF, want) || len(want) == 0 {
			t.Errorf("%s: EXIF %d bytes, want %d", name, len(img.EXIF), len(want))
		}
		if exif.Orientation(img.EXIF) != img.Header.Orientation {
			t.Errorf("%s: EXIF orientation %d, header %d", name, exif.Orientation(img.EXIF), img.Header.Orientation)
		}
	}
}

func TestEncodeJPEGMarkers(t *testing.T) {
	icc := bigICC(150_000) // three APP2 chunks: 65519 + 65519 + 18962
	img := image.NewYCbCr(image.Rect(0, 0, 8, 8), image.YCbCrSubsampleRatio420)
	b := encodeTo(t, img, JPEG, EncodeOptions{ICC: icc, EXIF: exifPayload(1), XMP: []byte(testXMP)})
	m := scanJPEG(b)
	if len(m.icc) != 3 {
		t.Fatalf("%d ICC chunks, want 3", len(m.icc))
	}
	for i, c := range m.icc {
		if c[0] != byte(i+1) || c[1] != 3 {
			t.Errorf("chunk %d: sequence %d of %d, want %d of 3", i, c[0], c[1], i+1)
		}
		if want := min(iccChunk, len(icc)-i*iccChunk); len(c)-2 != want {
			t.Errorf("chunk %d holds %d bytes, want %d", i, len(c)-2, want)
		}
	}
	if !bytes.Equal(m.exif, exifPayload(1)) || string(m.xmp) != testXMP {
		t.Errorf("APP1 segments: EXIF % x, XMP %q", m.exif, m.xmp)
	}
	if m.sof != 0xc0 || m.comps != 3 {
		t.Errorf("SOF %#x with %d components, want baseline colour", m.sof, m.comps)
	}
	for _, o := range []EncodeOptions{
		{EXIF: make([]byte, 65528)},
		{XMP: make([]byte, 65505)},
		{ICC: make([]byte, 255*iccChunk+1)},
	} {
		err := Encode(context.Background(), io.Discard, image.NewGray(image.Rect(0, 0, 8, 8)), JPEG, o)
		if !errors.Is(err, ErrEncode) {
			t.Errorf("oversized metadata (EXIF %d, XMP %d, ICC %d bytes): error %v, want ErrEncode", len(o.EXIF), len(o.XMP), len(o.ICC), err)
		}
	}
}

// panicImage panics when its pixels are read.
type panicImage struct{ r image.Rectangle }

func (p panicImage) ColorModel() color.Model { return color.NRGBAModel }
func (p panicImage) Bounds() image.Rectangle { return p.r }
func (p panicImage) At(x, y int) color.Color { panic("pixels unavailable") }

// failWriter fails every write.
type failWriter struct{ n int }

var errWrite = errors.New("disk full")

func (w *failWriter) Write(b []byte) (int, error) {
	w.n++
	return 0, errWrite
}

func TestEncodeErrors(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 8, 8))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var buf bytes.Buffer
	if err := Encode(ctx, &buf, img, JPEG, EncodeOptions{}); !errors.Is(err, context.Canceled) || buf.Len() != 0 {
		t.Errorf("cancelled context: error %v, %d bytes written", err, buf.Len())
	}
	for _, f := range []Format{BMP, TIFF, HEIF, JXL, SVG, Unknown} {
		if err := Encode(context.Background(), &buf, img, f, EncodeOptions{}); !errors.Is(err, ErrUnsupported) {
			t.Errorf("Encode(%v): %v, want ErrUnsupported", f, err)
		}
		if f.Encodable() {
			t.Errorf("%v.Encodable() = true", f)
		}
	}
	for _, f := range []Format{JPEG, PNG, GIF, WebP, AVIF} {
		if !f.Encodable() {
			t.Errorf("%v.Encodable() = false", f)
		}
		for _, o := range []EncodeOptions{{Quality: 101}, {Quality: -1}, {Speed: 11}, {Speed: -2}} {
			if err := Encode(context.Background(), &buf, img, f, o); !errors.Is(err, ErrEncode) {
				t.Errorf("Encode(%v, %+v): %v, want ErrEncode", f, o, err)
			}
		}
		if err := Encode(context.Background(), &buf, image.NewGray(image.Rectangle{}), f, EncodeOptions{}); !errors.Is(err, ErrEncode) {
			t.Errorf("Encode(%v) of an empty image: %v, want ErrEncode", f, err)
		}
		err := Encode(context.Background(), &buf, panicImage{image.Rect(0, 0, 4, 4)}, f, EncodeOptions{})
		if !errors.Is(err, ErrEncode) || !strings.Contains(err.Error(), "panic") {
			t.Errorf("Encode(%v) of an image that panics: %v, want a recovered panic", f, err)
		}
		w := &failWriter{}
		err = Encode(context.Background(), w, img, f, EncodeOptions{Speed: 10})
		if !errors.Is(err, errWrite) || errors.Is(err, ErrEncode) || w.n != 1 {
			t.Errorf("Encode(%v) to a failing writer: %v after %d writes, want the writer's error after one", f, err, w.n)
		}
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written by failed encodes", buf.Len())
	}
	// WebP cannot hold more than 16383 pixels a side.
	if err := Encode(context.Background(), io.Discard, image.NewGray(image.Rect(0, 0, 16384, 1)), WebP, EncodeOptions{}); !errors.Is(err, ErrEncode) {
		t.Errorf("Encode of a 16384-wide WebP: %v, want ErrEncode", err)
	}
}

// tool returns the path of an external program, skipping t when it is not
// installed.
func tool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not installed (apt-get install %s); skipping the external check", name, pkg)
	}
	return p
}

// TestEncodeExternal has the reference decoders read our output: djpeg
// (libjpeg), dwebp (libwebp) and avifdec (libavif), with every kind of
// metadata embedded. Each tool's output must match our decode within
// 40 dB PSNR: the decoders differ in their inverse DCT and chroma
// upsampling (measured 43.4 dB for djpeg and 44 dB for avifdec; dwebp
// gives the same pixels), while a misread file scores far below.
func TestEncodeExternal(t *testing.T) {
	src, err := resample.Resize(photo800(t), image.Rect(0, 0, 800, 450), 320, 180)
	if err != nil {
		t.Fatal(err)
	}
	alpha := alphaSource(t)
	icc := corpusICC(t, "jpeg-progressive-adobergb-1900x1263.jpg")
	meta := EncodeOptions{ICC: icc, EXIF: exifPayload(1), XMP: []byte(testXMP)}
	dir := t.TempDir()
	type check struct {
		name string
		img  image.Image
		f    Format
		o    EncodeOptions
	}
	// run encodes c, has prog read it with args, and (when ext is not
	// empty) compares the file prog writes with our decode; wantInfo must
	// appear in prog's output.
	run := func(t *testing.T, c check, prog, pkg, ext string, args func(in, out string) []string, wantInfo string) {
		path := tool(t, prog, pkg)
		b := encodeTo(t, c.img, c.f, c.o)
		in := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+"."+c.f.String())
		out := in + ext
		if err := os.WriteFile(in, b, 0o644); err != nil {
			t.Fatal(err)
		}
		msg, err := exec.Command(path, args(in, out)...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s rejects our %s: %v\n%s", prog, c.name, err, msg)
		}
		if wantInfo != "" && !strings.Contains(string(msg), wantInfo) {
			t.Errorf("%s output lacks %q:\n%s", prog, wantInfo, msg)
		}
		if ext == "" {
			return
		}
		theirs, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var timg image.Image
		if ext == ".pnm" {
			timg = readPNM(t, theirs)
		} else if timg, err = png.Decode(bytes.NewReader(theirs)); err != nil {
			t.Fatalf("reading the output of %s: %v", prog, err)
		}
		ours := raster.ToNRGBA(decodeBack(t, b).Pixels)
		p := psnr(premultiplied(ours), premultiplied(raster.ToNRGBA(timg)))
		t.Logf("%s: %d bytes; %s's decode against ours: PSNR %.2f dB", c.name, len(b), prog, p)
		if p < 40 {
			t.Errorf("%s decodes our %s differently from Decode: PSNR %.2f dB", prog, c.name, p)
		}
	}
	for _, c := range []check{
		{"jpeg baseline", src, JPEG, meta},
		{"jpeg progressive", src, JPEG, EncodeOptions{Progressive: true, ICC: icc, EXIF: exifPayload(1), XMP: []byte(testXMP)}},
		{"jpeg grey", raster.ToGray(src), JPEG, meta},
	} {
		t.Run(c.name, func(t *testing.T) {
			run(t, c, "djpeg", "libjpeg-turbo-progs", ".pnm", func(in, out string) []string { return []string{"-outfile", out, in} }, "")
		})
	}
	for _, c := range []check{
		{"webp lossy", src, WebP, meta},
		{"webp lossless", src, WebP, EncodeOptions{Lossless: true, ICC: icc, EXIF: exifPayload(1), XMP: []byte(testXMP)}},
		{"webp alpha", alpha, WebP, meta},
		{"webp lossless alpha", alpha, WebP, EncodeOptions{Lossless: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			run(t, c, "dwebp", "webp", ".png", func(in, out string) []string { return []string{"-quiet", in, "-o", out} }, "")
		})
	}
	for _, c := range []check{
		{"avif", src, AVIF, EncodeOptions{}},
		{"avif icc", src, AVIF, EncodeOptions{ICC: icc}},
		{"avif alpha icc", alpha, AVIF, EncodeOptions{ICC: icc}},
	} {
		t.Run(c.name, func(t *testing.T) {
			run(t, c, "avifdec", "libavif-bin", ".png", func(in, out string) []string { return []string{"--png-compress", "0", in, out} }, "")
			var want string
			if c.o.ICC != nil {
				want = fmt.Sprintf("ICC Profile    : Present (%d bytes)", len(c.o.ICC))
			}
			run(t, c, "avifdec", "libavif-bin", "", func(in, out string) []string { return []string{"--info", in} }, want)
		})
	}
}

// readPNM decodes a binary PPM (P6) or PGM (P5) file with 8-bit samples,
// as djpeg writes.
func readPNM(t *testing.T, b []byte) image.Image {
	t.Helper()
	var fields []int
	i := 2
	for len(fields) < 3 && i < len(b) {
		for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
			i++
		}
		v := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			v = 10*v + int(b[i]-'0')
			i++
		}
		fields = append(fields, v)
	}
	i++ // the single white-space byte after maxval
	if len(fields) != 3 || fields[2] != 255 || i > len(b) {
		t.Fatalf("unexpected PNM header %q", b[:min(len(b), 20)])
	}
	w, h, pix := fields[0], fields[1], b[i:]
	switch string(b[:2]) {
	case "P5":
		g := image.NewGray(image.Rect(0, 0, w, h))
		copy(g.Pix, pix)
		return g
	case "P6":
		m := image.NewNRGBA(image.Rect(0, 0, w, h))
		for i := 0; i < w*h && 3*i+2 < len(pix); i++ {
			copy(m.Pix[4*i:], pix[3*i:3*i+3])
			m.Pix[4*i+3] = 255
		}
		return m
	}
	t.Fatalf("not a binary PNM: %q", b[:2])
	return nil
}

// TestEncodeConcurrent runs encodes of every format at once: each output
// must be the bytes a lone encode gives (the encoders are deterministic).
func TestEncodeConcurrent(t *testing.T) {
	src, err := resample.Resize(photo800(t), image.Rect(0, 0, 800, 450), 120, 68)
	if err != nil {
		t.Fatal(err)
	}
	icc := bigICC(700)
	opts := EncodeOptions{ICC: icc, EXIF: exifPayload(1), XMP: []byte(testXMP), Speed: 10}
	formats := []Format{JPEG, PNG, GIF, WebP, AVIF}
	want := map[Format][]byte{}
	for _, f := range formats {
		want[f] = encodeTo(t, src, f, opts)
	}
	errs := make(chan error, 4*len(formats))
	for range 4 {
		for _, f := range formats {
			go func() {
				var buf bytes.Buffer
				err := Encode(context.Background(), &buf, src, f, opts)
				if err == nil && !bytes.Equal(buf.Bytes(), want[f]) {
					err = fmt.Errorf("%v: concurrent output differs", f)
				}
				errs <- err
			}()
		}
	}
	for range 4 * len(formats) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestEncodeTiny encodes images of one to three pixels a side in every
// format: odd sizes exercise the chroma subsampling and padding.
func TestEncodeTiny(t *testing.T) {
	for _, size := range []image.Point{{1, 1}, {1, 3}, {3, 1}, {17, 9}} {
		img := image.NewNRGBA(image.Rectangle{Max: size})
		for i := range img.Pix {
			img.Pix[i] = uint8(i*53 + 7)
		}
		for i := 3; i < len(img.Pix); i += 4 {
			img.Pix[i] = 255
		}
		for _, f := range []Format{JPEG, PNG, GIF, WebP, AVIF} {
			for _, lossless := range []bool{false, true} {
				got := decodeBack(t, encodeTo(t, img, f, EncodeOptions{Lossless: lossless, Speed: 10})).Pixels
				if got.Bounds().Size() != size {
					t.Errorf("%v %v lossless=%v: decoded %v", f, size, lossless, got.Bounds().Size())
				}
				if exact := f == PNG || lossless && (f == WebP || f == AVIF); exact {
					if p := psnr(img, raster.ToNRGBA(got)); !math.IsInf(p, 1) {
						t.Errorf("%v %v lossless: PSNR %.2f dB, want identical pixels", f, size, p)
					}
				}
			}
		}
	}
}
