package exif_test

import (
	"fmt"

	"github.com/imgcdn/imgcdn/internal/exif"
)

func ExampleOrientation() {
	// A big-endian TIFF structure whose IFD0 holds Orientation = 6.
	payload := []byte{
		'M', 'M', 0, 42, 0, 0, 0, 8, // header, IFD0 at offset 8
		0, 1, // one entry
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, // tag 0x0112, SHORT, 1 value: 6
		0, 0, 0, 0, // no next IFD
	}
	fmt.Println(exif.Orientation(payload))
	fmt.Println(exif.Orientation(nil))
	// Output:
	// 6
	// 1
}
