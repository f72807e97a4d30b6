package urlgen

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"image"
	"image/draw"
	"image/png"
	"io"

	"github.com/maypok86/otter/v2"
	"go.n16f.net/thumbhash"

	"github.com/imgcdn/imgcdn/pipeline"
)

// ErrNoSource is returned by [Builder.Placeholder] and [Builder.ThumbHash]
// when the Builder has no store to read images from (see [WithSource]).
var ErrNoSource = errors.New("urlgen: no source store (WithSource)")

// The low-quality placeholder of PlaceholderURL: 32 px wide, blurred,
// quality 30. An image of a few hundred bytes that the browser stretches
// to the size of the image.
var lqipStep = pipeline.Step{
	Width:   pipeline.Dimension{Pixels: 32},
	Crop:    pipeline.CropAtMax,
	Blur:    3,
	Quality: 30,
}

// PlaceholderURL returns the URL of a low-quality image placeholder (LQIP)
// for the image stored under path: o.Steps (so that a crop matches the
// image's), then w-32,c-at_max,bl-3,q-30, a blurred image of a few hundred
// bytes to show, stretched, while the image loads. The other fields of o
// are not used.
func (b *Builder) PlaceholderURL(path string, o Image) (string, error) {
	base, err := canonical(o.Steps)
	if err != nil {
		return "", err
	}
	tr := lqipStep.String()
	if base != "" {
		tr = base + ":" + tr
	}
	key, err := b.escapeKey(path, true)
	if err != nil {
		return "", err
	}
	return b.assemble(key, "", tr), nil
}

// placeholder is a computed inline placeholder.
type placeholder struct {
	hash []byte       // the binary ThumbHash
	uri  template.URL // the PNG it decodes to, as a data URI
}

// thumbChain makes the image a ThumbHash is computed from: 100 px on its
// longer side, as the ThumbHash algorithm expects, in a lossless format.
// Smaller images are enlarged: with only a few pixels, the few cosines of
// the hash shift the mean colour of what it decodes to.
var thumbChain = pipeline.Chain{{
	Width:  pipeline.Dimension{Pixels: 100},
	Height: pipeline.Dimension{Pixels: 100},
	Crop:   pipeline.CropAtMaxEnlarge,
	Format: pipeline.FormatPNG,
}}

// Placeholder returns an inline placeholder for the image stored under
// path: a data:image/png;base64 URI of 1 to 3 KB, a blurred 32 px
// rendering of the image's ThumbHash (https://evanw.github.io/thumbhash/)
// with its colours, aspect ratio and transparency, to use as the CSS
// background or the src of an image until the image loads (see
// [Image.Placeholder]).
//
// It reads the image from the store of [WithSource] (ErrNoSource without
// one), within the limits of [WithPlaceholderLimits], and honours ctx.
// Results are kept in a bounded cache keyed by the path and the store's
// version of the object (its ETag), so a page rendered again costs one
// Stat per image, and a changed image gets a new placeholder; concurrent
// calls for the same image compute it once.
func (b *Builder) Placeholder(ctx context.Context, path string) (template.URL, error) {
	p, err := b.placeholder(ctx, path)
	return p.uri, err
}

// ThumbHash returns the ThumbHash of the image stored under path, in
// standard base64, for pages that render placeholders in the browser (for
// example with thumbHashToDataURL of the reference JavaScript library). It
// is computed and cached as [Builder.Placeholder] is.
func (b *Builder) ThumbHash(ctx context.Context, path string) (string, error) {
	p, err := b.placeholder(ctx, path)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(p.hash), nil
}

// placeholder returns the placeholder of path, from the cache when it is
// there for the object's current version.
func (b *Builder) placeholder(ctx context.Context, path string) (placeholder, error) {
	if b.source == nil {
		return placeholder{}, ErrNoSource
	}
	key, err := cleanKey(path)
	if err != nil {
		return placeholder{}, err
	}
	if b.placeholders == nil {
		return b.makePlaceholder(ctx, key, "")
	}
	info, err := b.source.Stat(ctx, key)
	if err != nil {
		return placeholder{}, fmt.Errorf("urlgen: placeholder of %q: %w", key, err)
	}
	if info.ETag == "" {
		return b.makePlaceholder(ctx, key, "")
	}
	p, err := b.placeholders.Get(ctx, key+"\x00"+info.ETag, otter.LoaderFunc[string, placeholder](
		func(ctx context.Context, _ string) (placeholder, error) {
			return b.makePlaceholder(ctx, key, info.ETag)
		}))
	if ce, ok := errors.AsType[*changedError](err); ok {
		return ce.p, nil // right for now, but not cached under the old version
	}
	return p, err
}

