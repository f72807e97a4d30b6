//go:build nodynamic

package codec

import "testing"

// TestAVIFBackendNoDynamic checks that a build with the nodynamic tag
// never loads a shared libavif:
//
//	go test -tags nodynamic ./internal/codec/ -run AVIFBackend
func TestAVIFBackendNoDynamic(t *testing.T) {
	if got, want := AVIFBackend(), "libavif (built-in WebAssembly)"; got != want {
		t.Errorf("AVIFBackend() = %q with the nodynamic tag, want %q", got, want)
	}
	// The built-in codec works.
	if err := WarmUp(t.Context()); err != nil {
		t.Fatalf("WarmUp: %v", err)
	}
}
