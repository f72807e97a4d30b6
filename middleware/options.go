package middleware

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/imgcdn/imgcdn/pipeline"
	"github.com/imgcdn/imgcdn/store"
)

// The defaults of the options.
const (
	// DefaultPrefix is the default mount point of a Handler.
	DefaultPrefix = "/img"
	// DefaultTimeout is the default processing timeout: the longest a
	// request may spend reading its source and transforming it.
	DefaultTimeout = 30 * time.Second
	// DefaultMemoryCacheBytes is the default size of the in-memory result
	// cache, 64 MB.
	DefaultMemoryCacheBytes = 64 << 20
	// DefaultCacheControl is the default Cache-Control of image responses:
	// shared caches and browsers may keep a result for a day and then
	// revalidate it cheaply with its ETag. Use a longer, immutable value
	// when source keys are versioned (content-hashed file names).
	DefaultCacheControl = "public, max-age=86400"
	// DefaultQueueFactor is the default queue length per worker: by
	// default, 4 × workers requests may wait for a worker.
	DefaultQueueFactor = 4
	// DefaultRetryAfter is the Retry-After of a 429 response, in seconds.
	DefaultRetryAfter = 1
)

// An Option configures a Handler. Options are applied in order by [New],
// which then validates the whole configuration; an Option returns an error
// for a value that can never be valid.
type Option func(*config) error

// config is what the options set.
type config struct {
	prefix         string
	keys           [][]byte
	requireSigning bool
	named          map[string]string
	namedOnly      bool
	defaultTr      string
	defaultImage   string
	limits         pipeline.Options
	timeout        time.Duration
	workers        int
	queue          int // -1: DefaultQueueFactor × workers
	memoryBytes    int64
	resultStore    store.Store
	cacheControl   string
	logger         *slog.Logger
	metrics        Metrics
	autoFormats    []pipeline.Format
	warmUp         bool
}

// defaultConfig returns the configuration before any option.
func defaultConfig() config {
	return config{
		prefix:       DefaultPrefix,
		timeout:      DefaultTimeout,
		workers:      runtime.GOMAXPROCS(0),
		queue:        -1,
		memoryBytes:  DefaultMemoryCacheBytes,
		cacheControl: DefaultCacheControl,
		logger:       slog.Default(),
		metrics:      nopMetrics{},
		autoFormats:  DefaultAutoFormats,
		warmUp:       true,
	}
}

// WithPrefix sets the mount point: the Handler serves the paths under
// prefix + "/". The prefix starts with '/' and does not end with one; ""
// mounts the Handler on the whole site. The default is [DefaultPrefix],
// "/img".
func WithPrefix(prefix string) Option {
	return func(c *config) error {
		if prefix != "" && (!strings.HasPrefix(prefix, "/") || strings.HasSuffix(prefix, "/")) {
			return fmt.Errorf("prefix %q must be empty or start with '/' and not end with '/'", prefix)
		}
		if strings.ContainsAny(prefix, "?#%") {
			return fmt.Errorf("prefix %q must be a plain path", prefix)
		}
		c.prefix = prefix
		return nil
	}
}

// WithSigningKeys sets the private keys that signed URLs (ik-s, ik-t) are
// verified with. A signature made with any of them is accepted, so a key can
// be rotated by adding the new one, then removing the old one once no URL
// signed with it is in use. Once keys are set, a URL that carries ik-s is
// verified (and refused with 401 when wrong or expired) even when signing is
// not required. By default there are no keys and signatures are not checked.
func WithSigningKeys(keys ...string) Option {
	return func(c *config) error {
		if len(keys) == 0 {
			return errors.New("WithSigningKeys needs at least one key")
		}
		for _, k := range keys {
			if k == "" {
				return errors.New("empty signing key")
			}
			c.keys = append(c.keys, []byte(k))
		}
		return nil
	}
}

// WithSigningRequired makes a valid signature mandatory (when required is
// true): a URL without ik-s, with a wrong one or with an expired ik-t is
// refused with 401. It needs [WithSigningKeys]. The default is false.
func WithSigningRequired(required bool) Option {
	return func(c *config) error {
		c.requireSigning = required
		return nil
	}
}

// WithNamedTransformations sets the named transformations that n-NAME
// expands to: each maps a name (letters, digits, '_', '-' and '.') to a
// transformation in the URL grammar, such as "w-300,h-300,fo-auto". The
// transformations are parsed by [New]; a bad one, or one that uses n-
// itself, makes New fail. Calling it again adds to the names already set.
// By default there are none, and n- is a 400.
func WithNamedTransformations(named map[string]string) Option {
	return func(c *config) error {
		if c.named == nil {
			c.named = make(map[string]string, len(named))
		}
		for name, tr := range named {
			parsed, err := pipeline.Parse("n-" + name)
			if err != nil {
				return fmt.Errorf("named transformation %q: bad name: %w", name, err)
			}
			if len(parsed) != 1 || parsed[0] != (pipeline.Step{Named: name}) {
				return fmt.Errorf("named transformation %q: bad name", name)
			}
			c.named[name] = tr
		}
		return nil
	}
}

