package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// serveCypher runs the raw-Cypher limit: a tiny HTTP server that answers
// POST {"query": "<workload query name>", "variables": {...}} with
// {"data": ...} by running that query's hand-written Cypher, one statement
// in one read transaction per request. No GraphQL parsing, validation or
// resolvers: what is left is HTTP, JSON and the database itself.
func serveCypher(args []string) error {
	fs := flag.NewFlagSet("cypher-server", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:18081", "listen address (loopback only)")
	uri := fs.String("uri", envOr("NEO4J_URI", "bolt://127.0.0.1:7687"), "Neo4j Bolt URI")
	db := fs.String("db", envOr("NEO4J_DATABASE", "neo4j"), "Neo4j database")
	_ = fs.Parse(args)

	host, _, err := net.SplitHostPort(*addr)
	if err != nil || !net.ParseIP(host).IsLoopback() {
		return fmt.Errorf("-addr %q: the benchmark servers listen on loopback only", *addr)
	}
	statements := map[string]string{}
	for _, q := range workload() {
		statements[q.Name] = q.Cypher
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	driver, err := neo4j.NewDriverWithContext(*uri, neo4j.NoAuth())
	if err != nil {
		return err
	}
	defer driver.Close(context.Background())
	if err := driver.VerifyConnectivity(ctx); err != nil {
		return fmt.Errorf("neo4j at %s: %w", *uri, err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("POST /graphql", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Query     string         `json:"query"`
			Variables map[string]any `json:"variables"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
			writeJSON(w, http.StatusBadRequest, errorBody(err))
			return
		}
		for k, v := range req.Variables { // JSON numbers: whole ones are integers (LIMIT $first)
			if f, ok := v.(float64); ok && f == float64(int64(f)) {
				req.Variables[k] = int64(f)
			}
		}
		cypher, ok := statements[req.Query]
		if !ok {
			writeJSON(w, http.StatusBadRequest, errorBody(fmt.Errorf("unknown query %q", req.Query)))
			return
		}
		data, err := runCypher(r.Context(), driver, *db, cypher, req.Variables)
		if err != nil {
			writeJSON(w, http.StatusOK, errorBody(err))
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": data})
	})
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	log.Printf("cypher-server: serving http://%s/graphql over %s (database %s)", ln.Addr(), *uri, *db)
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// runCypher runs one statement in a managed read transaction and returns the
// single row's single value.
func runCypher(ctx context.Context, driver neo4j.DriverWithContext, db, cypher string, params map[string]any) (any, error) {
	session := driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db, AccessMode: neo4j.AccessModeRead})
	defer session.Close(ctx)
	return session.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, cypher, params)
		if err != nil {
			return nil, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return nil, err
		}
		return rec.Values[0], nil
	})
}

func errorBody(err error) map[string]any {
	return map[string]any{"errors": []map[string]string{{"message": err.Error()}}}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
