package jpegenc

import (
	"image"
	"image/color"
)

// maxBlocks is the most blocks an MCU holds: four luma blocks and one block
// of each chroma component in 4:2:0.
const maxBlocks = 6

// blocks is the sample buffer for one MCU: level-shifted samples (the
// sample value minus 128) in natural order, the blocks of each component in
// raster order, component after component.
type blocks [maxBlocks][64]float32

// A source produces the samples of the MCUs of one image. Samples outside the
// image repeat the nearest edge pixel. Sources only read the image, so one
// source serves several goroutines at once.
type source interface {
	loadMCU(dst *blocks, mx, my int)
}

// sources holds one source of each kind, so that an encoder can reuse them.
type sources struct {
	planar  planarSource
	rgba    rgbaSource
	ycbcr   ycbcrSource
	generic genericSource
}

// newSource returns the source for img, set up in st, and the component
// layout it produces: gray reports a single luma component, otherwise the
// source produces Y, Cb and Cr with chroma subsampled per sub.
func newSource(img image.Image, sub Subsampling, st *sources) (src source, gray bool) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	sub420 := sub == Subsample420
	switch m := img.(type) {
	case *image.Gray:
		p := plane{m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, w, h}
		st.planar = planarSource{n: 1, planes: [3]plane{p}, h: [3]int{1}, v: [3]int{1}}
		return &st.planar, true
	case *image.YCbCr:
		if ycbcrPlanes(&st.planar, m, sub) {
			return &st.planar, false
		}
		st.ycbcr = ycbcrSource{m: m, sub: sub420}
		return &st.ycbcr, false
	case *image.RGBA:
		st.rgba = rgbaSource{m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, w, h, sub420}
		return &st.rgba, false
	case *image.NRGBA:
		st.rgba = rgbaSource{m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, w, h, sub420}
		return &st.rgba, false
	}
	switch img.ColorModel() {
	case color.GrayModel, color.Gray16Model:
		st.generic = genericSource{img: img, gray: true}
		return &st.generic, true
	}
	st.generic = genericSource{img: img, sub: sub420}
	return &st.generic, false
}

// ycbcrPlanes sets s up to read the planes of m as they are and reports
// true, when their layout is the one the output needs.
func ycbcrPlanes(s *planarSource, m *image.YCbCr, sub Subsampling) bool {
	b := m.Rect
	w, h := b.Dx(), b.Dy()
	*s = planarSource{n: 3}
	s.planes[0] = plane{m.Y[m.YOffset(b.Min.X, b.Min.Y):], m.YStride, w, h}
	ci := m.COffset(b.Min.X, b.Min.Y)
	switch {
	case m.SubsampleRatio == image.YCbCrSubsampleRatio444 && sub == Subsample444:
		s.planes[1] = plane{m.Cb[ci:], m.CStride, w, h}
		s.planes[2] = plane{m.Cr[ci:], m.CStride, w, h}
		s.h, s.v = [3]int{1, 1, 1}, [3]int{1, 1, 1}
	case m.SubsampleRatio == image.YCbCrSubsampleRatio420 && sub == Subsample420 &&
		b.Min.X >= 0 && b.Min.Y >= 0 && b.Min.X%2 == 0 && b.Min.Y%2 == 0:
		// With an even origin the chroma samples cover the same 2×2 pixels
		// as JPEG's. (COffset divides negative coordinates rounding toward
		// zero, so at a negative origin they do not.)
		cw, ch := (w+1)/2, (h+1)/2
		s.planes[1] = plane{m.Cb[ci:], m.CStride, cw, ch}
		s.planes[2] = plane{m.Cr[ci:], m.CStride, cw, ch}
		s.h, s.v = [3]int{2, 1, 1}, [3]int{2, 1, 1}
	default:
		*s = planarSource{}
		return false
	}
	return true
}

// plane is one 8-bit sample plane of w×h samples.
type plane struct {
	pix    []byte
	stride int
	w, h   int
}

