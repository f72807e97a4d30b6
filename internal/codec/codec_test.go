package codec

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/imgcdn/imgcdn/internal/raster"
	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

func TestSniff(t *testing.T) {
	tests := map[string]struct {
		b    string
		want Format
	}{
		"empty":               {"", Unknown},
		"jpeg":                {"\xff\xd8\xff\xe0\x00\x10JFIF", JPEG},
		"jpeg too short":      {"\xff\xd8", Unknown},
		"png":                 {"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", PNG},
		"gif87a":              {"GIF87a\x01\x00", GIF},
		"gif89a":              {"GIF89a\x01\x00", GIF},
		"gif88a":              {"GIF88a\x01\x00", Unknown},
		"webp":                {"RIFF\x24\x00\x00\x00WEBPVP8 ", WebP},
		"riff wave":           {"RIFF\x24\x00\x00\x00WAVEfmt ", Unknown},
		"bmp":                 {"BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00", BMP},
		"bm text":             {"BMW is a car maker, not a bitmap", Unknown},
		"tiff le":             {"II*\x00\x08\x00\x00\x00", TIFF},
		"tiff be":             {"MM\x00*\x00\x00\x00\x08", TIFF},
		"bigtiff":             {"II+\x00\x08\x00\x00\x00", Unknown},
		"avif":                {"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", AVIF},
		"avif via mif1":       {"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1avif", AVIF},
		"avis":                {"\x00\x00\x00\x14ftypavis\x00\x00\x00\x00avis", AVIF},
		"heic":                {"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", HEIF},
		"heif via mif1":       {"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic", HEIF},
		"heix":                {"\x00\x00\x00\x14ftypheix\x00\x00\x00\x00", HEIF},
		"mp4":                 {"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", Unknown},
		"avif brand past box": {"\x00\x00\x00\x10ftypisom\x00\x00\x00\x00avif", Unknown},
		"jxl codestream":      {"\xff\x0a\xfa\x7f", JXL},
		"jxl container":       {"\x00\x00\x00\x0cJXL \r\n\x87\n\x00\x00\x00\x14ftypjxl ", JXL},
		"svg":                 {`<svg xmlns="http://www.w3.org/2000/svg"/>`, SVG},
		"svg bom and space":   {"\xef\xbb\xbf \n\t<svg>", SVG},
		"svg prolog": {"<?xml version=\"1.0\"?>\n<!-- made by hand -->\n" +
			"<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg width=\"10\">", SVG},
		"svg doctype subset": {`<!DOCTYPE svg [ <!ENTITY a "b"> ]><svg/>`, SVG},
		"svg stylesheet pi":  {"<?xml version=\"1.0\"?><?xml-stylesheet href=\"a.css\"?><svg\n>", SVG},
		"svgz name only":     {"<svgfoo/>", Unknown},
		"html":               {"<!DOCTYPE html><html><svg></svg></html>", Unknown},
		"xml not svg":        {"<?xml version=\"1.0\"?><rss/>", Unknown},
		"unclosed comment":   {"<!-- <svg", Unknown},
		"bare svg":           {"<svg", Unknown},
		"text":               {"hello", Unknown},
	}
	for name, tt := range tests {
		if got := Sniff([]byte(tt.b)); got != tt.want {
			t.Errorf("%s: Sniff(%q) = %v, want %v", name, tt.b, got, tt.want)
		}
	}
}

func TestFormatString(t *testing.T) {
	want := []string{"unknown", "jpeg", "png", "gif", "webp", "bmp", "tiff", "avif", "heif", "jxl", "svg"}
	for f, s := range want {
		if got := Format(f).String(); got != s {
			t.Errorf("Format(%d).String() = %q, want %q", f, got, s)
		}
	}
	if got := Format(200).String(); got != "unknown" {
		t.Errorf("Format(200).String() = %q, want unknown", got)
	}
}

