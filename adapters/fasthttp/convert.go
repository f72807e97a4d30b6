package imgcdnfasthttp

import (
	"context"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"

	"github.com/valyala/fasthttp"
)

// NewRequest returns a server *http.Request for the request of fctx, with
// the context ctx. Unlike fasthttpadaptor.ConvertRequest, it copies what it
// takes from fctx, so that the request may be used after the fasthttp
// handler has returned. It has no body.
func NewRequest(ctx context.Context, fctx *fasthttp.RequestCtx) (*http.Request, error) {
	uri := fctx.URI()
	path, query := uri.PathOriginal(), uri.QueryString()
	target := make([]byte, 0, len(path)+1+len(query))
	target = append(target, path...)
	if len(query) > 0 {
		target = append(append(target, '?'), query...)
	}
	requestURI := string(target)
	u, err := url.ParseRequestURI(requestURI)
	if err != nil {
		return nil, fmt.Errorf("bad request URI %q: %w", requestURI, err)
	}
	proto, major, minor := "HTTP/1.1", 1, 1
	if p := fctx.Request.Header.Protocol(); string(p) != proto {
		if ma, mi, ok := http.ParseHTTPVersion(string(p)); ok {
			proto, major, minor = string(p), ma, mi
		}
	}
	r := http.Request{ // a value, so that only WithContext's copy is allocated
		Method:     method(fctx.Method()),
		URL:        u,
		Proto:      proto,
		ProtoMajor: major,
		ProtoMinor: minor,
		Header:     requestHeader(&fctx.Request.Header),
		Body:       http.NoBody,
		Host:       string(fctx.Host()),
		RemoteAddr: fctx.RemoteAddr().String(),
		RequestURI: requestURI,
		TLS:        fctx.TLSConnectionState(),
	}
	return r.WithContext(ctx), nil
}

// method returns the method m as a string, without allocating for GET
// and HEAD.
func method(m []byte) string {
	switch string(m) {
	case http.MethodGet:
		return http.MethodGet
	case http.MethodHead:
		return http.MethodHead
	}
	return string(m)
}

// requestHeader returns a copy of the header fields of src other than
// Host (which net/http keeps in Request.Host). Repeated fields keep all
// their values. The keys and values share one string.
func requestHeader(src *fasthttp.RequestHeader) http.Header {
	size, count := 0, 0
	for k, v := range src.All() {
		size += len(k) + len(v)
		count++
	}
	dst := make(http.Header, count)
	if count == 0 {
		return dst
	}
	buf := make([]byte, 0, size)
	for k, v := range src.All() {
		buf = append(append(buf, k...), v...)
	}
	packed := string(buf)
	vals := make([]string, 0, count)
	off := 0
	for k, v := range src.All() {
		if off+len(k)+len(v) > len(packed) {
			break // the header changed under us; cannot happen
		}
		key := textproto.CanonicalMIMEHeaderKey(packed[off : off+len(k)])
		off += len(k)
		val := packed[off : off+len(v)]
		off += len(v)
		if key == "Host" {
			continue
		}
		if prev, ok := dst[key]; ok {
			dst[key] = append(prev, val)
			continue
		}
		vals = append(vals, val)
		dst[key] = vals[len(vals)-1 : len(vals) : len(vals)]
	}
	return dst
}

// responseWriter is the http.ResponseWriter that the Handler writes to: it
// writes the status and header fields into fasthttp's response when the
// header is written, and appends the body to it.
type responseWriter struct {
	resp        *fasthttp.Response
	header      http.Header
	wroteHeader bool
}

// Header returns the header fields to be sent.
func (w *responseWriter) Header() http.Header { return w.header }

// WriteHeader writes the status and header fields into fasthttp's
// response; later calls do nothing, as with net/http. A field the Handler
// sets replaces the one fiber had; the others are kept.
func (w *responseWriter) WriteHeader(code int) {
	if w.wroteHeader || code < 200 {
		return // 1xx: the Handler sends none; fasthttp could not either
	}
	w.wroteHeader = true
	w.resp.SetStatusCode(code)
	for k, vv := range w.header {
		w.resp.Header.Del(k)
		for _, v := range vv {
			w.resp.Header.Add(k, v)
		}
	}
}

// Write appends (copies) p to fasthttp's response body, writing the
// header first if it has not been. fasthttp sends the response when the
// fiber handler returns, with a Content-Length of the body written.
func (w *responseWriter) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	w.resp.AppendBody(p)
	return len(p), nil
}
