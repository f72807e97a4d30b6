package middleware

import (
	"context"
	"errors"
	"github.com/imgcdn/imgcdn/store"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
	"github.com/imgcdn/imgcdn/pipeline"
)

// TestConcurrentIdenticalRequests checks that 100 identical requests at
// once run one transformation and get the same bytes.
func TestConcurrentIdenticalRequests(t *testing.T) {
	s := newFakeStore()
	s.set("a.jpg", testcorpus.Read(t, "jpeg-photo-1920x1080.jpg"))
	// Hold the work until every request has been sent, so that they all
	// overlap with it.
	release := make(chan struct{})
	s.openHook = func(ctx context.Context, key string) error {
		<-release
		return nil
	}
	m := newRecMetrics()
	h := newTestHandler(t, s, WithMetrics(m), WithWorkers(2), WithQueueLength(0))
	runs := countProcess(h)

	const n = 100
	var wg sync.WaitGroup
	results := make([]*httptest.ResponseRecorder, n)
	for i := range n {
		wg.Go(func() { results[i] = get(t, h, "/img/tr:w-300,h-300/a.jpg") })
	}
	waitFor(t, "the first Open", func() bool { return s.opens.Load() == 1 })
	time.Sleep(50 * time.Millisecond) // let the other requests join
	close(release)
	wg.Wait()
	for i, w := range results {
		if w.Code != http.StatusOK {
			t.Fatalf("request %d: %d %s", i, w.Code, text(w))
		}
		if w.Body.String() != results[0].Body.String() {
			t.Fatalf("request %d got other bytes", i)
		}
	}
	if runs.Load() != 1 || s.opens.Load() != 1 || m.get(MetricTransforms) != 1 {
		t.Errorf("%d transformations, %d opens, %d transforms counted; want 1, 1, 1", runs.Load(), s.opens.Load(), m.get(MetricTransforms))
	}
}

func TestQueueFull(t *testing.T) {
	s := newFakeStore()
	png := testcorpus.Read(t, "png-rgba-320x240.png")
	s.set("a.png", png)
	s.set("b.png", png)
	s.set("c.png", png)
	started := make(chan string, 10)
	release := make(chan struct{})
	s.openHook = func(ctx context.Context, key string) error {
		started <- key
		select {
		case <-release:
		case <-ctx.Done():
		}
		return nil
	}
	m := newRecMetrics()
	h := newTestHandler(t, s, WithWorkers(1), WithQueueLength(0), WithMetrics(m))
	first := make(chan *httptest.ResponseRecorder)
	go func() { first <- get(t, h, "/img/tr:w-10/a.png") }()
	<-started // a.png holds the only worker

	w := get(t, h, "/img/tr:w-10/b.png")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "1" {
		t.Errorf("with the worker busy and no queue: %d, Retry-After %q; want 429 and 1", w.Code, w.Header().Get("Retry-After"))
	}
	if m.get(MetricErrors+"{status=429}") != 1 {
		t.Errorf("429 not counted")
	}
	close(release)
	if w := <-first; w.Code != 200 {
		t.Errorf("first request: %d", w.Code)
	}
	// The worker is free again.
	if w := get(t, h, "/img/tr:w-10/c.png"); w.Code != 200 {
		t.Errorf("after the work: %d, want 200", w.Code)
	}
}

func TestQueueWaits(t *testing.T) {
	s := newFakeStore()
	png := testcorpus.Read(t, "png-rgba-320x240.png")
	s.set("a.png", png)
	s.set("b.png", png)
	started := make(chan string, 10)
	release := make(chan struct{})
	s.openHook = func(ctx context.Context, key string) error {
		started <- key
		if key == "a.png" {
			<-release
		}
		return nil
	}
	h := newTestHandler(t, s, WithWorkers(1), WithQueueLength(1))
	first := make(chan int)
	go func() { first <- get(t, h, "/img/tr:w-10/a.png").Code }()
	<-started
	second := make(chan int)
	go func() { second <- get(t, h, "/img/tr:w-10/b.png").Code }()
	waitFor(t, "a waiting request", func() bool { return h.pool.waiting.Load() == 1 })
	close(release)
	if a, b := <-first, <-second; a != 200 || b != 200 {
		t.Errorf("queued requests: %d, %d; want 200, 200", a, b)
	}
}

