package codec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"

	"github.com/gen2brain/avif"

	"github.com/imgcdn/imgcdn/internal/raster"
)

// DefaultAVIFSpeed is the AVIF encoder speed [Encode] uses when
// EncodeOptions.Speed is 0: 8.
//
// Measured with the built-in WebAssembly libavif (libaom) of
// github.com/gen2brain/avif v0.6.0 on jpeg-photo-1920x1080.jpg scaled to
// 800×450, one thread, median of 3 runs on a shared 2-core machine:
//
//	speed   libavif q60: ms  KB    PSNR    libavif q65: ms  KB    PSNR
//	6                  1630  41.5  34.74                1800  46.0  35.77
//	7                   590  42.1  34.41
//	8                   390  42.4  34.37                 490  46.9  35.37
//	9                   150  44.2  33.94
//	10                  135  44.2  33.94                 125  49.0  34.93
//
// Speeds 9 and 10 give the same bytes. From 10 to 8, files at the same
// PSNR are about 6% smaller for three times the time; from 8 to 6, another
// 2–6% for four to five times more. 8 is the serving compromise: at
// 800×450 it costs about 0.4 s, at 1920×1080 about 2 s with the
// single-threaded WebAssembly build (a system libavif, native and
// multi-threaded, is several times faster). Callers that encode on the
// request path of large images may prefer 10.
const DefaultAVIFSpeed = 8

// avifQualities maps our quality (the JPEG scale) onto libavif's at the
// anchors below; avifQuality interpolates linearly between them.
//
// Each anchor is the libavif quality whose output (speed 8, 4:2:0) has
// the PSNR and SSIM (their mean position) of our JPEG at that quality, on
// jpeg-photo-1920x1080.jpg at 800×450:
//
//	JPEG q  KB     PSNR   SSIM     libavif q for PSNR  for SSIM  chosen
//	50      43.7   30.63  0.9632   46.5                45.6      46
//	60      49.1   31.62  0.9679   50                  48.8      50
//	70      57.3   33.11  0.9736   55.8                55        56
//	75      62.5   34.00  0.9766   58.8                60        60
//	80      70.5   35.24  0.9800   63.6                66.4      65
//	85      81.3   36.84  0.9838   67.4                73.3      70
//	90      99.0   39.11  0.9882   76.9                84.4      80
//	95      134.2  42.58  0.9930   88.9                92        90
//
// At the default, quality 80 becomes 65: 46.9 KB, 35.37 dB, SSIM 0.9789,
// against 70.5 KB for our progressive JPEG and 58.7 KB (36.71 dB, SSIM
// 0.9788) for WebP at quality 80.
var avifQualities = [...]struct{ q, avif int }{
	{1, 1}, {50, 46}, {60, 50}, {70, 56}, {75, 60}, {80, 65}, {85, 70}, {90, 80}, {95, 90}, {100, 100},
}

// avifQuality maps a quality on the JPEG scale (1 to 100) onto libavif's
// quality (0 to 100) through avifQualities.
func avifQuality(q int) int {
	q = max(1, min(q, 100))
	for i := 1; i < len(avifQualities); i++ {
		a, b := avifQualities[i-1], avifQualities[i]
		if q <= b.q {
			return a.avif + ((q-a.q)*(b.avif-a.avif)+(b.q-a.q)/2)/(b.q-a.q)
		}
	}
	return 100
}

// encodeAVIF writes img as an AVIF file with libavif through
// github.com/gen2brain/avif, then adds the ICC profile of o, which that
// library cannot write, as a colr box.
func encodeAVIF(w io.Writer, img image.Image, o *EncodeOptions) error {
	q := avifQuality(o.Quality)
	var buf bytes.Buffer
	err := avif.Encode(&buf, avifInput(img), avif.Options{
		Quality:           q,
		QualityAlpha:      q,
		Speed:             o.Speed,
		ChromaSubsampling: image.YCbCrSubsampleRatio420,
		Lossless:          o.Lossless,
	})
	if err != nil {
		return err
	}
	out := buf.Bytes()
	if len(o.ICC) > 0 && iccSpace(o.ICC) != "GRAY" { // libavif writes colour
		if out, err = avifWithICC(out, o.ICC); err != nil {
			return err
		}
	}
	_, err = w.Write(out)
	return err
}

// avifInput returns img in the form the AVIF encoder reads without a
// conversion of its own where it can: an *image.RGBA at the origin with
// rows of exactly 4×width bytes, which an opaque *image.NRGBA already is
// byte for byte. An *image.YCbCr or a non-opaque *image.NRGBA is left to
// the library, which converts it with image/draw's fast paths.
func avifInput(img image.Image) image.Image {
	switch m := img.(type) {
	case *image.RGBA:
		if packed(m.Pix, m.Stride, m.Rect) {
			return m
		}
	case *image.YCbCr:
		return m
	}
	n := raster.ToNRGBA(img)
	w, h := n.Rect.Dx(), n.Rect.Dy()
	for y := range h {
		i := n.PixOffset(n.Rect.Min.X, n.Rect.Min.Y+y)
		if !opaque(n.Pix[i : i+4*w]) {
			return n
		}
	}
	if !packed(n.Pix, n.Stride, n.Rect) {
		c := image.NewNRGBA(image.Rect(0, 0, w, h))
		for y := range h {
			copy(c.Pix[y*c.Stride:(y+1)*c.Stride], n.Pix[n.PixOffset(n.Rect.Min.X, n.Rect.Min.Y+y):])
		}
		n = c
	}
	return &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}
}

