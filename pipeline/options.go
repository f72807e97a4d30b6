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
	return v
}
