package icc

import (
	"image"
	"image/color"
	"math"
	"runtime"
	"sync"
)

// Fixed-point scales of the lookup tables.
const (
	// linOne is linear light 1.0 in the matrix path (Q16).
	linOne = 1 << 16
	// encBits is the index precision of the linear-to-sRGB table: 16385
	// entries, one per 1/16384 of linear light, so one step moves the
	// output by at most 0.2 of an 8-bit level (at black, where the sRGB
	// curve is steepest).
	encBits  = 14
	encSize  = 1<<encBits + 1
	encShift = 16 - encBits
	// tableClamp bounds the entries of the matrix tables so that the sum
	// of three cannot overflow, whatever the profile's colorants.
	tableClamp = 1 << 29
	// fracOne is a whole grid cell in the fixed-point grid fractions.
	fracOne = 1 << 16
	// minParallelPixels is the image size from which conversions are split
	// across goroutines.
	minParallelPixels = 1 << 17
)

// encTable maps linear light in 1/16384 steps to 8-bit sRGB. It is built
// on first use and only read afterwards.
var encTable = sync.OnceValue(func() *[encSize]uint8 {
	var t [encSize]uint8
	for i := range t {
		t[i] = uint8(math.Round(255 * srgbEncode(float64(i)/(encSize-1))))
	}
	return &t
})

// Transform converts pixels described by one profile to sRGB. It is built
// by [Profile.ToSRGB], never changes afterwards and is safe for concurrent
// use (by goroutines converting different images). Building one costs tens of microseconds for matrix/TRC and grey
// profiles and about ten milliseconds for a CMYK table, so callers that
// convert many images with the same profile may keep it.
//
// Each method converts one image type. A method that does not fit the
// profile's colour space (for example [Transform.CMYK] with an RGB
// profile) converts without colour management or leaves the image alone,
// as documented on the method. Every method panics, in the calling
// goroutine, when an image's pixel slices are too short for its Rect, as
// the image package would.
type Transform struct {
	space ColorSpace
	mat   *matrixTables // RGB matrix/TRC
	grid  *gridTables   // LUT-based: RGB (3-D) or CMYK (4-D)
	gray  *[256]uint8   // grey
}

// matrixTables is the matrix/TRC conversion folded into tables: in[c][v]
// holds, for value v of input channel c, its linear-light contribution
// to each sRGB channel (the source curve times a column of the combined
// matrix), so a pixel costs nine lookups, six additions and three lookups
// in enc.
type matrixTables struct {
	in  [3][256][3]int32
	enc *[encSize]uint8
}

// gridAxis places an 8-bit input value in the device-link grid: the
// sample offset of its cell's lower node along that axis and the
// fraction (of fracOne) of the way to the next node.
type gridAxis struct{ off, frac int32 }

// gridTables is a LUT-based conversion resampled as a device link. The
// profile's own input curves are kept as exact per-channel lookups
// (axes); the stages after them (CLUT, output curves) are sampled on a
// regular grid in the connection space, which a pixel interpolates
// tetrahedrally, and for CMYK linearly between two tetrahedral results
// along the first channel, as LittleCMS does. The conversion from the
// connection space to sRGB, clipping and the sRGB curve follow the
// interpolation, per pixel, so none of their curvature or kinks fall
// between nodes.
//
// Where the profile has a CLUT, the grid subdivides the CLUT's own cells
// an integral number of times, so that it reproduces the profile's
// piecewise-linear interpolant exactly and only non-linear output curves
// are approximated between nodes. Samples are linear sRGB (Q16, the
// connection-space matrix applied, unclipped) for an XYZ connection space,
// and for Lab the CIE L*a*b* values f(X/Xn), f(Y/Yn), f(Z/Zn) (Q16), which
// are linear in L*, a* and b*; a pixel then takes the cube (labFinvQ) and
// a matrix to linear sRGB.
type gridTables struct {
	n      int
	lab    bool
	labMat [3][3]int // Q14: linear sRGB from the three labFinvQ values
	axes   [maxLUTInputs][256]gridAxis
	stride [maxLUTInputs]int
	data   []int32 // 3 samples per node
	enc    *[encSize]uint8
}

