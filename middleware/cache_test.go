package middleware

import (
	"bytes"
	"errors"
	"github.com/imgcdn/imgcdn/store"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

func TestCacheHit(t *testing.T) {
	s := newFakeStore()
	s.set("a.jpg", testcorpus.Read(t, "jpeg-photo-1920x1080.jpg"))
	m := newRecMetrics()
	h := newTestHandler(t, s, WithMetrics(m))
	runs := countProcess(h)
	first := get(t, h, "/img/tr:w-200/a.jpg")
	second := get(t, h, "/img/a.jpg?tr=w-200") // the same result, in query form
	if first.Code != 200 || second.Code != 200 {
		t.Fatalf("status %d, %d", first.Code, second.Code)
	}
	if !bytes.Equal(first.Body.Bytes(), second.Body.Bytes()) {
		t.Errorf("a cache hit served other bytes")
	}
	if first.Header().Get("ETag") != second.Header().Get("ETag") {
		t.Errorf("ETags %q and %q differ", first.Header().Get("ETag"), second.Header().Get("ETag"))
	}
	if n := runs.Load(); n != 1 {
		t.Errorf("%d transformations, want 1", n)
	}
	if n := s.opens.Load(); n != 1 {
		t.Errorf("%d opens of the source, want 1", n)
	}
	if got := m.get(MetricCacheHits + "{tier=memory}"); got != 1 {
		t.Errorf("memory hits = %d, want 1", got)
	}
	if got := m.get(MetricTransforms); got != 1 {
		t.Errorf("transforms = %d, want 1", got)
	}
	if got := m.get(MetricRequests); got != 2 {
		t.Errorf("requests = %d, want 2", got)
	}

	// The same transformation written differently is the same result.
	third := get(t, h, "/img/tr:w-200,c-maintain_ratio,f-auto,rt-0/a.jpg")
	if third.Header().Get("ETag") != first.Header().Get("ETag") || runs.Load() != 1 {
		t.Errorf("an equivalent transformation was not a cache hit")
	}
	// Another is another result.
	other := get(t, h, "/img/tr:w-201/a.jpg")
	if other.Header().Get("ETag") == first.Header().Get("ETag") || runs.Load() != 2 {
		t.Errorf("another transformation shared the result")
	}
}

func TestMemoryCacheDisabled(t *testing.T) {
	s := newFakeStore()
	s.set("a.jpg", testcorpus.Read(t, "jpeg-photo-1920x1080.jpg"))
	h := newTestHandler(t, s, WithMemoryCache(0))
	runs := countProcess(h)
	a, b := get(t, h, "/img/tr:w-50/a.jpg"), get(t, h, "/img/tr:w-50/a.jpg")
	if a.Code != 200 || b.Code != 200 || runs.Load() != 2 {
		t.Errorf("without a cache: status %d, %d and %d runs, want 200, 200 and 2", a.Code, b.Code, runs.Load())
	}
	if a.Header().Get("ETag") != b.Header().Get("ETag") {
		t.Errorf("the ETag depends on the cache")
	}
}

func TestChangedSource(t *testing.T) {
	s := newFakeStore()
	s.set("a.jpg", testcorpus.Read(t, "jpeg-photo-1920x1080.jpg"))
	h := newTestHandler(t, s)
	runs := countProcess(h)
	before := get(t, h, "/img/tr:w-100/a.jpg")
	s.set("a.jpg", testcorpus.Read(t, "jpeg-photo-2000x1333.jpg")) // a new ETag
	after := get(t, h, "/img/tr:w-100/a.jpg")
	if before.Header().Get("ETag") == after.Header().Get("ETag") {
		t.Errorf("the ETag did not change with the source")
	}
	if runs.Load() != 2 {
		t.Errorf("%d transformations, want 2", runs.Load())
	}
	if w, h, _ := size(t, after.Body.Bytes()); w != 100 || h != 67 {
		t.Errorf("new result is %dx%d, want 100x67 (the new source)", w, h)
	}
	// The old ETag no longer matches.
	if w := get(t, h, "/img/tr:w-100/a.jpg", "If-None-Match", before.Header().Get("ETag")); w.Code != 200 {
		t.Errorf("If-None-Match with the old ETag = %d, want 200", w.Code)
	}
}

// TestNotModifiedWithoutDecoding checks that a matching If-None-Match is
// answered from Stat alone: no Open, no pipeline run, even by a Handler
// that has never made the result.
func TestNotModifiedWithoutDecoding(t *testing.T) {
	s := newFakeStore()
	s.set("a.jpg", testcorpus.Read(t, "jpeg-photo-1920x1080.jpg"))
	first := get(t, newTestHandler(t, s), "/img/tr:w-100/a.jpg")
	etag := first.Header().Get("ETag")

	m := newRecMetrics()
	fresh := newTestHandler(t, s, WithMetrics(m))
	runs := countProcess(fresh)
	opens := s.opens.Load()
	for _, inm := range []string{etag, `"x", ` + etag, "W/" + etag, "*"} {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			w := do(t, fresh, method, "/img/tr:w-100/a.jpg", "If-None-Match", inm)
			if w.Code != http.StatusNotModified {
				t.Fatalf("%s If-None-Match %s = %d, want 304", method, inm, w.Code)
			}
			if w.Body.Len() != 0 || w.Header().Get("ETag") != etag || w.Header().Get("Cache-Control") != DefaultCacheControl ||
				w.Header().Get("Last-Modified") != first.Header().Get("Last-Modified") {
				t.Errorf("304 headers %v, body %d bytes", w.Header(), w.Body.Len())
			}
		}
	}
	if s.opens.Load() != opens || runs.Load() != 0 || m.get(MetricTransforms) != 0 {
		t.Errorf("304 opened the source %d times and transformed %d times, want 0 and 0", s.opens.Load()-opens, runs.Load())
	}
	if m.get(MetricNotModified) != 8 {
		t.Errorf("not_modified = %d, want 8", m.get(MetricNotModified))
	}
	if w := get(t, fresh, "/img/tr:w-100/a.jpg", "If-None-Match", `"other"`); w.Code != 200 {
		t.Errorf("If-None-Match of another ETag = %d, want 200", w.Code)
	}

	// When Stat fails, the ETag is known only after the work.
	s.statErr = errors.New("stat not supported")
	if w := get(t, fresh, "/img/tr:w-100/a.jpg", "If-None-Match", etag); w.Code != http.StatusNotModified {
		t.Errorf("If-None-Match without Stat = %d, want 304", w.Code)
	}
	s.statErr = nil
}

