package pipeline

import (
	"math"
	"strconv"
	"strings"
)

// maxPixelValue caps every value given in pixels (w, h, x, y, xc, yc, the
// width of b, the corners of r) and each term of ar, so that no computation
// on them can overflow.
const maxPixelValue = 100000

// Parse parses a transformation, the text after "tr:" in a URL path or the
// value of the tr query parameter, into a Chain. It is safe for concurrent
// use. On success it allocates only the returned Chain (and the path of a di
// that contains "@@"); the strings in the Chain share memory with s.
//
// Steps are separated by ':' and run left to right; the parameters of a step
// are separated by ','. A parameter is key-value, where the key ends at the
// first '-'; keys and enumerated values are case-sensitive, hexadecimal
// colours and colour names are not. Negative numbers take an 'N' prefix
// (rt-N90) and a path writes '/' as "@@" (di-@@img@@missing.jpg). Within a
// step the order of the parameters does not matter and, when a key is
// repeated, the last one wins (each occurrence must still be valid).
//
// The parameters and their values (see the URL API for their meaning):
//
//	w, h           whole pixels 1-100000, or a fraction in (0, 1)
//	ar             W-H, two positive numbers up to 100000
//	c              maintain_ratio (default), force, at_max, at_max_enlarge, at_least
//	cm             pad_resize, extract, pad_extract
//	fo             center (default), top, left, bottom, right, top_left,
//	               top_right, bottom_left, bottom_right, auto
//	x, y, xc, yc   whole pixels 0-100000
//	q              1-100
//	f              auto (default), jpg, jpeg (= jpg), png, webp, avif, gif, orig
//	dpr            0.1-5 (default 1)
//	rt             whole degrees, N for counter-clockwise, or auto (= 0)
//	fl             h, v, h_v, v_h (= h_v)
//	bg             RRGGBB, RRGGBBOO (OO: opacity 00-99 percent), a CSS colour name
//	b              W_COLOUR: W 1-100000, COLOUR as for bg
//	r              max, N for all four corners, or TL_TR_BR_BL, each 0-100000
//	bl             1-100
//	e-grayscale    no value
//	e-contrast     no value
//	e-sharpen      no value (default strength), or e-sharpen-N with N 1-100
//	e-usm          e-usm-R-S-A-T: radius 0-100, sigma and amount above 0 up to
//	               100, threshold 0-1
//	t              true (= tolerance 10), or a tolerance 1-99
//	pr, lo, md, cp true or false (default)
//	orig           true or false (default)
//	n              a name made of letters, digits, '_', '-' and '.'
//	di             a path with @@ for '/': no literal '/' or '\', no control
//	               characters, no ".." segment
//
// Layers (l, i, ie, lx, ly, lfo and the text and legacy overlay keys),
// e-shadow, e-gradient, e-distort, o, z, pg, conditionals (if), fo-face,
// fo-custom, bg-blurred, bg-dominant, bg-gradient, w-auto, h-auto, dpr-auto,
// f-mp4, f-webm and arithmetic values (iw_div_2) are ErrNotSupportedYet; AI
// transformations (e-bgremove, e-genvar, bg-genfill, ...) and video
// parameters (ac, vc, so, eo, du, sr, ...) are ErrNotSupported.
//
// Parse validates everything: an unknown key, a malformed or out-of-range
// value, or a parameter that imgcdn does not support is reported as a
// *ParamError wrapping ErrUnknownParam, ErrInvalidValue, ErrNotSupportedYet
// or ErrNotSupported. In particular:
//
//   - An empty parameter or step (as in "w-1,,h-2", "w-1::h-2", or a
//     leading or trailing ',' or ':') is an ErrInvalidValue.
//   - ar needs w or h, and is dropped when both are given.
//   - x, y, xc and yc need cm-extract or cm-pad_extract; x cannot be used
//     with xc, nor y with yc.
//
// Parse normalises its result so that steps with the same meaning compare
// equal: defaults become zero values (c-maintain_ratio, fo-center, f-auto,
// dpr-1, rt-0, rt-360, rt-auto, pr-false, lo-false, md-false, cp-false,
// orig-false), f-jpeg becomes f-jpg, fl-v_h becomes fl-h_v, rt is reduced to
// [0, 360), t-true becomes a tolerance of 10 (the same as t-10), colour names
// become RGB, r-N sets all four corners, and an ar made of two whole numbers
// is reduced (ar-32-18 is ar-16-9). A step that is all defaults is dropped, so the result for ""
// and for "c-maintain_ratio" is a nil Chain. Chain.String writes the
// canonical form back, and Parse(c.String()) returns c again.
//
// Examples:
//
//	w-300,h-200              300×200, cropped to fill (c-maintain_ratio)
//	w-300,h-200,c-at_max     fit inside 300×200, never enlarge
//	w-0.5                    half the source width
//	h-300,ar-16-9            533×300
//	w-300:rt-N90             resize, then rotate 90° counter-clockwise
//	w-200,h-200,cm-extract,x-10,y-20
//	bg-F3F3F380              grey at 80 percent opacity
//	e-usm-2-2-0.8-0.024      unsharp mask
func Parse(s string) (Chain, error) {
	if s == "" {
		return nil, nil
	}
	var c Chain
	rest := s
	for {
		step, next, more := strings.Cut(rest, ":")
		var st Step
		if err := parseStep(&st, step); err != nil {
			return nil, err
		}
		if st != (Step{}) {
			if c == nil {
				c = make(Chain, 0, strings.Count(rest, ":")+1)
			}
			c = append(c, st)
		}
		if !more {
			return c, nil
		}
		rest = next
	}
}

