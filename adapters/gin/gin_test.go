package imgcdngin_test

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gin-gonic/gin"

	imgcdngin "github.com/imgcdn/imgcdn/adapters/gin"
	"github.com/imgcdn/imgcdn/internal/testcorpus"
	"github.com/imgcdn/imgcdn/middleware"
	"github.com/imgcdn/imgcdn/store"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(m.Run())
}

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

// setups are the ways of putting h into a gin engine that the tests check.
// Each engine also has an application route, GET /hello, and a group
// middleware that marks the responses of the image group with X-Group.
var setups = map[string]func(e *gin.Engine, h *middleware.Handler){
	"Mount on a group": func(e *gin.Engine, h *middleware.Handler) {
		imgcdngin.Mount(e.Group("/img", markGroup), h)
	},
	"Mount on a parent group": func(e *gin.Engine, h *middleware.Handler) {
		imgcdngin.Mount(e.Group("/", markGroup), h)
	},
	"Mount on the engine": func(e *gin.Engine, h *middleware.Handler) {
		imgcdngin.Mount(e, h)
	},
	"Middleware": func(e *gin.Engine, h *middleware.Handler) {
		e.Use(imgcdngin.Middleware(h))
	},
}

func markGroup(c *gin.Context) {
	c.Header("X-Group", "images")
	c.Next()
}

// newEngine returns a gin engine with h put in by setup and one
// application route.
func newEngine(h *middleware.Handler, setup func(*gin.Engine, *middleware.Handler)) *gin.Engine {
	e := gin.New()
	setup(e, h)
	e.GET("/hello", func(c *gin.Context) { c.String(http.StatusOK, "hello from gin") })
	return e
}

// serve sends a request through e.ServeHTTP, gin's own entry point.
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
			status: http.StatusOK, contentType: "text/plain; charset=utf-8", body: "hello from gin",
		},
		"no route": {
			method: http.MethodGet, target: "/nothing/photo.jpg",
			status: http.StatusNotFound, body: "404 page not found",
		},
		"prefix lookalike": {
			method: http.MethodGet, target: "/imgs/photo.jpg",
			status: http.StatusNotFound, body: "404 page not found",
		},
	}
	for setupName, setup := range setups {
		e := newEngine(newHandler(t, images(t)), setup)
		for name, tc := range tests {
			t.Run(setupName+"/"+name, func(t *testing.T) {
				w := serve(e, tc.method, tc.target)
				if w.Code != tc.status {
					t.Fatalf("%s %s = %d %q, want %d", tc.method, tc.target, w.Code, w.Body, tc.status)
				}
				if tc.contentType != "" {
					if got := w.Header().Get("Content-Type"); got != tc.contentType {
						t.Errorf("%s %s: Content-Type %q, want %q", tc.method, tc.target, got, tc.contentType)
					}
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
			e := newEngine(newHandler(t, images(t)), setup)
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
	e := newEngine(newHandler(t, images(t)), setups["Mount on a group"])
	if w := serve(e, http.MethodGet, "/img/tr:w-32/photo.jpg"); w.Code != http.StatusOK || w.Header().Get("X-Group") != "images" {
		t.Errorf("image: %d, X-Group %q; want 200 and the group middleware's header", w.Code, w.Header().Get("X-Group"))
	}
	if w := serve(e, http.MethodGet, "/hello"); w.Header().Get("X-Group") != "" {
		t.Errorf("application route got the image group's middleware")
	}
}

func TestMountMethods(t *testing.T) {
	h := newHandler(t, images(t))
	e := gin.New()
	imgcdngin.Mount(e.Group("/img"), h)
	e.POST("/img/upload", func(c *gin.Context) { c.String(http.StatusCreated, "uploaded") })
	if w := serve(e, http.MethodPost, "/img/upload"); w.Code != http.StatusCreated {
		t.Errorf("POST /img/upload beside Mount = %d, want the application's 201", w.Code)
	}
	if w := serve(e, http.MethodDelete, "/img/photo.jpg"); w.Code != http.StatusNotFound {
		t.Errorf("DELETE /img/photo.jpg = %d, want gin's 404", w.Code)
	}
}

func TestMiddlewareMethods(t *testing.T) {
	e := newEngine(newHandler(t, images(t)), setups["Middleware"])
	w := serve(e, http.MethodPost, "/img/photo.jpg")
	if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") == "" {
		t.Errorf("POST /img/photo.jpg = %d, Allow %q; want the Handler's 405 with Allow", w.Code, w.Header().Get("Allow"))
	}
}

func TestMountPanics(t *testing.T) {
	tests := map[string]struct {
		prefix string
		router func(*gin.Engine) imgcdngin.Router
	}{
		"other group":   {"/img", func(e *gin.Engine) imgcdngin.Router { return e.Group("/api") }},
		"deeper group":  {"/img", func(e *gin.Engine) imgcdngin.Router { return e.Group("/img/x") }},
		"partial name":  {"/imgs", func(e *gin.Engine) imgcdngin.Router { return e.Group("/img") }},
		"empty prefix":  {"", func(e *gin.Engine) imgcdngin.Router { return e }},
		"route clashes": {"/img", func(e *gin.Engine) imgcdngin.Router { e.GET("/img/*any", func(*gin.Context) {}); return e }},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h := newHandler(t, images(t), middleware.WithPrefix(tc.prefix))
			r := tc.router(gin.New())
			defer func() {
				if recover() == nil {
					t.Errorf("Mount(%s, prefix %q) did not panic", r.BasePath(), tc.prefix)
				}
			}()
			imgcdngin.Mount(r, h)
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
// Handler is gin's request context: a client that goes away while its
// image is being made cancels the work (the store sees context.Canceled
// long before the processing timeout).
func TestClientDisconnectCancels(t *testing.T) {
	for setupName, setup := range setups {
		t.Run(setupName, func(t *testing.T) {
			bs := newBlockingStore(t)
			srv := httptest.NewServer(newEngine(newHandler(t, bs, middleware.WithTimeout(20*time.Second)), setup))
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
