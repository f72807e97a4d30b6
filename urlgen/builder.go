package urlgen

import (
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/maypok86/otter/v2"

	"github.com/imgcdn/imgcdn/internal/signature"
	"github.com/imgcdn/imgcdn/pipeline"
	"github.com/imgcdn/imgcdn/store"
)

// Builder makes URLs, srcset and sizes attributes, and <img> and <picture>
// markup for the images that the middleware serves. Make one with [New].
// A Builder never changes after New and is safe for concurrent use; its
// only state is the bounded cache of inline placeholders.
type Builder struct {
	endpoint  string
	queryTr   bool
	defaultTr string
	key       []byte
	expiry    time.Duration
	now       func() time.Time

	source       store.Store
	placeholders *otter.Cache[string, placeholder] // nil: no cache
	limits       pipeline.Options                  // for placeholder sources

	deviceSizes []int
	allSizes    []int // deviceSizes and imageSizes, sorted, without repeats

	tmpl *template.Template
}

// New returns a Builder. It applies the defaults, then opts in order, then
// validates the configuration: a bad option value, or an expiry without a
// signing key, is an error.
func New(opts ...Option) (*Builder, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("urlgen: %w", err)
		}
	}
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("urlgen: %w", err)
	}
	b := &Builder{
		endpoint:    cfg.endpoint,
		queryTr:     cfg.queryTr,
		defaultTr:   cfg.defaultTr,
		key:         cfg.key,
		expiry:      cfg.expiry,
		now:         cfg.now,
		source:      cfg.source,
		limits:      pipeline.Options{MaxSourceBytes: cfg.maxSrcBytes, MaxSourcePixels: cfg.maxSrcPixels},
		deviceSizes: cfg.deviceSizes,
		allSizes:    sortedUnique(slices.Concat(cfg.deviceSizes, cfg.imageSizes)),
		tmpl:        newTemplate(),
	}
	if b.source != nil && cfg.cacheSize > 0 {
		c, err := otter.New(&otter.Options[string, placeholder]{MaximumSize: cfg.cacheSize})
		if err != nil {
			return nil, fmt.Errorf("urlgen: placeholder cache: %w", err)
		}
		b.placeholders = c
	}
	return b, nil
}

// URL returns the URL of the image stored under path, transformed by steps
// (chained: each Step is one ':'-separated step of the URL, run left to
// right).
//
// The path is a store key such as "photos/cat.jpg" (leading '/' are
// ignored); a path that is not a valid store key ([store.CheckKey]) is an
// error, and so is one whose first segment starts with "tr:" when the URL
// has no tr: path segment before it. Every byte of it but the letters,
// digits, '/' and -._~!$&*+,=:@ is percent-encoded in upper case (as
// ImageKit's SDKs write spaces and UTF-8), so that any key reaches the
// store as it is and html/template writes the URL unchanged.
//
// The transformation is written in the canonical form of
// [pipeline.Chain.String], so that the same steps always give the same URL,
// and checked with [pipeline.Parse]: steps that the middleware would refuse
// (a value out of range, an enumeration value that does not exist, a field
// that would be dropped such as a negative quality) are an error. When the
// steps write nothing, the default transformation, if any, is used (see
// [WithDefaultTransformation]).
//
// The transformation goes into a tr: path segment, or with
// [WithQueryTransformation] into the tr query parameter, after any other
// parameter, as ImageKit's SDKs write it. When a signing key is set, the
// URL ends with ik-t (with [WithExpiry]) and ik-s, computed exactly as
// ImageKit's SDKs and the middleware do: the HMAC-SHA1 of the URL after the
// endpoint and its '/', followed by the expiry time or 9999999999.
func (b *Builder) URL(path string, steps ...pipeline.Step) (string, error) {
	return b.URLWithQuery(path, nil, steps...)
}

