package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The defaults of an [HTTPStore].
const (
	// DefaultHTTPTimeout is the default limit on one request to the
	// origin, from dialing to the last byte of the body.
	DefaultHTTPTimeout = 10 * time.Second
	// DefaultHTTPDialTimeout is the default limit on establishing a TCP
	// connection, and separately on its TLS handshake.
	DefaultHTTPDialTimeout = 5 * time.Second
	// DefaultHTTPMaxBodySize is the default largest body read from the
	// origin, 40 MB.
	DefaultHTTPMaxBodySize = 40 << 20
	// DefaultHTTPMaxRedirects is the default number of redirects followed.
	DefaultHTTPMaxRedirects = 3
)

// userAgent is the User-Agent of every request unless a header option
// replaces it.
const userAgent = "imgcdn"

// ErrTooLarge is returned (wrapped) when an object is larger than a store
// accepts, such as an [HTTPStore] body longer than its [WithMaxBodySize].
var ErrTooLarge = errors.New("store: object too large")

// ErrOrigin is matched (with [errors.Is]) by every [*OriginError]: the
// remote origin failed, answered with an unexpected status, or could not be
// reached.
var ErrOrigin = errors.New("store: origin error")

// ErrForbiddenHost is returned (wrapped) by an [HTTPStore] asked to talk to
// a host outside its [WithAllowedHosts] list, for instance by a redirect.
var ErrForbiddenHost = errors.New("store: host not allowed")

// OriginError reports a failure of a remote origin that is not a missing
// object, a timeout or a refused address: an unexpected HTTP status, a
// connection that could not be made, a body cut short, too many redirects.
// It matches [ErrOrigin] with [errors.Is].
type OriginError struct {
	// Status is the HTTP status the origin answered with, or 0 when no
	// usable response was received.
	Status int
	// Err is the underlying cause, if any.
	Err error
}

