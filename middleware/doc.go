// Package middleware serves transformed images over HTTP with
// ImageKit-compatible URLs: [New] makes a [Handler] for a [store.Store] of
// source images; the Handler is an http.Handler for the paths under its
// prefix, and [Handler.Wrap] puts it in front of another handler.
//
//	images, err := store.Dir("/srv/images")
//	...
//	h, err := middleware.New(images,
//		middleware.WithSigningKeys(os.Getenv("IMGCDN_KEY")),
//		middleware.WithSigningRequired(true))
//	...
//	http.ListenAndServe(":8080", h.Wrap(app))
//
// # URLs
//
// With the default prefix "/img":
//
//	/img/tr:w-300,h-200/photos/cat.jpg        path form
//	/img/photos/cat.jpg?tr=w-300,h-200        query form
//	/img/tr:w-300:rt-90/photos/cat.jpg        chained steps, left to right
//	/img/tr:w-300/photos/cat.jpg?tr=rt-90     both: the path steps run first
//	/img/photos/cat.jpg                       the default transformation, if any
//
// The grammar is [pipeline.Parse]'s. n-NAME expands a named transformation
// ([WithNamedTransformations]); orig-true serves the source bytes unchanged;
// di-PATH names a default image served, with the same transformations, when
// the source does not exist ([WithDefaultImage] sets a server-wide one). SVG
// sources are served unchanged unless a raster format is asked for, which
// is a 415. Source keys are the unescaped path after the transformation
// segment; a key with "." or ".." segments, an encoded '/' or a backslash is
// a 400, so no URL reaches outside the store.
//
// Signed URLs carry ik-s (and optionally ik-t, an expiry in Unix seconds),
// computed as ImageKit's SDKs do: the lowercase hexadecimal HMAC-SHA1 of the
// URL after prefix + "/" (the tr: segment, the path as sent and the query
// without ik-s and ik-t) followed by the expiry or 9999999999. See
// [WithSigningKeys] and [WithSigningRequired].
//
// # Output format
//
// An explicit f- wins. f-auto (the default) lets the pipeline choose among
// the formats every client takes (today PNG for an image with transparency,
// else JPEG) unless a better format can be encoded and the client's Accept
// header lists it: AVIF first, then WebP.
// Today the pipeline writes neither, so the choice never depends on Accept
// and no Vary header is sent; once one is encodable, responses to f-auto
// carry "Vary: Accept".
//
// # Caching and concurrency
//
// Each request stats its source (store.Stat) and derives a result key, the
// SHA-256 of the source key, the source's ETag, the canonical transformation
// (after named expansion, the default transformation and format
// negotiation) and the settings that change the output; never the
// signature. The key gives the strong ETag, so an If-None-Match is answered
// with 304 without reading or decoding the source, and a changed source
// gets a new key. Results live in a memory tier bounded in bytes
// ([WithMemoryCache]) and optionally in a second tier on any writable store
// ([WithResultStore]), whose failures are logged and never reach the
// client.
//
// Identical concurrent requests share one transformation (singleflight on
// the result key). The shared work runs under a context detached from any
// one request, with the processing timeout of its own ([WithTimeout]);
// requests are reference-counted, so when the last request waiting for a
// result goes away (a client disconnect), the work is cancelled, while one
// client leaving among several does not disturb the others. At most
// [WithWorkers] results are made at once and at most [WithQueueLength]
// requests wait for a worker; beyond that the answer is 429 with
// Retry-After.
//
// # Responses
//
// Image responses carry Content-Type, Content-Length, a strong ETag,
// Last-Modified (the source's), Cache-Control ([WithCacheControl]),
// "X-Content-Type-Options: nosniff" and a restrictive
// Content-Security-Policy ([ContentSecurityPolicy]). HEAD and Range
// requests work. The Handler never sets cookies. Errors are short plain text
// with Cache-Control "no-store":
//
//	400  malformed or unsupported transformation, bad path, extract outside the image
//	401  missing, wrong or expired signature (when required, or when ik-s is given)
//	404  source missing and no default image
//	405  a method other than GET and HEAD
//	413  source over the byte or pixel limits
//	415  source not a supported image (unknown, corrupt, or SVG to raster)
//	422  output over the size limits
//	429  queue full (with Retry-After)
//	502  the store failed
//	503  the request was cancelled
//	504  the processing timeout passed
//	500  anything else
//
// Internal error text (paths, store errors) is logged ([WithLogger]), never
// sent. Counters and timings go to a [Metrics] hook ([WithMetrics]).
package middleware
