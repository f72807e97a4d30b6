package middleware

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
	"github.com/imgcdn/imgcdn/pipeline"
	"github.com/imgcdn/imgcdn/store"
)

// fakeObject is one object of a fakeStore.
type fakeObject struct {
	data        []byte
	etag        string
	modTime     time.Time
	contentType string
}

// fakeStore is an in-memory store.Store and store.Putter that records what
// it is asked for and can be made to block or fail.
type fakeStore struct {
	mu      sync.Mutex
	objects map[string]fakeObject
	seen    []string // every key given to Open, Stat or Put

	opens, stats, puts atomic.Int64

	// openHook, when set, runs at the start of Open; an error it returns
	// is Open's. It may block.
	openHook func(ctx context.Context, key string) error
	// statErr and putErr, when set, are returned by Stat and Put.
	statErr, openErr, putErr error
}

func newFakeStore() *fakeStore { return &fakeStore{objects: map[string]fakeObject{}} }

// set stores data under key with a new ETag.
func (s *fakeStore) set(key string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.objects) + 1
	s.objects[key] = fakeObject{
		data:    data,
		etag:    fmt.Sprintf(`"v%d-%d"`, n, len(data)),
		modTime: time.Date(2024, 5, 1, 12, 0, n, 0, time.UTC),
	}
}

func (s *fakeStore) record(key string) {
	s.mu.Lock()
	s.seen = append(s.seen, key)
	s.mu.Unlock()
}

// keys returns the keys the store was asked for, sorted, without repeats.
func (s *fakeStore) keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := map[string]bool{}
	for _, k := range s.seen {
		m[k] = true
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (s *fakeStore) Open(ctx context.Context, key string) (io.ReadCloser, store.Info, error) {
	s.opens.Add(1)
	s.record(key)
	if s.openHook != nil {
		if err := s.openHook(ctx, key); err != nil {
			return nil, store.Info{}, err
		}
	}
	if s.openErr != nil {
		return nil, store.Info{}, s.openErr
	}
	s.mu.Lock()
	o, ok := s.objects[key]
	s.mu.Unlock()
	if !ok {
		return nil, store.Info{}, fmt.Errorf("fake: open %s: %w", key, store.ErrNotExist)
	}
	return io.NopCloser(bytes.NewReader(o.data)), o.info(key), nil
}

func (s *fakeStore) Stat(ctx context.Context, key string) (store.Info, error) {
	s.stats.Add(1)
	s.record(key)
	if s.statErr != nil {
		return store.Info{}, s.statErr
	}
	s.mu.Lock()
	o, ok := s.objects[key]
	s.mu.Unlock()
	if !ok {
		return store.Info{}, fmt.Errorf("fake: stat %s: %w", key, store.ErrNotExist)
	}
	return o.info(key), nil
}

func (s *fakeStore) Put(ctx context.Context, key string, r io.Reader, opts store.PutOptions) error {
	s.puts.Add(1)
	s.record(key)
	if s.putErr != nil {
		return s.putErr
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.objects[key] = fakeObject{data: b, etag: `"put"`, modTime: time.Now(), contentType: opts.ContentType}
	s.mu.Unlock()
	return nil
}

func (o fakeObject) info(key string) store.Info {
	return store.Info{Key: key, Size: int64(len(o.data)), ModTime: o.modTime, ETag: o.etag, ContentType: o.contentType}
}

// fastStore is a store.Store whose Stat does not allocate, for benchmarks.
type fastStore struct {
	key  string
	data []byte
	info store.Info
}

func (s *fastStore) Open(ctx context.Context, key string) (io.ReadCloser, store.Info, error) {
	if key != s.key {
		return nil, store.Info{}, store.ErrNotExist
	}
	return io.NopCloser(bytes.NewReader(s.data)), s.info, nil
}

func (s *fastStore) Stat(ctx context.Context, key string) (store.Info, error) {
	if key != s.key {
		return store.Info{}, store.ErrNotExist
	}
	return s.info, nil
}

// recMetrics is a Metrics that keeps its counters.
type recMetrics struct {
	mu     sync.Mutex
	counts map[string]int
	obs    map[string]int
}

func newRecMetrics() *recMetrics {
	return &recMetrics{counts: map[string]int{}, obs: map[string]int{}}
}

func (m *recMetrics) Count(name string, delta int, labels ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.counts[name+labelSuffix(labels)] += delta
}

func (m *recMetrics) Observe(name string, d time.Duration, labels ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.obs[name+labelSuffix(labels)]++
}

func labelSuffix(labels []string) string {
	if len(labels) == 0 {
		return ""
	}
	return "{" + strings.Join(labels, "=") + "}"
}

// get returns the counter name (with its labels, as "name{k=v}").
func (m *recMetrics) get(name string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.counts[name]
}

// newTestHandler returns a Handler for s, failing t on error.
func newTestHandler(t testing.TB, s store.Store, opts ...Option) *Handler {
	t.Helper()
	opts = append([]Option{WithLogger(nil)}, opts...)
	h, err := New(s, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return h
}

// countProcess makes h count its pipeline runs.
func countProcess(h *Handler) *atomic.Int64 {
	var n atomic.Int64
	inner := h.process
	h.process = func(ctx context.Context, src []byte, c pipeline.Chain, o *pipeline.Options) (*pipeline.Result, error) {
		n.Add(1)
		return inner(ctx, src, c, o)
	}
	return &n
}

// get serves a GET of target and returns the recorded response.
func get(t testing.TB, h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	return do(t, h, http.MethodGet, target, header...)
}

// do serves a request of method for target with the header pairs.
func do(t testing.TB, h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// size decodes the image in b and returns its dimensions.
func size(t testing.TB, b []byte) (int, int, string) {
	t.Helper()
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode response (%d bytes, %q...): %v", len(b), b[:min(len(b), 32)], err)
	}
	return cfg.Width, cfg.Height, format
}

// transformed returns the corpus image name transformed by tr, as source
// bytes for tests (such as the 640×865 source of the URL API examples).
func transformed(t testing.TB, name, tr string) []byte {
	t.Helper()
	c, err := pipeline.Parse(tr)
	if err != nil {
		t.Fatal(err)
	}
	res, err := pipeline.Process(context.Background(), testcorpus.Read(t, name), c, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res.Bytes
}

// waitFor polls cond for up to 5 s.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

var errDiskOnFire = errors.New("fake: read /var/secret/photos/cat.jpg: input/output error")

// text returns the start of a response body, for failure messages.
func text(w *httptest.ResponseRecorder) string {
	b := w.Body.Bytes()
	if len(b) > 100 {
		return fmt.Sprintf("%q... (%d bytes)", b[:100], len(b))
	}
	return fmt.Sprintf("%q", b)
}
