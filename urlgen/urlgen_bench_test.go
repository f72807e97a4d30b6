package urlgen

import (
	"bytes"
	"context"
	"image/color"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/pipeline"
	"github.com/imgcdn/imgcdn/store"
)

var (
	benchSteps = []pipeline.Step{
		{Width: pipeline.Dimension{Pixels: 1200}, Height: pipeline.Dimension{Pixels: 800}, Focus: pipeline.FocusAuto},
		{Width: pipeline.Dimension{Pixels: 400}, Crop: pipeline.CropAtMax, Quality: 75, Format: pipeline.FormatWebP},
	}
	benchFixed = Image{Width: 400, Height: 300, Alt: "A cat", Steps: benchSteps[:1]}
	benchFluid = Image{Width: 800, Height: 600, Alt: "A cat", Sizes: "(max-width: 768px) 100vw, 50vw", Quality: 75}
	signed     = []Option{WithEndpoint("https://cdn.example.com/img"), WithSigningKey("bench-key"), WithExpiry(time.Hour)}
)

// bench runs f with a Builder made with opts, reporting allocations. f
// runs once before the timing starts, so that caches are warm.
func bench(b *testing.B, opts []Option, f func(*Builder) error) {
	u, err := New(opts...)
	if err != nil {
		b.Fatal(err)
	}
	if err := f(u); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := f(u); err != nil {
			b.Fatal(err)
		}
	}
}

func urlOf(steps ...pipeline.Step) func(*Builder) error {
	return func(u *Builder) error { _, err := u.URL("photos/my cat.jpg", steps...); return err }
}

func srcsetOf(o Image) func(*Builder) error {
	return func(u *Builder) error { _, err := u.Srcset("photos/my cat.jpg", o); return err }
}

func pictureOf(o Image) func(*Builder) error {
	return func(u *Builder) error { _, err := u.Picture("photos/my cat.jpg", o); return err }
}

func BenchmarkURL(b *testing.B) {
	b.Run("none", func(b *testing.B) { bench(b, nil, urlOf()) })
	b.Run("chain", func(b *testing.B) { bench(b, nil, urlOf(benchSteps...)) })
	b.Run("chain-signed", func(b *testing.B) { bench(b, signed, urlOf(benchSteps...)) })
	b.Run("chain-signed-query", func(b *testing.B) {
		bench(b, append([]Option{WithQueryTransformation(true)}, signed...), urlOf(benchSteps...))
	})
}

func BenchmarkSrcset(b *testing.B) {
	b.Run("fixed", func(b *testing.B) { bench(b, nil, srcsetOf(benchFixed)) })
	b.Run("sizes", func(b *testing.B) { bench(b, nil, srcsetOf(benchFluid)) })
	b.Run("sizes-signed", func(b *testing.B) { bench(b, signed, srcsetOf(benchFluid)) })
}

func BenchmarkPicture(b *testing.B) {
	b.Run("fixed", func(b *testing.B) { bench(b, nil, pictureOf(benchFixed)) })
	b.Run("sizes-signed", func(b *testing.B) { bench(b, signed, pictureOf(benchFluid)) })
}

func BenchmarkPlaceholder(b *testing.B) {
	ctx := context.Background()
	src := store.Memory()
	c := color.NRGBA{200, 100, 50, 255}
	img := photo(640, 480, c, color.NRGBA{20, 60, 200, 255}, color.NRGBA{250, 250, 250, 255}, false)
	if err := src.Put(ctx, "cat.png", bytes.NewReader(encodePNG(b, img)), store.PutOptions{}); err != nil {
		b.Fatal(err)
	}
	place := func(u *Builder) error { _, err := u.Placeholder(ctx, "cat.png"); return err }
	b.Run("cached", func(b *testing.B) { bench(b, []Option{WithSource(src)}, place) })
	b.Run("uncached-640x480", func(b *testing.B) { bench(b, []Option{WithSource(src), WithPlaceholderCache(0)}, place) })
}
