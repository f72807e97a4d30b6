// Command basic serves images through the imgcdn middleware, with an index
// page that shows them in several transformations and a gallery page
// (/gallery) of responsive images written with urlgen: srcset and sizes, a
// <picture> with AVIF and WebP sources, and placeholders.
//
//	go run ./basic                     # embedded sample images on 127.0.0.1:8080
//	go run ./basic -dir ~/Pictures     # a folder of your own
//
// Every image under the prefix can be transformed from its URL:
//
//	http://127.0.0.1:8080/img/tr:w-400,h-300,fo-auto/landscape.jpg
//	http://127.0.0.1:8080/img/badge.png?tr=w-200,rt-45
package main

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/imgcdn/imgcdn/middleware"
	"github.com/imgcdn/imgcdn/store"
	"github.com/imgcdn/imgcdn/urlgen"
)

//go:embed images
var images embed.FS

type config struct {
	addr, dir, prefix, signKey, cacheDir string
}

func main() {
	var c config
	flag.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen `address`")
	flag.StringVar(&c.dir, "dir", "", "serve images from this `folder` instead of the embedded samples")
	flag.StringVar(&c.prefix, "prefix", "/img", "URL `prefix` of the images")
	flag.StringVar(&c.signKey, "sign-key", "", "require URLs signed with this `key` (ik-s, ik-t)")
	flag.StringVar(&c.cacheDir, "cache-dir", "", "keep transformed images in this `folder` as well as in memory")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, c, log, nil); err != nil {
		log.Error("server failed", "err", err)
		os.Exit(1)
	}
}

// run serves until ctx is done, then shuts down gracefully. When ready is
// not nil, it receives the listening address once the server accepts
// connections.
func run(ctx context.Context, c config, log *slog.Logger, ready chan<- string) error {
	h, names, err := newServer(c, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "images", len(names))
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newServer returns the site's handler: the index page and the gallery,
// with the image middleware wrapped around them, and the names of the
// images it serves.
func newServer(c config, log *slog.Logger) (http.Handler, []string, error) {
	var src fs.FS
	if c.dir != "" {
		src = os.DirFS(c.dir)
	} else {
		sub, err := fs.Sub(images, "images")
		if err != nil {
			return nil, nil, err
		}
		src = sub
	}
	names, err := imageNames(src)
	if err != nil {
		return nil, nil, err
	}
	sources := store.FS(src)
	opts := []middleware.Option{
		middleware.WithPrefix(c.prefix),
		middleware.WithLogger(log),
	}
	// The gallery's URLs come from a urlgen.Builder with the same endpoint
	// and signing key as the middleware; it reads placeholders from the
	// same store.
	urlOpts := []urlgen.Option{
		urlgen.WithEndpoint(c.prefix),
		urlgen.WithSource(sources),
	}
	if c.signKey != "" {
		opts = append(opts, middleware.WithSigningKeys(c.signKey), middleware.WithSigningRequired(true))
		urlOpts = append(urlOpts, urlgen.WithSigningKey(c.signKey))
	}
	if c.cacheDir != "" {
		if err := os.MkdirAll(c.cacheDir, 0o755); err != nil {
			return nil, nil, err
		}
		disk, err := store.Dir(c.cacheDir)
		if err != nil {
			return nil, nil, err
		}
		opts = append(opts, middleware.WithResultStore(disk))
	}
	mw, err := middleware.New(sources, opts...)
	if err != nil {
		return nil, nil, err
	}
	urls, err := urlgen.New(urlOpts...)
	if err != nil {
		return nil, nil, err
	}
	gallery, err := newGallery(urls, src, names, c.signKey != "", log)
	if err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", indexPage(c.prefix, names, c.signKey != ""))
	mux.Handle("GET /gallery", gallery)
	return mw.Wrap(mux), names, nil
}

// imageNames lists the image files of fsys.
func imageNames(fsys fs.FS) ([]string, error) {
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch strings.ToLower(path.Ext(p)) {
		case ".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff":
			if !d.IsDir() {
				names = append(names, p)
			}
		}
		return nil
	})
	sort.Strings(names)
	return names, err
}

// The transformations the index page shows for each image.
var shows = []struct{ Label, Tr string }{
	{"w-300", "w-300"},
	{"w-300,h-300 (crop)", "w-300,h-300"},
	{"w-300,h-300,fo-auto", "w-300,h-300,fo-auto"},
	{"w-300,h-200,cm-pad_resize,bg-F3F3F3", "w-300,h-200,cm-pad_resize,bg-F3F3F3"},
	{"w-300,rt-15,bg-FFFFFF", "w-300,rt-15,bg-FFFFFF"},
	{"w-300,e-grayscale,r-24,b-4_333333", "w-300,e-grayscale,r-24,b-4_333333"},
	{"w-300,bl-10", "w-300,bl-10"},
	{"w-300,h-300,r-max,f-png", "w-300,h-300,r-max,f-png"},
}

var pageTmpl = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>imgcdn</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px system-ui,sans-serif;margin:2rem;background:#fafafa;color:#222}
figure{display:inline-block;margin:0 1rem 1rem 0;vertical-align:top}
figcaption{font:12px ui-monospace,monospace;color:#555;max-width:300px;word-break:break-all}
img{display:block;background:repeating-conic-gradient(#ddd 0 25%,#fff 0 50%) 0 0/16px 16px}</style></head>
<body><h1>imgcdn</h1>
<p>Every picture below is one URL: change the <code>tr:</code> part to transform it.
The <a href="/gallery">gallery</a> shows them as responsive images.</p>
{{if .Signed}}<p>Signing is required, so these URLs answer 401 unless signed.</p>{{end}}
{{range .Images}}<section><h2>{{.Name}}</h2>
{{range .Shows}}<figure><img src="{{.URL}}" alt="{{.Tr}}" loading="lazy"><figcaption>{{.Tr}}</figcaption></figure>
{{end}}</section>{{end}}
</body></html>`))

// indexPage returns the handler of the index page, which shows every image
// in each of the transformations of shows.
func indexPage(prefix string, names []string, signed bool) http.Handler {
	type show struct{ Tr, URL string }
	type entry struct {
		Name  string
		Shows []show
	}
	data := struct {
		Signed bool
		Images []entry
	}{Signed: signed}
	for _, n := range names {
		e := entry{Name: n}
		for _, s := range shows {
			e.Shows = append(e.Shows, show{s.Label, fmt.Sprintf("%s/tr:%s/%s", prefix, s.Tr, n)})
		}
		data.Images = append(data.Images, e)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := pageTmpl.Execute(w, data); err != nil {
			http.Error(w, "page error", http.StatusInternalServerError)
		}
	})
}