// packed reports whether an image with 4-byte pixels starts at the origin
// and has rows of exactly 4×width bytes, as the AVIF encoder reads them.
func packed(pix []byte, stride int, r image.Rectangle) bool {
	return r.Min == (image.Point{}) && stride == 4*r.Dx() && len(pix) == stride*r.Dy()
}

// WarmUp pays, once per process, the start-up cost of the AVIF codec: with
// the built-in WebAssembly build of libavif, the first AVIF encode or
// decode of a process compiles the module (about a second); later calls
// reuse it. A server calls WarmUp at start so that no request pays it.
// WarmUp encodes and decodes a 16×16 image; it returns ctx's error if ctx
// is done first (the compilation then carries on in the background and is
// kept), or an error wrapping [ErrEncode] or [ErrCorrupt] if the codec
// fails. It is safe for concurrent use and cheap after the first call.
func WarmUp(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() {
		done <- warmUp(ctx)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func warmUp(ctx context.Context) error {
	img := image.NewNRGBA(image.Rect(0, 0, 16, 16))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	var buf bytes.Buffer
	if err := Encode(ctx, &buf, img, AVIF, EncodeOptions{Speed: 10}); err != nil {
		return fmt.Errorf("codec: AVIF warm-up: %w", err)
	}
	if _, err := Decode(ctx, buf.Bytes(), Limits{}, DecodeHint{}); err != nil {
		return fmt.Errorf("codec: AVIF warm-up: %w", err)
	}
	return nil
}

// AVIFBackend names the libavif that encodes and decodes AVIF in this
// process, for logging: "libavif (system)" when
// github.com/gen2brain/avif loaded a shared libavif 1.1 or later at start,
// or "libavif (built-in WebAssembly)" when it runs its embedded WebAssembly
// build (no shared library, an older one such as Debian 12's 0.11, a
// static binary, or a build with the nodynamic tag). It is safe for
// concurrent use.
func AVIFBackend() string {
	if avif.Dynamic() == nil {
		return "libavif (system)"
	}
	return "libavif (built-in WebAssembly)"
}

// SetAVIFProfile returns a copy of the AVIF file avifFile with the ICC
// profile icc embedded as a colr property of type prof associated with the
// primary item, as [Encode] does for its own AVIF output. It is for AVIF
// files written by another encoder that cannot embed a profile. It rewrites
// the meta box (ipco, ipma, and the iloc offsets of data after meta) and
// leaves the coded data as it is. It fails, with an error wrapping
// [ErrEncode], when the file is not an ISO-BMFF structure it can rewrite
// safely or its primary item already has a profile. avifFile is not
// modified. SetAVIFProfile is safe for concurrent use.
func SetAVIFProfile(avifFile, icc []byte) ([]byte, error) {
	if len(icc) == 0 {
		return nil, fmt.Errorf("%w: avif: empty ICC profile", ErrEncode)
	}
	out, err := avifWithICC(avifFile, icc)
	if err != nil && !errors.Is(err, ErrEncode) {
		return nil, fmt.Errorf("%w: %w", ErrEncode, err)
	}
	return out, err
}

// avifWithICC returns the AVIF file src with icc added as a colr property
// of type prof, associated (not essential) with the primary item: the box
// is appended to ipco and the association added to the ipma entry of the
// item, before any transformative property (see rebuildIprp for the rest).
// It refuses a file whose primary item already has a profile.
func avifWithICC(src, icc []byte) ([]byte, error) {
	if len(icc) > 1<<30 {
		return nil, fmt.Errorf("%w: avif: ICC profile of %d bytes is too large", ErrEncode, len(icc))
	}
	out, err := rebuildIprp(src, func(primary uint32, ib []isoBox) ([]byte, error) {
		ipco, ok := find(ib, "ipco")
		if !ok {
			return nil, fmt.Errorf("%w: no ipco box", errBoxes)
		}
		props, err := splitBoxes(src, ipco.body, ipco.end)
		if err != nil {
			return nil, err
		}
		types := make([]string, len(props))
		for i, p := range props {
			types[i] = p.typ
		}
		if probeHEIF(src, AVIF).icc != nil {
			return nil, fmt.Errorf("%w: the primary item already has an ICC profile", errBoxes)
		}
		index := len(props) + 1
		var out []byte
		added := false
		for _, x := range ib {
			switch {
			case x.typ == "ipco":
				out = appendBox(out, "ipco", src[x.body:x.end], appendBox(nil, "colr", []byte("prof"), icc))
			case x.typ == "ipma" && !added:
				// The ipma that holds the primary item, or the first one
				// when none does.
				p, err := parseIpma(src[x.body:x.end])
				if err != nil {
					return nil, err
				}
				if p.has(primary) || !ipmaHolds(src, ib, primary) {
					if err := p.add(primary, index, types); err != nil {
						return nil, err
					}
					added = true
				}
				out = appendBox(out, "ipma", p.bytes())
			default:
				out = append(out, src[x.start:x.end]...)
			}
		}
		if !added {
			return nil, fmt.Errorf("%w: no ipma box", errBoxes)
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	// A file the rewrite could parse but a reader cannot (a hostile or
	// malformed one) must not pass for one that carries the profile.
	if p := probeHEIF(out, AVIF); p.icc == nil || !bytes.Equal(p.icc(), icc) {
		return nil, fmt.Errorf("%w: the rewritten file does not read back", errBoxes)
	}
	return out, nil
}
