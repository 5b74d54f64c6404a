package neo4jtest

import (
	"io"
	"net"
	"strings"
	"sync"
	"testing"
)

// Proxy forwards loopback TCP connections to Neo4j until it is cut, so a
// test can take the database away from a running server.
type Proxy struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

// NewProxy listens on 127.0.0.1 and forwards to the Neo4j of uri (bolt:// or
// neo4j://); it is cut when the test ends.
func NewProxy(t testing.TB, uri string) *Proxy {
	t.Helper()
	target := strings.TrimPrefix(strings.TrimPrefix(uri, "bolt://"), "neo4j://")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{ln: ln}
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
	t.Cleanup(p.Cut)
	return p
}

// URI is the bolt URI that reaches Neo4j through the proxy.
func (p *Proxy) URI() string { return "bolt://" + p.ln.Addr().String() }

// Cut closes the listener and every forwarded connection: an outage.
func (p *Proxy) Cut() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}
