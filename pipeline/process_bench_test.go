package pipeline

import (
	"context"
	"testing"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// The benchmark cases of the README's performance table.
func BenchmarkProcess(b *testing.B) {
	b.Run("a_24mp_jpeg_w400_q80", func(b *testing.B) { benchProcess(b, "jpeg-photo-24mp-4000x6000.jpg", "w-400,q-80,f-jpg") })
	b.Run("b_2mp_jpeg_300x300", func(b *testing.B) { benchProcess(b, "jpeg-photo-1920x1080.jpg", "w-300,h-300,f-jpg") })
	b.Run("d_png_rgba_w200", func(b *testing.B) { benchProcess(b, "png-rgba-1634x2224.png", "w-200,f-png") })
	b.Run("e_2mp_webp_w800", func(b *testing.B) { benchProcess(b, "jpeg-photo-1920x1080.jpg", "w-800,f-webp") })
	b.Run("f_2mp_avif_w800", func(b *testing.B) { benchProcess(b, "jpeg-photo-1920x1080.jpg", "w-800,f-avif") })
	b.Run("g_p3_12mp_w400", func(b *testing.B) { benchProcess(b, "jpeg-photo-12mp-iphone-p3-orient6.jpg", "w-400,f-jpg") })
	b.Run("h_gif_anim_w60_webp", func(b *testing.B) { benchProcess(b, "gif-animated-121x128.gif", "w-60,f-webp") })
	b.Run("i_gif_anim_w60_gif", func(b *testing.B) { benchProcess(b, "gif-animated-121x128.gif", "w-60,f-gif") })
}

func benchProcess(b *testing.B, name, tr string) {
	src := testcorpus.Read(b, name)
	chain, err := Parse(tr)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if err := WarmUp(ctx); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Process(ctx, src, chain, nil); err != nil {
			b.Fatal(err)
		}
	}
}
