package jpegenc

import (
	"encoding/binary"
	"fmt"
	"io"
)

// flushSize is how many bytes the writer gathers before it passes them on.
const flushSize = 64 << 10

// bitWriter buffers the output stream: marker segments byte by byte, and
// entropy-coded data bit by bit with 0xFF bytes stuffed (T.81 B.1.1.5).
// The first write error is kept and later writes are dropped.
type bitWriter struct {
	w   io.Writer
	buf []byte
	acc uint64 // pending bits, the newest in the low n bits
	n   uint
	err error
}

func (b *bitWriter) reset(w io.Writer) {
	b.w = w
	if cap(b.buf) < flushSize+1024 {
		b.buf = make([]byte, 0, flushSize+1024)
	}
	b.buf = b.buf[:0]
	b.acc, b.n, b.err = 0, 0, nil
}

// emit appends the low n bits of v; n is at most 32.
func (b *bitWriter) emit(v uint32, n uint) {
	b.acc = b.acc<<n | uint64(v)
	b.n += n
	if b.n >= 32 {
		b.n -= 32
		b.put32(uint32(b.acc >> b.n))
	}
}

// put32 appends four entropy-coded bytes, stuffing a zero after any 0xFF.
func (b *bitWriter) put32(v uint32) {
	if x := ^v; (x-0x01010101)&^x&0x80808080 == 0 {
		b.buf = binary.BigEndian.AppendUint32(b.buf, v)
		return
	}
	for s := 24; s >= 0; s -= 8 {
		c := byte(v >> s)
		b.buf = append(b.buf, c)
		if c == 0xff {
			b.buf = append(b.buf, 0)
		}
	}
}

// align ends entropy-coded data: it pads the last byte with 1 bits
// (T.81 F.1.2.3) and moves all pending bits to the buffer.
func (b *bitWriter) align() {
	if r := b.n % 8; r != 0 {
		b.emit(1<<(8-r)-1, 8-r)
	}
	for b.n >= 8 {
		b.n -= 8
		c := byte(b.acc >> b.n)
		b.buf = append(b.buf, c)
		if c == 0xff {
			b.buf = append(b.buf, 0)
		}
	}
}

// maybeFlush passes the buffer on once it holds flushSize bytes. It reports
// whether writing may go on.
func (b *bitWriter) maybeFlush() bool {
	if len(b.buf) >= flushSize {
		b.flush()
	}
	return b.err == nil
}

// flush passes all buffered bytes on.
func (b *bitWriter) flush() {
	if b.err == nil && len(b.buf) > 0 {
		if _, err := b.w.Write(b.buf); err != nil {
			b.err = fmt.Errorf("jpegenc: write: %w", err)
		}
	}
	b.buf = b.buf[:0]
}

// marker appends a marker segment header: the marker and the length field for
// a payload of n bytes.
func (b *bitWriter) marker(m byte, n int) {
	b.buf = append(b.buf, 0xff, m, byte((n+2)>>8), byte(n+2))
}
