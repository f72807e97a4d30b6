package pipeline

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	red := Color{R: 0xFF, Opacity: 100, Set: true}
	tests := []struct {
		name string
		in   string
		want Chain
	}{
		// Empty and chaining.
		{"empty", "", nil},
		{"one step", "w-300,h-200", Chain{{Width: dimPx(300), Height: dimPx(200)}}},
		{"two steps", "w-300:rt-90", Chain{{Width: dimPx(300)}, {Rotate: 90}}},
		{"order does not matter", "h-200,w-300", Chain{{Width: dimPx(300), Height: dimPx(200)}}},
		{"last wins", "w-100,w-300", Chain{{Width: dimPx(300)}}},
		{"last wins default", "c-force,c-maintain_ratio,w-1", Chain{{Width: dimPx(1)}}},

		// w, h.
		{"w pixels", "w-1", Chain{{Width: dimPx(1)}}},
		{"w max", "w-100000", Chain{{Width: dimPx(100000)}}},
		{"w leading zeros", "w-0300", Chain{{Width: dimPx(300)}}},
		{"w fraction", "w-0.5", Chain{{Width: Dimension{Fraction: 0.5}}}},
		{"w fraction no zero", "w-.25", Chain{{Width: Dimension{Fraction: 0.25}}}},
		{"w whole decimal", "w-300.0", Chain{{Width: dimPx(300)}}},
		{"h pixels", "h-200", Chain{{Height: dimPx(200)}}},
		{"h fraction", "h-0.125", Chain{{Height: Dimension{Fraction: 0.125}}}},

		// ar.
		{"ar with w", "w-400,ar-4-3", Chain{{Width: dimPx(400), AspectRatio: Ratio{4, 3}}}},
		{"ar with h", "ar-16-9,h-300", Chain{{Height: dimPx(300), AspectRatio: Ratio{16, 9}}}},
		{"ar reduced", "w-400,ar-32-18", Chain{{Width: dimPx(400), AspectRatio: Ratio{16, 9}}}},
		{"ar decimal", "w-400,ar-1.5-1", Chain{{Width: dimPx(400), AspectRatio: Ratio{1.5, 1}}}},
		{"ar with w and h dropped", "w-300,h-200,ar-4-3", Chain{{Width: dimPx(300), Height: dimPx(200)}}},

		// c, cm, fo.
		{"c maintain_ratio is default", "c-maintain_ratio", nil},
		{"c force", "c-force", Chain{{Crop: CropForce}}},
		{"c at_max", "c-at_max", Chain{{Crop: CropAtMax}}},
		{"c at_max_enlarge", "c-at_max_enlarge", Chain{{Crop: CropAtMaxEnlarge}}},
		{"c at_least", "c-at_least", Chain{{Crop: CropAtLeast}}},
		{"cm pad_resize", "cm-pad_resize", Chain{{CropMode: CropModePadResize}}},
		{"cm extract", "cm-extract", Chain{{CropMode: CropModeExtract}}},
		{"cm pad_extract", "cm-pad_extract", Chain{{CropMode: CropModePadExtract}}},
		{"fo center is default", "fo-center", nil},
		{"fo top", "fo-top", Chain{{Focus: FocusTop}}},
		{"fo left", "fo-left", Chain{{Focus: FocusLeft}}},
		{"fo bottom", "fo-bottom", Chain{{Focus: FocusBottom}}},
		{"fo right", "fo-right", Chain{{Focus: FocusRight}}},
		{"fo top_left", "fo-top_left", Chain{{Focus: FocusTopLeft}}},
		{"fo top_right", "fo-top_right", Chain{{Focus: FocusTopRight}}},
		{"fo bottom_left", "fo-bottom_left", Chain{{Focus: FocusBottomLeft}}},
		{"fo bottom_right", "fo-bottom_right", Chain{{Focus: FocusBottomRight}}},
		{"fo auto", "fo-auto", Chain{{Focus: FocusAuto}}},

		// x, y, xc, yc.
		{"x y extract", "w-10,h-10,cm-extract,x-0,y-20", Chain{{
			Width: dimPx(10), Height: dimPx(10), CropMode: CropModeExtract,
			X: Coord{0, true}, Y: Coord{20, true},
		}}},
		{"xc yc pad_extract", "cm-pad_extract,xc-5,yc-100000,w-1,h-1", Chain{{
			Width: dimPx(1), Height: dimPx(1), CropMode: CropModePadExtract,
			XC: Coord{5, true}, YC: Coord{100000, true},
		}}},
		{"x with yc", "cm-extract,x-1,yc-2,w-5,h-5", Chain{{
			Width: dimPx(5), Height: dimPx(5), CropMode: CropModeExtract,
			X: Coord{1, true}, YC: Coord{2, true},
		}}},

		// q, f, dpr.
		{"q min", "q-1", Chain{{Quality: 1}}},
		{"q max", "q-100", Chain{{Quality: 100}}},
		{"f auto is default", "f-auto", nil},
		{"f jpg", "f-jpg", Chain{{Format: FormatJPEG}}},
		{"f jpeg", "f-jpeg", Chain{{Format: FormatJPEG}}},
		{"f png", "f-png", Chain{{Format: FormatPNG}}},
		{"f webp", "f-webp", Chain{{Format: FormatWebP}}},
		{"f avif", "f-avif", Chain{{Format: FormatAVIF}}},
		{"f gif", "f-gif", Chain{{Format: FormatGIF}}},
		{"f orig", "f-orig", Chain{{Format: FormatOriginal}}},
		{"dpr 1 is default", "dpr-1", nil},
		{"dpr 1.0 is default", "dpr-1.0", nil},
		{"dpr min", "dpr-0.1", Chain{{DPR: 0.1}}},
		{"dpr max", "dpr-5", Chain{{DPR: 5}}},
		{"dpr 2.5", "dpr-2.5,w-100", Chain{{Width: dimPx(100), DPR: 2.5}}},

		// rt.
		{"rt 0", "rt-0", nil},
		{"rt 90", "rt-90", Chain{{Rotate: 90}}},
		{"rt 180", "rt-180", Chain{{Rotate: 180}}},
		{"rt 270", "rt-270", Chain{{Rotate: 270}}},
		{"rt 360", "rt-360", nil},
		{"rt auto", "rt-auto", nil},
		{"rt N90", "rt-N90", Chain{{Rotate: 270}}},
		{"rt N360", "rt-N360", nil},
		{"rt 45", "rt-45", Chain{{Rotate: 45}}},
		{"rt 725", "rt-725", Chain{{Rotate: 5}}},
		{"rt N45", "rt-N45", Chain{{Rotate: 315}}},
		{"rt huge", "rt-" + strings.Repeat("9", 40), Chain{{Rotate: 279}}},

		// fl.
		{"fl h", "fl-h", Chain{{Flip: FlipHorizontal}}},
		{"fl v", "fl-v", Chain{{Flip: FlipVertical}}},
		{"fl h_v", "fl-h_v", Chain{{Flip: FlipBoth}}},
		{"fl v_h", "fl-v_h", Chain{{Flip: FlipBoth}}},

		// bg.
		{"bg hex", "bg-F3F3F3", Chain{{Background: Color{0xF3, 0xF3, 0xF3, 100, true}}}},
		{"bg lower hex", "bg-ff0000", Chain{{Background: red}}},
		{"bg opacity", "bg-FF000050", Chain{{Background: Color{0xFF, 0, 0, 50, true}}}},
		{"bg opacity 00", "bg-FF000000", Chain{{Background: Color{0xFF, 0, 0, 0, true}}}},
		{"bg opacity 99", "bg-FF000099", Chain{{Background: Color{0xFF, 0, 0, 99, true}}}},
		{"bg name", "bg-red", Chain{{Background: red}}},
		{"bg name any case", "bg-RebeccaPurple", Chain{{Background: Color{0x66, 0x33, 0x99, 100, true}}}},
		{"bg black is explicit", "bg-black", Chain{{Background: Color{Opacity: 100, Set: true}}}},
		{"bg transparent", "bg-transparent", Chain{{Background: Color{Set: true}}}},

		// b.
		{"b hex", "b-5_FF0000", Chain{{Border: Border{5, red}}}},
		{"b opacity", "b-1_00FF0010", Chain{{Border: Border{1, Color{0, 0xFF, 0, 10, true}}}}},
		{"b name", "b-2_Red", Chain{{Border: Border{2, red}}}},

		// r.
		{"r all", "r-20", Chain{{Radius: Radius{TopLeft: 20, TopRight: 20, BottomRight: 20, BottomLeft: 20}}}},
		{"r max", "r-max", Chain{{Radius: Radius{Max: true}}}},
		{"r corners", "r-10_20_30_40", Chain{{Radius: Radius{TopLeft: 10, TopRight: 20, BottomRight: 30, BottomLeft: 40}}}},
		{"r zero", "r-0", nil},
		{"r zero corners", "r-0_0_0_0", nil},

		// bl, effects.
		{"bl min", "bl-1", Chain{{Blur: 1}}},
		{"bl max", "bl-100", Chain{{Blur: 100}}},
		{"e-grayscale", "e-grayscale", Chain{{Grayscale: true}}},
		{"e-contrast", "e-contrast", Chain{{Contrast: true}}},
		{"e-sharpen", "e-sharpen", Chain{{Sharpen: Sharpen{On: true}}}},
		{"e-sharpen-10", "e-sharpen-10", Chain{{Sharpen: Sharpen{On: true, Strength: 10}}}},
		{"e-sharpen last wins", "e-sharpen-10,e-sharpen", Chain{{Sharpen: Sharpen{On: true}}}},
		{"e-usm", "e-usm-2-2-0.8-0.024", Chain{{USM: USM{Radius: 2, Sigma: 2, Amount: 0.8, Threshold: 0.024, On: true}}}},
		{"e-usm zero radius threshold", "e-usm-0-1-1-0", Chain{{USM: USM{Sigma: 1, Amount: 1, On: true}}}},
		{"effects together", "e-grayscale,e-contrast", Chain{{Grayscale: true, Contrast: true}}},

		// t.
		{"t true", "t-true", Chain{{Trim: Trim{On: true, Tolerance: 10}}}},
		{"t default tolerance", "t-10", Chain{{Trim: Trim{On: true, Tolerance: 10}}}},
		{"t 1", "t-1", Chain{{Trim: Trim{On: true, Tolerance: 1}}}},
		{"t 99", "t-99", Chain{{Trim: Trim{On: true, Tolerance: 99}}}},

		// Booleans.
		{"pr true", "pr-true", Chain{{Progressive: true}}},
		{"pr false", "pr-false", nil},
		{"lo true", "lo-true", Chain{{Lossless: true}}},
		{"lo false", "lo-false", nil},
		{"md true", "md-true", Chain{{Metadata: true}}},
		{"md false", "md-false", nil},
		{"cp true", "cp-true", Chain{{ColorProfile: true}}},
		{"cp false", "cp-false", nil},
		{"orig true", "orig-true", Chain{{Original: true}}},
		{"orig false", "orig-false", nil},
		{"bool last wins", "pr-true,pr-false", nil},

		// n, di.
		{"n", "n-thumb", Chain{{Named: "thumb"}}},
		{"n with dash", "n-media_library-thumb.v2", Chain{{Named: "media_library-thumb.v2"}}},
		{"di", "di-@@defaults@@missing.jpg", Chain{{DefaultImage: "/defaults/missing.jpg"}}},
		{"di relative", "di-default-image.jpg", Chain{{DefaultImage: "default-image.jpg"}}},
		{"di at sign", "di-a@b.jpg", Chain{{DefaultImage: "a@b.jpg"}}},

		// Dropped steps.
		{"all-default step dropped", "w-100:c-maintain_ratio,fo-center:h-50", Chain{{Width: dimPx(100)}, {Height: dimPx(50)}}},
		{"all-default chain", "f-auto:dpr-1:rt-360", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// dimPx returns a Dimension of n pixels.
func dimPx(n int) Dimension { return Dimension{Pixels: n} }

func TestParseEqualsZero(t *testing.T) {
	for _, in := range []string{"", "c-maintain_ratio", "fo-center,f-auto,rt-0,pr-false,lo-false,md-false,cp-false,dpr-1", "rt-auto:rt-360"} {
		got, err := Parse(in)
		if err != nil || len(got) != 0 || got != nil {
			t.Errorf("Parse(%q) = %#v, %v, want nil, nil", in, got, err)
		}
		if s := got.String(); s != "" {
			t.Errorf("Parse(%q).String() = %q, want \"\"", in, s)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		err     error
		param   string
		allowed []string // nil: not checked
	}{
		// Structure.
		{"empty parameter", "w-1,,h-2", ErrInvalidValue, "", nil},
		{"empty step", "w-1::h-2", ErrInvalidValue, "", nil},
		{"leading colon", ":w-1", ErrInvalidValue, "", nil},
		{"trailing colon", "w-1:", ErrInvalidValue, "", nil},
		{"trailing comma", "w-1,", ErrInvalidValue, "", nil},
		{"only colon", ":", ErrInvalidValue, "", nil},
		{"only comma", ",", ErrInvalidValue, "", nil},
		{"error in second step", "w-1:q-0", ErrInvalidValue, "q", nil},
		{"earlier bad value is not hidden by last wins", "w-x,w-1", ErrInvalidValue, "w", nil},

		// Unknown.
		{"unknown key", "foo-1", ErrUnknownParam, "foo", nil},
		{"key is case-sensitive", "W-300", ErrUnknownParam, "W", nil},
		{"empty key", "-5", ErrUnknownParam, "", nil},
		{"space", "w-1, h-2", ErrUnknownParam, " h", nil},
		{"tr prefix", "tr:w-1", ErrUnknownParam, "tr", nil},
		{"unknown effect", "e-foo", ErrUnknownParam, "e-foo", allowedEffects},

		// w, h.
		{"w missing", "w", ErrInvalidValue, "w", allowedDimension},
		{"w empty", "w-", ErrInvalidValue, "w", allowedDimension},
		{"w zero", "w-0", ErrInvalidValue, "w", allowedDimension},
		{"w zero decimal", "w-0.0", ErrInvalidValue, "w", allowedDimension},
		{"w too large", "w-100001", ErrInvalidValue, "w", allowedDimension},
		{"w overflow", "w-99999999999999999999999999", ErrInvalidValue, "w", allowedDimension},
		{"w decimal over 1", "w-1.5", ErrInvalidValue, "w", allowedDimension},
		{"w negative", "w-N1", ErrInvalidValue, "w", allowedDimension},
		{"w minus", "w--1", ErrInvalidValue, "w", allowedDimension},
		{"w plus", "w-+1", ErrInvalidValue, "w", allowedDimension},
		{"w exponent", "w-1e2", ErrInvalidValue, "w", allowedDimension},
		{"w hex", "w-0x10", ErrInvalidValue, "w", allowedDimension},
		{"w inf", "w-Inf", ErrInvalidValue, "w", allowedDimension},
		{"w nan", "w-NaN", ErrInvalidValue, "w", allowedDimension},
		{"w trailing dot", "w-5.", ErrInvalidValue, "w", allowedDimension},
		{"w two dots", "w-0.1.2", ErrInvalidValue, "w", allowedDimension},
		{"w underscore", "w-1_000", ErrInvalidValue, "w", allowedDimension},
		{"w word", "w-abc", ErrInvalidValue, "w", allowedDimension},
		{"h zero", "h-0", ErrInvalidValue, "h", allowedDimension},
		{"h too large", "h-200000", ErrInvalidValue, "h", allowedDimension},

		// ar.
		{"ar alone", "ar-16-9", ErrInvalidValue, "ar", nil},
		{"ar alone after default", "ar-4-3,c-force", ErrInvalidValue, "ar", nil},
		{"ar one term", "w-1,ar-16", ErrInvalidValue, "ar", allowedRatio},
		{"ar three terms", "w-1,ar-16-9-1", ErrInvalidValue, "ar", allowedRatio},
		{"ar zero", "w-1,ar-0-9", ErrInvalidValue, "ar", allowedRatio},
		{"ar negative", "w-1,ar-N1-9", ErrInvalidValue, "ar", allowedRatio},
		{"ar underscore", "w-1,ar-16_9", ErrInvalidValue, "ar", allowedRatio},
		{"ar huge", "w-1,ar-1000000-1", ErrInvalidValue, "ar", allowedRatio},

		// c, cm, fo.
		{"c unknown", "c-fit", ErrInvalidValue, "c", cropNames[:]},
		{"c case", "c-AT_MAX", ErrInvalidValue, "c", cropNames[:]},
		{"cm unknown", "cm-none", ErrInvalidValue, "cm", cropModeNames[1:]},
		{"cm missing", "cm", ErrInvalidValue, "cm", cropModeNames[1:]},
		{"fo unknown", "fo-middle", ErrInvalidValue, "fo", focusNames[:]},

		// x, y, xc, yc.
		{"x without cm", "x-10", ErrInvalidValue, "x", nil},
		{"y with pad_resize", "cm-pad_resize,y-10", ErrInvalidValue, "y", nil},
		{"xc without cm", "xc-10", ErrInvalidValue, "xc", nil},
		{"yc without cm", "yc-10", ErrInvalidValue, "yc", nil},
		{"x with xc", "cm-extract,x-1,xc-2", ErrInvalidValue, "xc", nil},
		{"y with yc", "cm-extract,yc-2,y-1", ErrInvalidValue, "yc", nil},
		{"x negative", "cm-extract,x-N1", ErrInvalidValue, "x", allowedCoord},
		{"x too large", "cm-extract,x-100001", ErrInvalidValue, "x", allowedCoord},
		{"x decimal", "cm-extract,x-1.5", ErrInvalidValue, "x", allowedCoord},

		// q, bl, dpr, rt, fl, f.
		{"q zero", "q-0", ErrInvalidValue, "q", allowedPercent},
		{"q 101", "q-101", ErrInvalidValue, "q", allowedPercent},
		{"q word", "q-high", ErrInvalidValue, "q", allowedPercent},
		{"bl zero", "bl-0", ErrInvalidValue, "bl", allowedPercent},
		{"bl 101", "bl-101", ErrInvalidValue, "bl", allowedPercent},
		{"dpr too small", "dpr-0.09", ErrInvalidValue, "dpr", allowedDPR},
		{"dpr zero", "dpr-0", ErrInvalidValue, "dpr", allowedDPR},
		{"dpr too large", "dpr-5.01", ErrInvalidValue, "dpr", allowedDPR},
		{"dpr word", "dpr-x", ErrInvalidValue, "dpr", allowedDPR},
		{"rt minus", "rt--90", ErrInvalidValue, "rt", allowedRotate},
		{"rt decimal", "rt-90.5", ErrInvalidValue, "rt", allowedRotate},
		{"rt N alone", "rt-N", ErrInvalidValue, "rt", allowedRotate},
		{"rt missing", "rt", ErrInvalidValue, "rt", allowedRotate},
		{"fl unknown", "fl-x", ErrInvalidValue, "fl", allowedFlip},
		{"fl both twice", "fl-h_h", ErrInvalidValue, "fl", allowedFlip},
		{"f unknown", "f-bmp", ErrInvalidValue, "f", allowedFormat},
		{"f case", "f-JPG", ErrInvalidValue, "f", allowedFormat},

		// bg, b.
		{"bg short hex", "bg-FFF", ErrInvalidValue, "bg", allowedColor},
		{"bg bad hex", "bg-GG0000", ErrInvalidValue, "bg", allowedColor},
		{"bg hex alpha", "bg-FF0000AA", ErrInvalidValue, "bg", allowedColor},
		{"bg seven digits", "bg-FF00000", ErrInvalidValue, "bg", allowedColor},
		{"bg unknown name", "bg-reddish", ErrInvalidValue, "bg", allowedColor},
		{"bg missing", "bg", ErrInvalidValue, "bg", allowedColor},
		{"bg hash", "bg-#FF0000", ErrInvalidValue, "bg", allowedColor},
		{"b no colour", "b-5", ErrInvalidValue, "b", allowedBorder},
		{"b zero", "b-0_FF0000", ErrInvalidValue, "b", allowedBorder},
		{"b too wide", "b-100001_FF0000", ErrInvalidValue, "b", allowedBorder},
		{"b bad colour", "b-5_XX0000", ErrInvalidValue, "b", allowedBorder},
		{"b bad width", "b-x_FF0000", ErrInvalidValue, "b", allowedBorder},

		// r.
		{"r two corners", "r-10_20", ErrInvalidValue, "r", allowedRadius},
		{"r five corners", "r-1_2_3_4_5", ErrInvalidValue, "r", allowedRadius},
		{"r empty corner", "r-1__3_4", ErrInvalidValue, "r", allowedRadius},
		{"r negative", "r-N5", ErrInvalidValue, "r", allowedRadius},
		{"r too large", "r-100001", ErrInvalidValue, "r", allowedRadius},
		{"r corner too large", "r-1_2_3_100001", ErrInvalidValue, "r", allowedRadius},
		{"r word", "r-round", ErrInvalidValue, "r", allowedRadius},

		// Effects.
		{"e missing", "e", ErrInvalidValue, "e", allowedEffects},
		{"e empty", "e-", ErrInvalidValue, "e", allowedEffects},
		{"e-grayscale value", "e-grayscale-true", ErrInvalidValue, "e-grayscale", nil},
		{"e-contrast value", "e-contrast-5", ErrInvalidValue, "e-contrast", nil},
		{"e-sharpen zero", "e-sharpen-0", ErrInvalidValue, "e-sharpen", allowedPercent},
		{"e-sharpen 101", "e-sharpen-101", ErrInvalidValue, "e-sharpen", allowedPercent},
		{"e-sharpen empty", "e-sharpen-", ErrInvalidValue, "e-sharpen", allowedPercent},
		{"e-usm missing", "e-usm", ErrInvalidValue, "e-usm", allowedUSM},
		{"e-usm three", "e-usm-2-2-0.8", ErrInvalidValue, "e-usm", allowedUSM},
		{"e-usm five", "e-usm-2-2-0.8-0.02-1", ErrInvalidValue, "e-usm", allowedUSM},
		{"e-usm zero sigma", "e-usm-2-0-0.8-0.02", ErrInvalidValue, "e-usm", allowedUSM},
		{"e-usm zero amount", "e-usm-2-2-0-0.02", ErrInvalidValue, "e-usm", allowedUSM},
		{"e-usm threshold", "e-usm-2-2-1-1.5", ErrInvalidValue, "e-usm", allowedUSM},
		{"e-usm radius", "e-usm-101-2-1-0", ErrInvalidValue, "e-usm", allowedUSM},
		{"e-usm word", "e-usm-a-b-c-d", ErrInvalidValue, "e-usm", allowedUSM},

		// t, booleans, n, di.
		{"t zero", "t-0", ErrInvalidValue, "t", allowedTrim},
		{"t 100", "t-100", ErrInvalidValue, "t", allowedTrim},
		{"t false", "t-false", ErrInvalidValue, "t", allowedTrim},
		{"pr yes", "pr-yes", ErrInvalidValue, "pr", allowedBool},
		{"lo missing", "lo", ErrInvalidValue, "lo", allowedBool},
		{"md TRUE", "md-TRUE", ErrInvalidValue, "md", allowedBool},
		{"cp 1", "cp-1", ErrInvalidValue, "cp", allowedBool},
		{"orig 1", "orig-1", ErrInvalidValue, "orig", allowedBool},
		{"n missing", "n", ErrInvalidValue, "n", allowedNamed},
		{"n bad character", "n-a b", ErrInvalidValue, "n", allowedNamed},
		{"n at sign", "n-a@b", ErrInvalidValue, "n", allowedNamed},
		{"di missing", "di-", ErrInvalidValue, "di", allowedPath},
		{"di slash", "di-a/b.jpg", ErrInvalidValue, "di", allowedPath},
		{"di backslash", `di-a\b.jpg`, ErrInvalidValue, "di", allowedPath},
		{"di dot dot", "di-@@..@@etc@@passwd", ErrInvalidValue, "di", allowedPath},
		{"di dot dot first", "di-..@@x.jpg", ErrInvalidValue, "di", allowedPath},
		{"di dot dot alone", "di-..", ErrInvalidValue, "di", allowedPath},
		{"di control", "di-a\x00.jpg", ErrInvalidValue, "di", allowedPath},

		// Later phases.
		{"l-image", "l-image,i-logo.png,l-end", ErrNotSupportedYet, "l", nil},
		{"l-text", "l-text", ErrNotSupportedYet, "l", nil},
		{"l-end", "l-end", ErrNotSupportedYet, "l", nil},
		{"l", "l", ErrNotSupportedYet, "l", nil},
		{"i", "i-logo.png", ErrNotSupportedYet, "i", nil},
		{"ie", "ie-bG9nbw==", ErrNotSupportedYet, "ie", nil},
		{"lx", "lx-10", ErrNotSupportedYet, "lx", nil},
		{"ly", "ly-N10", ErrNotSupportedYet, "ly", nil},
		{"lfo", "lfo-top", ErrNotSupportedYet, "lfo", nil},
		{"i-ik_canvas", "i-ik_canvas", ErrNotSupportedYet, "i", nil},
		{"legacy overlay", "oi-logo.png", ErrNotSupportedYet, "oi", nil},
		{"e-shadow", "e-shadow", ErrNotSupportedYet, "e-shadow", nil},
		{"e-shadow args", "e-shadow-bl-15_st-40", ErrNotSupportedYet, "e-shadow", nil},
		{"e-gradient", "e-gradient", ErrNotSupportedYet, "e-gradient", nil},
		{"e-distort", "e-distort-p-10", ErrNotSupportedYet, "e-distort", nil},
		{"o", "o-50", ErrNotSupportedYet, "o", nil},
		{"z", "z-0.5", ErrNotSupportedYet, "z", nil},
		{"fo-face", "fo-face", ErrNotSupportedYet, "fo", nil},
		{"fo-custom", "fo-custom", ErrNotSupportedYet, "fo", nil},
		{"bg-blurred", "bg-blurred", ErrNotSupportedYet, "bg", nil},
		{"bg-blurred args", "bg-blurred_25_N15", ErrNotSupportedYet, "bg", nil},
		{"bg-dominant", "bg-dominant", ErrNotSupportedYet, "bg", nil},
		{"bg-gradient", "bg-gradient_dominant_2", ErrNotSupportedYet, "bg", nil},
		{"w-auto", "w-auto", ErrNotSupportedYet, "w", nil},
		{"h-auto", "h-auto", ErrNotSupportedYet, "h", nil},
		{"dpr-auto", "dpr-auto", ErrNotSupportedYet, "dpr", nil},
		{"if", "if-w_gt_300,w-300,if-end", ErrNotSupportedYet, "if", nil},
		{"if-else", "if-else", ErrNotSupportedYet, "if", nil},
		{"if-end", "if-end", ErrNotSupportedYet, "if", nil},
		{"arithmetic w", "w-iw_div_2", ErrNotSupportedYet, "w", nil},
		{"arithmetic h", "h-ih_mul_0.5", ErrNotSupportedYet, "h", nil},
		{"arithmetic x", "cm-extract,x-bw_sub_10", ErrNotSupportedYet, "x", nil},
		{"arithmetic r", "r-iw_div_2", ErrNotSupportedYet, "r", nil},
		{"arithmetic b", "b-bw_div_10_FF0000", ErrNotSupportedYet, "b", nil},
		{"arithmetic ar", "w-1,ar-iar_mul_2-1", ErrNotSupportedYet, "ar", nil},
		{"arithmetic variable", "w-cw", ErrNotSupportedYet, "w", nil},
		{"arithmetic mod", "w-100_mod_3", ErrNotSupportedYet, "w", nil},
		{"arithmetic pow", "h-car_pow_2", ErrNotSupportedYet, "h", nil},
		{"arithmetic add", "w-idu_add_1", ErrNotSupportedYet, "w", nil},
		{"pg", "pg-2", ErrNotSupportedYet, "pg", nil},
		{"f-mp4", "f-mp4", ErrNotSupportedYet, "f", nil},
		{"f-webm", "f-webm", ErrNotSupportedYet, "f", nil},

		// Not planned.
		{"e-bgremove", "e-bgremove", ErrNotSupported, "e-bgremove", nil},
		{"e-removedotbg", "e-removedotbg", ErrNotSupported, "e-removedotbg", nil},
		{"e-changebg", "e-changebg-prompt-snow", ErrNotSupported, "e-changebg", nil},
		{"e-edit", "e-edit-prompt-hat", ErrNotSupported, "e-edit", nil},
		{"e-genvar", "e-genvar", ErrNotSupported, "e-genvar", nil},
		{"e-dropshadow", "e-dropshadow", ErrNotSupported, "e-dropshadow", nil},
		{"e-retouch", "e-retouch", ErrNotSupported, "e-retouch", nil},
		{"e-upscale", "e-upscale", ErrNotSupported, "e-upscale", nil},
		{"e-genfill", "e-genfill", ErrNotSupported, "e-genfill", nil},
		{"bg-genfill", "bg-genfill", ErrNotSupported, "bg", nil},
		{"bg-genfill prompt", "bg-genfill-prompt-sky", ErrNotSupported, "bg", nil},
		{"ac", "ac-none", ErrNotSupported, "ac", nil},
		{"vc", "vc-h264", ErrNotSupported, "vc", nil},
		{"so", "so-5", ErrNotSupported, "so", nil},
		{"eo", "eo-10", ErrNotSupported, "eo", nil},
		{"du", "du-5", ErrNotSupported, "du", nil},
		{"sr", "sr-240_360", ErrNotSupported, "sr", nil},
		{"fps", "fps-30", ErrNotSupported, "fps", nil},
		{"vb", "vb-500", ErrNotSupported, "vb", nil},
		{"l-video", "l-video", ErrNotSupported, "l", nil},
	}
	sentinels := []error{ErrUnknownParam, ErrInvalidValue, ErrNotSupportedYet, ErrNotSupported}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, nil, want error %v", tt.in, got, tt.err)
			}
			if got != nil {
				t.Errorf("Parse(%q) returned a chain with an error: %v", tt.in, got)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("Parse(%q) error = %v, want errors.Is %v", tt.in, err, tt.err)
			}
			for _, s := range sentinels {
				if s != tt.err && errors.Is(err, s) {
					t.Errorf("Parse(%q) error = %v, also matches %v", tt.in, err, s)
				}
			}
			var pe *ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error = %T, want *ParamError", tt.in, err)
			}
			if pe.Param != tt.param {
				t.Errorf("Parse(%q) error Param = %q, want %q", tt.in, pe.Param, tt.param)
			}
			if tt.allowed != nil {
				if diff := cmp.Diff(tt.allowed, pe.Allowed); diff != "" {
					t.Errorf("Parse(%q) error Allowed mismatch (-want +got):\n%s", tt.in, diff)
				}
			}
			if msg := err.Error(); msg == "" || (tt.param != "" && !strings.Contains(msg, tt.param)) {
				t.Errorf("Parse(%q) error message %q does not name %q", tt.in, msg, tt.param)
			}
		})
	}
}

