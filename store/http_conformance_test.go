package store_test

import (
	"bytes"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/store"
	"github.com/imgcdn/imgcdn/store/storetest"
)

// TestHTTPConformance runs the conformance suite against an HTTP origin
// on loopback that serves the fixture.
func TestHTTPConformance(t *testing.T) {
	fixture := storetest.FixtureFS()
	// An origin that serves files only: folders are not objects.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := fs.ReadFile(fixture, strings.TrimPrefix(r.URL.Path, "/"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b))
	}))
	t.Cleanup(srv.Close)
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := store.HTTP(srv.URL, store.AllowPrivateNetworks(true))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