func TestResultStore(t *testing.T) {
	s := newFakeStore()
	s.set("a.jpg", testcorpus.Read(t, "jpeg-photo-1920x1080.jpg"))
	results := newFakeStore()
	m := newRecMetrics()
	h1 := newTestHandler(t, s, WithResultStore(results), WithMetrics(m))
	w1 := get(t, h1, "/img/tr:w-100/a.jpg")
	if w1.Code != 200 || results.puts.Load() != 1 {
		t.Fatalf("first request: %d, %d puts", w1.Code, results.puts.Load())
	}
	key := results.keys()[0]
	if obj := results.objects[key]; obj.contentType != "image/jpeg" || !bytes.Equal(obj.data, w1.Body.Bytes()) {
		t.Errorf("stored result %q: content type %q, %d bytes", key, obj.contentType, len(obj.data))
	}
	if len(key) != 2+1+64 || key[2] != '/' || key[:2] != key[3:5] {
		t.Errorf("result store key %q, want ab/ab...", key)
	}

	// Another Handler (another replica, or after a restart) finds it.
	h2 := newTestHandler(t, s, WithResultStore(results), WithMetrics(m))
	runs := countProcess(h2)
	opens := s.opens.Load()
	w2 := get(t, h2, "/img/tr:w-100/a.jpg")
	if w2.Code != 200 || !bytes.Equal(w1.Body.Bytes(), w2.Body.Bytes()) || w2.Header().Get("Content-Type") != "image/jpeg" {
		t.Errorf("from the result store: %d %s", w2.Code, w2.Header().Get("Content-Type"))
	}
	if runs.Load() != 0 || s.opens.Load() != opens {
		t.Errorf("a result store hit transformed %d times and opened the source %d times", runs.Load(), s.opens.Load()-opens)
	}
	if m.get(MetricCacheHits+"{tier=store}") != 1 {
		t.Errorf("store hits = %d, want 1", m.get(MetricCacheHits+"{tier=store}"))
	}
	// It is now in h2's memory.
	get(t, h2, "/img/tr:w-100/a.jpg")
	if m.get(MetricCacheHits+"{tier=memory}") != 1 {
		t.Errorf("memory hits = %d, want 1", m.get(MetricCacheHits+"{tier=memory}"))
	}
}

