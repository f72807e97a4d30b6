package imgcdnfiber_test

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gofiber/fiber/v2"

	imgcdnfiber "github.com/imgcdn/imgcdn/adapters/fiber"
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

// setups are the ways of putting h into a fiber app that the tests check.
var setups = map[string]func(app *fiber.App, h *middleware.Handler){
	"Mount on a group": func(app *fiber.App, h *middleware.Handler) {
		imgcdnfiber.Mount(app.Group("/img", markGroup), h)
	},
	"Mount on a parent group": func(app *fiber.App, h *middleware.Handler) {
		imgcdnfiber.Mount(app.Group("/"), h)
	},
	"Mount on the app": func(app *fiber.App, h *middleware.Handler) {
		imgcdnfiber.Mount(app, h)
	},
	"Middleware": func(app *fiber.App, h *middleware.Handler) {
		app.Use(imgcdnfiber.Middleware(h))
	},
}

// markGroup is a group middleware that marks its responses with X-Group.
func markGroup(c *fiber.Ctx) error {
	c.Set("X-Group", "images")
	return c.Next()
}

// newApp returns a fiber app with h put in by setup and one application
// route, GET /hello, after the middleware of before.
func newApp(h *middleware.Handler, setup func(*fiber.App, *middleware.Handler), before ...fiber.Handler) *fiber.App {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	for _, b := range before {
		app.Use(b)
	}
	setup(app, h)
	app.Get("/hello", func(c *fiber.Ctx) error { return c.SendString("hello from fiber") })
	return app
}

// serve sends a request through app.Test, fiber's own test entry point,
// and returns the response and its body.
func serve(t testing.TB, app *fiber.App, method, target string, header ...string) (*http.Response, []byte) {
	t.Helper()
	// The target goes to app.Test as is (RequestURI for fiber v2, an
	// opaque URL for v3), so that a target that net/url refuses (a
	// malformed escape) reaches fiber too.
	r := httptest.NewRequest(method, "/", nil)
	path, query, _ := strings.Cut(target, "?")
	r.URL = &url.URL{Opaque: path, RawQuery: query}
	r.RequestURI = target
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	resp, err := app.Test(r, 20000)
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
		"escaped path": {
			method: http.MethodGet, target: "/img/tr%3Aw-100/photo%2Ejpg",
			status: http.StatusOK, contentType: "image/jpeg", width: 100, height: 56,
		},
		"encoded slash": {
			method: http.MethodGet, target: "/img/a%2Fphoto.jpg",
			status: http.StatusBadRequest, contentType: "text/plain; charset=utf-8",
		},
		"malformed escape": {
			method: http.MethodGet, target: "/img/tr:w-100/%zz.jpg",
			status: http.StatusBadRequest,
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
			status: http.StatusOK, contentType: "text/plain; charset=utf-8", body: "hello from fiber",
		},
		"no route": {
			method: http.MethodGet, target: "/nothing/photo.jpg",
			status: http.StatusNotFound, body: "Cannot GET /nothing/photo.jpg",
		},
		"prefix lookalike": {
			method: http.MethodGet, target: "/imgs/photo.jpg",
			status: http.StatusNotFound, body: "Cannot GET /imgs/photo.jpg",
		},
	}
	for setupName, setup := range setups {
		app := newApp(newHandler(t, images(t)), setup)
		for name, tc := range tests {
			t.Run(setupName+"/"+name, func(t *testing.T) {
				resp, body := serve(t, app, tc.method, tc.target)
				if resp.StatusCode != tc.status {
					t.Fatalf("%s %s = %d %q, want %d", tc.method, tc.target, resp.StatusCode, body, tc.status)
				}
				if tc.contentType != "" {
					if got := resp.Header.Get("Content-Type"); got != tc.contentType {
						t.Errorf("%s %s: Content-Type %q, want %q", tc.method, tc.target, got, tc.contentType)
					}
				}
				if tc.body != "" && string(body) != tc.body {
					t.Errorf("%s %s: body %q, want %q", tc.method, tc.target, body, tc.body)
				}
				if tc.width != 0 {
					cfg, err := jpeg.DecodeConfig(bytes.NewReader(body))
					if err != nil {
						t.Fatalf("%s %s: not a JPEG: %v", tc.method, tc.target, err)
					}
					if cfg.Width != tc.width || cfg.Height != tc.height {
						t.Errorf("%s %s: %d×%d image, want %d×%d", tc.method, tc.target, cfg.Width, cfg.Height, tc.width, tc.height)
					}
					if got, want := resp.Header.Get("Content-Length"), strconv.Itoa(len(body)); got != want {
						t.Errorf("%s %s: Content-Length %s, want %s", tc.method, tc.target, got, want)
					}
					if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
						t.Errorf("%s %s: X-Content-Type-Options %q, want nosniff", tc.method, tc.target, got)
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
			app := newApp(newHandler(t, images(t)), setup)
			get, body := serve(t, app, http.MethodGet, target)
			if get.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d %q", target, get.StatusCode, body)
			}
			etag := get.Header.Get("ETag")
			if etag == "" {
				t.Fatalf("GET %s: no ETag", target)
			}

			resp, b := serve(t, app, http.MethodGet, target, "If-None-Match", etag)
			if resp.StatusCode != http.StatusNotModified || len(b) != 0 {
				t.Errorf("GET %s with If-None-Match %s = %d with %d bytes, want 304 without a body", target, etag, resp.StatusCode, len(b))
			}
			if got := resp.Header.Get("ETag"); got != etag {
				t.Errorf("304: ETag %q, want %q", got, etag)
			}
			// Repeated header fields all reach the Handler.
			resp, _ = serve(t, app, http.MethodGet, target, "If-None-Match", etag, "If-None-Match", `"other"`)
			if resp.StatusCode != http.StatusNotModified {
				t.Errorf("GET %s with If-None-Match %s and a stale one = %d, want 304", target, etag, resp.StatusCode)
			}
			resp, _ = serve(t, app, http.MethodGet, target, "If-None-Match", `"other"`)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("GET %s with a stale If-None-Match = %d, want 200", target, resp.StatusCode)
			}

			resp, b = serve(t, app, http.MethodHead, target)
			if resp.StatusCode != http.StatusOK || len(b) != 0 {
				t.Errorf("HEAD %s = %d with %d bytes, want 200 without a body", target, resp.StatusCode, len(b))
			}
			if got, want := resp.Header.Get("Content-Length"), strconv.Itoa(len(body)); got != want {
				t.Errorf("HEAD %s: Content-Length %q, want %q (the GET's)", target, got, want)
			}
			if got := resp.Header.Get("Content-Type"); got != "image/jpeg" {
				t.Errorf("HEAD %s: Content-Type %q, want image/jpeg", target, got)
			}

			resp, b = serve(t, app, http.MethodGet, target, "Range", "bytes=0-99")
			if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(b, body[:100]) {
				t.Errorf("GET %s with Range bytes=0-99 = %d with %d bytes, want 206 with the first 100 bytes", target, resp.StatusCode, len(b))
			}
		})
	}
}

