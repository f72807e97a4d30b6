// Package effect holds the image effects of the URL API: blur (bl-),
// sharpen (e-sharpen), unsharp mask (e-usm), contrast stretch (e-contrast),
// grayscale (e-grayscale), rotation by any angle (rt-), rounded corners and
// ellipses (r-), borders (b-), padding, flattening onto a background (bg-)
// and trimming of uniform borders (t-).
//
// Every effect is a plain function on [*image.NRGBA] (8-bit, straight alpha)
// that returns a new image whose bounds start at (0, 0) and never modifies
// its input, so effects chain naturally and are safe for concurrent use:
//
//	img = effect.Blur(img, 10)                         // bl-10
//	img = effect.Sharpen(img, 0)                       // e-sharpen
//	img = effect.Rotate(img, 30, color.NRGBA{})        // rt-30, transparent corners
//	img = effect.Round(img, 20, 20, 20, 20)            // r-20
//	img = effect.Flatten(img, color.NRGBA{A: 255})     // onto black for JPEG
//
// Filters that mix neighbouring pixels (Blur, Sharpen, UnsharpMask, Rotate)
// work on premultiplied colour, so the colour hidden under transparent pixels
// never bleeds into visible ones. Heavy effects split their rows (or column
// strips) across GOMAXPROCS goroutines and touch pixel slices directly.
//
// Sizes are not limited here: callers bound border widths, canvas sizes and
// input dimensions before calling.
package effect