func TestResultStoreFailing(t *testing.T) {
	s := newFakeStore()
	s.set("a.jpg", testcorpus.Read(t, "jpeg-photo-1920x1080.jpg"))
	results := newFakeStore()
	results.openErr = errDiskOnFire
	results.putErr = errDiskOnFire
	m := newRecMetrics()
	h := newTestHandler(t, s, WithResultStore(results), WithMetrics(m), WithMemoryCache(0))
	for range 2 {
		if w := get(t, h, "/img/tr:w-100/a.jpg"); w.Code != 200 {
			t.Fatalf("with a failing result store: %d %s, want 200", w.Code, text(w))
		}
	}
	if got := m.get(MetricCacheErrors + "{tier=store}"); got != 4 {
		t.Errorf("cache errors = %d, want 4 (2 reads, 2 writes)", got)
	}
	if m.get(MetricErrors+"{status=500}") != 0 {
		t.Errorf("a result store failure became an error response")
	}
}

func TestMemoryCacheBounds(t *testing.T) {
	m, err := newMemoryCache(8000)
	if err != nil {
		t.Fatal(err)
	}
	small := newEntry(makeResultKey("", "a", "1", "", ""), make([]byte, 900), "image/png", time.Time{})
	large := newEntry(makeResultKey("", "b", "1", "", ""), make([]byte, 1100), "image/png", time.Time{})
	m.set(small)
	m.set(large)
	if m.get(small.key) != small {
		t.Errorf("a result of an eighth of the cache was not kept")
	}
	if m.get(large.key) != nil {
		t.Errorf("a result larger than an eighth of the cache was kept")
	}
	// Many results stay within the bytes bound.
	for i := range 100 {
		m.set(newEntry(makeResultKey("", strconv.Itoa(i), "1", "", ""), make([]byte, 500), "image/png", time.Time{}))
	}
	m.c.CleanUp()
	if w := m.c.WeightedSize(); w > 8000 {
		t.Errorf("weighted size %d over the bound 8000", w)
	}
	if n, err := newMemoryCache(0); n != nil || err != nil {
		t.Errorf("newMemoryCache(0) = %v, %v; want a nil tier", n, err)
	}
}

func TestResultKey(t *testing.T) {
	base := makeResultKey("q=80", "a.jpg", `"1"`, "w-100", "")
	for name, k := range map[string]resultKey{
		"settings": makeResultKey("q=90", "a.jpg", `"1"`, "w-100", ""),
		"source":   makeResultKey("q=80", "b.jpg", `"1"`, "w-100", ""),
		"version":  makeResultKey("q=80", "a.jpg", `"2"`, "w-100", ""),
		"chain":    makeResultKey("q=80", "a.jpg", `"1"`, "w-101", ""),
		"auto":     makeResultKey("q=80", "a.jpg", `"1"`, "w-100", "webp"),
		"shifted":  makeResultKey("q=80", "a.jp", `g"1"`, "w-100", ""),
	} {
		if k == base {
			t.Errorf("changing the %s keeps the key", name)
		}
	}
	if got := base.etag(); len(got) != etagLen || got[1:33] != base.String()[:32] {
		t.Errorf("etag() = %q", got)
	}
}

// TestResultStoreDir keeps results on disk with store.Dir, which records no
// content types: they are sniffed back.
func TestResultStoreDir(t *testing.T) {
	dir, err := store.Dir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	s := newFakeStore()
	s.set("a.png", testcorpus.Read(t, "png-rgba-320x240.png"))
	first := get(t, newTestHandler(t, s, WithResultStore(dir)), "/img/tr:w-50/a.png")
	h := newTestHandler(t, s, WithResultStore(dir))
	runs := countProcess(h)
	second := get(t, h, "/img/tr:w-50/a.png")
	if second.Code != 200 || runs.Load() != 0 || !bytes.Equal(first.Body.Bytes(), second.Body.Bytes()) ||
		second.Header().Get("Content-Type") != "image/png" {
		t.Errorf("from disk: %d, %d runs, Content-Type %q", second.Code, runs.Load(), second.Header().Get("Content-Type"))
	}
}
