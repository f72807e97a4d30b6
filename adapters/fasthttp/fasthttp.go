// Package imgcdnfasthttp serves imgcdn images from a [fasthttp] server, and
// holds the conversion between fasthttp and net/http that the fiber
// adapters (modules github.com/imgcdn/imgcdn/adapters/fiber and
// github.com/imgcdn/imgcdn/adapters/fiberv3) share.
//
// [Handler] is a fasthttp.RequestHandler that serves every request with a
// [middleware.Handler] made by [middleware.New]; a server that serves
// other paths too calls it for the paths under the Handler's prefix
// (h.Match). [Adapter] is the same conversion for a framework that runs on
// fasthttp and has a request context of its own.
//
// # How a fasthttp request reaches the Handler
//
// fasthttp's request context is pooled and reused as soon as the fasthttp
// handler returns, while the Handler may go on using its request
// afterwards: a transformation shared by several requests (singleflight)
// outlives the request that started it. So the package does not use
// fasthttp's zero-copy adaptor (fasthttpadaptor), whose *http.Request
// aliases fasthttp's buffers and whose context is the pooled
// *fasthttp.RequestCtx itself; it builds an *http.Request whose URL,
// headers (repeated fields kept) and context belong to it alone, and
// writes the status, header fields and body into fasthttp's response.
// Response header fields set before the Handler runs (by a CORS
// middleware, say) are kept unless the Handler sets the same field. The
// request body is not read: the Handler serves GET and HEAD.
//
// # What cancels a transformation
//
// fasthttp, unlike net/http, does not watch the connection while a
// handler runs, so a client that disconnects does NOT cancel the
// transformation it asked for: the work runs to its end (and its result is
// cached for the next request) or to the processing timeout. The request
// context is cancelled by:
//
//   - the processing timeout of the Handler ([middleware.WithTimeout],
//     30 s by default): the client gets a 504 and the work is cancelled;
//   - the cancellation or deadline of the context given to
//     [Adapter.Serve] (a framework's request context);
//   - the server shutting down (fasthttp.Server.Shutdown): fasthttp closes
//     its server-wide done channel, and every request in flight gets a 503
//     at once, so that the shutdown is not held up by transformations.
//
// In every case a transformation is cancelled only when no other request
// is waiting for the same result.
//
// The package lives in its own module, so that the imgcdn module itself
// never depends on fasthttp.
package imgcdnfasthttp

import (
	"context"
	"fmt"
	"net/http"
	"sync"

	"github.com/valyala/fasthttp"

	"github.com/imgcdn/imgcdn/middleware"
)

// ErrShutdown is the cause (context.Cause) of the cancellation of the
// requests in flight when the fasthttp server shuts down. It is a
// context.Canceled, so the Handler answers 503.
var ErrShutdown = fmt.Errorf("imgcdnfasthttp: server shutting down: %w", context.Canceled)

// Handler returns a fasthttp request handler that serves every request
// with h (h answers 404 to the paths outside its prefix). The request
// context is cancelled by the processing timeout and by the server's
// shutdown. A request whose URI net/url refuses gets a 400.
func Handler(h *middleware.Handler) fasthttp.RequestHandler {
	a := NewAdapter(h)
	return func(fctx *fasthttp.RequestCtx) {
		if err := a.Serve(context.Background(), fctx); err != nil {
			fctx.Error(fasthttp.StatusMessage(fasthttp.StatusBadRequest), fasthttp.StatusBadRequest)
		}
	}
}

// Adapter serves fasthttp requests with a Handler, for a framework that
// runs on fasthttp (fiber). It is safe for concurrent use.
type Adapter struct {
	h *middleware.Handler
	// shutdowns maps the done channel of each fasthttp server that has
	// served a request (fasthttp makes one per run of Serve and closes it
	// on Shutdown) to a context cancelled when the channel is closed.
	shutdowns sync.Map // <-chan struct{} → context.Context
}

// NewAdapter returns an Adapter that serves requests with h.
func NewAdapter(h *middleware.Handler) *Adapter { return &Adapter{h: h} }

// Serve serves the request of fctx with the Handler, with ctx as the
// request's context (context.Background() when the framework has none),
// cancelled too when fctx's server shuts down (with the cause
// [ErrShutdown]). The Handler writes its whole answer into fctx.Response,
// errors included; Serve returns an error, having written nothing, only
// when the request cannot be converted (a request URI that net/url
// refuses), for the caller to answer 400.
func (a *Adapter) Serve(ctx context.Context, fctx *fasthttp.RequestCtx) error {
	if done := fctx.Done(); done != nil {
		// Cancel the request when the server shuts down.
		shutdown := a.shutdownContext(done)
		if ctx == context.Background() {
			ctx = shutdown // the default: nothing else to keep
		} else {
			var cancel context.CancelCauseFunc
			ctx, cancel = context.WithCancelCause(ctx)
			stop := context.AfterFunc(shutdown, func() { cancel(context.Cause(shutdown)) })
			defer stop()
			defer cancel(nil)
		}
	}
	r, err := NewRequest(ctx, fctx)
	if err != nil {
		return err
	}
	w := responseWriter{resp: &fctx.Response, header: make(http.Header, 8)}
	a.h.ServeHTTP(&w, r)
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	return nil
}

// shutdownContext returns the context cancelled when the server's done
// channel is closed: one context, and one goroutine waiting for the
// channel, per run of a server.
func (a *Adapter) shutdownContext(done <-chan struct{}) context.Context {
	if ctx, ok := a.shutdowns.Load(done); ok {
		return ctx.(context.Context)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	if actual, loaded := a.shutdowns.LoadOrStore(done, ctx); loaded {
		cancel(nil)
		return actual.(context.Context)
	}
	go func() {
		<-done
		cancel(ErrShutdown)
		a.shutdowns.Delete(done)
	}()
	return ctx
}