func TestLimits(t *testing.T) {
	b := testcorpus.Read(t, "jpeg-photo-1920x1080.jpg")
	tests := map[string]struct {
		lim  Limits
		what string
		val  int64
		max  int64
	}{
		"bytes":  {Limits{MaxBytes: 1000}, "source bytes", int64(len(b)), 1000},
		"pixels": {Limits{MaxPixels: 2_000_000}, "source pixels", 1920 * 1080, 2_000_000},
		"width":  {Limits{MaxSide: 1900}, "source width", 1920, 1900},
		"height": {Limits{MaxSide: 1920, MaxPixels: 1 << 40}, "", 0, 0},
	}
	for name, tt := range tests {
		for _, fn := range []func() error{
			func() error { _, err := DecodeConfig(b, tt.lim); return err },
			func() error { _, err := Decode(context.Background(), b, tt.lim, DecodeHint{}); return err },
		} {
			err := fn()
			if tt.what == "" {
				if err != nil {
					t.Errorf("%s: %v, want success", name, err)
				}
				continue
			}
			var le *LimitError
			if !errors.As(err, &le) || !errors.Is(err, ErrTooLarge) {
				t.Fatalf("%s: error %v, want a *LimitError", name, err)
			}
			if diff := cmp.Diff(&LimitError{What: tt.what, Value: tt.val, Max: tt.max}, le); diff != "" {
				t.Errorf("%s: LimitError mismatch (-want +got):\n%s", name, diff)
			}
		}
	}
	// A tall sliver: within the pixel limit, beyond the side limit.
	h, err := DecodeConfig(pngHeaderOnly(10, 70000, 6), Limits{})
	var le *LimitError
	if !errors.As(err, &le) || le.What != "source height" || h.Height != 70000 {
		t.Errorf("DecodeConfig(10x70000 PNG) = %+v, %v, want a source height limit with the header", h, err)
	}
}

func TestDecodeContext(t *testing.T) {
	b := testcorpus.Read(t, "png-rgba-320x240.png")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Decode(ctx, b, Limits{}, DecodeHint{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Decode with a cancelled context = %v, want context.Canceled", err)
	}
}

// pngChunk returns a PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

func pngIHDR(w, h uint32, colorType byte) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, colorType, 0, 0, 0)
	return append([]byte(pngSignature), pngChunk("IHDR", ihdr)...)
}

func pngHeaderOnly(w, h uint32, colorType byte) []byte {
	return append(pngIHDR(w, h, colorType), pngChunk("IEND", nil)...)
}

func zlibBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// insertChunk puts a chunk right after the IHDR of a PNG file.
func insertChunk(file []byte, typ string, data []byte) []byte {
	at := len(pngSignature) + 25
	out := append([]byte{}, file[:at]...)
	out = append(out, pngChunk(typ, data)...)
	return append(out, file[at:]...)
}

func jpegSOF(marker byte, w, h int) []byte {
	b := []byte{0xff, 0xd8, 0xff, marker, 0, 17, 8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 3}
	for id := byte(1); id <= 3; id++ {
		b = append(b, id, 0x11, 0)
	}
	// A scan header, without data, so that the header reader reaches it.
	b = append(b, 0xff, 0xda, 0, 12, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0)
	return append(b, 0xff, 0xd9)
}

func bmpHeader(w, h int32, bpp uint16) []byte {
	b := make([]byte, 54)
	copy(b, "BM")
	binary.LittleEndian.PutUint32(b[10:], 54)
	binary.LittleEndian.PutUint32(b[14:], 40)
	binary.LittleEndian.PutUint32(b[18:], uint32(w))
	binary.LittleEndian.PutUint32(b[22:], uint32(h))
	binary.LittleEndian.PutUint16(b[26:], 1)
	binary.LittleEndian.PutUint16(b[28:], bpp)
	return b
}

func gifHeader(sw, sh, fw, fh uint16, lzw int) []byte {
	b := []byte("GIF89a")
	b = binary.LittleEndian.AppendUint16(b, sw)
	b = binary.LittleEndian.AppendUint16(b, sh)
	b = append(b, 0x80, 0, 0) // global colour table of 2 entries
	b = append(b, 0, 0, 0, 255, 255, 255)
	b = append(b, 0x2c, 0, 0, 0, 0)
	b = binary.LittleEndian.AppendUint16(b, fw)
	b = binary.LittleEndian.AppendUint16(b, fh)
	b = append(b, 0, 2) // no local table; LZW minimum code size
	for lzw > 0 {
		n := min(lzw, 255)
		b = append(b, byte(n))
		b = append(b, make([]byte, n)...)
		lzw -= n
	}
	return append(b, 0, 0x3b)
}

func webpOf(chunks ...[]byte) []byte {
	body := []byte("WEBP")
	for _, c := range chunks {
		body = append(body, c...)
	}
	return riffChunk(nil, "RIFF", body)
}

