package middleware

import (
	"strconv"

	"github.com/imgcdn/imgcdn/internal/signature"
)

// checkSignature verifies the ik-s and ik-t of a request whose path after
// the mount point is rel (as sent, percent-encoded) and whose query string is
// rawQuery. A URL without ik-s passes unless signing is required; a URL with
// ik-s is verified whenever keys are configured.
func (h *Handler) checkSignature(rel, rawQuery, sig, expiry string) error {
	if sig == "" {
		if h.requireSigning {
			return &signatureError{"missing ik-s"}
		}
		return nil
	}
	if len(h.keys) == 0 {
		return nil
	}
	if expiry != "" {
		t, err := strconv.ParseInt(expiry, 10, 64)
		if err != nil || t <= 0 {
			return &signatureError{"malformed ik-t"}
		}
		if h.now().Unix() > t {
			return &signatureError{"expired"}
		}
	}
	if !signature.Verify(h.keys, signature.StringToSign(rel, rawQuery, expiry), sig) {
		return &signatureError{"invalid ik-s"}
	}
	return nil
}
