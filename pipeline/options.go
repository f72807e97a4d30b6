package pipeline

// The defaults of [Options].
const (
	// DefaultMaxSourceBytes is the default largest source file, 40 MB.
	DefaultMaxSourceBytes = 40 << 20
	// DefaultMaxSourcePixels is the default largest source image, 50 MP,
	// checked from the header before any pixel memory is allocated.
	DefaultMaxSourcePixels = 50_000_000
	// DefaultMaxOutputSide is the default largest output width or height.
	DefaultMaxOutputSide = 16384
	// DefaultMaxOutputPixels is the default largest output image, 50 MP.
	DefaultMaxOutputPixels = 50_000_000
	// DefaultQuality is the default quality of lossy output when the chain
	// has no q- parameter.
	DefaultQuality = 80
	// DefaultMaxAVIFSourcePixels is the default largest AVIF source, 16 MP:
	// the AVIF decoder holds about 50 bytes per pixel while it runs.
	DefaultMaxAVIFSourcePixels = 16_000_000
	// DefaultMaxFrames is the default largest number of frames of an
	// animation, 1000.
	DefaultMaxFrames = 1000
	// DefaultMaxAnimationPixels is the default largest animation in pixels
	// of all its frames, 200 MP (for example 500 frames of 640×640).
	DefaultMaxAnimationPixels = 200_000_000
)

// Options are the limits and defaults of [Process]. A nil *Options, like a
// zero field, means the documented default. Options are read, never
// modified, so one value may be shared by concurrent calls.
type Options struct {
	// MaxSourceBytes is the largest source accepted, in bytes
	// (default DefaultMaxSourceBytes).
	MaxSourceBytes int64
	// MaxSourcePixels is the largest source image accepted, in pixels
	// (width × height, default DefaultMaxSourcePixels). It is checked from
	// the header, before any pixel memory is allocated.
	MaxSourcePixels int64
	// MaxOutputSide is the largest width or height of any intermediate or
	// final image (default DefaultMaxOutputSide).
	MaxOutputSide int
	// MaxOutputPixels is the largest intermediate or final image, in pixels
	// (default DefaultMaxOutputPixels).
	MaxOutputPixels int64
	// Quality is the quality of lossy output when the chain has no q-
	// parameter (default DefaultQuality).
	Quality int

	// AutoFormats are the formats f-auto may choose over the source's own
	// family (GIF for an animation, PNG with transparency, JPEG otherwise),
	// best first; the first that suits the source wins. A server sets it
	// per request to the modern formats the client accepts (FormatAVIF,
	// FormatWebP). Default none: f-auto writes the source's family.
	AutoFormats []Format
	// AutoAVIFMaxPixels is the largest source, in pixels (oriented width ×
	// height), that f-auto turns into AVIF; larger sources get the next
	// of AutoFormats. AVIF is by far the slowest encoder. Default 0: no
	// limit. An explicit f-avif is not limited.
	AutoAVIFMaxPixels int64
	// AVIFSpeed is the speed of the built-in AVIF encoder, 1 (slowest,
	// smallest) to 10 (fastest). Default 0: the codec's default for
	// serving.
	AVIFSpeed int
	// AVIFEncoder, when set, replaces the built-in AVIF encoder (see the
	// module github.com/imgcdn/imgcdn/pipeline/avifaom). Default nil.
	AVIFEncoder Encoder
	// MaxAVIFSourcePixels is the largest AVIF source accepted, in pixels
	// (default DefaultMaxAVIFSourcePixels, and never above
	// MaxSourcePixels); its decoder needs about 50 bytes per pixel.
	MaxAVIFSourcePixels int64
	// MaxFrames is the largest number of frames of an animated source that
	// is transformed as an animation (default DefaultMaxFrames); more is
	// an error matching ErrSourceTooLarge.
	MaxFrames int
	// MaxAnimationPixels is the largest animation, in pixels of all its
	// frames (canvas width × height × frames), that is transformed
	// (default DefaultMaxAnimationPixels); more is an error matching
	// ErrSourceTooLarge.
	MaxAnimationPixels int64
}

// withDefaults returns a copy of o with every zero field set to its default.
func (o *Options) withDefaults() Options {
	var v Options
	if o != nil {
		v = *o
	}
	if v.MaxSourceBytes <= 0 {
		v.MaxSourceBytes = DefaultMaxSourceBytes
	}
	if v.MaxSourcePixels <= 0 {
		v.MaxSourcePixels = DefaultMaxSourcePixels
	}
	if v.MaxOutputSide <= 0 {
		v.MaxOutputSide = DefaultMaxOutputSide
	}
	if v.MaxOutputPixels <= 0 {
		v.MaxOutputPixels = DefaultMaxOutputPixels
	}
	if v.Quality <= 0 || v.Quality > 100 {
		v.Quality = DefaultQuality
	}
	if v.MaxAVIFSourcePixels <= 0 {
		v.MaxAVIFSourcePixels = DefaultMaxAVIFSourcePixels
	}
	if v.MaxFrames <= 0 {
		v.MaxFrames = DefaultMaxFrames
	}
	if v.MaxAnimationPixels <= 0 {
		v.MaxAnimationPixels = DefaultMaxAnimationPixels
	}
	return v
}
