// Command server serves the ICS Graph GraphQL API over a Neo4j database.
//
// Configuration is by environment variable; see README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/icsgraph/icsgraph/internal/store"
	"github.com/icsgraph/icsgraph/internal/telemetry"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "icsgraph:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := loadConfig(os.Getenv)
	if err != nil {
		return err
	}
	logger := newLogger(cfg)
	slog.SetDefault(logger)
	gcPercent, memLimit := tuneGC(os.Getenv)
	logger.Info("garbage collector", "gogc", gcPercent, "memoryLimitMiB", memLimit>>20)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	stopTracing, tracing, err := telemetry.SetupTracing(ctx, os.Getenv)
	if err != nil {
		return err
	}
	defer func() {
		flushCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := stopTracing(flushCtx); err != nil {
			logger.Warn("flushing traces", "error", err)
		}
	}()
	if tracing {
		logger.Info("tracing on", "exporter", os.Getenv("OTEL_TRACES_EXPORTER"))
	}

	connectCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	st, err := store.Open(connectCtx, cfg.Store)
	cancel()
	if err != nil {
		return fmt.Errorf("cannot reach Neo4j at %s (database %q): %w; start it with `make neo4j-start` or set NEO4J_URI", cfg.Store.URI, cfg.Store.Database, err)
	}
	st.SetLogger(logger)
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := st.Close(closeCtx); err != nil {
			logger.Warn("closing the Neo4j driver", "error", err)
		}
	}()

	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	ready := newReadiness(st)
	srv := &http.Server{
		Addr:              addr,
		Handler:           newMux(st, cfg, logger, ready),
		MaxHeaderBytes:    64 << 10,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      cfg.QueryTimeout + 5*time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	logger.Info("serving GraphQL", "url", "http://"+ln.Addr().String()+"/", "neo4j", cfg.Store.URI, "database", cfg.Store.Database)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	stop() // a second signal ends the process at once
	return shutdown(srv, ready, cfg, logger)
}

// shutdown drains: /readyz answers 503 for cfg.ShutdownDrain so that load
// balancers stop sending traffic, then the listener closes and requests in
// flight finish (up to cfg.ShutdownTimeout); the caller then closes the driver.
func shutdown(srv *http.Server, ready *readiness, cfg config, logger *slog.Logger) error {
	ready.Drain()
	logger.Info("shutting down: readiness off, draining", "drain", cfg.ShutdownDrain)
	time.Sleep(cfg.ShutdownDrain)
	logger.Info("shutting down: closing the listener, finishing requests in flight", "timeout", cfg.ShutdownTimeout)
	srv.SetKeepAlivesEnabled(false)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	logger.Info("shut down: requests finished, closing the Neo4j driver")
	return nil
}

func newLogger(cfg config) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}
