package urlgen

import (
	"context"
	"fmt"
	"html/template"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/imgcdn/imgcdn/pipeline"
)

// FuncMap returns the template functions of the Builder, for
// [html/template.Template.Funcs]; it is FuncMapContext with
// [context.Background]. Errors stop the template's execution.
//
//	imgURL PATH [TR...]          the URL of Builder.URL, as a string
//	srcset PATH [ARG...]         Builder.Srcset, as a template.Srcset
//	sizes [ARG...]               Builder.Sizes
//	img PATH [ARG...]            Builder.Img
//	picture PATH [ARG...]        Builder.Picture
//	placeholderURL PATH [ARG...] Builder.PlaceholderURL
//	placeholder PATH             Builder.Placeholder, a template.URL
//
// TR is a transformation in the URL grammar, such as "w-400,h-300" or
// "w-400:rt-90" (each ':' starts a new step), or a pipeline.Step,
// []pipeline.Step or pipeline.Chain; several are chained in order.
//
// ARG describes the Image. It is a "key=value" string (the value is the
// rest of the string, so it may hold '=' and ','), a map[string]any or
// map[string]string of the same keys (the result of a "dict" helper), or an
// Image, which later arguments amend. The keys are:
//
//	w, width      display width in CSS pixels (Image.Width)
//	h, height     display height (Image.Height)
//	sizes         the sizes attribute (Image.Sizes)
//	tr            transformation steps in the URL grammar, added to Image.Steps
//	q, quality    Image.Quality
//	alt, class    Image.Alt, Image.Class
//	loading       lazy or eager
//	priority      true or false
//	placeholder   a data:image/ URI, or an http(s) or relative URL
//
// Note that w and h are the size on the page, which chooses the srcset
// candidates; to crop the image, use tr: "tr=w-1200,h-800,fo-auto".
func (b *Builder) FuncMap() template.FuncMap {
	return b.FuncMapContext(context.Background())
}

// FuncMapContext is [Builder.FuncMap] whose placeholder function reads
// images with ctx, for example a request's context.
func (b *Builder) FuncMapContext(ctx context.Context) template.FuncMap {
	return template.FuncMap{
		"imgURL": func(path string, tr ...any) (string, error) {
			steps, err := stepArgs(tr)
			if err != nil {
				return "", err
			}
			return b.URL(path, steps...)
		},
		"srcset": func(path string, args ...any) (template.Srcset, error) {
			o, err := imageArgs(args)
			if err != nil {
				return "", err
			}
			s, err := b.Srcset(path, o)
			return template.Srcset(s), err // made of escaped URLs
		},
		"sizes": func(args ...any) (string, error) {
			o, err := imageArgs(args)
			if err != nil {
				return "", err
			}
			return b.Sizes(o), nil
		},
		"img": func(path string, args ...any) (template.HTML, error) {
			o, err := imageArgs(args)
			if err != nil {
				return "", err
			}
			return b.Img(path, o)
		},
		"picture": func(path string, args ...any) (template.HTML, error) {
			o, err := imageArgs(args)
			if err != nil {
				return "", err
			}
			return b.Picture(path, o)
		},
		"placeholderURL": func(path string, args ...any) (string, error) {
			o, err := imageArgs(args)
			if err != nil {
				return "", err
			}
			return b.PlaceholderURL(path, o)
		},
		"placeholder": func(path string) (template.URL, error) {
			return b.Placeholder(ctx, path)
		},
	}
}

// stepArgs returns the steps of the TR arguments of imgURL.
func stepArgs(args []any) ([]pipeline.Step, error) {
	var steps []pipeline.Step
	for _, a := range args {
		switch v := a.(type) {
		case string:
			c, err := pipeline.Parse(v)
			if err != nil {
				return nil, fmt.Errorf("urlgen: transformation %q: %w", v, err)
			}
			steps = append(steps, c...)
		case pipeline.Step:
			steps = append(steps, v)
		case []pipeline.Step:
			steps = append(steps, v...)
		case pipeline.Chain:
			steps = append(steps, v...)
		default:
			return nil, fmt.Errorf("urlgen: transformation argument of type %T: want a string, pipeline.Step, []pipeline.Step or pipeline.Chain", a)
		}
	}
	return steps, nil
}

