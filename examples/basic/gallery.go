package main

import (
	"bytes"
	_ "embed"
	"html/template"
	"image"
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"
	"io/fs"
	"log/slog"
	"math"
	"net/http"
	"path"
	"strings"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"

	"github.com/imgcdn/imgcdn/urlgen"
)

// galleryHTML is the template of the gallery page. It writes every image
// with the functions of urlgen.Builder.FuncMap.
//
//go:embed gallery.html
var galleryHTML string

// A galleryImage is one image of the gallery: its store key and its size
// in pixels, which gives the width and height attributes their ratio.
type galleryImage struct {
	Path          string
	Width, Height int
	Alt           string
}

// Image describes the image at its own size, for the img and picture
// template functions, which let later key=value arguments amend it.
func (g galleryImage) Image() urlgen.Image {
	return urlgen.Image{Width: g.Width, Height: g.Height, Alt: g.Alt}
}

// Fit describes the image shown width CSS pixels wide.
func (g galleryImage) Fit(width int) urlgen.Image {
	h := max(1, int(math.Round(float64(width)*float64(g.Height)/float64(g.Width))))
	return urlgen.Image{Width: width, Height: h, Alt: g.Alt}
}

// galleryPage is what the gallery template shows: the widest image as a
// full-width hero, every image in a grid, and the tallest in a <picture>
// beside its placeholders.
type galleryPage struct {
	Signed        bool
	Hero, Feature *galleryImage
	Images        []galleryImage
}

// newGallery returns the handler of the gallery page, which shows the
// images names of fsys with URLs, srcsets and placeholders made by b.
// Images whose size cannot be read are left out, with a warning.
func newGallery(b *urlgen.Builder, fsys fs.FS, names []string, signed bool, log *slog.Logger) (http.Handler, error) {
	// The template is parsed once with the Builder's functions; each
	// request runs a clone whose placeholder function reads images with
	// the request's context.
	tmpl, err := template.New("gallery").Funcs(b.FuncMap()).Parse(galleryHTML)
	if err != nil {
		return nil, err
	}
	page := galleryPage{Signed: signed}
	for _, name := range names {
		w, h, err := imageSize(fsys, name)
		if err != nil {
			log.Warn("gallery: leaving out an image", "name", name, "err", err)
			continue
		}
		page.Images = append(page.Images, galleryImage{Path: name, Width: w, Height: h, Alt: altText(name)})
	}
	for i := range page.Images {
		g := &page.Images[i]
		if page.Hero == nil || aspect(g) > aspect(page.Hero) {
			page.Hero = g
		}
		if page.Feature == nil || aspect(g) < aspect(page.Feature) {
			page.Feature = g
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t, err := tmpl.Clone()
		if err != nil {
			http.Error(w, "page error", http.StatusInternalServerError)
			return
		}
		t.Funcs(b.FuncMapContext(r.Context()))
		var buf bytes.Buffer
		if err := t.Execute(&buf, page); err != nil {
			log.Error("gallery", "err", err)
			http.Error(w, "page error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(buf.Bytes())
	}), nil
}

// imageSize returns the size in pixels of the image name of fsys.
func imageSize(fsys fs.FS, name string) (w, h int, err error) {
	f, err := fsys.Open(name)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return 0, 0, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return 0, 0, image.ErrFormat
	}
	return cfg.Width, cfg.Height, nil
}

// aspect returns the width of g over its height.
func aspect(g *galleryImage) float64 {
	return float64(g.Width) / float64(g.Height)
}

// altText makes an alt text from a file name: "photos/old_town-2.jpg"
// gives "old town 2".
func altText(name string) string {
	base := strings.TrimSuffix(path.Base(name), path.Ext(name))
	return strings.Join(strings.FieldsFunc(base, func(r rune) bool {
		return r == '_' || r == '-' || r == ' '
	}), " ")
}
