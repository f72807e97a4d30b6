package codec

import (
	"fmt"
	"image"
	"image/color"
	"io"

	"github.com/imgcdn/imgcdn/internal/jpegenc"
	"github.com/imgcdn/imgcdn/internal/raster"
)

const (
	// maxSegmentPayload is the most payload bytes a JPEG marker segment
	// holds: 65535 less the two bytes of the length field.
	maxSegmentPayload = 0xffff - 2
	// iccChunk is the most profile bytes one APP2 segment holds, after
	// "ICC_PROFILE\0" and the sequence number and count.
	iccChunk = maxSegmentPayload - len(iccMarker) - 2
	// exifMarker starts the payload of an APP1 EXIF segment.
	exifMarker = "Exif\x00\x00"
	// xmpMarker starts the payload of an APP1 XMP segment.
	xmpMarker = "http://ns.adobe.com/xap/1.0/\x00"
)

// encodeJPEG writes img as a JPEG file with jpegenc. *image.YCbCr and
// *image.Gray go straight to the encoder; other images are read as
// colour (an *image.NRGBA is taken to be opaque). A grey profile is
// dropped from colour output, and a grey image with an RGB profile is
// written in colour.
func encodeJPEG(w io.Writer, img image.Image, o *EncodeOptions) error {
	gray := img.ColorModel() == color.GrayModel || img.ColorModel() == color.Gray16Model
	switch space := iccSpace(o.ICC); {
	case gray && space == "RGB ":
		// A one-component file cannot carry an RGB profile: write the grey
		// pixels in colour.
		img = raster.ToNRGBA(img)
	case !gray && space == "GRAY":
		c := *o
		c.ICC = nil
		o = &c
	}
	segs, err := jpegSegments(o)
	if err != nil {
		return err
	}
	return jpegenc.Encode(w, img, &jpegenc.Options{
		Quality:     o.Quality,
		Progressive: o.Progressive,
		Segments:    segs,
	})
}

// jpegSegments returns the APP1 and APP2 segments that carry the metadata
// of o: EXIF, then XMP (the order of Exif and XMP that readers expect,
// both in APP1), then the ICC profile split into numbered chunks.
func jpegSegments(o *EncodeOptions) ([][]byte, error) {
	var segs [][]byte
	if o.EXIF != nil {
		if len(exifMarker)+len(o.EXIF) > maxSegmentPayload {
			return nil, fmt.Errorf("%w: jpeg: EXIF block of %d bytes does not fit an APP1 segment (at most %d)",
				ErrEncode, len(o.EXIF), maxSegmentPayload-len(exifMarker))
		}
		segs = append(segs, segment(0xe1, []byte(exifMarker), o.EXIF))
	}
	if o.XMP != nil {
		if len(xmpMarker)+len(o.XMP) > maxSegmentPayload {
			return nil, fmt.Errorf("%w: jpeg: XMP packet of %d bytes does not fit an APP1 segment (at most %d)",
				ErrEncode, len(o.XMP), maxSegmentPayload-len(xmpMarker))
		}
		segs = append(segs, segment(0xe1, []byte(xmpMarker), o.XMP))
	}
	if len(o.ICC) > 0 {
		n := (len(o.ICC) + iccChunk - 1) / iccChunk
		if n > 255 {
			return nil, fmt.Errorf("%w: jpeg: ICC profile of %d bytes needs more than 255 APP2 segments", ErrEncode, len(o.ICC))
		}
		for i := range n {
			chunk := o.ICC[i*iccChunk : min((i+1)*iccChunk, len(o.ICC))]
			segs = append(segs, segment(0xe2, []byte(iccMarker), []byte{byte(i + 1), byte(n)}, chunk))
		}
	}
	return segs, nil
}

// segment returns a marker segment: 0xFF, the marker, the big-endian
// length (counting itself), then the parts. The caller keeps the payload
// within maxSegmentPayload.
func segment(marker byte, parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	s := make([]byte, 4, 4+n)
	s[0], s[1], s[2], s[3] = 0xff, marker, byte((n+2)>>8), byte(n+2)
	for _, p := range parts {
		s = append(s, p...)
	}
	return s
}
