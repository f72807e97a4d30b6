package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/examples/internal/demotest"
)

func TestServer(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, "127.0.0.1:0", "", slog.New(slog.DiscardHandler), ready) }()
	select {
	case addr := <-ready:
		demotest.Check(t, "http://"+addr)
	case err := <-done:
		t.Fatalf("run: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after shutdown: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the server did not shut down")
	}
}
