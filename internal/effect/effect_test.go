package effect

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

// all lists every effect with typical arguments.
var all = map[string]func(*image.NRGBA) *image.NRGBA{
	"Blur 3":      func(m *image.NRGBA) *image.NRGBA { return Blur(m, 3) },
	"Blur 40":     func(m *image.NRGBA) *image.NRGBA { return Blur(m, 40) },
	"Sharpen":     func(m *image.NRGBA) *image.NRGBA { return Sharpen(m, 0) },
	"UnsharpMask": func(m *image.NRGBA) *image.NRGBA { return UnsharpMask(m, 2, 2, 0.8, 0.024) },
	"USM big":     func(m *image.NRGBA) *image.NRGBA { return UnsharpMask(m, math.Inf(1), 1e9, math.Inf(1), 5) },
	"USM NaN":     func(m *image.NRGBA) *image.NRGBA { return UnsharpMask(m, math.NaN(), math.NaN(), 1, math.NaN()) },
	"Contrast":    Contrast,
	"Grayscale":   Grayscale,
	"Round":       func(m *image.NRGBA) *image.NRGBA { return Round(m, 3, 0, 100, 1) },
	"Ellipse":     Ellipse,
	"Border":      func(m *image.NRGBA) *image.NRGBA { return Border(m, 2, color.NRGBA{1, 2, 3, 4}) },
	"Flatten":     func(m *image.NRGBA) *image.NRGBA { return Flatten(m, color.NRGBA{9, 9, 9, 255}) },
	"Pad":         func(m *image.NRGBA) *image.NRGBA { return Pad(m, 9, 4, -1, 2, color.NRGBA{}) },
	"Rotate 30":   func(m *image.NRGBA) *image.NRGBA { return Rotate(m, 30, color.NRGBA{0, 0, 0, 128}) },
	"Rotate 90":   func(m *image.NRGBA) *image.NRGBA { return Rotate(m, 90, color.NRGBA{}) },
	"Trim":        func(m *image.NRGBA) *image.NRGBA { return Trim(m, 10) },
}

func TestEffectsOnOddSizes(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, size := range []image.Point{{0, 0}, {0, 3}, {1, 1}, {1, 7}, {7, 1}, {2, 3}, {33, 5}} {
		// A sub-image with an offset, inside a larger random image.
		big := newImage(size.X+6, size.Y+6, func(x, y int) color.NRGBA {
			return color.NRGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256))}
		})
		img := big.SubImage(image.Rect(3, 2, 3+size.X, 2+size.Y)).(*image.NRGBA)
		before := snapshot(big)
		for name, f := range all {
			got := f(img)
			checkUnmodified(t, big, before)
			if got.Rect.Min != (image.Point{}) {
				t.Errorf("%s(%v) bounds %v do not start at (0, 0)", name, size, got.Rect)
			}
			if len(got.Pix) < got.Rect.Dy()*got.Stride {
				t.Errorf("%s(%v) has %d bytes for bounds %v", name, size, len(got.Pix), got.Rect)
			}
		}
	}
}

func TestEffectsConcurrent(t *testing.T) {
	img := newImage(64, 48, func(x, y int) color.NRGBA { return color.NRGBA{uint8(x * 4), uint8(y * 5), 99, uint8(128 + x)} })
	want := map[string]*image.NRGBA{}
	for name, f := range all {
		want[name] = f(img)
	}
	var wg sync.WaitGroup
	for range 4 {
		for name, f := range all {
			wg.Go(func() {
				if got := f(img); maxDiff(got, want[name]) != 0 {
					t.Errorf("%s gives a different result when run concurrently", name)
				}
			})
		}
	}
	wg.Wait()
}