// WithNamedOnly (when on is true) refuses, with 400, every URL whose
// transformation steps are not all n-NAME (a di- beside them is allowed).
// A URL without a transformation is still served, with the default
// transformation if one is set. Together with signing, this closes the door
// to URLs that make the server do arbitrary work. The default is false.
func WithNamedOnly(on bool) Option {
	return func(c *config) error {
		c.namedOnly = on
		return nil
	}
}

// WithDefaultTransformation sets the transformation applied to URLs that
// have none (no tr: segment, no tr query parameter, or only a di-), such as
// "w-1600,c-at_max". It is parsed by [New] and may use n-. By default there
// is none: such URLs get the source re-encoded by the default rules.
func WithDefaultTransformation(tr string) Option {
	return func(c *config) error {
		if tr == "" {
			return errors.New("empty default transformation")
		}
		c.defaultTr = tr
		return nil
	}
}

// WithDefaultImage sets the key of the image served, with the request's
// transformations, when the source does not exist and the URL has no di- of
// its own (or its di- does not exist either). By default there is none, and
// a missing source is a 404.
func WithDefaultImage(key string) Option {
	return func(c *config) error {
		if err := store.CheckKey(key); err != nil {
			return fmt.Errorf("default image: %w", err)
		}
		c.defaultImage = key
		return nil
	}
}

// WithMaxSourceBytes sets the largest source accepted, in bytes; a larger
// one is a 413. The default is [pipeline.DefaultMaxSourceBytes] (40 MB).
func WithMaxSourceBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("max source bytes %d must be positive", n)
		}
		c.limits.MaxSourceBytes = n
		return nil
	}
}

// WithMaxSourcePixels sets the largest source image accepted, in pixels,
// checked from its header before any decoding; a larger one is a 413. The
// default is [pipeline.DefaultMaxSourcePixels] (50 MP).
func WithMaxSourcePixels(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("max source pixels %d must be positive", n)
		}
		c.limits.MaxSourcePixels = n
		return nil
	}
}

// WithMaxOutputSize sets the largest side (in pixels) and area (in pixels)
// of any intermediate or final image; a transformation that needs more is a
// 422. The defaults are [pipeline.DefaultMaxOutputSide] and
// [pipeline.DefaultMaxOutputPixels].
func WithMaxOutputSize(side int, pixels int64) Option {
	return func(c *config) error {
		if side <= 0 || pixels <= 0 {
			return fmt.Errorf("max output size %d px a side, %d px must be positive", side, pixels)
		}
		c.limits.MaxOutputSide = side
		c.limits.MaxOutputPixels = pixels
		return nil
	}
}

// WithQuality sets the quality (1 to 100) of lossy output when the URL has
// no q-. The default is [pipeline.DefaultQuality] (80).
func WithQuality(q int) Option {
	return func(c *config) error {
		if q < 1 || q > 100 {
			return fmt.Errorf("quality %d out of range 1-100", q)
		}
		c.limits.Quality = q
		return nil
	}
}

// WithAutoFormats sets the formats f-auto may choose over the source's own
// family, best first: any of [pipeline.FormatAVIF] and
// [pipeline.FormatWebP]. A client gets the first it lists in Accept that
// suits the source (AVIF is never chosen for an animation, nor for a
// source larger than [WithAVIFMaxSourcePixels]); otherwise PNG for an image
// with transparency, GIF for an animation, JPEG for the rest. The default
// is [DefaultAutoFormats], AVIF then WebP. WithAutoFormats(pipeline.FormatWebP)
// turns automatic AVIF off; WithAutoFormats() offers neither. An explicit
// f- always wins.
func WithAutoFormats(formats ...pipeline.Format) Option {
	return func(c *config) error {
		seen := map[pipeline.Format]bool{}
		for _, f := range formats {
			if f != pipeline.FormatAVIF && f != pipeline.FormatWebP {
				return fmt.Errorf("auto format %v: only avif and webp can be offered", f)
			}
			if seen[f] {
				return fmt.Errorf("auto format %v listed twice", f)
			}
			seen[f] = true
		}
		c.autoFormats = slices.Clone(formats)
		return nil
	}
}

// WithAVIFMaxSourcePixels sets the largest source, in pixels, that f-auto
// turns into AVIF, the slowest format to encode; larger sources get WebP
// (or the source's family). The default is 0: no limit. An explicit f-avif
// is not limited.
func WithAVIFMaxSourcePixels(n int64) Option {
	return func(c *config) error {
		if n < 0 {
			return fmt.Errorf("max AVIF source pixels %d must not be negative", n)
		}
		c.limits.AutoAVIFMaxPixels = n
		return nil
	}
}

// WithAVIFSpeed sets the speed of the built-in AVIF encoder, 1 (slowest,
// smallest files) to 10 (fastest). The default is the codec's serving
// default (see the README's figures).
func WithAVIFSpeed(speed int) Option {
	return func(c *config) error {
		if speed < 1 || speed > 10 {
			return fmt.Errorf("AVIF speed %d out of range 1-10", speed)
		}
		c.limits.AVIFSpeed = speed
		return nil
	}
}

