package signature

import (
	"strings"
	"testing"
)

// The test vectors of the URL API (key "dummy-key").
var vectors = map[string]struct {
	toSign, sig string
}{
	"plain":      {"sdk-testing-files/future-search.png9999999999", "32dbbbfc5f945c0403c71b54c38e76896ef2d6b0"},
	"query tr":   {"sdk-testing-files/future-search.png?version=2.0&tr=w-300,h-200" + "9999999999", "601d97a7834b7554f4dabf0d3fc3a219ceeb6b31"},
	"path tr":    {"tr:w-300,h-200/sdk-testing-files/future-search.png?version=2.0" + "9999999999", "dd1ee8f83d019bc59fd57a5fc4674a11eb8a3496"},
	"utf-8 path": {"sdk-testing-files/%E0%A4%B9%E0%A4%BF%E0%A4%A8%E0%A5%8D%E0%A4%A6%E0%A5%80.png9999999999", "3fff2f31da1f45e007adcdbe95f88c8c330e743c"},
}

var dummyKey = []byte("dummy-key")

func TestSignVectors(t *testing.T) {
	for name, v := range vectors {
		t.Run(name, func(t *testing.T) {
			if got := Sign(dummyKey, v.toSign); got != v.sig {
				t.Errorf("Sign(%q) = %s, want %s", v.toSign, got, v.sig)
			}
		})
	}
}

func TestVerify(t *testing.T) {
	other := []byte("other-key")
	for name, v := range vectors {
		t.Run(name, func(t *testing.T) {
			if !Verify([][]byte{dummyKey}, v.toSign, v.sig) {
				t.Errorf("Verify(dummy-key, %q, %s) = false, want true", v.toSign, v.sig)
			}
			if !Verify([][]byte{other, dummyKey}, v.toSign, v.sig) {
				t.Errorf("Verify with the key second = false, want true")
			}
			if !Verify([][]byte{dummyKey}, v.toSign, strings.ToUpper(v.sig)) {
				t.Errorf("Verify of upper-case hex = false, want true")
			}
			if Verify([][]byte{other}, v.toSign, v.sig) {
				t.Errorf("Verify with a wrong key = true, want false")
			}
			if Verify([][]byte{dummyKey}, v.toSign+"x", v.sig) {
				t.Errorf("Verify of another string = true, want false")
			}
			bad := []byte(v.sig)
			bad[0] ^= 1
			if Verify([][]byte{dummyKey}, v.toSign, string(bad)) {
				t.Errorf("Verify of a changed signature = true, want false")
			}
		})
	}
	for _, sig := range []string{"", "zz", "32dbbbfc5f945c0403c71b54c38e76896ef2d6b", "32dbbbfc5f945c0403c71b54c38e76896ef2d6b0g"} {
		if Verify([][]byte{dummyKey}, vectors["plain"].toSign, sig) {
			t.Errorf("Verify(%q) = true, want false", sig)
		}
	}
	if Verify(nil, vectors["plain"].toSign, vectors["plain"].sig) {
		t.Errorf("Verify without keys = true, want false")
	}
}

func TestStringToSign(t *testing.T) {
	tests := map[string]struct {
		rel, query, expiry string
		want               string
	}{
		"plain":        {"sdk-testing-files/future-search.png", "", "", vectors["plain"].toSign},
		"query tr":     {"sdk-testing-files/future-search.png", "version=2.0&tr=w-300,h-200", "", vectors["query tr"].toSign},
		"strips ik":    {"sdk-testing-files/future-search.png", "version=2.0&ik-t=1700000000&tr=w-300,h-200&ik-s=abc", "1700000000", "sdk-testing-files/future-search.png?version=2.0&tr=w-300,h-200" + "1700000000"},
		"only ik":      {"tr:w-300,h-200/sdk-testing-files/future-search.png", "ik-s=abc", "", "tr:w-300,h-200/sdk-testing-files/future-search.png9999999999"},
		"keeps ik-ish": {"a.png", "ik-sx=1&x=ik-s", "", "a.png?ik-sx=1&x=ik-s9999999999"},
		"utf-8 path":   {"sdk-testing-files/%E0%A4%B9%E0%A4%BF%E0%A4%A8%E0%A5%8D%E0%A4%A6%E0%A5%80.png", "", "", vectors["utf-8 path"].toSign},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := StringToSign(tc.rel, tc.query, tc.expiry); got != tc.want {
				t.Errorf("StringToSign(%q, %q, %q) = %q, want %q", tc.rel, tc.query, tc.expiry, got, tc.want)
			}
		})
	}
}
