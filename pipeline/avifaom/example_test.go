package avifaom_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"

	"github.com/imgcdn/imgcdn/pipeline/avifaom"
)

func ExampleEncoder_Encode() {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = 255 // opaque white
	}
	img.SetRGBA(10, 10, color.RGBA{200, 40, 40, 255})

	var buf bytes.Buffer
	enc := &avifaom.Encoder{Threads: 1} // DefaultSpeed
	if err := enc.Encode(context.Background(), &buf, img, 60, false); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q\n", buf.Bytes()[4:12])
	// Output:
	// "ftypavif"
}
