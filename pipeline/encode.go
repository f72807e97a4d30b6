package pipeline

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"math"

	"github.com/imgcdn/imgcdn/internal/codec"
	"github.com/imgcdn/imgcdn/internal/effect"
	"github.com/imgcdn/imgcdn/internal/jpegenc"
)

// encoding is what the encode stage needs, merged from every step of a
// chain: for each parameter the last step that sets it wins.
type encoding struct {
	format      Format // FormatAuto until the image is known
	source      Format // the source's format, for f-auto and f-orig
	quality     int
	progressive bool
	background  color.NRGBA
}

// encoding merges the encode parameters of the chain. It rejects output
// formats that cannot be written yet.
func (c Chain) encoding(source Format, quality int) (encoding, error) {
	e := encoding{source: source, quality: quality, background: defaultBackground}
	for _, s := range c {
		if s.Format != FormatAuto {
			e.format = s.Format
		}
		if s.Quality > 0 {
			e.quality = s.Quality
		}
		if s.Progressive {
			e.progressive = true
		}
		if s.Background.Set {
			e.background = nrgba(s.Background)
			e.background.A = 255
		}
		if s.Metadata {
			return e, &ParamError{Param: "md", Value: "true", Reason: "keeping metadata is not supported yet", Err: ErrNotSupportedYet}
		}
		if s.ColorProfile {
			return e, &ParamError{Param: "cp", Value: "true", Reason: "keeping the colour profile is not supported yet", Err: ErrNotSupportedYet}
		}
	}
	if e.format == FormatOriginal {
		switch source {
		case FormatJPEG, FormatPNG, FormatGIF:
			e.format = source
		case FormatBMP, FormatTIFF, FormatAuto:
			// BMP and TIFF are served as JPEG or PNG; an unknown source
			// fails when its header is read.
			e.format = FormatAuto
		default:
			return e, &ParamError{Param: "f", Value: "orig", Reason: fmt.Sprintf("writing %s is not supported yet", source), Err: ErrNotSupportedYet}
		}
	}
	switch e.format {
	case FormatWebP, FormatAVIF:
		return e, &ParamError{Param: "f", Value: e.format.String(), Reason: "this output format is not supported yet", Allowed: []string{"auto", "jpg", "png", "gif", "orig"}, Err: ErrNotSupportedYet}
	}
	return e, nil
}

// encode writes img in the chosen format. With f-auto that is PNG when the
// image has transparency and JPEG otherwise. Formats without alpha get the
// image flattened onto the background first.
func encode(img image.Image, e encoding) (*Result, error) {
	f := e.format
	if f == FormatAuto {
		f = FormatJPEG
		if hasAlpha(img) {
			f = FormatPNG
		}
	}
	if f != FormatPNG && hasAlpha(img) {
		img = effect.Flatten(toNRGBA(img), e.background)
	}
	var buf bytes.Buffer
	var err error
	switch f {
	case FormatJPEG:
		err = jpegenc.Encode(&buf, img, &jpegenc.Options{Quality: e.quality, Progressive: e.progressive})
	case FormatPNG:
		if _, ok := img.(*image.YCbCr); ok {
			img = toNRGBA(img)
		}
		enc := png.Encoder{CompressionLevel: png.DefaultCompression}
		err = enc.Encode(&buf, img)
	case FormatGIF:
		err = gif.Encode(&buf, img, &gif.Options{NumColors: 256})
	default:
		err = fmt.Errorf("cannot write %s", f)
	}
	if err != nil {
		return nil, fmt.Errorf("pipeline: encode %s: %w", f, err)
	}
	b := img.Bounds()
	return &Result{Bytes: buf.Bytes(), Format: f, Width: b.Dx(), Height: b.Dy()}, nil
}

// hasAlpha reports whether img has any pixel that is not fully opaque.
func hasAlpha(img image.Image) bool {
	switch m := img.(type) {
	case *image.YCbCr, *image.Gray:
		return false
	case *image.NRGBA:
		b := m.Rect
		for y := 0; y < b.Dy(); y++ {
			row := m.Pix[y*m.Stride : y*m.Stride+4*b.Dx()]
			for i := 3; i < len(row); i += 4 {
				if row[i] != 255 {
					return true
				}
			}
		}
		return false
	case interface{ Opaque() bool }:
		return !m.Opaque()
	}
	return true
}

// rotatedSize returns the size of the canvas that holds an image of size s
// rotated by deg degrees.
func rotatedSize(s image.Point, deg int) image.Point {
	r := float64(deg) * math.Pi / 180
	c, n := math.Abs(math.Cos(r)), math.Abs(math.Sin(r))
	w, h := float64(s.X), float64(s.Y)
	return image.Pt(int(math.Ceil(w*c+h*n-1e-9)), int(math.Ceil(w*n+h*c-1e-9)))
}

// fromCodec maps a sniffed source format to the public Format.
func fromCodec(f codec.Format) Format {
	switch f {
	case codec.JPEG:
		return FormatJPEG
	case codec.PNG:
		return FormatPNG
	case codec.GIF:
		return FormatGIF
	case codec.WebP:
		return FormatWebP
	case codec.AVIF:
		return FormatAVIF
	case codec.BMP:
		return FormatBMP
	case codec.TIFF:
		return FormatTIFF
	case codec.SVG:
		return FormatSVG
	case codec.HEIF:
		return FormatHEIF
	case codec.JXL:
		return FormatJXL
	}
	return FormatAuto
}

// CanEncode reports whether Process can write images in format f today:
// JPEG, PNG and GIF.
func CanEncode(f Format) bool {
	switch f {
	case FormatJPEG, FormatPNG, FormatGIF:
		return true
	}
	return false
}