// Error returns a description of the failure.
func (e *OriginError) Error() string {
	var b strings.Builder
	b.WriteString("origin")
	if e.Status != 0 {
		fmt.Fprintf(&b, " answered %d %s", e.Status, http.StatusText(e.Status))
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Is reports whether target is [ErrOrigin].
func (e *OriginError) Is(target error) bool { return target == ErrOrigin }

// Unwrap returns the underlying cause, if any.
func (e *OriginError) Unwrap() error { return e.Err }

// HTTPStore is a read-only [Store] over a remote HTTP origin: the key
// "photos/cat.jpg" is fetched from the base URL followed by "/photos/cat.jpg"
// (each segment path-escaped). Create one with [HTTP].
//
// Open sends a GET and streams the body; Stat sends a HEAD, falling back to
// a one-byte ranged GET when the origin answers HEAD with 405 or 501.
// Answers 404 and 410 are errors matching [ErrNotExist]; any other status
// but 200 is an [*OriginError], as is an origin that cannot be reached. A
// request that outlives [WithRequestTimeout], or a connection or TLS
// handshake that outlives [WithDialTimeout], fails with an error matching
// [context.DeadlineExceeded]; when the caller's context ends first, the
// error matches the context's error ([context.Canceled] or
// [context.DeadlineExceeded]). A refused connection matches
// [ErrForbiddenAddress] or [ErrForbiddenHost], and a body over the size
// limit matches [ErrTooLarge].
//
// The [Info] comes from the response headers: Content-Length (Size, -1 when
// absent), Last-Modified, Content-Type and ETag, kept as the origin sent it,
// weak or strong. When the origin sends no ETag, one is derived from
// Last-Modified and Content-Length (a weak W/"lm-…" tag); when it sends
// neither ETag nor Last-Modified, Open reads the whole body (within the size
// limit) and tags it with its SHA-256 (a strong "sha256-…" tag), and Stat
// does the same through a GET, so an origin without validators costs a full
// download per Stat.
//
// Requests carry User-Agent "imgcdn", no cookies and no proxy from the
// environment, and never ask for a compressed transfer. An HTTPStore is
// safe for concurrent use.
type HTTPStore struct {
	base   string // scheme://host[:port][/escaped/path], no trailing slash
	cfg    httpConfig
	client *http.Client
}

var _ Store = (*HTTPStore)(nil)

// HTTPOption configures an [HTTPStore]; see [HTTP].
type HTTPOption func(*httpConfig) error

// httpConfig holds the settings of an HTTPStore.
type httpConfig struct {
	timeout      time.Duration
	dialTimeout  time.Duration
	maxBody      int64
	maxRedirects int
	hosts        []string // allowlist patterns, lower case; empty allows all
	header       http.Header
	transport    http.RoundTripper
	guard        addrGuard
}

// WithRequestTimeout limits each request to the origin to d, from dialing
// to reading the last byte of the body, so a slow origin cannot hold a
// caller longer. The default is [DefaultHTTPTimeout] (10 s); d must be
// positive.
func WithRequestTimeout(d time.Duration) HTTPOption {
	return func(c *httpConfig) error {
		if d <= 0 {
			return fmt.Errorf("request timeout %v is not positive", d)
		}
		c.timeout = d
		return nil
	}
}

// WithDialTimeout limits establishing a connection to d, and separately
// the TLS handshake that follows. The default is [DefaultHTTPDialTimeout]
// (5 s); d must be positive. It does not apply with [WithTransport].
func WithDialTimeout(d time.Duration) HTTPOption {
	return func(c *httpConfig) error {
		if d <= 0 {
			return fmt.Errorf("dial timeout %v is not positive", d)
		}
		c.dialTimeout = d
		return nil
	}
}

// WithMaxBodySize sets the largest body, in bytes, read from the origin. A
// response whose Content-Length is larger fails before any of the body is
// read; a longer body without one fails once the limit is passed. Both
// errors match [ErrTooLarge]. The default is [DefaultHTTPMaxBodySize]
// (40 MB); n must be positive.
func WithMaxBodySize(n int64) HTTPOption {
	return func(c *httpConfig) error {
		if n <= 0 {
			return fmt.Errorf("max body size %d is not positive", n)
		}
		c.maxBody = n
		return nil
	}
}

// WithMaxRedirects sets how many redirects a request follows. Once they
// are used up, a further redirect fails with an [*OriginError] carrying its
// status; 0 follows none. The default is [DefaultHTTPMaxRedirects] (3).
func WithMaxRedirects(n int) HTTPOption {
	return func(c *httpConfig) error {
		if n < 0 {
			return fmt.Errorf("max redirects %d is negative", n)
		}
		c.maxRedirects = n
		return nil
	}
}

// WithAllowedHosts restricts the hosts the store talks to, including the
// targets of redirects, to those matching one of patterns: an exact host
// name or IP address ("images.example.com", "192.0.2.7", "2001:db8::7"),
// or "*." followed by a domain, which matches every name below that
// domain but not the domain itself ("*.example.com" matches
// "a.example.com" and "a.b.example.com"). Names are compared without case
// and without a trailing dot; internationalised names must be given in
// their ASCII (punycode) form. A request to any other host fails with an
// error matching [ErrForbiddenHost]; [HTTP] fails when the base URL's host
// does not match. Repeated options add patterns. By default every host is
// allowed (the address guard still applies; see [AllowPrivateNetworks]).
func WithAllowedHosts(patterns ...string) HTTPOption {
	return func(c *httpConfig) error {
		if len(patterns) == 0 {
			return errors.New("allowed hosts: no pattern")
		}
		for _, p := range patterns {
			q, err := normalizeHostPattern(p)
			if err != nil {
				return err
			}
			c.hosts = append(c.hosts, q)
		}
		return nil
	}
}

// WithHeader adds a header to every request, for instance an
// Authorization header the origin requires. Repeated options add values;
// a User-Agent header replaces the default "imgcdn". The name must be a
// valid header name other than Host, and the value must hold no control
// characters but tab. By default no extra header is sent. Like other
// headers, it follows redirects, except that Go's client drops
// Authorization, WWW-Authenticate and Cookie on a redirect to another
// domain.
func WithHeader(name, value string) HTTPOption {
	return func(c *httpConfig) error {
		if !validHeaderName(name) {
			return fmt.Errorf("header name %q is invalid", name)
		}
		if http.CanonicalHeaderKey(name) == "Host" {
			return errors.New("header Host cannot be set; it comes from the URL")
		}
		for i := 0; i < len(value); i++ {
			if b := value[i]; (b < 0x20 && b != '\t') || b == 0x7f {
				return fmt.Errorf("header %s: value holds a control character", name)
			}
		}
		if c.header == nil {
			c.header = make(http.Header)
		}
		c.header.Add(name, value)
		return nil
	}
}

// WithTransport makes the store send its requests through rt instead of
// its own transport; meant for tests and for special set-ups such as a
// proxy. The address guard ([AllowPrivateNetworks], [AllowAddresses]) and
// [WithDialTimeout] live in the store's own transport, so they do not apply
// to rt; the request timeout, size limit, redirect limit and host
// allowlist still do. By default the store uses a transport of its own
// with the address guard, no proxy and no compression.
func WithTransport(rt http.RoundTripper) HTTPOption {
	return func(c *httpConfig) error {
		if rt == nil {
			return errors.New("transport is nil")
		}
		c.transport = rt
		return nil
	}
}

// AllowPrivateNetworks(true) turns the address guard off, so the store
// connects to any address, such as an origin on the local network or on
// the same machine. By default (false) the store refuses, when dialing and
// so after DNS resolution and on every redirect, to connect to loopback,
// private (RFC 1918, fc00::/7), link-local (169.254.0.0/16, which holds the
// cloud metadata service at 169.254.169.254, and fe80::/10), unspecified,
// multicast, shared (100.64.0.0/10) and other special-purpose addresses,
// including their IPv4-mapped and NAT64 IPv6 forms; such a request fails
// with an error matching [ErrForbiddenAddress] before any packet is sent.
// To allow only some internal addresses, use [AllowAddresses].
func AllowPrivateNetworks(allow bool) HTTPOption {
	return func(c *httpConfig) error {
		c.guard.allowAll = allow
		return nil
	}
}

// AllowAddresses exempts the given address ranges from the address guard
// (see [AllowPrivateNetworks]), for an origin with an internal address:
// AllowAddresses(netip.MustParsePrefix("10.1.2.3/32")) allows that one
// host while 10.1.2.4 stays refused. Repeated options add ranges. By
// default no range is exempt.
func AllowAddresses(prefixes ...netip.Prefix) HTTPOption {
	return func(c *httpConfig) error {
		if len(prefixes) == 0 {
			return errors.New("allowed addresses: no prefix")
		}
		for _, p := range prefixes {
			if !p.IsValid() {
				return fmt.Errorf("allowed addresses: invalid prefix %v", p)
			}
			c.guard.allow = append(c.guard.allow, p.Masked())
		}
		return nil
	}
}

// HTTP returns a store reading objects from the origin at base, an http or
// https URL with an optional path ("https://images.example.com/originals")
// and without query, fragment or user information (send credentials with
// [WithHeader]). It returns an error for a malformed base URL or an
// invalid option. See [HTTPStore] for the behaviour and the options for
// their defaults.
func HTTP(base string, opts ...HTTPOption) (*HTTPStore, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("store: HTTP base URL: %w", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("store: HTTP base URL %q: scheme must be http or https", base)
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("store: HTTP base URL %q: no host", base)
	case u.User != nil:
		return nil, fmt.Errorf("store: HTTP base URL: user information is not allowed (use WithHeader)")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, fmt.Errorf("store: HTTP base URL %q: query and fragment are not allowed", base)
	}
	cfg := httpConfig{
		timeout:      DefaultHTTPTimeout,
		dialTimeout:  DefaultHTTPDialTimeout,
		maxBody:      DefaultHTTPMaxBodySize,
		maxRedirects: DefaultHTTPMaxRedirects,
	}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("store: HTTP: nil option")
		}
		if err := opt(&cfg); err != nil {
			return nil, fmt.Errorf("store: HTTP: %w", err)
		}
	}
	if cfg.header == nil {
		cfg.header = make(http.Header)
	}
	if cfg.header.Get("User-Agent") == "" {
		cfg.header.Set("User-Agent", userAgent)
	}
	s := &HTTPStore{
		base: u.Scheme + "://" + u.Host + strings.TrimRight(u.EscapedPath(), "/"),
		cfg:  cfg,
	}
	if !s.hostAllowed(u.Hostname()) {
		return nil, fmt.Errorf("store: HTTP base URL: %w: %s", ErrForbiddenHost, u.Hostname())
	}
	rt := cfg.transport
	if rt == nil {
		rt = newGuardedTransport(&s.cfg)
	}
	s.client = &http.Client{Transport: rt, CheckRedirect: s.checkRedirect}
	return s, nil
}

