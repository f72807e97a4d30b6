package resample_test

import (
	"fmt"
	"image"
	"image/color"

	"github.com/imgcdn/imgcdn/internal/resample"
)

func ExampleResize() {
	// A 4:2:0 image, as decoded from a JPEG, with a white left half.
	src := image.NewYCbCr(image.Rect(0, 0, 640, 480), image.YCbCrSubsampleRatio420)
	for y := range 480 {
		for x := range 640 {
			if x < 320 {
				src.Y[y*src.YStride+x] = 255
			}
		}
	}
	for i := range src.Cb {
		src.Cb[i], src.Cr[i] = 128, 128
	}

	// Scale the right three quarters down to 120×120.
	dst, err := resample.Resize(src, image.Rect(160, 0, 640, 480), 120, 120)
	if err != nil {
		fmt.Println(err)
		return
	}
	m := dst.(*image.YCbCr)
	fmt.Println(m.Bounds(), m.SubsampleRatio)
	for _, x := range []int{0, 38, 39, 40, 41, 119} {
		fmt.Print(color.GrayModel.Convert(m.At(x, 60)).(color.Gray).Y, " ")
	}
	fmt.Println()
	// Output:
	// (0,0)-(120,120) YCbCrSubsampleRatio420
	// 255 255 238 17 0 0
}
