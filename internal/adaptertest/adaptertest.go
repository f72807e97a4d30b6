// Package adaptertest is the behavioural test suite that the framework
// adapters (the modules under adapters/) share. An adapter's tests describe
// how their framework puts a [middleware.Handler] into an application
// ([Setup], [App]) and what the framework answers by itself ([Config]);
// [Run] checks what every adapter must do: images, conditional requests,
// HEAD, ranges, repeated header fields, route-group middleware, methods,
// the framework's own routes, and what cancels a transformation.
//
// The package imports no framework, so that the imgcdn module never
// depends on one: an application is reached through functions that take
// and return net/http values.
package adaptertest

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
	"github.com/imgcdn/imgcdn/middleware"
	"github.com/imgcdn/imgcdn/store"
)

// photo is the source image of the tests: a 1920×1080 JPEG photograph,
// served as photo.jpg.
const photo = "jpeg-photo-1920x1080.jpg"

// Images returns a store holding the corpus photo (1920×1080 JPEG) as
// photo.jpg.
func Images(t testing.TB) store.Store {
	return store.FS(fstest.MapFS{"photo.jpg": {Data: testcorpus.Read(t, photo)}})
}

// NewHandler returns an imgcdn Handler for s with quiet test settings
// (no logger, no AVIF warm-up) and opts.
func NewHandler(t testing.TB, s store.Store, opts ...middleware.Option) *middleware.Handler {
	t.Helper()
	opts = append([]middleware.Option{middleware.WithLogger(nil), middleware.WithAVIFWarmUp(false)}, opts...)
	h, err := middleware.New(s, opts...)
	if err != nil {
		t.Fatalf("middleware.New: %v", err)
	}
	return h
}

// App is an application of a framework with a Handler in it.
type App struct {
	// Do serves one request without a network connection of its own
	// (httptest.ResponseRecorder, fiber's app.Test, ...) and returns the
	// response, whose body the caller closes.
	Do func(*http.Request) (*http.Response, error)
	// Serve serves the application on ln until Shutdown is called, and
	// then returns nil.
	Serve func(ln net.Listener) error
	// Shutdown shuts down the server that Serve runs, waiting up to 10 s.
	Shutdown func() error
	// Close, when not nil, releases what the application holds; the tests
	// call it when they end.
	Close func()
}

// Options are the framework middleware that a test wants to run before
// the Handler, besides the Handler's own setup.
type Options struct {
	// Header holds response header fields that a middleware sets before
	// the Handler runs (a CORS middleware, say).
	Header http.Header
	// Context, when not nil, is called with the request's context (the
	// framework's: c.UserContext() in fiber v2, c.Context() in v3, the
	// request's for net/http) and a middleware replaces that context with
	// what it returns (c.SetUserContext, c.SetContext, r.WithContext).
	Context func(context.Context) context.Context
}

// Setup returns an application with h put in it in one way (Mount on a
// group, Middleware, ...), framework middleware for o, and an application
// route, GET /hello.
type Setup func(h *middleware.Handler, o Options) App

// Case is a request and what its answer must be.
type Case struct {
	// Method and Target make the request. A Target that net/url refuses
	// is sent as is (in an opaque URL and the RequestURI), for an App
	// whose Do writes the request line itself.
	Method, Target string
	// Status is the status wanted.
	Status int
	// ContentType is the Content-Type wanted, when not "".
	ContentType string
	// Width and Height are the size of the JPEG image wanted in the
	// body, when not 0; the Content-Length must then be the body's and
	// X-Content-Type-Options nosniff.
	Width, Height int
	// Body is the body wanted, when not "".
	Body string
}

// Config describes an adapter and its framework to [Run].
type Config struct {
	// Setups are the ways of putting a Handler into an application that
	// the tests check, by name.
	Setups map[string]Setup
	// Grouped names the setups whose image routes run behind a group
	// middleware that sets the response header "X-Group: images"; the
	// application route is not in the group.
	Grouped []string
	// Middleware names the setup that uses the adapter's Middleware: it
	// answers every method under the prefix.
	Middleware string
	// Cases are requests that the framework answers by itself (the
	// application route, paths that no route matches, ...), checked under
	// every setup besides the cases of the Handler.
	Cases map[string]Case
	// Methods, when not nil, returns an application with h mounted on the
	// group /img and an application route POST /img/upload that answers
	// 201.
	Methods func(h *middleware.Handler) App
	// OtherMethodStatus is what the framework answers to DELETE
	// /img/photo.jpg in the application of Methods (its 404 or 405).
	OtherMethodStatus int
	// FastHTTP says that the framework runs on fasthttp: a client that
	// disconnects does not cancel its request, and shutting the server
	// down cancels the requests in flight. Otherwise (net/http) a client
	// that disconnects cancels its request.
	FastHTTP bool
}

