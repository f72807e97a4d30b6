package urlgen

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/imgcdn/imgcdn/pipeline"
)

// Srcset returns the srcset attribute for the image stored under path,
// shown as o says. It chooses the candidate widths exactly as Next.js
// (next/image getWidths) and ImageKit's SDKs (getResponsiveImageAttributes)
// do, from the breakpoints of [WithBreakpoints]:
//
//   - With o.Sizes set: every breakpoint (device and image sizes) at least
//     as wide as the smallest vw percentage found in Sizes times the
//     smallest device size, with w descriptors. A percentage counts where
//     the regular expression /(^|\s)(1?\d?\d)vw/g of Next.js matches; when
//     none does, every breakpoint is a candidate. For example "50vw" gives
//     the breakpoints from 320 px: 384w, 640w, ... 3840w.
//   - With o.Sizes "" and o.Width set: the breakpoints nearest at or above
//     Width and 2 × Width (the largest breakpoint when none is), with 1x and
//     2x descriptors; one candidate (1x) when both are the same. Width 400
//     gives 640 (1x) and 828 (2x).
//   - With neither: the device sizes, with w descriptors (and sizes 100vw,
//     see [Builder.Sizes]).
//
// Each candidate is the transformation o.Steps followed by one more step
// that scales to the candidate's width with c-at_max, so that nothing is
// ever enlarged, and sets o.Quality: for example
// /img/tr:w-640,c-at_max/photos/cat.jpg 1x. Candidates are separated by
// ", ".
func (b *Builder) Srcset(path string, o Image) (string, error) {
	set, _, err := b.srcset(path, &o, pipeline.FormatAuto)
	return set, err
}

// Sizes returns the sizes attribute to write with the srcset of o: o.Sizes
// when set, "100vw" when neither Sizes nor Width is set (the srcset then has
// w descriptors for the device sizes), and "" for a fixed-width image, whose
// srcset has x descriptors and needs none.
func (b *Builder) Sizes(o Image) string {
	switch {
	case o.Sizes != "":
		return o.Sizes
	case o.Width <= 0:
		return "100vw"
	}
	return ""
}

// srcset returns the srcset of o for the image under path, with candidates
// in format f (FormatAuto: negotiated), and the URL of its largest
// candidate, for src.
func (b *Builder) srcset(path string, o *Image, f pipeline.Format) (set, largest string, err error) {
	if err := o.check(); err != nil {
		return "", "", err
	}
	base, err := canonical(o.Steps)
	if err != nil {
		return "", "", err
	}
	key, err := b.escapeKey(path, true) // every candidate has a transformation
	if err != nil {
		return "", "", err
	}
	widths, kind := b.widths(o.Width, o.Sizes)
	if len(widths) == 0 {
		return "", "", fmt.Errorf("urlgen: no breakpoint is wide enough for sizes %q", o.Sizes)
	}
	var sb strings.Builder
	for i, w := range widths {
		step := pipeline.Step{Width: pipeline.Dimension{Pixels: w}, Crop: pipeline.CropAtMax, Quality: o.Quality, Format: f}
		tr := step.String()
		if base != "" {
			tr = base + ":" + tr
		}
		u := b.assemble(key, "", tr)
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(u)
		sb.WriteByte(' ')
		if kind == 'w' {
			sb.WriteString(strconv.Itoa(w))
		} else {
			sb.WriteString(strconv.Itoa(i + 1))
		}
		sb.WriteByte(kind)
		largest = u
	}
	return sb.String(), largest, nil
}

// widths returns the candidate widths for an image of display width width
// (0: unknown) and sizes attribute sizes, and their descriptor, 'w' or 'x'.
// It follows getWidths of Next.js (packages/next/src/shared/lib/
// get-img-props.ts), which computeCandidateWidths of ImageKit's JavaScript
// SDK (src/responsive.ts) repeats, rule for rule:
//
//  1. When sizes is set, collect the percentages that the global regular
//     expression /(^|\s)(1?\d?\d)vw/ matches in it. With at least one,
//     smallestRatio is the smallest times 0.01 and the widths are all
//     sizes s (device and image sizes, sorted) with
//     s >= deviceSizes[0] * smallestRatio; with none, all sizes. The
//     descriptor is w.
//  2. Otherwise, when width is not given, the device sizes, descriptor w.
//  3. Otherwise width and 2 × width, each replaced by the first of all
//     sizes at or above it (the largest when there is none), repeats
//     removed, descriptor x.
//
// The floating-point operations are the same IEEE 754 double operations in
// the same order as Next.js's, so the filter agrees at every boundary
// (TestWidthsMatchJavaScript checks it against Node.js when installed).
// ImageKit divides the percentage by 100 where Next.js multiplies it by
// 0.01; with the default breakpoints both give the same widths for every
// percentage the expression can match (0 to 199).
func (b *Builder) widths(width int, sizes string) ([]int, byte) {
	all := b.allSizes
	if sizes != "" {
		pct, ok := smallestVW(sizes)
		if !ok {
			return all, 'w'
		}
		smallestRatio := float64(pct) * 0.01
		limit := float64(b.deviceSizes[0]) * smallestRatio
		for i, s := range all {
			if float64(s) >= limit {
				return all[i:], 'w' // all is sorted: the filter keeps a suffix
			}
		}
		return nil, 'w'
	}
	if width <= 0 {
		return b.deviceSizes, 'w'
	}
	nearest := func(w int) int {
		for _, p := range all {
			if p >= w {
				return p
			}
		}
		return all[len(all)-1]
	}
	x1, x2 := nearest(width), nearest(2*width)
	if x1 == x2 {
		return []int{x1}, 'x'
	}
	return []int{x1, x2}, 'x'
}

// smallestVW returns the smallest percentage of the viewport width in a
// sizes attribute, as found by the JavaScript regular expression
// /(^|\s)(1?\d?\d)vw/g of Next.js, and whether there is one. Like the
// JavaScript one, the search resumes after each match; \s is JavaScript's
// white space (isJSSpace) and \d an ASCII digit.
func smallestVW(s string) (int, bool) {
	best, found := 0, false
	for i := 0; i < len(s); {
		end, pct, ok := matchVW(s, i)
		if ok {
			if !found || pct < best {
				best, found = pct, true
			}
			i = end
			continue
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n
	}
	return best, found
}

// matchVW matches (^|\s)(1?\d?\d)vw at s[i:], trying the alternatives in
// the order JavaScript does, and returns the end of the match and the
// percentage.
func matchVW(s string, i int) (end, pct int, ok bool) {
	if i == 0 {
		if end, pct, ok := matchPercent(s, 0); ok {
			return end, pct, true
		}
	}
	if r, n := utf8.DecodeRuneInString(s[i:]); isJSSpace(r) {
		return matchPercent(s, i+n)
	}
	return 0, 0, false
}

// matchPercent matches (1?\d?\d)vw at s[q:]. Since "vw" cannot follow a
// digit inside a longer run of digits, the group is the whole run of
// digits at q, which the pattern accepts when it has one or two digits, or
// three starting with '1'.
func matchPercent(s string, q int) (end, pct int, ok bool) {
	r := q
	for r < len(s) && r-q < 4 && '0' <= s[r] && s[r] <= '9' {
		r++
	}
	switch n := r - q; {
	case n == 0 || n > 3, n == 3 && s[q] != '1':
		return 0, 0, false
	}
	if !strings.HasPrefix(s[r:], "vw") {
		return 0, 0, false
	}
	pct, _ = strconv.Atoi(s[q:r])
	return r + 2, pct, true
}

// isJSSpace reports whether r matches \s in a JavaScript regular
// expression: WhiteSpace and LineTerminator of ECMAScript.
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return 0x2000 <= r && r <= 0x200A
}
