package imgcdnechov5_test

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/labstack/echo/v5"

	imgcdnechov5 "github.com/imgcdn/imgcdn/adapters/echov5"
	"github.com/imgcdn/imgcdn/internal/testcorpus"
	"github.com/imgcdn/imgcdn/middleware"
	"github.com/imgcdn/imgcdn/store"
)

// photo is the source image of the tests: a 1920×1080 JPEG photograph,
// served as photo.jpg.
const photo = "jpeg-photo-1920x1080.jpg"

// images returns a store holding the corpus photo as photo.jpg.
func images(t testing.TB) store.Store {
	return store.FS(fstest.MapFS{"photo.jpg": {Data: testcorpus.Read(t, photo)}})
}

// newHandler returns an imgcdn Handler for s with quiet test settings.
func newHandler(t testing.TB, s store.Store, opts ...middleware.Option) *middleware.Handler {
	t.Helper()
	opts = append([]middleware.Option{middleware.WithLogger(nil), middleware.WithAVIFWarmUp(false)}, opts...)
	h, err := middleware.New(s, opts...)
	if err != nil {
		t.Fatalf("middleware.New: %v", err)
	}
	return h
}

// setups are the ways of putting h into an echo server that the tests
// check. Each server also has an application route, GET /hello.
var setups = map[string]func(e *echo.Echo, h *middleware.Handler){
	"Mount": func(e *echo.Echo, h *middleware.Handler) {
		imgcdnechov5.Mount(e.Group("/img", markGroup), h)
	},
	"Mount on a subgroup": func(e *echo.Echo, h *middleware.Handler) {
		imgcdnechov5.Mount(e.Group("", markGroup).Group("/img"), h)
	},
	"Middleware with Pre": func(e *echo.Echo, h *middleware.Handler) {
		e.Pre(imgcdnechov5.Middleware(h))
	},
	"Middleware with Use": func(e *echo.Echo, h *middleware.Handler) {
		e.Use(imgcdnechov5.Middleware(h))
	},
}

// markGroup is a group middleware that marks its responses with X-Group.
func markGroup(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		c.Response().Header().Set("X-Group", "images")
		return next(c)
	}
}

// newServer returns an echo server with h put in by setup and one
// application route.
func newServer(h *middleware.Handler, setup func(*echo.Echo, *middleware.Handler)) *echo.Echo {
	e := echo.New()
	setup(e, h)
	e.GET("/hello", func(c *echo.Context) error { return c.String(http.StatusOK, "hello from echo") })
	return e
}

// serve sends a request through e.ServeHTTP, echo's own entry point.
func serve(e http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	return w
}

func TestServe(t *testing.T) {
	type testCase struct {
		method, target string
		status         int
		contentType    string
		width, height  int    // of a JPEG body, when not 0
		body           string // the body, when not ""
	}
	tests := map[string]testCase{
		"transformed": {
			method: http.MethodGet, target: "/img/tr:w-320/photo.jpg",
			status: http.StatusOK, contentType: "image/jpeg", width: 320, height: 180,
		},
		"query form": {
			method: http.MethodGet, target: "/img/photo.jpg?tr=w-200,h-200",
			status: http.StatusOK, contentType: "image/jpeg", width: 200, height: 200,
		},
		"missing image": {
			method: http.MethodGet, target: "/img/tr:w-320/missing.jpg",
			status: http.StatusNotFound, contentType: "text/plain; charset=utf-8", body: "image not found\n",
		},
		"bad transformation": {
			method: http.MethodGet, target: "/img/tr:w-banana/photo.jpg",
			status: http.StatusBadRequest, contentType: "text/plain; charset=utf-8",
		},
		"application route": {
			method: http.MethodGet, target: "/hello",
			status: http.StatusOK, contentType: "text/plain; charset=UTF-8", body: "hello from echo",
		},
		"no route": {
			method: http.MethodGet, target: "/nothing/photo.jpg",
			status: http.StatusNotFound, contentType: "application/json",
		},
		"prefix lookalike": {
			method: http.MethodGet, target: "/imgs/photo.jpg",
			status: http.StatusNotFound, contentType: "application/json",
		},
	}
	for setupName, setup := range setups {
		e := newServer(newHandler(t, images(t)), setup)
		for name, tc := range tests {
			t.Run(setupName+"/"+name, func(t *testing.T) {
				w := serve(e, tc.method, tc.target)
				if w.Code != tc.status {
					t.Fatalf("%s %s = %d %q, want %d", tc.method, tc.target, w.Code, w.Body, tc.status)
				}
				if got := w.Header().Get("Content-Type"); !strings.HasPrefix(got, tc.contentType) {
					t.Errorf("%s %s: Content-Type %q, want %q", tc.method, tc.target, got, tc.contentType)
				}
				if tc.body != "" && w.Body.String() != tc.body {
					t.Errorf("%s %s: body %q, want %q", tc.method, tc.target, w.Body, tc.body)
				}
				if tc.width != 0 {
					cfg, err := jpeg.DecodeConfig(bytes.NewReader(w.Body.Bytes()))
					if err != nil {
						t.Fatalf("%s %s: not a JPEG: %v", tc.method, tc.target, err)
					}
					if cfg.Width != tc.width || cfg.Height != tc.height {
						t.Errorf("%s %s: %d×%d image, want %d×%d", tc.method, tc.target, cfg.Width, cfg.Height, tc.width, tc.height)
					}
				}
			})
		}
	}
}

