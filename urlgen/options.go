package urlgen

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/imgcdn/imgcdn/pipeline"
	"github.com/imgcdn/imgcdn/store"
)

// The defaults of the options.
const (
	// DefaultEndpoint is the default endpoint: the middleware's default
	// mount point, on the same host as the page.
	DefaultEndpoint = "/img"
	// DefaultPlaceholderCacheSize is the default number of inline
	// placeholders a Builder keeps (see [WithPlaceholderCache]).
	DefaultPlaceholderCacheSize = 1024
)

// The default breakpoints, those of Next.js (next/image deviceSizes and
// imageSizes) and of ImageKit's SDKs (deviceBreakpoints and
// imageBreakpoints): the widths of common screens, and of images smaller
// than a screen. They are never modified.
var (
	defaultDeviceSizes = []int{640, 750, 828, 1080, 1200, 1920, 2048, 3840}
	defaultImageSizes  = []int{16, 32, 48, 64, 96, 128, 256, 384}
)

// An Option configures a Builder. Options are applied in order by [New],
// which then validates the whole configuration; an Option returns an error
// for a value that can never be valid.
type Option func(*config) error

// config is what the options set.
type config struct {
	endpoint     string // without a trailing '/'; "" is the root of the site
	queryTr      bool
	defaultTr    string // canonical
	key          []byte
	expiry       time.Duration
	now          func() time.Time
	source       store.Store
	cacheSize    int
	deviceSizes  []int
	imageSizes   []int
	maxSrcBytes  int64
	maxSrcPixels int64
}

// defaultConfig returns the configuration before any option.
func defaultConfig() config {
	return config{
		endpoint:    DefaultEndpoint,
		now:         time.Now,
		cacheSize:   DefaultPlaceholderCacheSize,
		deviceSizes: defaultDeviceSizes,
		imageSizes:  defaultImageSizes,
	}
}

// WithEndpoint sets where the middleware is mounted, which every URL
// starts with: an absolute http or https URL such as
// "https://cdn.example.com/img", or a path on the page's own host such as
// "/img" (the middleware's [github.com/imgcdn/imgcdn/middleware.WithPrefix]).
// A trailing '/' is ignored, and "" or "/" is the root of the site. The
// path part must be the middleware's prefix exactly, since signatures cover
// what follows it; it may not hold '%', '?' or '#'. The default is
// [DefaultEndpoint], "/img".
func WithEndpoint(base string) Option {
	return func(c *config) error {
		ep, err := parseEndpoint(base)
		if err != nil {
			return err
		}
		c.endpoint = ep
		return nil
	}
}

// parseEndpoint checks an endpoint and returns it without a trailing '/'.
func parseEndpoint(base string) (string, error) {
	ep := strings.TrimSuffix(base, "/")
	if strings.ContainsAny(ep, "?#%\\ \t\r\n\"'<>") {
		return "", fmt.Errorf("endpoint %q must be a plain URL or path, without a query, fragment, escapes or spaces", base)
	}
	if ep == "" || strings.HasPrefix(ep, "/") {
		if strings.HasPrefix(ep, "//") {
			return "", fmt.Errorf("endpoint %q: write a scheme-relative URL with its scheme", base)
		}
		return ep, nil
	}
	u, err := url.Parse(ep)
	if err != nil {
		return "", fmt.Errorf("endpoint %q: %w", base, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("endpoint %q must be an http or https URL or a path starting with '/'", base)
	}
	if u.Host == "" || u.User != nil || u.Opaque != "" {
		return "", fmt.Errorf("endpoint %q must name a host, without user information", base)
	}
	return ep, nil
}

// WithQueryTransformation (when on is true) writes the transformation in
// the tr query parameter (/img/photos/cat.jpg?tr=w-400) instead of a tr:
// path segment (/img/tr:w-400/photos/cat.jpg). Both forms mean the same to
// the middleware; the query form keeps the object's path intact for CDNs
// and logs that key on it. The default is the path form.
func WithQueryTransformation(on bool) Option {
	return func(c *config) error {
		c.queryTr = on
		return nil
	}
}

// WithDefaultTransformation sets the transformation written into URLs that
// would otherwise have none (no steps given, or only steps that are all
// defaults), such as "w-1600,c-at_max". It uses the URL grammar of
// [pipeline.Parse] and is checked and made canonical by [New]; it may use
// n- names, which the middleware must know. By default there is none and
// such URLs carry no transformation, so the middleware's own default
// applies.
func WithDefaultTransformation(tr string) Option {
	return func(c *config) error {
		if tr == "" {
			return errors.New("empty default transformation")
		}
		chain, err := pipeline.Parse(tr)
		if err != nil {
			return fmt.Errorf("default transformation %q: %w", tr, err)
		}
		c.defaultTr = chain.String()
		return nil
	}
}

// WithSigningKey sets the private key that URLs are signed with (the ik-s
// query parameter, HMAC-SHA1 as in ImageKit's SDKs). It must be one of the
// middleware's [github.com/imgcdn/imgcdn/middleware.WithSigningKeys]. By
// default URLs are not signed.
func WithSigningKey(key string) Option {
	return func(c *config) error {
		if key == "" {
			return errors.New("empty signing key")
		}
		c.key = []byte(key)
		return nil
	}
}

// WithExpiry makes signed URLs expire d after they are made: they carry
// ik-t, the Unix time of expiry, rounded up to a whole second. 0 means
// that URLs do not expire, the default. It needs [WithSigningKey].
func WithExpiry(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("expiry %v must not be negative", d)
		}
		c.expiry = d
		return nil
	}
}

