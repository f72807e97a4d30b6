package pipeline_test

import (
	"errors"
	"fmt"

	"github.com/imgcdn/imgcdn/pipeline"
)

func ExampleParse() {
	c, err := pipeline.Parse("h-200,w-300,c-at_max,f-jpeg,bg-white:rt-N90")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(c), c[0].Width.Pixels, c[0].Height.Pixels, c[0].Crop, c[0].Format, c[1].Rotate)
	fmt.Println(c)

	_, err = pipeline.Parse("w-300,q-101")
	fmt.Println(err)
	var pe *pipeline.ParamError
	if errors.As(err, &pe) {
		fmt.Println(pe.Param, pe.Allowed, errors.Is(err, pipeline.ErrInvalidValue))
	}

	_, err = pipeline.Parse("l-image,i-logo.png,l-end")
	fmt.Println(errors.Is(err, pipeline.ErrNotSupportedYet))
	// Output:
	// 2 300 200 at_max jpg 270
	// w-300,h-200,c-at_max,bg-FFFFFF,f-jpg:rt-270
	// "q-101": invalid value: out of range (allowed: 1-100)
	// q [1-100] true
	// true
}