func TestParamErrorMessage(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"q-101", `"q-101": invalid value: out of range (allowed: 1-100)`},
		{"c-fit", `"c-fit": invalid value (allowed: maintain_ratio, force, at_max, at_max_enlarge, at_least)`},
		{"foo-1", `"foo-1": unknown parameter`},
		{"l-image", `"l-image": not supported yet: layers`},
		{"e-bgremove", `"e-bgremove": not supported: AI transformation`},
		{"w-iw_div_2", `"w-iw_div_2": not supported yet: arithmetic values`},
		{"ar-16-9", `"ar-16-9": invalid value: ar needs w or h`},
		{"x-5", `"x-5": invalid value: x needs cm-extract or cm-pad_extract`},
		{"w-1,,h-1", `invalid value: empty parameter (two ',' in a row, or a ',' at either end of a step)`},
		{"n-a\nb", `"n-a\nb": invalid value: bad character in name (allowed: letters, digits, '_', '-' and '.')`},
		{"n-" + strings.Repeat("a", 100), `"n-` + strings.Repeat("a", 62) + `...": invalid value: bad character in name (allowed: letters, digits, '_', '-' and '.')`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if err == nil {
			// The long name is valid; build its error by hand.
			err = invalidValue("n", tt.in[2:], "bad character in name", allowedNamed)
		}
		if got := err.Error(); got != tt.want {
			t.Errorf("Parse(%q) error = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParamErrorAllowedIsCopied(t *testing.T) {
	_, err := Parse("q-0")
	var pe *ParamError
	if !errors.As(err, &pe) {
		t.Fatalf("Parse(%q) error = %v, want *ParamError", "q-0", err)
	}
	pe.Allowed[0] = "changed"
	if allowedPercent[0] != "1-100" {
		t.Fatalf("modifying ParamError.Allowed changed the package table: %q", allowedPercent[0])
	}
}

func TestChainString(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"c-maintain_ratio", ""},
		{"w-300,h-200", "w-300,h-200"},
		{"h-200,w-300", "w-300,h-200"},
		{"w-0.50", "w-0.5"},
		{"w-.5", "w-0.5"},
		{"w-300.0", "w-300"},
		{"w-0300", "w-300"},
		{"f-jpeg", "f-jpg"},
		{"bg-ff00aa", "bg-FF00AA"},
		{"bg-white", "bg-FFFFFF"},
		{"bg-transparent", "bg-00000000"},
		{"bg-ff00aa05", "bg-FF00AA05"},
		{"rt-N90", "rt-270"},
		{"rt-auto,w-1", "w-1"},
		{"fl-v_h", "fl-h_v"},
		{"r-5_5_5_5", "r-5"},
		{"r-1_2_3_4", "r-1_2_3_4"},
		{"r-max", "r-max"},
		{"t-10", "t-true"},
		{"t-20", "t-20"},
		{"dpr-2.50", "dpr-2.5"},
		{"dpr-1,w-10", "w-10"},
		{"w-100,ar-32-18", "w-100,ar-16-9"},
		{"w-100,ar-1.50-1", "w-100,ar-1.5-1"},
		{"w-1,h-1,ar-4-3", "w-1,h-1"},
		{"e-usm-2.0-2-0.80-0.024", "e-usm-2-2-0.8-0.024"},
		{"e-sharpen-10", "e-sharpen-10"},
		{"b-5_red", "b-5_FF0000"},
		{"di-@@a@@b.jpg", "di-@@a@@b.jpg"},
		{"pr-true,pr-false,lo-true", "lo-true"},
		{"w-100:c-maintain_ratio:h-100", "w-100:h-100"},
		{
			"di-x.jpg,n-thumb,orig-true,cp-true,md-true,lo-true,pr-true,q-80,f-webp,bg-000000," +
				"b-2_FFFFFF,r-10,e-grayscale,e-contrast,e-usm-1-1-1-0,e-sharpen,bl-5,fl-h,rt-90,dpr-2," +
				"yc-4,xc-3,cm-extract,fo-top,c-force,h-200,w-300,t-true",
			"t-true,w-300,h-200,c-force,cm-extract,fo-top,xc-3,yc-4,dpr-2,rt-90,fl-h,bl-5," +
				"e-sharpen,e-usm-1-1-1-0,e-contrast,e-grayscale,r-10,b-2_FFFFFF,bg-000000,f-webp,q-80," +
				"pr-true,lo-true,md-true,cp-true,orig-true,n-thumb,di-x.jpg",
		},
		{"cm-pad_extract,y-2,x-1,w-5,h-5", "w-5,h-5,cm-pad_extract,x-1,y-2"},
	}
	for _, tt := range tests {
		c, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q) error: %v", tt.in, err)
			continue
		}
		if got := c.String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStepStringHandBuilt(t *testing.T) {
	tests := []struct {
		name string
		c    Chain
		want string
	}{
		{"nil", nil, ""},
		{"empty", Chain{}, ""},
		{"zero steps skipped", Chain{{}, {Width: dimPx(1)}, {}, {Height: dimPx(2)}, {}}, "w-1:h-2"},
		{"step writing nothing skipped", Chain{{DPR: 1}, {Width: dimPx(1)}, {DPR: 1}}, "w-1"},
		{"pixels win over fraction", Chain{{Width: Dimension{Pixels: 10, Fraction: 0.5}}}, "w-10"},
		{"negative rotation", Chain{{Rotate: -90}}, "rt-N90"},
		{"border without colour", Chain{{Border: Border{Width: 3}}}, "b-3_000000"},
		{"trim default tolerance", Chain{{Trim: Trim{On: true}}}, "t-true"},
		{"di with slashes", Chain{{DefaultImage: "a/b/c.png"}}, "di-a@@b@@c.png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.String(); got != tt.want {
				t.Errorf("%#v.String() = %q, want %q", tt.c, got, tt.want)
			}
		})
	}
	if got := (Step{}).String(); got != "" {
		t.Errorf("Step{}.String() = %q, want \"\"", got)
	}
}

