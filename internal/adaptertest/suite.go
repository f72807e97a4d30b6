package adaptertest

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"io"
	"net"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/middleware"
	"github.com/imgcdn/imgcdn/store"
)

// handlerCases are the requests that the Handler answers, under every
// setup.
var handlerCases = map[string]Case{
	"transformed": {
		Method: http.MethodGet, Target: "/img/tr:w-320/photo.jpg",
		Status: http.StatusOK, ContentType: "image/jpeg", Width: 320, Height: 180,
	},
	"query form": {
		Method: http.MethodGet, Target: "/img/photo.jpg?tr=w-200,h-200",
		Status: http.StatusOK, ContentType: "image/jpeg", Width: 200, Height: 200,
	},
	"escaped path": {
		Method: http.MethodGet, Target: "/img/tr%3Aw-100/photo%2Ejpg",
		Status: http.StatusOK, ContentType: "image/jpeg", Width: 100, Height: 56,
	},
	"encoded slash": {
		Method: http.MethodGet, Target: "/img/a%2Fphoto.jpg",
		Status: http.StatusBadRequest, ContentType: "text/plain; charset=utf-8",
	},
	"missing image": {
		Method: http.MethodGet, Target: "/img/tr:w-320/missing.jpg",
		Status: http.StatusNotFound, ContentType: "text/plain; charset=utf-8", Body: "image not found\n",
	},
	"bad transformation": {
		Method: http.MethodGet, Target: "/img/tr:w-banana/photo.jpg",
		Status: http.StatusBadRequest, ContentType: "text/plain; charset=utf-8",
	},
}

func (s suite) serve(t *testing.T) {
	for setupName := range s.Setups {
		app := s.app(t, setupName, NewHandler(t, Images(t)), Options{})
		for _, cases := range []map[string]Case{handlerCases, s.Cases} {
			for name, tc := range cases {
				t.Run(setupName+"/"+name, func(t *testing.T) { check(t, app, tc) })
			}
		}
	}
}

// check sends the request of tc through app and checks the answer.
func check(t *testing.T, app App, tc Case) {
	resp, body := Serve(t, app, tc.Method, tc.Target)
	if resp.StatusCode != tc.Status {
		t.Fatalf("%s %s = %d %q, want %d", tc.Method, tc.Target, resp.StatusCode, body, tc.Status)
	}
	if tc.ContentType != "" {
		if got := resp.Header.Get("Content-Type"); got != tc.ContentType {
			t.Errorf("%s %s: Content-Type %q, want %q", tc.Method, tc.Target, got, tc.ContentType)
		}
	}
	if tc.Body != "" && string(body) != tc.Body {
		t.Errorf("%s %s: body %q, want %q", tc.Method, tc.Target, body, tc.Body)
	}
	if tc.Width != 0 {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s %s: not a JPEG: %v", tc.Method, tc.Target, err)
		}
		if cfg.Width != tc.Width || cfg.Height != tc.Height {
			t.Errorf("%s %s: %d×%d image, want %d×%d", tc.Method, tc.Target, cfg.Width, cfg.Height, tc.Width, tc.Height)
		}
		if got, want := resp.Header.Get("Content-Length"), strconv.Itoa(len(body)); got != want {
			t.Errorf("%s %s: Content-Length %s, want %s", tc.Method, tc.Target, got, want)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s %s: X-Content-Type-Options %q, want nosniff", tc.Method, tc.Target, got)
		}
	}
}

