package jpegenc

import (
	"fmt"
	"image"
	"io"
	"runtime"
	"sync"
)

// Encode writes img to w as a JPEG file with the given options; nil options
// mean the defaults described at Options.
//
// *image.YCbCr (4:2:0 or 4:4:4 planes are used as they are), *image.Gray
// (written as a one-component file), *image.RGBA and *image.NRGBA are read
// directly; other images are read pixel by pixel, and those whose colour
// model is gray are written as one-component files too. Alpha is ignored:
// *image.RGBA's premultiplied colour is used as stored, which amounts to
// compositing onto black; *image.NRGBA's colour is used as if it were
// opaque; other images are composited onto black.
//
// Encode returns an error wrapping ErrInvalidOptions or ErrInvalidImage when
// it cannot start, or the first error from w.
//
// Encode is safe for concurrent use. It transforms large images in up to
// GOMAXPROCS goroutines, and gathers the statistics of progressive scans in
// a second goroutine; it keeps its buffers, about 128 bytes per 8×8 block,
// in a sync.Pool for later calls.
func Encode(w io.Writer, img image.Image, o *Options) error {
	cfg, err := o.config()
	if err != nil {
		return err
	}
	return encode(w, img, cfg)
}

// encode is Encode with validated options.
func encode(w io.Writer, img image.Image, cfg config) error {
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 || b.Dx() > 0xffff || b.Dy() > 0xffff {
		return fmt.Errorf("%w: size %dx%d is not within 1x1 and 65535x65535", ErrInvalidImage, b.Dx(), b.Dy())
	}
	if cfg.workers == 0 {
		cfg.workers = runtime.GOMAXPROCS(0)
	}
	e := encoderPool.Get().(*encoder)
	defer encoderPool.Put(e)
	return e.encode(w, img, cfg)
}

// encoderPool keeps the large buffers of finished encodes for the next one.
var encoderPool = sync.Pool{New: func() any { return new(encoder) }}

// component describes one image component and where its quantised blocks
// live in encoder.coef.
type component struct {
	id   byte
	h, v int // sampling factors
	tq   int // quantisation and Huffman table class: 0 luma, 1 chroma
	// bw×bh blocks are stored, the count the MCUs cover; cw×ch of them
	// cover the component itself, the ones a single-component scan codes.
	bw, bh int
	cw, ch int
	off    int // index of the first block
}

// encoder holds the state of one Encode call; its buffers are reused.
type encoder struct {
	bw     bitWriter
	cfg    config
	width  int
	height int
	comps  []component
	compsA [3]component
	mcuX   int // MCUs per row
	mcuY   int // MCU rows

	coef  []int16  // 64 quantised coefficients per block, in zig-zag order
	mask  []uint64 // per block: bit k set when coefficient k is not zero
	quant [2]quantizer

	sources sources  // the image readers, kept to save allocations
	scratch []blocks // sample buffers, one per transform goroutine

	// Entropy coding state: symbol statistics, the tables built from them,
	// and the codes of those tables, per class (0 luma, 1 chroma) and kind
	// (0 DC, 1 AC).
	freq [2][2]freqTable
	spec [2][2]huffSpec
	code [2][2]huffCode

	// Progressive scans: per-scan statistics, and the correction bit
	// buffers of the writing and the counting coder.
	stats     [][2][2]freqTable
	wfreq     [][2][2]freqTable // per transform goroutine
	corr      []byte
	corrCount []byte
}

func (e *encoder) encode(w io.Writer, img image.Image, cfg config) error {
	e.cfg = cfg
	e.bw.reset(w)
	src, gray := newSource(img, cfg.sub, &e.sources)
	e.layout(img.Bounds(), gray)
	e.quant[0].init(0, cfg.quality)
	if !gray {
		e.quant[1].init(1, cfg.quality)
	}
	e.transform(src)

	e.writeHeaders()
	if cfg.progressive {
		e.writeProgressive()
	} else {
		e.writeBaseline()
	}
	e.bw.buf = append(e.bw.buf, 0xff, 0xd9) // EOI
	e.bw.flush()
	// Keep no references to the caller's data in the pool.
	e.bw.w = nil
	e.cfg = config{}
	e.sources = sources{}
	return e.bw.err
}

