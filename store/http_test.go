package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Every test here talks only to httptest servers on loopback. Addresses
// outside loopback appear only as targets the address guard must refuse in
// its Control hook, which runs before the socket connects.

// newOrigin starts an httptest server on 127.0.0.1 serving h and closes it
// when the test ends.
func newOrigin(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// newHTTPStore returns an HTTPStore for base that may reach loopback
// origins, with opts applied after that, and closes its idle connections
// when the test ends.
func newHTTPStore(t testing.TB, base string, opts ...HTTPOption) *HTTPStore {
	t.Helper()
	s, err := HTTP(base, append([]HTTPOption{AllowPrivateNetworks(true)}, opts...)...)
	if err != nil {
		t.Fatalf("HTTP(%q) error: %v", base, err)
	}
	t.Cleanup(s.CloseIdleConnections)
	return s
}

// blockUntilDone returns a channel closed when the test ends, for handlers
// that must hang; it is closed before the servers shut down.
func blockUntilDone(t *testing.T) chan struct{} {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	return release
}

// readAll opens key and reads it whole.
func readAll(ctx context.Context, s Store, key string) ([]byte, Info, error) {
	rc, info, err := s.Open(ctx, key)
	if err != nil {
		return nil, info, err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	return b, info, err
}

func TestHTTPConfig(t *testing.T) {
	rt := http.DefaultTransport
	tests := map[string]struct {
		base string
		opts []HTTPOption
		ok   bool
	}{
		"plain":                 {"http://example.com", nil, true},
		"path and slash":        {"https://example.com/images/", nil, true},
		"all options":           {"https://img.example.com", []HTTPOption{WithRequestTimeout(time.Second), WithDialTimeout(time.Second), WithMaxBodySize(1), WithMaxRedirects(0), WithAllowedHosts("*.example.com"), WithHeader("Authorization", "Bearer x"), WithTransport(rt), AllowPrivateNetworks(false), AllowAddresses(netip.MustParsePrefix("10.0.0.0/8"))}, true},
		"IP allowlist":          {"http://[2001:db8::7]:8080", []HTTPOption{WithAllowedHosts("[2001:DB8::7]")}, true},
		"trailing dot host":     {"http://Img.Example.com./", []HTTPOption{WithAllowedHosts("img.example.com")}, true},
		"ftp scheme":            {"ftp://example.com", nil, false},
		"no scheme":             {"example.com/images", nil, false},
		"no host":               {"http:///images", nil, false},
		"opaque":                {"http:example.com", nil, false},
		"user info":             {"http://user:secret@example.com", nil, false},
		"query":                 {"http://example.com/?a=b", nil, false},
		"empty query":           {"http://example.com/?", nil, false},
		"fragment":              {"http://example.com/#x", nil, false},
		"bad URL":               {"http://exa mple.com/%zz", nil, false},
		"zero timeout":          {"http://example.com", []HTTPOption{WithRequestTimeout(0)}, false},
		"negative dial timeout": {"http://example.com", []HTTPOption{WithDialTimeout(-time.Second)}, false},
		"zero body size":        {"http://example.com", []HTTPOption{WithMaxBodySize(0)}, false},
		"negative redirects":    {"http://example.com", []HTTPOption{WithMaxRedirects(-1)}, false},
		"no host pattern":       {"http://example.com", []HTTPOption{WithAllowedHosts()}, false},
		"empty host pattern":    {"http://example.com", []HTTPOption{WithAllowedHosts("")}, false},
		"bad host pattern":      {"http://example.com", []HTTPOption{WithAllowedHosts("exa*mple.com")}, false},
		"bare wildcard":         {"http://example.com", []HTTPOption{WithAllowedHosts("*")}, false},
		"pattern with port":     {"http://example.com", []HTTPOption{WithAllowedHosts("example.com:80")}, false},
		"base host not allowed": {"http://example.org", []HTTPOption{WithAllowedHosts("example.com", "*.example.org")}, false},
		"bad header name":       {"http://example.com", []HTTPOption{WithHeader("X Bad", "v")}, false},
		"empty header name":     {"http://example.com", []HTTPOption{WithHeader("", "v")}, false},
		"Host header":           {"http://example.com", []HTTPOption{WithHeader("host", "other")}, false},
		"header with newline":   {"http://example.com", []HTTPOption{WithHeader("X-A", "v\r\nX-B: w")}, false},
		"nil transport":         {"http://example.com", []HTTPOption{WithTransport(nil)}, false},
		"no prefix":             {"http://example.com", []HTTPOption{AllowAddresses()}, false},
		"invalid prefix":        {"http://example.com", []HTTPOption{AllowAddresses(netip.Prefix{})}, false},
		"nil option":            {"http://example.com", []HTTPOption{nil}, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s, err := HTTP(tc.base, tc.opts...)
			if tc.ok && err != nil {
				t.Fatalf("HTTP(%q) error: %v", tc.base, err)
			}
			if !tc.ok && err == nil {
				t.Fatalf("HTTP(%q) = %v, want an error", tc.base, s)
			}
		})
	}
	if _, err := HTTP("http://example.org", WithAllowedHosts("example.com")); !errors.Is(err, ErrForbiddenHost) {
		t.Errorf("HTTP with a base host outside the allowlist: error %v, want ErrForbiddenHost", err)
	}
}

func TestHTTPDefaults(t *testing.T) {
	s, err := HTTP("https://example.com/a/")
	if err != nil {
		t.Fatal(err)
	}
	c := s.cfg
	if c.timeout != 10*time.Second || c.dialTimeout != 5*time.Second || c.maxBody != 40<<20 || c.maxRedirects != 3 ||
		c.guard.allowAll || len(c.guard.allow) != 0 || len(c.hosts) != 0 || c.header.Get("User-Agent") != "imgcdn" {
		t.Errorf("defaults = %+v", c)
	}
	if got, want := s.String(), "https://example.com/a"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if s.client.Jar != nil {
		t.Error("client has a cookie jar")
	}
	tr, ok := s.client.Transport.(*http.Transport)
	if !ok || tr.Proxy != nil || !tr.DisableCompression || tr.TLSHandshakeTimeout != 5*time.Second {
		t.Errorf("transport = %+v, want no proxy, no compression, 5 s handshake timeout", s.client.Transport)
	}
}

func TestHTTPKeyToURL(t *testing.T) {
	var got atomic.Value
	srv := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.RequestURI)
		w.Header().Set("ETag", `"x"`)
		io.WriteString(w, "ok")
	})
	tests := map[string]struct {
		base, key, want string
	}{
		"simple":        {"", "a/b.jpg", "/a/b.jpg"},
		"base path":     {"/images/", "a/b.jpg", "/images/a/b.jpg"},
		"escaped base":  {"/my%20images", "cat.jpg", "/my%20images/cat.jpg"},
		"space":         {"", "a b/c d.jpg", "/a%20b/c%20d.jpg"},
		"query chars":   {"", "a?b#c.jpg", "/a%3Fb%23c.jpg"},
		"percent":       {"", "100%.jpg", "/100%25.jpg"},
		"unicode":       {"", "café/ü.png", "/caf%C3%A9/%C3%BC.png"},
		"sub-delims":    {"", "a+b=c;d,e@f:g.jpg", "/a+b=c%3Bd%2Ce@f:g.jpg"},
		"dots in names": {"", "a.b/..c/d..", "/a.b/..c/d.."},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := newHTTPStore(t, srv.URL+tc.base)
			if _, _, err := readAll(t.Context(), s, tc.key); err != nil {
				t.Fatalf("Open(%q) error: %v", tc.key, err)
			}
			if got := got.Load(); got != tc.want {
				t.Errorf("Open(%q) requested %q, want %q", tc.key, got, tc.want)
			}
		})
	}
}

