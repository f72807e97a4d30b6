package pipeline

import (
	"errors"
	"fmt"
	"image"
	"math"
)

// ErrExtractOutside is returned (wrapped in a *ParamError) when cm-extract
// asks for a region that is not wholly inside the source image.
var ErrExtractOutside = errors.New("extract region outside the image")

// maxPlanSide bounds every planned dimension so that no arithmetic overflows;
// [Options] applies the real, configurable output limits.
const maxPlanSide = 1 << 24

// Plan is the geometry of one step: which region of the source is kept, the
// size it is scaled to, and the canvas it is placed on. A Plan is a plain
// value computed by [PlanStep] from sizes alone, without pixels.
//
// Applying a plan means: cut Crop out of the source, scale it to Resize, and
// draw it at Offset on a Canvas-sized image filled with the background.
type Plan struct {
	// Crop is the region of the source that is kept, in source pixels.
	Crop image.Rectangle
	// Resize is the size the cropped region is scaled to. It equals
	// Crop.Size() when the step does not scale.
	Resize image.Point
	// Canvas is the output size. It equals Resize unless the step pads.
	Canvas image.Point
	// Offset is where the top-left corner of the resized region sits on
	// the canvas.
	Offset image.Point
	// AutoFocus reports that the crop position is to be chosen from the
	// image content (fo-auto). Crop is centred until then; only its
	// position may change, never its size.
	AutoFocus bool
}

// Scales reports whether the plan resamples the cropped region.
func (p Plan) Scales() bool { return p.Resize != p.Crop.Size() }

// Pads reports whether the plan places the image on a larger canvas.
func (p Plan) Pads() bool { return p.Canvas != p.Resize }

// IsIdentity reports whether the plan leaves a source of size src unchanged.
func (p Plan) IsIdentity(src image.Point) bool {
	return p.Crop == image.Rectangle{Max: src} && !p.Scales() && !p.Pads()
}

// Scale returns the horizontal and vertical scale factors (output pixels per
// source pixel) of the plan.
func (p Plan) Scale() (x, y float64) {
	c := p.Crop.Size()
	if c.X == 0 || c.Y == 0 {
		return 1, 1
	}
	return float64(p.Resize.X) / float64(c.X), float64(p.Resize.Y) / float64(c.Y)
}

// PlanStep computes the geometry of step s for a source of size src (the
// upright size, after EXIF orientation). It is a pure function of its
// arguments. It returns an error wrapping [ErrExtractOutside] when an extract
// region is not inside the source, and one wrapping [ErrOutputTooLarge] when a
// planned dimension is absurdly large.
//
// The rules follow the URL contract: w and h may be fractions of the source
// size; ar computes the missing one of w and h; dpr multiplies both unless a
// result would be under 1 or over 5000 pixels; c-at_max never enlarges; with
// only one of w and h the other follows the aspect ratio and nothing is
// cropped; cm-extract cuts without scaling; cm-pad_resize and
// cm-pad_extract pad to exactly w×h.
func PlanStep(src image.Point, s Step) (Plan, error) {
	if src.X < 1 || src.Y < 1 {
		return Plan{}, fmt.Errorf("pipeline: empty source size %v", src)
	}
	w, h := targetSize(src, s)
	switch s.CropMode {
	case CropModeExtract, CropModePadExtract:
		return planExtract(src, s, w, h)
	}
	full := image.Rectangle{Max: src}
	if w == 0 && h == 0 {
		return Plan{Crop: full, Resize: src, Canvas: src}, nil
	}
	sw, sh := float64(src.X), float64(src.Y)
	if w == 0 || h == 0 {
		// One side given: the other follows the aspect ratio, nothing is cropped.
		scale := w / sw
		if w == 0 {
			scale = h / sh
		}
		if s.Crop == CropAtMax && scale > 1 {
			scale = 1
		}
		var size image.Point
		switch {
		case scale == 1:
			size = src
		case w != 0:
			size = image.Pt(roundSide(w), roundSide(sh*scale))
		default:
			size = image.Pt(roundSide(sw*scale), roundSide(h))
		}
		return checked(Plan{Crop: full, Resize: size, Canvas: size})
	}
	if s.CropMode == CropModePadResize {
		scale := math.Min(w/sw, h/sh)
		canvas := image.Pt(roundSide(w), roundSide(h))
		size := image.Pt(min(roundSide(sw*scale), canvas.X), min(roundSide(sh*scale), canvas.Y))
		return checked(Plan{
			Crop:   full,
			Resize: size,
			Canvas: canvas,
			Offset: anchor(s.Focus, canvas.Sub(size)),
		})
	}
	switch s.Crop {
	case CropForce:
		size := image.Pt(roundSide(w), roundSide(h))
		return checked(Plan{Crop: full, Resize: size, Canvas: size})
	case CropAtMax, CropAtMaxEnlarge:
		scale := math.Min(w/sw, h/sh)
		if s.Crop == CropAtMax && scale > 1 {
			scale = 1
		}
		size := fitSize(src, scale, w, h)
		return checked(Plan{Crop: full, Resize: size, Canvas: size})
	case CropAtLeast:
		scale := math.Max(w/sw, h/sh)
		size := fitSize(src, scale, w, h)
		return checked(Plan{Crop: full, Resize: size, Canvas: size})
	}
	// maintain_ratio: cover the box, crop the overflow at the focus.
	scale := math.Max(w/sw, h/sh)
	crop := image.Pt(
		clamp(int(math.Round(w/scale)), 1, src.X),
		clamp(int(math.Round(h/scale)), 1, src.Y),
	)
	if w/sw >= h/sh {
		crop.X = src.X
	} else {
		crop.Y = src.Y
	}
	at := anchor(s.Focus, src.Sub(crop))
	size := image.Pt(roundSide(w), roundSide(h))
	return checked(Plan{
		Crop:      image.Rectangle{Min: at, Max: at.Add(crop)},
		Resize:    size,
		Canvas:    size,
		AutoFocus: s.Focus == FocusAuto,
	})
}

