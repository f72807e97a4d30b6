package middleware

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/signature"
	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

// TestSignatureVectors sends the four signed URLs of the URL API's test
// vectors (key "dummy-key") through HTTP.
func TestSignatureVectors(t *testing.T) {
	png := testcorpus.Read(t, "png-rgba-320x240.png")
	s := newFakeStore()
	s.set("sdk-testing-files/future-search.png", png)
	s.set("sdk-testing-files/हिन्दी.png", png)
	h := newTestHandler(t, s, WithSigningKeys("dummy-key"), WithSigningRequired(true))
	tests := map[string]string{
		"plain":      "/img/sdk-testing-files/future-search.png?ik-s=32dbbbfc5f945c0403c71b54c38e76896ef2d6b0",
		"query tr":   "/img/sdk-testing-files/future-search.png?version=2.0&tr=w-300,h-200&ik-s=601d97a7834b7554f4dabf0d3fc3a219ceeb6b31",
		"path tr":    "/img/tr:w-300,h-200/sdk-testing-files/future-search.png?version=2.0&ik-s=dd1ee8f83d019bc59fd57a5fc4674a11eb8a3496",
		"utf-8 path": "/img/sdk-testing-files/%E0%A4%B9%E0%A4%BF%E0%A4%A8%E0%A5%8D%E0%A4%A6%E0%A5%80.png?ik-s=3fff2f31da1f45e007adcdbe95f88c8c330e743c",
	}
	for name, target := range tests {
		t.Run(name, func(t *testing.T) {
			if w := get(t, h, target); w.Code != http.StatusOK {
				t.Errorf("GET %s = %d %s, want 200", target, w.Code, text(w))
			}
			// Any change to the signed URL fails.
			last := "0"
			if target[len(target)-1] == '0' {
				last = "1"
			}
			for _, bad := range []string{target + "&x=1", target[:len(target)-1] + last, "/img/tr:w-10/" + target[len("/img/"):]} {
				if w := get(t, h, bad); w.Code != http.StatusUnauthorized {
					t.Errorf("GET %s = %d %s, want 401", bad, w.Code, text(w))
				}
			}
		})
	}
	if w := get(t, h, "/img/tr:w-300,h-200/sdk-testing-files/future-search.png"); w.Code != http.StatusUnauthorized {
		t.Errorf("unsigned URL = %d, want 401", w.Code)
	}
}

func TestSignatureExpiryAndRotation(t *testing.T) {
	s := newFakeStore()
	s.set("a.png", testcorpus.Read(t, "png-rgba-320x240.png"))
	now := time.Unix(1_700_000_000, 0)
	signed := func(key, rel, query string, expires int64) string {
		exp := ""
		if expires != 0 {
			exp = strconv.FormatInt(expires, 10)
		}
		sig := signature.Sign([]byte(key), signature.StringToSign(rel, query, exp))
		u := "/img/" + rel + "?"
		if query != "" {
			u += query + "&"
		}
		if exp != "" {
			u += "ik-t=" + exp + "&"
		}
		return u + "ik-s=" + sig
	}
	required := newTestHandler(t, s, WithSigningKeys("new-key", "old-key"), WithSigningRequired(true))
	required.now = func() time.Time { return now }
	optional := newTestHandler(t, s, WithSigningKeys("new-key"))
	optional.now = required.now
	tests := map[string]struct {
		h      http.Handler
		target string
		status int
	}{
		"new key":               {required, signed("new-key", "tr:w-10/a.png", "", 0), 200},
		"old key":               {required, signed("old-key", "tr:w-10/a.png", "", 0), 200},
		"unknown key":           {required, signed("other", "tr:w-10/a.png", "", 0), 401},
		"not expired":           {required, signed("new-key", "tr:w-10/a.png", "", now.Unix()+60), 200},
		"expired":               {required, signed("new-key", "tr:w-10/a.png", "", now.Unix()-1), 401},
		"expiry changed":        {required, signed("new-key", "tr:w-10/a.png", "", now.Unix()+60) + "0", 401},
		"bad expiry":            {required, "/img/a.png?ik-t=soon&ik-s=00", 401},
		"query kept":            {required, signed("new-key", "a.png", "tr=w-10&v=2", 0), 200},
		"missing":               {required, "/img/a.png", 401},
		"only expiry":           {required, "/img/a.png?ik-t=9999999999", 401},
		"optional unsigned":     {optional, "/img/a.png", 200},
		"optional good":         {optional, signed("new-key", "a.png", "", 0), 200},
		"optional bad":          {optional, signed("old-key", "a.png", "", 0), 401},
		"optional expired":      {optional, signed("new-key", "a.png", "", now.Unix()-1), 401},
		"signature in the path": {required, "/img/a.png/ik-s=abc", 401},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if w := get(t, tc.h, tc.target); w.Code != tc.status {
				t.Errorf("GET %s = %d %s, want %d", tc.target, w.Code, text(w), tc.status)
			}
		})
	}
}