func vp8xChunk(flags byte, w, h int) []byte {
	x := []byte{flags, 0, 0, 0, byte(w - 1), byte((w - 1) >> 8), byte((w - 1) >> 16), byte(h - 1), byte((h - 1) >> 8), byte((h - 1) >> 16)}
	return riffChunk(nil, "VP8X", x)
}

func vp8Chunk(w, h int) []byte {
	d := []byte{0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, byte(w), byte(w >> 8), byte(h), byte(h >> 8)}
	return riffChunk(nil, "VP8 ", append(d, make([]byte, 20)...))
}

func vp8lChunk(w, h int) []byte {
	bits := uint32(w-1) | uint32(h-1)<<14
	d := append([]byte{0x2f}, binary.LittleEndian.AppendUint32(nil, bits)...)
	return riffChunk(nil, "VP8L", append(d, make([]byte, 20)...))
}

// TestHostileCrafted feeds small files that declare far more than they hold
// and checks that each fails with the right class without allocating what
// it declares.
func TestHostileCrafted(t *testing.T) {
	hugeChunk := webpOf(vp8Chunk(64, 64))
	binary.LittleEndian.PutUint32(hugeChunk[16:], 0x7ffffff0) // VP8 chunk length
	binary.LittleEndian.PutUint32(hugeChunk[4:], uint32(len(hugeChunk)-8))
	riffTooLong := webpOf(vp8Chunk(64, 64))
	binary.LittleEndian.PutUint32(riffTooLong[4:], 0xfffffff0)

	tests := map[string]struct {
		b     []byte
		class string
	}{
		"png 7000x7000 with no data":      {append(pngIHDR(7000, 7000, 6), append(pngChunk("IDAT", zlibBytes([]byte{0, 1, 2})), pngChunk("IEND", nil)...)...), "corrupt"},
		"png 65535x65535":                 {pngHeaderOnly(65535, 65535, 6), "too large"},
		"png zero width":                  {pngHeaderOnly(0, 10, 6), "corrupt"},
		"jpeg baseline 7000x7000 empty":   {jpegSOF(0xc0, 7000, 7000), "corrupt"},
		"jpeg progressive 7000x7000 bare": {jpegSOF(0xc2, 7000, 7000), "corrupt"},
		"jpeg 65500x65500":                {jpegSOF(0xc0, 65500, 65500), "too large"},
		"jpeg 60000x10":                   {jpegSOF(0xc2, 60000, 10), "corrupt"},
		"bmp 7000x7000 no pixels":         {bmpHeader(7000, 7000, 24), "corrupt"},
		"bmp 7000x-7000 top-down":         {bmpHeader(7000, -7000, 32), "corrupt"},
		"bmp 100000x100000":               {bmpHeader(100000, 100000, 24), "too large"},
		"bmp rle":                         {func() []byte { b := bmpHeader(10, 10, 8); b[30] = 1; return b }(), "unsupported"},
		"gif 7000x7000 short lzw":         {gifHeader(7000, 7000, 7000, 7000, 300), "corrupt"},
		"gif 65535x65535":                 {gifHeader(65535, 65535, 1, 1, 3), "too large"},
		"gif frame beyond screen":         {gifHeader(10, 10, 20, 20, 3), "corrupt"},
		"webp vp8x 100 over vp8 16383":    {webpOf(vp8xChunk(0, 100, 100), vp8Chunk(16383, 16383)), "corrupt"},
		"webp vp8x 2^24 canvas":           {webpOf(vp8xChunk(0, 1<<24, 1<<24), vp8Chunk(64, 64)), "too large"},
		"webp vp8l 16384x16384":           {webpOf(vp8lChunk(16384, 16384)), "too large"},
		"webp vp8l 7000x7000 no data":     {webpOf(vp8lChunk(7000, 7000)), "corrupt"},
		"webp vp8 7000x7000 short":        {webpOf(riffChunk(nil, "VP8 ", []byte{0x10, 0x20, 0x00, 0x9d, 0x01, 0x2a, 0x58, 0x1b, 0x58, 0x1b, 0, 0})), "corrupt"},
		"webp animated 64x0 frame": {webpOf(vp8xChunk(0x0f, 64, 64), riffChunk(nil, "ALPH", []byte{0}),
			riffChunk(nil, "VP8 ", append([]byte{0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 64, 0, 0, 0}, make([]byte, 20)...))), "corrupt"},
		"webp chunk past end":       {hugeChunk, "corrupt"},
		"webp riff past end":        {riffTooLong, "corrupt"},
		"webp no image chunk":       {webpOf(riffChunk(nil, "EXIF", []byte("II*\x00"))), "corrupt"},
		"webp alpha without vp8x":   {webpOf(riffChunk(nil, "ALPH", make([]byte, 10)), vp8Chunk(7000, 7000)), "corrupt"},
		"webp vp8x alpha huge alph": {webpOf(vp8xChunk(webpFlagAlpha, 7000, 7000), riffChunk(nil, "ALPH", []byte{0}), vp8Chunk(7000, 7000)), "corrupt"},
		"tiff 100000x100000": {func() []byte {
			b := []byte("II*\x00\x08\x00\x00\x00\x02\x00")
			b = append(b, 0x00, 0x01, 4, 0, 1, 0, 0, 0, 0xa0, 0x86, 0x01, 0x00) // ImageWidth 100000
			b = append(b, 0x01, 0x01, 4, 0, 1, 0, 0, 0, 0xa0, 0x86, 0x01, 0x00) // ImageLength 100000
			return append(b, 0, 0, 0, 0)
		}(), "too large"},
		"avif 1x1 with 60000x60000 ispe": {heifWithIspe(60000, 60000), "too large"},
		"svg":                            {[]byte("<svg width='100000' height='100000'/>"), "unsupported"},
	}
	for name, tt := range tests {
		var err, cerr error
		n := allocated(func() {
			_, cerr = DecodeConfig(tt.b, Limits{})
			_, err = Decode(context.Background(), tt.b, Limits{}, DecodeHint{})
		})
		t.Logf("%-32s allocated %6.1f KB: %v", name, float64(n)/1024, err)
		if got := class(err); got != tt.class {
			t.Errorf("%s: Decode error %v (%s), want %s", name, err, got, tt.class)
		}
		if class(cerr) != class(err) && !(tt.class == "corrupt" && cerr == nil) {
			t.Errorf("%s: DecodeConfig error %v, Decode error %v: classes differ", name, cerr, err)
		}
		if n > 1<<20 {
			t.Errorf("%s: allocated %d bytes, want at most 1 MiB", name, n)
		}
	}
}

