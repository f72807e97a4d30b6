package icc

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"unicode/utf16"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// Corpus files with embedded profiles.
const (
	fileP3       = "jpeg-photo-12mp-iphone-p3-orient6.jpg"
	fileAdobeRGB = "jpeg-progressive-adobergb-1900x1263.jpg"
	fileProPhoto = "jpeg-prophoto-icc-1680x1050.jpg"
	fileCMYK     = "jpeg-cmyk-swop-icc-500x333.jpg"
	fileGray     = "jpeg-gray-icc-400x267.jpg"
	fileSRGB     = "jpeg-photo-24mp-4000x6000.jpg" // embeds "sRGB IEC61966-2.1"
)

// jpegProfile reassembles the ICC profile of a JPEG from its APP2
// "ICC_PROFILE\0" chunks, in sequence-number order. It is independent of
// internal/codec, which drops CMYK profiles.
func jpegProfile(tb testing.TB, b []byte) []byte {
	tb.Helper()
	p := jpegProfileBytes(b)
	if p == nil {
		tb.Fatalf("no ICC profile in the JPEG")
	}
	return p
}

// jpegProfileBytes is jpegProfile, returning nil when there is none.
func jpegProfileBytes(b []byte) []byte {
	chunks := map[int][]byte{}
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xff {
			break
		}
		m := b[i+1]
		if m == 0xff {
			i++
			continue
		}
		i += 2
		if m == 0xd8 || m == 0x01 || m >= 0xd0 && m <= 0xd7 {
			continue
		}
		if m == 0xda || m == 0xd9 {
			break
		}
		n := int(b[i])<<8 | int(b[i+1])
		seg := b[i+2 : min(i+n, len(b))]
		if m == 0xe2 && bytes.HasPrefix(seg, []byte("ICC_PROFILE\x00")) && len(seg) > 14 {
			chunks[int(seg[12])] = seg[14:]
		}
		i += n
	}
	keys := make([]int, 0, len(chunks))
	for k := range chunks {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var out []byte
	for _, k := range keys {
		out = append(out, chunks[k]...)
	}
	return out
}

// corpusProfile returns the profile embedded in a corpus JPEG.
func corpusProfile(tb testing.TB, name string) []byte {
	tb.Helper()
	return jpegProfile(tb, testcorpus.Read(tb, name))
}

// corpusProfileIfPresent returns the profile embedded in a corpus JPEG,
// or nil when the corpus is absent (for fuzz seeds, which must not skip).
func corpusProfileIfPresent(name string) []byte {
	dir := os.Getenv("IMGCDN_CORPUS")
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil
		}
		for d := wd; ; d = filepath.Dir(d) {
			c := filepath.Join(d, "shared", "testdata", "corpus")
			if st, err := os.Stat(c); err == nil && st.IsDir() {
				dir = c
				break
			}
			if filepath.Dir(d) == d {
				return nil
			}
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return nil
	}
	return jpegProfileBytes(b)
}

// decoded caches decoded corpus images across the tests and benchmarks of
// one run: the 12 MP photo takes a while to decode.
var decoded sync.Map // name -> image.Image

// decodeCorpus decodes a corpus JPEG with image/jpeg, as stored (not
// turned upright: colour does not depend on orientation), to
// *image.YCbCr, *image.Gray or *image.CMYK. It does not use
// internal/codec, which converts CMYK to RGB and drops its profile.
func decodeCorpus(tb testing.TB, name string) image.Image {
	tb.Helper()
	if img, ok := decoded.Load(name); ok {
		return img.(image.Image)
	}
	img, err := jpeg.Decode(bytes.NewReader(testcorpus.Read(tb, name)))
	if err != nil {
		tb.Fatalf("decode %s: %v", name, err)
	}
	decoded.Store(name, img)
	return img
}

// --- A minimal ICC profile writer for synthetic test profiles. ---

type testTag struct {
	sig  string
	data []byte
}

// buildProfile assembles a profile from its header fields and tags.
func buildProfile(version uint32, class, space, pcs string, tags []testTag) []byte {
	h := make([]byte, 128)
	copy(h[4:], "lcms")
	binary.BigEndian.PutUint32(h[8:], version)
	copy(h[12:], class)
	copy(h[16:], space)
	copy(h[20:], pcs)
	copy(h[36:], "acsp")
	for i, v := range d50 {
		binary.BigEndian.PutUint32(h[68+4*i:], uint32(s15(v)))
	}
	dir := binary.BigEndian.AppendUint32(nil, uint32(len(tags)))
	off := 128 + 4 + 12*len(tags)
	var data []byte
	for _, t := range tags {
		dir = append(dir, t.sig...)
		dir = binary.BigEndian.AppendUint32(dir, uint32(off+len(data)))
		dir = binary.BigEndian.AppendUint32(dir, uint32(len(t.data)))
		data = append(data, t.data...)
		for len(data)%4 != 0 {
			data = append(data, 0)
		}
	}
	p := append(append(h, dir...), data...)
	binary.BigEndian.PutUint32(p, uint32(len(p)))
	return p
}

// s15 encodes an s15Fixed16Number.
func s15(v float64) int32 { return int32(math.Round(v * 65536)) }

func u32(b []byte, v uint32) []byte { return binary.BigEndian.AppendUint32(b, v) }
func u16(b []byte, v uint16) []byte { return binary.BigEndian.AppendUint16(b, v) }

func xyzTag(x, y, z float64) []byte {
	b := append([]byte("XYZ "), 0, 0, 0, 0)
	for _, v := range []float64{x, y, z} {
		b = u32(b, uint32(s15(v)))
	}
	return b
}

