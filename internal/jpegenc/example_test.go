package jpegenc_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"log"

	"github.com/imgcdn/imgcdn/internal/jpegenc"
)

func ExampleEncode() {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			img.Set(x, y, color.RGBA{uint8(4 * x), uint8(5 * y), 128, 255})
		}
	}
	var buf bytes.Buffer
	err := jpegenc.Encode(&buf, img, &jpegenc.Options{Quality: 85, Progressive: true})
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := jpeg.DecodeConfig(&buf)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cfg.Width, cfg.Height, cfg.ColorModel == color.YCbCrModel)
	// Output: 64 48 true
}

func ExampleEncode_gray() {
	img := image.NewGray(image.Rect(0, 0, 17, 9))
	var buf bytes.Buffer
	if err := jpegenc.Encode(&buf, img, nil); err != nil {
		log.Fatal(err)
	}
	m, err := jpeg.Decode(&buf)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%T %v\n", m, m.Bounds())
	// Output: *image.Gray (0,0)-(17,9)
}
