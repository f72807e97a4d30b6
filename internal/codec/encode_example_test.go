package codec_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"

	"github.com/imgcdn/imgcdn/internal/codec"
)

func ExampleEncode() {
	// A two-colour image: PNG output is a palette image, losslessly.
	img := image.NewNRGBA(image.Rect(0, 0, 40, 30))
	for y := range 30 {
		for x := range 40 {
			c := color.NRGBA{200, 30, 30, 255}
			if x < 20 {
				c = color.NRGBA{0, 0, 0, 0}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	err := codec.Encode(context.Background(), &buf, img, codec.PNG, codec.EncodeOptions{XMP: []byte("<x:xmpmeta/>")})
	if err != nil {
		panic(err)
	}
	out, err := codec.Decode(context.Background(), buf.Bytes(), codec.Limits{}, codec.DecodeHint{})
	if err != nil {
		panic(err)
	}
	fmt.Println(out.Header.Format, out.Pixels.Bounds().Size(), out.Header.HasAlpha, string(out.XMP))
	fmt.Println("colour type", buf.Bytes()[25]) // 3: palette
	// Output:
	// png (40,30) true <x:xmpmeta/>
	// colour type 3
}
