package codec

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gen2brain/avif"

	"github.com/imgcdn/imgcdn/internal/raster"
	"github.com/imgcdn/imgcdn/internal/resample"
	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// avifdecPNG decodes the AVIF file b with libavif's avifdec to 8-bit PNG
// (stored orientation: avifdec does not apply irot or imir), skipping t
// when avifdec is missing.
func avifdecPNG(t *testing.T, b []byte) *image.NRGBA {
	t.Helper()
	path := tool(t, "avifdec", "libavif-bin")
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.avif"), filepath.Join(dir, "out.png")
	if err := os.WriteFile(in, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(path, "--no-strict", "-d", "8", "--png-compress", "0", in, out).CombinedOutput(); err != nil {
		t.Fatalf("avifdec: %v\n%s", err, msg)
	}
	return readPNG(t, out)
}

// TestAVIFDecode decodes the corpus AVIF files and compares them with
// avifdec's output, turned by hand with the orientation of the header:
// the decode must be upright and turned once only.
func TestAVIFDecode(t *testing.T) {
	for _, tt := range []struct {
		name   string
		orient int
		alpha  bool
	}{
		{"avif-8bpc-420-1204x800.avif", 1, false},
		{"avif-irot90-1024x722.avif", raster.OrientRotate90, false}, // irot 3: three quarter turns anticlockwise
		{"avif-alpha-2048x2048.avif", 1, true},                      // two ipma boxes: see mergeIpma
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := testcorpus.Read(t, tt.name)
			img := decodeBack(t, b)
			if img.Header.Orientation != tt.orient || img.Header.HasAlpha != tt.alpha {
				t.Errorf("header %+v, want orientation %d, alpha %v", img.Header, tt.orient, tt.alpha)
			}
			got, ok := img.Pixels.(*image.NRGBA)
			if !ok {
				t.Fatalf("Pixels is %T, want *image.NRGBA", img.Pixels)
			}
			if want := image.Rect(0, 0, img.Header.OrientedWidth, img.Header.OrientedHeight); got.Rect != want {
				t.Fatalf("bounds %v, want %v", got.Rect, want)
			}
			if opaque(got.Pix) == tt.alpha {
				t.Errorf("opaque pixels = %v, want %v", opaque(got.Pix), !tt.alpha)
			}
			// libavif refuses the alpha file, which has two ipma boxes of
			// the same version and flags; avifdec reads our repair of it.
			fixed, repaired := mergeIpma(b)
			if repaired != tt.alpha {
				t.Errorf("mergeIpma repaired the file: %v, want %v", repaired, tt.alpha)
			}
			ref := avifdecPNG(t, fixed)
			upright := raster.ToNRGBA(raster.Orient(ref, tt.orient))
			p := psnr(premultiplied(upright), premultiplied(got))
			t.Logf("against avifdec turned by hand: PSNR %.2f dB", p)
			if p < 40 {
				t.Errorf("PSNR against avifdec %.2f dB, want at least 40", p)
			}
			if tt.alpha {
				if pa := alphaPSNR(upright, got); pa < 45 {
					t.Errorf("alpha PSNR against avifdec %.2f dB, want at least 45", pa)
				}
			}
			if tt.orient != 1 {
				// Turned the other way (as a decoder that also applied
				// irot, or applied it backwards, would give), the decode
				// does not match.
				wrong := raster.ToNRGBA(raster.Orient(ref, raster.Inverse(tt.orient)))
				if p := psnr(premultiplied(wrong), premultiplied(got)); p > 20 {
					t.Errorf("the decode matches avifdec turned the wrong way (%.2f dB)", p)
				}
			}
		})
	}
}

// TestAVIFDecodeHighDepth decodes 10- and 12-bit AVIF files made by
// avifenc: the 16-bit output of libavif must come back as 8-bit NRGBA.
func TestAVIFDecodeHighDepth(t *testing.T) {
	enc := tool(t, "avifenc", "libavif-bin")
	src, err := resample.Resize(photo800(t), image.Rect(0, 0, 800, 450), 160, 90)
	if err != nil {
		t.Fatal(err)
	}
	ref := raster.ToNRGBA(src)
	dir := t.TempDir()
	in := filepath.Join(dir, "in.png")
	writePNG(t, in, ref)
	for _, depth := range []string{"10", "12"} {
		out := filepath.Join(dir, depth+".avif")
		if msg, err := exec.Command(enc, "-d", depth, "-y", "444", "--min", "0", "--max", "0", "-s", "10", in, out).CombinedOutput(); err != nil {
			t.Fatalf("avifenc -d %s: %v\n%s", depth, err, msg)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if c, _ := avif.DecodeConfig(bytes.NewReader(b)); c.ColorModel == nil {
			t.Fatalf("%s-bit: no config", depth)
		}
		img := decodeBack(t, b)
		got, ok := img.Pixels.(*image.NRGBA)
		if !ok {
			t.Fatalf("%s-bit: Pixels is %T, want *image.NRGBA", depth, img.Pixels)
		}
		p := psnr(ref, got)
		t.Logf("%s-bit AVIF (quantizer 0, 4:4:4): PSNR %.2f dB against the 8-bit source", depth, p)
		if p < 45 {
			t.Errorf("%s-bit: PSNR %.2f dB against the source, want at least 45", depth, p)
		}
	}
}

func TestAVIFDecodable(t *testing.T) {
	if !AVIF.Decodable() || HEIF.Decodable() || JXL.Decodable() || SVG.Decodable() {
		t.Errorf("Decodable: AVIF %v, HEIF %v, JXL %v, SVG %v; want true, false, false, false",
			AVIF.Decodable(), HEIF.Decodable(), JXL.Decodable(), SVG.Decodable())
	}
	_, err := Decode(context.Background(), testcorpus.Read(t, "heif-alpha-202x259.heif"), Limits{}, DecodeHint{})
	if !errors.Is(err, ErrUnsupported) {
		t.Errorf("Decode(HEIF) error %v, want ErrUnsupported", err)
	}
}

// TestAVIFTruncated checks that a cut AVIF file is refused from its iloc
// box, before libavif allocates the image.
func TestAVIFTruncated(t *testing.T) {
	b := testcorpus.Read(t, "avif-alpha-2048x2048.avif")
	for _, n := range []int{len(b) / 4, len(b) / 2, len(b) - 1} {
		var err error
		alloc := allocated(func() { _, err = Decode(context.Background(), b[:n], Limits{}, DecodeHint{}) })
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("Decode of %d of %d bytes: %v, want ErrCorrupt", n, len(b), err)
		}
		if alloc > 1<<20 {
			t.Errorf("Decode of %d of %d bytes allocated %d bytes, want under 1 MiB", n, len(b), alloc)
		}
	}
}

func TestAVIFBackend(t *testing.T) {
	got := AVIFBackend()
	want := "libavif (built-in WebAssembly)"
	if avif.Dynamic() == nil {
		want = "libavif (system)"
	}
	if got != want {
		t.Errorf("AVIFBackend() = %q, want %q (avif.Dynamic() = %v)", got, want, avif.Dynamic())
	}
	t.Logf("AVIF backend: %s (%v)", got, avif.Dynamic())
}

func TestAVIFWarmUp(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := WarmUp(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("WarmUp with a cancelled context: %v", err)
	}
	if err := WarmUp(context.Background()); err != nil {
		t.Errorf("WarmUp: %v", err)
	}
}

// isoBoxBytes returns a box of type typ around the parts.
func isoBoxBytes(typ string, parts ...[]byte) []byte { return appendBox(nil, typ, parts...) }

// syntheticAVIF builds the boxes of an AVIF file whose primary item 1
// has its data in mdat at base+offset, with the iloc field sizes given
// (in bytes) and the properties ispe and irot associated. It returns the
// file and the item data.
func syntheticAVIF(t testing.TB, offSize, baseSize int, ipmaFlags byte, extraProps int) ([]byte, []byte) {
	t.Helper()
	data := []byte("pretend AV1 data, 32 bytes long!")
	put := func(b []byte, size int, v uint64) []byte {
		switch size {
		case 4:
			return binary.BigEndian.AppendUint32(b, uint32(v))
		case 8:
			return binary.BigEndian.AppendUint64(b, v)
		}
		return b
	}
	build := func(mdatAt uint64) []byte {
		iloc := []byte{1, 0, 0, 0, byte(offSize<<4 | 4), byte(baseSize << 4), 0, 1} // v1, 1 item
		iloc = append(iloc, 0, 1, 0, 0, 0, 0)                                       // item 1, method 0, data ref 0
		base, off := uint64(0), mdatAt+8
		if baseSize > 0 {
			base, off = mdatAt+8, 0
		}
		iloc = put(iloc, baseSize, base)
		iloc = append(iloc, 0, 1) // one extent
		iloc = put(iloc, offSize, off)
		iloc = binary.BigEndian.AppendUint32(iloc, uint32(len(data)))
		var props []byte
		for range extraProps {
			props = append(props, isoBoxBytes("free")...)
		}
		props = append(props, isoBoxBytes("ispe", []byte{0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 2})...)
		props = append(props, isoBoxBytes("irot", []byte{1})...)
		ispe, irot := extraProps+1, extraProps+2
		var ipma []byte
		if ipmaFlags&1 != 0 {
			ipma = []byte{0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 2, 0x80 | byte(ispe>>8), byte(ispe), byte(irot >> 8), byte(irot)}
		} else {
			ipma = []byte{0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 2, 0x80 | byte(ispe), byte(irot)}
		}
		meta := isoBoxBytes("meta", []byte{0, 0, 0, 0},
			isoBoxBytes("hdlr", make([]byte, 21)),
			isoBoxBytes("pitm", []byte{0, 0, 0, 0, 0, 1}),
			isoBoxBytes("iloc", iloc),
			isoBoxBytes("iprp", isoBoxBytes("ipco", props), isoBoxBytes("ipma", ipma)))
		return append(isoBoxBytes("ftyp", []byte("avif\x00\x00\x00\x00avifmif1")), meta...)
	}
	head := build(0)
	head = build(uint64(len(head))) // same length, now with the right offset
	return append(head, isoBoxBytes("mdat", data)...), data
}

// itemData returns the data of item 1 as the iloc box of b locates it.
func itemData(t *testing.T, b []byte) []byte {
	t.Helper()
	meta, _ := child(boxes(b), "meta")
	d, _ := child(boxes(meta[4:]), "iloc")
	l, err := parseIloc(d)
	if err != nil || len(l.items) != 1 || len(l.items[0].extents) != 1 {
		t.Fatalf("iloc: %v %+v", err, l)
	}
	it := l.items[0]
	start := it.base + it.extents[0].off
	if start+it.extents[0].length > uint64(len(b)) {
		t.Fatalf("item data at %d+%d past the %d-byte file", start, it.extents[0].length, len(b))
	}
	return b[start : start+it.extents[0].length]
}

func TestAVIFWithICC(t *testing.T) {
	icc := bigICC(1000)
	for _, tt := range []struct {
		name              string
		offSize, baseSize int
		flags             byte
		extra             int
		wantFlags         byte
	}{
		{"32-bit offsets", 4, 0, 0, 0, 0},
		{"64-bit offsets", 8, 0, 0, 0, 0},
		{"base offset", 4, 4, 0, 0, 0},
		{"wide ipma", 4, 0, 1, 0, 1},
		{"index 128 widens ipma", 4, 0, 0, 125, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src, data := syntheticAVIF(t, tt.offSize, tt.baseSize, tt.flags, tt.extra)
			if !bytes.Equal(itemData(t, src), data) {
				t.Fatal("the synthetic file is wrong")
			}
			out, err := avifWithICC(src, icc)
			if err != nil {
				t.Fatal(err)
			}
			if len(out) <= len(src)+len(icc) {
				t.Errorf("output %d bytes from %d", len(out), len(src))
			}
			if !bytes.Equal(itemData(t, out), data) {
				t.Errorf("item data moved without its iloc offset")
			}
			p := probeHEIF(out, AVIF)
			if p.icc == nil || !bytes.Equal(p.icc(), icc) {
				t.Errorf("no ICC profile read back")
			}
			if p.h.Width != 4 || p.h.Height != 2 || p.h.Orientation != raster.OrientRotate270 {
				t.Errorf("header %+v: the other properties were lost", p.h)
			}
			// The colr association precedes irot, which is
			// transformative, and is not essential.
			meta, _ := child(boxes(out), "meta")
			iprp, _ := child(boxes(meta[4:]), "iprp")
			ipma, _ := child(boxes(iprp), "ipma")
			pm, err := parseIpma(ipma)
			if err != nil {
				t.Fatal(err)
			}
			if pm.flags[2] != tt.wantFlags {
				t.Errorf("ipma flags %d, want %d", pm.flags[2], tt.wantFlags)
			}
			colr := uint16(tt.extra + 3)
			if a := pm.entries[0].assoc; len(a) != 3 || a[1] != colr || a[2]&0x7fff != uint16(tt.extra+2) || a[0] != 0x8000|uint16(tt.extra+1) {
				t.Errorf("associations %x, want ispe (essential), colr %d, irot", a, colr)
			}
			if _, err := avifWithICC(out, icc); err == nil {
				t.Error("a second profile was added")
			}
		})
	}
	// Broken structures are refused, not mangled.
	src, _ := syntheticAVIF(t, 4, 0, 0, 0)
	for _, n := range []int{10, len(src) / 2, len(src) - 3} {
		if _, err := avifWithICC(src[:n], icc); err == nil {
			t.Errorf("avifWithICC of %d of %d bytes succeeded", n, len(src))
		}
	}
	if _, err := avifWithICC([]byte(strings.Repeat("x", 100)), icc); err == nil {
		t.Error("avifWithICC of garbage succeeded")
	}
}