// TestURLAPIExamples parses the examples of the URL API.
func TestURLAPIExamples(t *testing.T) {
	for _, in := range []string{
		"w-300,h-200",
		"w-300:rt-90",
		"w-300,h-200,c-at_max",
		"w-300,h-200,c-at_least",
		"w-300,h-200,c-force",
		"w-300,h-200,cm-pad_resize,bg-F3F3F3",
		"w-300,h-200,cm-pad_resize,fo-left",
		"w-200,h-200,cm-extract",
		"w-700,h-700,cm-pad_extract",
		"e-grayscale",
		"b-5_FF0000",
		"r-10_20_30_40",
		"e-usm-2-2-0.8-0.024",
		"e-sharpen-10",
		"rt-N90",
		"di-@@defaults@@missing.jpg",
		"h-300,ar-16-9",
		"w-300,h-200,c-maintain_ratio,fo-auto",
		"w-0.5,q-80,f-auto",
		"dpr-2,w-300",
		"t-true",
		"t-20,pr-true,lo-true,md-true,cp-true",
		"orig-true",
		"n-thumbnail",
		"bl-10,r-max,bg-white",
	} {
		c, err := Parse(in)
		if err != nil {
			t.Errorf("Parse(%q) error: %v", in, err)
			continue
		}
		if len(c) == 0 {
			t.Errorf("Parse(%q) = empty chain", in)
		}
	}
}