func TestHTTPInvalidKey(t *testing.T) {
	var requests atomic.Int32
	srv := newOrigin(t, func(w http.ResponseWriter, r *http.Request) { requests.Add(1) })
	s := newHTTPStore(t, srv.URL)
	for _, key := range []string{"", "/a.jpg", "a/../b.jpg", "./a", "a//b", `a\b`, "a\x00b", "a\nb"} {
		if _, _, err := s.Open(t.Context(), key); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Open(%q) error = %v, want ErrInvalidKey", key, err)
		}
		if _, err := s.Stat(t.Context(), key); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Stat(%q) error = %v, want ErrInvalidKey", key, err)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("invalid keys sent %d requests, want 0", n)
	}
}

func TestHTTPOpen(t *testing.T) {
	modTime := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	var header atomic.Value
	srv := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		header.Store(r.Header.Clone())
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "1"})
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "image/jpeg")
		http.ServeContent(w, r, "", modTime, strings.NewReader("hello, cat"))
	})
	s := newHTTPStore(t, srv.URL)
	for range 2 { // the second request would carry a cookie if there were a jar
		b, info, err := readAll(t.Context(), s, "cat.jpg")
		if err != nil {
			t.Fatalf("Open error: %v", err)
		}
		if string(b) != "hello, cat" {
			t.Errorf("body = %q, want %q", b, "hello, cat")
		}
		want := Info{Key: "cat.jpg", Size: 10, ModTime: modTime, ETag: `"v1"`, ContentType: "image/jpeg"}
		if !info.ModTime.Equal(want.ModTime) || info.Key != want.Key || info.Size != want.Size || info.ETag != want.ETag || info.ContentType != want.ContentType {
			t.Errorf("Open info = %+v, want %+v", info, want)
		}
		got, err := s.Stat(t.Context(), "cat.jpg")
		if err != nil {
			t.Fatalf("Stat error: %v", err)
		}
		if got.Size != want.Size || got.ETag != want.ETag || !got.ModTime.Equal(want.ModTime) || got.ContentType != want.ContentType {
			t.Errorf("Stat info = %+v, want %+v", got, want)
		}
		h := header.Load().(http.Header)
		if ua := h.Get("User-Agent"); ua != "imgcdn" {
			t.Errorf("User-Agent = %q, want imgcdn", ua)
		}
		if c := h.Get("Cookie"); c != "" {
			t.Errorf("request carried Cookie %q", c)
		}
		if ae := h.Get("Accept-Encoding"); ae != "" {
			t.Errorf("request carried Accept-Encoding %q", ae)
		}
	}
}

func TestHTTPStatus(t *testing.T) {
	codes := map[string]struct {
		code     int
		notExist bool
	}{
		"404":                    {404, true},
		"410":                    {410, true},
		"400":                    {400, false},
		"401":                    {401, false},
		"403":                    {403, false},
		"429":                    {429, false},
		"500":                    {500, false},
		"502":                    {502, false},
		"503":                    {503, false},
		"204 no content":         {204, false},
		"206 unasked range":      {206, false},
		"304 without condition":  {304, false},
		"300 multiple choices":   {300, false},
		"302 without a Location": {302, false},
	}
	for name, tc := range codes {
		t.Run(name, func(t *testing.T) {
			srv := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.code)
			})
			s := newHTTPStore(t, srv.URL)
			_, _, openErr := s.Open(t.Context(), "a.jpg")
			_, statErr := s.Stat(t.Context(), "a.jpg")
			for op, err := range map[string]error{"Open": openErr, "Stat": statErr} {
				if tc.code == 206 && op == "Stat" {
					continue // a 206 to HEAD is odd but harmless
				}
				if tc.notExist {
					if !errors.Is(err, ErrNotExist) || errors.Is(err, ErrOrigin) {
						t.Errorf("%s error = %v, want ErrNotExist", op, err)
					}
					continue
				}
				var oe *OriginError
				if !errors.As(err, &oe) || oe.Status != tc.code || !errors.Is(err, ErrOrigin) || errors.Is(err, ErrNotExist) {
					t.Errorf("%s error = %v, want *OriginError{Status: %d}", op, err, tc.code)
				}
			}
		})
	}
}

func TestHTTPConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	s := newHTTPStore(t, "http://"+addr)
	_, _, err = s.Open(t.Context(), "a.jpg")
	var oe *OriginError
	if !errors.As(err, &oe) || oe.Status != 0 || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrForbiddenAddress) {
		t.Errorf("Open from a closed port: error %v, want *OriginError{Status: 0}", err)
	}
}

func TestHTTPTruncatedBody(t *testing.T) {
	srv := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"x"`)
		w.Header().Set("Content-Length", "1000")
		io.WriteString(w, "only a part")
	})
	s := newHTTPStore(t, srv.URL)
	_, _, err := readAll(t.Context(), s, "a.jpg")
	if !errors.Is(err, ErrOrigin) || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("reading a truncated body: error %v, want ErrOrigin", err)
	}
}

func TestHTTPInfo(t *testing.T) {
	lm := time.Date(2023, 1, 2, 3, 4, 5, 0, time.UTC)
	body := "0123456789"
	tests := map[string]struct {
		etag, lastModified string
		chunked            bool
		wantETag           string
		wantSize           int64
	}{
		"strong ETag":              {etag: `"abc"`, wantETag: `"abc"`, wantSize: 10},
		"weak ETag":                {etag: `W/"abc"`, wantETag: `W/"abc"`, wantSize: 10},
		"ETag wins over LM":        {etag: `"abc"`, lastModified: lm.Format(http.TimeFormat), wantETag: `"abc"`, wantSize: 10},
		"derived from LM and size": {lastModified: lm.Format(http.TimeFormat), wantETag: `W/"lm-` + strconv.FormatInt(lm.Unix(), 16) + `-a"`, wantSize: 10},
		"derived from LM alone":    {lastModified: lm.Format(http.TimeFormat), chunked: true, wantETag: `W/"lm-` + strconv.FormatInt(lm.Unix(), 16) + `"`, wantSize: -1},
		"hash of the content":      {wantETag: `"sha256-84d89877f0d4041efb6bf91a16f0248f2fd573e6af05c19f96bedb9f882f7882"`, wantSize: 10},
		"hash, chunked":            {chunked: true, wantETag: `"sha256-84d89877f0d4041efb6bf91a16f0248f2fd573e6af05c19f96bedb9f882f7882"`, wantSize: 10},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
				if tc.etag != "" {
					w.Header().Set("ETag", tc.etag)
				}
				if tc.lastModified != "" {
					w.Header().Set("Last-Modified", tc.lastModified)
				}
				if !tc.chunked {
					w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				}
				if r.Method == http.MethodGet {
					io.WriteString(w, body)
					w.(http.Flusher).Flush()
				}
			})
			s := newHTTPStore(t, srv.URL)
			b, info, err := readAll(t.Context(), s, "k")
			if err != nil {
				t.Fatalf("Open error: %v", err)
			}
			if string(b) != body {
				t.Errorf("body = %q, want %q", b, body)
			}
			if info.ETag != tc.wantETag || info.Size != tc.wantSize {
				t.Errorf("Open: ETag %s, Size %d; want %s, %d", info.ETag, info.Size, tc.wantETag, tc.wantSize)
			}
			st, err := s.Stat(t.Context(), "k")
			if err != nil {
				t.Fatalf("Stat error: %v", err)
			}
			if st.ETag != info.ETag {
				t.Errorf("Stat ETag %s, Open ETag %s: they must agree", st.ETag, info.ETag)
			}
		})
	}
}

func TestHTTPStatFallback(t *testing.T) {
	lm := time.Date(2023, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := map[string]struct {
		headStatus  int
		content     string
		ignoreRange bool
		wantSize    int64
	}{
		"405 then 206":   {headStatus: 405, content: "0123456789", wantSize: 10},
		"501 then 206":   {headStatus: 501, content: "0123456789", wantSize: 10},
		"empty, 416":     {headStatus: 405, content: "", wantSize: 0},
		"range ignored":  {headStatus: 405, content: "0123456789", ignoreRange: true, wantSize: 10},
		"HEAD works":     {headStatus: 0, content: "0123456789", wantSize: 10},
		"HEAD forbidden": {headStatus: 403},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var sawRange atomic.Bool
			srv := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodHead && tc.headStatus != 0 {
					w.WriteHeader(tc.headStatus)
					return
				}
				if r.Header.Get("Range") != "" {
					sawRange.Store(true)
				}
				if tc.ignoreRange {
					r.Header.Del("Range")
				}
				w.Header().Set("Content-Type", "image/png")
				http.ServeContent(w, r, "", lm, strings.NewReader(tc.content))
			})
			s := newHTTPStore(t, srv.URL)
			info, err := s.Stat(t.Context(), "a.png")
			if tc.headStatus == 403 {
				var oe *OriginError
				if !errors.As(err, &oe) || oe.Status != 403 {
					t.Fatalf("Stat error = %v, want *OriginError{Status: 403}", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Stat error: %v", err)
			}
			if info.Size != tc.wantSize || !info.ModTime.Equal(lm) || info.ContentType != "image/png" || info.ETag == "" {
				t.Errorf("Stat = %+v, want Size %d, ModTime %v, image/png, an ETag", info, tc.wantSize, lm)
			}
			if want := tc.headStatus != 0; sawRange.Load() != want {
				t.Errorf("ranged GET sent = %v, want %v", sawRange.Load(), want)
			}
			_, oinfo, err := readAll(t.Context(), s, "a.png")
			if err != nil {
				t.Fatal(err)
			}
			if oinfo.ETag != info.ETag {
				t.Errorf("Open ETag %s != Stat ETag %s", oinfo.ETag, info.ETag)
			}
		})
	}
}

func TestHTTPMaxBodySize(t *testing.T) {
	const limit = 1000
	tests := map[string]struct {
		size     int
		chunked  bool
		etag     bool
		openFail bool // Open itself fails, before the body is read
		readFail bool // reading fails
	}{
		"length under":           {size: limit - 1, etag: true},
		"length at limit":        {size: limit, etag: true},
		"length over":            {size: limit + 1, etag: true, openFail: true},
		"chunked at limit":       {size: limit, chunked: true, etag: true},
		"chunked over":           {size: limit + 1, chunked: true, etag: true, readFail: true},
		"chunked far over":       {size: 50 * limit, chunked: true, etag: true, readFail: true},
		"hashed, chunked over":   {size: limit + 1, chunked: true, openFail: true},
		"hashed, chunked at cap": {size: limit, chunked: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var written atomic.Int64
			srv := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
				if tc.etag {
					w.Header().Set("ETag", `"big"`)
				}
				if !tc.chunked {
					w.Header().Set("Content-Length", strconv.Itoa(tc.size))
				}
				chunk := bytes.Repeat([]byte{'x'}, 100)
				for left := tc.size; left > 0; left -= len(chunk) {
					n, err := w.Write(chunk[:min(left, len(chunk))])
					written.Add(int64(n))
					if err != nil {
						return
					}
					w.(http.Flusher).Flush()
				}
			})
			s := newHTTPStore(t, srv.URL, WithMaxBodySize(limit))
			rc, _, err := s.Open(t.Context(), "big.jpg")
			if tc.openFail {
				if !errors.Is(err, ErrTooLarge) {
					t.Fatalf("Open error = %v, want ErrTooLarge", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open error: %v", err)
			}
			b, err := io.ReadAll(rc)
			if cerr := rc.Close(); cerr != nil {
				t.Errorf("Close error: %v", cerr)
			}
			if tc.readFail {
				if !errors.Is(err, ErrTooLarge) {
					t.Fatalf("ReadAll error = %v, want ErrTooLarge", err)
				}
				if len(b) != limit {
					t.Errorf("read %d bytes before failing, want %d", len(b), limit)
				}
				return
			}
			if err != nil || len(b) != tc.size {
				t.Fatalf("ReadAll = %d bytes, %v; want %d bytes", len(b), err, tc.size)
			}
		})
	}
}

func TestHTTPRedirects(t *testing.T) {
	// /r/N redirects to /r/N-1; /r/0 is the object.
	srv := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/r/"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if n > 0 {
			http.Redirect(w, r, "/r/"+strconv.Itoa(n-1), http.StatusFound)
			return
		}
		w.Header().Set("ETag", `"end"`)
		io.WriteString(w, "end")
	})
	tests := map[string]struct {
		opts    []HTTPOption
		hops    int
		wantErr bool
	}{
		"none":                {hops: 0},
		"default 3":           {hops: 3},
		"default, 4 too many": {hops: 4, wantErr: true},
		"limit 0":             {opts: []HTTPOption{WithMaxRedirects(0)}, hops: 1, wantErr: true},
		"limit 5":             {opts: []HTTPOption{WithMaxRedirects(5)}, hops: 5},
		"limit 5, 6 hops":     {opts: []HTTPOption{WithMaxRedirects(5)}, hops: 6, wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := newHTTPStore(t, srv.URL, tc.opts...)
			key := "r/" + strconv.Itoa(tc.hops)
			b, _, err := readAll(t.Context(), s, key)
			if !tc.wantErr {
				if err != nil || string(b) != "end" {
					t.Fatalf("Open(%q) = %q, %v; want \"end\"", key, b, err)
				}
				return
			}
			var oe *OriginError
			if !errors.As(err, &oe) || oe.Status != http.StatusFound {
				t.Fatalf("Open(%q) error = %v, want *OriginError{Status: 302}", key, err)
			}
		})
	}
}

func TestHTTPAllowedHosts(t *testing.T) {
	srv := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-localhost":
			http.Redirect(w, r, "http://localhost:"+r.URL.Port()+"/ok", http.StatusFound)
		case "/to-elsewhere":
			// Refused by the allowlist before any lookup or connection.
			http.Redirect(w, r, "http://images.example.net/a.jpg", http.StatusFound)
		case "/to-self":
			http.Redirect(w, r, "/ok", http.StatusMovedPermanently)
		default:
			w.Header().Set("ETag", `"ok"`)
			io.WriteString(w, "ok")
		}
	})
	s := newHTTPStore(t, srv.URL, WithAllowedHosts("127.0.0.1", "*.example.com"))
	for key, want := range map[string]error{
		"ok":            nil,
		"to-self":       nil,
		"to-localhost":  ErrForbiddenHost,
		"to-elsewhere":  ErrForbiddenHost,
		"missing/../x":  ErrInvalidKey,
		"to-self/again": nil,
	} {
		_, _, err := readAll(t.Context(), s, key)
		if (want == nil && err != nil) || (want != nil && !errors.Is(err, want)) {
			t.Errorf("Open(%q) error = %v, want %v", key, err, want)
		}
	}

	patterns := []string{"img.example.com", "*.cdn.example.org", "192.0.2.7", "2001:db8::7"}
	s2, err := HTTP("https://img.example.com", WithAllowedHosts(patterns...))
	if err != nil {
		t.Fatal(err)
	}
	for host, want := range map[string]bool{
		"img.example.com":      true,
		"IMG.Example.COM.":     true,
		"x.img.example.com":    false,
		"example.com":          false,
		"a.cdn.example.org":    true,
		"a.b.cdn.example.org":  true,
		"cdn.example.org":      false,
		"xcdn.example.org":     false,
		"cdn.example.org.evil": false,
		"192.0.2.7":            true,
		"192.0.2.8":            false,
		"2001:db8::7":          true,
		"2001:db8::8":          false,
		"":                     false,
	} {
		if got := s2.hostAllowed(host); got != want {
			t.Errorf("hostAllowed(%q) with %q = %v, want %v", host, patterns, got, want)
		}
	}
}

func TestHTTPHeaders(t *testing.T) {
	var header atomic.Value
	srv := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		header.Store(r.Header.Clone())
		w.Header().Set("ETag", `"h"`)
	})
	tests := map[string]struct {
		opts []HTTPOption
		want http.Header
	}{
		"default":       {want: http.Header{"User-Agent": {"imgcdn"}}},
		"authorization": {opts: []HTTPOption{WithHeader("Authorization", "Bearer secret")}, want: http.Header{"Authorization": {"Bearer secret"}, "User-Agent": {"imgcdn"}}},
		"repeated":      {opts: []HTTPOption{WithHeader("x-api-key", "1"), WithHeader("X-Api-Key", "2")}, want: http.Header{"X-Api-Key": {"1", "2"}}},
		"user agent":    {opts: []HTTPOption{WithHeader("User-Agent", "mine/1.0")}, want: http.Header{"User-Agent": {"mine/1.0"}}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := newHTTPStore(t, srv.URL, tc.opts...)
			for op, call := range map[string]func() error{
				"Open": func() error { _, _, err := readAll(t.Context(), s, "a"); return err },
				"Stat": func() error { _, err := s.Stat(t.Context(), "a"); return err },
			} {
				if err := call(); err != nil {
					t.Fatalf("%s error: %v", op, err)
				}
				got := header.Load().(http.Header)
				for k, v := range tc.want {
					if fmt.Sprint(got[k]) != fmt.Sprint(v) {
						t.Errorf("%s: header %s = %q, want %q", op, k, got[k], v)
					}
				}
			}
		})
	}
}

func TestHTTPOpenIfChanged(t *testing.T) {
	lm := time.Date(2022, 3, 4, 5, 6, 7, 0, time.UTC)
	type origin struct {
		etag        string // sent with 200 and used for If-None-Match
		lastMod     bool   // send Last-Modified and honour If-Modified-Since
		ignoreConds bool   // always answer 200
	}
	tests := map[string]struct {
		origin          origin
		etag            func(current string) string // the caller's tag, from the current one
		wantNotModified bool
		wantCondHeader  string // the header the request must carry
	}{
		"ETag matches":        {origin: origin{etag: `"v2"`}, etag: same, wantNotModified: true, wantCondHeader: "If-None-Match"},
		"weak ETag matches":   {origin: origin{etag: `W/"v2"`}, etag: same, wantNotModified: true, wantCondHeader: "If-None-Match"},
		"ETag changed":        {origin: origin{etag: `"v2"`}, etag: func(string) string { return `"v1"` }, wantCondHeader: "If-None-Match"},
		"derived, unchanged":  {origin: origin{lastMod: true}, etag: same, wantNotModified: true, wantCondHeader: "If-Modified-Since"},
		"derived, changed":    {origin: origin{lastMod: true}, etag: func(string) string { return derivedETag(lm.Add(-time.Hour), 4) }, wantCondHeader: "If-Modified-Since"},
		"hash, unchanged":     {origin: origin{}, etag: same, wantNotModified: true},
		"hash, changed":       {origin: origin{}, etag: func(string) string { return `"sha256-00"` }},
		"conditions ignored":  {origin: origin{etag: `"v2"`, ignoreConds: true}, etag: same, wantNotModified: true, wantCondHeader: "If-None-Match"},
		"ignored and changed": {origin: origin{etag: `"v2"`, ignoreConds: true}, etag: func(string) string { return `"v1"` }, wantCondHeader: "If-None-Match"},
		"no tag":              {origin: origin{etag: `"v2"`}, etag: func(string) string { return "" }},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var header atomic.Value
			srv := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
				header.Store(r.Header.Clone())
				if tc.origin.etag != "" {
					w.Header().Set("ETag", tc.origin.etag)
				}
				if tc.origin.lastMod {
					w.Header().Set("Last-Modified", lm.Format(http.TimeFormat))
				}
				if !tc.origin.ignoreConds {
					inm := r.Header.Get("If-None-Match")
					ims, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
					if (inm != "" && strings.TrimPrefix(inm, "W/") == strings.TrimPrefix(tc.origin.etag, "W/")) ||
						(inm == "" && err == nil && !lm.After(ims)) {
						w.WriteHeader(http.StatusNotModified)
						return
					}
				}
				w.Header().Set("Content-Length", "4")
				io.WriteString(w, "data")
			})
			s := newHTTPStore(t, srv.URL)
			current, err := s.Stat(t.Context(), "a.jpg")
			if err != nil {
				t.Fatal(err)
			}
			etag := tc.etag(current.ETag)
			rc, info, notModified, err := s.OpenIfChanged(t.Context(), "a.jpg", etag)
			if err != nil {
				t.Fatalf("OpenIfChanged(%s) error: %v", etag, err)
			}
			if notModified != tc.wantNotModified {
				t.Errorf("OpenIfChanged(%s) notModified = %v, want %v", etag, notModified, tc.wantNotModified)
			}
			if info.ETag != current.ETag || info.Key != "a.jpg" {
				t.Errorf("OpenIfChanged(%s) info = %+v, want ETag %s", etag, info, current.ETag)
			}
			if notModified {
				if rc != nil {
					t.Errorf("OpenIfChanged(%s) returned a body with notModified", etag)
				}
			} else {
				b, err := io.ReadAll(rc)
				rc.Close()
				if err != nil || string(b) != "data" {
					t.Errorf("body = %q, %v; want \"data\"", b, err)
				}
			}
			h := header.Load().(http.Header)
			for _, k := range []string{"If-None-Match", "If-Modified-Since"} {
				if got, want := h.Get(k) != "", k == tc.wantCondHeader; got != want {
					t.Errorf("request carried %s: %v, want %v (%q)", k, got, want, h.Get(k))
				}
			}
		})
	}
}

func same(s string) string { return s }

func TestHTTPOpenIfChangedErrors(t *testing.T) {
	srv := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/gone.jpg" {
			w.WriteHeader(http.StatusGone)
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	s := newHTTPStore(t, srv.URL)
	if _, _, _, err := s.OpenIfChanged(t.Context(), "gone.jpg", `"x"`); !errors.Is(err, ErrNotExist) {
		t.Errorf("OpenIfChanged of a gone object: error %v, want ErrNotExist", err)
	}
	if _, _, _, err := s.OpenIfChanged(t.Context(), "a.jpg", `"x"`); !errors.Is(err, ErrOrigin) {
		t.Errorf("OpenIfChanged from a failing origin: error %v, want ErrOrigin", err)
	}
}

// canIPv6 reports whether this machine has IPv6 loopback.
func canIPv6() bool {
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		return false
	}
	ln.Close()
	return true
}

// hostsHasLocalhost reports whether the hosts file names localhost, so
// that resolving it sends no DNS query.
func hostsHasLocalhost() bool {
	b, err := os.ReadFile("/etc/hosts")
	if err != nil {
		return false
	}
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "127.0.0.1" && strings.Contains(" "+strings.Join(f[1:], " ")+" ", " localhost ") {
			return true
		}
	}
	return false
}

func TestHTTPAddressGuard(t *testing.T) {
	var reached atomic.Int32
	handler := func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		w.Header().Set("ETag", `"ok"`)
		io.WriteString(w, "ok")
	}
	srv := newOrigin(t, handler)
	port := srv.Listener.Addr().(*net.TCPAddr).Port

	ipv6 := canIPv6()
	var port6 int
	if ipv6 {
		srv6 := httptest.NewUnstartedServer(http.HandlerFunc(handler))
		ln, err := net.Listen("tcp6", "[::1]:0")
		if err != nil {
			t.Fatal(err)
		}
		srv6.Listener.Close()
		srv6.Listener = ln
		srv6.Start()
		t.Cleanup(srv6.Close)
		port6 = ln.Addr().(*net.TCPAddr).Port
	}

	tests := map[string]struct {
		url    string
		ipv6   bool
		hosts  bool // needs localhost in the hosts file
		listen bool // a test server listens there
	}{
		"IPv4 loopback":         {url: fmt.Sprintf("http://127.0.0.1:%d", port), listen: true},
		"IPv6 loopback":         {url: fmt.Sprintf("http://[::1]:%d", port6), ipv6: true, listen: true},
		"IPv4-mapped loopback":  {url: fmt.Sprintf("http://[::ffff:127.0.0.1]:%d", port), ipv6: true, listen: true},
		"localhost":             {url: fmt.Sprintf("http://localhost:%d", port), hosts: true, listen: true},
		"unspecified":           {url: fmt.Sprintf("http://0.0.0.0:%d", port), listen: true},
		"metadata service":      {url: "http://169.254.169.254/latest/meta-data/"},
		"RFC 1918 10/8":         {url: "http://10.0.0.1/"},
		"RFC 1918 172.16/12":    {url: "http://172.16.0.1/"},
		"RFC 1918 192.168/16":   {url: "http://192.168.1.1/"},
		"CGNAT":                 {url: "http://100.64.0.1/"},
		"multicast":             {url: "http://224.0.0.1/"},
		"broadcast":             {url: "http://255.255.255.255/"},
		"IPv6 unspecified":      {url: "http://[::]/", ipv6: true},
		"IPv6 link-local":       {url: "http://[fe80::1]/", ipv6: true},
		"IPv6 unique local":     {url: "http://[fd00::1]/", ipv6: true},
		"IPv4-mapped metadata":  {url: "http://[::ffff:169.254.169.254]/", ipv6: true},
		"NAT64 metadata":        {url: "http://[64:ff9b::a9fe:a9fe]/", ipv6: true},
		"https to metadata":     {url: "https://169.254.169.254/"},
		"loopback, other octet": {url: fmt.Sprintf("http://127.0.0.2:%d", port)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if tc.ipv6 && !ipv6 {
				t.Skip("no IPv6 loopback")
			}
			if tc.hosts && !hostsHasLocalhost() {
				t.Skip("localhost is not in the hosts file; resolving it could query DNS")
			}
			before := reached.Load()
			s, err := HTTP(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(s.CloseIdleConnections)
			start := time.Now()
			_, _, err = s.Open(t.Context(), "a.jpg")
			if !errors.Is(err, ErrForbiddenAddress) {
				t.Fatalf("Open via %s: error %v, want ErrForbiddenAddress", tc.url, err)
			}
			if errors.Is(err, ErrOrigin) || errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Open via %s: error %v also matches ErrOrigin or a timeout", tc.url, err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("refusal took %v; the Control hook should refuse at once", d)
			}
			if _, err := s.Stat(t.Context(), "a.jpg"); !errors.Is(err, ErrForbiddenAddress) {
				t.Errorf("Stat via %s: error %v, want ErrForbiddenAddress", tc.url, err)
			}
			if n := reached.Load() - before; n != 0 {
				t.Errorf("the origin was reached %d times", n)
			}
			if !tc.listen {
				return
			}
			// The same origin works once private networks are allowed.
			s2 := newHTTPStore(t, tc.url)
			if b, _, err := readAll(t.Context(), s2, "a.jpg"); err != nil || string(b) != "ok" {
				t.Errorf("Open via %s with AllowPrivateNetworks(true) = %q, %v; want \"ok\"", tc.url, b, err)
			}
		})
	}
}

func TestHTTPAddressGuardRedirect(t *testing.T) {
	srv := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/to-private":
			http.Redirect(w, r, "http://10.1.2.3:"+r.URL.Port()+"/a", http.StatusTemporaryRedirect)
		case "/to-other-loopback":
			http.Redirect(w, r, "http://127.0.0.2:"+strings.Split(r.Host, ":")[1]+"/ok", http.StatusFound)
		case "/to-self":
			http.Redirect(w, r, "/ok", http.StatusFound)
		default:
			w.Header().Set("ETag", `"ok"`)
			io.WriteString(w, "ok")
		}
	})
	// Only the test server's own address is exempt from the guard.
	s, err := HTTP(srv.URL, AllowAddresses(netip.MustParsePrefix("127.0.0.1/32")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.CloseIdleConnections)
	tests := map[string]error{
		"ok":                nil,
		"to-self":           nil,
		"to-metadata":       ErrForbiddenAddress,
		"to-private":        ErrForbiddenAddress,
		"to-other-loopback": ErrForbiddenAddress,
	}
	for key, want := range tests {
		t.Run(key, func(t *testing.T) {
			start := time.Now()
			_, _, err := readAll(t.Context(), s, key)
			if want == nil {
				if err != nil {
					t.Fatalf("Open(%q) error: %v", key, err)
				}
				return
			}
			if !errors.Is(err, want) {
				t.Fatalf("Open(%q) error = %v, want %v", key, err, want)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("refusal took %v", d)
			}
		})
	}
}

func TestAddrGuard(t *testing.T) {
	def := &addrGuard{}
	tests := map[string]bool{ // address → allowed by default
		"8.8.8.8":                   true,
		"1.1.1.1":                   true,
		"93.184.216.34":             true,
		"172.32.0.1":                true,
		"100.128.0.1":               true,
		"169.255.0.1":               true,
		"2606:4700:4700::1111":      true,
		"::ffff:8.8.8.8":            true,
		"64:ff9b::808:808":          true,
		"0.0.0.0":                   false,
		"0.1.2.3":                   false,
		"10.0.0.1":                  false,
		"10.255.255.255":            false,
		"100.64.0.1":                false,
		"100.127.255.255":           false,
		"127.0.0.1":                 false,
		"127.255.255.254":           false,
		"169.254.169.254":           false,
		"169.254.0.1":               false,
		"172.16.0.1":                false,
		"172.31.255.255":            false,
		"192.0.0.8":                 false,
		"192.0.2.1":                 false,
		"192.168.0.1":               false,
		"198.18.0.1":                false,
		"198.51.100.1":              false,
		"203.0.113.1":               false,
		"224.0.0.1":                 false,
		"239.255.255.250":           false,
		"240.0.0.1":                 false,
		"255.255.255.255":           false,
		"::":                        false,
		"::1":                       false,
		"::127.0.0.1":               false,
		"::ffff:127.0.0.1":          false,
		"::ffff:169.254.169.254":    false,
		"::ffff:10.0.0.1":           false,
		"::ffff:0.0.0.0":            false,
		"64:ff9b::a9fe:a9fe":        false,
		"64:ff9b::7f00:1":           false,
		"64:ff9b:1::1":              false,
		"100::1":                    false,
		"2001::1":                   false,
		"2001:db8::1":               false,
		"2002:7f00:1::1":            false,
		"3fff::1":                   false,
		"fc00::1":                   false,
		"fd12:3456::1":              false,
		"fe80::1":                   false,
		"fe80::1%eth0":              false,
		"fec0::1":                   false,
		"ff02::1":                   false,
		"ff0e::1":                   false,
		"2606:4700:4700::1111%eth0": true,
	}
	for s, want := range tests {
		a := netip.MustParseAddr(s)
		if got := def.allowed(a); got != want {
			t.Errorf("allowed(%s) = %v, want %v", s, got, want)
		}
		err := def.control("tcp", netip.AddrPortFrom(a, 80).String(), nil)
		if want && err != nil || !want && !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("control(tcp, %s) = %v, want allowed %v", netip.AddrPortFrom(a, 80), err, want)
		}
	}

	exempt := &addrGuard{allow: []netip.Prefix{netip.MustParsePrefix("10.1.2.3/32"), netip.MustParsePrefix("fd00::/64")}}
	for s, want := range map[string]bool{
		"10.1.2.3":         true,
		"::ffff:10.1.2.3":  true,
		"10.1.2.4":         false,
		"127.0.0.1":        false,
		"fd00::5":          true,
		"fd00:0:0:1::5":    false,
		"169.254.169.254":  false,
		"8.8.8.8":          true,
		"::ffff:10.1.2.4":  false,
		"64:ff9b::a01:203": false, // NAT64 of 10.1.2.3 is a different address
	} {
		if got := exempt.allowed(netip.MustParseAddr(s)); got != want {
			t.Errorf("with exemptions, allowed(%s) = %v, want %v", s, got, want)
		}
	}

	all := &addrGuard{allowAll: true}
	for _, s := range []string{"127.0.0.1", "169.254.169.254", "::1"} {
		if err := all.control("tcp", netip.AddrPortFrom(netip.MustParseAddr(s), 80).String(), nil); err != nil {
			t.Errorf("allowAll: control(%s) = %v", s, err)
		}
	}

	for _, c := range []struct{ network, address string }{
		{"udp", "8.8.8.8:53"},
		{"tcp", "not an address"},
		{"tcp", "example.com:80"},
	} {
		if err := def.control(c.network, c.address, nil); !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("control(%q, %q) = %v, want ErrForbiddenAddress", c.network, c.address, err)
		}
	}
}

// waitGoroutines waits until at most max goroutines run, and reports the
// count if they do not drop that far within a few seconds.
func waitGoroutines(t *testing.T, max int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= max {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("%d goroutines still running, want at most %d:\n%s", n, max, buf)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestHTTPSlowOrigin(t *testing.T) {
	const timeout = 200 * time.Millisecond
	release := blockUntilDone(t)
	srv := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow-body.jpg" {
			w.Header().Set("ETag", `"s"`)
			w.Header().Set("Content-Length", "100")
			io.WriteString(w, "first part")
			w.(http.Flusher).Flush()
		}
		select { // never answers, or never finishes, while the client waits
		case <-release:
		case <-r.Context().Done():
		}
	})
	tests := map[string]func(s *HTTPStore) error{
		"Open": func(s *HTTPStore) error {
			_, _, err := s.Open(t.Context(), "slow.jpg")
			return err
		},
		"Stat": func(s *HTTPStore) error {
			_, err := s.Stat(t.Context(), "slow.jpg")
			return err
		},
		"OpenIfChanged": func(s *HTTPStore) error {
			_, _, _, err := s.OpenIfChanged(t.Context(), "slow.jpg", `"s"`)
			return err
		},
		"slow body": func(s *HTTPStore) error {
			b, _, err := readAll(t.Context(), s, "slow-body.jpg")
			if err != nil && string(b) != "first part" {
				return fmt.Errorf("read %q before the error %w", b, err)
			}
			return err
		},
	}
	for name, call := range tests {
		t.Run(name, func(t *testing.T) {
			s := newHTTPStore(t, srv.URL, WithRequestTimeout(timeout))
			runtime.GC()
			baseline := runtime.NumGoroutine()
			start := time.Now()
			err := call(s)
			elapsed := time.Since(start)
			if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrOrigin) {
				t.Fatalf("error = %v, want one matching context.DeadlineExceeded only", err)
			}
			if elapsed < timeout || elapsed > timeout+2*time.Second {
				t.Errorf("returned after %v, want about %v", elapsed, timeout)
			}
			s.CloseIdleConnections()
			waitGoroutines(t, baseline+2)
		})
	}
}

func TestHTTPCancel(t *testing.T) {
	release := blockUntilDone(t)
	srv := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	s := newHTTPStore(t, srv.URL, WithRequestTimeout(time.Minute))

	t.Run("canceled", func(t *testing.T) {
		baseline := runtime.NumGoroutine()
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		_, _, err := s.Open(ctx, "a.jpg")
		if !errors.Is(err, context.Canceled) || errors.Is(err, ErrOrigin) || errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Open error = %v, want context.Canceled", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("Open returned after %v, want soon after the cancellation", d)
		}
		s.CloseIdleConnections()
		waitGoroutines(t, baseline+2)
	})
	t.Run("caller deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		_, err := s.Stat(ctx, "a.jpg")
		if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrOrigin) {
			t.Fatalf("Stat error = %v, want context.DeadlineExceeded", err)
		}
	})
	t.Run("already canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, _, err := s.Open(ctx, "a.jpg"); !errors.Is(err, context.Canceled) {
			t.Fatalf("Open error = %v, want context.Canceled", err)
		}
	})
	t.Run("canceled while reading", func(t *testing.T) {
		body := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("ETag", `"b"`)
			io.WriteString(w, "part")
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
		s := newHTTPStore(t, body.URL)
		ctx, cancel := context.WithCancel(t.Context())
		rc, _, err := s.Open(ctx, "a.jpg")
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		time.AfterFunc(100*time.Millisecond, cancel)
		if _, err := io.ReadAll(rc); !errors.Is(err, context.Canceled) {
			t.Fatalf("ReadAll error = %v, want context.Canceled", err)
		}
	})
}

// TestHTTPDialTimeout checks the connection timeout through the TLS
// handshake: a loopback listener accepts connections and never answers.
func TestHTTPDialTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	const dial = 150 * time.Millisecond
	s := newHTTPStore(t, "https://"+ln.Addr().String(), WithDialTimeout(dial), WithRequestTimeout(time.Minute))
	start := time.Now()
	_, _, err = s.Open(t.Context(), "a.jpg")
	elapsed := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrOrigin) {
		t.Fatalf("Open error = %v, want one matching context.DeadlineExceeded", err)
	}
	if elapsed < dial || elapsed > dial+2*time.Second {
		t.Errorf("Open returned after %v, want about %v", elapsed, dial)
	}
}

func TestHTTPCloseBody(t *testing.T) {
	srv := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"c"`)
		io.WriteString(w, strings.Repeat("x", 1<<16))
	})
	s := newHTTPStore(t, srv.URL)
	rc, _, err := s.Open(t.Context(), "a.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rc.Read(make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	if err := rc.Close(); err != nil {
		t.Errorf("Close error: %v", err)
	}
	if err := rc.Close(); err != nil {
		t.Errorf("second Close error: %v", err)
	}
	if _, err := rc.Read(make([]byte, 10)); err == nil {
		t.Error("Read after Close succeeded")
	}
}

func TestHTTPWithTransport(t *testing.T) {
	// A custom transport replaces the guarded one: it reaches a loopback
	// origin without AllowPrivateNetworks, and the other limits still hold.
	srv := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"t"`)
		io.WriteString(w, strings.Repeat("x", 100))
	})
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	s, err := HTTP(srv.URL, WithTransport(tr), WithMaxBodySize(50))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Open(t.Context(), "a.jpg"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Open error = %v, want ErrTooLarge", err)
	}
}