// TestClientDisconnect checks that a sole requester going away cancels the
// work: the store's Open sees its context cancelled.
func TestClientDisconnect(t *testing.T) {
	s := newFakeStore()
	s.set("a.png", testcorpus.Read(t, "png-rgba-320x240.png"))
	opened := make(chan struct{})
	cancelled := make(chan error, 1)
	s.openHook = func(ctx context.Context, key string) error {
		close(opened)
		select {
		case <-ctx.Done():
			cancelled <- ctx.Err()
			return ctx.Err()
		case <-time.After(10 * time.Second):
			cancelled <- nil
			return nil
		}
	}
	h := newTestHandler(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	r := httptest.NewRequestWithContext(ctx, http.MethodGet, "/img/tr:w-10/a.png", nil)
	done := make(chan int)
	go func() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		done <- w.Code
	}()
	<-opened
	cancel()
	select {
	case code := <-done:
		if code != http.StatusServiceUnavailable {
			t.Errorf("cancelled request = %d, want 503", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the handler did not return after the client went away")
	}
	select {
	case err := <-cancelled:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Open's context ended with %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Open's context was not cancelled")
	}
}

// TestDisconnectOfOneWaiter checks that one client leaving does not cancel
// the work that another client still waits for.
func TestDisconnectOfOneWaiter(t *testing.T) {
	s := newFakeStore()
	s.set("a.png", testcorpus.Read(t, "png-rgba-320x240.png"))
	opened := make(chan struct{}, 1)
	release := make(chan struct{})
	s.openHook = func(ctx context.Context, key string) error {
		opened <- struct{}{}
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	h := newTestHandler(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	leaver := make(chan int)
	go func() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequestWithContext(ctx, http.MethodGet, "/img/tr:w-10/a.png", nil))
		leaver <- w.Code
	}()
	<-opened
	stayer := make(chan int)
	go func() { stayer <- get(t, h, "/img/tr:w-10/a.png").Code }()
	waitFor(t, "the second waiter", func() bool {
		h.flight.mu.Lock()
		defer h.flight.mu.Unlock()
		for _, c := range h.flight.calls {
			return c.refs == 2
		}
		return false
	})
	cancel()
	<-leaver
	close(release)
	if code := <-stayer; code != 200 {
		t.Errorf("the remaining client got %d, want 200", code)
	}
	if s.opens.Load() != 1 {
		t.Errorf("%d opens, want 1", s.opens.Load())
	}
}

// TestTimeout checks that a slow origin or a slow transformation ends at the
// processing timeout with 504, and that no goroutine is left behind.
func TestTimeout(t *testing.T) {
	png := testcorpus.Read(t, "png-rgba-320x240.png")
	tests := map[string]func(s *fakeStore, h *Handler, stuck chan struct{}){
		"slow origin": func(s *fakeStore, h *Handler, stuck chan struct{}) {
			s.openHook = func(ctx context.Context, key string) error {
				<-ctx.Done()
				return ctx.Err()
			}
		},
		"origin ignoring its context": func(s *fakeStore, h *Handler, stuck chan struct{}) {
			s.openHook = func(ctx context.Context, key string) error {
				<-stuck
				return nil
			}
		},
		"slow stat": func(s *fakeStore, h *Handler, stuck chan struct{}) {
			h.store = &slowStat{fakeStore: s}
		},
		"slow transform": func(s *fakeStore, h *Handler, stuck chan struct{}) {
			h.process = func(ctx context.Context, src []byte, c pipeline.Chain, o *pipeline.Options) (*pipeline.Result, error) {
				<-ctx.Done()
				return nil, ctx.Err()
			}
		},
	}
	for name, setup := range tests {
		t.Run(name, func(t *testing.T) {
			s := newFakeStore()
			s.set("a.png", png)
			h := newTestHandler(t, s, WithTimeout(100*time.Millisecond))
			stuck := make(chan struct{})
			setup(s, h, stuck)
			before := runtime.NumGoroutine()
			start := time.Now()
			w := get(t, h, "/img/tr:w-10/a.png")
			if w.Code != http.StatusGatewayTimeout {
				t.Errorf("status %d %s, want 504", w.Code, text(w))
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v with a 100ms timeout", d)
			}
			close(stuck)
			waitFor(t, "the goroutines to end", func() bool { return runtime.NumGoroutine() <= before })
		})
	}
}

// slowStat is a store whose Stat waits for its context to end.
type slowStat struct{ *fakeStore }

func (s *slowStat) Stat(ctx context.Context, key string) (store.Info, error) {
	<-ctx.Done()
	return store.Info{}, ctx.Err()
}

// TestPanicInWork checks that a panic while making a result is a 500, not
// a crash.
func TestPanicInWork(t *testing.T) {
	s := newFakeStore()
	s.set("a.png", testcorpus.Read(t, "png-rgba-320x240.png"))
	h := newTestHandler(t, s)
	h.process = func(ctx context.Context, src []byte, c pipeline.Chain, o *pipeline.Options) (*pipeline.Result, error) {
		panic("decoder bug")
	}
	w := get(t, h, "/img/tr:w-10/a.png")
	if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), "decoder bug") {
		t.Errorf("a panicking transformation: %d %s, want 500 without details", w.Code, text(w))
	}
}
