package store_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/store"
	"github.com/imgcdn/imgcdn/store/storetest"
)

// newDir returns a DirStore of dir, closed when t ends.
func newDir(t *testing.T, dir string) *store.DirStore {
	t.Helper()
	d, err := store.Dir(dir)
	if err != nil {
		t.Fatalf("Dir(%q): %v", dir, err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestDirConformance(t *testing.T) {
	t.Run("empty", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store { return newDir(t, t.TempDir()) })
	})
	t.Run("prefilled", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store {
			dir := t.TempDir()
			storetest.WriteFixture(t, dir)
			return newDir(t, dir)
		})
	})
}

func TestDirMissing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	if d, err := store.Dir(missing); err == nil {
		d.Close()
		t.Fatalf("Dir(%q) succeeded", missing)
	} else if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Dir(%q) error = %v, want fs.ErrNotExist", missing, err)
	}
	file := filepath.Join(t.TempDir(), "file")
	writeFile(t, file, "x")
	if d, err := store.Dir(file); err == nil {
		d.Close()
		t.Errorf("Dir(%q) of a regular file succeeded", file)
	}
}

func TestDirClosed(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.txt"), "a")
	d, err := store.Dir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := d.Stat(t.Context(), "a.txt"); err == nil {
		t.Errorf("Stat after Close succeeded")
	}
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o666); err != nil {
		t.Fatal(err)
	}
}

// symlink makes a symbolic link, or skips t where the system refuses.
func symlink(t *testing.T, target, name string) {
	t.Helper()
	if err := os.Symlink(target, name); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
}

