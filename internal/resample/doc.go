// Package resample scales images with a separable, area-correct Lanczos3
// filter, working directly on the pixel buffers of the standard library's
// image types.
//
// [Resize] accepts *image.YCbCr (every subsample ratio), *image.Gray,
// *image.RGBA and *image.NRGBA and returns an image of the same concrete
// type:
//
//	dst, err := resample.Resize(src, src.Bounds(), 400, 300)
//
// # Filter
//
// Each output sample is a weighted sum of source samples under a Lanczos
// kernel with three lobes (a = 3). When shrinking by a factor s > 1 the kernel
// is stretched by s, so that every source pixel contributes in proportion to
// the area it covers; when enlarging, the kernel keeps its natural width of
// three source samples either side. Pixel centres sit at half-integer
// coordinates, so a scale of 1/2 averages pairs of pixels symmetrically. At the
// edges of the source image the kernel is truncated and its weights are
// renormalised over the samples that exist.
//
// The weights of each axis are computed once per call, normalised to sum to
// exactly one in 14-bit fixed point, and applied with 64-bit integer
// accumulation. The intermediate rows between the horizontal and the vertical
// pass keep 8 fractional bits and are not clamped, so the ringing of the first
// pass is not cut off before the second pass sees it; only the final values
// are rounded and clamped to 0..255. A constant image therefore stays exactly
// constant, whatever the size change.
//
// # Large reductions
//
// For shrink factors of 12 and more, the source is first reduced by an
// integer factor k with a box filter (the mean of k×k blocks), chosen so that
// the Lanczos stage still shrinks by 6 or more. The box is folded into the
// first filter pass: each row of block means is computed as the pass consumes
// it and is never stored as an image. The Lanczos weights of such an axis are
// the sums of the exact weights over the pixels of each block, so the result
// differs from the exact filter only by the variation of the kernel inside a
// block. (Allowing the Lanczos stage to shrink by as little as 3 would be
// faster but measurably less accurate.)
//
// # Colour
//
// The planes of an *image.YCbCr are scaled separately; the chroma planes are
// scaled to the chroma size of the output with the same subsample ratio, and
// the crop window is mapped into chroma coordinates with sub-pixel precision
// (chroma samples are taken to sit at the centre of the luma pixels they
// cover, as in JFIF). Straight-alpha *image.NRGBA pixels are premultiplied
// while they are read and divided by alpha when written, so the colour of
// transparent pixels never bleeds into visible ones; an opaque NRGBA image
// gives exactly the same pixels as the same image held in an *image.RGBA.
//
// # Work and memory
//
// Of the two pass orders, the one that applies fewer weights runs. The
// horizontal pass multiplies two samples at once, packed in the halves of a
// 64-bit integer. The output rows are shared out in a few chunks among at most
// GOMAXPROCS goroutines; each streams through the source rows its chunk needs,
// keeping only the window of filtered rows the vertical pass reads, so memory
// does not grow with the size of the source. Buffers are recycled between
// calls, and a call allocates little beyond its result.
package resample
