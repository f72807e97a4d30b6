package pipeline

import "strconv"

// The URL names of the enumerated values, indexed by value. They are never
// modified.
var (
	cropNames = [...]string{
		CropMaintainRatio: "maintain_ratio",
		CropForce:         "force",
		CropAtMax:         "at_max",
		CropAtMaxEnlarge:  "at_max_enlarge",
		CropAtLeast:       "at_least",
	}
	cropModeNames = [...]string{
		CropModeNone:       "none",
		CropModePadResize:  "pad_resize",
		CropModeExtract:    "extract",
		CropModePadExtract: "pad_extract",
	}
	focusNames = [...]string{
		FocusCenter:      "center",
		FocusTop:         "top",
		FocusLeft:        "left",
		FocusBottom:      "bottom",
		FocusRight:       "right",
		FocusTopLeft:     "top_left",
		FocusTopRight:    "top_right",
		FocusBottomLeft:  "bottom_left",
		FocusBottomRight: "bottom_right",
		FocusAuto:        "auto",
	}
	formatNames = [...]string{
		FormatAuto:     "auto",
		FormatJPEG:     "jpg",
		FormatPNG:      "png",
		FormatGIF:      "gif",
		FormatWebP:     "webp",
		FormatAVIF:     "avif",
		FormatOriginal: "orig",
		FormatBMP:      "bmp",
		FormatTIFF:     "tiff",
		FormatSVG:      "svg",
		FormatHEIF:     "heif",
		FormatJXL:      "jxl",
	}
	flipNames = [...]string{
		FlipNone:       "none",
		FlipHorizontal: "h",
		FlipVertical:   "v",
		FlipBoth:       "h_v",
	}
)

// enumString returns names[i], or type(i) for a value without a name.
func enumString(names []string, typ string, i int) string {
	if i < len(names) {
		return names[i]
	}
	return typ + "(" + strconv.Itoa(i) + ")"
}

// String returns the value of c- for c, such as "maintain_ratio" or "at_max".
func (c Crop) String() string { return enumString(cropNames[:], "Crop", int(c)) }

// String returns the value of cm- for m, such as "pad_resize"; CropModeNone,
// which has no URL value, is "none".
func (m CropMode) String() string { return enumString(cropModeNames[:], "CropMode", int(m)) }

// String returns the value of fo- for f, such as "center" or "top_left".
func (f Focus) String() string { return enumString(focusNames[:], "Focus", int(f)) }

// String returns the value of f- for f, such as "auto", "jpg" or "orig".
// Formats that cannot be requested with f- have their usual short names
// ("bmp", "tiff", "svg", "heif", "jxl").
func (f Format) String() string { return enumString(formatNames[:], "Format", int(f)) }

// String returns the value of fl- for f: "h", "v" or "h_v"; FlipNone, which
// has no URL value, is "none".
func (f Flip) String() string { return enumString(flipNames[:], "Flip", int(f)) }

// String returns the canonical form of the chain: its steps' canonical forms
// joined by ':', leaving out steps that write nothing (all defaults). The
// empty chain is "". For every Chain c returned by Parse, Parse(c.String())
// returns c again; String does not validate a chain built by hand.
func (c Chain) String() string {
	var buf [128]byte
	b := buf[:0]
	for i := range c {
		mark := len(b)
		if mark > 0 {
			b = append(b, ':')
		}
		n := len(b)
		b = appendStep(b, &c[i])
		if len(b) == n {
			b = b[:mark]
		}
	}
	return string(b)
}

// String returns the canonical form of the step: its parameters in a fixed
// order (the order in which they apply), each with its normalised value,
// defaults left out. The zero Step is "". The order is
//
//	t w h ar c cm fo x y xc yc dpr rt fl bl e-sharpen e-usm e-contrast
//	e-grayscale r b bg f q pr lo md cp orig n di
//
// Numbers are written in the shortest decimal form that reads back exactly
// (no exponent), negative numbers with 'N', colours as upper-case RRGGBB or
// RRGGBBOO, both flips as h_v, r-N when all four corners are equal, t-true
// for the default tolerance, and '/' in di as "@@".
func (s Step) String() string {
	var buf [128]byte
	return string(appendStep(buf[:0], &s))
}