func TestEnumString(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{CropMaintainRatio.String(), "maintain_ratio"},
		{CropForce.String(), "force"},
		{CropAtMax.String(), "at_max"},
		{CropAtMaxEnlarge.String(), "at_max_enlarge"},
		{CropAtLeast.String(), "at_least"},
		{Crop(99).String(), "Crop(99)"},
		{CropModeNone.String(), "none"},
		{CropModePadResize.String(), "pad_resize"},
		{CropModeExtract.String(), "extract"},
		{CropModePadExtract.String(), "pad_extract"},
		{CropMode(9).String(), "CropMode(9)"},
		{FocusCenter.String(), "center"},
		{FocusTopLeft.String(), "top_left"},
		{FocusBottomRight.String(), "bottom_right"},
		{FocusAuto.String(), "auto"},
		{Focus(42).String(), "Focus(42)"},
		{FormatAuto.String(), "auto"},
		{FormatJPEG.String(), "jpg"},
		{FormatPNG.String(), "png"},
		{FormatGIF.String(), "gif"},
		{FormatWebP.String(), "webp"},
		{FormatAVIF.String(), "avif"},
		{FormatOriginal.String(), "orig"},
		{FormatBMP.String(), "bmp"},
		{FormatTIFF.String(), "tiff"},
		{FormatSVG.String(), "svg"},
		{FormatHEIF.String(), "heif"},
		{FormatJXL.String(), "jxl"},
		{Format(200).String(), "Format(200)"},
		{FlipNone.String(), "none"},
		{FlipHorizontal.String(), "h"},
		{FlipVertical.String(), "v"},
		{FlipBoth.String(), "h_v"},
		{Flip(7).String(), "Flip(7)"},
		{Color{R: 1, G: 0xAB, B: 0xFF, Opacity: 100, Set: true}.String(), "01ABFF"},
		{Color{R: 1, G: 0xAB, B: 0xFF, Opacity: 7, Set: true}.String(), "01ABFF07"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("String() = %q, want %q", tt.got, tt.want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{
		"auto": FormatAuto, "jpg": FormatJPEG, "jpeg": FormatJPEG, "png": FormatPNG,
		"webp": FormatWebP, "avif": FormatAVIF, "gif": FormatGIF, "orig": FormatOriginal,
	} {
		got, err := ParseFormat(in)
		if err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %v, %v, want %v, nil", in, got, err, want)
		}
	}
	for in, want := range map[string]error{"": ErrInvalidValue, "tiff": ErrInvalidValue, "mp4": ErrNotSupportedYet} {
		if _, err := ParseFormat(in); !errors.Is(err, want) {
			t.Errorf("ParseFormat(%q) error = %v, want %v", in, err, want)
		}
	}
}

func TestParseColor(t *testing.T) {
	tests := []struct {
		in   string
		want Color
	}{
		{"000000", Color{Opacity: 100, Set: true}},
		{"aBcDeF", Color{0xAB, 0xCD, 0xEF, 100, true}},
		{"FFFFFF00", Color{0xFF, 0xFF, 0xFF, 0, true}},
		{"12345642", Color{0x12, 0x34, 0x56, 42, true}},
		{"white", Color{0xFF, 0xFF, 0xFF, 100, true}},
		{"LightGoldenrodYellow", Color{0xFA, 0xFA, 0xD2, 100, true}},
		{"grey", Color{0x80, 0x80, 0x80, 100, true}},
		{"TRANSPARENT", Color{Set: true}},
		{"beaded", Color{0xBE, 0xAD, 0xED, 100, true}},
	}
	for _, tt := range tests {
		got, err := ParseColor(tt.in)
		if err != nil {
			t.Errorf("ParseColor(%q) error: %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseColor(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
	for _, in := range []string{"", "F", "FFFFF", "FFFFFFF", "FFFFFF1", "FFFFFFFFF", "FFFFFFA0", "notacolour", "lightgoldenrodyellowx", "#FFFFFF"} {
		_, err := ParseColor(in)
		var pe *ParamError
		if !errors.Is(err, ErrInvalidValue) || !errors.As(err, &pe) || pe.Param != "bg" {
			t.Errorf("ParseColor(%q) error = %v, want a bg ErrInvalidValue", in, err)
		}
	}
	if n := len(cssColors); n != 148 {
		t.Errorf("len(cssColors) = %d, want 148", n)
	}
	for name := range cssColors {
		if len(name) > maxColorName || strings.ToLower(name) != name {
			t.Errorf("colour name %q: longer than %d or not lower case", name, maxColorName)
		}
	}
}

func TestParseAllocs(t *testing.T) {
	for _, in := range []string{
		"w-300,h-200,c-at_max",
		"w-300,h-200,cm-pad_resize,bg-F3F3F3,f-webp,q-75:rt-90",
		"n-thumbnail,di-@@defaults@@missing.jpg",
	} {
		in := in
		if n := testing.AllocsPerRun(100, func() {
			if _, err := Parse(in); err != nil {
				t.Fatal(err)
			}
		}); n > 2 {
			t.Errorf("Parse(%q) allocates %v times, want at most 2", in, n)
		}
	}
	c, _ := Parse("w-300,h-200,c-at_max")
	if n := testing.AllocsPerRun(100, func() { _ = c.String() }); n > 1 {
		t.Errorf("Chain.String allocates %v times, want at most 1", n)
	}
}
