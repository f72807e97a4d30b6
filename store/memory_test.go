package store_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/store"
	"github.com/imgcdn/imgcdn/store/storetest"
)

func TestMemoryConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return store.Memory() })
}

func TestMemoryCopies(t *testing.T) {
	m := store.Memory()
	ctx := t.Context()
	src := []byte("original")
	if err := m.Put(ctx, "k", bytes.NewReader(src), store.PutOptions{ContentType: "text/plain"}); err != nil {
		t.Fatal(err)
	}
	copy(src, "CHANGED!")
	rc, info, err := m.Open(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	buf, _ := io.ReadAll(rc)
	if string(buf) != "original" {
		t.Errorf("Open after changing Put's source = %q, want %q", buf, "original")
	}
	copy(buf, "CHANGED!")
	rc, _, _ = m.Open(ctx, "k")
	if b, _ := io.ReadAll(rc); string(b) != "original" {
		t.Errorf("Open after changing a read buffer = %q, want %q", b, "original")
	}
	if info.ContentType != "text/plain" {
		t.Errorf("ContentType = %q, want %q", info.ContentType, "text/plain")
	}
	if info.ModTime.IsZero() {
		t.Errorf("ModTime is zero, want the time of Put")
	}
}

func TestMemoryETagIsContentHash(t *testing.T) {
	m := store.Memory()
	ctx := t.Context()
	for _, k := range []string{"a", "b/c"} {
		if err := m.Put(ctx, k, strings.NewReader("same"), store.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := m.Stat(ctx, "a")
	b, _ := m.Stat(ctx, "b/c")
	if a.ETag != b.ETag {
		t.Errorf("ETags of equal contents differ: %s, %s", a.ETag, b.ETag)
	}
	f := store.FS(storetest.FixtureFS())
	m = store.Memory()
	for k, v := range storetest.Fixture() {
		if err := m.Put(ctx, k, bytes.NewReader(v), store.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		mi, _ := m.Stat(ctx, k)
		fi, err := f.Stat(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		if mi.ETag != fi.ETag {
			t.Errorf("Memory ETag of %q = %s, FS (no modification time) = %s; want the same", k, mi.ETag, fi.ETag)
		}
	}
}
