package middleware

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/imgcdn/imgcdn/internal/codec"
	"github.com/imgcdn/imgcdn/pipeline"
	"github.com/imgcdn/imgcdn/store"
)

// Handler serves transformed images from a store: it is an [http.Handler]
// for the paths under its prefix (see [WithPrefix]), and [Handler.Wrap] puts
// it in front of another handler. Make one with [New]. A Handler is safe for
// concurrent use; its configuration never changes after New.
type Handler struct {
	store          store.Store
	prefix         string
	keys           [][]byte
	requireSigning bool
	named          map[string]namedChain
	namedOnly      bool
	defaultTr      namedChain
	defaultImage   string
	limits         pipeline.Options
	settings       string // the settings that change results, for the result key
	timeout        time.Duration
	maxResultBytes int64
	mem            *memoryCache
	results        store.Store // the result store tier, or nil
	pool           *pool
	flight         flightGroup
	hdr            headerValues
	labels         metricLabels
	logger         *slog.Logger
	metrics        Metrics

	// Seams for tests: the pipeline, what it can encode, and the clock.
	process   func(context.Context, []byte, pipeline.Chain, *pipeline.Options) (*pipeline.Result, error)
	canEncode func(pipeline.Format) bool
	now       func() time.Time

	// autoFormats are the formats f-auto may offer, best first, and
	// autoChoices what each subset of them means (indexed by autoSet).
	autoFormats []pipeline.Format
	autoChoices []autoChoice
}

// New returns a Handler serving the images of s. It applies the defaults,
// then opts in order, then validates the configuration: a bad option value,
// a named or default transformation that does not parse, or signing
// required without keys is an error.
func New(s store.Store, opts ...Option) (*Handler, error) {
	if s == nil {
		return nil, errors.New("middleware: nil store")
	}
	cfg := defaultConfig()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("middleware: %w", err)
		}
	}
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("middleware: %w", err)
	}
	h := &Handler{
		store:          s,
		prefix:         cfg.prefix,
		keys:           cfg.keys,
		requireSigning: cfg.requireSigning,
		namedOnly:      cfg.namedOnly,
		defaultImage:   cfg.defaultImage,
		limits:         withDefaults(cfg.limits),
		timeout:        cfg.timeout,
		results:        cfg.resultStore,
		pool:           newPool(cfg.workers, cfg.queue),
		flight:         flightGroup{timeout: cfg.timeout},
		hdr:            newHeaderValues(cfg.cacheControl),
		labels:         newMetricLabels(),
		logger:         cfg.logger,
		metrics:        cfg.metrics,
		process:        pipeline.Process,
		canEncode:      pipeline.CanEncode,
		now:            time.Now,
		autoFormats:    cfg.autoFormats,
		autoChoices:    autoChoices(cfg.autoFormats),
	}
	cfg.logger.Debug("imgcdn: codecs", "avif", codec.AVIFBackend())
	if cfg.warmUp && slices.Contains(cfg.autoFormats, pipeline.FormatAVIF) && cfg.limits.AVIFEncoder == nil {
		go func() {
			if err := pipeline.WarmUp(context.Background()); err != nil {
				cfg.logger.Warn("imgcdn: AVIF warm-up failed", "err", err)
			}
		}()
	}
	h.settings = "q=" + strconv.Itoa(h.limits.Quality) + ",avif=" + strconv.Itoa(h.limits.AVIFSpeed) + "-" + strconv.FormatInt(h.limits.AutoAVIFMaxPixels, 10)
	// An encoded result is never larger than its raw pixels and a margin.
	h.maxResultBytes = max(h.limits.MaxSourceBytes, 4*h.limits.MaxOutputPixels+1<<20)

	h.named = make(map[string]namedChain, len(cfg.named))
	for name, tr := range cfg.named {
		n, err := parseConfigured(tr, nil)
		if err != nil {
			return nil, fmt.Errorf("middleware: named transformation %q: %w", name, err)
		}
		h.named[name] = n
	}
	if cfg.defaultTr != "" {
		d, err := parseConfigured(cfg.defaultTr, h.named)
		if err != nil {
			return nil, fmt.Errorf("middleware: default transformation: %w", err)
		}
		h.defaultTr = d
	}
	var err error
	if h.mem, err = newMemoryCache(cfg.memoryBytes); err != nil {
		return nil, fmt.Errorf("middleware: %w", err)
	}
	return h, nil
}