// parseStep parses the parameters of one step into st and checks the rules
// that involve several of them.
func parseStep(st *Step, s string) error {
	if s == "" {
		return invalidValue("", "", "empty step (two ':' in a row, or a ':' at either end)", nil)
	}
	for {
		p, rest, more := strings.Cut(s, ",")
		if p == "" {
			return invalidValue("", "", "empty parameter (two ',' in a row, or a ',' at either end of a step)", nil)
		}
		if err := parseParam(st, p); err != nil {
			return err
		}
		if !more {
			break
		}
		s = rest
	}
	return checkStep(st)
}

// parseParam parses one key-value parameter into st. Its switch is the one
// table of every key Parse knows.
func parseParam(st *Step, p string) error {
	key, val, _ := strings.Cut(p, "-")
	switch key {
	// Phase 1: implemented.
	case "w":
		return parseDimension(&st.Width, key, val)
	case "h":
		return parseDimension(&st.Height, key, val)
	case "ar":
		return parseRatio(&st.AspectRatio, val)
	case "c":
		i, ok := lookupName(cropNames[:], val)
		if !ok {
			return invalidValue(key, val, "", cropNames[:])
		}
		st.Crop = Crop(i)
	case "cm":
		i, ok := lookupName(cropModeNames[1:], val)
		if !ok {
			return invalidValue(key, val, "", cropModeNames[1:])
		}
		st.CropMode = CropMode(i + 1)
	case "fo":
		return parseFocus(&st.Focus, val)
	case "x":
		return parseCoord(&st.X, key, val)
	case "y":
		return parseCoord(&st.Y, key, val)
	case "xc":
		return parseCoord(&st.XC, key, val)
	case "yc":
		return parseCoord(&st.YC, key, val)
	case "q":
		return parseIntRange(&st.Quality, key, val, 1, 100, allowedPercent)
	case "f":
		f, err := ParseFormat(val)
		if err != nil {
			return err
		}
		st.Format = f
	case "dpr":
		return parseDPR(&st.DPR, val)
	case "rt":
		return parseRotate(&st.Rotate, val)
	case "fl":
		return parseFlip(&st.Flip, val)
	case "bg":
		return parseBackground(&st.Background, val)
	case "b":
		return parseBorder(&st.Border, val)
	case "r":
		return parseRadius(&st.Radius, val)
	case "bl":
		return parseIntRange(&st.Blur, key, val, 1, 100, allowedPercent)
	case "e":
		return parseEffect(st, val)
	case "t":
		return parseTrim(&st.Trim, val)
	case "pr":
		return parseBool(&st.Progressive, key, val)
	case "lo":
		return parseBool(&st.Lossless, key, val)
	case "md":
		return parseBool(&st.Metadata, key, val)
	case "cp":
		return parseBool(&st.ColorProfile, key, val)
	case "orig":
		return parseBool(&st.Original, key, val)
	case "n":
		return parseNamed(&st.Named, val)
	case "di":
		return parseDefaultImage(&st.DefaultImage, val)

	// Later phases: ErrNotSupportedYet. Values of the keys above that
	// belong to later phases (w-auto, fo-face, bg-dominant, f-mp4,
	// e-shadow, arithmetic values, ...) are reported where they are parsed.
	case "l":
		return parseLayer(val)
	case "i", "ie", "lx", "ly", "lfo", "lap",
		"fs", "ff", "co", "ia", "pa", "al", "tg", // text layers
		"oi", "ox", "oy", "ofo", "oh", "ow", "obg", // legacy overlays
		"ot", "ots", "otc", "otf", "otw", "otbg":
		return paramErr(ErrNotSupportedYet, key, val, "layers", nil)
	case "o":
		return paramErr(ErrNotSupportedYet, key, val, "opacity", nil)
	case "z":
		return paramErr(ErrNotSupportedYet, key, val, "zoom", nil)
	case "pg":
		return paramErr(ErrNotSupportedYet, key, val, "pages and frames", nil)
	case "if":
		return paramErr(ErrNotSupportedYet, key, val, "conditional transformations", nil)

	// Not planned: ErrNotSupported.
	case "ac", "vc", "so", "eo", "du", "sr", "fps", "vb", "lso", "leo", "ldu":
		return paramErr(ErrNotSupported, key, val, "video parameter", nil)

	default:
		return paramErr(ErrUnknownParam, key, val, "", nil)
	}
	return nil
}

