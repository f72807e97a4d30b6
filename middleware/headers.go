package middleware

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
)

// ContentSecurityPolicy is the Content-Security-Policy of every image
// response (it is not configurable): nothing may load and scripts never run, even when an SVG is
// opened directly; inline styles are allowed so that SVGs render.
const ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

// headerValues are the constant header values of a Handler's responses,
// made once so that serving a cached result does not allocate them. They
// are never modified.
type headerValues struct {
	cacheControl, nosniff, csp, noStore, textPlain, retryAfter, allow, acceptRanges, varyAccept []string
}

func newHeaderValues(cacheControl string) headerValues {
	return headerValues{
		cacheControl: []string{cacheControl},
		nosniff:      []string{"nosniff"},
		csp:          []string{ContentSecurityPolicy},
		noStore:      []string{"no-store"},
		textPlain:    []string{"text/plain; charset=utf-8"},
		retryAfter:   []string{strconv.Itoa(DefaultRetryAfter)},
		allow:        []string{"GET, HEAD"},
		acceptRanges: []string{"bytes"},
		varyAccept:   []string{"Accept"}[:1:1],
	}
}

// setCommon sets the headers that a 200 and a 304 of e share.
func (h *Handler) setCommon(hdr http.Header, etag, lastModified []string, vary bool) {
	hdr["Etag"] = etag
	hdr["Cache-Control"] = h.hdr.cacheControl
	if lastModified != nil {
		hdr["Last-Modified"] = lastModified
	}
	if vary {
		if v := hdr["Vary"]; v != nil {
			hdr["Vary"] = append(v, "Accept")
		} else {
			// Shared and full (cap 1): an append elsewhere copies it.
			hdr["Vary"] = h.hdr.varyAccept
		}
	}
}

// serveEntry writes e. A GET with a Range header goes through
// [http.ServeContent], which handles Range and If-Range; every other request
// is answered directly, without allocating.
func (h *Handler) serveEntry(w http.ResponseWriter, r *http.Request, e *entry, vary bool) {
	hdr := w.Header()
	h.setCommon(hdr, e.etag, e.lastModified, vary)
	hdr["Content-Type"] = e.contentType
	hdr["X-Content-Type-Options"] = h.hdr.nosniff
	hdr["Content-Security-Policy"] = h.hdr.csp
	if _, ok := r.Header["Range"]; ok && r.Method == http.MethodGet {
		http.ServeContent(w, r, "", e.modTime, bytes.NewReader(e.body))
		return
	}
	hdr["Accept-Ranges"] = h.hdr.acceptRanges
	hdr["Content-Length"] = e.length
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(e.body)
	}
}

// writeNotModified writes a 304 with the validators and caching headers of
// the result.
func (h *Handler) writeNotModified(w http.ResponseWriter, etag, lastModified []string, vary bool) {
	h.setCommon(w.Header(), etag, lastModified, vary)
	w.WriteHeader(http.StatusNotModified)
	h.metrics.Count(MetricNotModified, 1)
}

// checkIfNoneMatch reports whether the If-None-Match header of r matches
// etag, comparing weakly as RFC 9110 requires ("*" matches any).
func checkIfNoneMatch(r *http.Request, etag string) bool {
	for _, v := range r.Header["If-None-Match"] {
		for v != "" {
			var t string
			t, v, _ = strings.Cut(v, ",")
			t = strings.TrimSpace(t)
			t = strings.TrimPrefix(t, "W/")
			if t == "*" || t == etag {
				return true
			}
		}
	}
	return false
}
