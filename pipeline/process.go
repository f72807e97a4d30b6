package pipeline

import (
	"context"
	"fmt"
	"image"
	"image/color"

	"github.com/imgcdn/imgcdn/internal/codec"
	"github.com/imgcdn/imgcdn/internal/effect"
	"github.com/imgcdn/imgcdn/internal/raster"
	"github.com/imgcdn/imgcdn/internal/resample"
)

// Result is the output of [Process].
type Result struct {
	// Bytes is the encoded image.
	Bytes []byte
	// Format is the format of Bytes: FormatJPEG, FormatPNG, FormatGIF,
	// FormatWebP or FormatAVIF, or the source's own format when the chain
	// asked for orig-true.
	Format Format
	// Width and Height are the dimensions of the encoded image.
	Width, Height int
	// Frames is the number of frames of an animated output; 0 for a still
	// image.
	Frames int
}

// defaultBackground is the background of padding, rotation corners and
// flattening when the chain gives no bg-: opaque black.
var defaultBackground = color.NRGBA{A: 255}

// Process decodes src, applies the steps of chain in order and encodes the
// result. opts may be nil for the defaults. Process is safe for concurrent
// use; it checks ctx between stages and returns ctx.Err() (wrapped) once ctx
// is done.
//
// Limits are checked before the work they guard: the source bytes and the
// pixel count declared by the header before decoding, and each planned image
// size before it is made. Errors can be classified with [errors.Is]:
// [ErrSourceTooLarge] (with a *[LimitError]), [ErrUnknownFormat],
// [ErrUnsupportedFormat], [ErrCorrupt], [ErrOutputTooLarge], and the
// parameter errors of [Parse] for requests that cannot be met (an extract
// outside the image, an output format not supported yet).
//
// The transformation is applied to the upright image: EXIF orientation is
// applied before any step. Colours are converted to sRGB from the source's
// ICC profile (wide-gamut RGB, grey), and no profile is written, unless
// the chain says cp-true: then the pixels are left as they are and the
// profile is embedded. EXIF and XMP metadata are dropped unless the chain
// says md-true: then they are copied, with the EXIF orientation reset to 1
// since the pixels are upright.
//
// An animated GIF or WebP source stays animated when the output is GIF or
// WebP (explicit, or chosen by f-auto): every frame is transformed, with
// its delay, and the loop count kept. Any other output format takes the
// first frame.
func Process(ctx context.Context, src []byte, chain Chain, opts *Options) (*Result, error) {
	o := opts.withDefaults()
	lim := codec.Limits{MaxBytes: o.MaxSourceBytes, MaxPixels: o.MaxSourcePixels}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	var enc encoding
	if !chain.original() {
		// Requests that cannot be met fail before any work on the source.
		if err := chain.checkProcessable(); err != nil {
			return nil, err
		}
		var err error
		if enc, err = chain.encoding(fromCodec(codec.Sniff(src)), o.Quality); err != nil {
			return nil, err
		}
	}
	hdr, err := codec.DecodeConfig(src, lim)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	if hdr.Format == codec.AVIF && !chain.original() {
		if n := int64(hdr.Width) * int64(hdr.Height); n > o.MaxAVIFSourcePixels {
			return nil, fmt.Errorf("pipeline: %w", &LimitError{What: "AVIF source pixels", Value: n, Max: o.MaxAVIFSourcePixels})
		}
	}
	if chain.original() {
		return &Result{Bytes: src, Format: fromCodec(hdr.Format), Width: hdr.OrientedWidth, Height: hdr.OrientedHeight}, nil
	}
	facts := sourceFacts{pixels: int64(hdr.OrientedWidth) * int64(hdr.OrientedHeight)}
	if hdr.Animated && (enc.format == FormatAuto || enc.format == FormatGIF || enc.format == FormatWebP) {
		facts.animated = true
		return processAnimation(ctx, src, chain, enc, enc.choose(nil, facts, &o), lim, &o)
	}
	dec, err := codec.Decode(ctx, src, lim, decodeHint(chain, image.Pt(hdr.OrientedWidth, hdr.OrientedHeight)))
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	meta, conv := sourceMetadata(dec, enc)
	img := dec.Pixels
	for i, s := range chain {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("pipeline: step %d: %w", i+1, err)
		}
		late := conv != nil && i == 0 && colourCanWait(img, s)
		if conv != nil && !late {
			img, conv = toSRGB(img, conv), nil
		}
		if img, err = applyStep(img, s, &o); err != nil {
			return nil, err
		}
	}
	if conv != nil {
		img = toSRGB(img, conv)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("pipeline: encode: %w", err)
	}
	return encode(ctx, img, enc.choose(img, facts, &o), enc, meta, &o)
}

