package resample

import (
	"image"
	"testing"

	"github.com/disintegration/imaging"
	xdraw "golang.org/x/image/draw"
)

// TestQualityAgainstOthers scales the 24-megapixel photograph to 400×600 with
// Resize, golang.org/x/image/draw's CatmullRom and disintegration/imaging's
// Lanczos, all from the same RGB image, and requires Resize to be at least as
// close to the exact Lanczos3 reference as the others.
func TestQualityAgainstOthers(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes a 24-megapixel photograph and computes its exact reference")
	}
	photo := decode(t, "jpeg-photo-24mp-4000x6000.jpg")
	src := toNRGBA(photo)
	b := src.Rect
	const w, h = 400, 600
	ref := refResize(src, b, w, h)

	ours, err := Resize(src, b, w, h)
	if err != nil {
		t.Fatal(err)
	}
	o := ours.(*image.NRGBA)
	oursPSNR := psnr(o.Pix, o.Stride, ref, 3)

	cr := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.CatmullRom.Scale(cr, cr.Rect, src, b, xdraw.Src, nil)
	crPSNR := psnr(cr.Pix, cr.Stride, ref, 3)

	im := imaging.Resize(src, w, 0, imaging.Lanczos)
	if im.Rect.Dy() != h {
		t.Fatalf("imaging.Resize height = %d, want %d", im.Rect.Dy(), h)
	}
	imPSNR := psnr(im.Pix, im.Stride, ref, 3)

	// Not compared: the native YCbCr result keeps chroma at half resolution.
	native, err := Resize(photo, photo.Bounds(), w, h)
	if err != nil {
		t.Fatal(err)
	}
	np, ns, _ := pixOf(native)
	nativePSNR := psnr(np, ns, ref, 3)

	t.Logf("PSNR against the exact Lanczos3 reference, 4000×6000 → %d×%d:", w, h)
	t.Logf("  resample.Resize (NRGBA)       %.2f dB", oursPSNR)
	t.Logf("  x/image/draw CatmullRom       %.2f dB", crPSNR)
	t.Logf("  imaging.Resize Lanczos        %.2f dB", imPSNR)
	t.Logf("  resample.Resize (YCbCr 4:2:0) %.2f dB (chroma at half resolution)", nativePSNR)
	const margin = 0.1
	if oursPSNR < crPSNR-margin {
		t.Errorf("Resize PSNR %.2f dB < CatmullRom %.2f dB", oursPSNR, crPSNR)
	}
	if oursPSNR < imPSNR-margin {
		t.Errorf("Resize PSNR %.2f dB < imaging %.2f dB", oursPSNR, imPSNR)
	}
}
