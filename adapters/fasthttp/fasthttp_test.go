package imgcdnfasthttp_test

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"

	imgcdnfasthttp "github.com/imgcdn/imgcdn/adapters/fasthttp"
	"github.com/imgcdn/imgcdn/internal/adaptertest"
	"github.com/imgcdn/imgcdn/middleware"
)

// newApp returns the adaptertest App of a fasthttp server with handler:
// Do sends the request through an in-memory connection to a server of
// its own, Serve runs another.
func newApp(handler fasthttp.RequestHandler) adaptertest.App {
	mem := fasthttputil.NewInmemoryListener()
	memSrv := &fasthttp.Server{Handler: handler}
	go memSrv.Serve(mem)
	client := &http.Client{Transport: &http.Transport{
		DialContext:        func(context.Context, string, string) (net.Conn, error) { return mem.Dial() },
		DisableCompression: true,
	}}
	srv := &fasthttp.Server{Handler: handler}
	return adaptertest.App{
		Do: func(r *http.Request) (*http.Response, error) {
			out := r.Clone(r.Context())
			out.RequestURI = ""
			out.URL.Scheme, out.URL.Host = "http", r.Host
			return client.Do(out)
		},
		Serve: srv.Serve,
		Shutdown: func() error {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return srv.ShutdownWithContext(ctx)
		},
		Close: func() {
			client.CloseIdleConnections()
			memSrv.Shutdown()
		},
	}
}

// serve is the test's fasthttp application: the images of h under its
// prefix (through Handler, or through an Adapter with the request context
// of o), GET /hello, and 404 for the other paths. The response header
// fields of o are set first.
func serve(h *middleware.Handler, o adaptertest.Options) adaptertest.App {
	images := imgcdnfasthttp.Handler(h)
	a := imgcdnfasthttp.NewAdapter(h)
	return newApp(func(fctx *fasthttp.RequestCtx) {
		for k, vv := range o.Header {
			for _, v := range vv {
				fctx.Response.Header.Add(k, v)
			}
		}
		switch {
		case h.Match(string(fctx.URI().PathOriginal())) && o.Context != nil:
			if err := a.Serve(o.Context(context.Background()), fctx); err != nil {
				fctx.Error(err.Error(), fasthttp.StatusBadRequest)
			}
		case h.Match(string(fctx.URI().PathOriginal())):
			images(fctx)
		case string(fctx.Path()) == "/hello":
			fctx.SetContentType("text/plain; charset=utf-8")
			fctx.SetBodyString("hello from fasthttp")
		default:
			fctx.Error("404 page not found", fasthttp.StatusNotFound)
		}
	})
}

func TestAdapter(t *testing.T) {
	adaptertest.Run(t, adaptertest.Config{
		Setups:     map[string]adaptertest.Setup{"Handler": serve},
		Middleware: "Handler",
		Cases: adaptertest.FastHTTPCases("text/plain; charset=utf-8", "hello from fasthttp", func(string) adaptertest.Case {
			return adaptertest.Case{Status: http.StatusNotFound, Body: "404 page not found"}
		}),
		FastHTTP: true,
	})
}

// TestNewRequest checks the request that the Handler gets: its URL as
// sent, its header fields (repeated ones kept, Host in Request.Host) and
// its context.
func TestNewRequest(t *testing.T) {
	var req fasthttp.Request
	req.Header.SetMethod(http.MethodHead)
	req.SetRequestURI("/img/tr%3Aw-100/a%20b.jpg?tr=h-10")
	req.Header.SetHost("example.com")
	req.Header.Add("Accept", "image/avif")
	req.Header.Add("accept", "image/webp")
	var fctx fasthttp.RequestCtx
	fctx.Init(&req, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1234}, nil)
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "v")
	r, err := imgcdnfasthttp.NewRequest(ctx, &fctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != http.MethodHead || r.RequestURI != "/img/tr%3Aw-100/a%20b.jpg?tr=h-10" || r.URL.EscapedPath() != "/img/tr%3Aw-100/a%20b.jpg" || r.URL.RawQuery != "tr=h-10" {
		t.Errorf("request %s %q, URL path %q query %q", r.Method, r.RequestURI, r.URL.EscapedPath(), r.URL.RawQuery)
	}
	if got := r.Header.Values("Accept"); len(got) != 2 || got[0] != "image/avif" || got[1] != "image/webp" {
		t.Errorf("Accept %q, want both values in order", got)
	}
	if r.Host != "example.com" || r.Header.Get("Host") != "" || r.RemoteAddr != "127.0.0.1:1234" || r.ProtoMajor != 1 || r.ProtoMinor != 1 {
		t.Errorf("Host %q (header %q), RemoteAddr %q, proto %d.%d", r.Host, r.Header.Get("Host"), r.RemoteAddr, r.ProtoMajor, r.ProtoMinor)
	}
	if r.Context().Value(key{}) != "v" || r.Body != http.NoBody {
		t.Errorf("context value %v, body %v; want the context given and no body", r.Context().Value(key{}), r.Body)
	}
	fctx.Request.SetRequestURI("/img/%zz.jpg")
	if _, err := imgcdnfasthttp.NewRequest(ctx, &fctx); err == nil {
		t.Errorf("NewRequest of a malformed escape: no error")
	}
}
