// Package icctest gives tests the reference colour conversions of the
// corpus made with LittleCMS (internal/icc/testdata/lcms.json): patches of
// corpus photos with their mean colour as stored and converted to sRGB.
package icctest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Patch is a reference patch: a box in the stored (not yet oriented) pixel
// grid of a corpus file, with its mean colour as stored (Input, RGB or
// CMYK in 0..255 terms) and converted to sRGB by LittleCMS (LCMS).
type Patch struct {
	X, Y, W, H int
	Input      []float64
	LCMS       []float64
}

// Patches returns the reference patches of the corpus file name, failing
// the test when there are none.
func Patches(tb testing.TB, name string) []Patch {
	tb.Helper()
	_, here, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "testdata", "lcms.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var d struct {
		Images []struct {
			File    string
			Patches []Patch
		}
	}
	if err := json.Unmarshal(b, &d); err != nil {
		tb.Fatal(err)
	}
	for _, im := range d.Images {
		if im.File == name {
			return im.Patches
		}
	}
	tb.Fatalf("no reference patches for %s", name)
	return nil
}
