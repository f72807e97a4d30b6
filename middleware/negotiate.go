package middleware

import (
	"strconv"
	"strings"

	"github.com/imgcdn/imgcdn/pipeline"
)

// modernFormats are the formats f-auto prefers to the source's own family,
// best first, with the media type a client must list in Accept to get them.
var modernFormats = [...]struct {
	format    pipeline.Format
	mediaType string
}{
	{pipeline.FormatAVIF, "image/avif"},
	{pipeline.FormatWebP, "image/webp"},
}

// negotiate chooses the output format of f-auto: the first of AVIF and WebP
// that canEncode allows and that the Accept header lists explicitly with a
// non-zero quality, or FormatAuto, which lets the pipeline choose among the
// formats every client takes (PNG for transparency, else JPEG). Wildcards ("image/*", "*/*") do not count for AVIF and WebP,
// since browsers that cannot decode them send wildcards too.
//
// varies reports whether the choice depended on Accept: it does whenever
// one modern format is encodable, since another client would then get
// another format. While none is, varies is false and no Vary header is
// needed.
func negotiate(accept string, canEncode func(pipeline.Format) bool) (f pipeline.Format, varies bool) {
	for _, m := range modernFormats {
		if !canEncode(m.format) {
			continue
		}
		varies = true
		if accepts(accept, m.mediaType) {
			return m.format, true
		}
	}
	return pipeline.FormatAuto, varies
}

// accepts reports whether the Accept header value lists mediaType
// explicitly with a quality above zero. Parameters other than q are
// ignored; a malformed q counts as 1.
func accepts(accept, mediaType string) bool {
	for accept != "" {
		var r string
		r, accept, _ = strings.Cut(accept, ",")
		typ, params, _ := strings.Cut(r, ";")
		if !strings.EqualFold(strings.TrimSpace(typ), mediaType) {
			continue
		}
		return quality(params) > 0
	}
	return false
}

// quality returns the q parameter of a media range's parameters ("q=0.8;
// level=1"), 1 when there is none.
func quality(params string) float64 {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, _ := strings.Cut(p, "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || q > 1 {
				return 1
			}
			return q
		}
	}
	return 1
}

// chooseFormat sets the output format of rq for f-auto (see negotiate).
// An explicit f- and orig-true win over negotiation.
func (h *Handler) chooseFormat(rq *request, accept string) {
	if rq.original {
		rq.canon = "orig-true"
		return
	}
	if rq.format == pipeline.FormatAuto {
		f, varies := negotiate(accept, h.canEncode)
		rq.vary = varies
		if f != pipeline.FormatAuto {
			// Copy: the chain may share its steps with the configuration.
			c := make(pipeline.Chain, len(rq.chain), len(rq.chain)+1)
			copy(c, rq.chain)
			if len(c) == 0 {
				c = append(c, pipeline.Step{})
			}
			c[len(c)-1].Format = f
			rq.chain = c
		}
	}
	rq.canon = rq.chain.String()
}
