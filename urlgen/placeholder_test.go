package urlgen

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
	"github.com/imgcdn/imgcdn/middleware"
	"github.com/imgcdn/imgcdn/pipeline"
	"github.com/imgcdn/imgcdn/store"
)

// countingStore counts the objects opened.
type countingStore struct {
	store.Store
	opens atomic.Int64
}

func (s *countingStore) Open(ctx context.Context, key string) (io.ReadCloser, store.Info, error) {
	s.opens.Add(1)
	return s.Store.Open(ctx, key)
}

// meanColor returns the mean of the straight (not premultiplied) colour of
// the opaque parts of img, weighted by alpha, and the mean alpha, in 0-255.
func meanColor(img image.Image) (r, g, b, a float64) {
	bounds := img.Bounds()
	var sr, sg, sb, sa float64
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			w := float64(c.A) / 255
			sr += float64(c.R) * w
			sg += float64(c.G) * w
			sb += float64(c.B) * w
			sa += w
		}
	}
	n := float64(bounds.Dx() * bounds.Dy())
	return sr / sa, sg / sa, sb / sa, 255 * sa / n
}

// photo returns a w×h test picture: a diagonal gradient between two
// colours with a band of a third, and its alpha fading when fade is set.
func photo(w, h int, c1, c2, band color.NRGBA, fade bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			t := float64(x+y) / float64(w+h-2)
			c := color.NRGBA{
				R: uint8(float64(c1.R)*(1-t) + float64(c2.R)*t),
				G: uint8(float64(c1.G)*(1-t) + float64(c2.G)*t),
				B: uint8(float64(c1.B)*(1-t) + float64(c2.B)*t),
				A: 255,
			}
			if y > h/3 && y < h/2 {
				c = band
			}
			if fade {
				c.A = uint8(255 * x / (w - 1))
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeJPEG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// decodeDataURI decodes a data:image/png;base64 URI.
func decodeDataURI(t *testing.T, uri string) (image.Image, int) {
	t.Helper()
	b64, ok := strings.CutPrefix(uri, "data:image/png;base64,")
	if !ok {
		t.Fatalf("placeholder %.40q… is not a data:image/png;base64 URI", uri)
	}
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("placeholder base64: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("placeholder PNG: %v", err)
	}
	return img, len(data)
}

func TestPlaceholder(t *testing.T) {
	ctx := context.Background()
	orange := color.NRGBA{230, 120, 40, 255}
	teal := color.NRGBA{20, 140, 150, 255}
	cream := color.NRGBA{240, 230, 200, 255}
	tests := map[string]struct {
		img   *image.NRGBA
		jpeg  bool
		alpha bool
	}{
		"landscape png":     {img: photo(300, 200, orange, teal, cream, false)},
		"portrait jpeg":     {img: photo(120, 360, teal, cream, orange, false), jpeg: true},
		"square dark":       {img: photo(64, 64, color.NRGBA{10, 10, 30, 255}, color.NRGBA{60, 20, 20, 255}, color.NRGBA{0, 0, 0, 255}, false)},
		"tiny":              {img: photo(3, 2, orange, teal, cream, false)},
		"transparent fades": {img: photo(160, 100, orange, teal, cream, true), alpha: true},
	}
	src := store.Memory()
	b, err := New(WithSource(src))
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			data := encodePNG(t, tc.img)
			if tc.jpeg {
				data = encodeJPEG(t, tc.img)
			}
			key := "photos/" + name
			if err := src.Put(ctx, key, bytes.NewReader(data), store.PutOptions{}); err != nil {
				t.Fatal(err)
			}
			uri, err := b.Placeholder(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			img, size := decodeDataURI(t, string(uri))
			w, h := img.Bounds().Dx(), img.Bounds().Dy()
			if w > 32 || h > 32 || size > 2048 {
				t.Errorf("placeholder is %dx%d, %d bytes: want at most 32×32 and 2 KB", w, h, size)
			}
			// ThumbHash keeps the aspect ratio roughly.
			srcAR := float64(tc.img.Rect.Dx()) / float64(tc.img.Rect.Dy())
			if ar := float64(w) / float64(h); math.Abs(math.Log(ar/srcAR)) > 0.35 {
				t.Errorf("placeholder aspect %dx%d = %.2f, source %.2f", w, h, ar, srcAR)
			}
			wr, wg, wb, wa := meanColor(tc.img)
			gr, gg, gb, ga := meanColor(img)
			const tol = 14
			if math.Abs(gr-wr) > tol || math.Abs(gg-wg) > tol || math.Abs(gb-wb) > tol {
				t.Errorf("placeholder mean colour (%.0f, %.0f, %.0f), source (%.0f, %.0f, %.0f): want within %d",
					gr, gg, gb, wr, wg, wb, tol)
			}
			if math.Abs(ga-wa) > 20 {
				t.Errorf("placeholder mean alpha %.0f, source %.0f", ga, wa)
			}
			if tc.alpha == (ga > 254) {
				t.Errorf("placeholder mean alpha %.0f: transparency not kept (source has it: %v)", ga, tc.alpha)
			}
			t.Logf("%dx%d, %d bytes, mean (%.0f,%.0f,%.0f,%.0f) source (%.0f,%.0f,%.0f,%.0f)", w, h, size, gr, gg, gb, ga, wr, wg, wb, wa)

			hash, err := b.ThumbHash(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			if raw, err := base64.StdEncoding.DecodeString(hash); err != nil || len(raw) < 5 || len(raw) > 40 {
				t.Errorf("ThumbHash = %q (%d bytes, %v): want 5 to 40 bytes of base64", hash, len(raw), err)
			}
		})
	}
}

func TestPlaceholderCache(t *testing.T) {
	ctx := context.Background()
	mem := store.Memory()
	src := &countingStore{Store: mem}
	put := func(c color.NRGBA) {
		t.Helper()
		if err := mem.Put(ctx, "a.png", bytes.NewReader(encodePNG(t, photo(40, 30, c, c, c, false))), store.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	put(color.NRGBA{200, 0, 0, 255})
	b, err := New(WithSource(src), WithPlaceholderCache(8))
	if err != nil {
		t.Fatal(err)
	}
	first, err := b.Placeholder(ctx, "/a.png")
	if err != nil {
		t.Fatal(err)
	}
	if again, err := b.Placeholder(ctx, "a.png"); err != nil || again != first {
		t.Errorf("second Placeholder = %.30q…, %v: want the first", again, err)
	}
	if _, err := b.ThumbHash(ctx, "a.png"); err != nil {
		t.Fatal(err)
	}
	if n := src.opens.Load(); n != 1 {
		t.Errorf("source opened %d times for one image, want 1", n)
	}

	// A new version is read again, and gets its own placeholder.
	put(color.NRGBA{0, 0, 200, 255})
	blue, err := b.Placeholder(ctx, "a.png")
	if err != nil {
		t.Fatal(err)
	}
	if blue == first {
		t.Errorf("placeholder unchanged after the image changed")
	}
	img, _ := decodeDataURI(t, string(blue))
	if r, _, bl, _ := meanColor(img); bl < 150 || r > 50 {
		t.Errorf("placeholder of the blue image has mean red %.0f, blue %.0f", r, bl)
	}
	if n := src.opens.Load(); n != 2 {
		t.Errorf("source opened %d times for two versions, want 2", n)
	}

	// Concurrent calls for a new image read it once.
	put(color.NRGBA{0, 200, 0, 255})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := b.Placeholder(ctx, "a.png"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := src.opens.Load(); n != 3 {
		t.Errorf("source opened %d times after 8 concurrent calls for one version, want 3", n)
	}

	// Without a cache, every call reads.
	nocache, err := New(WithSource(src), WithPlaceholderCache(0))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := nocache.Placeholder(ctx, "a.png"); err != nil {
			t.Fatal(err)
		}
	}
	if n := src.opens.Load(); n != 5 {
		t.Errorf("source opened %d times, want 5", n)
	}
}

func TestPlaceholderErrors(t *testing.T) {
	ctx := context.Background()
	src := store.Memory()
	if err := src.Put(ctx, "text.png", strings.NewReader("not an image"), store.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := src.Put(ctx, "big.png", bytes.NewReader(encodePNG(t, photo(300, 200, color.NRGBA{A: 255}, color.NRGBA{A: 255}, color.NRGBA{A: 255}, false))), store.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	b, err := New(WithSource(src))
	if err != nil {
		t.Fatal(err)
	}
	limited, err := New(WithSource(src), WithPlaceholderLimits(1<<20, 10_000))
	if err != nil {
		t.Fatal(err)
	}
	tiny, err := New(WithSource(src), WithPlaceholderLimits(100, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	none, err := New()
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	tests := map[string]struct {
		b      *Builder
		ctx    context.Context
		path   string
		target error
	}{
		"no source":       {none, ctx, "big.png", ErrNoSource},
		"missing":         {b, ctx, "missing.png", store.ErrNotExist},
		"invalid path":    {b, ctx, "../x.png", store.ErrInvalidKey},
		"not an image":    {b, ctx, "text.png", pipeline.ErrUnknownFormat},
		"too many pixels": {limited, ctx, "big.png", pipeline.ErrSourceTooLarge},
		"too many bytes":  {tiny, ctx, "big.png", pipeline.ErrSourceTooLarge},
		"cancelled":       {b, cancelled, "big.png", context.Canceled},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := tc.b.Placeholder(tc.ctx, tc.path)
			if !errors.Is(err, tc.target) {
				t.Errorf("Placeholder(%q) = %.30q, %v: want an error matching %v", tc.path, got, err, tc.target)
			}
			if _, err := tc.b.ThumbHash(tc.ctx, tc.path); !errors.Is(err, tc.target) {
				t.Errorf("ThumbHash(%q) error %v, want one matching %v", tc.path, err, tc.target)
			}
		})
	}
}

func TestPlaceholderURL(t *testing.T) {
	ctx := context.Background()
	src := store.Memory()
	if err := src.Put(ctx, "photos/cat.png", bytes.NewReader(encodePNG(t, photo(400, 300, color.NRGBA{200, 100, 50, 255}, color.NRGBA{50, 100, 200, 255}, color.NRGBA{255, 255, 255, 255}, false))), store.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	h, err := middleware.New(src, middleware.WithAVIFWarmUp(false), middleware.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		o          Image
		want       string
		wantW, wnH int
	}{
		"plain":      {Image{Width: 400}, "/img/tr:w-32,c-at_max,bl-3,q-30/photos/cat.png", 32, 24},
		"with steps": {Image{Steps: []pipeline.Step{{Width: pipeline.Dimension{Pixels: 200}, Height: pipeline.Dimension{Pixels: 200}}}}, "/img/tr:w-200,h-200:w-32,c-at_max,bl-3,q-30/photos/cat.png", 32, 32},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := b.PlaceholderURL("photos/cat.png", tc.o)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("PlaceholderURL = %s, want %s", got, tc.want)
			}
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, got, nil)
			req.Header.Set("Accept", "image/webp")
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s = %d %s", got, rec.Code, rec.Body)
			}
			t.Logf("%s: %d bytes of %s", got, rec.Body.Len(), rec.Header().Get("Content-Type"))
			if n := rec.Body.Len(); n > 2048 {
				t.Errorf("placeholder image is %d bytes, want at most 2 KB", n)
			}
			res, err := pipeline.Process(ctx, rec.Body.Bytes(), pipeline.Chain{{Format: pipeline.FormatPNG}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Width != tc.wantW || res.Height != tc.wnH {
				t.Errorf("placeholder image %dx%d, want %dx%d", res.Width, res.Height, tc.wantW, tc.wnH)
			}
		})
	}
	if got, err := b.PlaceholderURL("a.png", Image{Steps: []pipeline.Step{{Quality: 300}}}); err == nil {
		t.Errorf("PlaceholderURL with a bad step = %s, want an error", got)
	}
	if got, err := b.PlaceholderURL("", Image{}); err == nil {
		t.Errorf("PlaceholderURL of an empty path = %s, want an error", got)
	}
}

// TestPlaceholderCorpus computes the placeholders of real photographs and
// images with transparency from the shared corpus (skipped without it) and
// compares their mean colour and orientation with the source's, decoded by
// the pipeline (EXIF orientation and colour profile applied).
func TestPlaceholderCorpus(t *testing.T) {
	ctx := context.Background()
	names := []string{
		"jpeg-photo-1920x1080.jpg",
		"exif-Portrait_6.jpg",
		"jpeg-progressive-adobergb-1900x1263.jpg",
		"png-rgba-320x240.png",
		"webp-lossy-alpha-300x300.webp",
		"gif-animated-121x128.gif",
	}
	src := store.Memory()
	b, err := New(WithSource(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			data := testcorpus.Read(t, name)
			if err := src.Put(ctx, name, bytes.NewReader(data), store.PutOptions{}); err != nil {
				t.Fatal(err)
			}
			uri, err := b.Placeholder(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			got, size := decodeDataURI(t, string(uri))
			ref, err := pipeline.Process(ctx, data, pipeline.Chain{{Width: pipeline.Dimension{Pixels: 400}, Height: pipeline.Dimension{Pixels: 400}, Crop: pipeline.CropAtMax, Format: pipeline.FormatPNG}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			want, err := png.Decode(bytes.NewReader(ref.Bytes))
			if err != nil {
				t.Fatal(err)
			}
			wr, wg, wb, wa := meanColor(want)
			gr, gg, gb, ga := meanColor(got)
			if d := max(math.Abs(gr-wr), math.Abs(gg-wg), math.Abs(gb-wb)); d > 16 || math.Abs(ga-wa) > 24 {
				t.Errorf("mean (%.0f,%.0f,%.0f,%.0f), source (%.0f,%.0f,%.0f,%.0f)", gr, gg, gb, ga, wr, wg, wb, wa)
			}
			gw, gh := got.Bounds().Dx(), got.Bounds().Dy()
			if (gw > gh) != (ref.Width > ref.Height) && gw != gh && ref.Width != ref.Height {
				t.Errorf("placeholder %dx%d, source %dx%d: orientation differs", gw, gh, ref.Width, ref.Height)
			}
			t.Logf("%dx%d, %d bytes; mean (%.0f,%.0f,%.0f,%.0f), source %dx%d (%.0f,%.0f,%.0f,%.0f)", gw, gh, size, gr, gg, gb, ga, ref.Width, ref.Height, wr, wg, wb, wa)
		})
	}
}