// URLWithQuery is [Builder.URL] with extra query parameters, such as a
// version that busts caches (?v=3). They are written first, in the sorted
// order of [url.Values.Encode], and are covered by the signature. The names
// tr, ik-s and ik-t are reserved and an error.
func (b *Builder) URLWithQuery(path string, query url.Values, steps ...pipeline.Step) (string, error) {
	tr, err := canonical(steps)
	if err != nil {
		return "", err
	}
	if tr == "" {
		tr = b.defaultTr
	}
	key, err := b.escapeKey(path, tr != "")
	if err != nil {
		return "", err
	}
	q, err := encodeQuery(query)
	if err != nil {
		return "", err
	}
	return b.assemble(key, q, tr), nil
}

// encodeQuery returns the extra query parameters in the order of
// url.Values.Encode, refusing the reserved names.
func encodeQuery(query url.Values) (string, error) {
	for name := range query {
		switch name {
		case "tr", signature.ParamSignature, signature.ParamExpiry:
			return "", fmt.Errorf("urlgen: query parameter %q is reserved", name)
		}
	}
	return query.Encode(), nil
}

// assemble writes the URL of the escaped key with the raw query q and the
// canonical transformation tr, and signs it.
func (b *Builder) assemble(key, q, tr string) string {
	var sb strings.Builder
	sb.Grow(len(b.endpoint) + len(key) + 2*len(tr) + len(q) + 80)
	sb.WriteString(b.endpoint)
	sb.WriteByte('/')
	relStart := sb.Len()
	if tr != "" && !b.queryTr {
		sb.WriteString("tr:")
		appendEscaped(&sb, tr, pathSafe)
		sb.WriteByte('/')
	}
	sb.WriteString(key)
	if tr != "" && b.queryTr {
		var qb strings.Builder
		qb.Grow(len(q) + 4 + 2*len(tr))
		qb.WriteString(q)
		if q != "" {
			qb.WriteByte('&')
		}
		qb.WriteString("tr=")
		appendEscaped(&qb, tr, querySafe)
		q = qb.String()
	}
	if b.key != nil {
		expiry := ""
		if b.expiry > 0 {
			secs := int64((b.expiry + time.Second - 1) / time.Second)
			expiry = strconv.FormatInt(b.now().Unix()+secs, 10)
		}
		sig := signature.Sign(b.key, signature.StringToSign(sb.String()[relStart:], q, expiry))
		var qb strings.Builder
		qb.Grow(len(q) + len(expiry) + len(sig) + 12)
		qb.WriteString(q)
		if expiry != "" {
			if qb.Len() > 0 {
				qb.WriteByte('&')
			}
			qb.WriteString(signature.ParamExpiry + "=" + expiry)
		}
		if qb.Len() > 0 {
			qb.WriteByte('&')
		}
		qb.WriteString(signature.ParamSignature + "=" + sig)
		q = qb.String()
	}
	if q != "" {
		sb.WriteByte('?')
		sb.WriteString(q)
	}
	return sb.String()
}

// cleanKey returns path without its leading '/', checked as a store key.
func cleanKey(path string) (string, error) {
	key := strings.TrimLeft(path, "/")
	if err := store.CheckKey(key); err != nil {
		return "", fmt.Errorf("urlgen: path %q: %w", path, err)
	}
	return key, nil
}

// escapeKey returns the percent-encoded form of the store key path, for a
// URL that has a transformation (hasTr) or none. A key whose first segment
// starts with "tr:" can only follow a tr: path segment, since the
// middleware would read it as a transformation.
func (b *Builder) escapeKey(path string, hasTr bool) (string, error) {
	key, err := cleanKey(path)
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(key, "tr:") && (!hasTr || b.queryTr) {
		return "", fmt.Errorf("urlgen: path %q: a first segment starting with \"tr:\" needs a transformation in the path", path)
	}
	return escape(key, pathSafe), nil
}

// canonical returns the canonical form of steps, checked by pipeline.Parse,
// or "" when they write nothing.
func canonical(steps []pipeline.Step) (string, error) {
	if len(steps) == 0 {
		return "", nil
	}
	for i := range steps {
		if err := checkStep(&steps[i]); err != nil {
			return "", fmt.Errorf("urlgen: step %d: %w", i+1, err)
		}
	}
	s := pipeline.Chain(steps).String()
	if s == "" {
		return "", nil
	}
	c, err := pipeline.Parse(s)
	if err != nil {
		return "", fmt.Errorf("urlgen: transformation %q: %w", s, err)
	}
	if out := c.String(); out != s {
		return out, nil
	}
	return s, nil
}

