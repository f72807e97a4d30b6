package effect

import (
	"image/color"
	"testing"
)

func TestGrayscale(t *testing.T) {
	cases := map[string]struct {
		in   color.NRGBA
		want uint8
	}{
		"red":         {color.NRGBA{255, 0, 0, 255}, 76},
		"green":       {color.NRGBA{0, 255, 0, 255}, 150},
		"blue":        {color.NRGBA{0, 0, 255, 255}, 29},
		"white":       {color.NRGBA{255, 255, 255, 255}, 255},
		"black":       {color.NRGBA{0, 0, 0, 255}, 0},
		"grey":        {color.NRGBA{123, 123, 123, 255}, 123},
		"yellow":      {color.NRGBA{255, 255, 0, 255}, 226},
		"translucent": {color.NRGBA{255, 0, 0, 64}, 76},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			img := uniform(3, 2, tc.in)
			before := snapshot(img)
			got := px(Grayscale(img), 1, 1)
			checkUnmodified(t, img, before)
			want := color.NRGBA{tc.want, tc.want, tc.want, tc.in.A}
			if got != want {
				t.Errorf("Grayscale(%v) = %v, want %v", tc.in, got, want)
			}
		})
	}
}

func TestGrayscalePhoto(t *testing.T) {
	img := corpusImage(t, "jpeg-photo-1920x1080.jpg")
	got := Grayscale(img)
	for y := 0; y < got.Rect.Dy(); y += 7 {
		r, s := row(got, y), row(img, y)
		for i := 0; i < len(r); i += 4 {
			want := (299*int(s[i]) + 587*int(s[i+1]) + 114*int(s[i+2]) + 500) / 1000
			if r[i] != r[i+1] || r[i+1] != r[i+2] || abs(int(r[i])-want) > 1 || r[i+3] != s[i+3] {
				t.Fatalf("Grayscale(photo) pixel %d of row %d = %v, want grey %d", i/4, y, r[i:i+4], want)
			}
		}
	}
}