// newGuardedTransport returns the store's own transport: every connection
// is checked by the address guard after DNS resolution and before it is
// made, environment proxies are ignored (a proxy would hide the real
// destination from the guard), and bodies are never transparently
// decompressed, so the size limit counts the bytes on the wire.
func newGuardedTransport(cfg *httpConfig) *http.Transport {
	d := &net.Dialer{
		Timeout:   cfg.dialTimeout,
		KeepAlive: 30 * time.Second,
		Control:   cfg.guard.control,
	}
	return &http.Transport{
		Proxy:                  nil,
		DialContext:            d.DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    cfg.dialTimeout,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    16,
		IdleConnTimeout:        90 * time.Second,
		ExpectContinueTimeout:  time.Second,
		DisableCompression:     true,
		MaxResponseHeaderBytes: 64 << 10,
	}
}

// String returns the base URL.
func (s *HTTPStore) String() string { return s.base }

// CloseIdleConnections closes the connections the store keeps open for
// reuse. The store stays usable.
func (s *HTTPStore) CloseIdleConnections() { s.client.CloseIdleConnections() }

// Open fetches the object with a GET and returns its body, which the
// caller must close, and its Info. See [HTTPStore] for the errors.
func (s *HTTPStore) Open(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	rc, info, _, err := s.open(ctx, key, "")
	return rc, info, err
}