// appendStep appends the canonical form of s to b (see Step.String).
func appendStep(b []byte, s *Step) []byte {
	start := len(b)
	if s.Trim.On {
		b = appendKey(b, start, "t-")
		if s.Trim.Tolerance == 0 || s.Trim.Tolerance == DefaultTrimTolerance {
			b = append(b, "true"...)
		} else {
			b = appendSigned(b, s.Trim.Tolerance)
		}
	}
	b = appendDimension(b, start, "w-", s.Width)
	b = appendDimension(b, start, "h-", s.Height)
	if s.AspectRatio.IsSet() {
		b = appendKey(b, start, "ar-")
		b = appendRatio(b, s.AspectRatio)
	}
	if s.Crop != CropMaintainRatio {
		b = appendKeyValue(b, start, "c-", s.Crop.String())
	}
	if s.CropMode != CropModeNone {
		b = appendKeyValue(b, start, "cm-", s.CropMode.String())
	}
	if s.Focus != FocusCenter {
		b = appendKeyValue(b, start, "fo-", s.Focus.String())
	}
	b = appendCoord(b, start, "x-", s.X)
	b = appendCoord(b, start, "y-", s.Y)
	b = appendCoord(b, start, "xc-", s.XC)
	b = appendCoord(b, start, "yc-", s.YC)
	if s.DPR != 0 && s.DPR != 1 {
		b = appendKey(b, start, "dpr-")
		b = appendDecimal(b, s.DPR)
	}
	if s.Rotate != 0 {
		b = appendKey(b, start, "rt-")
		b = appendSigned(b, s.Rotate)
	}
	if s.Flip != FlipNone {
		b = appendKeyValue(b, start, "fl-", s.Flip.String())
	}
	b = appendPositive(b, start, "bl-", s.Blur)
	if s.Sharpen.On {
		b = appendKey(b, start, "e-sharpen")
		if s.Sharpen.Strength != 0 {
			b = append(b, '-')
			b = appendSigned(b, s.Sharpen.Strength)
		}
	}
	if s.USM.On {
		b = appendKey(b, start, "e-usm")
		for _, f := range [...]float64{s.USM.Radius, s.USM.Sigma, s.USM.Amount, s.USM.Threshold} {
			b = append(b, '-')
			b = appendDecimal(b, f)
		}
	}
	b = appendFlag(b, start, "e-contrast", s.Contrast)
	b = appendFlag(b, start, "e-grayscale", s.Grayscale)
	b = appendRadius(b, start, s.Radius)
	if s.Border.Width > 0 {
		b = appendKey(b, start, "b-")
		b = appendSigned(b, s.Border.Width)
		b = append(b, '_')
		c := s.Border.Color
		if !c.Set {
			c = Color{Opacity: 100, Set: true}
		}
		b = appendColor(b, c)
	}
	if s.Background.Set {
		b = appendKey(b, start, "bg-")
		b = appendColor(b, s.Background)
	}
	if s.Format != FormatAuto {
		b = appendKeyValue(b, start, "f-", s.Format.String())
	}
	b = appendPositive(b, start, "q-", s.Quality)
	b = appendFlag(b, start, "pr-true", s.Progressive)
	b = appendFlag(b, start, "lo-true", s.Lossless)
	b = appendFlag(b, start, "md-true", s.Metadata)
	b = appendFlag(b, start, "cp-true", s.ColorProfile)
	b = appendFlag(b, start, "orig-true", s.Original)
	if s.Named != "" {
		b = appendKeyValue(b, start, "n-", s.Named)
	}
	if s.DefaultImage != "" {
		b = appendKey(b, start, "di-")
		for i := 0; i < len(s.DefaultImage); i++ {
			if c := s.DefaultImage[i]; c == '/' {
				b = append(b, "@@"...)
			} else {
				b = append(b, c)
			}
		}
	}
	return b
}

// appendKey appends k (a key and its '-'), after a ',' unless it is the
// first parameter of the step that starts at b[start].
func appendKey(b []byte, start int, k string) []byte {
	if len(b) > start {
		b = append(b, ',')
	}
	return append(b, k...)
}

// appendKeyValue appends k followed by the value v.
func appendKeyValue(b []byte, start int, k, v string) []byte {
	b = appendKey(b, start, k)
	return append(b, v...)
}

// appendFlag appends kv when on.
func appendFlag(b []byte, start int, kv string, on bool) []byte {
	if on {
		b = appendKey(b, start, kv)
	}
	return b
}

// appendPositive appends k and n when n > 0.
func appendPositive(b []byte, start int, k string, n int) []byte {
	if n > 0 {
		b = appendKey(b, start, k)
		b = appendSigned(b, n)
	}
	return b
}

// appendDimension appends k and d when d is set; pixels win over a
// fraction.
func appendDimension(b []byte, start int, k string, d Dimension) []byte {
	switch {
	case d.Pixels > 0:
		b = appendPositive(b, start, k, d.Pixels)
	case d.Fraction > 0:
		b = appendKey(b, start, k)
		b = appendDecimal(b, d.Fraction)
	}
	return b
}

// appendCoord appends k and c when c is set.
func appendCoord(b []byte, start int, k string, c Coord) []byte {
	if c.Set {
		b = appendKey(b, start, k)
		b = appendSigned(b, c.Value)
	}
	return b
}

// appendRadius appends r- when r is set: max, N when the corners are
// equal, or TL_TR_BR_BL.
func appendRadius(b []byte, start int, r Radius) []byte {
	switch {
	case r.Max:
		b = appendKey(b, start, "r-max")
	case !r.IsSet():
	case r.TopLeft == r.TopRight && r.TopLeft == r.BottomRight && r.TopLeft == r.BottomLeft:
		b = appendKey(b, start, "r-")
		b = appendSigned(b, r.TopLeft)
	default:
		b = appendKey(b, start, "r-")
		for i, n := range [...]int{r.TopLeft, r.TopRight, r.BottomRight, r.BottomLeft} {
			if i > 0 {
				b = append(b, '_')
			}
			b = appendSigned(b, n)
		}
	}
	return b
}

// appendRatio appends r as W-H.
func appendRatio(b []byte, r Ratio) []byte {
	b = appendDecimal(b, r.W)
	b = append(b, '-')
	return appendDecimal(b, r.H)
}

// appendDecimal appends f in the shortest decimal form that parses back to
// f, without an exponent, which is the form parseDecimal reads.
func appendDecimal(b []byte, f float64) []byte {
	if f < 0 {
		b = append(b, 'N')
		f = -f
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}

// appendSigned appends n, writing a negative n with an 'N' prefix.
func appendSigned(b []byte, n int) []byte {
	if n < 0 {
		b = append(b, 'N')
		return strconv.AppendUint(b, uint64(-int64(n)), 10)
	}
	return strconv.AppendInt(b, int64(n), 10)
}
