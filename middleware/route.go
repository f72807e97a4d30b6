package middleware

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/imgcdn/imgcdn/pipeline"
	"github.com/imgcdn/imgcdn/store"
)

// request is what a URL asks for, once routed, verified and parsed.
type request struct {
	// sources are the keys to try in order: the source, the URL's di-,
	// the server's default image; "" where there is none.
	sources [3]string
	// chain is the transformation to run: named transformations
	// expanded, di- removed and the default transformation applied.
	chain pipeline.Chain
	// canon is chain.String(), or "orig-true" when original is set.
	canon string
	// format is the output format the URL asked for (the last f- given),
	// or FormatAuto.
	format pipeline.Format
	// original reports whether the URL asked for the source bytes (orig-true).
	original bool
	// vary reports whether the output format depended on Accept.
	vary bool
	// auto are the formats f-auto may choose over the source's family,
	// best first: those offered that the client accepts.
	auto []pipeline.Format
	// autoKey names auto in the result key ("avif-webp"), "" when empty.
	autoKey string
}

// under reports whether the escaped path p is under the mount point, and
// returns the part after prefix + "/".
func (h *Handler) under(p string) (rel string, ok bool) {
	if h.prefix == "" {
		return strings.TrimPrefix(p, "/"), true
	}
	if rest, ok := strings.CutPrefix(p, h.prefix); ok {
		if rest == "" {
			return "", true
		}
		if rest[0] == '/' {
			return rest[1:], true
		}
	}
	return "", false
}

// route reads r's URL: it splits the transformation from the source key,
// checks the signature, parses and expands the transformation and chooses
// the output format.
func (h *Handler) route(r *http.Request) (request, error) {
	var rq request
	rel, ok := h.under(r.URL.EscapedPath())
	if !ok {
		return rq, store.ErrNotExist
	}
	q, err := scanQuery(r.URL.RawQuery)
	if err != nil {
		return rq, err
	}
	if err := h.checkSignature(rel, r.URL.RawQuery, q.sig, q.expiry); err != nil {
		return rq, err
	}

	keyPart, pathTr, hasPathTr := rel, "", false
	if first, rest, _ := strings.Cut(rel, "/"); strings.HasPrefix(first, "tr:") || strings.HasPrefix(first, "tr%3") {
		seg, err := url.PathUnescape(first)
		if err != nil {
			return rq, badRequest("malformed escape in path")
		}
		if tr, ok := strings.CutPrefix(seg, "tr:"); ok {
			pathTr, hasPathTr, keyPart = tr, true, rest
		}
	}
	if rq.sources[0], err = sourceKey(keyPart); err != nil {
		return rq, err
	}

	var chain pipeline.Chain
	if hasPathTr {
		if chain, err = pipeline.Parse(pathTr); err != nil {
			return rq, err
		}
	}
	if q.hasTr {
		c, err := pipeline.Parse(q.tr)
		if err != nil {
			return rq, err
		}
		chain = append(chain, c...)
	}
	if err := h.prepare(&rq, chain); err != nil {
		return rq, err
	}
	accept := r.Header["Accept"]
	switch len(accept) {
	case 0:
		h.chooseFormat(&rq, "")
	case 1:
		h.chooseFormat(&rq, accept[0])
	default:
		h.chooseFormat(&rq, strings.Join(accept, ","))
	}
	return rq, nil
}

// sourceKey returns the store key of an escaped path: each segment
// unescaped, an encoded '/' refused, and the result checked with
// store.CheckKey, so that no key can name anything outside the store.
func sourceKey(escaped string) (string, error) {
	key := escaped
	if strings.Contains(escaped, "%") {
		var b strings.Builder
		for i, seg := range strings.Split(escaped, "/") {
			s, err := url.PathUnescape(seg)
			if err != nil {
				return "", badRequest("malformed escape in path")
			}
			if strings.ContainsAny(s, "/\\") {
				return "", badRequest("encoded slash in path")
			}
			if i > 0 {
				b.WriteByte('/')
			}
			b.WriteString(s)
		}
		key = b.String()
	}
	if key == "" {
		return "", badRequest("missing image path")
	}
	if err := store.CheckKey(key); err != nil {
		return "", badRequest("invalid image path")
	}
	return key, nil
}

// queryParams are the query parameters the Handler reads.
type queryParams struct {
	tr, sig, expiry string
	hasTr           bool
}