// OpenIfChanged is Open for a caller that holds a copy of the object
// tagged etag (an ETag this store returned before): it asks the origin to
// send the object only if it changed. When it did not, notModified is true,
// rc is nil and info holds the key, etag and whatever else the origin
// reported (Size may be -1). Otherwise it behaves as Open.
//
// For an ETag the origin issued, the request carries If-None-Match; for
// one derived from Last-Modified, If-Modified-Since with that time; for a
// content hash, no condition (the body is hashed and compared). An origin
// that ignores the condition and answers 200 with the same ETag is reported
// as not modified too. An empty etag makes this a plain Open.
func (s *HTTPStore) OpenIfChanged(ctx context.Context, key, etag string) (rc io.ReadCloser, info Info, notModified bool, err error) {
	return s.open(ctx, key, etag)
}

// open implements Open and OpenIfChanged.
func (s *HTTPStore) open(ctx context.Context, key, etag string) (io.ReadCloser, Info, bool, error) {
	var cond http.Header
	if etag != "" {
		if t, ok := parseDerivedETag(etag); ok {
			cond = http.Header{"If-Modified-Since": {t.UTC().Format(http.TimeFormat)}}
		} else if !strings.HasPrefix(etag, hashETagPrefix) {
			cond = http.Header{"If-None-Match": {etag}}
		}
	}
	resp, rctx, cancel, err := s.do(ctx, http.MethodGet, key, cond)
	if err != nil {
		return nil, Info{}, false, err
	}
	switch {
	case resp.StatusCode == http.StatusOK:
	case resp.StatusCode == http.StatusNotModified && cond != nil:
		drainClose(resp.Body)
		cancel()
		info := s.info(key, resp.Header, -1)
		info.Size = -1
		if resp.Header.Get("ETag") == "" {
			info.ETag = etag
		}
		return nil, info, true, nil
	default:
		drainClose(resp.Body)
		cancel()
		return nil, Info{}, false, statusError("open", key, resp.StatusCode)
	}
	if resp.ContentLength > s.cfg.maxBody {
		resp.Body.Close()
		cancel()
		return nil, Info{}, false, fmt.Errorf("store: GET %q: Content-Length %d exceeds the limit of %d bytes: %w",
			key, resp.ContentLength, s.cfg.maxBody, ErrTooLarge)
	}
	body := &httpBody{
		rc: resp.Body, left: s.cfg.maxBody, cancel: cancel,
		s: s, key: key, ctx: ctx, rctx: rctx,
	}
	info := s.info(key, resp.Header, resp.ContentLength)
	if info.ETag == "" {
		// No validator at all: tag the content itself.
		var buf bytes.Buffer
		if resp.ContentLength > 0 {
			buf.Grow(int(resp.ContentLength))
		}
		_, err := buf.ReadFrom(body)
		body.Close()
		if err != nil {
			return nil, Info{}, false, err
		}
		sum := sha256.Sum256(buf.Bytes())
		info.ETag = hashETagPrefix + hex.EncodeToString(sum[:]) + `"`
		info.Size = int64(buf.Len())
		if etag != "" && info.ETag == etag {
			return nil, info, true, nil
		}
		return io.NopCloser(bytes.NewReader(buf.Bytes())), info, false, nil
	}
	if etag != "" && info.ETag == etag {
		body.Close()
		return nil, info, true, nil
	}
	return body, info, false, nil
}