// Run runs the suite on the adapter described by cfg, each test as a
// subtest of t.
func Run(t *testing.T, cfg Config) {
	s := suite{cfg}
	t.Run("Serve", s.serve)
	t.Run("ConditionalAndHead", s.conditionalAndHead)
	t.Run("GroupMiddleware", s.groupMiddleware)
	if cfg.Methods != nil {
		t.Run("MountMethods", s.mountMethods)
	}
	t.Run("MiddlewareMethods", s.middlewareMethods)
	t.Run("ResponseHeadersKept", s.responseHeadersKept)
	t.Run("ContextCancels", s.contextCancels)
	t.Run("TimeoutCancels", s.timeoutCancels)
	if cfg.FastHTTP {
		t.Run("ClientDisconnectDoesNotCancel", s.clientDisconnectDoesNotCancel)
		t.Run("ShutdownCancels", s.shutdownCancels)
	} else {
		t.Run("ClientDisconnectCancels", s.clientDisconnectCancels)
	}
}

type suite struct{ Config }

// app returns the application of the setup name with h and o, closed when
// t ends.
func (s suite) app(t testing.TB, name string, h *middleware.Handler, o Options) App {
	setup, ok := s.Setups[name]
	if !ok {
		t.Fatalf("no setup %q", name)
	}
	app := setup(h, o)
	if app.Close != nil {
		t.Cleanup(app.Close)
	}
	return app
}

// NewRequest returns a server request for method and target with the
// header fields of header (pairs of name and value, added in order, so
// that a name may repeat). A target that net/url refuses goes as is in an
// opaque URL and the RequestURI.
func NewRequest(method, target string, header ...string) *http.Request {
	var r *http.Request
	if _, err := url.ParseRequestURI(target); err == nil {
		r = httptest.NewRequest(method, target, nil)
	} else {
		r = httptest.NewRequest(method, "/", nil)
		path, query, _ := strings.Cut(target, "?")
		r.URL = &url.URL{Opaque: path, RawQuery: query}
		r.RequestURI = target
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	return r
}

// Serve sends a request through app.Do and returns the response and its
// body.
func Serve(t testing.TB, app App, method, target string, header ...string) (*http.Response, []byte) {
	t.Helper()
	resp, err := app.Do(NewRequest(method, target, header...))
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, target, err)
	}
	return resp, body
}

// NetHTTP returns the App of a net/http handler (a gin engine, an echo
// server): Do calls h.ServeHTTP with an httptest.ResponseRecorder, Serve
// runs an http.Server. The middleware of o runs before h, which for
// net/http is the same as running first in h.
func NetHTTP(h http.Handler, o Options) App {
	if o.Header != nil || o.Context != nil {
		next := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			for k, vv := range o.Header {
				w.Header()[k] = append(w.Header()[k], vv...)
			}
			if o.Context != nil {
				r = r.WithContext(o.Context(r.Context()))
			}
			next.ServeHTTP(w, r)
		})
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	return App{
		Do: func(r *http.Request) (*http.Response, error) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			return w.Result(), nil
		},
		Serve: func(ln net.Listener) error {
			if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
		Shutdown: func() error {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return srv.Shutdown(ctx)
		},
	}
}

// MountPanic is a case of [MountPanics]: a Handler with the prefix
// Prefix cannot be mounted on the router that Router returns.
type MountPanic[R any] struct {
	Prefix string
	Router func() R
}

// MountPanics checks that mount (the adapter's Mount) panics for each
// case.
func MountPanics[R any](t *testing.T, mount func(R, *middleware.Handler), cases map[string]MountPanic[R]) {
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			h := NewHandler(t, Images(t), middleware.WithPrefix(tc.Prefix))
			r := tc.Router()
			defer func() {
				if recover() == nil {
					t.Errorf("Mount with prefix %q did not panic", tc.Prefix)
				}
			}()
			mount(r, h)
		})
	}
}

// Routes returns the [Config.Cases] of a framework's own answers: GET
// /hello, the application route, answers 200 with contentType and hello;
// a GET of a path that no route matches ("/nothing/photo.jpg", and
// "/imgs/photo.jpg", which only looks like the prefix) answers
// notFound(target), whose Method and Target are set by Routes.
func Routes(contentType, hello string, notFound func(target string) Case) map[string]Case {
	cases := map[string]Case{
		"application route": {
			Method: http.MethodGet, Target: "/hello",
			Status: http.StatusOK, ContentType: contentType, Body: hello,
		},
	}
	for name, target := range map[string]string{"no route": "/nothing/photo.jpg", "prefix lookalike": "/imgs/photo.jpg"} {
		c := notFound(target)
		c.Method, c.Target = http.MethodGet, target
		cases[name] = c
	}
	return cases
}

// FastHTTPCases returns the Cases of a framework on fasthttp: those of
// [Routes], and a request URI that net/url refuses (a malformed escape),
// which gets a 400.
func FastHTTPCases(contentType, hello string, notFound func(target string) Case) map[string]Case {
	cases := Routes(contentType, hello, notFound)
	cases["malformed escape"] = Case{Method: http.MethodGet, Target: "/img/tr:w-100/%zz.jpg", Status: http.StatusBadRequest}
	return cases
}
