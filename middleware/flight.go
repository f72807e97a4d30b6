package middleware

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// flightGroup runs one piece of work per key at a time and shares its
// result with every caller that asks for the same key meanwhile
// (singleflight), while keeping each caller's cancellation:
//
//   - The work runs in its own goroutine, under a context detached from
//     any one request (it keeps the first request's values) with the
//     processing timeout of its own.
//   - Callers are reference-counted. A caller whose request ends (client
//     gone, or its timeout) stops waiting at once; when the last caller of
//     a key has gone, the work's context is cancelled, so a sole requester
//     that disconnects cancels the work, while a disconnect among several
//     requesters does not hurt the others.
//
// It is safe for concurrent use.
type flightGroup struct {
	g       singleflight.Group
	timeout time.Duration

	mu    sync.Mutex
	calls map[string]*flightCall
}

// flightCall is the shared state of the callers of one key.
type flightCall struct {
	ctx    context.Context
	cancel context.CancelFunc
	refs   int
}

// do returns the result of fn for key, running fn unless a call for key is
// already in flight. fn gets the shared context. do returns early with
// ctx's error when ctx ends, and with the shared context's error when the
// work outlives its timeout (even if fn ignores its context).
func (f *flightGroup) do(ctx context.Context, key string, fn func(context.Context) (*entry, error)) (*entry, error) {
	f.mu.Lock()
	if f.calls == nil {
		f.calls = make(map[string]*flightCall)
	}
	c := f.calls[key]
	if c == nil {
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), f.timeout)
		c = &flightCall{ctx: wctx, cancel: cancel}
		f.calls[key] = c
	}
	c.refs++
	// DoChan is called under f.mu, so that a caller never joins a call
	// that leave has already forgotten.
	ch := f.g.DoChan(key, func() (v any, err error) {
		defer f.finish(key, c)
		// The work runs in its own goroutine, out of reach of the
		// HTTP server's recovery: a panic becomes an error (a 500).
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
			}
		}()
		return fn(c.ctx)
	})
	f.mu.Unlock()

	select {
	case res := <-ch:
		f.leave(key, c)
		if res.Err != nil {
			return nil, res.Err
		}
		return res.Val.(*entry), nil
	case <-ctx.Done():
		f.leave(key, c)
		return nil, context.Cause(ctx)
	case <-c.ctx.Done():
		f.leave(key, c)
		return nil, context.Cause(c.ctx)
	}
}

// finish runs when the work of c ends: later callers start a new call.
func (f *flightGroup) finish(key string, c *flightCall) {
	f.mu.Lock()
	if f.calls[key] == c {
		delete(f.calls, key)
	}
	f.mu.Unlock()
}

// leave drops one caller of c; the last one cancels the work and makes
// sure that no later caller joins it.
func (f *flightGroup) leave(key string, c *flightCall) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c.refs--
	if c.refs > 0 {
		return
	}
	c.cancel()
	if f.calls[key] == c {
		delete(f.calls, key)
		f.g.Forget(key)
	}
}