func TestConditionalAndHead(t *testing.T) {
	const target = "/img/tr:w-320/photo.jpg"
	for setupName, setup := range setups {
		t.Run(setupName, func(t *testing.T) {
			e := newServer(newHandler(t, images(t)), setup)
			get := serve(e, http.MethodGet, target)
			if get.Code != http.StatusOK {
				t.Fatalf("GET %s = %d %q", target, get.Code, get.Body)
			}
			etag := get.Header().Get("ETag")
			if etag == "" {
				t.Fatalf("GET %s: no ETag", target)
			}

			w := serve(e, http.MethodGet, target, "If-None-Match", etag)
			if w.Code != http.StatusNotModified || w.Body.Len() != 0 {
				t.Errorf("GET %s with If-None-Match %s = %d with %d bytes, want 304 without a body", target, etag, w.Code, w.Body.Len())
			}
			if got := w.Header().Get("ETag"); got != etag {
				t.Errorf("304: ETag %q, want %q", got, etag)
			}
			w = serve(e, http.MethodGet, target, "If-None-Match", `"other"`)
			if w.Code != http.StatusOK {
				t.Errorf("GET %s with a stale If-None-Match = %d, want 200", target, w.Code)
			}

			w = serve(e, http.MethodHead, target)
			if w.Code != http.StatusOK || w.Body.Len() != 0 {
				t.Errorf("HEAD %s = %d with %d bytes, want 200 without a body", target, w.Code, w.Body.Len())
			}
			if got, want := w.Header().Get("Content-Length"), strconv.Itoa(get.Body.Len()); got != want {
				t.Errorf("HEAD %s: Content-Length %q, want %q (the GET's)", target, got, want)
			}
			if got := w.Header().Get("Content-Type"); got != "image/jpeg" {
				t.Errorf("HEAD %s: Content-Type %q, want image/jpeg", target, got)
			}
		})
	}
}

func TestMountKeepsGroupMiddleware(t *testing.T) {
	for _, setupName := range []string{"Mount", "Mount on a subgroup"} {
		e := newServer(newHandler(t, images(t)), setups[setupName])
		if w := serve(e, http.MethodGet, "/img/tr:w-32/photo.jpg"); w.Code != http.StatusOK || w.Header().Get("X-Group") != "images" {
			t.Errorf("%s: image: %d, X-Group %q; want 200 and the group middleware's header", setupName, w.Code, w.Header().Get("X-Group"))
		}
		if w := serve(e, http.MethodGet, "/hello"); w.Header().Get("X-Group") != "" {
			t.Errorf("%s: application route got the image group's middleware", setupName)
		}
	}
}

func TestMountMethods(t *testing.T) {
	e := echo.New()
	g := e.Group("/img")
	imgcdnechov5.Mount(g, newHandler(t, images(t)))
	g.POST("/upload", func(c *echo.Context) error { return c.String(http.StatusCreated, "uploaded") })
	if w := serve(e, http.MethodPost, "/img/upload"); w.Code != http.StatusCreated {
		t.Errorf("POST /img/upload beside Mount = %d, want the application's 201", w.Code)
	}
	if w := serve(e, http.MethodDelete, "/img/photo.jpg"); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("DELETE /img/photo.jpg = %d, want echo's 405", w.Code)
	}
}