// Stat returns the object's Info from a HEAD request, or from a GET of its
// first byte when the origin does not allow HEAD (405 or 501). See
// [HTTPStore] for the errors and for origins that send no validators. Stat
// reports the size the origin declares without applying the size limit
// (Open applies it), except for an origin without validators, where Stat
// reads the body as Open does.
func (s *HTTPStore) Stat(ctx context.Context, key string) (Info, error) {
	resp, _, cancel, err := s.do(ctx, http.MethodHead, key, nil)
	if err != nil {
		return Info{}, err
	}
	resp.Body.Close()
	cancel()
	var info Info
	switch resp.StatusCode {
	case http.StatusOK:
		info = s.info(key, resp.Header, resp.ContentLength)
	case http.StatusMethodNotAllowed, http.StatusNotImplemented:
		if info, err = s.statRange(ctx, key); err != nil {
			return Info{}, err
		}
	default:
		return Info{}, statusError("stat", key, resp.StatusCode)
	}
	if info.ETag == "" {
		rc, info, err := s.Open(ctx, key)
		if err != nil {
			return Info{}, err
		}
		rc.Close()
		return info, nil
	}
	return info, nil
}

// statRange is Stat through "GET Range: bytes=0-0", for origins that do
// not allow HEAD. The size comes from Content-Range.
func (s *HTTPStore) statRange(ctx context.Context, key string) (Info, error) {
	resp, _, cancel, err := s.do(ctx, http.MethodGet, key, http.Header{"Range": {"bytes=0-0"}})
	if err != nil {
		return Info{}, err
	}
	defer cancel()
	defer drainClose(resp.Body)
	switch resp.StatusCode {
	case http.StatusOK: // the origin ignored Range
		return s.info(key, resp.Header, resp.ContentLength), nil
	case http.StatusPartialContent, http.StatusRequestedRangeNotSatisfiable:
		// "bytes 0-0/1234", or "bytes */0" for an empty object.
		return s.info(key, resp.Header, rangeTotal(resp.Header.Get("Content-Range"))), nil
	}
	return Info{}, statusError("stat", key, resp.StatusCode)
}

// rangeTotal returns the complete length from a Content-Range value, or
// -1 when it is unknown or unparsable.
func rangeTotal(cr string) int64 {
	_, total, ok := strings.Cut(cr, "/")
	if !ok || !strings.HasPrefix(cr, "bytes ") {
		return -1
	}
	n, err := strconv.ParseInt(total, 10, 64)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// do sends one request for key with the store's headers and extra, under
// the request timeout. On success the caller closes the body and then
// calls cancel; rctx is the request's context.
func (s *HTTPStore) do(ctx context.Context, method, key string, extra http.Header) (*http.Response, context.Context, context.CancelFunc, error) {
	u, err := s.urlFor(key)
	if err != nil {
		return nil, nil, nil, err
	}
	rctx, cancel := context.WithTimeout(ctx, s.cfg.timeout)
	req, err := http.NewRequestWithContext(rctx, method, u, nil)
	if err != nil {
		cancel()
		return nil, nil, nil, fmt.Errorf("store: %s %q: %w", method, key, err)
	}
	req.Header = s.cfg.header.Clone()
	for k, v := range extra {
		req.Header[k] = v
	}
	resp, err := s.client.Do(req)
	if err != nil {
		// With a CheckRedirect error, resp is the last response, already
		// closed.
		err = s.wrapErr(ctx, rctx, method, key, err)
		cancel()
		return nil, nil, nil, err
	}
	return resp, rctx, cancel, nil
}

// urlFor returns the URL of key: the base URL, "/" and the key with each
// segment path-escaped.
func (s *HTTPStore) urlFor(key string) (string, error) {
	if err := CheckKey(key); err != nil {
		return "", err
	}
	var b strings.Builder
	b.Grow(len(s.base) + 1 + len(key) + 8)
	b.WriteString(s.base)
	for seg := range strings.SplitSeq(key, "/") {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(seg))
	}
	return b.String(), nil
}