// loadBlock fills dst with the block whose top-left sample is (x0, y0).
func (p *plane) loadBlock(dst *[64]float32, x0, y0 int) {
	if x0+8 <= p.w && y0+8 <= p.h {
		off := y0*p.stride + x0
		for y := 0; y < 64; y += 8 {
			s := p.pix[off : off+8 : off+8]
			d := dst[y : y+8 : y+8]
			d[0] = float32(int32(s[0]) - 128)
			d[1] = float32(int32(s[1]) - 128)
			d[2] = float32(int32(s[2]) - 128)
			d[3] = float32(int32(s[3]) - 128)
			d[4] = float32(int32(s[4]) - 128)
			d[5] = float32(int32(s[5]) - 128)
			d[6] = float32(int32(s[6]) - 128)
			d[7] = float32(int32(s[7]) - 128)
			off += p.stride
		}
		return
	}
	var xs [8]int
	for i := range xs {
		xs[i] = min(x0+i, p.w-1)
	}
	for y := range 8 {
		row := p.pix[min(y0+y, p.h-1)*p.stride:]
		for x, xi := range xs {
			dst[y*8+x] = float32(int32(row[xi]) - 128)
		}
	}
}

// planarSource reads components that are already separate planes with the
// output's sampling factors.
type planarSource struct {
	n      int
	planes [3]plane
	h, v   [3]int
}

func (s *planarSource) loadMCU(dst *blocks, mx, my int) {
	k := 0
	for c := range s.n {
		for j := range s.v[c] {
			for i := range s.h[c] {
				s.planes[c].loadBlock(&dst[k], (mx*s.h[c]+i)*8, (my*s.v[c]+j)*8)
				k++
			}
		}
	}
}

// The conversion from RGB to YCbCr of JFIF (ITU-T T.871).
const (
	yR, yG, yB    = 0.299, 0.587, 0.114
	cbR, cbG, cbB = -0.168735892, -0.331264108, 0.5
	crR, crG, crB = 0.5, -0.418687589, -0.081312411
)

// rgbaSource reads 8-bit RGB from four bytes per pixel (RGBA or NRGBA),
// ignoring the fourth.
type rgbaSource struct {
	pix    []byte
	stride int
	w, h   int
	sub    bool
}

func (s *rgbaSource) loadMCU(dst *blocks, mx, my int) {
	var xo, yo [16]int
	n := 8
	if s.sub {
		n = 16
	}
	for i := range n {
		xo[i] = min(mx*n+i, s.w-1) * 4
		yo[i] = min(my*n+i, s.h-1) * s.stride
	}
	if s.sub {
		rgbaMCU420(dst, s.pix, &xo, &yo)
	} else {
		rgbaMCU444(dst, s.pix, &xo, &yo)
	}
}

// rgbaMCU444 converts the 8×8 pixels at pix[yo[y]+xo[x]:] into one block
// each of Y, Cb and Cr.
func rgbaMCU444(dst *blocks, pix []byte, xo, yo *[16]int) {
	for y := range 8 {
		row := pix[yo[y]:]
		for x := range 8 {
			p := row[xo[x] : xo[x]+3 : xo[x]+3]
			r, g, b := float32(p[0]), float32(p[1]), float32(p[2])
			i := y*8 + x
			dst[0][i] = round(yR*r+yG*g+yB*b) - 128
			dst[1][i] = round(cbR*r + cbG*g + cbB*b)
			dst[2][i] = round(crR*r + crG*g + crB*b)
		}
	}
}

// round rounds x, which must be above -16384, to the nearest integer.
// Samples are rounded like those of an 8-bit YCbCr image: at high quality
// the transform then reproduces them exactly.
func round(x float32) float32 {
	return float32(int32(x+16384.5) - 16384)
}

// rgbaMCU420 converts the 16×16 pixels at pix[yo[y]+xo[x]:] into four Y
// blocks and one block each of Cb and Cr, every chroma sample taken from the
// mean colour of 2×2 pixels.
func rgbaMCU420(dst *blocks, pix []byte, xo, yo *[16]int) {
	for cy := range 8 {
		r0, r1 := pix[yo[2*cy]:], pix[yo[2*cy+1]:]
		yb := cy / 4 * 2  // first Y block of this row of blocks
		ly := cy % 4 * 16 // offset of the upper row inside it
		for cx := range 8 {
			xa, xb := xo[2*cx], xo[2*cx+1]
			p00 := r0[xa : xa+3 : xa+3]
			p01 := r0[xb : xb+3 : xb+3]
			p10 := r1[xa : xa+3 : xa+3]
			p11 := r1[xb : xb+3 : xb+3]
			ra, ga, ba := float32(p00[0]), float32(p00[1]), float32(p00[2])
			rb, gb, bb := float32(p01[0]), float32(p01[1]), float32(p01[2])
			rc, gc, bc := float32(p10[0]), float32(p10[1]), float32(p10[2])
			rd, gd, bd := float32(p11[0]), float32(p11[1]), float32(p11[2])
			d := &dst[yb+cx/4]
			i := ly + cx%4*2
			d[i] = round(yR*ra+yG*ga+yB*ba) - 128
			d[i+1] = round(yR*rb+yG*gb+yB*bb) - 128
			d[i+8] = round(yR*rc+yG*gc+yB*bc) - 128
			d[i+9] = round(yR*rd+yG*gd+yB*bd) - 128
			r, g, b := ra+rb+rc+rd, ga+gb+gc+gd, ba+bb+bc+bd
			dst[4][cy*8+cx] = round(0.25 * (cbR*r + cbG*g + cbB*b))
			dst[5][cy*8+cx] = round(0.25 * (crR*r + crG*g + crB*b))
		}
	}
}

// ycbcrSource reads an *image.YCbCr whose chroma layout differs from the
// output's, sample by sample through YOffset and COffset.
type ycbcrSource struct {
	m   *image.YCbCr
	sub bool
}

func (s *ycbcrSource) loadMCU(dst *blocks, mx, my int) {
	var yp, cbp, crp [256]byte
	n := 8
	if s.sub {
		n = 16
	}
	b := s.m.Rect
	for j := range n {
		y := min(b.Min.Y+my*n+j, b.Max.Y-1)
		for i := range n {
			x := min(b.Min.X+mx*n+i, b.Max.X-1)
			ci := s.m.COffset(x, y)
			yp[j*16+i] = s.m.Y[s.m.YOffset(x, y)]
			cbp[j*16+i], crp[j*16+i] = s.m.Cb[ci], s.m.Cr[ci]
		}
	}
	full := plane{yp[:], 16, 16, 16}
	if !s.sub {
		full.loadBlock(&dst[0], 0, 0)
		(&plane{cbp[:], 16, 16, 16}).loadBlock(&dst[1], 0, 0)
		(&plane{crp[:], 16, 16, 16}).loadBlock(&dst[2], 0, 0)
		return
	}
	for k := range 4 {
		full.loadBlock(&dst[k], k%2*8, k/2*8)
	}
	for j := range 8 {
		for i := range 8 {
			a, c := j*32+i*2, j*8+i
			dst[4][c] = round(0.25*float32(int32(cbp[a])+int32(cbp[a+1])+int32(cbp[a+16])+int32(cbp[a+17]))) - 128
			dst[5][c] = round(0.25*float32(int32(crp[a])+int32(crp[a+1])+int32(crp[a+16])+int32(crp[a+17]))) - 128
		}
	}
}

// genericSource reads any image through RGBA64At (or At), 16 or 8 pixels
// square at a time, and converts them like rgbaSource. With gray set it
// produces one luma component of the colour's gray value instead.
type genericSource struct {
	img  image.Image
	sub  bool
	gray bool
}

func (s *genericSource) loadMCU(dst *blocks, mx, my int) {
	var buf [16 * 16 * 4]byte
	n := 8
	if s.sub {
		n = 16
	}
	b := s.img.Bounds()
	fast, _ := s.img.(image.RGBA64Image)
	for j := range n {
		y := min(b.Min.Y+my*n+j, b.Max.Y-1)
		for i := range n {
			x := min(b.Min.X+mx*n+i, b.Max.X-1)
			var r, g, bl uint32
			if fast != nil {
				c := fast.RGBA64At(x, y)
				r, g, bl = uint32(c.R), uint32(c.G), uint32(c.B)
			} else {
				r, g, bl, _ = s.img.At(x, y).RGBA()
			}
			p := buf[(j*16+i)*4:]
			if s.gray {
				// The weights of color.GrayModel.
				p[0] = uint8((19595*r + 38470*g + 7471*bl + 1<<15) >> 24)
				continue
			}
			p[0], p[1], p[2] = uint8(r>>8), uint8(g>>8), uint8(bl>>8)
		}
	}
	if s.gray {
		for y := range 8 {
			for x := range 8 {
				dst[0][y*8+x] = float32(int32(buf[(y*16+x)*4]) - 128)
			}
		}
		return
	}
	var xo, yo [16]int
	for i := range 16 {
		xo[i], yo[i] = i*4, i*64
	}
	if s.sub {
		rgbaMCU420(dst, buf[:], &xo, &yo)
	} else {
		rgbaMCU444(dst, buf[:], &xo, &yo)
	}
}