// heifWithIspe builds the boxes of an AVIF file whose primary item has an
// ispe property of w×h.
func heifWithIspe(w, h uint32) []byte {
	box := func(typ string, payload ...[]byte) []byte {
		var p []byte
		for _, x := range payload {
			p = append(p, x...)
		}
		return append(binary.BigEndian.AppendUint32(nil, uint32(8+len(p))), append([]byte(typ), p...)...)
	}
	ispe := binary.BigEndian.AppendUint32([]byte{0, 0, 0, 0}, w)
	ispe = binary.BigEndian.AppendUint32(ispe, h)
	ipma := []byte{0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 2, 0x81, 0x02}
	meta := box("meta", []byte{0, 0, 0, 0},
		box("pitm", []byte{0, 0, 0, 0, 0, 1}),
		box("iprp", box("ipco", box("ispe", ispe), box("irot", []byte{1})), box("ipma", ipma)))
	return append(box("ftyp", []byte("avif\x00\x00\x00\x00avifmif1")), meta...)
}

func TestHEIFOrientation(t *testing.T) {
	// The file has no item data (no iloc box), so it is corrupt, but its
	// header is read.
	h, err := DecodeConfig(heifWithIspe(300, 200), Limits{})
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("DecodeConfig(avif) error %v, want ErrCorrupt", err)
	}
	want := Header{Format: AVIF, Width: 300, Height: 200, Orientation: raster.OrientRotate270, OrientedWidth: 200, OrientedHeight: 300}
	if h != want {
		t.Errorf("DecodeConfig(avif) = %+v, want %+v", h, want)
	}
}

