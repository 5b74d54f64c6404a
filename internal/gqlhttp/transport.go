package gqlhttp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/icsgraph/icsgraph/internal/apierr"
)

// The GraphQL-over-HTTP transport: it decodes and checks the HTTP request
// itself, so that anything malformed is a BAD_REQUEST with the right status,
// then hands a well-formed request to gqlgen's executor. Status codes follow
// the GraphQL-over-HTTP specification:
//
//   - invalid request parameters (bad JSON, a batch array, no query, wrong
//     types): 400; an unsupported Content-Type: 415; a body over the limit:
//     413; a method other than GET, POST or OPTIONS: 405; an Accept header
//     that allows neither JSON media type: 406.
//   - request errors (parse, validation, variable coercion, the limits):
//     200 with application/json, 400 with application/graphql-response+json;
//     under both, the answer has no "data" key.
//   - an executed operation: 200, with "data" (null when a root field failed).
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// transport implements graphql.Transport for GET, POST and OPTIONS.
type transport struct {
	limits Limits
	logger *slog.Logger
}

var _ graphql.Transport = transport{}

func (transport) Supports(*http.Request) bool { return true }

// wireResponse is the answer as written: Data is omitted for request errors.
type wireResponse struct {
	Errors     gqlerror.List   `json:"errors,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
	Extensions map[string]any  `json:"extensions,omitempty"`
}

func (t transport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	start := time.Now()
	rl := &requestLog{}
	ctx := withPending(withRequestLog(r.Context(), rl))
	media, ok := negotiate(r.Header.Get("Accept"))
	status := http.StatusOK
	var resp *wireResponse
	defer func() {
		if p := recover(); p != nil {
			perr := panicError{p, debug.Stack()}
			rl.note(&gqlerror.Error{Message: "internal error", Extensions: map[string]any{"code": apierr.CodeInternal}}, perr)
			status = http.StatusInternalServerError
			resp = &wireResponse{Errors: gqlerror.List{{Message: "internal error", Extensions: map[string]any{"code": apierr.CodeInternal}}}}
			write(w, media, status, resp)
		}
		rl.write(t.logger, r, status, time.Since(start))
	}()
	if !ok {
		media = mediaJSON
		status, resp = badRequest(rl, http.StatusNotAcceptable, "the Accept header allows neither application/graphql-response+json nor application/json")
		write(w, media, status, resp)
		return
	}
	params, status, err := t.decode(r)
	if err != nil {
		status, resp = badRequest(rl, status, err.Error())
		if status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", "GET, POST, OPTIONS")
		}
		write(w, media, status, resp)
		return
	}
	if params == nil { // OPTIONS
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	params.ReadTime = graphql.TraceTiming{Start: start, End: time.Now()}
	params.Headers = r.Header
	rl.operation = truncate(params.OperationName, 100)

	opCtx, errs := exec.CreateOperationContext(ctx, params)
	if len(errs) > 0 {
		status = http.StatusOK
		if media == mediaGraphQLResponse {
			status = http.StatusBadRequest
		}
		out := exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), errs)
		resp = &wireResponse{Errors: t.capErrors(out.Errors), Extensions: out.Extensions}
		write(w, media, status, resp)
		return
	}
	if r.Method == http.MethodGet && opCtx.Operation.Operation != ast.Query {
		status, resp = badRequest(rl, http.StatusMethodNotAllowed, "only queries may be sent with GET")
		w.Header().Set("Allow", "POST")
		write(w, media, status, resp)
		return
	}
	responses, octx := exec.DispatchOperation(ctx, opCtx)
	out := responses(octx)
	if out == nil {
		out = &graphql.Response{Data: json.RawMessage("null")}
	}
	data := out.Data
	if len(data) == 0 {
		data = json.RawMessage("null")
	}
	resp = &wireResponse{Errors: t.capErrors(out.Errors), Data: data, Extensions: out.Extensions}
	write(w, media, status, resp)
}

// capErrors keeps the first MaxErrors-1 errors and says how many were left out.
func (t transport) capErrors(errs gqlerror.List) gqlerror.List {
	if len(errs) <= t.limits.MaxErrors {
		return errs
	}
	keep := t.limits.MaxErrors - 1
	out := append(gqlerror.List{}, errs[:keep]...)
	return append(out, &gqlerror.Error{
		Message:    fmt.Sprintf("%d more errors left out", len(errs)-keep),
		Extensions: map[string]any{"code": apierr.CodeTooManyErrors, "omitted": len(errs) - keep},
	})
}

func badRequest(rl *requestLog, status int, msg string) (int, *wireResponse) {
	e := &gqlerror.Error{Message: truncate(msg, maxMessageRunes), Extensions: map[string]any{"code": apierr.CodeBadRequest}}
	rl.note(e, nil)
	return status, &wireResponse{Errors: gqlerror.List{e}}
}

// write sends resp. Data, written by gqlgen or graph/direct.go, goes out as it is:
// encoding/json would copy and re-validate it, which for a large answer is
// as much work as writing it.
func write(w http.ResponseWriter, media string, status int, resp *wireResponse) {
	b, err := encodeResponse(resp)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`)
	}
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// encodeResponse is json.Marshal(resp) without re-encoding Data (so without
// HTML-escaping <, > and & inside it, which JSON does not need).
func encodeResponse(resp *wireResponse) ([]byte, error) {
	b := make([]byte, 0, len(resp.Data)+64)
	b = append(b, '{')
	if len(resp.Errors) > 0 {
		errs, err := json.Marshal(resp.Errors)
		if err != nil {
			return nil, err
		}
		b = append(append(b, `"errors":`...), errs...)
	}
	if len(resp.Data) > 0 {
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(append(b, `"data":`...), resp.Data...)
	}
	if len(resp.Extensions) > 0 {
		ext, err := json.Marshal(resp.Extensions)
		if err != nil {
			return nil, err
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(append(b, `"extensions":`...), ext...)
	}
	return append(b, '}'), nil
}

// negotiate picks the response media type from Accept: the GraphQL response
// type when the client accepts it, else JSON; no Accept means JSON.
func negotiate(accept string) (string, bool) {
	if strings.TrimSpace(accept) == "" {
		return mediaJSON, true
	}
	okJSON := false
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		if q := params["q"]; q == "0" || q == "0.0" || q == "0.00" || q == "0.000" {
			continue
		}
		switch mt {
		case mediaGraphQLResponse:
			return mediaGraphQLResponse, true
		case mediaJSON, "application/*", "*/*":
			okJSON = true
		}
	}
	return mediaJSON, okJSON
}

