// Command samplegen draws the sample images that examples/basic embeds:
// procedural pictures, so the examples ship no third-party images.
//
//	go run ./internal/samplegen -out basic/images
package main

import (
	"flag"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
)

func main() {
	out := flag.String("out", "basic/images", "output folder")
	flag.Parse()
	write(filepath.Join(*out, "landscape.jpg"), landscape(1600, 1067), true)
	write(filepath.Join(*out, "badge.png"), badge(800), false)
	write(filepath.Join(*out, "tower.jpg"), tower(900, 1400), true)
}

func write(path string, img image.Image, asJPEG bool) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if asJPEG {
		err = jpeg.Encode(f, img, &jpeg.Options{Quality: 85})
	} else {
		err = png.Encode(f, img)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		log.Fatal(err)
	}
}

func mix(a, b float64, t float64) float64 { return a + (b-a)*math.Max(0, math.Min(1, t)) }

// landscape draws a sunset over rolling hills with a little grain.
func landscape(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	sx, sy, sr := 0.68*float64(w), 0.42*float64(h), 0.07*float64(h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x), float64(y)
			t := fy / float64(h)
			r, g, b := mix(40, 255, t*1.6), mix(60, 150, t*1.4), mix(140, 90, t)
			if d := math.Hypot(fx-sx, fy-sy); d < sr {
				r, g, b = 255, 220, 120
			} else if d < 3*sr {
				k := (3*sr - d) / (2 * sr)
				r, g, b = mix(r, 255, k*0.6), mix(g, 200, k*0.5), mix(b, 120, k*0.3)
			}
			for i, layer := range []float64{0.55, 0.68, 0.8} {
				ridge := layer*float64(h) + 40*math.Sin(fx/(170-float64(i)*40)+float64(i)) + 25*math.Sin(fx/57+2*float64(i))
				if fy > ridge {
					shade := 1 - float64(i)*0.25
					r, g, b = 30*shade+float64(i)*10, mix(70, 110, float64(i)/2)*shade, 50*shade
				}
			}
			n := rng.Float64()*12 - 6
			img.SetNRGBA(x, y, color.NRGBA{clamp(r + n), clamp(g + n), clamp(b + n), 255})
		}
	}
	return img
}

// badge draws concentric rings on a transparent background.
func badge(size int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	c := float64(size) / 2
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			d := math.Hypot(float64(x)+0.5-c, float64(y)+0.5-c) / c
			if d > 1 {
				continue
			}
			a := clamp((1 - d) * float64(size)) // anti-aliased rim
			ring := int(d * 6)
			cols := [][3]float64{{255, 200, 40}, {230, 60, 60}, {250, 250, 250}, {40, 120, 220}, {250, 250, 250}, {30, 30, 60}}
			k := cols[ring%len(cols)]
			ang := math.Atan2(float64(y)-c, float64(x)-c)
			if ring == 0 && math.Mod(ang+math.Pi, math.Pi/4) < math.Pi/8 {
				k = [3]float64{255, 150, 0}
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(k[0]), uint8(k[1]), uint8(k[2]), a})
		}
	}
	return img
}

// tower draws a tall striped tower against a gradient sky: a portrait
// picture for crops and focus.
func tower(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			t := float64(y) / float64(h)
			r, g, b := mix(120, 250, t), mix(170, 230, t), mix(240, 210, t)
			tx := float64(x) - 0.62*float64(w)
			half := 40 + 0.06*float64(y)
			if math.Abs(tx) < half && y > h/6 {
				if (y/60)%2 == 0 {
					r, g, b = 200, 40, 40
				} else {
					r, g, b = 245, 245, 240
				}
				r, g, b = r*(0.8+0.2*tx/half), g*(0.8+0.2*tx/half), b*(0.8+0.2*tx/half)
			}
			if y > h*9/10 {
				r, g, b = 60, 110, 50
			}
			img.SetNRGBA(x, y, color.NRGBA{clamp(r), clamp(g), clamp(b), 255})
		}
	}
	return img
}

func clamp(v float64) uint8 { return uint8(math.Max(0, math.Min(255, math.Round(v)))) }