// parseEffect parses the value of e-: the effect name, then its arguments
// after a '-'.
func parseEffect(st *Step, val string) error {
	name, arg, hasArg := strings.Cut(val, "-")
	switch name {
	case "grayscale":
		if hasArg {
			return invalidValue("e-"+name, arg, "e-grayscale takes no value", nil)
		}
		st.Grayscale = true
	case "contrast":
		if hasArg {
			return invalidValue("e-"+name, arg, "e-contrast takes no value", nil)
		}
		st.Contrast = true
	case "sharpen":
		if !hasArg {
			st.Sharpen = Sharpen{On: true}
			return nil
		}
		var n int
		if err := parseIntRange(&n, "e-sharpen", arg, 1, 100, allowedPercent); err != nil {
			return err
		}
		st.Sharpen = Sharpen{On: true, Strength: n}
	case "usm":
		return parseUSM(&st.USM, arg)

	case "shadow", "gradient", "distort":
		return paramErr(ErrNotSupportedYet, "e-"+name, arg, "", nil)
	case "bgremove", "removedotbg", "changebg", "edit", "genvar", "dropshadow",
		"retouch", "upscale", "genfill":
		return paramErr(ErrNotSupported, "e-"+name, arg, "AI transformation", nil)

	case "":
		return invalidValue("e", val, "missing effect name", allowedEffects)
	default:
		return paramErr(ErrUnknownParam, "e-"+name, arg, "", allowedEffects)
	}
	return nil
}

// parseLayer reports l- (layers) as not supported.
func parseLayer(val string) error {
	switch val {
	case "video", "subtitles", "audio":
		return paramErr(ErrNotSupported, "l", val, "video layers", nil)
	}
	return paramErr(ErrNotSupportedYet, "l", val, "layers", nil)
}

