package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"

	"github.com/imgcdn/imgcdn/internal/codec"
	"github.com/imgcdn/imgcdn/internal/resample"
)

// processAnimation transforms every frame of an animated source and
// writes them as an animation in format f (GIF or WebP). Frames are
// decoded one at a time, composited onto the full canvas, so memory is
// bounded by a few frames whatever the frame count. Delays and the loop
// count are kept.
//
// Every frame goes through the same steps, so frames keep one size; where
// a step depends on the pixels (trim, auto focus) and a frame comes out
// of another size than the first, it is resized to the first frame's.
func processAnimation(ctx context.Context, src []byte, chain Chain, e encoding, f Format, lim codec.Limits, o *Options) (*Result, error) {
	d, err := codec.NewAnimDecoder(ctx, src, lim, codec.AnimLimits{MaxFrames: o.MaxFrames, MaxTotalPixels: o.MaxAnimationPixels})
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	info := d.Info()
	var (
		buf    bytes.Buffer
		enc    *codec.AnimEncoder
		size   image.Point
		frames int
	)
	for i := 0; ; i++ {
		frame, delay, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("pipeline: frame %d: %w", i+1, err)
		}
		img := image.Image(frame)
		for j, s := range chain {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("pipeline: frame %d, step %d: %w", i+1, j+1, err)
			}
			if img, err = applyStep(img, s, o); err != nil {
				return nil, err
			}
		}
		n := toNRGBA(img)
		if enc == nil {
			size = n.Rect.Size()
			enc, err = codec.NewAnimEncoder(&buf, toCodec(f), size.X, size.Y, info.LoopCount, codec.EncodeOptions{Quality: e.quality, Lossless: e.lossless})
			if err != nil {
				return nil, fmt.Errorf("pipeline: encode %s: %w", f, err)
			}
		} else if n.Rect.Size() != size {
			r, err := resample.Resize(n, n.Rect, size.X, size.Y)
			if err != nil {
				return nil, fmt.Errorf("pipeline: frame %d: %w", i+1, err)
			}
			n = toNRGBA(r)
		}
		if err := enc.Add(n, delay); err != nil {
			return nil, fmt.Errorf("pipeline: encode %s: frame %d: %w", f, i+1, err)
		}
		frames++
	}
	if enc == nil {
		return nil, fmt.Errorf("pipeline: animation without frames: %w", ErrCorrupt)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("pipeline: encode %s: %w", f, err)
	}
	return &Result{Bytes: buf.Bytes(), Format: f, Width: size.X, Height: size.Y, Frames: frames}, nil
}
