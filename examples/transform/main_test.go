package main

import (
	"bytes"
	"errors"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/testcorpus"
	"github.com/imgcdn/imgcdn/pipeline"
)

func TestRun(t *testing.T) {
	in := testcorpus.Path(t, "jpeg-photo-1920x1080.jpg")
	out := filepath.Join(t.TempDir(), "thumb.jpg")
	if err := run(in, "w-400,h-300,fo-auto", out, time.Minute); err != nil {
		t.Fatalf("run: %v", err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("output is not a JPEG: %v", err)
	}
	if cfg.Width != 400 || cfg.Height != 300 {
		t.Errorf("output is %dx%d, want 400x300", cfg.Width, cfg.Height)
	}
}

func TestRunErrors(t *testing.T) {
	in := testcorpus.Path(t, "jpeg-photo-1920x1080.jpg")
	out := filepath.Join(t.TempDir(), "x.jpg")
	var pe *pipeline.ParamError
	if err := run(in, "w-abc", out, time.Minute); !errors.As(err, &pe) || pe.Param != "w" {
		t.Errorf("run with a bad -tr = %v, want a *pipeline.ParamError for w", err)
	}
	if err := run("", "w-10", out, time.Minute); err == nil {
		t.Error("run without -in succeeded")
	}
	if err := run(filepath.Join(t.TempDir(), "missing.jpg"), "w-10", out, time.Minute); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("run with a missing file = %v, want os.ErrNotExist", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed run wrote %s", out)
	}
}
