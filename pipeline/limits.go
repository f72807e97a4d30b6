package pipeline

import (
	"errors"

	"github.com/imgcdn/imgcdn/internal/codec"
)

// The errors of [Process] about the source image. Match them with
// [errors.Is]; a limit error is also a *[LimitError] for [errors.As].
var (
	// ErrSourceTooLarge means the source exceeds a limit of [Options]:
	// its size in bytes, or the pixel count or a side declared by its
	// header (checked before any pixel memory is allocated).
	ErrSourceTooLarge = codec.ErrTooLarge
	// ErrUnsupportedFormat means the source is an image in a format that
	// Process does not decode (SVG, HEIF, JPEG XL, and AVIF for now).
	ErrUnsupportedFormat = codec.ErrUnsupported
	// ErrUnknownFormat means the source is not an image at all (or is empty).
	ErrUnknownFormat = codec.ErrUnknownFormat
	// ErrCorrupt means the source looks like a supported image but cannot
	// be decoded: truncated, malformed or hostile data.
	ErrCorrupt = codec.ErrCorrupt
	// ErrOutputTooLarge is returned when the planned output, or an
	// intermediate image, is larger than the limits of [Options].
	ErrOutputTooLarge = errors.New("output image too large")
)

// LimitError reports which limit a source exceeded, with the value found
// and the maximum allowed. It wraps [ErrSourceTooLarge].
type LimitError = codec.LimitError
