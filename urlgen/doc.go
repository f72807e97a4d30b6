// Package urlgen builds the URLs and the markup of the images that the
// middleware serves: URLs for a path and typed transformation steps,
// srcset and sizes attributes for responsive images, <img> and <picture>
// elements, low-quality and inline (ThumbHash) placeholders, and the
// functions that make all of these available to html/template.
//
// URLs use the grammar and canonical form of the pipeline package
// ([pipeline.Chain.String]) and are signed with the algorithm of the
// middleware and of ImageKit's SDKs, so every URL a [Builder] makes parses
// in the middleware to the same transformation and verifies with the same
// key:
//
//	b, err := urlgen.New(
//		urlgen.WithEndpoint("https://cdn.example.com/img"), // where the middleware is mounted
//		urlgen.WithSigningKey(key),
//	)
//	u, err := b.URL("photos/cat.jpg", pipeline.Step{Width: pipeline.Dimension{Pixels: 400}})
//	// https://cdn.example.com/img/tr:w-400/photos/cat.jpg?ik-s=…
//
// Responsive images choose their candidate widths exactly as Next.js and
// ImageKit's SDKs do (see [Builder.Srcset]); each candidate scales with
// c-at_max, so no image is ever enlarged:
//
//	html, err := b.Picture("photos/cat.jpg", urlgen.Image{
//		Width: 800, Height: 600, Sizes: "(max-width: 768px) 100vw, 50vw", Alt: "A cat",
//	})
//
// In templates, [Builder.FuncMap] gives imgURL, srcset, sizes, img,
// picture, placeholderURL and placeholder:
//
//	{{picture "photos/cat.jpg" "w=800" "h=600" "sizes=(max-width: 768px) 100vw, 50vw" "alt=A cat"}}
//
// A Builder is configured once, by [New], and is then safe for concurrent
// use; the package keeps no mutable global state.
package urlgen