// checkStep refuses the field values that pipeline.Step.String would drop
// without a word, so that nothing asked for is silently ignored. The
// values it writes are checked by pipeline.Parse.
func checkStep(s *pipeline.Step) error {
	bad := func(field string) error { return fmt.Errorf("%w: %s", errBadStep, field) }
	switch {
	case s.Width.Pixels < 0 || s.Width.Fraction < 0 || (s.Width.Pixels > 0 && s.Width.Fraction > 0):
		return bad("Width must be positive pixels or a fraction, not both")
	case s.Height.Pixels < 0 || s.Height.Fraction < 0 || (s.Height.Pixels > 0 && s.Height.Fraction > 0):
		return bad("Height must be positive pixels or a fraction, not both")
	case s.Quality < 0:
		return bad("negative Quality")
	case s.Blur < 0:
		return bad("negative Blur")
	case s.Border.Width < 0 || (s.Border.Width == 0 && s.Border.Color != pipeline.Color{}):
		return bad("Border needs a positive Width")
	case !s.X.Set && s.X.Value != 0, !s.Y.Set && s.Y.Value != 0,
		!s.XC.Set && s.XC.Value != 0, !s.YC.Set && s.YC.Value != 0:
		return bad("a coordinate with a Value must be Set")
	case !s.Background.Set && s.Background != pipeline.Color{}:
		return bad("Background with a colour must be Set")
	case s.Background.Opacity > 100 || s.Border.Color.Opacity > 100:
		return bad("colour Opacity above 100")
	case !s.Trim.On && s.Trim.Tolerance != 0, s.Trim.Tolerance < 0:
		return bad("Trim Tolerance needs On, and may not be negative")
	case !s.Sharpen.On && s.Sharpen.Strength != 0:
		return bad("Sharpen Strength needs On")
	case !s.USM.On && s.USM != pipeline.USM{}:
		return bad("USM values need On")
	}
	return nil
}

// errBadStep is wrapped by the errors of checkStep.
var errBadStep = errors.New("invalid step")

// The characters kept as they are in the parts of a URL; every other byte
// is percent-encoded. Both sets leave out what html/template's URL
// normaliser would encode (the quote and the parentheses), so that a URL
// written into a template is sent exactly as it was signed, and ';', which
// some servers and proxies take for a separator (Go's url.ParseQuery
// refuses it, Java servers cut path parameters at it).
const (
	// pathSafe is for path segments and the tr: segment: RFC 3986 pchar
	// (unreserved, the sub-delims but those above, ':' and '@'), and '/'.
	pathSafe = "-._~!$&*+,=:@/"
	// querySafe is for the value of tr: as pathSafe, without '&', '+',
	// '=' and '/', which have meanings in a query.
	querySafe = "-._~!$*,:@"
)

// safeByte reports whether c is kept as it is by the set safe.
func safeByte(c byte, safe string) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c < 0x80 && strings.IndexByte(safe, c) >= 0
}

// escape returns s with every byte outside safe percent-encoded, in upper
// case as ImageKit's SDKs write it.
func escape(s, safe string) string {
	for i := 0; i < len(s); i++ {
		if !safeByte(s[i], safe) {
			var sb strings.Builder
			sb.Grow(len(s) + 16)
			appendEscaped(&sb, s, safe)
			return sb.String()
		}
	}
	return s
}

// appendEscaped writes s to sb with every byte outside safe
// percent-encoded.
func appendEscaped(sb *strings.Builder, s, safe string) {
	const hex = "0123456789ABCDEF"
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if safeByte(c, safe) {
			continue
		}
		sb.WriteString(s[start:i])
		sb.WriteByte('%')
		sb.WriteByte(hex[c>>4])
		sb.WriteByte(hex[c&15])
		start = i + 1
	}
	sb.WriteString(s[start:])
}
