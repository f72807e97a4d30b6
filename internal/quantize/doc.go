// Package quantize reduces images to a palette of at most 256 colours, for
// GIF and palette PNG output.
//
// [Palette] chooses the colours with Xiaolin Wu's variance-minimising
// quantizer ("Efficient statistical computations for optimal color
// quantization", Graphics Gems II, 1991) on a 32×32×32 histogram, then
// refines them with a few rounds of k-means (Lloyd) over the histogram
// cells. An image with no more distinct colours than asked for keeps them
// exactly. [Map] finds the nearest palette colour of a pixel (squared
// Euclidean distance in RGB) with a search pruned along the green axis and
// a small cache of recent answers, and [Map.Draw] maps a whole image,
// optionally with Floyd–Steinberg error diffusion. [Quantize] does all of
// it in one call. [Exact] returns the exact palette of an image with few
// colours, alpha included, for lossless palette output.
//
// Transparency follows GIF: a pixel whose alpha is below 128 is transparent
// and takes the palette's transparent entry; every other pixel is treated
// as opaque and matched by its red, green and blue only.
//
// Functions are safe for concurrent use. A [Quantizer] or a [Map] keeps
// scratch memory between calls and must not be used by two goroutines at
// once.
package quantize