// changedError is returned by makePlaceholder, with the placeholder, when
// the object read is not the version asked for: it changed since Stat.
type changedError struct{ p placeholder }

func (*changedError) Error() string { return "urlgen: image changed while read" }

// makePlaceholder reads the object key and computes its placeholder. When
// etag is set and the object read has another version, the placeholder is
// returned in a *changedError, so that it is not cached as etag's.
func (b *Builder) makePlaceholder(ctx context.Context, key, etag string) (placeholder, error) {
	rc, info, err := b.source.Open(ctx, key)
	if err != nil {
		return placeholder{}, fmt.Errorf("urlgen: placeholder of %q: %w", key, err)
	}
	defer rc.Close()
	limit := b.limits.MaxSourceBytes
	if limit <= 0 {
		limit = pipeline.DefaultMaxSourceBytes
	}
	if info.Size > limit {
		return placeholder{}, fmt.Errorf("urlgen: placeholder of %q: %w", key, &pipeline.LimitError{What: "source bytes", Value: info.Size, Max: limit})
	}
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return placeholder{}, fmt.Errorf("urlgen: placeholder of %q: %w", key, err)
	}
	if int64(len(data)) > limit {
		return placeholder{}, fmt.Errorf("urlgen: placeholder of %q: %w", key, &pipeline.LimitError{What: "source bytes", Value: int64(len(data)), Max: limit})
	}
	p, err := computePlaceholder(ctx, data, &b.limits)
	if err != nil {
		return placeholder{}, fmt.Errorf("urlgen: placeholder of %q: %w", key, err)
	}
	if etag != "" && info.ETag != etag {
		return placeholder{}, &changedError{p}
	}
	return p, nil
}

// computePlaceholder computes the placeholder of an encoded image.
func computePlaceholder(ctx context.Context, data []byte, limits *pipeline.Options) (placeholder, error) {
	res, err := pipeline.Process(ctx, data, thumbChain, limits)
	if err != nil {
		return placeholder{}, err
	}
	small, err := png.Decode(bytes.NewReader(res.Bytes))
	if err != nil {
		return placeholder{}, fmt.Errorf("thumbnail: %w", err)
	}
	hash := thumbhash.EncodeImage(straightRGBA(small))
	img, err := thumbhash.DecodeImage(hash)
	if err != nil {
		return placeholder{}, fmt.Errorf("thumbhash: %w", err)
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return placeholder{}, fmt.Errorf("placeholder PNG: %w", err)
	}
	const prefix = "data:image/png;base64,"
	uri := make([]byte, len(prefix)+base64.StdEncoding.EncodedLen(buf.Len()))
	copy(uri, prefix)
	base64.StdEncoding.Encode(uri[len(prefix):], buf.Bytes())
	return placeholder{hash: hash, uri: template.URL(uri)}, nil
}

// straightRGBA returns img as an *image.RGBA whose Pix holds straight (not
// premultiplied) colours, which is what thumbhash.EncodeImage (v1.1.0)
// reads: it copies its argument into an *image.RGBA and takes the bytes
// for straight RGBA, as the reference algorithm does, so a properly
// premultiplied image would have the colours of its transparent parts
// darkened twice. Copying an *image.RGBA into an *image.RGBA moves the
// bytes unchanged. For an opaque image both forms are the same. The test
// of a transparent image's mean colour guards this if the library changes.
func straightRGBA(img image.Image) *image.RGBA {
	n, ok := img.(*image.NRGBA)
	if !ok || n.Rect.Min != (image.Point{}) {
		n = image.NewNRGBA(image.Rectangle{Max: img.Bounds().Size()})
		draw.Draw(n, n.Rect, img, img.Bounds().Min, draw.Src)
	}
	return &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}
}