// TestDirTraversal tries to read, write and delete a file beside the store's
// directory through every way out we know of, and checks that none works.
func TestDirTraversal(t *testing.T) {
	const secretText = "TOP SECRET"
	base := t.TempDir()
	secret := filepath.Join(base, "secret.txt")
	writeFile(t, secret, secretText)
	root := filepath.Join(base, "root")
	writeFile(t, filepath.Join(root, "ok.txt"), "ok")
	writeFile(t, filepath.Join(root, "sub", "inner.txt"), "inner")

	symlink(t, secret, filepath.Join(root, "abs-link.txt"))
	symlink(t, filepath.Join("..", "secret.txt"), filepath.Join(root, "rel-link.txt"))
	symlink(t, filepath.Join("..", "..", "secret.txt"), filepath.Join(root, "sub", "rel-link.txt"))
	symlink(t, base, filepath.Join(root, "outdir"))
	symlink(t, "..", filepath.Join(root, "outdir-rel"))
	symlink(t, "ok.txt", filepath.Join(root, "in-link.txt"))
	symlink(t, "sub", filepath.Join(root, "in-dir"))

	d := newDir(t, root)
	ctx := t.Context()

	escapes := []string{
		"../secret.txt",
		"./../secret.txt",
		"sub/../../secret.txt",
		"ok.txt/../../secret.txt",
		"%2e%2e/secret.txt",
		"%2E%2E/secret.txt",
		"%2e%2e%2fsecret.txt",
		"..%2fsecret.txt",
		"..%5csecret.txt",
		"%252e%252e/secret.txt",
		"..\\secret.txt",
		"sub\\..\\..\\secret.txt",
		".../secret.txt",
		"..../secret.txt",
		secret,
		filepath.ToSlash(secret),
		"/../secret.txt",
		"//" + strings.TrimPrefix(filepath.ToSlash(secret), "/"),
		"secret.txt\x00",
		"../secret.txt\x00.jpg",
		"sub/\x00/../../secret.txt",
		"abs-link.txt",
		"rel-link.txt",
		"sub/rel-link.txt",
		"outdir/secret.txt",
		"outdir-rel/secret.txt",
		"outdir/root/ok.txt",
		"in-dir/../../secret.txt",
	}

	checkSecret := func(t *testing.T) {
		t.Helper()
		b, err := os.ReadFile(secret)
		if err != nil || string(b) != secretText {
			t.Fatalf("the secret file was changed: %q, %v", b, err)
		}
		// Nothing but the secret and the root may appear beside the root.
		entries, err := os.ReadDir(base)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if !slices.Equal(names, []string{"root", "secret.txt"}) {
			t.Fatalf("beside the root: %q, want only root and secret.txt", names)
		}
	}

	for _, key := range escapes {
		rc, _, err := d.Open(ctx, key)
		if err == nil {
			b, _ := io.ReadAll(rc)
			rc.Close()
			if bytes.Contains(b, []byte(secretText)) {
				t.Fatalf("Open(%q) read the secret", key)
			}
			t.Errorf("Open(%q) succeeded", key)
		} else if rc != nil {
			t.Errorf("Open(%q) returned a reader with error %v", key, err)
		}
		if info, err := d.Stat(ctx, key); err == nil {
			t.Errorf("Stat(%q) = %+v, want an error", key, info)
		}
	}

	// Listing shows the files inside, including a link to one, and nothing
	// reached through links that leave.
	var listed []string
	for info, err := range d.List(ctx, "") {
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		listed = append(listed, info.Key)
	}
	if want := []string{"in-link.txt", "ok.txt", "sub/inner.txt"}; !slices.Equal(listed, want) {
		t.Errorf("List = %q, want %q", listed, want)
	}

	// Links that stay inside are followed.
	for key, want := range map[string]string{"in-link.txt": "ok", "in-dir/inner.txt": "inner"} {
		rc, _, err := d.Open(ctx, key)
		if err != nil {
			t.Errorf("Open(%q): %v", key, err)
			continue
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if string(b) != want {
			t.Errorf("Open(%q) = %q, want %q", key, b, want)
		}
	}

	for _, key := range escapes {
		_ = d.Put(ctx, key, strings.NewReader("pwned"), store.PutOptions{})
		checkSecret(t)
		_ = d.Delete(ctx, key)
		checkSecret(t)
	}
	for _, key := range []string{"outdir/new.txt", "outdir-rel/new.txt", "outdir/sub/new.txt"} {
		if err := d.Put(ctx, key, strings.NewReader("pwned"), store.PutOptions{}); err == nil {
			t.Errorf("Put(%q) through a link out of the root succeeded", key)
		}
		checkSecret(t)
	}
}

// tempFiles returns the paths of Put's temporary files under dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(e.Name(), ".imgcdn-tmp-") {
			found = append(found, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

var errReader = errors.New("reader failed")

// halfReader yields its data, then fails.
type halfReader struct{ r io.Reader }

func (h halfReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if err == io.EOF {
		return n, errReader
	}
	return n, err
}

func TestDirPutAtomic(t *testing.T) {
	dir := t.TempDir()
	d := newDir(t, dir)
	ctx := t.Context()
	put := func(key, content string) error {
		return d.Put(ctx, key, strings.NewReader(content), store.PutOptions{})
	}
	if err := put("x/y/z.txt", "first"); err != nil {
		t.Fatalf("Put: %v", err)
	}
	if err := put("x/y/z.txt", "second"); err != nil {
		t.Fatalf("Put: %v", err)
	}
	err := d.Put(ctx, "x/y/z.txt", halfReader{strings.NewReader(strings.Repeat("third", 100_000))}, store.PutOptions{})
	if !errors.Is(err, errReader) {
		t.Errorf("Put with a failing reader: error = %v, want the reader's", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "x", "y", "z.txt")); err != nil || string(b) != "second" {
		t.Errorf("after a failed Put the file holds %q (%v), want %q", b, err, "second")
	}
	err = d.Put(ctx, "x/new.txt", halfReader{strings.NewReader("partial")}, store.PutOptions{})
	if !errors.Is(err, errReader) {
		t.Errorf("Put with a failing reader: error = %v, want the reader's", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "x", "new.txt")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a failed Put of a new key left a file (%v)", err)
	}
	if f := tempFiles(t, dir); len(f) > 0 {
		t.Errorf("temporary files left behind: %q", f)
	}

	// A directory is not replaced by a file.
	if err := put("x/y", "over a directory"); err == nil {
		t.Errorf("Put over a directory succeeded")
	}
	if st, err := os.Stat(filepath.Join(dir, "x", "y")); err != nil || !st.IsDir() {
		t.Errorf("Put over a directory changed it: %v", err)
	}
	if f := tempFiles(t, dir); len(f) > 0 {
		t.Errorf("temporary files left behind: %q", f)
	}
}

func TestDirTempNamesReserved(t *testing.T) {
	dir := t.TempDir()
	// A temporary file left by a crash.
	writeFile(t, filepath.Join(dir, "p", ".imgcdn-tmp-0123"), "partial")
	writeFile(t, filepath.Join(dir, "p", "ok.txt"), "ok")
	d := newDir(t, dir)
	ctx := t.Context()
	for _, key := range []string{"p/.imgcdn-tmp-0123", ".imgcdn-tmp-x"} {
		if _, _, err := d.Open(ctx, key); !errors.Is(err, store.ErrInvalidKey) {
			t.Errorf("Open(%q) error = %v, want store.ErrInvalidKey", key, err)
		}
		if err := d.Put(ctx, key, strings.NewReader("x"), store.PutOptions{}); !errors.Is(err, store.ErrInvalidKey) {
			t.Errorf("Put(%q) error = %v, want store.ErrInvalidKey", key, err)
		}
	}
	var keys []string
	for info, err := range d.List(ctx, "") {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, info.Key)
	}
	if want := []string{"p/ok.txt"}; !slices.Equal(keys, want) {
		t.Errorf("List = %q, want %q", keys, want)
	}
}

var modETagRE = regexp.MustCompile(`^"[0-9a-f]+-[0-9a-f]+"$`)

func TestDirETag(t *testing.T) {
	dir := t.TempDir()
	storetest.WriteFixture(t, dir)
	d := newDir(t, dir)
	f := store.FS(os.DirFS(dir))
	for key := range storetest.Fixture() {
		di, err := d.Stat(t.Context(), key)
		if err != nil {
			t.Fatal(err)
		}
		if !modETagRE.MatchString(di.ETag) {
			t.Errorf("Dir Stat(%q).ETag = %s, want %s", key, di.ETag, modETagRE)
		}
		if di.ContentType != "" {
			t.Errorf("Dir Stat(%q).ContentType = %q, want none", key, di.ContentType)
		}
		fi, err := f.Stat(t.Context(), key)
		if err != nil {
			t.Fatal(err)
		}
		if fi.ETag != di.ETag {
			t.Errorf("FS(os.DirFS) ETag of %q = %s, Dir's = %s; want the same", key, fi.ETag, di.ETag)
		}
	}
}
