package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"

	"github.com/imgcdn/imgcdn/internal/codec"
	"github.com/imgcdn/imgcdn/internal/effect"
)

// Encoder is an alternative encoder for one output format, such as a
// native AVIF encoder (see [Options.AVIFEncoder]). Encode writes img, an
// opaque or straight-alpha image, to w at quality 1–100 (the JPEG-like
// scale of q-), or losslessly. Implementations must be safe for concurrent
// use and should stop early once ctx is done.
type Encoder interface {
	Encode(ctx context.Context, w io.Writer, img image.Image, quality int, lossless bool) error
}

// encoding is what the encode stage needs, merged from every step of a
// chain: for each parameter the last step that sets it wins.
type encoding struct {
	format      Format // FormatAuto until the image is known
	source      Format // the source's format, for f-auto and f-orig
	quality     int
	progressive bool
	lossless    bool
	metadata    bool // md-true: keep EXIF and XMP
	profile     bool // cp-true: keep the ICC profile and the pixels as they are
	background  color.NRGBA
}

// encoding merges the encode parameters of the chain. It rejects output
// formats that cannot be written.
func (c Chain) encoding(source Format, quality int) (encoding, error) {
	e := encoding{source: source, quality: quality, background: defaultBackground}
	for _, s := range c {
		if s.Format != FormatAuto {
			e.format = s.Format
		}
		if s.Quality > 0 {
			e.quality = s.Quality
		}
		e.progressive = e.progressive || s.Progressive
		e.lossless = e.lossless || s.Lossless
		e.metadata = e.metadata || s.Metadata
		e.profile = e.profile || s.ColorProfile
		if s.Background.Set {
			e.background = nrgba(s.Background)
			e.background.A = 255
		}
	}
	if e.format == FormatOriginal {
		switch {
		case CanEncode(source):
			e.format = source
		case source == FormatBMP, source == FormatTIFF, source == FormatAuto:
			// BMP and TIFF are served in the format f-auto picks; an
			// unknown source fails when its header is read.
			e.format = FormatAuto
		default:
			return e, &ParamError{Param: "f", Value: "orig", Reason: fmt.Sprintf("writing %s is not supported", source), Err: ErrNotSupported}
		}
	}
	return e, nil
}

// sourceFacts are what the f-auto rules need to know of the source.
type sourceFacts struct {
	pixels   int64 // oriented width × height
	animated bool  // the output keeps the animation
}

// choose returns the output format: the explicit one, else (f-auto) the
// first of o.AutoFormats that can be written and suits the source (AVIF is
// skipped for animations and for sources above o.AutoAVIFMaxPixels), else
// the source's family: GIF for an animation, PNG when img has
// transparency, JPEG otherwise.
func (e encoding) choose(img image.Image, src sourceFacts, o *Options) Format {
	if e.format != FormatAuto {
		return e.format
	}
	for _, f := range o.AutoFormats {
		if !CanEncode(f) {
			continue
		}
		if f == FormatAVIF && (src.animated || o.AutoAVIFMaxPixels > 0 && src.pixels > o.AutoAVIFMaxPixels) {
			continue
		}
		if src.animated && f != FormatWebP && f != FormatGIF {
			continue
		}
		return f
	}
	switch {
	case src.animated:
		return FormatGIF
	case img != nil && hasAlpha(img):
		return FormatPNG
	}
	return FormatJPEG
}

// keepsAlpha reports whether format f can store transparency.
func keepsAlpha(f Format) bool {
	return f == FormatPNG || f == FormatWebP || f == FormatAVIF || f == FormatGIF
}

// metadata is what the output may carry of the source's metadata.
type metadata struct {
	icc, exif, xmp []byte
}

// encode writes img in format f. Formats without alpha get the image
// flattened onto the background first.
func encode(ctx context.Context, img image.Image, f Format, e encoding, m metadata, o *Options) (*Result, error) {
	if !keepsAlpha(f) && hasAlpha(img) {
		img = effect.Flatten(toNRGBA(img), e.background)
	}
	if _, ok := img.(*image.YCbCr); ok && f != FormatJPEG {
		img = toNRGBA(img)
	}
	var buf bytes.Buffer
	if err := encodeTo(ctx, &buf, img, f, e, m, o); err != nil {
		return nil, err
	}
	b := img.Bounds()
	return &Result{Bytes: buf.Bytes(), Format: f, Width: b.Dx(), Height: b.Dy()}, nil
}

// encodeTo writes img to w in format f, with o.AVIFEncoder for AVIF when
// one is set.
func encodeTo(ctx context.Context, w *bytes.Buffer, img image.Image, f Format, e encoding, m metadata, o *Options) error {
	if f == FormatAVIF && o.AVIFEncoder != nil {
		if err := o.AVIFEncoder.Encode(ctx, w, img, e.quality, e.lossless); err != nil {
			return fmt.Errorf("pipeline: encode avif: %w", err)
		}
		if m.icc == nil {
			return nil
		}
		out, err := codec.SetAVIFProfile(w.Bytes(), m.icc)
		if err != nil {
			return fmt.Errorf("pipeline: encode avif: %w", err)
		}
		w.Reset()
		w.Write(out)
		return nil
	}
	cf := toCodec(f)
	if cf == codec.Unknown {
		return fmt.Errorf("pipeline: cannot write %s", f)
	}
	err := codec.Encode(ctx, w, img, cf, codec.EncodeOptions{
		Quality:     e.quality,
		Lossless:    e.lossless,
		Progressive: e.progressive,
		Speed:       o.AVIFSpeed,
		ICC:         m.icc,
		EXIF:        m.exif,
		XMP:         m.xmp,
	})
	if err != nil {
		return fmt.Errorf("pipeline: encode %s: %w", f, err)
	}
	return nil
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

// toCodec maps an output format to the codec's, or codec.Unknown.
func toCodec(f Format) codec.Format {
	switch f {
	case FormatJPEG:
		return codec.JPEG
	case FormatPNG:
		return codec.PNG
	case FormatGIF:
		return codec.GIF
	case FormatWebP:
		return codec.WebP
	case FormatAVIF:
		return codec.AVIF
	}
	return codec.Unknown
}

// CanEncode reports whether Process can write images in format f: JPEG,
// PNG, GIF, WebP and AVIF.
func CanEncode(f Format) bool {
	return toCodec(f) != codec.Unknown
}

// WarmUp prepares the encoders that have a start-up cost, so that the
// first request does not pay it: the built-in AVIF codec compiles its
// WebAssembly once per process, about a second of CPU. It is safe to call
// any number of times, from any goroutine.
func WarmUp(ctx context.Context) error {
	return codec.WarmUp(ctx)
}
