// Package imgcdnechov5 serves imgcdn images from an [echo] v5 application.
// (For echo v4, use the module github.com/imgcdn/imgcdn/adapters/echo.)
//
// It offers the two usual shapes of an echo integration, for a
// [middleware.Handler] made by [middleware.New]:
//
//   - [Mount] registers the Handler's routes (GET and HEAD) on a route
//     group made at the Handler's prefix, so that the group's middleware
//     (authentication, CORS, logging) runs for images as for any other
//     route;
//   - [Middleware] is an echo.MiddlewareFunc, for e.Pre or e.Use, that
//     answers every request under the Handler's prefix and passes the
//     others on to the application's own handlers.
//
// Either way the Handler writes to echo's response (c.Response(), so
// echo's logger sees the status and size) and reads c.Request(), whose
// context is the net/http request's: a client that disconnects cancels
// the transformation it was waiting for (unless other clients wait for
// the same result), and a middleware that replaces the request with one
// carrying a shorter deadline (c.SetRequest) shortens the work too. The
// Handler writes its own error responses (404, 400, ...) and returns no
// error to echo, so echo's HTTPErrorHandler is not involved.
//
// The package lives in its own module, so that the imgcdn module itself
// never depends on echo.
package imgcdnechov5

import (
	"fmt"

	"github.com/labstack/echo/v5"

	"github.com/imgcdn/imgcdn/middleware"
)

// Mount registers h on the route group g for GET and HEAD requests to
// every path under h's prefix ("/*"). g must be the group of h's prefix,
// e.Group(h.Prefix(), ...) or a subgroup whose prefixes add up to it;
// its middleware runs before h.
//
// Other methods under the prefix get echo's own answer (404 or 405), and
// other routes may be registered on g for them (a POST /img/upload, say).
//
// Like echo's own route registration, Mount panics when the routes cannot
// be registered: when g's prefix is not h's (echo does not tell a
// group's prefix before a route is added, so Mount checks the path of the
// route it added), or when the prefix is "" (the Handler owns every path;
// use [Middleware] instead).
func Mount(g *echo.Group, h *middleware.Handler) {
	if h.Prefix() == "" {
		panic("imgcdnechov5: Mount: the Handler's prefix is \"\" (every path): use e.Pre(imgcdnechov5.Middleware(h)) instead")
	}
	serve := handler(h)
	if r := g.GET("/*", serve); r.Path != h.Prefix()+"/*" {
		panic(fmt.Sprintf("imgcdnechov5: Mount: the group's prefix %q is not the Handler's prefix %q", r.Path[:len(r.Path)-2], h.Prefix()))
	}
	g.HEAD("/*", serve)
}

// Middleware returns an echo middleware that serves every request under
// h's prefix (whatever its method: h answers 405 to methods other than GET
// and HEAD) and calls the next handler for every other request. Use it
// with e.Pre, which runs before routing, or e.Use (echo runs it for
// requests that match no route too, so no route needs to be registered
// for the images). The application's routes under the prefix are never
// reached.
func Middleware(h *middleware.Handler) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			if !h.Match(c.Request().URL.EscapedPath()) {
				return next(c)
			}
			h.ServeHTTP(c.Response(), c.Request())
			return nil
		}
	}
}

// handler returns the echo handler of the routes that Mount registers.
func handler(h *middleware.Handler) echo.HandlerFunc {
	return func(c *echo.Context) error {
		h.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}