// withDefaults returns o with every zero limit set to the pipeline's
// default, so that the Handler knows the values in force.
func withDefaults(o pipeline.Options) pipeline.Options {
	if o.MaxSourceBytes == 0 {
		o.MaxSourceBytes = pipeline.DefaultMaxSourceBytes
	}
	if o.MaxSourcePixels == 0 {
		o.MaxSourcePixels = pipeline.DefaultMaxSourcePixels
	}
	if o.MaxOutputSide == 0 {
		o.MaxOutputSide = pipeline.DefaultMaxOutputSide
	}
	if o.MaxOutputPixels == 0 {
		o.MaxOutputPixels = pipeline.DefaultMaxOutputPixels
	}
	if o.Quality == 0 {
		o.Quality = pipeline.DefaultQuality
	}
	return o
}

// Wrap returns a handler that serves the requests under the Handler's
// prefix and passes every other request to next untouched. With the prefix
// "" every request is the Handler's, and next is never called.
func (h *Handler) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.Match(r.URL.EscapedPath()) {
			h.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Prefix returns the Handler's mount point, as set by [WithPrefix]: a path
// such as "/img" without a trailing slash, or "" when the Handler serves
// every path. Framework adapters use it to register their routes.
func (h *Handler) Prefix() string { return h.prefix }

// Match reports whether the escaped URL path p (such as
// r.URL.EscapedPath()) is under the Handler's prefix: the prefix itself or
// a path beginning with the prefix and a slash. These are the requests
// [Handler.Wrap] sends to the Handler rather than to the next handler.
// With the prefix "", every path matches.
func (h *Handler) Match(p string) bool {
	_, ok := h.under(p)
	return ok
}

// ServeHTTP serves one image request (GET or HEAD). A path outside the
// prefix is a 404. See the package documentation for the URL forms and
// the responses.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	h.metrics.Count(MetricRequests, 1)
	h.serve(w, r)
	h.metrics.Observe(MetricRequestDuration, time.Since(start))
}

