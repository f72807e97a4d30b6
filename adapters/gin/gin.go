// Package imgcdngin serves imgcdn images from a [gin] application.
//
// It offers the two usual shapes of a gin integration, for a
// [middleware.Handler] made by [middleware.New]:
//
//   - [Mount] registers the Handler's routes (GET and HEAD) on the engine or
//     on a route group, so that the group's middleware (authentication,
//     CORS, logging) runs for images as for any other route;
//   - [Middleware] is a gin.HandlerFunc for engine.Use that answers every
//     request under the Handler's prefix and passes the others on to the
//     application's own handlers.
//
// Either way the Handler gets gin's own http.ResponseWriter and
// *http.Request (c.Writer and c.Request), so gin's logger sees the status
// and size written, and the request context is the net/http request's: a
// client that disconnects cancels the transformation it was waiting for
// (unless other clients wait for the same result), and a middleware
// that replaces c.Request with a request carrying a shorter deadline
// shortens the work too.
//
// The package lives in its own module, so that the imgcdn module itself
// never depends on gin.
package imgcdngin

import (
	"fmt"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/imgcdn/imgcdn/middleware"
)

// Router is what [Mount] registers routes on: a *gin.Engine or a
// *gin.RouterGroup.
type Router interface {
	gin.IRoutes
	// BasePath returns the router's path, "/" for the engine.
	BasePath() string
}

// Mount registers h on r for GET and HEAD requests to every path under h's
// prefix (h.Prefix() + "/*path"). r is the engine or a route group whose
// path is the prefix or a parent of it: for the default prefix "/img",
// Mount(engine, h), Mount(engine.Group("/img", auth), h) and
// Mount(engine.Group("/"), h) all serve /img/...; the group's middleware
// runs before h.
//
// Other methods under the prefix get gin's own answer (404, or 405 with
// engine.HandleMethodNotAllowed), and other routes may be registered
// under the prefix for them (a POST /img/upload, say).
//
// Like gin's own route registration, Mount panics when the routes cannot
// be registered: when the prefix is not under r's path, or when the
// prefix is "" (the Handler owns every path; use [Middleware] instead) or
// the routes conflict with routes already registered.
func Mount(r Router, h *middleware.Handler) {
	prefix := h.Prefix()
	if prefix == "" {
		panic("imgcdngin: Mount: the Handler's prefix is \"\" (every path): use engine.Use(imgcdngin.Middleware(h)) instead")
	}
	base := strings.TrimSuffix(r.BasePath(), "/")
	rel, ok := strings.CutPrefix(prefix, base)
	if !ok || (rel != "" && rel[0] != '/') {
		panic(fmt.Sprintf("imgcdngin: Mount: the Handler's prefix %q is not under the router's path %q", prefix, r.BasePath()))
	}
	serve := handler(h)
	r.GET(rel+"/*path", serve)
	r.HEAD(rel+"/*path", serve)
}

// Middleware returns a gin middleware, for engine.Use, that serves every
// request under h's prefix (whatever its method: h answers 405 to methods
// other than GET and HEAD) and aborts the chain, and calls c.Next for
// every other request. gin runs the engine's middleware for requests that
// match no route too, so no route needs to be registered for the images.
//
// Use it before registering routes (gin copies the engine's middleware into
// each route when the route is added). The routes of the application
// under the prefix are never reached.
func Middleware(h *middleware.Handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !h.Match(c.Request.URL.EscapedPath()) {
			c.Next()
			return
		}
		h.ServeHTTP(c.Writer, c.Request)
		c.Abort()
	}
}

// handler returns the gin handler of the routes that Mount registers.
func handler(h *middleware.Handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		h.ServeHTTP(c.Writer, c.Request)
	}
}