// Grid sizes: at least gridTarget nodes per axis, at most maxGridNodes
// nodes in all (more and the grid falls back to gridTarget nodes per
// axis, not aligned with the profile's CLUT).
const (
	gridTarget3  = 33
	gridTarget4  = 17
	maxGridNodes = 1 << 18
	// gridSampleMax bounds the magnitude of linear grid samples (256
	// times white), and labSampleMin and labSampleMax those of Lab ones
	// (f from −1 to 3, L* from −132 to 332), so that no arithmetic can
	// overflow.
	gridSampleMax = 1 << 24
	labSampleMin  = -1 << 16
	labSampleMax  = 3 << 16
)

// gridSizes returns the number of nodes per axis of the device-link grid
// for l. With a CLUT, each axis divides the CLUT's intervals into k equal
// parts. The tetrahedral axes (the last three) share one k: the
// tetrahedra of a grid subdivided alike on every axis lie each inside one
// tetrahedron of the coarse grid, so the fine grid reproduces the coarse
// interpolant exactly. k is the smallest that gives every axis at least
// gridTarget nodes, reduced while the grid would exceed maxGridNodes.
func gridSizes(l *lutPipeline) [maxLUTInputs]int {
	n, target := l.nIn, gridTarget3
	if n >= 4 {
		target = gridTarget4
	}
	var g [maxLUTInputs]int
	for d := range n {
		g[d] = target
	}
	c := l.clut
	if c == nil {
		return g
	}
	first := max(n-3, 0) // the axes before it are interpolated linearly
	minIv := 1 << 30
	for d := first; d < n; d++ {
		minIv = min(minIv, c.grid[d]-1)
	}
	for k := (target - 1 + minIv - 1) / minIv; k >= 1; k-- {
		nodes := 1
		for d := range n {
			iv := c.grid[d] - 1
			if d < first {
				g[d] = iv*((target-1+iv-1)/iv) + 1
			} else {
				g[d] = iv*k + 1
			}
			nodes *= g[d]
		}
		if nodes <= maxGridNodes {
			return g
		}
	}
	for d := range n {
		g[d] = target
	}
	return g
}

// ToSRGB returns the transform from the profile's colour space to sRGB,
// relative colorimetric (see the package documentation). The error
// matches [ErrUnsupported] when the profile cannot be converted. ToSRGB
// is safe for concurrent use and returns a new Transform each time.
//
// Matrix/TRC profiles become 8-bit-to-linear tables with the combined
// matrix folded in and a 16385-entry linear-to-sRGB table; grey profiles
// a 256-entry table; LUT-based profiles a device-link grid of at most
// 2¹⁸ nodes (see gridTables in the source), which for CMYK takes about
// 10 ms to compute.
func (p *Profile) ToSRGB() (*Transform, error) {
	if p.model == nil {
		return nil, p.modelErr
	}
	t := &Transform{space: p.space}
	switch m := p.model.(type) {
	case *matrixModel:
		t.mat = newMatrixTables(m)
	case *grayModel:
		t.gray = newGrayTable(m)
	case *lutModel:
		t.grid = newGridTables(m.l)
	}
	return t, nil
}

// ColorSpace returns the colour space the transform converts from: [RGB],
// [Gray] or [CMYK].
func (t *Transform) ColorSpace() ColorSpace { return t.space }

func newMatrixTables(m *matrixModel) *matrixTables {
	total := xyzToSRGB.mul(m.m)
	t := &matrixTables{enc: encTable()}
	for c := range 3 {
		for v := range 256 {
			l := m.trc[c].eval(float64(v) / 255)
			for o := range 3 {
				x := math.Round(total[o][c] * l * linOne)
				if x != x {
					x = 0
				}
				t.in[c][v][o] = int32(max(-tableClamp, min(tableClamp, x)))
			}
		}
	}
	return t
}