// layout sets up the components and sizes the coefficient buffers.
func (e *encoder) layout(b image.Rectangle, gray bool) {
	e.width, e.height = b.Dx(), b.Dy()
	if gray {
		e.comps = e.compsA[:1]
		e.comps[0] = component{id: 1, h: 1, v: 1}
	} else {
		e.comps = e.compsA[:3]
		f := 1
		if e.cfg.sub == Subsample420 {
			f = 2
		}
		e.comps[0] = component{id: 1, h: f, v: f}
		e.comps[1] = component{id: 2, h: 1, v: 1, tq: 1}
		e.comps[2] = component{id: 3, h: 1, v: 1, tq: 1}
	}
	hmax, vmax := e.comps[0].h, e.comps[0].v
	e.mcuX = ceilDiv(e.width, 8*hmax)
	e.mcuY = ceilDiv(e.height, 8*vmax)
	n := 0
	for i := range e.comps {
		c := &e.comps[i]
		c.bw, c.bh = e.mcuX*c.h, e.mcuY*c.v
		// T.81 A.1.1: a component is ceil(X·H/Hmax) samples wide.
		c.cw = ceilDiv(ceilDiv(e.width*c.h, hmax), 8)
		c.ch = ceilDiv(ceilDiv(e.height*c.v, vmax), 8)
		c.off = n
		n += c.bw * c.bh
	}
	if cap(e.mask) < n {
		e.mask = make([]uint64, n)
		e.coef = make([]int16, n*64)
	}
	e.mask = e.mask[:n]
	e.coef = e.coef[:n*64]
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// minParallelMCUs is the size, in MCUs, from which the transform is split
// among goroutines; below it the goroutines cost more than they save.
const minParallelMCUs = 256

// transform runs the DCT and quantisation over the whole image, filling
// e.coef and e.mask. For baseline output with optimised tables it also
// gathers the symbol statistics into e.freq, block by block while the
// coefficients are at hand.
func (e *encoder) transform(src source) {
	count := e.cfg.optimise && !e.cfg.progressive
	e.freq = [2][2]freqTable{}
	workers := min(e.cfg.workers, e.mcuY)
	if e.mcuX*e.mcuY < minParallelMCUs && !e.cfg.forceParallel {
		workers = 1
	}
	workers = max(workers, 1)
	if cap(e.scratch) < workers {
		e.scratch = make([]blocks, workers)
	}
	if workers == 1 {
		f := &e.freq
		if !count {
			f = nil
		}
		e.transformRows(src, 0, e.mcuY, f, &e.scratch[0])
		return
	}
	if cap(e.wfreq) < workers {
		e.wfreq = make([][2][2]freqTable, workers)
	}
	wfreq := e.wfreq[:workers]
	var wg sync.WaitGroup
	for i := range workers {
		y0, y1 := e.mcuY*i/workers, e.mcuY*(i+1)/workers
		var f *[2][2]freqTable
		if count {
			f = &wfreq[i]
			*f = [2][2]freqTable{}
		}
		blk := &e.scratch[i]
		wg.Go(func() { e.transformRows(src, y0, y1, f, blk) })
	}
	wg.Wait()
	if !count {
		return
	}
	for i := range wfreq {
		for c := range 2 {
			for k := range 2 {
				for s, n := range wfreq[i][c][k] {
					e.freq[c][k][s] += n
				}
			}
		}
		if i == 0 {
			continue
		}
		// Each worker coded the first DC value of its rows as if it began
		// the scan; correct that to the difference from the block before.
		y0 := e.mcuY * i / workers
		for _, c := range e.comps {
			first := int32(e.coef[(c.off+y0*c.v*c.bw)*64])
			last := int32(e.coef[(c.off+(y0*c.v-1)*c.bw+c.bw-1)*64])
			_, was, _ := magnitude(first)
			_, is, _ := magnitude(first - last)
			e.freq[c.tq][0][was]--
			e.freq[c.tq][0][is]++
		}
	}
}

// transformRows transforms the MCU rows y0 to y1-1, and counts their
// baseline symbols into f unless f is nil. It uses blk for the samples.
func (e *encoder) transformRows(src source, y0, y1 int, f *[2][2]freqTable, blk *blocks) {
	var pred [3]int32
	for my := y0; my < y1; my++ {
		for mx := range e.mcuX {
			src.loadMCU(blk, mx, my)
			k := 0
			for ci := range e.comps {
				c := &e.comps[ci]
				q := &e.quant[c.tq]
				for j := range c.v {
					idx := c.off + (my*c.v+j)*c.bw + mx*c.h
					for range c.h {
						fdct(&blk[k])
						coef := e.coef[idx*64 : idx*64+64]
						m := q.quantize(coef, &blk[k])
						e.mask[idx] = m
						if f != nil {
							pred[ci] = countBlock(coef, m, pred[ci], &f[c.tq][0], &f[c.tq][1])
						}
						idx++
						k++
					}
				}
			}
		}
	}
}

// writeHeaders writes SOI, the APP and COM segments, DQT and SOF.
func (e *encoder) writeHeaders() {
	b := &e.bw
	b.buf = append(b.buf, 0xff, 0xd8) // SOI
	if e.cfg.jfif {
		b.marker(0xe0, 14)
		b.buf = append(b.buf, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0)
	}
	for _, s := range e.cfg.segments {
		b.buf = append(b.buf, s...)
		b.maybeFlush()
	}
	nq := 1
	if len(e.comps) > 1 {
		nq = 2
	}
	b.marker(0xdb, 65*nq) // DQT
	for i := range nq {
		b.buf = append(b.buf, byte(i))
		b.buf = append(b.buf, e.quant[i].table[:]...)
	}
	sof := byte(0xc0)
	if e.cfg.progressive {
		sof = 0xc2
	}
	b.marker(sof, 6+3*len(e.comps))
	b.buf = append(b.buf, 8, byte(e.height>>8), byte(e.height), byte(e.width>>8), byte(e.width), byte(len(e.comps)))
	for _, c := range e.comps {
		b.buf = append(b.buf, c.id, byte(c.h<<4|c.v), byte(c.tq))
	}
}

// writeDHT writes one DHT segment defining table class tc (0 DC, 1 AC) with
// identifier th.
func (e *encoder) writeDHT(tc, th int, s *huffSpec) {
	b := &e.bw
	b.marker(0xc4, 17+len(s.values))
	b.buf = append(b.buf, byte(tc<<4|th))
	b.buf = append(b.buf, s.counts[:]...)
	b.buf = append(b.buf, s.values...)
}

// writeSOS writes a start-of-scan header for the components comps (indices
// into e.comps) with spectral selection ss to se and successive
// approximation ah, al. Each component uses the Huffman tables of its class.
func (e *encoder) writeSOS(comps []int, ss, se, ah, al int) {
	b := &e.bw
	b.marker(0xda, 4+2*len(comps))
	b.buf = append(b.buf, byte(len(comps)))
	for _, ci := range comps {
		c := &e.comps[ci]
		b.buf = append(b.buf, c.id, byte(c.tq<<4|c.tq))
	}
	b.buf = append(b.buf, byte(ss), byte(se), byte(ah<<4|al))
}
