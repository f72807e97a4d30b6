package codec_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"

	"github.com/imgcdn/imgcdn/internal/codec"
)

func ExampleSniff() {
	fmt.Println(codec.Sniff([]byte("\x89PNG\r\n\x1a\n...")))
	fmt.Println(codec.Sniff([]byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`)))
	fmt.Println(codec.Sniff([]byte("hello")))
	// Output:
	// png
	// svg
	// unknown
}

func ExampleDecode() {
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 300, 200)))

	img, err := codec.Decode(context.Background(), buf.Bytes(), codec.Limits{}, codec.DecodeHint{Width: 100})
	if err != nil {
		panic(err)
	}
	// The decoded size is authoritative: plan the resize from it.
	fmt.Printf("%v %T %v\n", img.Header.Format, img.Pixels, img.Pixels.Bounds().Size())

	// The same file against a tighter pixel limit.
	_, err = codec.Decode(context.Background(), buf.Bytes(), codec.Limits{MaxPixels: 10_000}, codec.DecodeHint{})
	var le *codec.LimitError
	fmt.Println(errors.Is(err, codec.ErrTooLarge), errors.As(err, &le) && le.What == "source pixels")
	fmt.Println(err)
	// Output:
	// png *image.Gray (300,200)
	// true true
	// image too large: source pixels 60000 exceeds limit 10000
}
