package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/icsgraph/icsgraph/graph"
	"github.com/icsgraph/icsgraph/internal/apierr"
	"github.com/icsgraph/icsgraph/internal/gqlhttp"
	"github.com/icsgraph/icsgraph/internal/store"
)

// GET /schema.graphql: the schema the server runs, as SDL with its
// descriptions and deprecations, printed from the executable schema (the
// same one introspection reads), for code generators and editors
// (graphql.config.yml at the repository root points at it).

// schemaSDL prints the executable schema once: gqlparser's formatter for
// the types and directives, preceded by the schema definition with its
// description (which the formatter leaves out).
var schemaSDL = sync.OnceValue(func() []byte {
	return printSchema(graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema())
})

// specifiedDirectives are the GraphQL specification's directives, which
// every GraphQL implementation knows and SDL leaves out.
var specifiedDirectives = map[string]bool{"include": true, "skip": true, "deprecated": true, "specifiedBy": true, "oneOf": true}

func printSchema(s *ast.Schema) []byte {
	var buf bytes.Buffer
	if s.Description != "" {
		buf.WriteString(`"""` + "\n" + strings.ReplaceAll(s.Description, `"""`, `\"""`) + "\n" + `"""` + "\n")
		buf.WriteString("schema {\n  query: " + s.Query.Name + "\n")
		if s.Mutation != nil {
			buf.WriteString("  mutation: " + s.Mutation.Name + "\n")
		}
		if s.Subscription != nil {
			buf.WriteString("  subscription: " + s.Subscription.Name + "\n")
		}
		buf.WriteString("}\n")
	}
	formatter.NewFormatter(&buf, formatter.WithIndent("  ")).FormatSchema(s)
	// Built-in directives beyond the specification's (gqlparser's @defer),
	// which introspection lists and the formatter leaves out.
	var extra ast.DirectiveDefinitionList
	for _, name := range slices.Sorted(maps.Keys(s.Directives)) {
		d := s.Directives[name]
		if d.Position != nil && d.Position.Src != nil && d.Position.Src.BuiltIn && !specifiedDirectives[name] {
			extra = append(extra, d)
		}
	}
	if len(extra) > 0 {
		formatter.NewFormatter(&buf, formatter.WithIndent("  "), formatter.WithNonIntrospectionBuiltin()).
			FormatSchemaDocument(&ast.SchemaDocument{Directives: extra})
	}
	return buf.Bytes()
}

// schemaHandler serves the SDL. The ETag holds the text's hash and the data
// release the request is pinned to, so a cache revalidates when either
// changes; If-None-Match with it answers 304. With introspection off the
// schema is not published here either (404, the API's error shape).
func schemaHandler(introspection bool) http.Handler {
	sdl := schemaSDL()
	sum := sha256.Sum256(sdl)
	hash := hex.EncodeToString(sum[:8])
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !introspection {
			writeJSON(w, http.StatusNotFound, map[string]any{"errors": []map[string]any{{
				"message":    "introspection is off on this server (INTROSPECTION=false), so the schema is not published",
				"extensions": map[string]any{"code": apierr.CodeNotFound},
			}}})
			return
		}
		rel, _ := store.ReleaseFrom(r.Context())
		etag := fmt.Sprintf(`"schema-%s-r%d"`, hash, rel)
		h := w.Header()
		h.Set("ETag", etag)
		h.Set("Cache-Control", "public, max-age=300")
		h.Set("Content-Type", "application/graphql; charset=utf-8") // no registered type for SDL; graphql-http uses this one for documents
		if gqlhttp.ETagMatches(r.Header.Get("If-None-Match"), etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h.Set("Content-Length", strconv.Itoa(len(sdl)))
		if r.Method != http.MethodHead {
			_, _ = w.Write(sdl)
		}
	})
}