// wrapErr classifies err, from a request for key made with the caller's
// ctx and the request context rctx: refusals, size and origin errors stay
// as they are; when the caller's context ended, the error matches its
// error; a timeout of the store's own matches context.DeadlineExceeded;
// anything else becomes an *OriginError (the origin could not be reached
// or broke off).
func (s *HTTPStore) wrapErr(ctx, rctx context.Context, method, key string, err error) error {
	var ne net.Error
	switch {
	case errors.Is(err, ErrForbiddenAddress), errors.Is(err, ErrForbiddenHost),
		errors.Is(err, ErrTooLarge), errors.Is(err, ErrOrigin):
		return fmt.Errorf("store: %s %q: %w", method, key, err)
	case ctx.Err() != nil:
		if errors.Is(err, ctx.Err()) {
			return fmt.Errorf("store: %s %q: %w", method, key, err)
		}
		return fmt.Errorf("store: %s %q: %w: %w", method, key, ctx.Err(), err)
	case errors.Is(rctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout()):
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("store: %s %q: timeout: %w", method, key, err)
		}
		return fmt.Errorf("store: %s %q: timeout: %w: %w", method, key, context.DeadlineExceeded, err)
	}
	return fmt.Errorf("store: %s %q: %w", method, key, &OriginError{Err: err})
}

// checkRedirect is the client's CheckRedirect: it enforces the redirect
// limit and the host allowlist on every hop.
func (s *HTTPStore) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > s.cfg.maxRedirects {
		status := 0
		if req.Response != nil {
			status = req.Response.StatusCode
		}
		return &OriginError{Status: status, Err: fmt.Errorf("more than %d redirects", s.cfg.maxRedirects)}
	}
	if h := req.URL.Hostname(); !s.hostAllowed(h) {
		return fmt.Errorf("%w: redirect to %s", ErrForbiddenHost, h)
	}
	return nil
}

// hostAllowed reports whether host matches the allowlist.
func (s *HTTPStore) hostAllowed(host string) bool {
	if len(s.cfg.hosts) == 0 {
		return true
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "" {
		return false
	}
	for _, p := range s.cfg.hosts {
		if suffix, ok := strings.CutPrefix(p, "*"); ok {
			if len(host) > len(suffix) && strings.HasSuffix(host, suffix) {
				return true
			}
		} else if host == p {
			return true
		}
	}
	return false
}

// normalizeHostPattern validates an allowlist pattern and returns it in
// the form hostAllowed compares: lower case, no trailing dot, IP addresses
// in canonical form, "*.domain" kept as is.
func normalizeHostPattern(p string) (string, error) {
	q := strings.ToLower(strings.TrimSuffix(p, "."))
	if a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(q, "["), "]")); err == nil && a.Zone() == "" {
		return a.String(), nil
	}
	name, wild := strings.CutPrefix(q, "*.")
	if name == "" || len(name) > 253 {
		return "", fmt.Errorf("allowed host %q is invalid", p)
	}
	for label := range strings.SplitSeq(name, ".") {
		if label == "" || len(label) > 63 {
			return "", fmt.Errorf("allowed host %q is invalid", p)
		}
		for i := 0; i < len(label); i++ {
			b := label[i]
			if !('a' <= b && b <= 'z' || '0' <= b && b <= '9' || b == '-' || b == '_') {
				return "", fmt.Errorf("allowed host %q is invalid", p)
			}
		}
	}
	if wild {
		return "*." + name, nil
	}
	return name, nil
}