// WithClock sets the clock that expiry times are computed from. It is
// meant for tests; the default is [time.Now].
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("nil clock")
		}
		c.now = now
		return nil
	}
}

// WithSource sets the store that [Builder.Placeholder] reads images from,
// normally the one the middleware serves. Without it, Placeholder fails
// with [ErrNoSource]; nothing else needs it.
func WithSource(s store.Store) Option {
	return func(c *config) error {
		if s == nil {
			return errors.New("nil source store")
		}
		c.source = s
		return nil
	}
}

// WithPlaceholderCache sets how many inline placeholders the Builder keeps
// in memory, keyed by path and version (the store's ETag), so that a page
// rendered again does not read its images again; 0 keeps none. Each takes
// 1 to 3 KB. The default is [DefaultPlaceholderCacheSize].
func WithPlaceholderCache(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return fmt.Errorf("placeholder cache size %d must not be negative", n)
		}
		c.cacheSize = n
		return nil
	}
}

// WithPlaceholderLimits sets the largest source, in bytes and in pixels,
// that [Builder.Placeholder] reads; a larger one is an error. The defaults
// are those of the pipeline, [pipeline.DefaultMaxSourceBytes] and
// [pipeline.DefaultMaxSourcePixels].
func WithPlaceholderLimits(bytes, pixels int64) Option {
	return func(c *config) error {
		if bytes <= 0 || pixels <= 0 {
			return fmt.Errorf("placeholder limits %d bytes, %d px must be positive", bytes, pixels)
		}
		c.maxSrcBytes, c.maxSrcPixels = bytes, pixels
		return nil
	}
}

// WithBreakpoints sets the widths, in pixels, that srcset candidates are
// chosen from: deviceSizes for screens and imageSizes for smaller images,
// as the Next.js options of the same names and ImageKit's
// deviceBreakpoints and imageBreakpoints. Each list is sorted and its
// repeats dropped; deviceSizes may not be empty. The defaults are those
// of Next.js and ImageKit: device sizes 640, 750, 828, 1080, 1200, 1920,
// 2048 and 3840, image sizes 16, 32, 48, 64, 96, 128, 256 and 384.
func WithBreakpoints(deviceSizes, imageSizes []int) Option {
	return func(c *config) error {
		if len(deviceSizes) == 0 {
			return errors.New("breakpoints: no device sizes")
		}
		for _, w := range slices.Concat(deviceSizes, imageSizes) {
			if w < 1 || w > 16384 {
				return fmt.Errorf("breakpoint %d out of range 1-16384", w)
			}
		}
		c.deviceSizes = sortedUnique(deviceSizes)
		c.imageSizes = sortedUnique(imageSizes)
		return nil
	}
}

// sortedUnique returns a sorted copy of s without repeats.
func sortedUnique(s []int) []int {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}

// validate checks the rules that involve several options.
func (c *config) validate() error {
	if c.expiry > 0 && c.key == nil {
		return errors.New("WithExpiry needs WithSigningKey")
	}
	return nil
}
