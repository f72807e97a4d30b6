// Command transform applies an imgcdn transformation to an image file.
//
//	go run ./transform -in photo.jpg -tr 'w-400,h-300,fo-auto' -out thumb.jpg
//
// The -tr string uses the same grammar as the tr: path segment and the ?tr=
// query parameter of imgcdn URLs.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/imgcdn/imgcdn/pipeline"
)

func main() {
	in := flag.String("in", "", "source image `file`")
	tr := flag.String("tr", "", "transformation, e.g. w-400,h-300:rt-90")
	out := flag.String("out", "", "output `file` (default: stdout)")
	timeout := flag.Duration("timeout", 30*time.Second, "processing time limit")
	flag.Parse()
	if err := run(*in, *tr, *out, *timeout); err != nil {
		slog.Error("transform failed", "err", err)
		os.Exit(1)
	}
}

func run(in, tr, out string, timeout time.Duration) error {
	if in == "" {
		return errors.New("-in is required")
	}
	chain, err := pipeline.Parse(tr)
	if err != nil {
		return fmt.Errorf("parse -tr: %w", err)
	}
	src, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	start := time.Now()
	res, err := pipeline.Process(ctx, src, chain, nil)
	if err != nil {
		return err
	}
	slog.Info("transformed", "chain", chain.String(), "format", res.Format.String(),
		"width", res.Width, "height", res.Height, "bytes", len(res.Bytes), "took", time.Since(start).Round(time.Millisecond))
	if out == "" {
		_, err = os.Stdout.Write(res.Bytes)
		return err
	}
	return os.WriteFile(out, res.Bytes, 0o644)
}