// checkStep applies the rules that involve several parameters of a step.
func checkStep(st *Step) error {
	if st.AspectRatio.IsSet() {
		w, h := st.Width.IsSet(), st.Height.IsSet()
		switch {
		case !w && !h:
			return invalidValue("ar", string(appendRatio(nil, st.AspectRatio)), "ar needs w or h", nil)
		case w && h:
			st.AspectRatio = Ratio{}
		}
	}
	if st.CropMode != CropModeExtract && st.CropMode != CropModePadExtract {
		for _, c := range [...]struct {
			key string
			c   Coord
		}{{"x", st.X}, {"y", st.Y}, {"xc", st.XC}, {"yc", st.YC}} {
			if c.c.Set {
				return invalidValue(c.key, strconv.Itoa(c.c.Value), c.key+" needs cm-extract or cm-pad_extract", nil)
			}
		}
	}
	if st.X.Set && st.XC.Set {
		return invalidValue("xc", strconv.Itoa(st.XC.Value), "xc cannot be used with x", nil)
	}
	if st.Y.Set && st.YC.Set {
		return invalidValue("yc", strconv.Itoa(st.YC.Value), "yc cannot be used with y", nil)
	}
	return nil
}

// The allowed values of the parameters, for error messages. They are never
// modified (paramErr copies them).
var (
	allowedDimension = []string{"1-100000", "a fraction between 0 and 1", "auto (not supported yet)"}
	allowedRatio     = []string{"W-H, two positive numbers up to 100000 (ar-16-9)"}
	allowedCoord     = []string{"0-100000"}
	allowedPercent   = []string{"1-100"}
	allowedDPR       = []string{"0.1-5"}
	allowedRotate    = []string{"whole degrees, N for counter-clockwise (N90)", "auto"}
	allowedFlip      = []string{"h", "v", "h_v", "v_h"}
	allowedBorder    = []string{"W_RRGGBB", "W_RRGGBBOO", "W_colour name (W 1-100000)"}
	allowedRadius    = []string{"max", "0-100000", "TL_TR_BR_BL"}
	allowedTrim      = []string{"true", "1-99"}
	allowedBool      = []string{"true", "false"}
	allowedNamed     = []string{"letters, digits, '_', '-' and '.'"}
	allowedPath      = []string{"a path, with @@ for '/'"}
	allowedUSM       = []string{"radius-sigma-amount-threshold: radius 0-100, sigma and amount above 0 up to 100, threshold 0-1"}
	allowedEffects   = []string{"grayscale", "sharpen", "sharpen-N", "usm-radius-sigma-amount-threshold", "contrast"}
	allowedFormat    = []string{"auto", "jpg", "jpeg", "png", "webp", "avif", "gif", "orig"}
)

// parseDimension parses w- or h-: whole pixels, or a fraction in (0, 1).
func parseDimension(d *Dimension, key, val string) error {
	if n, ok := parseDigits(val, maxPixelValue); ok {
		if n < 1 || n > maxPixelValue {
			return invalidValue(key, val, "out of range", allowedDimension)
		}
		*d = Dimension{Pixels: n}
		return nil
	}
	if f, ok := parseDecimal(val); ok {
		switch {
		case f > 0 && f < 1:
			*d = Dimension{Fraction: f}
		case f >= 1 && f <= maxPixelValue && f == math.Trunc(f):
			*d = Dimension{Pixels: int(f)}
		default:
			return invalidValue(key, val, "not a whole number of pixels or a fraction between 0 and 1", allowedDimension)
		}
		return nil
	}
	if val == "auto" {
		return paramErr(ErrNotSupportedYet, key, val, "client hints", nil)
	}
	return badNumber(key, val, allowedDimension)
}

// parseRatio parses the value of ar-: W-H.
func parseRatio(r *Ratio, val string) error {
	ws, hs, ok := strings.Cut(val, "-")
	if !ok {
		return badNumber("ar", val, allowedRatio)
	}
	w, ok1 := parseDecimal(ws)
	h, ok2 := parseDecimal(hs)
	if !ok1 || !ok2 {
		return badNumber("ar", val, allowedRatio)
	}
	if w <= 0 || h <= 0 || w > maxPixelValue || h > maxPixelValue {
		return invalidValue("ar", val, "out of range", allowedRatio)
	}
	if w == math.Trunc(w) && h == math.Trunc(h) {
		g := gcd(int(w), int(h))
		w, h = w/float64(g), h/float64(g)
	}
	*r = Ratio{W: w, H: h}
	return nil
}

