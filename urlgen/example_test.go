package urlgen_test

import (
	"fmt"
	"html/template"
	"log"
	"os"

	"github.com/imgcdn/imgcdn/pipeline"
	"github.com/imgcdn/imgcdn/urlgen"
)

// A page template using the Builder's functions. img and picture take the
// image's display size and attributes as key=value arguments; tr adds
// transformation steps in the URL grammar; imgURL takes transformations.
func Example() {
	b, err := urlgen.New(
		urlgen.WithEndpoint("https://cdn.example.com/img"),
		// Few breakpoints, to keep the output short; the defaults are
		// those of Next.js.
		urlgen.WithBreakpoints([]int{640, 1280}, []int{320}),
	)
	if err != nil {
		log.Fatal(err)
	}
	page := template.Must(template.New("page").Funcs(b.FuncMap()).Parse(
		`<a href="{{imgURL .Photo "w-1600,c-at_max"}}">{{img .Photo "w=300" "h=200" "alt=A cat & a mouse" "class=thumb"}}</a>
{{picture .Hero "w=800" "tr=w-1600,h-900,fo-auto" "sizes=(max-width: 768px) 100vw, 50vw" "alt=Hero" "priority=true"}}
<div style="background-image: url({{placeholderURL .Photo}})"></div>
`))
	data := map[string]string{"Photo": "photos/cat.jpg", "Hero": "home/hero image.jpg"}
	if err := page.Execute(os.Stdout, data); err != nil {
		log.Fatal(err)
	}
	// Output:
	// <a href="https://cdn.example.com/img/tr:w-1600,c-at_max/photos/cat.jpg"><img src="https://cdn.example.com/img/tr:w-640,c-at_max/photos/cat.jpg" srcset="https://cdn.example.com/img/tr:w-320,c-at_max/photos/cat.jpg 1x, https://cdn.example.com/img/tr:w-640,c-at_max/photos/cat.jpg 2x" width="300" height="200" alt="A cat &amp; a mouse" class="thumb" loading="lazy" decoding="async"></a>
	// <picture><source type="image/avif" srcset="https://cdn.example.com/img/tr:w-1600,h-900,fo-auto:w-320,c-at_max,f-avif/home/hero%20image.jpg 320w, https://cdn.example.com/img/tr:w-1600,h-900,fo-auto:w-640,c-at_max,f-avif/home/hero%20image.jpg 640w, https://cdn.example.com/img/tr:w-1600,h-900,fo-auto:w-1280,c-at_max,f-avif/home/hero%20image.jpg 1280w" sizes="(max-width: 768px) 100vw, 50vw"><source type="image/webp" srcset="https://cdn.example.com/img/tr:w-1600,h-900,fo-auto:w-320,c-at_max,f-webp/home/hero%20image.jpg 320w, https://cdn.example.com/img/tr:w-1600,h-900,fo-auto:w-640,c-at_max,f-webp/home/hero%20image.jpg 640w, https://cdn.example.com/img/tr:w-1600,h-900,fo-auto:w-1280,c-at_max,f-webp/home/hero%20image.jpg 1280w" sizes="(max-width: 768px) 100vw, 50vw"><img src="https://cdn.example.com/img/tr:w-1600,h-900,fo-auto:w-1280,c-at_max/home/hero%20image.jpg" srcset="https://cdn.example.com/img/tr:w-1600,h-900,fo-auto:w-320,c-at_max/home/hero%20image.jpg 320w, https://cdn.example.com/img/tr:w-1600,h-900,fo-auto:w-640,c-at_max/home/hero%20image.jpg 640w, https://cdn.example.com/img/tr:w-1600,h-900,fo-auto:w-1280,c-at_max/home/hero%20image.jpg 1280w" sizes="(max-width: 768px) 100vw, 50vw" width="800" height="450" alt="Hero" loading="eager" decoding="async" fetchpriority="high"></picture>
	// <div style="background-image: url(https://cdn.example.com/img/tr:w-32,c-at_max,bl-3,q-30/photos/cat.jpg)"></div>
}

// Signed URLs carry ik-s, the signature the middleware verifies with the
// same key, and ik-t when they expire.
func ExampleBuilder_URL() {
	b, err := urlgen.New(urlgen.WithSigningKey("dummy-key"))
	if err != nil {
		log.Fatal(err)
	}
	u, err := b.URL("photos/my cat.jpg",
		pipeline.Step{Width: pipeline.Dimension{Pixels: 400}, Height: pipeline.Dimension{Pixels: 300}, Focus: pipeline.FocusAuto},
		pipeline.Step{Rotate: 90},
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u)
	// Output:
	// /img/tr:w-400,h-300,fo-auto:rt-90/photos/my%20cat.jpg?ik-s=f22e6ab18f4d9ec02d42762805fa841a985d1536
}

// A fixed-width image gets 1x and 2x candidates, the breakpoints at or
// above its width and twice its width, as in Next.js; a sizes attribute
// gets w candidates from the smallest vw it names.
func ExampleBuilder_Srcset() {
	b, err := urlgen.New()
	if err != nil {
		log.Fatal(err)
	}
	fixed, err := b.Srcset("cat.jpg", urlgen.Image{Width: 400})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fixed)
	fluid := urlgen.Image{Sizes: "(max-width: 768px) 100vw, 33vw"}
	set, err := b.Srcset("cat.jpg", fluid)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(set)
	fmt.Println(b.Sizes(fluid))
	// Output:
	// /img/tr:w-640,c-at_max/cat.jpg 1x, /img/tr:w-828,c-at_max/cat.jpg 2x
	// /img/tr:w-256,c-at_max/cat.jpg 256w, /img/tr:w-384,c-at_max/cat.jpg 384w, /img/tr:w-640,c-at_max/cat.jpg 640w, /img/tr:w-750,c-at_max/cat.jpg 750w, /img/tr:w-828,c-at_max/cat.jpg 828w, /img/tr:w-1080,c-at_max/cat.jpg 1080w, /img/tr:w-1200,c-at_max/cat.jpg 1200w, /img/tr:w-1920,c-at_max/cat.jpg 1920w, /img/tr:w-2048,c-at_max/cat.jpg 2048w, /img/tr:w-3840,c-at_max/cat.jpg 3840w
	// (max-width: 768px) 100vw, 33vw
}
