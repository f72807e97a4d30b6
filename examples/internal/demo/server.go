package demo

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/imgcdn/imgcdn/middleware"
	"github.com/imgcdn/imgcdn/store"
)

// RunFunc is an example's server: it serves the images of dir (or the
// embedded samples when dir is "") on addr until ctx is done, then shuts
// down gracefully. When ready is not nil, it receives the listening
// address once the server accepts connections.
type RunFunc func(ctx context.Context, addr, dir string, log *slog.Logger, ready chan<- string) error

// Main is an example's main: it parses the flags -addr and -dir, and runs
// run with a text logger on stderr until SIGINT or SIGTERM; it exits with
// status 1 when run fails.
func Main(run RunFunc) {
	addr := flag.String("addr", "127.0.0.1:8080", "listen `address`")
	dir := flag.String("dir", "", "serve images from this `folder` instead of the embedded samples")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr, *dir, log, nil); err != nil {
		log.Error("server failed", "err", err)
		stop()
		os.Exit(1)
	}
}

// New returns the imgcdn handler of the images of dir (or the embedded
// samples), logging to log, and the HTML of the index page of framework
// that shows them ([IndexPage]).
func New(framework, dir string, log *slog.Logger) (*middleware.Handler, []byte, error) {
	images, names, err := Images(dir)
	if err != nil {
		return nil, nil, err
	}
	h, err := middleware.New(store.FS(images), middleware.WithLogger(log))
	if err != nil {
		return nil, nil, err
	}
	page, err := IndexPage(framework, h.Prefix(), names)
	if err != nil {
		return nil, nil, err
	}
	return h, page, nil
}

// Serve listens on addr and runs serve on the listener until ctx is done;
// then it calls shutdown and waits for serve to return (nil). It logs the
// server's URL and sends the address on ready, when not nil, once
// listening.
func Serve(ctx context.Context, addr string, log *slog.Logger, ready chan<- string, serve func(net.Listener) error, shutdown func() error) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/")
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	if err := shutdown(); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// ServeHTTP serves h with an http.Server on addr until ctx is done, as
// [Serve] does. Shutdown waits for the requests in flight,
// transformations included, for up to 10 s.
func ServeHTTP(ctx context.Context, addr string, h http.Handler, log *slog.Logger, ready chan<- string) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	serve := func(ln net.Listener) error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
	shutdown := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return srv.Shutdown(ctx)
	}
	return Serve(ctx, addr, log, ready, serve, shutdown)
}

// RunHTTP returns the RunFunc of a net/http framework: it serves the
// application that newApp makes for dir with [ServeHTTP].
func RunHTTP[H http.Handler](newApp func(dir string, log *slog.Logger) (H, error)) RunFunc {
	return func(ctx context.Context, addr, dir string, log *slog.Logger, ready chan<- string) error {
		app, err := newApp(dir, log)
		if err != nil {
			return err
		}
		return ServeHTTP(ctx, addr, app, log, ready)
	}
}

// Run returns the RunFunc of a framework with a server of its own: it
// serves the application that newApp makes for dir with [Serve], serve
// and shutdown taking the application.
func Run[A any](newApp func(dir string, log *slog.Logger) (A, error), serve func(A, net.Listener) error, shutdown func(A) error) RunFunc {
	return func(ctx context.Context, addr, dir string, log *slog.Logger, ready chan<- string) error {
		app, err := newApp(dir, log)
		if err != nil {
			return err
		}
		return Serve(ctx, addr, log, ready, func(ln net.Listener) error { return serve(app, ln) }, func() error { return shutdown(app) })
	}
}