func (s suite) conditionalAndHead(t *testing.T) {
	const target = "/img/tr:w-320/photo.jpg"
	for setupName := range s.Setups {
		t.Run(setupName, func(t *testing.T) {
			app := s.app(t, setupName, NewHandler(t, Images(t)), Options{})
			get, body := Serve(t, app, http.MethodGet, target)
			if get.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d %q", target, get.StatusCode, body)
			}
			etag := get.Header.Get("ETag")
			if etag == "" {
				t.Fatalf("GET %s: no ETag", target)
			}

			resp, b := Serve(t, app, http.MethodGet, target, "If-None-Match", etag)
			if resp.StatusCode != http.StatusNotModified || len(b) != 0 {
				t.Errorf("GET %s with If-None-Match %s = %d with %d bytes, want 304 without a body", target, etag, resp.StatusCode, len(b))
			}
			if got := resp.Header.Get("ETag"); got != etag {
				t.Errorf("304: ETag %q, want %q", got, etag)
			}
			// Repeated header fields all reach the Handler.
			resp, _ = Serve(t, app, http.MethodGet, target, "If-None-Match", etag, "If-None-Match", `"other"`)
			if resp.StatusCode != http.StatusNotModified {
				t.Errorf("GET %s with If-None-Match %s and a stale one = %d, want 304", target, etag, resp.StatusCode)
			}
			resp, _ = Serve(t, app, http.MethodGet, target, "If-None-Match", `"other"`)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("GET %s with a stale If-None-Match = %d, want 200", target, resp.StatusCode)
			}

			resp, b = Serve(t, app, http.MethodHead, target)
			if resp.StatusCode != http.StatusOK || len(b) != 0 {
				t.Errorf("HEAD %s = %d with %d bytes, want 200 without a body", target, resp.StatusCode, len(b))
			}
			if got, want := resp.Header.Get("Content-Length"), strconv.Itoa(len(body)); got != want {
				t.Errorf("HEAD %s: Content-Length %q, want %q (the GET's)", target, got, want)
			}
			if got := resp.Header.Get("Content-Type"); got != "image/jpeg" {
				t.Errorf("HEAD %s: Content-Type %q, want image/jpeg", target, got)
			}

			resp, b = Serve(t, app, http.MethodGet, target, "Range", "bytes=0-99")
			if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(b, body[:100]) {
				t.Errorf("GET %s with Range bytes=0-99 = %d with %d bytes, want 206 with the first 100 bytes", target, resp.StatusCode, len(b))
			}
		})
	}
}

func (s suite) groupMiddleware(t *testing.T) {
	for _, setupName := range s.Grouped {
		app := s.app(t, setupName, NewHandler(t, Images(t)), Options{})
		if resp, _ := Serve(t, app, http.MethodGet, "/img/tr:w-32/photo.jpg"); resp.StatusCode != http.StatusOK || resp.Header.Get("X-Group") != "images" {
			t.Errorf("%s: image: %d, X-Group %q; want 200 and the group middleware's header", setupName, resp.StatusCode, resp.Header.Get("X-Group"))
		}
		if resp, _ := Serve(t, app, http.MethodGet, "/img/missing.jpg"); resp.StatusCode != http.StatusNotFound || resp.Header.Get("X-Group") != "images" {
			t.Errorf("%s: error: %d, X-Group %q; want 404 with the group middleware's header", setupName, resp.StatusCode, resp.Header.Get("X-Group"))
		}
		if resp, _ := Serve(t, app, http.MethodGet, "/hello"); resp.Header.Get("X-Group") != "" {
			t.Errorf("%s: application route got the image group's middleware", setupName)
		}
	}
}

func (s suite) mountMethods(t *testing.T) {
	app := s.Methods(NewHandler(t, Images(t)))
	if resp, _ := Serve(t, app, http.MethodPost, "/img/upload"); resp.StatusCode != http.StatusCreated {
		t.Errorf("POST /img/upload beside Mount = %d, want the application's 201", resp.StatusCode)
	}
	if resp, _ := Serve(t, app, http.MethodDelete, "/img/photo.jpg"); resp.StatusCode != s.OtherMethodStatus {
		t.Errorf("DELETE /img/photo.jpg = %d, want the framework's %d", resp.StatusCode, s.OtherMethodStatus)
	}
}