func TestMountKeepsGroupMiddleware(t *testing.T) {
	app := newApp(newHandler(t, images(t)), setups["Mount on a group"])
	if resp, _ := serve(t, app, http.MethodGet, "/img/tr:w-32/photo.jpg"); resp.StatusCode != http.StatusOK || resp.Header.Get("X-Group") != "images" {
		t.Errorf("image: %d, X-Group %q; want 200 and the group middleware's header", resp.StatusCode, resp.Header.Get("X-Group"))
	}
	if resp, _ := serve(t, app, http.MethodGet, "/img/missing.jpg"); resp.StatusCode != http.StatusNotFound || resp.Header.Get("X-Group") != "images" {
		t.Errorf("error: %d, X-Group %q; want 404 with the group middleware's header", resp.StatusCode, resp.Header.Get("X-Group"))
	}
	if resp, _ := serve(t, app, http.MethodGet, "/hello"); resp.Header.Get("X-Group") != "" {
		t.Errorf("application route got the image group's middleware")
	}
}

func TestMountMethods(t *testing.T) {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	g := app.Group("/img")
	imgcdnfiber.Mount(g, newHandler(t, images(t)))
	g.Post("/upload", func(c *fiber.Ctx) error { return c.Status(http.StatusCreated).SendString("uploaded") })
	if resp, _ := serve(t, app, http.MethodPost, "/img/upload"); resp.StatusCode != http.StatusCreated {
		t.Errorf("POST /img/upload beside Mount = %d, want the application's 201", resp.StatusCode)
	}
	if resp, _ := serve(t, app, http.MethodDelete, "/img/photo.jpg"); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("DELETE /img/photo.jpg = %d, want fiber's 405", resp.StatusCode)
	}
}

