package middleware

import "time"

// Metrics receives the counters and timings of a Handler. There is no global
// registry: pass an adapter to the metrics system of your choice with
// [WithMetrics]. Implementations must be safe for concurrent use and fast;
// they are called on every request.
//
// Labels are pairs of strings (name, value, name, value...). The slice is
// shared between calls and must not be modified; copy it to keep it.
type Metrics interface {
	// Count adds delta to the counter name.
	Count(name string, delta int, labels ...string)
	// Observe records one duration of the timing name.
	Observe(name string, d time.Duration, labels ...string)
}

// The names of the counters and timings a Handler reports to [Metrics].
const (
	// MetricRequests counts every request the Handler serves.
	MetricRequests = "requests"
	// MetricCacheHits counts results found in a cache tier; its label
	// "tier" is "memory" or "store".
	MetricCacheHits = "cache_hits"
	// MetricCacheMisses counts lookups that found nothing in a cache tier;
	// its label "tier" is "memory" or "store".
	MetricCacheMisses = "cache_misses"
	// MetricCacheErrors counts failures of the result store tier (reads or
	// writes); they are logged and never reach the client.
	MetricCacheErrors = "cache_errors"
	// MetricNotModified counts 304 responses.
	MetricNotModified = "not_modified"
	// MetricTransforms counts the results made from a source: every
	// pipeline run, and every source served unchanged (orig-true, SVG).
	MetricTransforms = "transforms"
	// MetricErrors counts error responses; its label "status" is the
	// HTTP status code ("404", "504"...).
	MetricErrors = "errors"
	// MetricRequestDuration times whole requests.
	MetricRequestDuration = "request_duration"
	// MetricOriginDuration times reading a source from the store (open
	// and read).
	MetricOriginDuration = "origin_duration"
	// MetricTransformDuration times pipeline runs.
	MetricTransformDuration = "transform_duration"
)

// nopMetrics is the default Metrics: it records nothing.
type nopMetrics struct{}

func (nopMetrics) Count(string, int, ...string)             {}
func (nopMetrics) Observe(string, time.Duration, ...string) {}

// metricLabels are the label slices a Handler passes to Metrics, made once so
// that the hot path does not allocate.
type metricLabels struct {
	memory, store []string
}

func newMetricLabels() metricLabels {
	return metricLabels{
		memory: []string{"tier", "memory"},
		store:  []string{"tier", "store"},
	}
}
