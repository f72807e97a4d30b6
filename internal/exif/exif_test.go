package exif

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// entry is one IFD entry for the crafted payloads.
type entry struct {
	tag, typ uint16
	count    uint32
	value    uint32 // inline value (left-justified) or offset
}

// craft builds a TIFF structure with IFD0 at offset 8 holding entries, then
// extra bytes.
func craft(order interface {
	binary.ByteOrder
	binary.AppendByteOrder
}, entries []entry, extra ...byte) []byte {
	b := make([]byte, 8, 64)
	if order == binary.LittleEndian {
		copy(b, "II*\x00")
	} else {
		copy(b, "MM\x00*")
	}
	order.PutUint32(b[4:], 8)
	b = order.AppendUint16(b, uint16(len(entries)))
	for _, e := range entries {
		b = order.AppendUint16(b, e.tag)
		b = order.AppendUint16(b, e.typ)
		b = order.AppendUint32(b, e.count)
		var v [4]byte
		switch {
		case e.typ == 3 && e.count == 1:
			order.PutUint16(v[:], uint16(e.value))
		case e.typ == 1 && e.count == 1:
			v[0] = byte(e.value)
		default:
			order.PutUint32(v[:], e.value)
		}
		b = append(b, v[:]...)
	}
	b = order.AppendUint32(b, 0) // no next IFD
	return append(b, extra...)
}

func TestOrientation(t *testing.T) {
	le, be := binary.LittleEndian, binary.BigEndian
	short := func(v uint32) entry { return entry{TagOrientation, 3, 1, v} }
	tests := map[string]struct {
		b    []byte
		want int
	}{
		"nil":                 {nil, 1},
		"empty":               {[]byte{}, 1},
		"little endian 6":     {craft(le, []entry{{0x010f, 2, 4, 0}, short(6)}), 6},
		"big endian 3":        {craft(be, []entry{short(3), {0x0131, 2, 4, 0}}), 3},
		"every value le":      {craft(le, []entry{short(8)}), 8},
		"with Exif header":    {append([]byte("Exif\x00\x00"), craft(be, []entry{short(5)})...), 5},
		"long type":           {craft(le, []entry{{TagOrientation, 4, 1, 7}}), 7},
		"byte type":           {craft(be, []entry{{TagOrientation, 1, 1, 2}}), 2},
		"zero":                {craft(le, []entry{short(0)}), 1},
		"nine":                {craft(le, []entry{short(9)}), 1},
		"huge":                {craft(be, []entry{{TagOrientation, 4, 1, 0xffffffff}}), 1},
		"absent":              {craft(le, []entry{{0x010f, 2, 4, 0}}), 1},
		"rational type":       {craft(le, []entry{{TagOrientation, 5, 1, 8}}), 1},
		"zero count":          {craft(le, []entry{{TagOrientation, 3, 0, 6}}), 1},
		"bad magic":           {[]byte("II+\x00\x08\x00\x00\x00"), 1},
		"header only":         {[]byte("MM\x00*"), 1},
		"ifd offset too big":  {[]byte("II*\x00\xff\xff\xff\xff"), 1},
		"ifd offset in hdr":   {[]byte("II*\x00\x00\x00\x00\x00\x01\x00"), 1},
		"ifd past end":        {[]byte("MM\x00*\x00\x00\x00\x08"), 1},
		"entry count too big": {craft(le, []entry{short(6)})[:8+2+6], 1},
		// Three SHORTs do not fit in the entry: the value is at offset 26,
		// right after the IFD (8 + 2 + 12 + 4).
		"out of line":        {craft(be, []entry{{TagOrientation, 3, 3, 26}}, 0, 6, 0, 1, 0, 1), 6},
		"out of line bad":    {craft(be, []entry{{TagOrientation, 3, 3, 0xfffffff0}}), 1},
		"out of line at end": {craft(le, []entry{{TagOrientation, 3, 3, 26}}, 6), 1},
	}
	// The count field says 65535 entries, with one present.
	many := craft(le, []entry{short(6)})
	le.PutUint16(many[8:], 0xffff)
	tests["count 65535"] = struct {
		b    []byte
		want int
	}{many, 6}
	for name, tt := range tests {
		if got := Orientation(tt.b); got != tt.want {
			t.Errorf("%s: Orientation(% x) = %d, want %d", name, tt.b, got, tt.want)
		}
	}
}

func TestUint(t *testing.T) {
	b := craft(binary.BigEndian, []entry{{0x0100, 4, 1, 4000}, {0x0101, 3, 1, 3000}, {0x0152, 3, 1, 2}})
	for _, tt := range []struct {
		tag  uint16
		want uint32
		ok   bool
	}{{0x0100, 4000, true}, {0x0101, 3000, true}, {0x0152, 2, true}, {0x0112, 0, false}} {
		v, ok := Uint(b, tt.tag)
		if v != tt.want || ok != tt.ok {
			t.Errorf("Uint(b, %#x) = %d, %v, want %d, %v", tt.tag, v, ok, tt.want, tt.ok)
		}
	}
}