// gcd returns the greatest common divisor of a and b, which are positive.
func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// parseFocus parses the value of fo-.
func parseFocus(f *Focus, val string) error {
	if i, ok := lookupName(focusNames[:], val); ok {
		*f = Focus(i)
		return nil
	}
	switch val {
	case "face", "custom":
		return paramErr(ErrNotSupportedYet, "fo", val, "", nil)
	}
	return invalidValue("fo", val, "", focusNames[:])
}

// parseCoord parses x-, y-, xc- or yc-: whole pixels, 0 or more.
func parseCoord(c *Coord, key, val string) error {
	n, ok := parseDigits(val, maxPixelValue)
	if !ok {
		return badNumber(key, val, allowedCoord)
	}
	if n > maxPixelValue {
		return invalidValue(key, val, "out of range", allowedCoord)
	}
	*c = Coord{Value: n, Set: true}
	return nil
}

// parseIntRange parses a whole number in [lo, hi], with lo ≥ 0.
func parseIntRange(p *int, param, val string, lo, hi int, allowed []string) error {
	n, ok := parseDigits(val, hi)
	if !ok {
		return badNumber(param, val, allowed)
	}
	if n < lo || n > hi {
		return invalidValue(param, val, "out of range", allowed)
	}
	*p = n
	return nil
}

// ParseFormat parses the value of f-: auto, jpg, jpeg (the same as jpg),
// png, webp, avif, gif or orig. An error is a *ParamError for the parameter
// f, wrapping ErrNotSupportedYet for the video formats mp4 and webm and
// ErrInvalidValue otherwise.
func ParseFormat(s string) (Format, error) {
	switch s {
	case "auto":
		return FormatAuto, nil
	case "jpg", "jpeg":
		return FormatJPEG, nil
	case "png":
		return FormatPNG, nil
	case "webp":
		return FormatWebP, nil
	case "avif":
		return FormatAVIF, nil
	case "gif":
		return FormatGIF, nil
	case "orig":
		return FormatOriginal, nil
	case "mp4", "webm":
		return FormatAuto, paramErr(ErrNotSupportedYet, "f", s, "video output", nil)
	}
	return FormatAuto, invalidValue("f", s, "", allowedFormat)
}

// parseDPR parses the value of dpr-: 0.1 to 5, where 1 becomes 0.
func parseDPR(p *float64, val string) error {
	f, ok := parseDecimal(val)
	if !ok {
		if val == "auto" {
			return paramErr(ErrNotSupportedYet, "dpr", val, "client hints", nil)
		}
		return badNumber("dpr", val, allowedDPR)
	}
	if f < 0.1 || f > 5 {
		return invalidValue("dpr", val, "out of range", allowedDPR)
	}
	if f == 1 {
		f = 0
	}
	*p = f
	return nil
}

// parseRotate parses the value of rt-: whole degrees with an optional 'N'
// prefix, reduced to [0, 360), or auto (0, as orientation is always applied).
func parseRotate(p *int, val string) error {
	if val == "auto" {
		*p = 0
		return nil
	}
	digits, neg := strings.CutPrefix(val, "N")
	if digits == "" {
		return badNumber("rt", val, allowedRotate)
	}
	deg := 0
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if !isDigitByte(c) {
			return badNumber("rt", val, allowedRotate)
		}
		deg = (deg*10 + int(c-'0')) % 360
	}
	if neg {
		deg = (360 - deg) % 360
	}
	*p = deg
	return nil
}

// parseFlip parses the value of fl-.
func parseFlip(f *Flip, val string) error {
	switch val {
	case "h":
		*f = FlipHorizontal
	case "v":
		*f = FlipVertical
	case "h_v", "v_h":
		*f = FlipBoth
	default:
		return invalidValue("fl", val, "", allowedFlip)
	}
	return nil
}

// parseBackground parses the value of bg-.
func parseBackground(c *Color, val string) error {
	if col, ok := parseColor(val); ok {
		*c = col
		return nil
	}
	switch {
	case strings.HasPrefix(val, "blurred"), strings.HasPrefix(val, "dominant"),
		strings.HasPrefix(val, "gradient"):
		return paramErr(ErrNotSupportedYet, "bg", val, "backgrounds made from the image", nil)
	case strings.HasPrefix(val, "genfill"):
		return paramErr(ErrNotSupported, "bg", val, "AI transformation", nil)
	}
	reason := "not a colour"
	if val == "" {
		reason = "missing value"
	}
	return invalidValue("bg", val, reason, allowedColor)
}

// parseBorder parses the value of b-: W_COLOUR.
func parseBorder(b *Border, val string) error {
	ws, cs, ok := strings.Cut(val, "_")
	if !ok {
		return badNumber("b", val, allowedBorder)
	}
	n, ok := parseDigits(ws, maxPixelValue)
	if !ok {
		return badNumber("b", val, allowedBorder)
	}
	if n < 1 || n > maxPixelValue {
		return invalidValue("b", val, "border width out of range", allowedBorder)
	}
	c, ok := parseColor(cs)
	if !ok {
		return invalidValue("b", val, "not a colour", allowedBorder)
	}
	*b = Border{Width: n, Color: c}
	return nil
}

// parseRadius parses the value of r-: max, N, or TL_TR_BR_BL.
func parseRadius(r *Radius, val string) error {
	if val == "max" {
		*r = Radius{Max: true}
		return nil
	}
	if !strings.Contains(val, "_") {
		n, err := parseCorner(val, val)
		if err != nil {
			return err
		}
		*r = Radius{TopLeft: n, TopRight: n, BottomRight: n, BottomLeft: n}
		return nil
	}
	var v [4]int
	rest := val
	for i := range v {
		part, next, more := strings.Cut(rest, "_")
		if more != (i < 3) {
			return badNumber("r", val, allowedRadius)
		}
		n, err := parseCorner(part, val)
		if err != nil {
			return err
		}
		v[i] = n
		rest = next
	}
	*r = Radius{TopLeft: v[0], TopRight: v[1], BottomRight: v[2], BottomLeft: v[3]}
	return nil
}

// parseCorner parses part, the radius of a corner (0 to maxPixelValue) in
// the value val of r-.
func parseCorner(part, val string) (int, error) {
	n, ok := parseDigits(part, maxPixelValue)
	if !ok {
		return 0, badNumber("r", val, allowedRadius)
	}
	if n > maxPixelValue {
		return 0, invalidValue("r", val, "out of range", allowedRadius)
	}
	return n, nil
}

// parseUSM parses the arguments of e-usm: radius-sigma-amount-threshold.
func parseUSM(u *USM, arg string) error {
	var v [4]float64
	rest := arg
	for i := range v {
		part, next, more := strings.Cut(rest, "-")
		if more != (i < 3) {
			return badNumber("e-usm", arg, allowedUSM)
		}
		f, ok := parseDecimal(part)
		if !ok {
			return badNumber("e-usm", arg, allowedUSM)
		}
		v[i] = f
		rest = next
	}
	radius, sigma, amount, threshold := v[0], v[1], v[2], v[3]
	if radius > 100 || sigma <= 0 || sigma > 100 || amount <= 0 || amount > 100 || threshold > 1 {
		return invalidValue("e-usm", arg, "out of range", allowedUSM)
	}
	*u = USM{Radius: radius, Sigma: sigma, Amount: amount, Threshold: threshold, On: true}
	return nil
}

// parseTrim parses the value of t-: true (DefaultTrimTolerance), or a
// tolerance 1 to 99.
func parseTrim(t *Trim, val string) error {
	if val == "true" {
		*t = Trim{On: true, Tolerance: DefaultTrimTolerance}
		return nil
	}
	var n int
	if err := parseIntRange(&n, "t", val, 1, 99, allowedTrim); err != nil {
		return err
	}
	*t = Trim{On: true, Tolerance: n}
	return nil
}

