package codec

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"testing"
)

// smallPNG returns a 2×2 PNG file.
func smallPNG() []byte {
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 2, 2)))
	return buf.Bytes()
}

// itxt returns the data of an iTXt chunk.
func itxt(keyword string, compressed bool, text []byte) []byte {
	d := append([]byte(keyword), 0)
	if compressed {
		d = append(d, 1, 0)
		text = zlibBytes(text)
	} else {
		d = append(d, 0, 0)
	}
	d = append(d, "en\x00Translated\x00"...)
	return append(d, text...)
}

func TestMetaPNG(t *testing.T) {
	tiff := exifPayload(3)
	xmp := []byte(testXMP)
	for _, tt := range []struct {
		name      string
		chunks    [][2]string // type, data (inserted in reverse)
		exif, xmp []byte
	}{
		{"plain", [][2]string{{"eXIf", string(tiff)}, {"iTXt", string(itxt(pngXMPKeyword, false, xmp))}}, tiff, xmp},
		{"compressed XMP", [][2]string{{"iTXt", string(itxt(pngXMPKeyword, true, xmp))}}, nil, xmp},
		{"Exif prefix", [][2]string{{"eXIf", "Exif\x00\x00" + string(tiff)}}, tiff, nil},
		{"not TIFF", [][2]string{{"eXIf", "hello, world"}}, nil, nil},
		{"other keyword", [][2]string{{"iTXt", string(itxt("Comment", false, xmp))}}, nil, nil},
		{"keyword prefix only", [][2]string{{"iTXt", string(itxt(pngXMPKeyword+"x", false, xmp))}}, nil, nil},
		{"truncated iTXt", [][2]string{{"iTXt", pngXMPKeyword + "\x00\x00\x00en"}}, nil, nil},
		{"bad compression", [][2]string{{"iTXt", string(itxt(pngXMPKeyword, false, nil)[:len(pngXMPKeyword)+1]) + "\x01\x00\x00\x00garbage"}}, nil, nil},
		{"empty XMP", [][2]string{{"iTXt", string(itxt(pngXMPKeyword, false, nil))}}, nil, nil},
		{"first wins", [][2]string{{"eXIf", string(exifPayload(5))}, {"eXIf", string(tiff)}}, tiff, nil},
	} {
		b := smallPNG()
		for _, c := range tt.chunks {
			b = insertChunk(b, c[0], []byte(c[1]))
		}
		img, err := Decode(context.Background(), b, Limits{}, DecodeHint{})
		if err != nil {
			t.Errorf("%s: Decode: %v", tt.name, err)
			continue
		}
		if !bytes.Equal(img.EXIF, tt.exif) || !bytes.Equal(img.XMP, tt.xmp) {
			t.Errorf("%s: EXIF % x, XMP %q; want % x, %q", tt.name, img.EXIF, img.XMP, tt.exif, tt.xmp)
		}
	}
}

func TestMetaWebP(t *testing.T) {
	tiff := exifPayload(1)
	vp8x := vp8xChunk(0x08|0x04, 2, 2) // EXIF and XMP flags
	// The VP8L chunk of a real 2×2 lossless file.
	simple := encodeTo(t, image.NewGray(image.Rect(0, 0, 2, 2)), WebP, EncodeOptions{Lossless: true})
	if string(simple[12:16]) != "VP8L" {
		t.Fatalf("lossless WebP starts with %q", simple[12:16])
	}
	vp8l := simple[12:]
	for _, tt := range []struct {
		name      string
		b         []byte
		exif, xmp []byte
	}{
		{"both", webpOf(vp8x, vp8l, riffChunk(nil, "EXIF", tiff), riffChunk(nil, "XMP ", []byte("<x/>"))), tiff, []byte("<x/>")},
		{"odd sizes padded", webpOf(vp8x, vp8l, riffChunk(nil, "XMP ", []byte("<x:a/>!")), riffChunk(nil, "EXIF", tiff)), tiff, []byte("<x:a/>!")},
		{"Exif prefix", webpOf(vp8x, vp8l, riffChunk(nil, "EXIF", append([]byte("Exif\x00\x00"), tiff...))), tiff, nil},
		{"none", webpOf(vp8l), nil, nil},
	} {
		img, err := Decode(context.Background(), tt.b, Limits{}, DecodeHint{})
		if err != nil {
			t.Errorf("%s: Decode: %v", tt.name, err)
			continue
		}
		if !bytes.Equal(img.EXIF, tt.exif) || !bytes.Equal(img.XMP, tt.xmp) {
			t.Errorf("%s: EXIF % x, XMP %q; want % x, %q", tt.name, img.EXIF, img.XMP, tt.exif, tt.xmp)
		}
	}
}

func TestMetaJPEG(t *testing.T) {
	gray := encodeTo(t, image.NewGray(image.Rect(0, 0, 8, 8)), JPEG, EncodeOptions{})
	with := func(segs ...[]byte) []byte {
		out := append([]byte{}, gray[:2]...)
		for _, s := range segs {
			out = append(out, s...)
		}
		return append(out, gray[2:]...)
	}
	tiff := exifPayload(1)
	for _, tt := range []struct {
		name      string
		b         []byte
		exif, xmp []byte
	}{
		{"both", with(segment(0xe1, []byte(exifMarker), tiff), segment(0xe1, []byte(xmpMarker), []byte("<x/>"))), tiff, []byte("<x/>")},
		{"xmp first", with(segment(0xe1, []byte(xmpMarker), []byte("<x/>")), segment(0xe1, []byte(exifMarker), tiff)), tiff, []byte("<x/>")},
		{"extended XMP ignored", with(segment(0xe1, []byte("http://ns.adobe.com/xmp/extension/\x00"), []byte("0123"))), nil, nil},
		{"exif not TIFF", with(segment(0xe1, []byte(exifMarker), []byte("nonsense data"))), nil, nil},
		{"first exif wins", with(segment(0xe1, []byte(exifMarker), tiff), segment(0xe1, []byte(exifMarker), exifPayload(6))), tiff, nil},
	} {
		img, err := Decode(context.Background(), tt.b, Limits{}, DecodeHint{})
		if err != nil {
			t.Errorf("%s: Decode: %v", tt.name, err)
			continue
		}
		if !bytes.Equal(img.EXIF, tt.exif) || !bytes.Equal(img.XMP, tt.xmp) {
			t.Errorf("%s: EXIF % x, XMP %q; want % x, %q", tt.name, img.EXIF, img.XMP, tt.exif, tt.xmp)
		}
	}
}

// TestMetaCopies checks that the metadata does not alias the input.
func TestMetaCopies(t *testing.T) {
	b := encodeTo(t, image.NewGray(image.Rect(0, 0, 8, 8)), PNG, EncodeOptions{EXIF: exifPayload(1), XMP: []byte("<x/>")})
	img := decodeBack(t, b)
	for i := range b {
		b[i] = 0
	}
	if !bytes.Equal(img.EXIF, exifPayload(1)) || string(img.XMP) != "<x/>" {
		t.Errorf("metadata changed with the input: % x %q", img.EXIF, img.XMP)
	}
}

// FuzzMeta runs the metadata readers on hostile input, which must never
// panic; the readers are also reached through FuzzDecode.
func FuzzMeta(f *testing.F) {
	f.Add(insertChunk(smallPNG(), "iTXt", itxt(pngXMPKeyword, true, []byte(testXMP))))
	f.Add(insertChunk(smallPNG(), "eXIf", exifPayload(6)))
	f.Add(webpOf(vp8lChunk(1, 1), riffChunk(nil, "EXIF", exifPayload(1)), riffChunk(nil, "XMP ", []byte("<x/>"))))
	f.Add(append([]byte{0xff, 0xd8}, segment(0xe1, []byte(exifMarker), exifPayload(1))...))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, fm := range []Format{JPEG, PNG, WebP} {
			p := &probed{h: Header{Format: fm}}
			if fm == WebP && len(b) >= 12 {
				p.webp = &webpLayout{riff: b}
			}
			exifBlock, xmp := metadata(b, p)
			if exifBlock != nil && (len(exifBlock) < 8 || exifBlock[0] != 'I' && exifBlock[0] != 'M') {
				t.Fatalf("EXIF block % x is not TIFF-structured", exifBlock[:min(len(exifBlock), 8)])
			}
			if len(xmp) > maxMetaBytes {
				t.Fatalf("XMP of %d bytes", len(xmp))
			}
		}
		pngXMP(b)
	})
}
