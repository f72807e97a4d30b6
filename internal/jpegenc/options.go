package jpegenc

import (
	"errors"
	"fmt"
)

// DefaultQuality is the quality Encode uses when Options.Quality is 0.
const DefaultQuality = 75

// ErrInvalidOptions is wrapped by the errors Encode returns for options it
// cannot honour, such as a quality outside 1 to 100 or a malformed segment.
var ErrInvalidOptions = errors.New("jpegenc: invalid options")

// ErrInvalidImage is wrapped by the errors Encode returns for images a JPEG
// file cannot hold: empty ones and those wider or taller than 65535 pixels.
var ErrInvalidImage = errors.New("jpegenc: invalid image")

// Subsampling is the chroma subsampling of colour output.
type Subsampling int

const (
	// Subsample420 keeps one chroma sample per 2×2 pixels. It is the zero
	// value and the default.
	Subsample420 Subsampling = iota
	// Subsample444 keeps full-resolution chroma: larger files, sharper
	// colour edges.
	Subsample444
)

// String returns "4:2:0" or "4:4:4".
func (s Subsampling) String() string {
	switch s {
	case Subsample420:
		return "4:2:0"
	case Subsample444:
		return "4:4:4"
	}
	return fmt.Sprintf("Subsampling(%d)", int(s))
}

// Options controls Encode. A nil *Options, like the zero value, means
// quality 75, baseline, 4:2:0 chroma, optimised Huffman tables and no extra
// segments. Encode only reads an Options, so one value may serve concurrent
// calls.
type Options struct {
	// Quality is the IJG quality setting, 1 (smallest, worst) to 100: it
	// scales the example quantisation tables of ITU T.81 Annex K exactly as
	// libjpeg does. 0 means DefaultQuality (75).
	Quality int

	// Progressive writes a progressive JPEG (SOF2) instead of a baseline
	// one (SOF0). Progressive files render coarse-to-fine and are usually
	// 2–4% smaller, at two to three times the encoding time of baseline
	// (about that of image/jpeg's baseline encoder). The default is false.
	Progressive bool

	// Subsampling is the chroma subsampling of colour images; the default
	// is Subsample420. Gray images have no chroma and ignore it.
	Subsampling Subsampling

	// StandardTables makes baseline output use the example Huffman tables
	// of T.81 Annex K, as image/jpeg does, instead of tables computed for
	// the image. That saves counting the symbols, 15–20% of the encoding
	// time, but makes files larger: by about 3% at quality 50 to 80 and by
	// 20% or more from quality 95. The default is false (optimised
	// tables). Progressive output always uses optimised tables.
	StandardTables bool

	// Segments are complete marker segments to write after the JFIF APP0
	// segment, in order, such as APP1 Exif or APP2 ICC profile chunks. Each
	// must start with the two marker bytes, 0xFF then an APPn (0xE0 to
	// 0xEF) or COM (0xFE) code, followed by the big-endian segment length,
	// which counts itself and the payload but not the marker. When one of
	// them is an APP0 segment, Encode writes no JFIF segment of its own.
	// The default is none.
	Segments [][]byte
}

// config is a validated Options.
type config struct {
	quality     int
	progressive bool
	sub         Subsampling
	optimise    bool
	segments    [][]byte
	jfif        bool
	script      []scan // progressive script; nil means the default

	// workers bounds the goroutines of one encode; 0 means GOMAXPROCS.
	// forceParallel splits the transform even for small images.
	workers       int
	forceParallel bool
}

func (o *Options) config() (config, error) {
	c := config{quality: DefaultQuality, optimise: true, jfif: true}
	if o == nil {
		return c, nil
	}
	if o.Quality < 0 || o.Quality > 100 {
		return c, fmt.Errorf("%w: quality %d is not in 1 to 100", ErrInvalidOptions, o.Quality)
	}
	if o.Quality != 0 {
		c.quality = o.Quality
	}
	switch o.Subsampling {
	case Subsample420, Subsample444:
		c.sub = o.Subsampling
	default:
		return c, fmt.Errorf("%w: unknown subsampling %d", ErrInvalidOptions, int(o.Subsampling))
	}
	c.progressive = o.Progressive
	c.optimise = o.Progressive || !o.StandardTables
	for i, s := range o.Segments {
		if err := checkSegment(s); err != nil {
			return c, fmt.Errorf("%w: segment %d: %w", ErrInvalidOptions, i, err)
		}
		if s[1] == 0xe0 {
			c.jfif = false
		}
	}
	c.segments = o.Segments
	return c, nil
}

// checkSegment reports what is wrong with a raw marker segment, if anything.
func checkSegment(s []byte) error {
	if len(s) < 4 {
		return fmt.Errorf("%d bytes is too short for a marker segment", len(s))
	}
	if s[0] != 0xff || !(s[1] >= 0xe0 && s[1] <= 0xef || s[1] == 0xfe) {
		return fmt.Errorf("marker % X is not APPn or COM", s[:2])
	}
	if n := int(s[2])<<8 | int(s[3]); n != len(s)-2 {
		return fmt.Errorf("length field %d does not match the %d bytes after the marker", n, len(s)-2)
	}
	return nil
}
