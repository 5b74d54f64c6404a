package gqlhttp

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/icsgraph/icsgraph/internal/lru"
	"github.com/icsgraph/icsgraph/internal/store"
)

// The response cache keeps the answers of read queries, keyed by the
// normalised document, the variables, the operation name, the Accept header
// and the data release the request reads (store.ReleaseFrom): a new release
// changes every key, so its answers are never served for another release.
// Requests with no pinned release are cached for a short time only.
// Answers carry an ETag; a matching If-None-Match gets 304 Not Modified,
// and GET answers a Cache-Control so browsers and CDNs help too. Only
// complete answers (200, no errors) are kept; the cache is bounded in bytes
// and evicts the least recently used answers.
//
// Settings: RESPONSE_CACHE=off disables it; RESPONSE_CACHE_BYTES bounds it
// (default 64 MiB); RESPONSE_CACHE_MAX_AGE is the Cache-Control max-age of
// GET answers in seconds (default 60); RESPONSE_CACHE_TTL bounds the life of
// answers with no pinned release (default 60s).

// cacheSettings configure the response cache.
type cacheSettings struct {
	On       bool
	MaxBytes int64
	MaxAge   int
	TTL      time.Duration
}

func cacheSettingsFrom(getenv func(string) string) cacheSettings {
	s := cacheSettings{On: true, MaxBytes: 64 << 20, MaxAge: 60, TTL: time.Minute}
	switch strings.ToLower(strings.TrimSpace(getenv("RESPONSE_CACHE"))) {
	case "off", "false", "0", "no":
		s.On = false
	}
	if n, err := strconv.ParseInt(getenv("RESPONSE_CACHE_BYTES"), 10, 64); err == nil && n >= 0 {
		s.MaxBytes = n
	}
	if n, err := strconv.Atoi(getenv("RESPONSE_CACHE_MAX_AGE")); err == nil && n >= 0 {
		s.MaxAge = n
	}
	if d, err := time.ParseDuration(getenv("RESPONSE_CACHE_TTL")); err == nil && d > 0 {
		s.TTL = d
	}
	return s
}

// CacheResponses wraps the GraphQL handler with the response cache (the
// one-line hook in server/http.go); getenv is os.Getenv outside tests.
func CacheResponses(next http.Handler, getenv func(string) string, logger *slog.Logger) http.Handler {
	s := cacheSettingsFrom(getenv)
	if !s.On || s.MaxBytes == 0 {
		return next
	}
	logger.Info("response cache on", "maxBytes", s.MaxBytes, "maxAge", s.MaxAge)
	return &respCache{next: next, set: s, lru: lru.New[string, *cached](s.MaxBytes)}
}

type respCache struct {
	next http.Handler
	set  cacheSettings
	lru  *lru.Cache[string, *cached]
}

// cached is one stored answer.
type cached struct {
	body        []byte
	contentType string
	etag        string
	expires     time.Time // zero: until evicted (a pinned release)
}

func (c *respCache) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key, ok := c.key(r)
	if !ok {
		c.next.ServeHTTP(w, r)
		return
	}
	if e, ok := c.lru.Get(key); ok && (e.expires.IsZero() || time.Now().Before(e.expires)) {
		c.answer(w, r, e, "HIT")
		return
	}
	rec := &recorder{ResponseWriter: w, header: http.Header{}, status: http.StatusOK}
	c.next.ServeHTTP(rec, r)
	if rec.status != http.StatusOK || hasErrors(rec.body.Bytes()) {
		rec.flush()
		return
	}
	sum := sha256.Sum256(rec.body.Bytes())
	e := &cached{body: bytes.Clone(rec.body.Bytes()), contentType: rec.header.Get("Content-Type"), etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
	if _, pinned := store.ReleaseFrom(r.Context()); !pinned {
		e.expires = time.Now().Add(c.set.TTL)
	}
	c.lru.Add(key, e, int64(len(e.body)+len(key)+256))
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	c.answer(w, r, e, "MISS")
}