// TestAVIFQuality checks the quality mapping: increasing, anchored at the
// measured points, within libavif's range.
func TestAVIFQuality(t *testing.T) {
	prev := -1
	for q := 1; q <= 100; q++ {
		a := avifQuality(q)
		if a < prev || a < 0 || a > 100 {
			t.Fatalf("avifQuality(%d) = %d after %d", q, a, prev)
		}
		prev = a
	}
	for _, p := range avifQualities {
		if got := avifQuality(p.q); got != p.avif {
			t.Errorf("avifQuality(%d) = %d, want %d", p.q, got, p.avif)
		}
	}
	if avifQuality(DefaultQuality) != 65 || avifQuality(0) != 1 || avifQuality(200) != 100 {
		t.Errorf("avifQuality: default %d, 0 → %d, 200 → %d", avifQuality(DefaultQuality), avifQuality(0), avifQuality(200))
	}
}

// FuzzAVIFBoxes runs the ISO-BMFF readers and writers on hostile input:
// no panic, and a rewrite either fails or gives a file whose profile reads
// back.
func FuzzAVIFBoxes(f *testing.F) {
	src, _ := syntheticAVIF(f, 4, 4, 0, 2)
	f.Add(src)
	f.Add(heifWithIspe(300, 200))
	if b := testcorpus.ReadSeed("avif-irot90-1024x722.avif"); b != nil {
		f.Add(b[:min(len(b), 2000)])
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		probeHEIF(b, AVIF)
		mergeIpma(b)
		if meta, ok := child(boxes(b), "meta"); ok && len(meta) > 4 {
			if d, ok := child(boxes(meta[4:]), "iloc"); ok {
				parseIloc(d)
			}
		}
		out, err := avifWithICC(b, []byte("profile"))
		if err == nil {
			if p := probeHEIF(out, AVIF); p.icc == nil || string(p.icc()) != "profile" {
				t.Fatalf("rewrite succeeded but the profile does not read back")
			}
		}
	})
}

func TestSetAVIFProfile(t *testing.T) {
	icc := corpusICC(t, "jpeg-progressive-adobergb-1900x1263.jpg")
	plain := encodeTo(t, image.NewGray(image.Rect(0, 0, 24, 16)), AVIF, EncodeOptions{Speed: 10})
	orig := bytes.Clone(plain)
	out, err := SetAVIFProfile(plain, icc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(plain, orig) {
		t.Error("SetAVIFProfile modified its input")
	}
	img := decodeBack(t, out)
	if !bytes.Equal(img.ICC, icc) {
		t.Errorf("ICC %d bytes after SetAVIFProfile, want %d", len(img.ICC), len(icc))
	}
	for _, tt := range []struct {
		name string
		file []byte
		icc  []byte
	}{
		{"second profile", out, icc},
		{"empty profile", plain, nil},
		{"not AVIF", []byte("GIF89a"), icc},
	} {
		if _, err := SetAVIFProfile(tt.file, tt.icc); !errors.Is(err, ErrEncode) {
			t.Errorf("%s: error %v, want ErrEncode", tt.name, err)
		}
	}
}
