package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/imgcdn/imgcdn/pipeline"
)

func ExampleProcess() {
	// A 640×865 source image; in a server this comes from a store.
	var src bytes.Buffer
	img := image.NewNRGBA(image.Rect(0, 0, 640, 865))
	for i := range img.Pix {
		img.Pix[i] = 200 | uint8(i%4/3*255) // opaque light grey
	}
	img.SetNRGBA(0, 0, color.NRGBA{R: 255, A: 255})
	if err := png.Encode(&src, img); err != nil {
		panic(err)
	}

	for _, tr := range []string{
		"w-300,h-200,c-at_max",
		"w-300,h-200,c-at_least",
		"w-300,h-200,cm-pad_resize,bg-F3F3F3,f-jpg",
		"w-300,h-200:rt-90",
	} {
		chain, err := pipeline.Parse(tr)
		if err != nil {
			fmt.Println(err)
			continue
		}
		res, err := pipeline.Process(context.Background(), src.Bytes(), chain, nil)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-42s %s %dx%d\n", tr, res.Format, res.Width, res.Height)
	}

	// Output:
	// w-300,h-200,c-at_max                       jpg 148x200
	// w-300,h-200,c-at_least                     jpg 300x405
	// w-300,h-200,cm-pad_resize,bg-F3F3F3,f-jpg  jpg 300x200
	// w-300,h-200:rt-90                          jpg 200x300
}

func ExampleProcess_errors() {
	chain, _ := pipeline.Parse("w-100,f-avif")
	_, err := pipeline.Process(context.Background(), []byte("not an image"), chain, nil)
	fmt.Println(err)
	fmt.Println(errors.Is(err, pipeline.ErrUnknownFormat))

	chain, _ = pipeline.Parse("w-100,q-101")
	fmt.Println(chain == nil)
	// Output:
	// pipeline: unknown image format
	// true
	// true
}