// original reports whether any step asks for the source bytes unchanged.
func (c Chain) original() bool {
	for _, s := range c {
		if s.Original {
			return true
		}
	}
	return false
}

// checkProcessable rejects steps that Process cannot run by itself.
func (c Chain) checkProcessable() error {
	for _, s := range c {
		if s.Named != "" {
			return &ParamError{Param: "n", Value: s.Named, Reason: "named transformations are expanded by the server before processing", Err: ErrInvalidValue}
		}
	}
	return nil
}

// decodeHint returns the smallest decoded size the chain needs, so that a
// decoder able to decode at a reduced scale can do so. Only a first step
// that scales down and whose geometry does not depend on source pixel
// coordinates (no trim, extract or fractional size) allows it.
func decodeHint(c Chain, src image.Point) codec.DecodeHint {
	full := codec.DecodeHint{Width: src.X, Height: src.Y}
	if len(c) == 0 {
		return full
	}
	if s := c[0]; s.Trim.On || s.CropMode == CropModeExtract || s.CropMode == CropModePadExtract ||
		s.Width.Fraction > 0 || s.Height.Fraction > 0 {
		return full
	}
	p, err := PlanStep(src, c[0])
	if err != nil || !p.Scales() {
		return full
	}
	sx, sy := p.Scale()
	if sx >= 1 || sy >= 1 {
		return full
	}
	return codec.DecodeHint{
		Width:  min(src.X, int(float64(src.X)*sx)+1),
		Height: min(src.Y, int(float64(src.Y)*sy)+1),
	}
}

// applyStep runs one step on img in the fixed order of the URL contract:
// trim, resize/crop/pad, rotate, flip, blur/sharpen/usm/contrast/grayscale,
// radius, border. Flattening and encoding happen once, after the last step.
func applyStep(img image.Image, s Step, o *Options) (image.Image, error) {
	var err error
	if s.Trim.On {
		img = effect.Trim(toNRGBA(img), s.Trim.Tolerance)
	}
	if img, err = applyGeometry(img, s, o); err != nil {
		return nil, err
	}
	switch s.Rotate {
	case 0:
	case 90:
		img = raster.Rotate90(img)
	case 180:
		img = raster.Rotate180(img)
	case 270:
		img = raster.Rotate270(img)
	default:
		n := toNRGBA(img)
		out := rotatedSize(n.Bounds().Size(), s.Rotate)
		if err := checkSize(out, o); err != nil {
			return nil, err
		}
		img = effect.Rotate(n, float64(s.Rotate), fill(s, n))
	}
	switch s.Flip {
	case FlipHorizontal:
		img = raster.FlipH(img)
	case FlipVertical:
		img = raster.FlipV(img)
	case FlipBoth:
		img = raster.Rotate180(img)
	}
	if s.Blur > 0 {
		img = effect.Blur(toNRGBA(img), s.Blur)
	}
	if s.Sharpen.On {
		img = effect.Sharpen(toNRGBA(img), s.Sharpen.Strength)
	}
	if s.USM.On {
		img = effect.UnsharpMask(toNRGBA(img), s.USM.Radius, s.USM.Sigma, s.USM.Amount, s.USM.Threshold)
	}
	if s.Contrast {
		img = effect.Contrast(toNRGBA(img))
	}
	if s.Grayscale {
		img = grayscale(img)
	}
	if s.Radius.IsSet() {
		n := toNRGBA(img)
		if s.Radius.Max {
			img = effect.Ellipse(n)
		} else {
			r := s.Radius
			img = effect.Round(n, r.TopLeft, r.TopRight, r.BottomRight, r.BottomLeft)
		}
	}
	if s.Border.Width > 0 {
		b := img.Bounds().Size().Add(image.Pt(2*s.Border.Width, 2*s.Border.Width))
		if err := checkSize(b, o); err != nil {
			return nil, err
		}
		img = effect.Border(toNRGBA(img), s.Border.Width, nrgba(s.Border.Color))
	}
	return img, nil
}