func (s suite) middlewareMethods(t *testing.T) {
	app := s.app(t, s.Middleware, NewHandler(t, Images(t)), Options{})
	resp, _ := Serve(t, app, http.MethodPost, "/img/photo.jpg")
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") == "" {
		t.Errorf("POST /img/photo.jpg = %d, Allow %q; want the Handler's 405 with Allow", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

// responseHeadersKept checks that the response header fields set by
// framework middleware before the Handler are sent, unless the Handler
// sets the same field.
func (s suite) responseHeadersKept(t *testing.T) {
	cors := http.Header{"Access-Control-Allow-Origin": {"*"}, "Cache-Control": {"private"}}
	for setupName := range s.Setups {
		app := s.app(t, setupName, NewHandler(t, Images(t)), Options{Header: cors})
		resp, _ := Serve(t, app, http.MethodGet, "/img/tr:w-32/photo.jpg")
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("%s: Access-Control-Allow-Origin %q, want the middleware's *", setupName, got)
		}
		if got := resp.Header.Values("Cache-Control"); len(got) != 1 || got[0] != middleware.DefaultCacheControl {
			t.Errorf("%s: Cache-Control %q, want the Handler's %q only", setupName, got, middleware.DefaultCacheControl)
		}
	}
}

// BlockingStore serves the corpus photo's Stat, and blocks in Open until
// the context is done, then reports the context's error.
type BlockingStore struct {
	store.Store
	opened chan struct{}
	done   chan error
	value  any // the context's value for valueKey{}, once opened
}

// valueKey is the key of a context value that tests follow to the store.
type valueKey struct{}

// NewBlockingStore returns a BlockingStore of the corpus photo.
func NewBlockingStore(t testing.TB) *BlockingStore {
	return &BlockingStore{Store: Images(t), opened: make(chan struct{}), done: make(chan error, 1)}
}

// Open blocks until ctx is done and returns its error.
func (s *BlockingStore) Open(ctx context.Context, key string) (io.ReadCloser, store.Info, error) {
	s.value = ctx.Value(valueKey{})
	close(s.opened)
	<-ctx.Done()
	s.done <- ctx.Err()
	return nil, store.Info{}, ctx.Err()
}

// WaitOpened waits until the store is opened, failing t if errc reports
// first or nothing happens for 10 s.
func (s *BlockingStore) WaitOpened(t *testing.T, errc <-chan error) {
	t.Helper()
	select {
	case <-s.opened:
	case err := <-errc:
		t.Fatalf("request ended before the store was opened: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the store was never opened")
	}
}

// WaitDone waits for the store to see its context end, and returns the
// context's error; after 10 s it fails t, saying that what did not
// cancel the context.
func (s *BlockingStore) WaitDone(t *testing.T, what string) error {
	t.Helper()
	select {
	case err := <-s.done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("the store's context was not cancelled after %s", what)
		return nil
	}
}

// replaceContext returns Options whose middleware replaces the request's
// context with ctx.
func replaceContext(ctx context.Context) Options {
	return Options{Context: func(context.Context) context.Context { return ctx }}
}

// contextCancels checks that the request context reaching the Handler is
// the framework's, as its middleware left it: cancelling it cancels the
// work.
func (s suite) contextCancels(t *testing.T) {
	for setupName := range s.Setups {
		t.Run(setupName, func(t *testing.T) {
			bs := NewBlockingStore(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			app := s.app(t, setupName, NewHandler(t, bs, middleware.WithTimeout(20*time.Second)), replaceContext(ctx))
			status := make(chan int, 1)
			errc := make(chan error, 1)
			go func() {
				resp, err := app.Do(NewRequest(http.MethodGet, "/img/tr:w-320/photo.jpg"))
				if err != nil {
					errc <- err
					return
				}
				resp.Body.Close()
				status <- resp.StatusCode
			}()
			bs.WaitOpened(t, errc)
			cancel()
			if err := bs.WaitDone(t, "the request context was cancelled"); !errors.Is(err, context.Canceled) {
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

// timeoutCancels checks that the Handler's processing timeout ends the
// work and answers 504.
func (s suite) timeoutCancels(t *testing.T) {
	bs := NewBlockingStore(t)
	app := s.app(t, s.Middleware, NewHandler(t, bs, middleware.WithTimeout(100*time.Millisecond)), Options{})
	start := time.Now()
	resp, body := Serve(t, app, http.MethodGet, "/img/tr:w-320/photo.jpg")
	if resp.StatusCode != http.StatusGatewayTimeout {
		t.Errorf("status %d %q, want 504", resp.StatusCode, body)
	}
	if err := bs.WaitDone(t, "the timeout"); !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("store saw %v, want a cancellation", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("a 100 ms timeout took %v", d)
	}
}

// listen serves app on a loopback port and returns its base URL and a
// function that shuts it down (once) and reports how it went on t; the
// app is shut down at the end of the test at the latest.
func listen(t *testing.T, app App) (string, func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- app.Serve(ln) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		if err := app.Shutdown(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	}
	t.Cleanup(stop)
	return "http://" + ln.Addr().String(), stop
}

// startGet sends GET target to base with ctx from another goroutine; the
// client's error, or the status as an error, arrives on the channel.
func startGet(t *testing.T, ctx context.Context, base, target string) <-chan error {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+target, nil)
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
	return errc
}

// clientDisconnectCancels checks that, under net/http, a client that goes
// away while its image is being made cancels the work (the store sees
// context.Canceled long before the processing timeout).
func (s suite) clientDisconnectCancels(t *testing.T) {
	for setupName := range s.Setups {
		t.Run(setupName, func(t *testing.T) {
			bs := NewBlockingStore(t)
			base, _ := listen(t, s.app(t, setupName, NewHandler(t, bs, middleware.WithTimeout(20*time.Second)), Options{}))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			errc := startGet(t, ctx, base, "/img/tr:w-320/photo.jpg")
			bs.WaitOpened(t, errc)
			cancel() // the client disconnects
			if err := bs.WaitDone(t, "the client disconnected"); !errors.Is(err, context.Canceled) {
				t.Errorf("store saw %v, want context.Canceled", err)
			}
			if err := <-errc; !errors.Is(err, context.Canceled) {
				t.Errorf("client: %v, want context.Canceled", err)
			}
		})
	}
}

// clientDisconnectDoesNotCancel documents fasthttp's limit: a client that
// disconnects does not cancel its transformation; the request context
// (here, one the test cancels) and the timeouts do.
func (s suite) clientDisconnectDoesNotCancel(t *testing.T) {
	bs := NewBlockingStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, _ := listen(t, s.app(t, s.Middleware, NewHandler(t, bs, middleware.WithTimeout(20*time.Second)), replaceContext(ctx)))

	cctx, disconnect := context.WithCancel(context.Background())
	errc := startGet(t, cctx, base, "/img/tr:w-320/photo.jpg")
	bs.WaitOpened(t, errc)
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
	if err := bs.WaitDone(t, "the request context was cancelled"); !errors.Is(err, context.Canceled) {
		t.Errorf("store saw %v, want context.Canceled", err)
	}
}

// shutdownCancels checks that, under fasthttp, shutting the server down
// cancels the transformations in flight: the store sees the cancellation
// and the client gets a 503, long before the processing timeout. With a
// request context of the application's, its values reach the store too.
func (s suite) shutdownCancels(t *testing.T) {
	setupName := s.Middleware
	if len(s.Grouped) > 0 {
		setupName = s.Grouped[0]
	}
	for name, value := range map[string]any{"default context": nil, "context with a value": "from the app"} {
		t.Run(name, func(t *testing.T) {
			bs := NewBlockingStore(t)
			var o Options
			if value != nil {
				o = replaceContext(context.WithValue(context.Background(), valueKey{}, value))
			}
			base, shutdown := listen(t, s.app(t, setupName, NewHandler(t, bs, middleware.WithTimeout(20*time.Second)), o))
			errc := startGet(t, context.Background(), base, "/img/tr:w-320/photo.jpg")
			bs.WaitOpened(t, errc)
			if bs.value != value {
				t.Errorf("store saw the context value %v, want %v", bs.value, value)
			}
			start := time.Now()
			shutdown()
			if err := bs.WaitDone(t, "the server shut down"); !errors.Is(err, context.Canceled) {
				t.Errorf("store saw %v, want context.Canceled", err)
			}
			if err := <-errc; err == nil || err.Error() != "503 Service Unavailable" {
				t.Errorf("client: %v, want a 503", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("shutdown took %v with a transformation in flight", d)
			}
		})
	}
}