// WithAVIFEncoder replaces the built-in AVIF encoder, for example with the
// native one of the module github.com/imgcdn/imgcdn/pipeline/avifaom.
func WithAVIFEncoder(e pipeline.Encoder) Option {
	return func(c *config) error {
		c.limits.AVIFEncoder = e
		return nil
	}
}

// WithAVIFWarmUp sets whether [New] prepares the built-in AVIF codec in
// the background, so that the first AVIF request does not pay its start-up
// (about a second of CPU, once per process). It is on by default when
// f-auto offers AVIF.
func WithAVIFWarmUp(on bool) Option {
	return func(c *config) error {
		c.warmUp = on
		return nil
	}
}

// WithAnimationLimits sets the largest animation transformed as one: at
// most frames frames and pixels pixels over all frames (canvas width ×
// height × frames). A larger animation is a 413. The defaults are
// [pipeline.DefaultMaxFrames] and [pipeline.DefaultMaxAnimationPixels].
func WithAnimationLimits(frames int, pixels int64) Option {
	return func(c *config) error {
		if frames <= 0 || pixels <= 0 {
			return fmt.Errorf("animation limits %d frames, %d px must be positive", frames, pixels)
		}
		c.limits.MaxFrames = frames
		c.limits.MaxAnimationPixels = pixels
		return nil
	}
}

// WithTimeout sets the processing timeout: the longest a request may spend
// looking up, reading and transforming its source. When it passes, the
// client gets a 504 and the work is cancelled. The default is
// [DefaultTimeout] (30 s).
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("timeout %v must be positive", d)
		}
		c.timeout = d
		return nil
	}
}

// WithWorkers sets how many results may be made at once (reading a source
// and transforming it). The default is runtime.GOMAXPROCS(0).
func WithWorkers(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("workers %d must be at least 1", n)
		}
		c.workers = n
		return nil
	}
}

// WithQueueLength sets how many requests may wait for a worker; beyond them
// a request is refused at once with 429 and Retry-After. 0 means no waiting.
// The default is [DefaultQueueFactor] × workers.
func WithQueueLength(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return fmt.Errorf("queue length %d must not be negative", n)
		}
		c.queue = n
		return nil
	}
}

// WithMemoryCache sets the size, in bytes of encoded results, of the
// in-memory result cache; 0 disables it. A result larger than an eighth of
// it is not kept in memory. The default is [DefaultMemoryCacheBytes]
// (64 MB).
func WithMemoryCache(bytes int64) Option {
	return func(c *config) error {
		if bytes < 0 || bytes > 1<<40 {
			return fmt.Errorf("memory cache size %d out of range", bytes)
		}
		c.memoryBytes = bytes
		return nil
	}
}

// WithResultStore adds a second result cache tier: results are written to s
// (which must also be a [store.Putter]) with their content type, and read
// from it on a memory miss. A directory (store.Dir) keeps results across
// restarts; a shared bucket serves them to every replica. A failing result
// store is logged and counted, never a client error. A result is written
// before it is sent, under a timeout of its own (the processing timeout).
// Keys are the hexadecimal result keys under a two-character folder
// ("ab/ab12..."). By default there is no second tier.
func WithResultStore(s store.Store) Option {
	return func(c *config) error {
		if s == nil {
			return errors.New("nil result store")
		}
		if _, ok := s.(store.Putter); !ok {
			return fmt.Errorf("result store %T cannot write (it is not a store.Putter)", s)
		}
		c.resultStore = s
		return nil
	}
}

// WithCacheControl sets the Cache-Control header of image responses (200 and
// 304). Error responses always get "no-store". The default is
// [DefaultCacheControl].
func WithCacheControl(v string) Option {
	return func(c *config) error {
		if v == "" || strings.ContainsAny(v, "\r\n") {
			return fmt.Errorf("bad Cache-Control %q", v)
		}
		c.cacheControl = v
		return nil
	}
}

// WithLogger sets the logger. The Handler writes one line per failed
// request, with the request path and the error: at level Error for server
// errors (5xx), at level Debug for client errors (4xx); failures of the
// result store are logged at level Warn. Successful requests are not
// logged. A nil logger discards everything. The default is slog.Default().
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			l = slog.New(slog.DiscardHandler)
		}
		c.logger = l
		return nil
	}
}

// WithMetrics sets the receiver of the Handler's counters and timings (see
// the Metric... names). The default records nothing.
func WithMetrics(m Metrics) Option {
	return func(c *config) error {
		if m == nil {
			return errors.New("nil metrics")
		}
		c.metrics = m
		return nil
	}
}

// validate checks the configuration as a whole and fills in the defaults
// that depend on other options.
func (c *config) validate() error {
	if c.requireSigning && len(c.keys) == 0 {
		return errors.New("signing is required but no signing keys are set")
	}
	if c.queue < 0 {
		c.queue = DefaultQueueFactor * c.workers
	}
	return nil
}