// scanQuery finds tr, ik-s and ik-t in a raw query string without building
// a map. Each may appear once; other parameters are ignored.
func scanQuery(raw string) (queryParams, error) {
	var q queryParams
	var seenSig, seenExp bool
	for raw != "" {
		var part string
		part, raw, _ = strings.Cut(raw, "&")
		name, val, _ := strings.Cut(part, "=")
		if strings.ContainsAny(name, "%+") {
			n, err := url.QueryUnescape(name)
			if err != nil {
				return q, badRequest("malformed escape in query")
			}
			name = n
		}
		var dst *string
		var seen *bool
		switch name {
		case "tr":
			dst, seen = &q.tr, &q.hasTr
		case "ik-s":
			dst, seen = &q.sig, &seenSig
		case "ik-t":
			dst, seen = &q.expiry, &seenExp
		default:
			continue
		}
		if *seen {
			return q, badRequest("query parameter " + name + " given more than once")
		}
		*seen = true
		if strings.ContainsAny(val, "%+") {
			v, err := url.QueryUnescape(val)
			if err != nil {
				return q, badRequest("malformed escape in query")
			}
			val = v
		}
		*dst = val
	}
	return q, nil
}

// prepare expands named transformations, takes out di-, applies the default
// transformation and checks the named-only mode, filling rq.
func (h *Handler) prepare(rq *request, chain pipeline.Chain) error {
	special := false
	given := false
	for i := range chain {
		s := &chain[i]
		if s.Named != "" || s.DefaultImage != "" {
			special = true
		}
		if s.DefaultImage != "" {
			rq.sources[1] = strings.TrimPrefix(s.DefaultImage, "/")
		}
		if h.namedOnly && !onlyNamed(*s) {
			return badRequest("only named transformations (n-NAME) are allowed")
		}
		if !isZeroExceptDI(*s) {
			given = true
		}
	}
	if rq.sources[1] != "" {
		if err := store.CheckKey(rq.sources[1]); err != nil {
			return badRequest("invalid default image path")
		}
	}
	switch {
	case !given:
		chain = h.defaultTr.chain
		if rq.sources[1] == "" {
			rq.sources[1] = h.defaultTr.defaultImage
		}
	case special:
		out := make(pipeline.Chain, 0, len(chain)+2)
		for _, s := range chain {
			s.DefaultImage = ""
			if s.Named == "" {
				out = append(out, s)
				continue
			}
			name := s.Named
			s.Named = ""
			if s != (pipeline.Step{}) {
				return &pipeline.ParamError{Param: "n", Value: name, Reason: "a named transformation cannot be combined with other parameters in one step", Err: pipeline.ErrInvalidValue}
			}
			n, ok := h.named[name]
			if !ok {
				return &pipeline.ParamError{Param: "n", Value: name, Reason: "unknown named transformation", Err: pipeline.ErrInvalidValue}
			}
			out = append(out, n.chain...)
			if n.defaultImage != "" && rq.sources[1] == "" {
				rq.sources[1] = n.defaultImage
			}
		}
		chain = out
	}
	rq.sources[2] = h.defaultImage
	rq.chain = chain
	for i := range chain {
		if chain[i].Original {
			rq.original = true
		}
		if chain[i].Format != pipeline.FormatAuto {
			rq.format = chain[i].Format
		}
	}
	return nil
}

// onlyNamed reports whether s is n-NAME, possibly with di-, or di- alone.
func onlyNamed(s pipeline.Step) bool {
	s.Named, s.DefaultImage = "", ""
	return s == pipeline.Step{}
}

// isZeroExceptDI reports whether s has no parameter but di-.
func isZeroExceptDI(s pipeline.Step) bool {
	s.DefaultImage = ""
	return s == pipeline.Step{}
}

// namedChain is a parsed named transformation.
type namedChain struct {
	chain        pipeline.Chain // without di-
	defaultImage string         // its di-, if any
}

// parseConfigured parses a transformation given in the configuration. It
// may not use n- unless named is set, in which case n- is expanded from it.
func parseConfigured(tr string, named map[string]namedChain) (namedChain, error) {
	c, err := pipeline.Parse(tr)
	if err != nil {
		return namedChain{}, err
	}
	var out namedChain
	for _, s := range c {
		if s.DefaultImage != "" {
			out.defaultImage = strings.TrimPrefix(s.DefaultImage, "/")
			if err := store.CheckKey(out.defaultImage); err != nil {
				return namedChain{}, err
			}
			s.DefaultImage = ""
		}
		if s.Named != "" {
			name := s.Named
			n, ok := named[name]
			if !ok {
				return namedChain{}, &pipeline.ParamError{Param: "n", Value: name, Reason: "unknown or nested named transformation", Err: pipeline.ErrInvalidValue}
			}
			if s.Named = ""; s != (pipeline.Step{}) {
				return namedChain{}, &pipeline.ParamError{Param: "n", Value: name, Reason: "a named transformation cannot be combined with other parameters in one step", Err: pipeline.ErrInvalidValue}
			}
			out.chain = append(out.chain, n.chain...)
			if out.defaultImage == "" {
				out.defaultImage = n.defaultImage
			}
			continue
		}
		if s != (pipeline.Step{}) {
			out.chain = append(out.chain, s)
		}
	}
	return out, nil
}
