package store

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"testing"
)

// BenchmarkHTTPOpen measures Open and reading the whole of an 800 KB body
// from a loopback origin: with io.ReadAll, into a reused buffer sized from
// the first read, and the latter from parallel goroutines.
func BenchmarkHTTPOpen(b *testing.B) {
	b.Run("ReadAll", func(b *testing.B) { benchHTTPOpen(b, 800<<10, readAllBody, false) })
	b.Run("Buffer", func(b *testing.B) { benchHTTPOpen(b, 800<<10, bufferBody, false) })
	b.Run("BufferParallel", func(b *testing.B) { benchHTTPOpen(b, 800<<10, bufferBody, true) })
}

// readAllBody reads r with io.ReadAll, as a caller without a buffer does.
func readAllBody(_ *bytes.Buffer, r io.Reader) (int, error) {
	p, err := io.ReadAll(r)
	return len(p), err
}

// bufferBody reads r into buf, reusing its memory.
func bufferBody(buf *bytes.Buffer, r io.Reader) (int, error) {
	buf.Reset()
	n, err := buf.ReadFrom(r)
	return int(n), err
}

// benchHTTPOpen opens a size-byte object and reads it with read, serially
// or from parallel goroutines.
func benchHTTPOpen(b *testing.B, size int, read func(*bytes.Buffer, io.Reader) (int, error), parallel bool) {
	body := bytes.Repeat([]byte("imgcdn!\n"), size/8)
	srv := newOrigin(b, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"bench"`)
		w.Header().Set("Content-Type", "image/jpeg")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
	s := newHTTPStore(b, srv.URL)
	open := func(buf *bytes.Buffer) {
		rc, _, err := s.Open(b.Context(), "photos/cat.jpg")
		if err != nil {
			b.Fatal(err)
		}
		n, err := read(buf, rc)
		rc.Close()
		if err != nil || n != len(body) {
			b.Fatalf("read %d bytes, %v; want %d", n, err, len(body))
		}
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	if !parallel {
		var buf bytes.Buffer
		for b.Loop() {
			open(&buf)
		}
		return
	}
	b.RunParallel(func(pb *testing.PB) {
		var buf bytes.Buffer
		for pb.Next() {
			open(&buf)
		}
	})
}
