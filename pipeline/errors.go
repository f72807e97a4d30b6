package pipeline

import (
	"errors"
	"strconv"
	"strings"
)

// The sentinel errors of Parse. Every error Parse returns is a *ParamError
// that wraps exactly one of them, so callers can classify it with
// [errors.Is]. All of them describe a client mistake (an HTTP 400).
var (
	// ErrUnknownParam means a parameter key (or effect name) that imgcdn
	// does not know at all.
	ErrUnknownParam = errors.New("unknown parameter")

	// ErrInvalidValue means a known parameter with a malformed or
	// out-of-range value, an empty parameter or step, or a combination of
	// parameters that cannot be used together.
	ErrInvalidValue = errors.New("invalid value")

	// ErrNotSupportedYet means a parameter (or value) of the URL API that a
	// later version of imgcdn is planned to support: layers, conditionals,
	// arithmetic values, client hints and the like.
	ErrNotSupportedYet = errors.New("not supported yet")

	// ErrNotSupported means a parameter of the URL API that imgcdn does not
	// plan to support: AI transformations and video parameters.
	ErrNotSupported = errors.New("not supported")
)

// ParamError describes a parameter that Parse rejected. Its Err field is one
// of ErrUnknownParam, ErrInvalidValue, ErrNotSupportedYet or ErrNotSupported.
type ParamError struct {
	// Param is the parameter key as written ("w", "bg"), or "e-NAME" for an
	// effect ("e-sharpen"). It is empty for an empty parameter or step.
	Param string
	// Value is the value as written, after the first '-' (or after
	// "e-NAME-" for an effect); it is empty when there was none.
	Value string
	// Reason is a short human explanation; it may be empty.
	Reason string
	// Allowed lists the allowed values or ranges ("1-100"), when there is a
	// short list of them.
	Allowed []string
	// Err is the sentinel that classifies the error.
	Err error
}

// maxErrorValue is how many bytes of a parameter Error quotes before
// shortening it.
const maxErrorValue = 64

// Error returns a short message naming the parameter, its value, the reason
// and the allowed values, such as
//
//	"q-101": invalid value: out of range (allowed: 1-100)
//
// The parameter is quoted, so the message is safe to show to clients.
func (e *ParamError) Error() string {
	var b strings.Builder
	frag := e.Param
	if e.Value != "" {
		frag += "-" + e.Value
	}
	if frag != "" {
		if len(frag) > maxErrorValue {
			frag = frag[:maxErrorValue] + "..."
		}
		b.WriteString(strconv.Quote(frag))
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("bad parameter")
	}
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	if len(e.Allowed) > 0 {
		b.WriteString(" (allowed: ")
		b.WriteString(strings.Join(e.Allowed, ", "))
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns e.Err, so that [errors.Is] matches the sentinel.
func (e *ParamError) Unwrap() error { return e.Err }

// paramErr returns a *ParamError; allowed is copied so that callers cannot
// modify the package's tables through it.
func paramErr(sentinel error, param, value, reason string, allowed []string) error {
	var a []string
	if len(allowed) > 0 {
		a = append([]string(nil), allowed...)
	}
	return &ParamError{Param: param, Value: value, Reason: reason, Allowed: a, Err: sentinel}
}

// invalidValue returns an ErrInvalidValue *ParamError.
func invalidValue(param, value, reason string, allowed []string) error {
	return paramErr(ErrInvalidValue, param, value, reason, allowed)
}
