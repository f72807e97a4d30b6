package pipeline

import (
	"context"
	"image/color"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/codec"
	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// FuzzProcess runs Process on arbitrary bytes and transformation strings
// under tight limits: it must never panic, and every image it returns must
// decode to the size its Result states.
func FuzzProcess(f *testing.F) {
	for _, name := range []string{
		"png-interlaced-rgba-162x150.png", "png-gray-alpha-293x115.png", "gif-animated-80x80.gif",
		"webp-lossy-alpha-300x300.webp", "jpeg-gray-icc-400x267.jpg", "tiff-gopher-200x100.tiff",
		"hostile-corrupt-header.jpg", "hostile-truncated-290x442.jpg", "hostile-bomb-jpeg-64250x64250.jpg",
	} {
		if b := testcorpus.ReadSeed(name); b != nil {
			for _, tr := range []string{"", "w-50", "w-40,h-40,fo-auto:rt-45", "w-30,h-20,cm-pad_resize,bg-FF000050,r-max,f-png", "t-5,bl-2,e-contrast,b-2_00FF00,f-gif", "w-20,f-webp", "w-16,f-avif,q-40"} {
				f.Add(b, tr)
			}
		}
	}
	f.Add([]byte{0xFF, 0xD8, 0xFF}, "w-10")
	f.Add(synthetic(f, 7, 5, func(x, y int) color.NRGBA { return color.NRGBA{uint8(x * 30), uint8(y * 50), 9, uint8(x * y * 7)} }), "w-3,h-9,c-force:rt-N33,fl-v")
	// Compile the AVIF codec once per process, before fuzzing starts.
	if err := WarmUp(context.Background()); err != nil {
		f.Fatal(err)
	}
	opts := &Options{MaxSourceBytes: 1 << 20, MaxSourcePixels: 1 << 20, MaxOutputSide: 1024, MaxOutputPixels: 1 << 18}
	f.Fuzz(func(t *testing.T, src []byte, tr string) {
		chain, err := Parse(tr)
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		res, err := Process(ctx, src, chain, opts)
		if err != nil || chain.original() {
			return
		}
		hdr, err := codec.DecodeConfig(res.Bytes, codec.Limits{})
		if err != nil {
			t.Fatalf("Process(%q) output does not decode: %v", tr, err)
		}
		if hdr.OrientedWidth != res.Width || hdr.OrientedHeight != res.Height {
			t.Fatalf("Process(%q) output is %dx%d, Result says %dx%d", tr, hdr.OrientedWidth, hdr.OrientedHeight, res.Width, res.Height)
		}
	})
}
