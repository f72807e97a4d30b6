package middleware

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/imgcdn/imgcdn/pipeline"
	"github.com/imgcdn/imgcdn/store"
)

// The Handler's own errors. Their text is safe to show to clients.
var (
	// errQueueFull means every worker is busy and the queue is full.
	errQueueFull = errors.New("too many requests")
	// errSVGRaster means a raster format was asked of an SVG source.
	errSVGRaster = errors.New("converting SVG to a raster format is not supported")
	// errMethod means a method other than GET and HEAD.
	errMethod = errors.New("method not allowed")
)

// badRequestError is a malformed URL; its message is safe to show.
type badRequestError struct{ msg string }

func (e *badRequestError) Error() string { return e.msg }

// badRequest returns a *badRequestError.
func badRequest(msg string) error { return &badRequestError{msg} }

// signatureError is a missing, wrong or expired signature; its message is
// safe to show.
type signatureError struct{ msg string }

func (e *signatureError) Error() string { return "signature: " + e.msg }

// originError wraps a failure of the source store other than a missing
// object. Its text is logged, never shown.
type originError struct{ err error }

func (e *originError) Error() string { return "origin: " + e.err.Error() }
func (e *originError) Unwrap() error { return e.err }

// classify maps an error to the status code and the client message of its
// response. It is the one place where errors become HTTP statuses. Only
// messages written here, and those of *pipeline.ParamError (which quote the
// request's own parameters), reach the client; the text of store and other
// internal errors never does.
func classify(err error) (status int, msg string) {
	var (
		pe  *pipeline.ParamError
		bre *badRequestError
		se  *signatureError
		oe  *originError
	)
	switch {
	case errors.As(err, &pe):
		return http.StatusBadRequest, pe.Error()
	case errors.As(err, &bre):
		return http.StatusBadRequest, bre.msg
	case errors.Is(err, errMethod):
		return http.StatusMethodNotAllowed, "method not allowed"
	case errors.As(err, &se):
		return http.StatusUnauthorized, se.Error()
	case errors.Is(err, errQueueFull):
		return http.StatusTooManyRequests, "too many requests, retry later"
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout, "timed out"
	case errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable, "request cancelled"
	case errors.Is(err, store.ErrInvalidKey):
		return http.StatusBadRequest, "invalid image path"
	case errors.Is(err, store.ErrNotExist):
		return http.StatusNotFound, "image not found"
	case errors.Is(err, pipeline.ErrSourceTooLarge), errors.Is(err, store.ErrTooLarge):
		return http.StatusRequestEntityTooLarge, "source image too large"
	case errors.Is(err, pipeline.ErrOutputTooLarge):
		return http.StatusUnprocessableEntity, "output image too large"
	case errors.Is(err, errSVGRaster):
		return http.StatusUnsupportedMediaType, errSVGRaster.Error()
	case errors.Is(err, pipeline.ErrUnknownFormat):
		return http.StatusUnsupportedMediaType, "source is not an image"
	case errors.Is(err, pipeline.ErrUnsupportedFormat):
		return http.StatusUnsupportedMediaType, "source image format not supported"
	case errors.Is(err, pipeline.ErrCorrupt):
		return http.StatusUnsupportedMediaType, "source image is corrupt"
	case errors.As(err, &oe):
		return http.StatusBadGateway, "origin error"
	}
	return http.StatusInternalServerError, "internal error"
}

// fail writes the response for err, logs it and counts it.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := classify(err)
	hdr := w.Header()
	hdr["Content-Type"] = h.hdr.textPlain
	hdr["X-Content-Type-Options"] = h.hdr.nosniff
	hdr["Cache-Control"] = h.hdr.noStore
	switch status {
	case http.StatusTooManyRequests:
		hdr["Retry-After"] = h.hdr.retryAfter
	case http.StatusMethodNotAllowed:
		hdr["Allow"] = h.hdr.allow
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write([]byte(msg + "\n"))
	}
	h.metrics.Count(MetricErrors, 1, "status", strconv.Itoa(status))
	level := slog.LevelDebug
	if status >= 500 {
		level = slog.LevelError
	}
	h.logger.LogAttrs(r.Context(), level, "imgcdn: request failed",
		slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", status), slog.Any("err", err))
}