// TestTruncations cuts small corpus files at many points: every result must
// be a success or a classified error, never a panic.
func TestTruncations(t *testing.T) {
	for _, name := range []string{
		"gif-animated-121x128.gif", "png-interlaced-rgba-162x150.png", "png-gray-alpha-293x115.png",
		"webp-animated-80x80.webp", "webp-lossy-alpha-300x300.webp", "webp-lossless-alpha-400x301.webp",
		"tiff-gopher-200x100.tiff", "bmp-24bit-200x200.bmp", "jpeg-gray-icc-400x267.jpg",
		"avif-irot90-1024x722.avif", "heif-alpha-202x259.heif", "svg-star-880x880.svg",
	} {
		b := testcorpus.Read(t, name)
		for _, n := range []int{0, 1, 2, 3, 8, 12, 16, 20, 30, 33, 64, 100, 200, len(b) / 3, len(b) / 2, len(b) - 10, len(b) - 1} {
			if n < 0 || n > len(b) {
				continue
			}
			_, err := Decode(context.Background(), b[:n], Limits{}, DecodeHint{})
			if c := class(err); c[:2] == "ot" {
				t.Errorf("Decode(%s[:%d]) = %v, an unclassified error", name, n, err)
			}
		}
	}
}

func TestGIFFirstFrameOnScreen(t *testing.T) {
	pal := color.Palette{color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}, color.RGBA{}}
	frame := image.NewPaletted(image.Rect(1, 1, 3, 3), pal)
	frame.Pix = []uint8{0, 1, 2, 0}
	second := image.NewPaletted(image.Rect(0, 0, 4, 4), pal)
	var buf bytes.Buffer
	err := gif.EncodeAll(&buf, &gif.GIF{
		Image:  []*image.Paletted{frame, second},
		Delay:  []int{10, 10},
		Config: image.Config{ColorModel: pal, Width: 4, Height: 4},
	})
	if err != nil {
		t.Fatal(err)
	}
	img, err := Decode(context.Background(), buf.Bytes(), Limits{}, DecodeHint{})
	if err != nil {
		t.Fatal(err)
	}
	if !img.Header.HasAlpha || !img.Header.Animated {
		t.Errorf("Header = %+v, want HasAlpha and Animated", img.Header)
	}
	n := img.Pixels.(*image.NRGBA)
	want := map[image.Point]color.NRGBA{
		{1, 1}: {255, 0, 0, 255}, {2, 1}: {0, 0, 255, 255}, {1, 2}: {}, {2, 2}: {255, 0, 0, 255},
	}
	for y := 0; y < 4; y++ {
		for x := 0; x < 4; x++ {
			if got := n.NRGBAAt(x, y); got != want[image.Pt(x, y)] {
				t.Errorf("pixel (%d,%d) = %v, want %v", x, y, got, want[image.Pt(x, y)])
			}
		}
	}
}

// exifPayload is a big-endian TIFF structure with IFD0 holding only the
// orientation o.
func exifPayload(o byte) []byte {
	return []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, o, 0, 0, 0, 0, 0, 0}
}

func TestPNGOrientationAndICC(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	for i := range src.Pix {
		src.Pix[i] = uint8(i * 10)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, src); err != nil {
		t.Fatal(err)
	}
	profile := append(binary.BigEndian.AppendUint32(nil, 132), make([]byte, 128)...)
	copy(profile[36:], "acsp")
	b := insertChunk(buf.Bytes(), "eXIf", exifPayload(6))
	b = insertChunk(b, "iCCP", append([]byte("test\x00\x00"), zlibBytes(profile)...))
	img, err := Decode(context.Background(), b, Limits{}, DecodeHint{})
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if img.Header.Orientation != 6 || img.Pixels.Bounds().Size() != image.Pt(2, 3) {
		t.Errorf("Decode: orientation %d, size %v; want 6, 2x3", img.Header.Orientation, img.Pixels.Bounds().Size())
	}
	want := raster.ToNRGBA(raster.Rotate90(src))
	if diff := cmp.Diff(want.Pix, img.Pixels.(*image.NRGBA).Pix); diff != "" {
		t.Errorf("rotated pixels differ (-want +got):\n%s", diff)
	}
	if !bytes.Equal(img.ICC, profile) {
		t.Errorf("ICC = %d bytes, want the %d-byte profile", len(img.ICC), len(profile))
	}
	// Profiles that inflate beyond the cap, or whose header claims more,
	// are dropped without being inflated.
	big := append(binary.BigEndian.AppendUint32(nil, maxICCBytes+1), make([]byte, 200)...)
	for name, z := range map[string][]byte{
		"zeros": zlibBytes(make([]byte, 8*maxICCBytes)),
		"big":   zlibBytes(big),
	} {
		bomb := insertChunk(buf.Bytes(), "iCCP", append([]byte("bomb\x00\x00"), z...))
		var got *Image
		n := allocated(func() { got, err = Decode(context.Background(), bomb, Limits{}, DecodeHint{}) })
		if err != nil {
			t.Errorf("Decode(iCCP %s): %v", name, err)
		} else if got.ICC != nil || n > 1<<20 {
			t.Errorf("Decode(iCCP %s): ICC %d bytes, allocated %d; want no ICC, under 1 MiB", name, len(got.ICC), n)
		}
	}
}

