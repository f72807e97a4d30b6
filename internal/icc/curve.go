package icc

import (
	"fmt"
	"math"
)

// curveKind is the form of a one-dimensional curve.
type curveKind uint8

const (
	curveIdentity curveKind = iota // curv with no entries
	curveGamma                     // curv with one entry: y = x^gamma
	curveTable                     // curv with 2 or more entries, linearly interpolated
	curvePara                      // para, one of the five ICC function types
)

// curve is a parsed curv or para element. It maps [0,1] to [0,1].
type curve struct {
	kind  curveKind
	gamma float64
	table []uint16
	fn    int        // para function type, 0..4
	p     [7]float64 // para parameters g, a, b, c, d, e, f
}

// paraParams is the number of parameters of each para function type.
var paraParams = [...]int{1, 3, 4, 5, 7}

// readCurve reads the curv or para element at the start of t. It returns
// the curve and the number of bytes the element occupies, without
// padding. A table never holds more entries than t has room for.
func readCurve(t []byte) (curve, int, error) {
	if len(t) < 12 {
		return curve{}, 0, fmt.Errorf("%w: curve of %d bytes", ErrMalformed, len(t))
	}
	switch string(t[:4]) {
	case "curv":
		n := be32(t[8:])
		if uint64(n) > uint64(len(t)-12)/2 {
			return curve{}, 0, fmt.Errorf("%w: curv of %d entries in %d bytes", ErrMalformed, n, len(t))
		}
		size := 12 + 2*int(n)
		switch n {
		case 0:
			return curve{kind: curveIdentity}, size, nil
		case 1:
			return curve{kind: curveGamma, gamma: float64(be16(t[12:])) / 256}, size, nil
		}
		tab := make([]uint16, n)
		for i := range tab {
			tab[i] = be16(t[12+2*i:])
		}
		return curve{kind: curveTable, table: tab}, size, nil
	case "para":
		fn := int(be16(t[8:]))
		if fn >= len(paraParams) {
			return curve{}, 0, fmt.Errorf("%w: para function type %d", ErrUnsupported, fn)
		}
		size := 12 + 4*paraParams[fn]
		if len(t) < size {
			return curve{}, 0, fmt.Errorf("%w: para type %d in %d bytes", ErrMalformed, fn, len(t))
		}
		c := curve{kind: curvePara, fn: fn}
		for i := range paraParams[fn] {
			c.p[i] = s15f16(t[12+4*i:])
		}
		return c, size, nil
	}
	return curve{}, 0, fmt.Errorf("%w: curve type %q", ErrUnsupported, sigString(be32(t)))
}

// readTRC reads a tone reproduction curve tag.
func readTRC(t []byte, name string) (curve, error) {
	if t == nil {
		return curve{}, fmt.Errorf("%w: no %s tag", ErrUnsupported, name)
	}
	c, _, err := readCurve(t)
	if err != nil {
		return curve{}, fmt.Errorf("%s: %w", name, err)
	}
	return c, nil
}

// clamp01 limits x to [0,1], mapping NaN to 0.
func clamp01(x float64) float64 {
	if x > 0 {
		return min(x, 1)
	}
	return 0 // also NaN
}

// eval evaluates the curve at x, clamped to [0,1]; the result is in
// [0,1] too.
func (c *curve) eval(x float64) float64 {
	x = clamp01(x)
	switch c.kind {
	case curveGamma:
		return clamp01(math.Pow(x, c.gamma))
	case curveTable:
		n := len(c.table)
		pos := x * float64(n-1)
		i := int(pos)
		if i >= n-1 {
			return float64(c.table[n-1]) / 65535
		}
		f := pos - float64(i)
		return clamp01((float64(c.table[i])*(1-f) + float64(c.table[i+1])*f) / 65535)
	case curvePara:
		return clamp01(evalPara(c.fn, &c.p, x))
	}
	return x
}

// evalPara evaluates the ICC parametric curve function type fn with
// parameters p = g, a, b, c, d, e, f at x:
//
//	0: x^g
//	1: (a·x+b)^g for x ≥ −b/a, else 0
//	2: (a·x+b)^g + c for x ≥ −b/a, else c
//	3: (a·x+b)^g for x ≥ d, else c·x
//	4: (a·x+b)^g + e for x ≥ d, else c·x + f
//
// A negative base gives 0 rather than NaN, and a ≈ 0 in types 1 and 2
// gives the constant branch, as in LittleCMS.
func evalPara(fn int, p *[7]float64, x float64) float64 {
	g, a, b, c, d, e, f := p[0], p[1], p[2], p[3], p[4], p[5], p[6]
	pow := func(v float64) float64 {
		if v > 0 {
			return math.Pow(v, g)
		}
		return 0
	}
	switch fn {
	case 0:
		return pow(x)
	case 1:
		if math.Abs(a) < 1e-9 || x < -b/a {
			return 0
		}
		return pow(a*x + b)
	case 2:
		if math.Abs(a) < 1e-9 || x < -b/a {
			return c
		}
		return pow(a*x+b) + c
	case 3:
		if x >= d {
			return pow(a*x + b)
		}
		return c * x
	case 4:
		if x >= d {
			return pow(a*x+b) + e
		}
		return c*x + f
	}
	return x
}
