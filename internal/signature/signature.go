// Package signature signs and verifies imgcdn URLs with the algorithm of
// ImageKit's SDKs, so that the URL builder and the middleware agree on every
// byte of it.
//
// The string to sign is the URL relative to the mount point (everything
// after prefix + "/": the "tr:" segment if any, the percent-encoded path as
// sent, and the query string without ik-s and ik-t), followed directly by the
// expiry in Unix seconds, or by [NoExpiry] when the URL does not expire. The
// signature is the lowercase hexadecimal HMAC-SHA1 of that string under the
// private key.
//
// Every function is safe for concurrent use.
package signature

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"strings"
)

// NoExpiry is appended to the string to sign of a URL without ik-t.
const NoExpiry = "9999999999"

// The query parameters that carry the signature and the expiry. They are
// never part of the string to sign.
const (
	ParamSignature = "ik-s"
	ParamExpiry    = "ik-t"
)

// Sign returns the lowercase hexadecimal HMAC-SHA1 of stringToSign under key.
func Sign(key []byte, stringToSign string) string {
	m := hmac.New(sha1.New, key)
	m.Write([]byte(stringToSign))
	var sum [sha1.Size]byte
	return hex.EncodeToString(m.Sum(sum[:0]))
}

// Verify reports whether sig is the signature of stringToSign under any of
// keys. sig is hexadecimal (either case); the comparison takes the same time
// whatever the content of sig and however many of its bytes match. An empty
// or malformed sig never verifies.
func Verify(keys [][]byte, stringToSign, sig string) bool {
	var want [sha1.Size]byte
	if len(sig) != 2*sha1.Size {
		return false
	}
	if _, err := hex.Decode(want[:], []byte(sig)); err != nil {
		return false
	}
	ok := false
	var sum [sha1.Size]byte
	for _, k := range keys {
		m := hmac.New(sha1.New, k)
		m.Write([]byte(stringToSign))
		if hmac.Equal(m.Sum(sum[:0]), want[:]) {
			ok = true
		}
	}
	return ok
}

// StringToSign returns the string to sign for a URL whose part after the
// mount point is rel (percent-encoded, without a leading '/'), whose raw
// query string is rawQuery (without the '?'), and whose ik-t value is expiry
// ("" when the URL does not expire). The ik-s and ik-t parameters are
// removed from rawQuery; the other parameters keep their order and their
// encoding as written.
func StringToSign(rel, rawQuery, expiry string) string {
	if expiry == "" {
		expiry = NoExpiry
	}
	q := StripQuery(rawQuery)
	var b strings.Builder
	b.Grow(len(rel) + 1 + len(q) + len(expiry))
	b.WriteString(rel)
	if q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	b.WriteString(expiry)
	return b.String()
}

// StripQuery returns rawQuery without its ik-s and ik-t parameters, the
// other parameters unchanged and in order. It returns rawQuery itself when
// there is nothing to remove.
func StripQuery(rawQuery string) string {
	if !strings.Contains(rawQuery, "ik-") {
		return rawQuery
	}
	var b strings.Builder
	for part := range strings.SplitSeq(rawQuery, "&") {
		name, _, _ := strings.Cut(part, "=")
		if name == ParamSignature || name == ParamExpiry {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(part)
	}
	return b.String()
}
