package store_test

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"log"

	"github.com/imgcdn/imgcdn/store"
)

//go:embed testdata/hello.txt
var embedded embed.FS

// ExampleFS serves files embedded in the program. An embed.FS keeps no
// modification times, so the ETag is a hash of the content.
func ExampleFS() {
	s := store.FS(embedded)
	rc, info, err := s.Open(context.Background(), "testdata/hello.txt")
	if err != nil {
		log.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d bytes, ETag %s\n%s", info.Key, info.Size, info.ETag, b)

	_, err = s.Stat(context.Background(), "testdata/missing.txt")
	fmt.Println(errors.Is(err, store.ErrNotExist))
	// Output:
	// testdata/hello.txt: 29 bytes, ETag "085d6c2fd5674234c03c69e9634163b4"
	// Hello from an embedded file.
	// true
}