// imageArgs returns the Image that the ARG arguments describe.
func imageArgs(args []any) (Image, error) {
	var o Image
	for _, a := range args {
		switch v := a.(type) {
		case Image:
			o = v
			o.Steps = slices.Clone(v.Steps)
		case *Image:
			o = *v
			o.Steps = slices.Clone(v.Steps)
		case string:
			key, val, ok := strings.Cut(v, "=")
			if !ok {
				return Image{}, fmt.Errorf("urlgen: argument %q: want key=value", v)
			}
			if err := setImageArg(&o, key, val); err != nil {
				return Image{}, err
			}
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(v)) {
				if err := setImageArg(&o, k, v[k]); err != nil {
					return Image{}, err
				}
			}
		case map[string]string:
			for _, k := range slices.Sorted(maps.Keys(v)) {
				if err := setImageArg(&o, k, v[k]); err != nil {
					return Image{}, err
				}
			}
		default:
			return Image{}, fmt.Errorf("urlgen: image argument of type %T: want key=value, a map or an Image", a)
		}
	}
	return o, nil
}

// setImageArg sets the field of o named key to val.
func setImageArg(o *Image, key string, val any) error {
	var err error
	switch key {
	case "w", "width":
		o.Width, err = intArg(val)
	case "h", "height":
		o.Height, err = intArg(val)
	case "q", "quality":
		o.Quality, err = intArg(val)
	case "sizes":
		o.Sizes, err = stringArg(val)
	case "alt":
		o.Alt, err = stringArg(val)
	case "class":
		o.Class, err = stringArg(val)
	case "loading":
		o.Loading, err = stringArg(val)
	case "priority":
		o.Priority, err = boolArg(val)
	case "tr":
		var steps []pipeline.Step
		if steps, err = stepArgs([]any{val}); err == nil {
			o.Steps = append(o.Steps, steps...)
		}
	case "placeholder":
		o.Placeholder, err = placeholderArg(val)
	default:
		return fmt.Errorf("urlgen: unknown image argument %q (want w, h, sizes, tr, q, alt, class, loading, priority or placeholder)", key)
	}
	if err != nil {
		return fmt.Errorf("urlgen: image argument %s: %w", key, err)
	}
	return nil
}

// intArg converts a template value to an int.
func intArg(v any) (int, error) {
	switch n := v.(type) {
	case int:
		return n, nil
	case int64:
		return int(n), nil
	case int32:
		return int(n), nil
	case float64:
		if n != float64(int(n)) {
			return 0, fmt.Errorf("%v is not a whole number", n)
		}
		return int(n), nil
	case string:
		i, err := strconv.Atoi(n)
		if err != nil {
			return 0, fmt.Errorf("%q is not a whole number", n)
		}
		return i, nil
	}
	return 0, fmt.Errorf("value of type %T is not a number", v)
}

// stringArg converts a template value to a string.
func stringArg(v any) (string, error) {
	switch s := v.(type) {
	case string:
		return s, nil
	case fmt.Stringer:
		return s.String(), nil
	}
	return "", fmt.Errorf("value of type %T is not a string", v)
}

// boolArg converts a template value to a bool.
func boolArg(v any) (bool, error) {
	switch b := v.(type) {
	case bool:
		return b, nil
	case string:
		p, err := strconv.ParseBool(b)
		if err != nil {
			return false, fmt.Errorf("%q is not true or false", b)
		}
		return p, nil
	}
	return false, fmt.Errorf("value of type %T is not a bool", v)
}

// placeholderArg converts a template value to a placeholder URL: a
// template.URL as it is, or a string that is a data:image/ URI or an http,
// https or relative URL.
func placeholderArg(v any) (template.URL, error) {
	switch u := v.(type) {
	case template.URL:
		return u, nil
	case string:
		lower := strings.ToLower(u)
		if strings.HasPrefix(lower, "data:image/") || strings.HasPrefix(lower, "https://") ||
			strings.HasPrefix(lower, "http://") || strings.HasPrefix(u, "/") {
			return template.URL(u), nil // only image data or web URLs, escaped by the template
		}
		return "", fmt.Errorf("%q is not a data:image/ URI or a web URL", u)
	}
	return "", fmt.Errorf("value of type %T is not a URL", v)
}