func newGrayTable(m *grayModel) *[256]uint8 {
	// A neutral of the PCS white is (1, 1, 1)·Y in linear sRGB, since the
	// sRGB colorants are adapted to that white.
	var t [256]uint8
	for v := range t {
		t[v] = uint8(math.Round(255 * srgbEncode(m.trc.eval(float64(v)/255))))
	}
	return &t
}

func newGridTables(l *lutPipeline) *gridTables {
	n, g := l.nIn, gridSizes(l)
	t := &gridTables{n: n, lab: l.enc != pcsXYZ, enc: encTable()}
	if t.lab {
		for o := range 3 {
			for c := range 3 {
				t.labMat[o][c] = int(math.Round(xyzToSRGB[o][c] * d50[c] * (1 << 14)))
			}
		}
	}
	size := 3
	for i := n - 1; i >= 0; i-- {
		t.stride[i] = size
		size *= g[i]
	}
	t.data = make([]int32, size)
	for c := range n {
		for v := range 256 {
			x := float64(v) / 255
			if l.a != nil {
				x = l.a[c].eval(x)
			}
			pos := x * float64(g[c]-1)
			i := int(pos)
			f := pos - float64(i)
			if i >= g[c]-1 {
				i, f = g[c]-2, 1
			}
			t.axes[c][v] = gridAxis{int32(i * t.stride[c]), int32(math.Round(f * fracOne))}
		}
	}
	perSlice := size / 3 / g[0] // nodes with the same first coordinate
	forBands(g[0], true, func(lo, hi int) {
		for node := lo * perSlice; node < hi*perSlice; node++ {
			var a [maxLUTInputs]float64
			r := node
			for d := n - 1; d >= 0; d-- {
				a[d] = float64(r%g[d]) / float64(g[d]-1)
				r /= g[d]
			}
			v := l.evalRest(&a)
			lo, hi := float64(-gridSampleMax), float64(gridSampleMax)
			if t.lab {
				fx, fy, fz := labF(v[0], v[1], v[2])
				v = [3]float64{fx, fy, fz}
				lo, hi = labSampleMin, labSampleMax
			} else {
				v = xyzToSRGB.apply(v)
			}
			for k, x := range v {
				x = math.Round(x * linOne)
				if x != x {
					x = 0
				}
				t.data[3*node+k] = int32(max(lo, min(hi, x)))
			}
		}
	})
	return t
}

// forBands calls fn on consecutive ranges covering [0,n): on up to
// GOMAXPROCS goroutines when parallel is set, else once on the calling
// goroutine. It returns when all calls have.
func forBands(n int, parallel bool, fn func(lo, hi int)) {
	w := min(runtime.GOMAXPROCS(0), n)
	if !parallel || w < 2 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for i := range w {
		lo, hi := n*i/w, n*(i+1)/w
		wg.Go(func() { fn(lo, hi) })
	}
	wg.Wait()
}

// checkPlane panics unless a plane of h rows of rowBytes bytes, stride
// apart, fits in n bytes.
func checkPlane(n, stride, rowBytes, h int) {
	if stride < rowBytes || (h-1)*stride+rowBytes > n {
		panic("icc: image pixel slice too short for its Rect")
	}
}

// rgbRow returns the in-place converter of rows of NRGBA pixels, or nil
// when the transform does not convert RGB.
func (t *Transform) rgbRow() func(pix []byte) {
	switch {
	case t.mat != nil:
		return t.mat.row
	case t.grid != nil && t.grid.n == 3:
		return t.grid.row3
	}
	return nil
}

// NRGBA converts img to sRGB in place, leaving alpha untouched (the
// colour of a non-premultiplied pixel does not depend on its alpha). For
// a grey profile each of R, G and B goes through the grey conversion, as
// fits the grey-with-alpha images decoders return as NRGBA; for a CMYK
// profile img is left unchanged. Rows are split across goroutines for
// large images.
func (t *Transform) NRGBA(img *image.NRGBA) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if w <= 0 || h <= 0 {
		return
	}
	row := t.rgbRow()
	if t.gray != nil {
		row = func(pix []byte) { grayRGBRow(t.gray, pix) }
	}
	if row == nil {
		return
	}
	checkPlane(len(img.Pix), img.Stride, 4*w, h)
	forBands(h, w*h >= minParallelPixels, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			o := y * img.Stride
			row(img.Pix[o : o+4*w])
		}
	})
}

