// Package imgcdnfiber serves imgcdn images from a [fiber] v2 application.
// (For fiber v3, use the module github.com/imgcdn/imgcdn/adapters/fiberv3.)
//
// It offers the two usual shapes of a fiber integration, for a
// [middleware.Handler] made by [middleware.New]:
//
//   - [Mount] registers the Handler's routes (GET and HEAD) on the app or on
//     a route group, so that the group's middleware (authentication, CORS,
//     logging) runs for images as for any other route;
//   - [Middleware] is a fiber.Handler for app.Use that answers every request
//     under the Handler's prefix and passes the others on to the
//     application's own handlers.
//
// # How a fiber request reaches the Handler
//
// Fiber runs on fasthttp, whose request context is pooled and reused as
// soon as the handler returns, while the Handler may go on using its
// request afterwards: a transformation shared by several requests
// (singleflight) outlives the request that started it. So the adapter does
// not use fasthttp's zero-copy adaptor (fasthttpadaptor), whose
// *http.Request aliases fasthttp's buffers and whose context is the
// pooled *fasthttp.RequestCtx itself; it builds an *http.Request whose
// URL, headers and context belong to it alone, and writes the response
// into fasthttp's. Fiber's response headers set before the Handler runs
// (by a CORS middleware, say) are kept unless the Handler sets the same
// header. The request body is not read: the Handler serves GET and HEAD.
// The conversion is that of the package imgcdnfasthttp (module
// github.com/imgcdn/imgcdn/adapters/fasthttp), which the fiber v2 and v3
// adapters share and which serves plain fasthttp servers too.
//
// # What cancels a transformation
//
// fasthttp, unlike net/http, does not watch the connection while a
// handler runs, so a client that disconnects does NOT cancel the
// transformation it asked for: the work runs to its end (and its result is
// cached for the next request) or to the processing timeout. The request
// context the Handler sees is c.UserContext(), fiber's context of the
// request, with its values and its cancellation, and is cancelled by:
//
//   - the processing timeout of the Handler ([middleware.WithTimeout],
//     30 s by default): the client gets a 504 and the work is cancelled;
//   - the cancellation or deadline of c.UserContext(), as set by a fiber
//     middleware that runs before the adapter (c.SetUserContext, for example
//     fiber's timeout.NewWithContext or a tracing middleware that derives
//     the request's context): the client gets a 503 or a 504;
//   - the server shutting down (app.Shutdown, app.ShutdownWithTimeout,
//     app.ShutdownWithContext): fasthttp closes its server-wide done channel,
//     and every request in flight gets a 503 at once, so that the shutdown
//     is not held up by transformations.
//
// In every case a transformation is cancelled only when no other request
// is waiting for the same result. Values that fiber keeps in c.Locals are
// not in the request context (they live in the pooled fasthttp context);
// put what the store or the logger needs into c.UserContext().
//
// The package lives in its own module, so that the imgcdn module itself
// never depends on fiber or fasthttp.
package imgcdnfiber

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	imgcdnfasthttp "github.com/imgcdn/imgcdn/adapters/fasthttp"
	"github.com/imgcdn/imgcdn/middleware"
)

// Mount registers h on r for GET and HEAD requests (fiber's Get registers
// both) to every path under h's prefix (h.Prefix() + "/*"). r is the app or
// a route group (app.Group) whose prefix is h's prefix or a parent of it:
// for the default prefix "/img", Mount(app, h), Mount(app.Group("/img",
// auth), h) and Mount(app.Group("/"), h) all serve /img/...; the group's
// middleware runs before h. When r is an app that is later mounted into
// another (app.Mount), the Handler's prefix must include that mount path,
// which Mount cannot see.
//
// Other methods under the prefix get fiber's own answer (405 or 404), and
// other routes may be registered for them (a POST /img/upload, say).
//
// Like fiber's own route registration, Mount panics when it cannot
// register the routes: when the prefix is not under r's prefix, when r is
// neither a *fiber.App nor a *fiber.Group, or when the prefix is "" (the
// Handler owns every path; use [Middleware] instead).
func Mount(r fiber.Router, h *middleware.Handler) {
	prefix := h.Prefix()
	if prefix == "" {
		panic("imgcdnfiber: Mount: the Handler's prefix is \"\" (every path): use app.Use(imgcdnfiber.Middleware(h)) instead")
	}
	var base string
	switch r := r.(type) {
	case *fiber.App:
	case *fiber.Group:
		base = strings.TrimSuffix(r.Prefix, "/")
	default:
		panic(fmt.Sprintf("imgcdnfiber: Mount: unsupported router %T: use the *fiber.App or a *fiber.Group", r))
	}
	rel, ok := strings.CutPrefix(prefix, base)
	if !ok || (rel != "" && rel[0] != '/') {
		panic(fmt.Sprintf("imgcdnfiber: Mount: the Handler's prefix %q is not under the router's prefix %q", prefix, base))
	}
	r.Get(rel+"/*", handler(h))
}

// Middleware returns a fiber handler, for app.Use, that serves every
// request under h's prefix (whatever its method: h answers 405 to methods
// other than GET and HEAD) and calls c.Next for every other request. The
// prefix is matched against the request's path as sent (escaped), as
// [middleware.Handler.Wrap] does. The application's routes under the prefix
// are never reached.
func Middleware(h *middleware.Handler) fiber.Handler {
	serve := handler(h)
	return func(c *fiber.Ctx) error {
		if !h.Match(string(c.Context().URI().PathOriginal())) {
			return c.Next()
		}
		return serve(c)
	}
}

// handler returns the fiber handler that serves a request with h, through
// the conversion of [imgcdnfasthttp.Adapter], with the request context
// c.UserContext().
func handler(h *middleware.Handler) fiber.Handler {
	a := imgcdnfasthttp.NewAdapter(h)
	return func(c *fiber.Ctx) error {
		if err := a.Serve(c.UserContext(), c.Context()); err != nil {
			return fmt.Errorf("imgcdnfiber: %w: %w", fiber.ErrBadRequest, err)
		}
		return nil
	}
}