// jpegWith builds a JPEG prefix from segments (marker, payload).
func jpegWith(segs ...any) []byte {
	b := []byte{0xff, 0xd8}
	for i := 0; i < len(segs); i += 2 {
		m := segs[i].(int)
		p, _ := segs[i+1].([]byte)
		b = append(b, 0xff, byte(m))
		if p != nil {
			b = binary.BigEndian.AppendUint16(b, uint16(len(p)+2))
			b = append(b, p...)
		}
	}
	return b
}

func TestFromJPEG(t *testing.T) {
	payload := craft(binary.BigEndian, []entry{{TagOrientation, 3, 1, 6}})
	app1 := append([]byte("Exif\x00\x00"), payload...)
	xmp := []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>")
	jfif := []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
	tests := map[string]struct {
		b    []byte
		want []byte
	}{
		"exif":           {jpegWith(0xe0, jfif, 0xe1, app1, 0xda, []byte{1, 2}), payload},
		"after xmp":      {jpegWith(0xe1, xmp, 0xe1, app1), payload},
		"fill bytes":     {append([]byte{0xff, 0xd8, 0xff, 0xff, 0xff}, jpegWith(0xe1, app1)[3:]...), payload},
		"after scan":     {jpegWith(0xe0, jfif, 0xda, []byte{1, 2, 3}, 0xe1, app1), nil},
		"none":           {jpegWith(0xe0, jfif, 0xdb, make([]byte, 65)), nil},
		"not jpeg":       {append([]byte{0x89, 'P'}, app1...), nil},
		"lost sync":      {append(jpegWith(0xe0, jfif), 0x00, 0xff, 0xe1), nil},
		"bad length":     {[]byte{0xff, 0xd8, 0xff, 0xe1, 0x00, 0x01, 'E', 'x'}, nil},
		"truncated app1": {jpegWith(0xe1, app1)[:4+2+6+10], payload[:10]},
		"eoi":            {jpegWith(0xd9, nil, 0xe1, app1), nil},
		"rst standalone": {jpegWith(0xd0, nil, 0xe1, app1), payload},
		"tiny":           {[]byte{0xff, 0xd8, 0xff}, nil},
	}
	for name, tt := range tests {
		got := FromJPEG(tt.b)
		if string(got) != string(tt.want) {
			t.Errorf("%s: FromJPEG = % x, want % x", name, got, tt.want)
		}
	}
}

func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return append(b, 0, 0, 0, 0) // CRC, not checked
}

func TestFromPNG(t *testing.T) {
	payload := craft(binary.LittleEndian, []entry{{TagOrientation, 3, 1, 3}})
	sig := []byte(pngSignature)
	ihdr := pngChunk("IHDR", make([]byte, 13))
	cat := func(parts ...[]byte) []byte { return bytesJoin(parts) }
	tests := map[string]struct {
		b    []byte
		want []byte
	}{
		"exif":       {cat(sig, ihdr, pngChunk("eXIf", payload), pngChunk("IEND", nil)), payload},
		"after idat": {cat(sig, ihdr, pngChunk("IDAT", []byte{1, 2, 3}), pngChunk("eXIf", payload)), payload},
		"after iend": {cat(sig, ihdr, pngChunk("IEND", nil), pngChunk("eXIf", payload)), nil},
		"none":       {cat(sig, ihdr, pngChunk("IEND", nil)), nil},
		"truncated":  {cat(sig, ihdr, pngChunk("eXIf", payload))[:8+25+8+5], payload[:5]},
		"huge chunk": {cat(sig, []byte{0xff, 0xff, 0xff, 0xff}, []byte("tEXt"), payload), nil},
		"not png":    {cat([]byte("\x89PNX\r\n\x1a\n"), pngChunk("eXIf", payload)), nil},
	}
	for name, tt := range tests {
		if got := FromPNG(tt.b); string(got) != string(tt.want) {
			t.Errorf("%s: FromPNG = % x, want % x", name, got, tt.want)
		}
		if got := Find(tt.b); name != "not png" && string(got) != string(tt.want) {
			t.Errorf("%s: Find = % x, want % x", name, got, tt.want)
		}
	}
}

