package middleware

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// TestRealServer runs requests through real HTTP/1.1 and HTTP/2 servers.
func TestRealServer(t *testing.T) {
	s := newFakeStore()
	s.set("photos/a.jpg", testcorpus.Read(t, "jpeg-photo-1920x1080.jpg"))
	h := newTestHandler(t, s)
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "app") })
	for _, proto := range []string{"HTTP/1.1", "HTTP/2"} {
		t.Run(proto, func(t *testing.T) {
			srv := httptest.NewUnstartedServer(h.Wrap(next))
			if proto == "HTTP/2" {
				srv.EnableHTTP2 = true
				srv.StartTLS()
			} else {
				srv.Start()
			}
			defer srv.Close()
			c := srv.Client()
			fetch := func(method, path string, header ...string) (*http.Response, []byte) {
				t.Helper()
				req, _ := http.NewRequest(method, srv.URL+path, nil)
				for i := 0; i+1 < len(header); i += 2 {
					req.Header.Set(header[i], header[i+1])
				}
				res, err := c.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				b, _ := io.ReadAll(res.Body)
				if res.Proto != proto && !(proto == "HTTP/2" && res.ProtoMajor == 2) {
					t.Errorf("served over %s, want %s", res.Proto, proto)
				}
				return res, b
			}
			res, body := fetch("GET", "/img/tr:w-100/photos/a.jpg")
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" || int64(len(body)) != res.ContentLength {
				t.Fatalf("GET = %d %s, %d bytes, Content-Length %d", res.StatusCode, res.Header.Get("Content-Type"), len(body), res.ContentLength)
			}
			if gw, gh, _ := size(t, body); gw != 100 || gh != 56 {
				t.Errorf("GET = %dx%d, want 100x56", gw, gh)
			}
			etag := res.Header.Get("ETag")
			head, hb := fetch("HEAD", "/img/tr:w-100/photos/a.jpg")
			if head.StatusCode != 200 || len(hb) != 0 || head.ContentLength != int64(len(body)) {
				t.Errorf("HEAD = %d, %d body bytes, Content-Length %d", head.StatusCode, len(hb), head.ContentLength)
			}
			nm, _ := fetch("GET", "/img/tr:w-100/photos/a.jpg", "If-None-Match", etag)
			if nm.StatusCode != http.StatusNotModified {
				t.Errorf("If-None-Match = %d, want 304", nm.StatusCode)
			}
			part, pb := fetch("GET", "/img/tr:w-100/photos/a.jpg", "Range", "bytes=2-5")
			if part.StatusCode != http.StatusPartialContent || !bytes.Equal(pb, body[2:6]) {
				t.Errorf("Range = %d %q", part.StatusCode, pb)
			}
			app, ab := fetch("GET", "/about")
			if app.StatusCode != 200 || string(ab) != "app" {
				t.Errorf("GET /about = %d %q, want the application", app.StatusCode, ab)
			}
			for _, r := range []*http.Response{res, head, nm, part} {
				if len(r.Cookies()) != 0 {
					t.Errorf("a response sets cookies")
				}
			}
		})
	}
}

func TestLogging(t *testing.T) {
	s := newFakeStore()
	s.set("a.jpg", testcorpus.Read(t, "jpeg-photo-1920x1080.jpg"))
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	h := newTestHandler(t, s, WithLogger(logger))
	get(t, h, "/img/tr:w-10/a.jpg")
	get(t, h, "/img/tr:w-10/missing.jpg")
	if buf.Len() != 0 {
		t.Errorf("a success and a 404 logged at level Info: %s", buf.String())
	}
	s.openErr = errDiskOnFire
	w := get(t, h, "/img/tr:w-20/a.jpg")
	if w.Code != http.StatusBadGateway {
		t.Fatalf("status %d", w.Code)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "level=ERROR") || !strings.Contains(lines[0], "path=/img/tr:w-20/a.jpg") ||
		!strings.Contains(lines[0], "input/output error") || !strings.Contains(lines[0], "status=502") {
		t.Errorf("log of a 502: %q, want one ERROR line with the path, status and error", buf.String())
	}
	if strings.Contains(w.Body.String(), "input/output") {
		t.Errorf("the error text reached the client: %q", w.Body)
	}
}