func TestWebPOrientation(t *testing.T) {
	// Wrap a lossless corpus image in an extended file with EXIF
	// orientation 8.
	b := testcorpus.Read(t, "webp-lossless-alpha-400x301.webp")
	plain, err := Decode(context.Background(), b, Limits{}, DecodeHint{})
	if err != nil {
		t.Fatal(err)
	}
	vp8l := b[12:] // the single VP8L chunk
	ext := webpOf(vp8xChunk(webpFlagAlpha|1<<3, 400, 301), vp8l, riffChunk(nil, "EXIF", exifPayload(8)))
	img, err := Decode(context.Background(), ext, Limits{}, DecodeHint{})
	if err != nil {
		t.Fatalf("Decode(extended): %v", err)
	}
	if img.Header.Orientation != 8 || img.Pixels.Bounds().Size() != image.Pt(301, 400) {
		t.Fatalf("Decode(extended): orientation %d, size %v, want 8 and 301x400", img.Header.Orientation, img.Pixels.Bounds().Size())
	}
	want := raster.Rotate270(plain.Pixels).(*image.NRGBA)
	if !bytes.Equal(want.Pix, img.Pixels.(*image.NRGBA).Pix) {
		t.Error("Decode(extended) pixels are not the plain decode turned a quarter anticlockwise")
	}
}

func TestJPEGICCChunks(t *testing.T) {
	c := func(seq, n byte, data string) []byte { return append([]byte{seq, n}, data...) }
	tests := map[string]struct {
		chunks [][]byte
		want   string
	}{
		"none":        {nil, ""},
		"one":         {[][]byte{c(1, 1, "abc")}, "abc"},
		"in order":    {[][]byte{c(1, 2, "ab"), c(2, 2, "cd")}, "abcd"},
		"out of time": {[][]byte{c(2, 2, "cd"), c(1, 2, "ab")}, "abcd"},
		"missing":     {[][]byte{c(1, 3, "ab"), c(3, 3, "cd")}, ""},
		"duplicate":   {[][]byte{c(1, 2, "ab"), c(1, 2, "ab")}, ""},
		"count skew":  {[][]byte{c(1, 2, "ab"), c(2, 3, "cd")}, ""},
		"seq zero":    {[][]byte{c(0, 1, "ab")}, ""},
		"short":       {[][]byte{{1}}, ""},
		"empty":       {[][]byte{c(1, 1, "")}, ""},
	}
	for name, tt := range tests {
		if got := string(jpegICC(tt.chunks)); got != tt.want {
			t.Errorf("%s: jpegICC = %q, want %q", name, got, tt.want)
		}
	}
}

func TestNormalizeGray16PNG(t *testing.T) {
	src := image.NewGray16(image.Rect(0, 0, 4, 1))
	for i, v := range []uint16{0, 0x7f80, 0x8080, 0xffff} {
		src.SetGray16(i, 0, color.Gray16{v})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, src); err != nil {
		t.Fatal(err)
	}
	img, err := Decode(context.Background(), buf.Bytes(), Limits{}, DecodeHint{})
	if err != nil {
		t.Fatal(err)
	}
	g, ok := img.Pixels.(*image.Gray)
	if !ok {
		t.Fatalf("16-bit grey PNG decoded to %T, want *image.Gray", img.Pixels)
	}
	if want := []byte{0, 127, 128, 255}; !bytes.Equal(g.Pix, want) {
		t.Errorf("16-bit grey rounded to %v, want %v", g.Pix, want)
	}
}

func TestDecoderPanicIsCorrupt(t *testing.T) {
	// A WebP probe without its layout makes the decoder dereference nil:
	// the panic must come back as ErrCorrupt.
	img, err := decodePixels([]byte("RIFF"), &probed{h: Header{Format: WebP}})
	if img != nil || !errors.Is(err, ErrCorrupt) {
		t.Errorf("decodePixels with a panicking decoder = %v, %v; want nil, ErrCorrupt", img, err)
	}
}