// parseBool parses true or false.
func parseBool(p *bool, key, val string) error {
	switch val {
	case "true":
		*p = true
	case "false":
		*p = false
	default:
		return invalidValue(key, val, "", allowedBool)
	}
	return nil
}

// parseNamed parses the value of n-: letters, digits, '_', '-' and '.'.
func parseNamed(p *string, val string) error {
	if val == "" {
		return invalidValue("n", val, "missing name", allowedNamed)
	}
	for i := 0; i < len(val); i++ {
		c := val[i]
		if !isDigitByte(c) && !('a' <= c && c <= 'z') && !('A' <= c && c <= 'Z') &&
			c != '_' && c != '-' && c != '.' {
			return invalidValue("n", val, "bad character in name", allowedNamed)
		}
	}
	*p = val
	return nil
}

// parseDefaultImage parses the value of di-: a path with "@@" for '/'. It
// rejects a literal '/' or '\', control characters and ".." segments.
func parseDefaultImage(p *string, val string) error {
	if val == "" {
		return invalidValue("di", val, "missing path", allowedPath)
	}
	for i := 0; i < len(val); i++ {
		switch c := val[i]; {
		case c == '/':
			return invalidValue("di", val, "write '/' as @@", allowedPath)
		case c == '\\' || c < 0x20 || c == 0x7f:
			return invalidValue("di", val, "bad character in path", allowedPath)
		}
	}
	path := val
	if strings.Contains(val, "@@") {
		path = strings.ReplaceAll(val, "@@", "/")
	}
	for rest := path; ; {
		seg, next, more := strings.Cut(rest, "/")
		if seg == ".." {
			return invalidValue("di", val, "'..' is not allowed in a path", allowedPath)
		}
		if !more {
			break
		}
		rest = next
	}
	*p = path
	return nil
}

// lookupName returns the index of s in names.
func lookupName(names []string, s string) (int, bool) {
	for i, n := range names {
		if n == s {
			return i, true
		}
	}
	return 0, false
}

// parseDigits parses a non-empty string of ASCII digits (no sign). A value
// above limit, which must be at most maxPixelValue, is returned as limit+1,
// so that range checks fail without any overflow.
func parseDigits(s string, limit int) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigitByte(c) {
			return 0, false
		}
		if n <= limit {
			n = n*10 + int(c-'0')
		}
	}
	return min(n, limit+1), true
}

// parseDecimal parses an unsigned decimal number: digits with an optional
// fraction ("12", "0.5", ".5"). Signs, exponents, hexadecimal, "Inf" and
// "NaN" are rejected.
func parseDecimal(s string) (float64, bool) {
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isDigitByte(c):
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return 0, false
		}
	}
	if digits == 0 || s[len(s)-1] == '.' {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

// isDigitByte reports whether c is an ASCII digit.
func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

// badNumber reports a value that is not a number of the expected form: an
// arithmetic expression is ErrNotSupportedYet, anything else
// ErrInvalidValue.
func badNumber(param, val string, allowed []string) error {
	switch {
	case val == "":
		return invalidValue(param, val, "missing value", allowed)
	case isArithmetic(val):
		return paramErr(ErrNotSupportedYet, param, val, "arithmetic values", nil)
	}
	return invalidValue(param, val, "not a number of the expected form", allowed)
}

// The operators and variables of arithmetic values such as iw_div_2.
var (
	arithmeticOperators = [...]string{"_add_", "_sub_", "_mul_", "_div_", "_mod_", "_pow_"}
	arithmeticVariables = [...]string{"iw", "ih", "iar", "cw", "ch", "car", "bw", "bh", "bar", "idu", "cdu"}
)

// isArithmetic reports whether val looks like an arithmetic value: it uses an
// operator, or starts with one of the variables.
func isArithmetic(val string) bool {
	for _, op := range arithmeticOperators {
		if strings.Contains(val, op) {
			return true
		}
	}
	head, _, _ := strings.Cut(val, "_")
	_, ok := lookupName(arithmeticVariables[:], head)
	return ok
}
