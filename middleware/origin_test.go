package middleware

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
	"github.com/imgcdn/imgcdn/store"
)

// TestHTTPOrigin serves images from a store.HTTP origin on loopback and
// checks how the origin's failures reach the client.
func TestHTTPOrigin(t *testing.T) {
	photo := testcorpus.Read(t, "jpeg-photo-1920x1080.jpg")
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/photo.jpg":
			w.Header().Set("ETag", `"v1"`)
			_, _ = w.Write(photo)
		case "/broken.jpg":
			http.Error(w, "boom: /srv/secret/path", http.StatusInternalServerError)
		case "/slow.jpg":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(origin.Close)
	newOrigin := func(opts ...store.HTTPOption) store.Store {
		s, err := store.HTTP(origin.URL, append(opts, store.AllowPrivateNetworks(true))...)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	guarded, err := store.HTTP(origin.URL) // the default guard refuses loopback
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		h      http.Handler
		target string
		status int
	}{
		"ok":              {newTestHandler(t, newOrigin()), "/img/tr:w-100/photo.jpg", 200},
		"missing":         {newTestHandler(t, newOrigin()), "/img/tr:w-100/nope.jpg", 404},
		"origin 500":      {newTestHandler(t, newOrigin()), "/img/tr:w-100/broken.jpg", 502},
		"over byte cap":   {newTestHandler(t, newOrigin(store.WithMaxBodySize(1000))), "/img/tr:w-100/photo.jpg", 413},
		"slow origin":     {newTestHandler(t, newOrigin(store.WithRequestTimeout(200*time.Millisecond))), "/img/tr:w-100/slow.jpg", 504},
		"handler timeout": {newTestHandler(t, newOrigin(), WithTimeout(200*time.Millisecond)), "/img/tr:w-100/slow.jpg", 504},
		"guarded":         {newTestHandler(t, guarded), "/img/tr:w-100/photo.jpg", 502},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			w := httptest.NewRecorder()
			tc.h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, tc.target, nil))
			if w.Code != tc.status {
				t.Errorf("GET %s = %d %q, want %d", tc.target, w.Code, w.Body, tc.status)
			}
			if b := w.Body.String(); strings.Contains(b, "secret") || strings.Contains(b, "127.0.0.1") {
				t.Errorf("GET %s leaks internal text: %q", tc.target, b)
			}
		})
	}
}
