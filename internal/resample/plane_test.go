package resample

import (
	"bytes"
	"fmt"
	"image"
	"sync"
	"testing"
)

func TestResizeConcurrent(t *testing.T) {
	srcs := []image.Image{
		decode(t, "jpeg-photo-2000x1333.jpg"),
		noise("nrgba", 300, 200, 7),
		noise("gray", 801, 3, 8),
	}
	sizes := []image.Point{{200, 133}, {71, 53}, {640, 401}, {13, 200}}
	type job struct {
		src  image.Image
		size image.Point
		want []byte
	}
	var jobs []job
	for _, src := range srcs {
		for _, sz := range sizes {
			m, err := Resize(src, src.Bounds(), sz.X, sz.Y)
			if err != nil {
				t.Fatal(err)
			}
			jobs = append(jobs, job{src, sz, pixBytes(m)})
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8*len(jobs))
	for g := range 8 {
		wg.Go(func() {
			for i := range jobs {
				j := jobs[(i+g)%len(jobs)]
				m, err := Resize(j.src, j.src.Bounds(), j.size.X, j.size.Y)
				if err != nil {
					errs <- err
					return
				}
				if !bytes.Equal(pixBytes(m), j.want) {
					errs <- fmt.Errorf("%T to %v: concurrent result differs", j.src, j.size)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// pixBytes returns all the samples of an image produced by Resize.
func pixBytes(m image.Image) []byte {
	switch m := m.(type) {
	case *image.Gray:
		return m.Pix
	case *image.RGBA:
		return m.Pix
	case *image.NRGBA:
		return m.Pix
	case *image.YCbCr:
		return bytes.Join([][]byte{m.Y, m.Cb, m.Cr}, nil)
	}
	panic(fmt.Sprintf("unexpected %T", m))
}

func TestResizeAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	photo := decode(t, "jpeg-photo-1920x1080.jpg")
	nrgba := toNRGBA(photo)
	tests := []struct {
		name string
		src  image.Image
		max  float64
	}{
		{"ycbcr", photo, 30},
		{"nrgba", nrgba, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.src.Bounds()
			allocs := testing.AllocsPerRun(5, func() {
				if _, err := Resize(tt.src, b, 300, 169); err != nil {
					t.Fatal(err)
				}
			})
			t.Logf("%.0f allocations per call", allocs)
			if allocs > tt.max {
				t.Errorf("%.0f allocations per call, want at most %.0f", allocs, tt.max)
			}
		})
	}
}

// TestPackedMatchesUnpacked checks that filtering two samples at once in one
// integer gives exactly the results of filtering them one by one.
func TestPackedMatchesUnpacked(t *testing.T) {
	photo := decode(t, "jpeg-photo-2000x1333.jpg").(*image.YCbCr)
	b := image.Rect(500, 300, 1100, 700)
	photo = photo.SubImage(b).(*image.YCbCr)
	rgba := toRGBA(photo)
	rgba.Rect = b
	for _, c := range []struct {
		name   string
		nc     int
		pix    []uint8
		stride int
		fin    finisher
		premul bool
	}{
		{"gray", 1, photo.Y, photo.YStride, finishPlain, false},
		{"rgba", 4, rgba.Pix, rgba.Stride, finishRGBA, false},
		{"nrgba", 4, rgba.Pix, rgba.Stride, finishNRGBA, true},
	} {
		// Shrinking, some by enough for a box pre-shrink, enlarging, and
		// changing the aspect ratio, so that both pass orders run.
		orders := map[bool]bool{}
		for _, sz := range []image.Point{{60, 40}, {29, 19}, {599, 399}, {900, 600}, {300, 15}, {15, 300}, {600, 40}, {599, 15}, {7, 90}} {
			t.Run(fmt.Sprintf("%s/%v", c.name, sz), func(t *testing.T) {
				var out [2][]uint8
				for i, packable := range []bool{true, false} {
					out[i] = make([]uint8, sz.X*sz.Y*c.nc)
					j := newJob([]plane{{c.pix, c.stride, b.Dx(), b.Dy(), c.nc}},
						[]plane{{out[i], sz.X * c.nc, sz.X, sz.Y, c.nc}}, b.Min, b, sz.X, sz.Y, 1, 1, c.fin, c.premul)
					if !j.x.packable {
						t.Fatal("table not packable")
					}
					j.x.packable = packable
					j.run()
					orders[j.hfirst] = true
				}
				if !bytes.Equal(out[0], out[1]) {
					t.Error("packed and unpacked results differ")
				}
			})
		}
		if !orders[true] || !orders[false] {
			t.Errorf("%s: pass orders run: %v, want both", c.name, orders)
		}
	}
}
