package codec

import (
	"image"
	"io"

	"github.com/deepteams/webp"

	"github.com/imgcdn/imgcdn/internal/raster"
)

// DefaultWebPMethod is the effort [Encode] asks of the WebP encoder, on
// libwebp's scale of 0 (fastest) to 6 (smallest): 3.
//
// Measured with github.com/deepteams/webp v1.2.8 at quality 80 on corpus
// photos scaled to 800 wide (jpeg-photo-1920x1080.jpg to 800×450 and
// jpeg-photo-2000x1333.jpg to 800×533), median of 9 interleaved runs on a
// shared 2-core machine, with PSNR over RGB and SSIM over luma:
//
//	method  800×450: ms   KB    PSNR   SSIM    800×533: ms   KB    PSNR   SSIM
//	0–2              54   64.5  36.59  0.9763           50   55.6  35.60  0.9566
//	3                56   58.7  36.71  0.9788           32   51.3  35.70  0.9586
//	4–6              78   55.8  36.38  0.9752           39   43.9  35.22  0.9427
//
// Methods 0 to 2 give the same bytes, as do 4 to 6: this encoder has two
// effort levels above its fastest. At equal size (interpolating each
// method's curve over qualities 60 to 90) method 4 is ahead by about
// 0.25 dB in RGB PSNR, the two are even in luma PSNR (±0.16 dB), and 3 is
// ahead in SSIM by 0.002 to 0.007; 3 is 20–30% faster, and its fidelity at
// a given quality is closer to that of JPEG at the same quality (our JPEG
// q80: 70.5 KB, 35.24 dB, SSIM 0.9800 on the first photo), so the
// Quality setting means about the same across formats.
//
// The encoder shifts the mean of the blue channel up by +0.3 to +0.6
// levels at quality 80 (+1.3 at quality 50) where libwebp's cwebp shifts
// it by +0.1; dwebp decodes our output to the same pixels as Decode, so
// the shift is the encoder's. UseSharpYUV reduces it only to +0.45 at 3.4
// times the encoding time, and the photo preset to +0.34 at 0.5 dB less
// PSNR, so neither is used.
const DefaultWebPMethod = 3

// encodeWebP writes img as a WebP file with github.com/deepteams/webp:
// lossy VP8 (with an ALPH chunk when some pixel is not opaque) or lossless
// VP8L, and the metadata of o in ICCP, EXIF and XMP chunks. The image is
// converted to *image.NRGBA first: the encoder reads that type directly
// and in parallel, and anything else one pixel at a time through At (the
// conversion halves the time for an *image.YCbCr).
func encodeWebP(w io.Writer, img image.Image, o *EncodeOptions) error {
	opts := webp.DefaultOptions()
	opts.Quality = float32(o.Quality)
	opts.Lossless = o.Lossless
	opts.Method = DefaultWebPMethod
	opts.Exact = false
	if iccSpace(o.ICC) != "GRAY" { // WebP is always colour
		opts.ICC = o.ICC
	}
	opts.EXIF = o.EXIF
	opts.XMP = o.XMP
	return webp.Encode(w, raster.ToNRGBA(img), opts)
}
