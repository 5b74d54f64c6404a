package graph_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/icsgraph/icsgraph/internal/gqlhttp"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
	"github.com/icsgraph/icsgraph/internal/store"
)

func TestDatabaseOutage(t *testing.T) {
	cfg := neo4jtest.Config()
	p := neo4jtest.NewProxy(t, cfg.URI)
	cfg.URI = p.URI()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(context.Background())
	a := &api{t: t, store: st, c: client.New(gqlhttp.NewHandler(st, gqlhttp.Options{
		MaxDepth: 12, MaxComplexity: gqlhttp.DefaultMaxComplexity, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}))}

	const q = `{ trust(code: "RJ1") { name } }`
	t.Run("answers through the proxy", func(t *testing.T) {
		var r struct{ Trust struct{ Name string } }
		a.query(q, &r)
		if r.Trust.Name == "" {
			t.Fatal("no trust")
		}
	})
	t.Run("outage gives UNAVAILABLE", func(t *testing.T) {
		p.Cut()
		_, errs := a.raw(q)
		if len(errs) == 0 || errs[0].Extensions["code"] != "UNAVAILABLE" {
			t.Fatalf("errors = %+v, want UNAVAILABLE", errs)
		}
		if strings.Contains(errs[0].Message, "127.0.0.1") || strings.Contains(strings.ToLower(errs[0].Message), "bolt") {
			t.Fatalf("message leaks driver detail: %s", errs[0].Message)
		}
	})
}
