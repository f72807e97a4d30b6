package effect_test

import (
	"fmt"
	"image"
	"image/color"

	"github.com/imgcdn/imgcdn/internal/effect"
)

func ExampleFlatten() {
	img := image.NewNRGBA(image.Rect(0, 0, 1, 1))
	img.SetNRGBA(0, 0, color.NRGBA{255, 0, 0, 128}) // 50% red
	out := effect.Flatten(img, color.NRGBA{255, 255, 255, 255})
	fmt.Println(out.NRGBAAt(0, 0))
	// Output: {255 127 127 255}
}

func ExampleGrayscale() {
	img := image.NewNRGBA(image.Rect(0, 0, 3, 1))
	img.SetNRGBA(0, 0, color.NRGBA{255, 0, 0, 255})
	img.SetNRGBA(1, 0, color.NRGBA{0, 255, 0, 255})
	img.SetNRGBA(2, 0, color.NRGBA{0, 0, 255, 255})
	out := effect.Grayscale(img)
	for x := range 3 {
		fmt.Print(out.NRGBAAt(x, 0).R, " ")
	}
	fmt.Println()
	// Output: 76 150 29
}

func ExampleRotate() {
	img := image.NewNRGBA(image.Rect(0, 0, 200, 100))
	out := effect.Rotate(img, 45, color.NRGBA{})
	fmt.Println(out.Bounds().Dx(), out.Bounds().Dy())
	// Output: 213 213
}

func ExampleTrimRect() {
	// A white image with a red 20×10 block.
	img := image.NewNRGBA(image.Rect(0, 0, 100, 50))
	for y := range 50 {
		for x := range 100 {
			c := color.NRGBA{255, 255, 255, 255}
			if x >= 30 && x < 50 && y >= 5 && y < 15 {
				c = color.NRGBA{255, 0, 0, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	fmt.Println(effect.TrimRect(img, effect.DefaultTrimTolerance))
	// Output: (30,5)-(50,15)
}
