package graph_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/icsgraph/icsgraph/graph"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
	"github.com/icsgraph/icsgraph/internal/store"
)

// proxy forwards loopback TCP connections to Neo4j until it is cut, so a
// test can take the database away from a running server.
type proxy struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); up.Close() }()
			go func() { _, _ = io.Copy(c, up); c.Close() }()
		}
	}()
	t.Cleanup(p.cut)
	return p
}

// cut closes the listener and every forwarded connection.
func (p *proxy) cut() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func TestDatabaseOutage(t *testing.T) {
	cfg := neo4jtest.Config()
	target := strings.TrimPrefix(strings.TrimPrefix(cfg.URI, "bolt://"), "neo4j://")
	p := newProxy(t, target)
	cfg.URI = "bolt://" + p.ln.Addr().String()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(context.Background())
	a := &api{t: t, store: st, c: client.New(graph.NewHandler(st, graph.Options{
		MaxDepth: 12, MaxComplexity: graph.DefaultMaxComplexity, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
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
		p.cut()
		_, errs := a.raw(q)
		if len(errs) == 0 || errs[0].Extensions["code"] != "UNAVAILABLE" {
			t.Fatalf("errors = %+v, want UNAVAILABLE", errs)
		}
		if strings.Contains(errs[0].Message, "127.0.0.1") || strings.Contains(strings.ToLower(errs[0].Message), "bolt") {
			t.Fatalf("message leaks driver detail: %s", errs[0].Message)
		}
	})
}
