package middleware

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/maypok86/otter/v2"

	"github.com/imgcdn/imgcdn/internal/codec"
	"github.com/imgcdn/imgcdn/pipeline"
	"github.com/imgcdn/imgcdn/store"
)

// keyVersion changes whenever the meaning of a result key changes (the
// fields hashed, or what the pipeline makes of them), so that results kept
// in a persistent tier by an older version are never served.
const keyVersion = "imgcdn-result-2"

// resultKey identifies a result: the SHA-256 of the source key, the source
// version (its ETag), the canonical chain (named transformations expanded,
// the default transformation applied), the formats f-auto was offered and
// the settings that change the output (the default quality, AVIF options). The signature and
// other query parameters are never part of it.
type resultKey [sha256.Size]byte

// makeResultKey returns the key of a result. Each field is length-prefixed,
// so that no two different field lists hash the same bytes.
func makeResultKey(settings, source, etag, canon, auto string) resultKey {
	var buf [256]byte
	b := buf[:0]
	for _, f := range [...]string{keyVersion, settings, source, etag, canon, auto} {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return sha256.Sum256(b)
}

// etagLen is the length of an ETag: 32 hexadecimal digits (128 bits of the
// key) in double quotes.
const etagLen = 34

// appendETag appends the strong ETag of k to b.
func (k resultKey) appendETag(b []byte) []byte {
	b = append(b, '"')
	b = hex.AppendEncode(b, k[:16])
	return append(b, '"')
}

// etag returns the strong ETag of k.
func (k resultKey) etag() string {
	var buf [etagLen]byte
	return string(k.appendETag(buf[:0]))
}

// String returns the key in hexadecimal.
func (k resultKey) String() string { return hex.EncodeToString(k[:]) }

// storeKey returns the key of the result in the result store: the
// hexadecimal key under a folder named by its first two digits.
func (k resultKey) storeKey() string {
	s := k.String()
	return s[:2] + "/" + s
}

// entry is a result ready to serve. It is never modified once made, so it
// is shared by concurrent responses.
type entry struct {
	key     resultKey
	body    []byte
	modTime time.Time // the source's, for Last-Modified

	// The values of the response headers, made once. A nil lastModified
	// means no Last-Modified header.
	contentType, etag, length, lastModified []string
}

// newEntry returns an entry for body.
func newEntry(key resultKey, body []byte, contentType string, modTime time.Time) *entry {
	return &entry{
		key:          key,
		body:         body,
		modTime:      modTime,
		contentType:  []string{contentType},
		etag:         []string{key.etag()},
		length:       []string{strconv.Itoa(len(body))},
		lastModified: lastModified(modTime),
	}
}

// entryOverhead is the weight of an entry beyond its body, in bytes.
const entryOverhead = 512

// memoryCache is the in-memory result tier, bounded by the bytes of its
// results. A nil *memoryCache is a disabled tier. It is safe for concurrent
// use.
type memoryCache struct {
	c        *otter.Cache[resultKey, *entry]
	maxEntry int // the largest body kept
}

// newMemoryCache returns a tier holding up to maxBytes, or nil when maxBytes
// is 0.
func newMemoryCache(maxBytes int64) (*memoryCache, error) {
	if maxBytes <= 0 {
		return nil, nil
	}
	c, err := otter.New(&otter.Options[resultKey, *entry]{
		MaximumWeight: uint64(maxBytes),
		Weigher: func(_ resultKey, e *entry) uint32 {
			return uint32(min(len(e.body)+entryOverhead, 1<<31))
		},
	})
	if err != nil {
		return nil, fmt.Errorf("memory cache: %w", err)
	}
	return &memoryCache{c: c, maxEntry: int(min(maxBytes/8, 1<<31-entryOverhead))}, nil
}

// get returns the entry of k, or nil.
func (m *memoryCache) get(k resultKey) *entry {
	if m == nil {
		return nil
	}
	e, _ := m.c.GetIfPresent(k)
	return e
}

// set keeps e, unless its body is larger than an eighth of the cache, so
// that one large result cannot flush everything else.
func (m *memoryCache) set(e *entry) {
	if m != nil && len(e.body) <= m.maxEntry {
		m.c.Set(e.key, e)
	}
}

// lookup returns the entry of k from the memory tier, then from the result
// store (keeping it in memory), or nil. A failing result store is logged and
// counted as a miss.
func (h *Handler) lookup(ctx context.Context, k resultKey, modTime time.Time) *entry {
	if h.mem != nil {
		if e := h.mem.get(k); e != nil {
			h.metrics.Count(MetricCacheHits, 1, h.labels.memory...)
			return e
		}
		h.metrics.Count(MetricCacheMisses, 1, h.labels.memory...)
	}
	if h.results == nil {
		return nil
	}
	e, err := h.readResult(ctx, k, modTime)
	switch {
	case err == nil:
		h.metrics.Count(MetricCacheHits, 1, h.labels.store...)
		h.mem.set(e)
		return e
	case errors.Is(err, store.ErrNotExist):
		h.metrics.Count(MetricCacheMisses, 1, h.labels.store...)
	default:
		h.metrics.Count(MetricCacheMisses, 1, h.labels.store...)
		h.resultStoreFailed(ctx, "read", k, err)
	}
	return nil
}

// readResult reads the result k from the result store.
func (h *Handler) readResult(ctx context.Context, k resultKey, modTime time.Time) (*entry, error) {
	rc, info, err := h.results.Open(ctx, k.storeKey())
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	body, err := readAll(rc, info.Size, h.maxResultBytes)
	if err != nil {
		return nil, err
	}
	ct := info.ContentType
	if !strings.HasPrefix(ct, "image/") {
		if ct = codecMediaType(codec.Sniff(body)); ct == "" {
			return nil, fmt.Errorf("result %s is not an image", k)
		}
	}
	return newEntry(k, body, ct, modTime), nil
}

// writeResult writes e to the result store, if there is one. It runs after
// the work's context may have ended, under a timeout of its own; a failure
// is logged and counted, never returned.
func (h *Handler) writeResult(ctx context.Context, e *entry) {
	if h.results == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), h.timeout)
	defer cancel()
	err := h.results.(store.Putter).Put(ctx, e.key.storeKey(), bytes.NewReader(e.body),
		store.PutOptions{ContentType: e.contentType[0]})
	if err != nil {
		h.resultStoreFailed(ctx, "write", e.key, err)
	}
}