// validHeaderName reports whether name is a non-empty HTTP token.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		b := name[i]
		switch {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", b) >= 0:
		default:
			return false
		}
	}
	return true
}

// info builds an Info from response headers and a known size (-1 when
// unknown), deriving an ETag from Last-Modified when the origin sent none.
func (s *HTTPStore) info(key string, h http.Header, size int64) Info {
	info := Info{
		Key:         key,
		Size:        size,
		ETag:        strings.TrimSpace(h.Get("ETag")),
		ContentType: h.Get("Content-Type"),
	}
	if size < 0 {
		info.Size = -1
	}
	if t, err := http.ParseTime(h.Get("Last-Modified")); err == nil {
		info.ModTime = t
	}
	if info.ETag == "" && !info.ModTime.IsZero() {
		info.ETag = derivedETag(info.ModTime, info.Size)
	}
	return info
}

// The prefixes of the ETags the store makes up for origins that send none.
const (
	derivedETagPrefix = `W/"lm-`
	hashETagPrefix    = `"sha256-`
)

// derivedETag returns the weak ETag standing for Last-Modified t and size
// (omitted when -1): W/"lm-<unix seconds, hex>[-<size, hex>]".
func derivedETag(t time.Time, size int64) string {
	tag := derivedETagPrefix + strconv.FormatInt(t.Unix(), 16)
	if size >= 0 {
		tag += "-" + strconv.FormatInt(size, 16)
	}
	return tag + `"`
}

// parseDerivedETag returns the Last-Modified time a derivedETag stands for.
func parseDerivedETag(etag string) (time.Time, bool) {
	rest, ok := strings.CutPrefix(etag, derivedETagPrefix)
	if !ok {
		return time.Time{}, false
	}
	rest, ok = strings.CutSuffix(rest, `"`)
	if !ok {
		return time.Time{}, false
	}
	secs, _, _ := strings.Cut(rest, "-")
	n, err := strconv.ParseInt(secs, 16, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(n, 0), true
}

// statusError returns the error for an answer with status code: ErrNotExist
// for 404 and 410, an *OriginError otherwise.
func statusError(op, key string, code int) error {
	if code == http.StatusNotFound || code == http.StatusGone {
		return &fs.PathError{Op: op, Path: key, Err: ErrNotExist}
	}
	return fmt.Errorf("store: %s %q: %w", op, key, &OriginError{Status: code})
}

// drainClose reads a little of an unwanted body, so the connection can be
// reused when the body is short, and closes it.
func drainClose(body io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, body, 4<<10)
	body.Close()
}

// httpBody is the body Open returns: it enforces the size limit, turns
// read errors into the store's error classes, and ends the request (its
// timeout included) on Close. Like any reader, it is not safe for
// concurrent use.
type httpBody struct {
	rc     io.ReadCloser
	left   int64 // bytes still allowed
	cancel context.CancelFunc
	s      *HTTPStore
	key    string
	ctx    context.Context // the caller's
	rctx   context.Context // the request's
	err    error           // sticky error
	closed bool
}

// Read reads from the body; past the size limit it fails with an error
// matching ErrTooLarge.
func (b *httpBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.closed {
		return 0, fmt.Errorf("store: read %q: %w", b.key, fs.ErrClosed)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left+1] // one byte more tells "exactly at the limit" from "over"
	}
	n, err := b.rc.Read(p)
	if int64(n) > b.left {
		n = int(b.left)
		b.left = 0
		b.err = fmt.Errorf("store: GET %q: body exceeds the limit of %d bytes: %w", b.key, b.s.cfg.maxBody, ErrTooLarge)
		return n, b.err
	}
	b.left -= int64(n)
	switch {
	case err == io.EOF:
		b.err = io.EOF
	case err != nil:
		b.err = b.s.wrapErr(b.ctx, b.rctx, "read", b.key, err)
		err = b.err
	}
	return n, err
}

// Close closes the body and ends the request.
func (b *httpBody) Close() error {
	if b.closed {
		return nil
	}
	b.closed = true
	err := b.rc.Close()
	b.cancel()
	return err
}