func TestMiddlewareMethods(t *testing.T) {
	app := newApp(newHandler(t, images(t)), setups["Middleware"])
	resp, _ := serve(t, app, http.MethodPost, "/img/photo.jpg")
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") == "" {
		t.Errorf("POST /img/photo.jpg = %d, Allow %q; want the Handler's 405 with Allow", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

func TestMountPanics(t *testing.T) {
	tests := map[string]struct {
		prefix string
		router func(*fiber.App) fiber.Router
	}{
		"other group":  {"/img", func(app *fiber.App) fiber.Router { return app.Group("/api") }},
		"deeper group": {"/img", func(app *fiber.App) fiber.Router { return app.Group("/img/x") }},
		"partial name": {"/imgs", func(app *fiber.App) fiber.Router { return app.Group("/img") }},
		"empty prefix": {"", func(app *fiber.App) fiber.Router { return app }},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h := newHandler(t, images(t), middleware.WithPrefix(tc.prefix))
			r := tc.router(fiber.New(fiber.Config{DisableStartupMessage: true}))
			defer func() {
				if recover() == nil {
					t.Errorf("Mount with prefix %q did not panic", tc.prefix)
				}
			}()
			imgcdnfiber.Mount(r, h)
		})
	}
}

// TestResponseHeadersKept checks that the response header fields set by
// fiber middleware before the Handler are sent, unless the Handler sets
// the same field.
func TestResponseHeadersKept(t *testing.T) {
	cors := func(c *fiber.Ctx) error {
		c.Set("Access-Control-Allow-Origin", "*")
		c.Set("Cache-Control", "private")
		return c.Next()
	}
	for setupName, setup := range setups {
		app := newApp(newHandler(t, images(t)), setup, cors)
		resp, _ := serve(t, app, http.MethodGet, "/img/tr:w-32/photo.jpg")
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("%s: Access-Control-Allow-Origin %q, want fiber's *", setupName, got)
		}
		if got := resp.Header.Values("Cache-Control"); len(got) != 1 || got[0] != middleware.DefaultCacheControl {
			t.Errorf("%s: Cache-Control %q, want the Handler's %q only", setupName, got, middleware.DefaultCacheControl)
		}
	}
}

// blockingStore serves the corpus photo's Stat, and blocks in Open until
// the context is done, then reports the context's error on done.
type blockingStore struct {
	store.Store
	opened chan struct{}
	done   chan error
	value  any // the context's value for valueKey{}, once opened
}

// valueKey is the key of a context value that tests follow to the store.
type valueKey struct{}

func newBlockingStore(t testing.TB) *blockingStore {
	return &blockingStore{Store: images(t), opened: make(chan struct{}), done: make(chan error, 1)}
}

func (s *blockingStore) Open(ctx context.Context, key string) (io.ReadCloser, store.Info, error) {
	s.value = ctx.Value(valueKey{})
	close(s.opened)
	<-ctx.Done()
	s.done <- ctx.Err()
	return nil, store.Info{}, ctx.Err()
}

// waitOpened waits until the store is opened, failing t if errc reports
// first or nothing happens for 10 s.
func (s *blockingStore) waitOpened(t *testing.T, errc <-chan error) {
	t.Helper()
	select {
	case <-s.opened:
	case err := <-errc:
		t.Fatalf("request ended before the store was opened: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the store was never opened")
	}
}

// waitDone waits for the store to see its context end, and returns the
// context's error.
func (s *blockingStore) waitDone(t *testing.T, what string) error {
	t.Helper()
	select {
	case err := <-s.done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("the store's context was not cancelled after %s", what)
		return nil
	}
}

// withUserContext returns a fiber middleware that sets ctx as the request's
// user context.
func withUserContext(ctx context.Context) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.SetUserContext(ctx)
		return c.Next()
	}
}

