package raster_test

import (
	"fmt"
	"image"

	"github.com/imgcdn/imgcdn/internal/raster"
)

func ExampleOrient() {
	// A 3×2 image stored sideways, with EXIF orientation 6: it must be
	// turned a quarter clockwise to be seen upright.
	stored := &image.Gray{Pix: []byte{1, 2, 3, 4, 5, 6}, Stride: 3, Rect: image.Rect(0, 0, 3, 2)}
	upright := raster.Orient(stored, raster.OrientRotate90).(*image.Gray)
	fmt.Println(upright.Rect.Size(), upright.Pix)
	back := raster.Orient(upright, raster.Inverse(raster.OrientRotate90)).(*image.Gray)
	fmt.Println(back.Pix)
	// Output:
	// (2,3) [4 1 5 2 6 3]
	// [1 2 3 4 5 6]
}
