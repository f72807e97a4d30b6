package exif

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
)

func TestResetOrientation(t *testing.T) {
	le, be := binary.LittleEndian, binary.BigEndian
	short := func(v uint32) entry { return entry{TagOrientation, 3, 1, v} }
	tests := map[string]struct {
		b       []byte
		changed bool // whether the copy should differ from b
	}{
		"little endian 6":   {craft(le, []entry{{0x010f, 2, 4, 0}, short(6)}), true},
		"big endian 8":      {craft(be, []entry{short(8), {0x0131, 2, 4, 0}}), true},
		"with Exif header":  {append([]byte("Exif\x00\x00"), craft(be, []entry{short(5)})...), true},
		"long type":         {craft(le, []entry{{TagOrientation, 4, 1, 7}}), true},
		"byte type":         {craft(be, []entry{{TagOrientation, 1, 1, 2}}), true},
		"out of line":       {craft(be, []entry{{TagOrientation, 3, 3, 26}}, 0, 6, 0, 1, 0, 1), true},
		"already 1":         {craft(le, []entry{short(1)}), false},
		"absent":            {craft(le, []entry{{0x010f, 2, 4, 0}}), false},
		"rational type":     {craft(le, []entry{{TagOrientation, 5, 1, 8}}), false},
		"zero count":        {craft(le, []entry{{TagOrientation, 3, 0, 6}}), false},
		"out of line bad":   {craft(be, []entry{{TagOrientation, 3, 3, 0xfffffff0}}), false},
		"bad magic":         {[]byte("II+\x00\x08\x00\x00\x00"), false},
		"header only":       {[]byte("MM\x00*"), false},
		"ifd past end":      {[]byte("MM\x00*\x00\x00\x00\x08"), false},
		"entries cut short": {craft(le, []entry{short(6)})[:8+2+6], false},
		"empty":             {[]byte{}, false},
	}
	for name, tt := range tests {
		orig := bytes.Clone(tt.b)
		got := ResetOrientation(tt.b)
		if !bytes.Equal(tt.b, orig) {
			t.Errorf("%s: ResetOrientation modified its input", name)
		}
		if len(got) != len(tt.b) {
			t.Errorf("%s: copy is %d bytes, want %d", name, len(got), len(tt.b))
			continue
		}
		if len(got) > 0 && &got[0] == &tt.b[0] {
			t.Errorf("%s: result shares the input's memory", name)
		}
		if changed := !bytes.Equal(got, tt.b); changed != tt.changed {
			t.Errorf("%s: changed = %v, want %v (% x -> % x)", name, changed, tt.changed, tt.b, got)
		}
		if o := Orientation(got); o != 1 {
			t.Errorf("%s: Orientation after reset = %d, want 1", name, o)
		}
		// Everything but the orientation value is kept: resetting the
		// result again changes nothing.
		if again := ResetOrientation(got); !bytes.Equal(again, got) {
			t.Errorf("%s: a second reset changed the block", name)
		}
	}
	if ResetOrientation(nil) != nil {
		t.Error("ResetOrientation(nil) != nil")
	}
	// Only the two value bytes of the entry change.
	b := craft(be, []entry{{0x010f, 2, 4, 0}, short(6)})
	got := ResetOrientation(b)
	diff := 0
	for i := range b {
		if b[i] != got[i] {
			diff++
		}
	}
	if diff != 1 || Orientation(got) != 1 {
		t.Errorf("reset changed %d bytes (want 1: the low byte of the SHORT)", diff)
	}
}

func TestResetOrientationCorpus(t *testing.T) {
	for _, name := range []string{"exif-Landscape_6.jpg", "jpeg-photo-12mp-iphone-p3-orient6.jpg", "exif-Portrait_8.jpg"} {
		src := testcorpus.Read(t, name)
		block := FromJPEG(src)
		if o := Orientation(block); o == 1 {
			t.Fatalf("%s: orientation of the original block is 1; the test needs another", name)
		}
		got := ResetOrientation(block)
		if o := Orientation(got); o != 1 {
			t.Errorf("%s: Orientation after reset = %d, want 1", name, o)
		}
		if len(got) != len(block) {
			t.Errorf("%s: block changed size from %d to %d", name, len(block), len(got))
		}
		for _, tag := range []uint16{0x010f, 0x0110, 0x011a, 0x0128, 0x8769} { // Make, Model, XResolution, ResolutionUnit, ExifIFD
			v1, ok1 := Uint(block, tag)
			v2, ok2 := Uint(got, tag)
			if v1 != v2 || ok1 != ok2 {
				t.Errorf("%s: tag %#x changed from %d,%v to %d,%v", name, tag, v1, ok1, v2, ok2)
			}
		}
		if Orientation(FromJPEG(src)) == 1 {
			t.Errorf("%s: the source file was modified", name)
		}
	}
}

func FuzzResetOrientation(f *testing.F) {
	f.Add(craft(binary.LittleEndian, []entry{{TagOrientation, 3, 1, 6}}))
	f.Add(craft(binary.BigEndian, []entry{{TagOrientation, 3, 3, 26}}, 0, 6, 0, 1, 0, 1))
	f.Fuzz(func(t *testing.T, b []byte) {
		orig := bytes.Clone(b)
		got := ResetOrientation(b)
		if !bytes.Equal(b, orig) {
			t.Fatal("input modified")
		}
		if len(got) != len(b) {
			t.Fatalf("length %d, want %d", len(got), len(b))
		}
		// The header and the directory's place never change, and the
		// orientation is either reset or (for a tag that points where it
		// must not) left as it was.
		if n := min(len(b), 8); !bytes.Equal(got[:n], b[:n]) && !bytes.HasPrefix(b, []byte("Exif\x00\x00")) {
			t.Fatalf("header changed: % x -> % x", b[:n], got[:n])
		}
		v0, ok0 := Uint(b, TagOrientation)
		v1, ok1 := Uint(got, TagOrientation)
		if ok0 != ok1 || ok1 && v1 != 1 && v1 != v0 {
			t.Fatalf("orientation %d,%v after reset of %d,%v", v1, ok1, v0, ok0)
		}
	})
}