// targetSize resolves w, h, ar and dpr to the requested output size in
// pixels; 0 means "not given".
func targetSize(src image.Point, s Step) (w, h float64) {
	w = s.Width.Resolve(src.X)
	h = s.Height.Resolve(src.Y)
	if s.AspectRatio.IsSet() {
		switch {
		case w > 0 && h == 0:
			h = w * s.AspectRatio.H / s.AspectRatio.W
		case h > 0 && w == 0:
			w = h * s.AspectRatio.W / s.AspectRatio.H
		}
	}
	if w > 0 {
		w = math.Max(1, math.Round(w))
	}
	if h > 0 {
		h = math.Max(1, math.Round(h))
	}
	if d := s.DPR; d > 0 && d != 1 && (w > 0 || h > 0) {
		dw, dh := w*d, h*d
		if ok := (w == 0 || (dw >= 1 && dw <= 5000)) && (h == 0 || (dh >= 1 && dh <= 5000)); ok {
			w, h = math.Round(dw), math.Round(dh)
		}
	}
	return w, h
}

// fitSize returns the size of src scaled by scale, with the side that
// determined the scale set exactly to the requested one so that rounding
// never makes it miss by a pixel.
func fitSize(src image.Point, scale, w, h float64) image.Point {
	size := image.Pt(roundSide(float64(src.X)*scale), roundSide(float64(src.Y)*scale))
	sx, sy := w/float64(src.X), h/float64(src.Y)
	switch scale {
	case 1:
		return src
	case sx:
		size.X = roundSide(w)
	case sy:
		size.Y = roundSide(h)
	}
	return size
}

// planExtract plans cm-extract and cm-pad_extract: a region of w×h source
// pixels, without scaling.
func planExtract(src image.Point, s Step, w, h float64) (Plan, error) {
	size := src
	if w > 0 {
		size.X = roundSide(w)
	}
	if h > 0 {
		size.Y = roundSide(h)
	}
	if size.X > maxPlanSide || size.Y > maxPlanSide {
		return Plan{}, outputTooLarge(size)
	}
	free := src.Sub(size) // negative where the region is larger than the source
	at := anchor(s.Focus, free)
	if free.X < 0 {
		at.X = -anchor(s.Focus, image.Pt(-free.X, 0)).X
	}
	if free.Y < 0 {
		at.Y = -anchor(s.Focus, image.Pt(0, -free.Y)).Y
	}
	if s.X.Set {
		at.X = s.X.Value
	} else if s.XC.Set {
		at.X = s.XC.Value - size.X/2
	}
	if s.Y.Set {
		at.Y = s.Y.Value
	} else if s.YC.Set {
		at.Y = s.YC.Value - size.Y/2
	}
	region := image.Rectangle{Min: at, Max: at.Add(size)}
	full := image.Rectangle{Max: src}
	if s.CropMode == CropModeExtract {
		if !region.In(full) {
			return Plan{}, &ParamError{
				Param:  "cm",
				Value:  "extract",
				Reason: fmt.Sprintf("region %dx%d at (%d,%d) is outside the %dx%d image", size.X, size.Y, at.X, at.Y, src.X, src.Y),
				Err:    ErrExtractOutside,
			}
		}
		return Plan{Crop: region, Resize: size, Canvas: size, AutoFocus: s.Focus == FocusAuto && !s.X.Set && !s.Y.Set && !s.XC.Set && !s.YC.Set}, nil
	}
	// pad_extract: keep what of the region lies inside the source and pad the rest.
	crop := region.Intersect(full)
	if crop.Empty() {
		return Plan{}, &ParamError{
			Param:  "cm",
			Value:  "pad_extract",
			Reason: fmt.Sprintf("region %dx%d at (%d,%d) does not overlap the %dx%d image", size.X, size.Y, at.X, at.Y, src.X, src.Y),
			Err:    ErrExtractOutside,
		}
	}
	return Plan{Crop: crop, Resize: crop.Size(), Canvas: size, Offset: crop.Min.Sub(region.Min)}, nil
}

// anchor returns the top-left position of a box within free pixels of slack
// on each axis, for focus f. FocusAuto and FocusCenter centre the box.
func anchor(f Focus, free image.Point) image.Point {
	p := image.Pt(free.X/2, free.Y/2)
	switch f {
	case FocusLeft, FocusTopLeft, FocusBottomLeft:
		p.X = 0
	case FocusRight, FocusTopRight, FocusBottomRight:
		p.X = free.X
	}
	switch f {
	case FocusTop, FocusTopLeft, FocusTopRight:
		p.Y = 0
	case FocusBottom, FocusBottomLeft, FocusBottomRight:
		p.Y = free.Y
	}
	return p
}

func checked(p Plan) (Plan, error) {
	for _, s := range []image.Point{p.Resize, p.Canvas} {
		if s.X > maxPlanSide || s.Y > maxPlanSide {
			return Plan{}, outputTooLarge(s)
		}
	}
	return p, nil
}

func outputTooLarge(s image.Point) error {
	return fmt.Errorf("pipeline: planned size %dx%d: %w", s.X, s.Y, ErrOutputTooLarge)
}

// roundSide rounds a planned side to whole pixels, at least 1 and at most
// maxPlanSide+1 (so that the caller's check sees it as too large).
func roundSide(v float64) int {
	if v >= maxPlanSide+1 || math.IsNaN(v) {
		return maxPlanSide + 1
	}
	return max(1, int(math.Round(v)))
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }
