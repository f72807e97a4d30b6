package jpegenc

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// toRGBA converts m to *image.RGBA with its bounds moved to the origin.
func toRGBA(m image.Image) *image.RGBA {
	b := m.Bounds()
	r := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(r, r.Rect, m, b.Min, draw.Src)
	return r
}

// psnr returns the peak signal-to-noise ratio in dB of b against a over the
// R, G and B channels; identical images give +Inf.
func psnr(a, b image.Image) float64 {
	ra, rb := toRGBA(a), toRGBA(b)
	var se float64
	n := 0
	for i := 0; i < len(ra.Pix); i += 4 {
		for c := range 3 {
			d := float64(ra.Pix[i+c]) - float64(rb.Pix[i+c])
			se += d * d
			n++
		}
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(se/float64(n)))
}

// frame is what a JPEG's frame header says.
type frame struct {
	sof     byte // 0xC0 baseline, 0xC2 progressive
	w, h    int
	comps   []byte // H<<4|V per component
	markers []byte // every marker before SOS in order, SOI included
}

// parseFrame walks the marker segments of a JPEG up to its first scan.
func parseFrame(t *testing.T, data []byte) frame {
	t.Helper()
	var f frame
	if len(data) < 2 || data[0] != 0xff || data[1] != 0xd8 {
		t.Fatalf("no SOI: % X", data[:min(len(data), 4)])
	}
	f.markers = append(f.markers, 0xd8)
	for i := 2; ; {
		if i+4 > len(data) || data[i] != 0xff {
			t.Fatalf("bad marker at %d", i)
		}
		m := data[i+1]
		f.markers = append(f.markers, m)
		n := int(data[i+2])<<8 | int(data[i+3])
		seg := data[i+4 : i+2+n]
		switch m {
		case 0xc0, 0xc1, 0xc2:
			f.sof = m
			f.h = int(seg[1])<<8 | int(seg[2])
			f.w = int(seg[3])<<8 | int(seg[4])
			for c := range int(seg[5]) {
				f.comps = append(f.comps, seg[6+3*c+1])
			}
		case 0xda:
			return f
		}
		i += 2 + n
	}
}

// decode decodes data with image/jpeg.
func decode(t *testing.T, data []byte) image.Image {
	t.Helper()
	m, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("image/jpeg cannot decode the output: %v", err)
	}
	return m
}

// djpeg decodes data with libjpeg's djpeg, failing on any warning. It
// returns nil when djpeg is not installed.
func djpeg(t *testing.T, data []byte) image.Image {
	t.Helper()
	bin, err := exec.LookPath("djpeg")
	if err != nil {
		return nil
	}
	in := filepath.Join(t.TempDir(), "in.jpg")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, "-nosmooth", "-pnm", in)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("djpeg: %v: %s", err, stderr.Bytes())
	}
	m, err := readPNM(stdout.Bytes())
	if err != nil {
		t.Fatalf("djpeg output: %v", err)
	}
	return m
}

// readPNM reads a binary PGM (P5) or PPM (P6) with maxval 255.
func readPNM(data []byte) (image.Image, error) {
	r := bufio.NewReader(bytes.NewReader(data))
	var magic string
	var w, h, maxval int
	if _, err := fmt.Fscan(r, &magic, &w, &h, &maxval); err != nil {
		return nil, err
	}
	if _, err := r.ReadByte(); err != nil { // the single whitespace
		return nil, err
	}
	if maxval != 255 {
		return nil, fmt.Errorf("maxval %d", maxval)
	}
	switch magic {
	case "P5":
		m := image.NewGray(image.Rect(0, 0, w, h))
		if _, err := io.ReadFull(r, m.Pix); err != nil {
			return nil, err
		}
		return m, nil
	case "P6":
		m := image.NewRGBA(image.Rect(0, 0, w, h))
		px := make([]byte, 3*w*h)
		if _, err := io.ReadFull(r, px); err != nil {
			return nil, err
		}
		for i := range w * h {
			copy(m.Pix[4*i:], px[3*i:3*i+3])
			m.Pix[4*i+3] = 0xff
		}
		return m, nil
	}
	return nil, fmt.Errorf("unknown PNM type %q", magic)
}