// TestUserContextCancels checks that the request context reaching the
// Handler is fiber's c.UserContext(): cancelling it cancels the work.
func TestUserContextCancels(t *testing.T) {
	for setupName, setup := range setups {
		t.Run(setupName, func(t *testing.T) {
			bs := newBlockingStore(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			app := newApp(newHandler(t, bs, middleware.WithTimeout(20*time.Second)), setup, withUserContext(ctx))
			status := make(chan int, 1)
			errc := make(chan error, 1)
			go func() {
				resp, err := app.Test(httptest.NewRequest(http.MethodGet, "/img/tr:w-320/photo.jpg", nil), 20000)
				if err != nil {
					errc <- err
					return
				}
				resp.Body.Close()
				status <- resp.StatusCode
			}()
			bs.waitOpened(t, errc)
			cancel()
			if err := bs.waitDone(t, "the user context was cancelled"); !errors.Is(err, context.Canceled) {
				t.Errorf("store saw %v, want context.Canceled", err)
			}
			select {
			case code := <-status:
				if code != http.StatusServiceUnavailable {
					t.Errorf("status %d, want 503", code)
				}
			case err := <-errc:
				t.Fatal(err)
			}
		})
	}
}

// TestTimeoutCancels checks that the Handler's processing timeout ends the
// work and answers 504.
func TestTimeoutCancels(t *testing.T) {
	bs := newBlockingStore(t)
	app := newApp(newHandler(t, bs, middleware.WithTimeout(100*time.Millisecond)), setups["Middleware"])
	start := time.Now()
	resp, body := serve(t, app, http.MethodGet, "/img/tr:w-320/photo.jpg")
	if resp.StatusCode != http.StatusGatewayTimeout {
		t.Errorf("status %d %q, want 504", resp.StatusCode, body)
	}
	if err := bs.waitDone(t, "the timeout"); !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("store saw %v, want a cancellation", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("a 100 ms timeout took %v", d)
	}
}

// listen starts app on a loopback port and returns its base URL; the app
// is shut down at the end of the test.
func listen(t *testing.T, app *fiber.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	t.Cleanup(func() {
		if err := app.ShutdownWithTimeout(5 * time.Second); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("app.Listener: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// TestShutdownCancels checks that shutting the server down cancels the
// transformations in flight: the store sees the cancellation and the
// client gets a 503, long before the processing timeout. With a request
// context of the application's, its values reach the store too.
func TestShutdownCancels(t *testing.T) {
	for name, value := range map[string]any{"default context": nil, "context with a value": "from the app"} {
		t.Run(name, func(t *testing.T) {
			bs := newBlockingStore(t)
			var before []fiber.Handler
			if value != nil {
				before = append(before, withUserContext(context.WithValue(context.Background(), valueKey{}, value)))
			}
			app := newApp(newHandler(t, bs, middleware.WithTimeout(20*time.Second)), setups["Mount on a group"], before...)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			served := make(chan error, 1)
			go func() { served <- app.Listener(ln) }()

			status := make(chan int, 1)
			errc := make(chan error, 1)
			go func() {
				resp, err := http.Get("http://" + ln.Addr().String() + "/img/tr:w-320/photo.jpg")
				if err != nil {
					errc <- err
					return
				}
				resp.Body.Close()
				status <- resp.StatusCode
			}()
			bs.waitOpened(t, errc)
			if bs.value != value {
				t.Errorf("store saw the context value %v, want %v", bs.value, value)
			}
			start := time.Now()
			if err := app.ShutdownWithTimeout(10 * time.Second); err != nil {
				t.Errorf("shutdown: %v", err)
			}
			if err := bs.waitDone(t, "the server shut down"); !errors.Is(err, context.Canceled) {
				t.Errorf("store saw %v, want context.Canceled", err)
			}
			select {
			case code := <-status:
				if code != http.StatusServiceUnavailable {
					t.Errorf("status %d, want 503", code)
				}
			case err := <-errc:
				t.Errorf("client: %v, want a 503", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("shutdown took %v with a transformation in flight", d)
			}
			if err := <-served; err != nil {
				t.Errorf("app.Listener: %v", err)
			}
		})
	}
}

// TestClientDisconnectDoesNotCancel documents fasthttp's limit: a client
// that disconnects does not cancel its transformation; the request context
// (here, a user context the test cancels) and the timeouts do.
func TestClientDisconnectDoesNotCancel(t *testing.T) {
	bs := newBlockingStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	app := newApp(newHandler(t, bs, middleware.WithTimeout(20*time.Second)), setups["Middleware"], withUserContext(ctx))
	base := listen(t, app)

	cctx, disconnect := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(cctx, http.MethodGet, base+"/img/tr:w-320/photo.jpg", nil)
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			err = errors.New(resp.Status)
		}
		errc <- err
	}()
	bs.waitOpened(t, errc)
	disconnect()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("client: %v, want context.Canceled", err)
	}
	select {
	case err := <-bs.done:
		t.Fatalf("the client's disconnect reached the store (%v): update the package documentation", err)
	case <-time.After(300 * time.Millisecond):
	}
	cancel()
	if err := bs.waitDone(t, "the user context was cancelled"); !errors.Is(err, context.Canceled) {
		t.Errorf("store saw %v, want context.Canceled", err)
	}
}