func TestMiddlewareMethods(t *testing.T) {
	e := newServer(newHandler(t, images(t)), setups["Middleware with Pre"])
	w := serve(e, http.MethodPost, "/img/photo.jpg")
	if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") == "" {
		t.Errorf("POST /img/photo.jpg = %d, Allow %q; want the Handler's 405 with Allow", w.Code, w.Header().Get("Allow"))
	}
}

func TestMountPanics(t *testing.T) {
	tests := map[string]struct {
		prefix string
		group  func(*echo.Echo) *echo.Group
	}{
		"other group":    {"/img", func(e *echo.Echo) *echo.Group { return e.Group("/api") }},
		"parent group":   {"/static/img", func(e *echo.Echo) *echo.Group { return e.Group("/static") }},
		"deeper group":   {"/img", func(e *echo.Echo) *echo.Group { return e.Group("/img/x") }},
		"trailing slash": {"/img", func(e *echo.Echo) *echo.Group { return e.Group("/img/") }},
		"empty prefix":   {"", func(e *echo.Echo) *echo.Group { return e.Group("") }},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h := newHandler(t, images(t), middleware.WithPrefix(tc.prefix))
			g := tc.group(echo.New())
			defer func() {
				if recover() == nil {
					t.Errorf("Mount with prefix %q did not panic", tc.prefix)
				}
			}()
			imgcdnechov5.Mount(g, h)
		})
	}
}

// blockingStore serves the corpus photo's Stat, and blocks in Open until
// the context is done, then reports the context's error on done.
type blockingStore struct {
	store.Store
	opened chan struct{}
	done   chan error
}

func newBlockingStore(t testing.TB) *blockingStore {
	return &blockingStore{Store: images(t), opened: make(chan struct{}), done: make(chan error, 1)}
}

func (s *blockingStore) Open(ctx context.Context, key string) (io.ReadCloser, store.Info, error) {
	close(s.opened)
	<-ctx.Done()
	s.done <- ctx.Err()
	return nil, store.Info{}, ctx.Err()
}

// TestClientDisconnectCancels checks that the request context reaching the
// Handler is echo's request context: a client that goes away while its
// image is being made cancels the work (the store sees context.Canceled
// long before the processing timeout).
func TestClientDisconnectCancels(t *testing.T) {
	for setupName, setup := range setups {
		t.Run(setupName, func(t *testing.T) {
			bs := newBlockingStore(t)
			srv := httptest.NewServer(newServer(newHandler(t, bs, middleware.WithTimeout(20*time.Second)), setup))
			defer srv.Close()

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/img/tr:w-320/photo.jpg", nil)
			if err != nil {
				t.Fatal(err)
			}
			got := make(chan error, 1)
			go func() {
				resp, err := srv.Client().Do(req)
				if err == nil {
					resp.Body.Close()
					err = errors.New(resp.Status)
				}
				got <- err
			}()
			select {
			case <-bs.opened:
			case err := <-got:
				t.Fatalf("request ended before the store was opened: %v", err)
			case <-time.After(10 * time.Second):
				t.Fatal("the store was never opened")
			}
			cancel() // the client disconnects
			select {
			case err := <-bs.done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("store saw %v, want context.Canceled", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the store's context was not cancelled after the client disconnected")
			}
			if err := <-got; !errors.Is(err, context.Canceled) {
				t.Errorf("client: %v, want context.Canceled", err)
			}
		})
	}
}

// TestRequestContextFromMiddleware checks that the Handler reads the
// request as the application's middleware left it: a deadline set with
// c.SetRequest ends the work with a 504.
func TestRequestContextFromMiddleware(t *testing.T) {
	bs := newBlockingStore(t)
	e := echo.New()
	g := e.Group("/img", func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			ctx, cancel := context.WithTimeout(c.Request().Context(), 50*time.Millisecond)
			defer cancel()
			c.SetRequest(c.Request().WithContext(ctx))
			return next(c)
		}
	})
	imgcdnechov5.Mount(g, newHandler(t, bs, middleware.WithTimeout(20*time.Second)))
	w := serve(e, http.MethodGet, "/img/tr:w-320/photo.jpg")
	if w.Code != http.StatusGatewayTimeout {
		t.Errorf("GET with a 50 ms deadline = %d %q, want 504", w.Code, w.Body)
	}
	select {
	case err := <-bs.done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("store saw %v, want context.Canceled (the request that was waiting left)", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the store's context was not cancelled")
	}
}
