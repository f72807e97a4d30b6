package pipeline

// Chain is a parsed transformation: steps run left to right, each on the
// result of the one before. The zero value (an empty chain) leaves the image
// as it is, apart from the default encoding rules.
type Chain []Step

// Step is one step of a transformation: the parameters between two ':' in a
// URL. Every field's zero value means "not given" (or the documented default),
// so two steps that mean the same thing compare equal.
type Step struct {
	// Width and Height are the requested output size; see Dimension.
	Width, Height Dimension
	// AspectRatio is ar-W-H. It is used only when exactly one of Width and
	// Height is given; Parse drops it when both are.
	AspectRatio Ratio
	// Crop is the c- strategy (default CropMaintainRatio).
	Crop Crop
	// CropMode is the cm- mode (default CropModeNone).
	CropMode CropMode
	// Focus is fo-, the anchor for crops, pads and extracts (default FocusCenter).
	Focus Focus
	// X, Y, XC and YC position an extract (cm-extract, cm-pad_extract).
	X, Y, XC, YC Coord
	// Quality is q-, 1 to 100; 0 means the server default.
	Quality int
	// Format is f-; FormatAuto (the zero value) negotiates.
	Format Format
	// DPR is dpr-, 0.1 to 5; 0 means 1.
	DPR float64
	// Rotate is rt- in clockwise degrees, normalised to [0, 360).
	Rotate int
	// Flip is fl-.
	Flip Flip
	// Background is bg-; Set is false when not given.
	Background Color
	// Border is b-W_RRGGBB.
	Border Border
	// Radius is r-.
	Radius Radius
	// Blur is bl-, a Gaussian blur radius 1 to 100; 0 means none.
	Blur int
	// Grayscale is e-grayscale.
	Grayscale bool
	// Sharpen is e-sharpen or e-sharpen-N.
	Sharpen Sharpen
	// USM is e-usm-radius-sigma-amount-threshold.
	USM USM
	// Contrast is e-contrast.
	Contrast bool
	// Trim is t-true or t-N: trims near-uniform borders.
	Trim Trim
	// Progressive is pr-true.
	Progressive bool
	// Lossless is lo-true.
	Lossless bool
	// Metadata is md-true: keep EXIF/XMP metadata.
	Metadata bool
	// ColorProfile is cp-true: keep the ICC colour profile as it is.
	ColorProfile bool
	// Original is orig-true: serve the source bytes unchanged.
	Original bool
	// Named is n-NAME, a named transformation the server expands.
	Named string
	// DefaultImage is di-PATH (with '/' restored from "@@"), served when the
	// source does not exist.
	DefaultImage string
}

// Dimension is a requested width or height: Pixels when ≥ 1, or Fraction of
// the source dimension when in (0, 1). The zero value means "not given".
type Dimension struct {
	Pixels   int
	Fraction float64
}

// IsSet reports whether the dimension was given.
func (d Dimension) IsSet() bool { return d.Pixels > 0 || d.Fraction > 0 }

// Resolve returns the dimension in pixels for a source dimension src
// (before dpr). It returns 0 when the dimension is not set.
func (d Dimension) Resolve(src int) float64 {
	if d.Pixels > 0 {
		return float64(d.Pixels)
	}
	return d.Fraction * float64(src)
}

// Ratio is an aspect ratio W:H; the zero value means "not given".
type Ratio struct {
	W, H float64
}

// IsSet reports whether the ratio was given.
func (r Ratio) IsSet() bool { return r.W > 0 && r.H > 0 }

// Coord is an optional non-negative coordinate; Set is false when not given.
type Coord struct {
	Value int
	Set   bool
}

// Crop is the c- parameter: how w×h is met when both are given.
type Crop uint8

// The crop strategies of the c- parameter.
const (
	CropMaintainRatio Crop = iota // cover the box, crop the overflow (default)
	CropForce                     // stretch to exactly w×h
	CropAtMax                     // fit inside the box, never enlarge
	CropAtMaxEnlarge              // fit inside the box, may enlarge
	CropAtLeast                   // cover the box, no crop
)

// CropMode is the cm- parameter.
type CropMode uint8

// The crop modes of the cm- parameter.
const (
	CropModeNone       CropMode = iota // no cm- given
	CropModePadResize                  // fit inside w×h, pad to exactly w×h with bg
	CropModeExtract                    // cut a w×h region without scaling
	CropModePadExtract                 // extract, padding where the source is smaller
)

// Focus is the fo- parameter: the anchor of a crop, pad or extract.
type Focus uint8

// The focus positions of the fo- parameter.
const (
	FocusCenter Focus = iota // default
	FocusTop
	FocusLeft
	FocusBottom
	FocusRight
	FocusTopLeft
	FocusTopRight
	FocusBottomLeft
	FocusBottomRight
	FocusAuto // the most interesting region
)

// Format is an image format, as named by f- and as sniffed from source bytes.
type Format uint8

// The formats known to imgcdn. FormatAuto is the zero value of f-.
const (
	FormatAuto Format = iota
	FormatJPEG
	FormatPNG
	FormatGIF
	FormatWebP
	FormatAVIF
	FormatOriginal // f-orig: keep the source's format
	FormatBMP      // decode only
	FormatTIFF     // decode only
	FormatSVG      // passed through only
	FormatHEIF     // recognised, not decoded
	FormatJXL      // recognised, not decoded
)

// Flip is the fl- parameter.
type Flip uint8

// The flips of the fl- parameter. FlipBoth is written h_v (v_h means the same).
const (
	FlipNone Flip = iota
	FlipHorizontal
	FlipVertical
	FlipBoth
)

// Color is a colour from bg- or b-: straight (not premultiplied) RGB and an
// opacity in percent (0 to 100). Set is false when not given.
type Color struct {
	R, G, B uint8
	// Opacity is 0 (transparent) to 100 (opaque); URLs write 00–99 as the
	// last two digits of RRGGBBOO, and RRGGBB means 100.
	Opacity uint8
	Set     bool
}

// Border is the b- parameter: Width pixels of Color added outside the image.
type Border struct {
	Width int
	Color Color
}

// Radius is the r- parameter: rounded corners. Max makes a circle or ellipse;
// otherwise each corner has its own radius in pixels (a single r-N sets all four).
type Radius struct {
	Max                                        bool
	TopLeft, TopRight, BottomRight, BottomLeft int
}

// IsSet reports whether any corner is rounded.
func (r Radius) IsSet() bool {
	return r.Max || r.TopLeft > 0 || r.TopRight > 0 || r.BottomRight > 0 || r.BottomLeft > 0
}

// Sharpen is e-sharpen: On with Strength (0 means the default strength).
type Sharpen struct {
	On       bool
	Strength int
}

// USM is e-usm-radius-sigma-amount-threshold, an unsharp mask. The zero value
// means "not given".
type USM struct {
	Radius, Sigma, Amount, Threshold float64
	On                               bool
}

// Trim is t-: trim near-uniform borders. Tolerance is 1 to 99; Parse sets it
// to DefaultTrimTolerance for t-true, so t-true and t-10 compare equal. A
// Tolerance of 0 with On, which Parse never produces, means the default too.
type Trim struct {
	On        bool
	Tolerance int
}

// DefaultTrimTolerance is the tolerance of t-true.
const DefaultTrimTolerance = 10
