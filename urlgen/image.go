package urlgen

import (
	"errors"
	"fmt"
	"html/template"
	"math"

	"github.com/imgcdn/imgcdn/pipeline"
)

// Image describes how an image is shown on a page, for [Builder.Srcset],
// [Builder.Sizes], [Builder.Img], [Builder.Picture] and
// [Builder.PlaceholderURL]. The zero value is a full-width image (sizes
// 100vw) with no extra transformation.
type Image struct {
	// Width and Height are the size of the image on the page, in CSS
	// pixels. Img and Picture write them as the width and height
	// attributes, so that the browser reserves the space before the image
	// loads: Width is required there, and Height may be left 0 when Steps
	// fix the aspect ratio (see [Builder.Img]).
	//
	// When Sizes is "", a Width makes a fixed-width image: the srcset has
	// two candidates with 1x and 2x descriptors. When Sizes is "" and
	// Width is 0, the image is taken to fill the viewport (sizes 100vw).
	Width, Height int
	// Sizes is the sizes attribute, such as "(max-width: 768px) 100vw,
	// 50vw". When set, the srcset has width (w) descriptors, chosen from
	// the vw values in it as Next.js does.
	Sizes string
	// Steps are transformation steps applied to every candidate before it
	// is scaled to the candidate's width, such as a crop to an aspect ratio
	// (w-1200,h-800,fo-auto) or an effect.
	Steps []pipeline.Step
	// Quality is the quality of the candidates, 1 to 100; 0 leaves the
	// server's default.
	Quality int
	// Alt is the alt text. It is always written, empty for a decorative
	// image.
	Alt string
	// Class is the class attribute; "" writes none.
	Class string
	// Loading is the loading attribute: "lazy" (the default when "") or
	// "eager".
	Loading string
	// Priority marks the image as the most important of the page (the
	// largest contentful paint): it is loaded eagerly, with
	// fetchpriority="high". It cannot be combined with Loading "lazy".
	Priority bool
	// Placeholder, when set, is shown as the CSS background of the <img>
	// until the image has loaded: the data URI of [Builder.Placeholder] or
	// the URL of [Builder.PlaceholderURL]. Being a template.URL, it is
	// trusted: give it only URLs made by the Builder or by the page.
	Placeholder template.URL
}

// errNoAspect is returned when Img or Picture cannot know the height.
var errNoAspect = errors.New("urlgen: Image needs a Height, or Steps that fix the aspect ratio (w and h with a cropping mode, or one of them with ar)")

// check validates the fields of o that do not depend on a path.
func (o *Image) check() error {
	switch {
	case o.Width < 0 || o.Height < 0:
		return fmt.Errorf("urlgen: Image size %dx%d must not be negative", o.Width, o.Height)
	case o.Quality < 0 || o.Quality > 100:
		return fmt.Errorf("urlgen: Image Quality %d out of range 1-100", o.Quality)
	}
	switch o.Loading {
	case "", "lazy", "eager":
	default:
		return fmt.Errorf("urlgen: Image Loading %q: want lazy or eager", o.Loading)
	}
	if o.Priority && o.Loading == "lazy" {
		return errors.New("urlgen: Image with Priority cannot load lazily")
	}
	return nil
}

// size returns the width and height attributes of o: Width and Height, or
// Width and the height that the aspect ratio fixed by Steps gives.
func (o *Image) size() (w, h int, err error) {
	if o.Width == 0 {
		return 0, 0, errors.New("urlgen: Image needs a Width for the width and height attributes")
	}
	if o.Height > 0 {
		return o.Width, o.Height, nil
	}
	ar, ok := stepsAspect(o.Steps)
	if !ok {
		return 0, 0, errNoAspect
	}
	return o.Width, max(1, int(math.Round(float64(o.Width)/ar))), nil
}

// stepsAspect returns the aspect ratio (width / height) of the output of
// steps whatever the source, when the steps fix it: the last step that sets
// a size sets both w and h in pixels with a mode whose output is exactly
// w×h (maintain_ratio, force, pad_resize, extract, pad_extract), or one of
// them with ar. Right-angle rotations after it swap the ratio; flips and
// effects keep it; any other change of geometry (trim, border, other
// rotations, a size that follows the source, orig-true, a named
// transformation) makes it unknown.
func stepsAspect(steps []pipeline.Step) (float64, bool) {
	swap := false
	for i := len(steps) - 1; i >= 0; i-- {
		s := &steps[i]
		switch s.Rotate % 360 {
		case 0, 180, -180:
		case 90, 270, -90, -270:
			swap = !swap
		default:
			return 0, false
		}
		if s.Border.Width != 0 || s.Original || s.Named != "" {
			return 0, false
		}
		w, h := s.Width, s.Height
		var ar float64 // the aspect of the box, when both sides are known in pixels
		switch {
		case w.Pixels > 0 && h.Pixels > 0:
			ar = float64(w.Pixels) / float64(h.Pixels)
		case w.Pixels > 0 && !h.IsSet() && s.AspectRatio.IsSet(), h.Pixels > 0 && !w.IsSet() && s.AspectRatio.IsSet():
			ar = s.AspectRatio.W / s.AspectRatio.H
		}
		exact := ar > 0 && (s.CropMode != pipeline.CropModeNone ||
			s.Crop == pipeline.CropMaintainRatio || s.Crop == pipeline.CropForce)
		if exact {
			if swap {
				ar = 1 / ar
			}
			return ar, true
		}
		if w.IsSet() || h.IsSet() || s.Trim.On || s.CropMode != pipeline.CropModeNone {
			return 0, false
		}
	}
	return 0, false
}
