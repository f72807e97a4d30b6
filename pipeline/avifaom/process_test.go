package avifaom_test

import (
	"context"
	"testing"

	"github.com/imgcdn/imgcdn/internal/codec"
	"github.com/imgcdn/imgcdn/internal/testcorpus"
	"github.com/imgcdn/imgcdn/pipeline"
	"github.com/imgcdn/imgcdn/pipeline/avifaom"
)

// The native encoder plugs into the pipeline (and so into the middleware's
// WithAVIFEncoder).
var _ pipeline.Encoder = (*avifaom.Encoder)(nil)

// TestThroughPipeline runs the encoder as the pipeline's AVIF encoder: the
// result is AVIF of the right size, and a source profile kept with cp-true
// is embedded in it.
func TestThroughPipeline(t *testing.T) {
	src := testcorpus.Read(t, "jpeg-progressive-adobergb-1900x1263.jpg")
	opts := &pipeline.Options{AVIFEncoder: &avifaom.Encoder{Threads: 1}}
	for _, tr := range []string{"w-200,f-avif", "w-200,f-avif,cp-true"} {
		chain, err := pipeline.Parse(tr)
		if err != nil {
			t.Fatal(err)
		}
		res, err := pipeline.Process(context.Background(), src, chain, opts)
		if err != nil {
			t.Fatalf("%s: %v", tr, err)
		}
		img, err := codec.Decode(context.Background(), res.Bytes, codec.Limits{}, codec.DecodeHint{})
		if err != nil {
			t.Fatalf("%s: output does not decode: %v", tr, err)
		}
		if b := img.Pixels.Bounds(); img.Header.Format != codec.AVIF || b.Dx() != 200 || b.Dy() != 133 {
			t.Errorf("%s: %v %v, want avif 200x133", tr, img.Header.Format, b)
		}
		if (img.ICC != nil) != (tr == "w-200,f-avif,cp-true") {
			t.Errorf("%s: embedded profile of %d bytes", tr, len(img.ICC))
		}
	}
}