// applyGeometry plans and applies the resize/crop/pad stage of a step.
func applyGeometry(img image.Image, s Step, o *Options) (image.Image, error) {
	b := img.Bounds()
	p, err := PlanStep(b.Size(), s)
	if err != nil {
		return nil, err
	}
	if p.IsIdentity(b.Size()) {
		return img, nil
	}
	if err := checkSize(p.Canvas, o); err != nil {
		return nil, err
	}
	if err := checkSize(p.Resize, o); err != nil {
		return nil, err
	}
	crop := p.Crop
	if p.AutoFocus {
		at := autoFocus(img, crop.Size())
		crop = image.Rectangle{Min: at, Max: at.Add(crop.Size())}
	}
	crop = crop.Add(b.Min)
	if p.Scales() {
		if img, err = resample.Resize(img, crop, p.Resize.X, p.Resize.Y); err != nil {
			return nil, fmt.Errorf("pipeline: resize: %w", err)
		}
	} else if crop != b {
		img = subImage(img, crop)
	}
	if p.Pads() {
		n := toNRGBA(img)
		img = effect.Pad(n, p.Canvas.X, p.Canvas.Y, p.Offset.X, p.Offset.Y, fill(s, n))
	}
	return img, nil
}

// checkSize returns an error wrapping ErrOutputTooLarge when an image of
// size s would exceed the output limits.
func checkSize(s image.Point, o *Options) error {
	if s.X > o.MaxOutputSide || s.Y > o.MaxOutputSide || int64(s.X)*int64(s.Y) > o.MaxOutputPixels {
		return fmt.Errorf("pipeline: %dx%d image (limits: %d px a side, %d px): %w",
			s.X, s.Y, o.MaxOutputSide, o.MaxOutputPixels, ErrOutputTooLarge)
	}
	return nil
}

// grayscale turns img gray: for YCbCr and Gray images that is the luma
// plane as it is; other images go through effect.Grayscale.
func grayscale(img image.Image) image.Image {
	switch m := img.(type) {
	case *image.Gray:
		return m
	case *image.YCbCr:
		b := m.Rect
		g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
		for y := 0; y < b.Dy(); y++ {
			copy(g.Pix[y*g.Stride:y*g.Stride+b.Dx()], m.Y[m.YOffset(b.Min.X, b.Min.Y+y):])
		}
		return g
	}
	return effect.Grayscale(toNRGBA(img))
}

// toNRGBA returns img as an *image.NRGBA, converting when it is not one.
func toNRGBA(img image.Image) *image.NRGBA {
	if n, ok := img.(*image.NRGBA); ok {
		return n
	}
	return raster.ToNRGBA(img)
}

// subImage returns the part r of img, sharing its pixels.
func subImage(img image.Image, r image.Rectangle) image.Image {
	if s, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return s.SubImage(r)
	}
	return img
}

// fill returns the colour of padding and rotation corners around img: the
// step's bg- colour; without one, transparent when img has transparency
// (so that a transparent image stays so) and opaque black otherwise.
func fill(s Step, img image.Image) color.NRGBA {
	switch {
	case s.Background.Set:
		return nrgba(s.Background)
	case hasAlpha(img):
		return color.NRGBA{}
	}
	return defaultBackground
}

// nrgba converts a URL colour to a straight-alpha colour.
func nrgba(c Color) color.NRGBA {
	if !c.Set {
		return defaultBackground
	}
	return color.NRGBA{R: c.R, G: c.G, B: c.B, A: uint8((int(c.Opacity)*255 + 50) / 100)}
}
