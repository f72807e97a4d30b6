package urlgen

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/imgcdn/imgcdn/pipeline"
)

// markup holds the templates of Img and Picture. html/template escapes
// every value for its context: attribute text, URLs (src), srcset and CSS.
const markup = `{{define "img"}}<img src="{{.Src}}" srcset="{{.Srcset}}"{{with .Sizes}} sizes="{{.}}"{{end}}` +
	` width="{{.Width}}" height="{{.Height}}" alt="{{.Alt}}"{{with .Class}} class="{{.}}"{{end}}` +
	` loading="{{.Loading}}" decoding="async"{{if .Priority}} fetchpriority="high"{{end}}` +
	`{{with .Placeholder}} style="background-size:cover;background-position:center;background-repeat:no-repeat;background-image:url({{.}})"{{end}}>{{end}}` +
	`{{define "picture"}}<picture>{{range .Sources}}<source type="{{.Type}}" srcset="{{.Srcset}}"{{with .Sizes}} sizes="{{.}}"{{end}}>{{end}}` +
	`{{template "img" .Img}}</picture>{{end}}`

// newTemplate parses markup. It cannot fail: markup is a constant that the
// tests execute.
func newTemplate() *template.Template {
	return template.Must(template.New("urlgen").Parse(markup))
}

// imgData is what the img template writes.
type imgData struct {
	Src           string
	Srcset        template.Srcset // built here from escaped URLs: trusted
	Sizes         string
	Width, Height int
	Alt, Class    string
	Loading       string
	Priority      bool
	Placeholder   template.URL
}

// sourceData is what the picture template writes for one <source>.
type sourceData struct {
	Type   string
	Srcset template.Srcset
	Sizes  string
}

// pictureData is what the picture template writes.
type pictureData struct {
	Sources []sourceData
	Img     imgData
}

// Img returns an <img> element for the image stored under path, shown as o
// says:
//
//	<img src="…" srcset="…" sizes="…" width="400" height="300" alt="…" loading="lazy" decoding="async">
//
// src is the largest candidate of srcset (see [Builder.Srcset]) and sizes
// is [Builder.Sizes], left out when empty. width and height, which let the
// browser reserve the space and avoid a layout shift, are o.Width and
// o.Height; when o.Height is 0, it is derived from o.Width and the aspect
// ratio that o.Steps fix (the last step that sizes the image sets w and h
// with a cropping mode whose output is exactly w×h, or one of them with
// ar), and without such steps it is an error, as is a Width of 0. class is
// written when o.Class is set; loading is o.Loading (lazy by default), or
// eager with fetchpriority="high" when o.Priority is set; with
// o.Placeholder, a style attribute shows it as the background until the
// image covers it (for images with transparency, remove the style once the
// image has loaded).
//
// Every value is escaped by html/template, so hostile paths and alt texts
// cannot break out of their attributes.
func (b *Builder) Img(path string, o Image) (template.HTML, error) {
	d, err := b.imgData(path, &o)
	if err != nil {
		return "", err
	}
	return b.render("img", d)
}

// Picture returns a <picture> element for the image stored under path:
// a <source type="image/avif"> and a <source type="image/webp">, whose
// candidates are those of [Builder.Srcset] with f-avif and f-webp, and the
// <img> of [Builder.Img] as the fallback, whose candidates let the server
// negotiate the format (f-auto). Browsers take the first source whose type
// they support, so the server does no content negotiation for them and
// their responses need no Vary: Accept.
func (b *Builder) Picture(path string, o Image) (template.HTML, error) {
	img, err := b.imgData(path, &o)
	if err != nil {
		return "", err
	}
	d := pictureData{Img: img}
	for _, f := range [...]struct {
		format    pipeline.Format
		mediaType string
	}{{pipeline.FormatAVIF, "image/avif"}, {pipeline.FormatWebP, "image/webp"}} {
		set, _, err := b.srcset(path, &o, f.format)
		if err != nil {
			return "", err
		}
		d.Sources = append(d.Sources, sourceData{Type: f.mediaType, Srcset: template.Srcset(set), Sizes: img.Sizes})
	}
	return b.render("picture", d)
}

// imgData returns what the <img> of o writes.
func (b *Builder) imgData(path string, o *Image) (imgData, error) {
	if err := o.check(); err != nil {
		return imgData{}, err
	}
	w, h, err := o.size()
	if err != nil {
		return imgData{}, err
	}
	set, src, err := b.srcset(path, o, pipeline.FormatAuto)
	if err != nil {
		return imgData{}, err
	}
	loading := o.Loading
	switch {
	case o.Priority:
		loading = "eager"
	case loading == "":
		loading = "lazy"
	}
	return imgData{
		Src:         src,
		Srcset:      template.Srcset(set),
		Sizes:       b.Sizes(*o),
		Width:       w,
		Height:      h,
		Alt:         o.Alt,
		Class:       o.Class,
		Loading:     loading,
		Priority:    o.Priority,
		Placeholder: o.Placeholder,
	}, nil
}

// render executes the template name with data.
func (b *Builder) render(name string, data any) (template.HTML, error) {
	var sb strings.Builder
	if err := b.tmpl.ExecuteTemplate(&sb, name, data); err != nil {
		return "", fmt.Errorf("urlgen: %s: %w", name, err)
	}
	return template.HTML(sb.String()), nil // escaped by html/template
}