func bytesJoin(parts [][]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func riffChunk(fourcc string, data []byte) []byte {
	b := append([]byte(fourcc), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	b = append(b, data...)
	if len(data)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

func webpFile(chunks ...[]byte) []byte {
	body := append([]byte("WEBP"), bytesJoin(chunks)...)
	b := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
	return append(b, body...)
}

func TestFromWebP(t *testing.T) {
	payload := craft(binary.BigEndian, []entry{{TagOrientation, 3, 1, 8}})
	vp8x := make([]byte, 10)
	vp8x[0] = 1 << 3
	tests := map[string]struct {
		b    []byte
		want []byte
	}{
		"exif":         {webpFile(riffChunk("VP8X", vp8x), riffChunk("ICCP", []byte{1, 2, 3}), riffChunk("VP8 ", []byte{0}), riffChunk("EXIF", payload)), payload},
		"none":         {webpFile(riffChunk("VP8X", vp8x), riffChunk("VP8 ", []byte{0})), nil},
		"truncated":    {webpFile(riffChunk("EXIF", payload))[:12+8+7], payload[:7]},
		"huge chunk":   {webpFile(append([]byte("VP8 \xff\xff\xff\xff"), riffChunk("EXIF", payload)...)), nil},
		"not webp":     {append([]byte("RIFF\x00\x00\x00\x00WAVE"), riffChunk("EXIF", payload)...), nil},
		"with header":  {webpFile(riffChunk("EXIF", append([]byte("Exif\x00\x00"), payload...))), append([]byte("Exif\x00\x00"), payload...)},
		"short header": {[]byte("RIFF\x00\x00"), nil},
	}
	for name, tt := range tests {
		if got := FromWebP(tt.b); string(got) != string(tt.want) {
			t.Errorf("%s: FromWebP = % x, want % x", name, got, tt.want)
		}
	}
	if o := Orientation(FromWebP(tests["with header"].b)); o != 8 {
		t.Errorf("Orientation of a WebP EXIF chunk with the Exif header = %d, want 8", o)
	}
}

func TestFromTIFF(t *testing.T) {
	b := craft(binary.LittleEndian, []entry{{TagOrientation, 3, 1, 4}})
	if got := FromTIFF(b); string(got) != string(b) {
		t.Errorf("FromTIFF = % x, want the file itself", got)
	}
	if got := Find(b); Orientation(got) != 4 {
		t.Errorf("Orientation(Find(tiff)) = %d, want 4", Orientation(got))
	}
	if got := FromTIFF([]byte("GIF89a..")); got != nil {
		t.Errorf("FromTIFF(gif) = % x, want nil", got)
	}
}

func TestCorpus(t *testing.T) {
	want := map[string]int{
		"jpeg-photo-12mp-iphone-p3-orient6.jpg":   6,
		"jpeg-progressive-adobergb-1900x1263.jpg": 1,
		"jpeg-cmyk-swop-icc-500x333.jpg":          1,
		"tiff-rgb-290x442.tif":                    1,
		"tiff-gopher-200x100.tiff":                1,
		"hostile-truncated-290x442.jpg":           1,
	}
	for _, name := range testcorpus.Names(t, "exif-*.jpg") {
		var o int
		if _, err := fmt.Sscanf(name[strings.LastIndexByte(name, '_')+1:], "%d.jpg", &o); err != nil {
			t.Fatalf("name %s: %v", name, err)
		}
		want[name] = o
	}
	if len(want) < 6+14 {
		t.Fatalf("found %d exif-*.jpg files, want 14", len(want)-6)
	}
	for name, o := range want {
		b := testcorpus.Read(t, name)
		if got := Orientation(Find(b)); got != o {
			t.Errorf("Orientation(Find(%s)) = %d, want %d", name, got, o)
		}
	}
	// Every other file must not panic, and a file without EXIF reads as 1.
	for _, name := range testcorpus.Names(t, "*") {
		if _, ok := want[name]; ok || strings.HasSuffix(name, ".md") {
			continue
		}
		b := testcorpus.Read(t, name)
		if got := Orientation(Find(b)); got < 1 || got > 8 {
			t.Errorf("Orientation(Find(%s)) = %d, want 1 to 8", name, got)
		}
	}
}

func FuzzOrientation(f *testing.F) {
	f.Add(craft(binary.LittleEndian, []entry{{TagOrientation, 3, 1, 6}}))
	f.Add(craft(binary.BigEndian, []entry{{TagOrientation, 3, 3, 26}}, 0, 6, 0, 1, 0, 1))
	f.Add(jpegWith(0xe1, append([]byte("Exif\x00\x00"), craft(binary.BigEndian, []entry{{TagOrientation, 4, 1, 8}})...)))
	f.Add(webpFile(riffChunk("EXIF", craft(binary.LittleEndian, []entry{{TagOrientation, 3, 1, 2}}))))
	for _, name := range []string{"exif-Landscape_6.jpg", "jpeg-photo-12mp-iphone-p3-orient6.jpg", "tiff-gopher-200x100.tiff"} {
		if b := testcorpus.ReadSeed(name); b != nil {
			f.Add(b[:min(len(b), 64<<10)])
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, p := range [][]byte{b, Find(b), FromJPEG(b), FromPNG(b), FromWebP(b), FromTIFF(b)} {
			if o := Orientation(p); o < 1 || o > 8 {
				t.Fatalf("Orientation = %d, want 1 to 8", o)
			}
			Uint(p, 0x0100)
		}
	})
}