// answer writes a stored answer, or 304 when the client holds it.
func (c *respCache) answer(w http.ResponseWriter, r *http.Request, e *cached, state string) {
	h := w.Header()
	h.Set("ETag", e.etag)
	h.Set("X-Cache", state)
	if r.Method == http.MethodGet {
		h.Set("Cache-Control", "public, max-age="+strconv.Itoa(c.set.MaxAge))
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if ETagMatches(r.Header.Get("If-None-Match"), e.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if e.contentType != "" {
		h.Set("Content-Type", e.contentType)
	}
	h.Set("Content-Length", strconv.Itoa(len(e.body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(e.body)
}

// ETagMatches reports whether an If-None-Match header names etag (or *);
// the server's /schema.graphql uses it too.
func ETagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "W/"))
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// key reads the request and returns its cache key; ok is false for requests
// the cache leaves alone (not a read query, or not readable). The request is
// decoded as the transport decodes it (decodeQueryString, decodeBody), so a
// request the transport refuses is never a cache key.
func (c *respCache) key(r *http.Request) (string, bool) {
	var p *graphql.RawParams
	var err error
	switch r.Method {
	case http.MethodGet:
		p, err = decodeQueryString(r.URL.RawQuery)
	case http.MethodPost:
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			return "", false
		}
		body, rerr := io.ReadAll(r.Body)
		if rerr != nil { // e.g. over the body limit: the handler meets the same error
			r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), failingReader{rerr}))
			return "", false
		}
		r.Body = io.NopCloser(bytes.NewReader(body)) // the handler reads it again
		p, err = decodeBody(body)
	default:
		return "", false
	}
	if err != nil {
		return "", false
	}
	doc, ok := normalise(p.Query, p.Extensions)
	if !ok {
		return "", false
	}
	vars := []byte("{}")
	if len(p.Variables) > 0 {
		// Re-marshalled: map keys sorted, spacing dropped.
		if vars, err = json.Marshal(p.Variables); err != nil {
			return "", false
		}
	}
	release := "none"
	if id, ok := store.ReleaseFrom(r.Context()); ok {
		release = strconv.FormatInt(id, 10)
	}
	h := sha256.New()
	for _, part := range []string{doc, string(vars), p.OperationName, release, r.Header.Get("Accept"), r.Method} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)), true
}

// normalise returns the document in canonical form (comments and layout
// dropped), or the persisted-query hash when only that is sent; ok is false
// for documents that are not read-only queries or do not parse (the handler
// answers those).
func normalise(query string, extensions map[string]any) (string, bool) {
	if strings.TrimSpace(query) == "" {
		pq, _ := extensions["persistedQuery"].(map[string]any)
		hash, _ := pq["sha256Hash"].(string)
		if hash == "" {
			return "", false
		}
		return "apq:" + hash, true
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		return "", false
	}
	for _, op := range doc.Operations {
		if op.Operation != ast.Query {
			return "", false
		}
	}
	var b strings.Builder
	formatter.NewFormatter(&b).FormatQueryDocument(doc)
	return b.String(), true
}

// hasErrors reports whether a GraphQL response has a top-level "errors".
func hasErrors(body []byte) bool {
	var resp struct {
		Errors json.RawMessage `json:"errors"`
	}
	return json.Unmarshal(body, &resp) != nil || len(resp.Errors) > 0 && string(resp.Errors) != "null"
}

// recorder holds a response until the cache has decided about it.
type recorder struct {
	http.ResponseWriter
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(status int)      { r.status = status }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }

// flush passes an uncached response through unchanged.
func (r *recorder) flush() {
	for k, v := range r.header {
		r.ResponseWriter.Header()[k] = v
	}
	r.ResponseWriter.WriteHeader(r.status)
	_, _ = r.ResponseWriter.Write(r.body.Bytes())
}

// failingReader returns err, so a handler reading a body the cache has
// already read sees the error the cache saw.
type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }
