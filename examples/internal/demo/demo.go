// Package demo holds what the framework examples (gin, echo, echov5,
// fiber, fiberv3) share: their sample images and the HTML of their index
// page. The sample images are two of those of examples/basic, drawn by
// internal/samplegen.
package demo

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
)

//go:embed images
var embedded embed.FS

// Images returns the images to serve, the folder dir or, when dir is "",
// the embedded samples, and the names of the image files in it, sorted.
func Images(dir string) (fs.FS, []string, error) {
	var fsys fs.FS = os.DirFS(dir)
	if dir == "" {
		sub, err := fs.Sub(embedded, "images")
		if err != nil {
			return nil, nil, fmt.Errorf("embedded images: %w", err)
		}
		fsys = sub
	}
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch strings.ToLower(path.Ext(p)) {
		case ".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp", ".tif", ".tiff":
			if !d.IsDir() {
				names = append(names, p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("list images: %w", err)
	}
	slices.Sort(names)
	return fsys, names, nil
}

// Transformations are the transformations the index page shows for each
// image.
var Transformations = []string{"w-300", "w-300,h-300,fo-auto", "w-300,e-grayscale,r-24"}

var page = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>imgcdn with {{.Framework}}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px system-ui,sans-serif;margin:2rem}figure{display:inline-block;margin:0 1rem 1rem 0}
figcaption{font:12px ui-monospace,monospace;color:#555}</style></head>
<body><h1>imgcdn with {{.Framework}}</h1>
<p>This page is a route of the {{.Framework}} application; the images come from the imgcdn handler
mounted at <code>{{.Prefix}}</code>.</p>
{{range .Images}}<section><h2>{{.Name}}</h2>
{{range .Shows}}<figure><img src="{{.URL}}" alt="{{.Tr}}" loading="lazy"><figcaption>{{.Tr}}</figcaption></figure>
{{end}}</section>{{end}}
</body></html>`))

// IndexPage returns the HTML of an index page that shows the named images,
// served under prefix, in each of [Transformations].
func IndexPage(framework, prefix string, names []string) ([]byte, error) {
	type show struct{ Tr, URL string }
	type image struct {
		Name  string
		Shows []show
	}
	data := struct {
		Framework, Prefix string
		Images            []image
	}{Framework: framework, Prefix: prefix}
	for _, n := range names {
		im := image{Name: n}
		for _, tr := range Transformations {
			im.Shows = append(im.Shows, show{tr, prefix + "/tr:" + tr + "/" + n})
		}
		data.Images = append(data.Images, im)
	}
	var b bytes.Buffer
	if err := page.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("index page: %w", err)
	}
	return b.Bytes(), nil
}
