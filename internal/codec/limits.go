package codec

import (
	"errors"
	"fmt"
)

// The error classes of this package. Every error that [DecodeConfig] and
// [Decode] return matches exactly one of them with [errors.Is], apart from
// the context's own error when the context is done.
var (
	// ErrTooLarge means the file or the image it declares exceeds a limit.
	// The error is a *[LimitError] that says which.
	ErrTooLarge = errors.New("image too large")
	// ErrUnsupported means the format (or a feature of the file) was
	// recognised but cannot be decoded here, such as HEIF, JPEG XL, SVG,
	// arithmetic-coded JPEG or RLE-compressed BMP, or (from [Encode]) a
	// format that is not written.
	ErrUnsupported = errors.New("unsupported image format")
	// ErrUnknownFormat means the bytes are not an image format this package
	// recognises, including an empty file.
	ErrUnknownFormat = errors.New("unknown image format")
	// ErrCorrupt means the file looks like a known format but could not be
	// decoded: truncated, bad header, inconsistent sizes. The decoder's own
	// error is wrapped.
	ErrCorrupt = errors.New("corrupt image")
)

// LimitError reports a limit that the source exceeds. It matches
// [ErrTooLarge] with [errors.Is].
type LimitError struct {
	// What names the measure: "source bytes", "source pixels",
	// "source width", "source height", "frames", "animation pixels" or
	// "AVIF source pixels".
	What string
	// Value is what the source has or declares.
	Value int64
	// Max is the limit it exceeds.
	Max int64
}

// Error returns a short description such as
// "image too large: source pixels 4128062500 exceeds limit 50000000".
func (e *LimitError) Error() string {
	return fmt.Sprintf("%v: %s %d exceeds limit %d", ErrTooLarge, e.What, e.Value, e.Max)
}

// Unwrap returns [ErrTooLarge].
func (e *LimitError) Unwrap() error { return ErrTooLarge }

// The default limits, used for a zero (or negative) field of [Limits].
const (
	// DefaultMaxBytes is the default size limit of a source file: 40 MiB.
	DefaultMaxBytes = 40 << 20
	// DefaultMaxPixels is the default limit of width×height: 50 million.
	DefaultMaxPixels = 50_000_000
	// DefaultMaxSide is the default limit of either side, in pixels. It
	// refuses absurd shapes such as 100000×10 that pass the pixel limit.
	DefaultMaxSide = 65535
)

// Limits bounds what [DecodeConfig] and [Decode] accept. The zero value
// means the defaults; each zero or negative field takes its default.
type Limits struct {
	// MaxBytes is the largest source file accepted, in bytes
	// (default [DefaultMaxBytes]).
	MaxBytes int64
	// MaxPixels is the largest width×height accepted, as stored in the
	// file (default [DefaultMaxPixels]).
	MaxPixels int64
	// MaxSide is the largest width or height accepted, in pixels
	// (default [DefaultMaxSide]).
	MaxSide int64
}

// withDefaults returns l with every unset field at its default.
func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	if l.MaxSide <= 0 {
		l.MaxSide = DefaultMaxSide
	}
	return l
}

// checkBytes returns a *LimitError when n source bytes exceed the limit.
func (l Limits) checkBytes(n int) error {
	if int64(n) > l.MaxBytes {
		return &LimitError{What: "source bytes", Value: int64(n), Max: l.MaxBytes}
	}
	return nil
}

// checkSize returns a *LimitError when a w×h image exceeds a limit, and an
// ErrCorrupt error when a side is not positive.
func (l Limits) checkSize(w, h int) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("%w: image is %dx%d", ErrCorrupt, w, h)
	}
	if p := int64(w) * int64(h); p > l.MaxPixels {
		return &LimitError{What: "source pixels", Value: p, Max: l.MaxPixels}
	}
	if int64(w) > l.MaxSide {
		return &LimitError{What: "source width", Value: int64(w), Max: l.MaxSide}
	}
	if int64(h) > l.MaxSide {
		return &LimitError{What: "source height", Value: int64(h), Max: l.MaxSide}
	}
	return nil
}

// corruptf returns an ErrCorrupt error with a short message.
func corruptf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

// unsupported returns an ErrUnsupported error naming f and, when err is not
// nil, wrapping it.
func unsupported(f Format, err error) error {
	switch {
	case err == nil:
		return fmt.Errorf("%w: %s", ErrUnsupported, f)
	case named(f, err):
		return fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	return fmt.Errorf("%w: %s: %w", ErrUnsupported, f, err)
}