// serve is ServeHTTP without the request metrics.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.fail(w, r, errMethod)
		return
	}
	rq, err := h.route(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.timeout)
	defer cancel()
	src, err := h.resolve(ctx, &rq)
	if err != nil {
		h.fail(w, r, err)
		return
	}

	var fkey string
	if src.known {
		key := makeResultKey(h.settings, src.key, src.version, rq.canon, rq.autoKey)
		if _, ok := r.Header["If-None-Match"]; ok {
			var buf [etagLen]byte
			if checkIfNoneMatch(r, string(key.appendETag(buf[:0]))) {
				h.writeNotModified(w, []string{key.etag()}, lastModified(src.info.ModTime), rq.vary)
				return
			}
		}
		if e := h.mem.get(key); e != nil {
			h.metrics.Count(MetricCacheHits, 1, h.labels.memory...)
			h.serveEntry(w, r, e, rq.vary)
			return
		}
		fkey = key.String()
	} else {
		// Without a version, requests for the same URL share the work
		// but not a result key.
		fkey = "?" + makeResultKey(h.settings, src.key, strconv.Itoa(src.from), rq.canon, rq.autoKey).String()
	}

	e, err := h.flight.do(ctx, fkey, func(ctx context.Context) (*entry, error) {
		return h.produce(ctx, &rq, src)
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !src.known && checkIfNoneMatch(r, e.etag[0]) {
		h.writeNotModified(w, e.etag, e.lastModified, rq.vary)
		return
	}
	h.serveEntry(w, r, e, rq.vary)
}

// source is the source a request resolved to.
type source struct {
	key     string     // the key found (or, when !known, the first to open)
	from    int        // its index in request.sources
	info    store.Info // its Info, when known
	version string     // its version for the result key, when known
	known   bool       // whether Stat succeeded
}

// resolve finds the source of rq with Stat: the source, else its di-, else
// the server's default image. When Stat fails for another reason than a
// missing object, the source is left unknown and produce finds it by
// opening the keys in the same order. No source at all is ErrNotExist.
func (h *Handler) resolve(ctx context.Context, rq *request) (source, error) {
	for i, k := range rq.sources {
		if k == "" {
			continue
		}
		info, err := h.store.Stat(ctx, k)
		switch {
		case err == nil:
			return source{key: k, from: i, info: info, version: version(info), known: true}, nil
		case errors.Is(err, store.ErrNotExist):
			continue
		case ctx.Err() != nil:
			return source{}, fmt.Errorf("stat %q: %w", k, context.Cause(ctx))
		case errors.Is(err, store.ErrInvalidKey):
			return source{}, fmt.Errorf("stat %q: %w", k, err)
		default:
			return source{key: k, from: i}, nil
		}
	}
	return source{}, store.ErrNotExist
}

// version returns the version of a source for the result key: its ETag, or
// its size and modification time when a store gives no ETag.
func version(info store.Info) string {
	if info.ETag != "" {
		return info.ETag
	}
	return strconv.FormatInt(info.Size, 10) + "-" + strconv.FormatInt(info.ModTime.UnixNano(), 10)
}

// produce makes the result of rq: from the cache tiers when it is there,
// else by reading the source (in a worker slot) and transforming it. It
// keeps the result in the tiers. It runs once per result key at a time,
// under the shared context of the flight group.
func (h *Handler) produce(ctx context.Context, rq *request, src source) (*entry, error) {
	var known resultKey
	if src.known {
		known = makeResultKey(h.settings, src.key, src.version, rq.canon, rq.autoKey)
		if e := h.lookup(ctx, known, src.info.ModTime); e != nil {
			return e, nil
		}
	}
	if err := h.pool.acquire(ctx); err != nil {
		return nil, err
	}
	defer h.pool.release()

	start := time.Now()
	rc, key, info, err := h.open(ctx, rq, src.from)
	if err != nil {
		return nil, err
	}
	k := makeResultKey(h.settings, key, version(info), rq.canon, rq.autoKey)
	if !src.known || k != known {
		// Unknown before, or changed since Stat: look again.
		if e := h.lookup(ctx, k, info.ModTime); e != nil {
			rc.Close()
			return e, nil
		}
	}
	body, err := readAll(rc, info.Size, h.limits.MaxSourceBytes)
	rc.Close()
	if err != nil {
		return nil, h.originErr(ctx, key, err)
	}
	h.metrics.Observe(MetricOriginDuration, time.Since(start))

	e, err := h.transform(ctx, rq, k, body, info.ModTime)
	if err != nil {
		return nil, err
	}
	h.mem.set(e)
	h.writeResult(ctx, e)
	return e, nil
}

// open opens the first existing source among rq.sources[from:].
func (h *Handler) open(ctx context.Context, rq *request, from int) (io.ReadCloser, string, store.Info, error) {
	for _, k := range rq.sources[from:] {
		if k == "" {
			continue
		}
		rc, info, err := h.store.Open(ctx, k)
		if err == nil {
			return rc, k, info, nil
		}
		if !errors.Is(err, store.ErrNotExist) || ctx.Err() != nil {
			return nil, "", store.Info{}, h.originErr(ctx, k, err)
		}
	}
	return nil, "", store.Info{}, store.ErrNotExist
}

// originErr classifies a failure to read source key: the context's error
// when it has ended, a limit or key error as it is, else an *originError.
func (h *Handler) originErr(ctx context.Context, key string, err error) error {
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("read %q: %w", key, context.Cause(ctx))
	case errors.Is(err, pipeline.ErrSourceTooLarge), errors.Is(err, store.ErrInvalidKey),
		errors.Is(err, store.ErrNotExist), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("read %q: %w", key, err)
	}
	return &originError{fmt.Errorf("read %q: %w", key, err)}
}

// transform makes the result k from the source bytes body. orig-true
// serves them unchanged, as does an SVG source unless a raster format was
// asked for (then errSVGRaster).
func (h *Handler) transform(ctx context.Context, rq *request, k resultKey, body []byte, modTime time.Time) (*entry, error) {
	h.metrics.Count(MetricTransforms, 1)
	sniffed := codec.Sniff(body)
	if rq.original || sniffed == codec.SVG {
		if sniffed == codec.SVG && rq.format != pipeline.FormatAuto && rq.format != pipeline.FormatOriginal && !rq.original {
			return nil, errSVGRaster
		}
		ct := codecMediaType(sniffed)
		if ct == "" {
			return nil, pipeline.ErrUnknownFormat
		}
		return newEntry(k, body, ct, modTime), nil
	}
	start := time.Now()
	opts := h.limits
	opts.AutoFormats = rq.auto
	res, err := h.process(ctx, body, rq.chain, &opts)
	h.metrics.Observe(MetricTransformDuration, time.Since(start))
	if err != nil {
		return nil, fmt.Errorf("transform: %w", err)
	}
	ct := mediaType(res.Format)
	if ct == "" {
		return nil, fmt.Errorf("transform: no media type for format %v", res.Format)
	}
	return newEntry(k, res.Bytes, ct, modTime), nil
}

// lastModified returns the Last-Modified value of t, or nil for a zero t.
func lastModified(t time.Time) []string {
	if t.IsZero() || t.Unix() <= 0 {
		return nil
	}
	return []string{t.UTC().Format(http.TimeFormat)}
}