// YCbCr converts img, full-range JFIF YCbCr as image/jpeg decodes it, to
// a new opaque sRGB image with the same Rect. Chroma is taken from the
// sample covering each pixel, as [image.YCbCr.At] does, and converted to
// RGB with the same integer arithmetic as [color.YCbCrToRGB]. For a
// profile that is not RGB the result is that plain conversion, without
// colour management. Rows are split across goroutines for large images.
func (t *Transform) YCbCr(img *image.YCbCr) *image.NRGBA {
	r := img.Rect
	out := image.NewNRGBA(r)
	w, h := r.Dx(), r.Dy()
	if w <= 0 || h <= 0 {
		return out
	}
	hd, vd := 1, 1
	switch img.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		hd = 2
	case image.YCbCrSubsampleRatio420:
		hd, vd = 2, 2
	case image.YCbCrSubsampleRatio440:
		vd = 2
	case image.YCbCrSubsampleRatio411:
		hd = 4
	case image.YCbCrSubsampleRatio410:
		hd, vd = 4, 2
	}
	cx := make([]int32, w)
	for i := range cx {
		cx[i] = int32((r.Min.X+i)/hd - r.Min.X/hd)
	}
	cw := int(cx[w-1]) + 1
	ch := (r.Max.Y-1)/vd - r.Min.Y/vd + 1
	checkPlane(len(img.Y), img.YStride, w, h)
	checkPlane(len(img.Cb), img.CStride, cw, ch)
	checkPlane(len(img.Cr), img.CStride, cw, ch)
	row := t.rgbRow()
	forBands(h, w*h >= minParallelPixels, func(y0, y1 int) {
		for j := y0; j < y1; j++ {
			co := ((r.Min.Y+j)/vd - r.Min.Y/vd) * img.CStride
			dst := out.Pix[j*out.Stride : j*out.Stride+4*w]
			ycbcrRow(dst, img.Y[j*img.YStride:j*img.YStride+w], img.Cb[co:co+cw], img.Cr[co:co+cw], cx)
			if row != nil {
				row(dst)
			}
		}
	})
	return out
}

// Gray converts img in place from the grey profile's tone curve to the
// sRGB tone curve. For a profile that is not grey img is left unchanged.
// Rows are split across goroutines for large images.
func (t *Transform) Gray(img *image.Gray) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if t.gray == nil || w <= 0 || h <= 0 {
		return
	}
	checkPlane(len(img.Pix), img.Stride, w, h)
	lut := t.gray
	forBands(h, w*h >= minParallelPixels, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			row := img.Pix[y*img.Stride : y*img.Stride+w]
			for i, v := range row {
				row[i] = lut[v]
			}
		}
	})
}

// CMYK converts img, with 0 meaning no ink as image/jpeg returns it
// (Adobe-inverted files already un-inverted), to a new opaque sRGB image
// with the same Rect. For a profile that is not CMYK the result is the
// plain conversion of [color.CMYKToRGB], without colour management. Rows
// are split across goroutines for large images.
func (t *Transform) CMYK(img *image.CMYK) *image.NRGBA {
	out := image.NewNRGBA(img.Rect)
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if w <= 0 || h <= 0 {
		return out
	}
	checkPlane(len(img.Pix), img.Stride, 4*w, h)
	g := t.grid
	if g != nil && g.n != 4 {
		g = nil
	}
	forBands(h, w*h >= minParallelPixels/4, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			src := img.Pix[y*img.Stride : y*img.Stride+4*w]
			dst := out.Pix[y*out.Stride : y*out.Stride+4*w]
			if g != nil {
				g.row4(dst, src)
				continue
			}
			for i := 0; i+3 < len(src); i += 4 {
				dst[i], dst[i+1], dst[i+2] = color.CMYKToRGB(src[i], src[i+1], src[i+2], src[i+3])
				dst[i+3] = 0xff
			}
		}
	})
	return out
}