// resultStoreFailed logs and counts a failure of the result store.
func (h *Handler) resultStoreFailed(ctx context.Context, op string, k resultKey, err error) {
	h.metrics.Count(MetricCacheErrors, 1, h.labels.store...)
	h.logger.LogAttrs(ctx, slog.LevelWarn, "imgcdn: result store "+op+" failed",
		slog.String("key", k.String()), slog.Any("err", err))
}

// readAll reads r to the end, refusing more than limit bytes with an error
// wrapping pipeline.ErrSourceTooLarge. size, when known (≥ 0), sizes the
// buffer and is checked first.
func readAll(r io.Reader, size, limit int64) ([]byte, error) {
	if size > limit {
		return nil, &pipeline.LimitError{What: "source bytes", Value: size, Max: limit}
	}
	var buf bytes.Buffer
	if size > 0 {
		buf.Grow(int(size) + bytes.MinRead)
	}
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if n > limit {
		return nil, &pipeline.LimitError{What: "source bytes", Value: n, Max: limit}
	}
	return buf.Bytes(), nil
}

// mediaType returns the media type of an output format.
func mediaType(f pipeline.Format) string {
	switch f {
	case pipeline.FormatJPEG:
		return "image/jpeg"
	case pipeline.FormatPNG:
		return "image/png"
	case pipeline.FormatGIF:
		return "image/gif"
	case pipeline.FormatWebP:
		return "image/webp"
	case pipeline.FormatAVIF:
		return "image/avif"
	case pipeline.FormatBMP:
		return "image/bmp"
	case pipeline.FormatTIFF:
		return "image/tiff"
	case pipeline.FormatSVG:
		return "image/svg+xml"
	case pipeline.FormatHEIF:
		return "image/heif"
	case pipeline.FormatJXL:
		return "image/jxl"
	}
	return ""
}

// codecMediaType returns the media type of a sniffed format, or "" for an
// unknown one.
func codecMediaType(f codec.Format) string {
	switch f {
	case codec.JPEG:
		return "image/jpeg"
	case codec.PNG:
		return "image/png"
	case codec.GIF:
		return "image/gif"
	case codec.WebP:
		return "image/webp"
	case codec.BMP:
		return "image/bmp"
	case codec.TIFF:
		return "image/tiff"
	case codec.AVIF:
		return "image/avif"
	case codec.HEIF:
		return "image/heif"
	case codec.JXL:
		return "image/jxl"
	case codec.SVG:
		return "image/svg+xml"
	}
	return ""
}