// decode reads the request's parameters; nil params means an OPTIONS request.
func (t transport) decode(r *http.Request) (*graphql.RawParams, int, error) {
	switch r.Method {
	case http.MethodOptions:
		return nil, http.StatusNoContent, nil
	case http.MethodGet:
		p, err := decodeQueryString(r.URL.RawQuery)
		if err != nil {
			return nil, http.StatusBadRequest, err
		}
		return p, http.StatusOK, nil
	case http.MethodPost:
	default:
		return nil, http.StatusMethodNotAllowed, fmt.Errorf("method %s is not allowed; use GET or POST", r.Method)
	}
	ct := r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || mt != mediaJSON {
		return nil, http.StatusUnsupportedMediaType, fmt.Errorf("send the request as Content-Type: application/json")
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, http.StatusUnsupportedMediaType, fmt.Errorf("only the utf-8 charset is accepted")
	}
	if r.ContentLength > t.limits.MaxBodyBytes {
		return nil, http.StatusRequestEntityTooLarge, fmt.Errorf("the request body is larger than %d bytes", t.limits.MaxBodyBytes)
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, t.limits.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, http.StatusRequestEntityTooLarge, fmt.Errorf("the request body is larger than %d bytes", tooBig.Limit)
		}
		return nil, http.StatusBadRequest, fmt.Errorf("the request body could not be read")
	}
	p, err := decodeBody(body)
	if err != nil {
		return nil, http.StatusBadRequest, err
	}
	return p, http.StatusOK, nil
}

// decodeBody decodes a POST body: one JSON object with a string query (or a
// persisted-query hash in extensions), optional operationName, variables and
// extensions. Anything else is an error that says what is wrong.
func decodeBody(body []byte) (*graphql.RawParams, error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("the request body is empty; send a JSON object with a query")
	}
	if trimmed[0] == '[' {
		return nil, fmt.Errorf("batched requests (a JSON array) are not supported; send one JSON object per request")
	}
	if trimmed[0] != '{' {
		return nil, fmt.Errorf("the request body must be a JSON object")
	}
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&fields); err != nil {
		return nil, fmt.Errorf("the request body is not valid JSON: %s", jsonProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("the request body holds more than one JSON value")
	}
	p := &graphql.RawParams{}
	if err := decodeField(fields, "query", &p.Query); err != nil {
		return nil, err
	}
	if err := decodeField(fields, "operationName", &p.OperationName); err != nil {
		return nil, err
	}
	if err := decodeField(fields, "variables", &p.Variables); err != nil {
		return nil, err
	}
	if err := decodeField(fields, "extensions", &p.Extensions); err != nil {
		return nil, err
	}
	if err := checkParams(p); err != nil {
		return nil, err
	}
	return p, nil
}

