package middleware

import (
	"context"
	"fmt"
	"sync/atomic"
)

// pool bounds the work in progress: at most cap(slots) holders at once, and
// at most queue callers waiting for a slot. It is safe for concurrent use.
type pool struct {
	slots   chan struct{}
	waiting atomic.Int64
	queue   int64
}

func newPool(workers, queue int) *pool {
	return &pool{slots: make(chan struct{}, workers), queue: int64(queue)}
}

// acquire takes a slot, waiting in the queue when none is free. It returns
// errQueueFull at once when the queue is full too, and ctx's error (wrapped)
// when ctx ends first. A nil error must be paired with release.
func (p *pool) acquire(ctx context.Context) error {
	select {
	case p.slots <- struct{}{}:
		return nil
	default:
	}
	if p.waiting.Add(1) > p.queue {
		p.waiting.Add(-1)
		return errQueueFull
	}
	defer p.waiting.Add(-1)
	select {
	case p.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for a worker: %w", context.Cause(ctx))
	}
}

// release gives back a slot taken by acquire.
func (p *pool) release() { <-p.slots }
