package exif_test

import (
	"fmt"

	"github.com/imgcdn/imgcdn/internal/exif"
)

func ExampleResetOrientation() {
	// A little-endian TIFF structure whose IFD0 holds Orientation = 6.
	block := []byte{
		'I', 'I', 42, 0, 8, 0, 0, 0, // header, IFD0 at offset 8
		1, 0, // one entry
		0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, // tag 0x0112, SHORT, 1 value: 6
		0, 0, 0, 0, // no next IFD
	}
	upright := exif.ResetOrientation(block)
	fmt.Println(exif.Orientation(block), exif.Orientation(upright))
	// Output:
	// 6 1
}
