package main

import (
	"fmt"

	"strconv"
	"strings"
	"time"

	"github.com/icsgraph/icsgraph/internal/gqlhttp"
	"github.com/icsgraph/icsgraph/internal/store"
)

// config is the server's configuration, read from the environment.
type config struct {
	Store           store.Config
	Host            string
	Port            int
	QueryTimeout    time.Duration
	MaxDepth        int
	MaxComplexity   int
	MaxBodyBytes    int64
	Introspection   bool
	CORSOrigins     []string
	LogLevel        string
	LogFormat       string
	ShutdownTimeout time.Duration
	// ShutdownDrain is how long /readyz answers 503 before the listener
	// closes, so a load balancer stops sending traffic first.
	ShutdownDrain time.Duration
	Limits        gqlhttp.Limits
	// PersistedOnly runs only the queries of PersistedQueries (read from
	// the .graphql files of PERSISTED_QUERIES).
	PersistedOnly    bool
	PersistedQueries map[string]string
	// DirectAnswers writes compiled root fields straight to JSON
	// (graph/direct.go); DIRECT_ANSWERS=off answers every field through
	// gqlgen's executor instead (gqlhttp.Options.PerFieldExecution), to
	// compare the two.
	DirectAnswers bool
}

// loadConfig reads the environment; getenv is os.Getenv outside tests.
func loadConfig(getenv func(string) string) (config, error) {
	e := env{getenv: getenv}
	c := config{
		Store: store.Config{
			URI:      e.str("NEO4J_URI", "bolt://127.0.0.1:7687"),
			User:     e.str("NEO4J_USER", ""),
			Password: e.str("NEO4J_PASSWORD", ""),
			Database: e.str("NEO4J_DATABASE", "neo4j"),
		},
		Host:            e.str("HOST", "127.0.0.1"),
		Port:            e.int("PORT", 8080),
		QueryTimeout:    e.duration("QUERY_TIMEOUT", 10*time.Second),
		MaxDepth:        e.int("MAX_DEPTH", 12),
		MaxComplexity:   e.int("MAX_COMPLEXITY", gqlhttp.DefaultMaxComplexity),
		MaxBodyBytes:    int64(e.int("MAX_BODY_BYTES", 1<<20)),
		Introspection:   e.bool("INTROSPECTION", true),
		CORSOrigins:     e.list("CORS_ORIGINS", "*"),
		LogLevel:        e.str("LOG_LEVEL", "info"),
		LogFormat:       e.str("LOG_FORMAT", "text"),
		ShutdownTimeout: e.duration("SHUTDOWN_TIMEOUT", 15*time.Second),
		ShutdownDrain:   e.durationOrZero("SHUTDOWN_DRAIN", 5*time.Second),
		DirectAnswers:   e.onOff("DIRECT_ANSWERS", true),
	}
	d := gqlhttp.DefaultLimits
	c.Limits = gqlhttp.Limits{
		MaxTokens:       e.int("MAX_TOKENS", d.MaxTokens),
		MaxAliases:      e.int("MAX_ALIASES", d.MaxAliases),
		MaxRootFields:   e.int("MAX_ROOT_FIELDS", d.MaxRootFields),
		MaxDBCalls:      e.int("MAX_DB_CALLS", d.MaxDBCalls),
		QueryCacheBytes: int64(e.int("QUERY_CACHE_BYTES", int(d.QueryCacheBytes))),
		APQCacheBytes:   int64(e.int("APQ_CACHE_BYTES", int(d.APQCacheBytes))),
		MaxBodyBytes:    c.MaxBodyBytes,
	}
	c.PersistedOnly = e.bool("PERSISTED_QUERIES_ONLY", false)
	if dir := e.str("PERSISTED_QUERIES", ""); dir != "" {
		q, err := gqlhttp.LoadPersistedQueries(dir)
		if err != nil {
			e.fail(fmt.Errorf("PERSISTED_QUERIES=%q: %w", dir, err))
		}
		c.PersistedQueries = q
	} else if c.PersistedOnly {
		e.fail(fmt.Errorf("PERSISTED_QUERIES_ONLY=true needs PERSISTED_QUERIES, a folder of .graphql files"))
	}
	return c, e.err
}

type env struct {
	getenv func(string) string
	err    error
}

func (e *env) str(key, def string) string {
	if v := strings.TrimSpace(e.getenv(key)); v != "" {
		return v
	}
	return def
}

func (e *env) int(key string, def int) int {
	v := e.getenv(key)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		e.fail(fmt.Errorf("%s=%q: want a positive whole number", key, v))
		return def
	}
	return n
}

func (e *env) bool(key string, def bool) bool {
	v := e.getenv(key)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		e.fail(fmt.Errorf("%s=%q: want true or false", key, v))
		return def
	}
	return b
}

func (e *env) duration(key string, def time.Duration) time.Duration {
	v := e.getenv(key)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		e.fail(fmt.Errorf("%s=%q: want a duration such as 10s", key, v))
		return def
	}
	return d
}

// onOff reads on/off (or true/false, 1/0, yes/no).
func (e *env) onOff(key string, def bool) bool {
	switch v := strings.ToLower(strings.TrimSpace(e.getenv(key))); v {
	case "":
		return def
	case "on", "true", "1", "yes":
		return true
	case "off", "false", "0", "no":
		return false
	default:
		e.fail(fmt.Errorf("%s=%q: want on or off", key, v))
		return def
	}
}

// durationOrZero is duration, allowing 0 (e.g. no drain).
func (e *env) durationOrZero(key string, def time.Duration) time.Duration {
	if v := strings.TrimSpace(e.getenv(key)); v == "0" {
		return 0
	}
	return e.duration(key, def)
}

func (e *env) list(key, def string) []string {
	var out []string
	for _, p := range strings.Split(e.str(key, def), ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (e *env) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}