func curvIdentity() []byte { return u32(append([]byte("curv"), 0, 0, 0, 0), 0) }

func curvGamma(g float64) []byte {
	return u16(u32(append([]byte("curv"), 0, 0, 0, 0), 1), uint16(math.Round(g*256)))
}

func curvTable(t []uint16) []byte {
	b := u32(append([]byte("curv"), 0, 0, 0, 0), uint32(len(t)))
	for _, v := range t {
		b = u16(b, v)
	}
	return b
}

func paraTag(fn int, p ...float64) []byte {
	b := append([]byte("para"), 0, 0, 0, 0, 0, byte(fn), 0, 0)
	for _, v := range p {
		b = u32(b, uint32(s15(v)))
	}
	return b
}

// descTag is a version 2 textDescriptionType.
func descTag(s string) []byte {
	b := u32(append([]byte("desc"), 0, 0, 0, 0), uint32(len(s)+1))
	b = append(append(b, s...), 0)
	b = u32(u32(b, 0), 0)  // Unicode language and count
	b = append(b, 0, 0, 0) // ScriptCode code and count
	return append(b, make([]byte, 67)...)
}

// mlucTag is a multiLocalizedUnicodeType with one en-US record.
func mlucTag(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := u32(u32(append([]byte("mluc"), 0, 0, 0, 0), 1), 12)
	b = append(b, "enUS"...)
	b = u32(u32(b, uint32(2*len(u))), 28)
	for _, c := range u {
		b = u16(b, c)
	}
	return b
}

// lutTag writes an mft2 (width 2) or mft1 (width 1) tag with nIn inputs,
// three outputs and g grid points. Samples are 16-bit; mft1 keeps their
// high bytes.
func lutTag(width, nIn, g int, in [][]uint16, clut []uint16, out [][]uint16) []byte {
	b := []byte("mft2")
	if width == 1 {
		b = []byte("mft1")
	}
	b = append(b, 0, 0, 0, 0, byte(nIn), 3, byte(g), 0)
	for i := range 9 { // identity matrix
		v := 0.0
		if i%4 == 0 {
			v = 1
		}
		b = u32(b, uint32(s15(v)))
	}
	put := func(v uint16) {
		if width == 2 {
			b = u16(b, v)
		} else {
			b = append(b, byte(v>>8))
		}
	}
	if width == 2 {
		b = u16(u16(b, uint16(len(in[0]))), uint16(len(out[0])))
	}
	for _, t := range in {
		for _, v := range t {
			put(v)
		}
	}
	for _, v := range clut {
		put(v)
	}
	for _, t := range out {
		for _, v := range t {
			put(v)
		}
	}
	return b
}

// mABTag writes a lutAtoBType tag. Curves are complete curv/para
// elements; nil stages are left out.
func mABTag(nIn int, bCurves [][]byte, matrix []float64, mCurves [][]byte, grid []int, prec int, clut []uint16, aCurves [][]byte) []byte {
	b := append([]byte("mAB "), 0, 0, 0, 0, byte(nIn), 3, 0, 0)
	b = append(b, make([]byte, 20)...) // offsets, filled below
	setOff := func(at int) { binary.BigEndian.PutUint32(b[at:], uint32(len(b))) }
	curves := func(cs [][]byte) {
		for _, c := range cs {
			b = append(b, c...)
			for len(b)%4 != 0 {
				b = append(b, 0)
			}
		}
	}
	setOff(12)
	curves(bCurves)
	if matrix != nil {
		setOff(16)
		for _, v := range matrix {
			b = u32(b, uint32(s15(v)))
		}
	}
	if mCurves != nil {
		setOff(20)
		curves(mCurves)
	}
	if clut != nil {
		setOff(24)
		var dims [16]byte
		for i, g := range grid {
			dims[i] = byte(g)
		}
		b = append(append(b, dims[:]...), byte(prec), 0, 0, 0)
		for _, v := range clut {
			if prec == 2 {
				b = u16(b, v)
			} else {
				b = append(b, byte(v>>8))
			}
		}
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
	}
	if aCurves != nil {
		setOff(28)
		curves(aCurves)
	}
	return b
}

// srgbProfile is a version 4 sRGB profile: the D50-adapted sRGB colorants
// and the sRGB curve as para type 3.
func srgbProfile() []byte {
	trc := paraTag(3, 2.4, 1/1.055, 0.055/1.055, 1/12.92, 0.04045)
	return buildProfile(0x04300000, "mntr", "RGB ", "XYZ ", []testTag{
		{"desc", mlucTag("synthetic sRGB")},
		{"wtpt", xyzTag(d50[0], d50[1], d50[2])},
		{"rXYZ", xyzTag(srgbToXYZ[0][0], srgbToXYZ[1][0], srgbToXYZ[2][0])},
		{"gXYZ", xyzTag(srgbToXYZ[0][1], srgbToXYZ[1][1], srgbToXYZ[2][1])},
		{"bXYZ", xyzTag(srgbToXYZ[0][2], srgbToXYZ[1][2], srgbToXYZ[2][2])},
		{"rTRC", trc}, {"gTRC", trc}, {"bTRC", trc},
	})
}

// grayProfile is a version 2 grey profile with the tone curve trc.
func grayProfile(trc []byte) []byte {
	return buildProfile(0x02100000, "mntr", "GRAY", "XYZ ", []testTag{
		{"desc", descTag("synthetic grey")},
		{"wtpt", xyzTag(d50[0], d50[1], d50[2])},
		{"kTRC", trc},
	})
}
