package resample

import (
	"image"
	"testing"

	"github.com/disintegration/imaging"
	xdraw "golang.org/x/image/draw"
)

// A scaler scales src to w×h.
type scaler func(src image.Image, w, h int) image.Image

func ours(src image.Image, w, h int) image.Image {
	dst, err := Resize(src, src.Bounds(), w, h)
	if err != nil {
		panic(err)
	}
	return dst
}

func catmullRom(src image.Image, w, h int) image.Image {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.CatmullRom.Scale(dst, dst.Rect, src, src.Bounds(), xdraw.Src, nil)
	return dst
}

func imagingLanczos(src image.Image, w, _ int) image.Image {
	return imaging.Resize(src, w, 0, imaging.Lanczos)
}

// benchScale measures scaling src to w×h. The bytes per operation are those
// of the source as RGBA, whatever its type, so that throughputs compare.
func benchScale(b *testing.B, src image.Image, w, h int, scale scaler) {
	b.ReportAllocs()
	sb := src.Bounds()
	b.SetBytes(4 * int64(sb.Dx()) * int64(sb.Dy()))
	if got := scale(src, w, h).Bounds(); got.Dx() != w || got.Dy() != h {
		b.Fatalf("result is %v, want %d×%d", got, w, h)
	}
	for b.Loop() {
		scale(src, w, h)
	}
}

func BenchmarkScale(b *testing.B) {
	// Decoded by image/jpeg: *image.YCbCr, 4:2:0.
	p24 := decode(b, "jpeg-photo-24mp-4000x6000.jpg")
	p24n := toNRGBA(p24)
	p2 := decode(b, "jpeg-photo-1920x1080.jpg")
	p2n := toNRGBA(p2)

	b.Run("24MP-400x600/resample-ycbcr", func(b *testing.B) { benchScale(b, p24, 400, 600, ours) })
	b.Run("24MP-400x600/resample-nrgba", func(b *testing.B) { benchScale(b, p24n, 400, 600, ours) })
	b.Run("24MP-400x600/xdraw-catmullrom", func(b *testing.B) { benchScale(b, p24, 400, 600, catmullRom) })
	b.Run("24MP-400x600/imaging-lanczos", func(b *testing.B) { benchScale(b, p24, 400, 600, imagingLanczos) })

	b.Run("1920-300x169/resample-ycbcr", func(b *testing.B) { benchScale(b, p2, 300, 169, ours) })
	b.Run("1920-300x169/resample-nrgba", func(b *testing.B) { benchScale(b, p2n, 300, 169, ours) })
	b.Run("1920-300x169/xdraw-catmullrom", func(b *testing.B) { benchScale(b, p2, 300, 169, catmullRom) })
	b.Run("1920-300x169/imaging-lanczos", func(b *testing.B) { benchScale(b, p2, 300, 169, imagingLanczos) })
}