// decodeField decodes one member into dst (a string or an object), with
// numbers kept as json.Number, as gqlgen expects.
func decodeField[T any](fields map[string]json.RawMessage, name string, dst *T) error {
	raw, ok := fields[name]
	if !ok || string(raw) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil {
		var want string
		switch any(dst).(type) {
		case *string:
			want = "a string"
		default:
			want = "an object"
		}
		return fmt.Errorf("%q must be %s", name, want)
	}
	return nil
}

// checkParams requires a query, or a persisted-query hash to look it up by.
func checkParams(p *graphql.RawParams) error {
	if strings.TrimSpace(p.Query) != "" {
		return nil
	}
	if pq, ok := p.Extensions["persistedQuery"].(map[string]any); ok && pq["sha256Hash"] != nil {
		return nil
	}
	return fmt.Errorf("the request has no query")
}

func decodeQueryString(raw string) (*graphql.RawParams, error) {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return nil, fmt.Errorf("the query string is malformed")
	}
	p := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	for _, f := range []struct {
		name string
		dst  *map[string]any
	}{{"variables", &p.Variables}, {"extensions", &p.Extensions}} {
		v := q.Get(f.name)
		if v == "" {
			continue
		}
		dec := json.NewDecoder(strings.NewReader(v))
		dec.UseNumber()
		if err := dec.Decode(f.dst); err != nil {
			return nil, fmt.Errorf("%q must be a JSON object", f.name)
		}
	}
	if err := checkParams(p); err != nil {
		return nil, err
	}
	return p, nil
}

// jsonProblem says where JSON decoding failed without echoing the input.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("syntax error at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("a %s where an object was expected", typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "it ends too soon"
	}
	return "malformed"
}

// requestLog collects a request's errors so that a failed request is logged
// once, with its first cause, its operation and its duration.
type requestLog struct {
	mu        sync.Mutex
	operation string
	errors    int
	codes     []string
	cause     error
	message   string
	path      string
}

type requestLogKey struct{}

func withRequestLog(ctx context.Context, rl *requestLog) context.Context {
	return context.WithValue(ctx, requestLogKey{}, rl)
}

func requestLogFrom(ctx context.Context) *requestLog {
	rl, _ := ctx.Value(requestLogKey{}).(*requestLog)
	return rl
}

// severity orders codes: the worst decides the level and the cause logged.
func severity(code string) int {
	switch code {
	case apierr.CodeInternal:
		return 3
	case apierr.CodeUnavailable, apierr.CodeTimeout, apierr.CodeMemoryLimit:
		return 2
	}
	return 1
}

func (rl *requestLog) note(e *gqlerror.Error, cause error) {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	rl.errors++
	code, _ := e.Extensions["code"].(string)
	if !slices.Contains(rl.codes, code) {
		rl.codes = append(rl.codes, code)
	}
	worst := 0
	for _, c := range rl.codes[:len(rl.codes)-1] {
		worst = max(worst, severity(c))
	}
	if rl.message == "" || severity(code) > worst {
		rl.message, rl.cause, rl.path = e.Message, cause, e.Path.String()
	}
}

func (rl *requestLog) write(logger *slog.Logger, r *http.Request, status int, d time.Duration) {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	if rl.errors == 0 && status < 400 {
		return
	}
	level := slog.LevelInfo
	worst := 0
	for _, c := range rl.codes {
		worst = max(worst, severity(c))
	}
	switch worst {
	case 3:
		level = slog.LevelError
	case 2:
		level = slog.LevelWarn
	}
	attrs := []any{
		"operation", rl.operation, "status", status, "duration", d.Round(time.Microsecond),
		"errors", rl.errors, "codes", strings.Join(rl.codes, ","), "message", rl.message,
	}
	if rl.path != "" {
		attrs = append(attrs, "path", rl.path)
	}
	if rl.cause != nil {
		attrs = append(attrs, "cause", truncate(rl.cause.Error(), 2000))
	}
	logger.Log(r.Context(), level, "request failed", attrs...)
}
