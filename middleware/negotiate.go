package middleware

import (
	"strconv"
	"strings"

	"github.com/imgcdn/imgcdn/pipeline"
)

// DefaultAutoFormats are the formats f-auto offers by default, best first:
// AVIF, then WebP.
var DefaultAutoFormats = []pipeline.Format{pipeline.FormatAVIF, pipeline.FormatWebP}

// negotiate returns, as a bit set over the indexes of offered, the offered
// formats that canEncode allows and that the Accept header lists
// explicitly with a non-zero quality. The pipeline's f-auto takes the first
// that suits the source (AVIF is skipped for animations and very large
// sources) and falls back to the source's family (PNG, GIF or JPEG), which
// every client takes. Wildcards ("image/*", "*/*") do not count, since
// browsers that cannot decode AVIF or WebP send wildcards too.
//
// varies reports whether the choice depends on Accept: it does whenever
// one offered format is encodable, since another client would then get
// another format. While none is, varies is false and no Vary header is
// needed.
func negotiate(accept string, offered []pipeline.Format, canEncode func(pipeline.Format) bool) (set autoSet, varies bool) {
	for i, f := range offered {
		if !canEncode(f) {
			continue
		}
		varies = true
		if accepts(accept, mediaType(f)) {
			set |= 1 << i
		}
	}
	return set, varies
}

// autoSet is a set of the formats a Handler offers to f-auto, as bits over
// their indexes in its list (at most two formats, so four sets).
type autoSet uint8

// autoChoice is what a set of accepted formats means for a request: the
// formats f-auto may choose, best first, and their name in the result key.
type autoChoice struct {
	formats []pipeline.Format
	key     string // "" for the empty set, else "avif-webp" and the like
}

// autoChoices returns the choice of every subset of offered, indexed by
// autoSet, made once so that requests do not allocate them.
func autoChoices(offered []pipeline.Format) []autoChoice {
	c := make([]autoChoice, 1<<len(offered))
	for set := range c {
		var names []string
		for i, f := range offered {
			if set&(1<<i) != 0 {
				c[set].formats = append(c[set].formats, f)
				names = append(names, f.String())
			}
		}
		c[set].key = strings.Join(names, "-")
	}
	return c
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

// chooseFormat sets what f-auto may choose for rq (see negotiate) and the
// canonical form of rq. Clients offered different formats get different
// results: the offered set is part of the result key (rq.autoKey). An
// explicit f- and orig-true win over negotiation.
func (h *Handler) chooseFormat(rq *request, accept string) {
	if rq.original {
		rq.canon = "orig-true"
		return
	}
	rq.canon = rq.chain.String()
	if rq.format != pipeline.FormatAuto {
		return
	}
	var set autoSet
	set, rq.vary = negotiate(accept, h.autoFormats, h.canEncode)
	c := h.autoChoices[set]
	rq.auto, rq.autoKey = c.formats, c.key
}
