package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/icsgraph/icsgraph/internal/dataset"
	"github.com/icsgraph/icsgraph/internal/neo4jtest"
	"github.com/icsgraph/icsgraph/internal/store"
)

// Tests of data releases against the real database: a reload under load, a
// load stopped halfway, and /readyz without a complete release. Each leaves
// exactly one complete release of seed/data loaded.

func seedData(t testing.TB) *dataset.Dataset {
	t.Helper()
	d, err := dataset.Read("../seed/data")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// ensureOneRelease loads seed/data when no complete release is current and
// deletes every other release; tests call it at their end (t.Cleanup).
func ensureOneRelease(t testing.TB, st *store.Store, d *dataset.Dataset) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if _, err := st.CurrentRelease(ctx); errors.Is(err, store.ErrNotFound) {
		if _, err := st.Load(ctx, d.Graph(), store.LoadOptions{}); err != nil {
			t.Error(err)
		}
	}
	if _, err := st.Prune(ctx, 0); err != nil {
		t.Error(err)
	}
}

// reloadSeedAtEnd loads d again as the only release when the test ends, for
// tests that load releases of their own.
func reloadSeedAtEnd(t testing.TB, st *store.Store, d *dataset.Dataset) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		if _, err := st.Load(ctx, d.Graph(), store.LoadOptions{Reset: true}); err != nil {
			t.Error(err)
		}
	})
}

// answer is one GraphQL-over-HTTP response.
type answer struct {
	status  int
	release string // the X-Data-Release header
	Data    map[string]json.RawMessage
	Errors  []json.RawMessage
}

func postQuery(ctx context.Context, c *http.Client, url, query string) (answer, error) {
	body, _ := json.Marshal(map[string]string{"query": query})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/graphql", strings.NewReader(string(body)))
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, release: resp.Header.Get(releaseHeader)}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return a, err
	}
	if err := json.Unmarshal(b, &a); err != nil {
		return a, fmt.Errorf("%d %s: %w", resp.StatusCode, b, err)
	}
	return a, nil
}

// releaseID reads data.release.id.
func (a answer) releaseID() string {
	var r struct{ ID string }
	_ = json.Unmarshal(a.Data["release"], &r)
	return r.ID
}

type searchHit struct {
	Organisation struct {
		Code string `json:"code"`
	} `json:"organisation"`
}

// withoutRelease is the answer's data without the release field, as JSON,
// to compare answers from different releases. The search hits are compared
// as a set: their order is by score, and Lucene's scores move with what the
// index holds (the copies of a release being loaded or deleted, deleted
// documents not yet merged away), so two hits of close scores may swap.
func (a answer) withoutRelease() string {
	m := make(map[string]json.RawMessage, len(a.Data))
	for k, v := range a.Data {
		if k != "release" {
			m[k] = v
		}
	}
	var hits []searchHit
	if json.Unmarshal(m["search"], &hits) == nil && hits != nil {
		slices.SortFunc(hits, func(x, y searchHit) int { return strings.Compare(x.Organisation.Code, y.Organisation.Code) })
		m["search"], _ = json.Marshal(hits)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// The reader's questions: counts, a list, a council's overlaps, a nested
// ICS → trusts query, the sources and a search (its order, not its scores,
// which depend on everything the full-text index holds); each also asks
// which release answered.
const (
	readerCouncil = "E07000244" // East Suffolk: split between two ICSs
	readerQueryA  = `{ release { id } integratedCareSystems { totalCount } trusts(first: 500) { totalCount edges { node { code } } }
  council(code: "` + readerCouncil + `") { overlaps { integratedCareSystem { code } sharedPopulation } } }`
	readerQueryB = `{ release { id } integratedCareSystems(first: 500) { edges { node { code trusts { code } } } } sources { id }
  search(text: "birmingam", first: 10) { organisation { code } } }`
)

// checkAgainstData checks the baseline answers against the dataset: the
// counts and code sets the questions must find on the newest date the data
// describes (the API's default).
func checkAgainstData(t *testing.T, d *dataset.Dataset, a, b answer) {
	t.Helper()
	g := d.Graph()
	holds := func(p map[string]any) bool {
		from, _ := p["validFrom"].(string)
		to, _ := p["validTo"].(string)
		return dataset.Holds(from, to, store.DefaultDataTo)
	}
	rows := func(label string) []map[string]any {
		var out []map[string]any
		for _, ns := range g.Nodes {
			if ns.Label == label {
				for _, r := range ns.Rows {
					if holds(r) {
						out = append(out, r)
					}
				}
			}
		}
		return out
	}
	edges := func(typ, from, to string) []map[string]any {
		var out []map[string]any
		for _, es := range g.Edges {
			if es.Type == typ && es.From == from && es.To == to {
				for _, r := range es.Rows {
					if p, _ := r["props"].(map[string]any); holds(p) {
						out = append(out, r)
					}
				}
			}
		}
		return out
	}
	var openTrusts, sources []string
	for _, r := range rows(store.LabelTrust) {
		openTrusts = append(openTrusts, r["code"].(string))
	}
	for _, s := range g.Sources {
		sources = append(sources, s["id"].(string))
	}
	var overlaps []string
	for _, r := range edges(store.RelOverlaps, store.LabelCouncil, store.LabelICS) {
		if r["from"] == readerCouncil {
			overlaps = append(overlaps, r["to"].(string))
		}
	}
	trustsOf := map[string][]string{}
	for _, r := range rows(store.LabelICS) {
		trustsOf[r["code"].(string)] = []string{}
	}
	for _, r := range edges(store.RelLocatedIn, store.LabelTrust, store.LabelICS) {
		trustsOf[r["to"].(string)] = append(trustsOf[r["to"].(string)], r["from"].(string))
	}

	var gotA struct {
		IntegratedCareSystems struct{ TotalCount int }
		Trusts                struct {
			TotalCount int
			Edges      []struct{ Node struct{ Code string } }
		}
		Council struct {
			Overlaps []struct{ IntegratedCareSystem struct{ Code string } }
		}
	}
	var gotB struct {
		IntegratedCareSystems struct {
			Edges []struct {
				Node struct {
					Code   string
					Trusts []struct{ Code string }
				}
			}
		}
		Sources []struct{ ID string }
	}
	for _, x := range []struct {
		a answer
		v any
	}{{a, &gotA}, {b, &gotB}} {
		raw, _ := json.Marshal(x.a.Data)
		if err := json.Unmarshal(raw, x.v); err != nil {
			t.Fatal(err)
		}
	}
	sorted := func(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }
	codes := func(n int, code func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = code(i)
		}
		return sorted(out)
	}
	check := func(what string, got, want any) {
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("baseline %s = %v, want %v (from seed/data)", what, got, want)
		}
	}
	check("ICS totalCount", gotA.IntegratedCareSystems.TotalCount, len(rows(store.LabelICS)))
	check("open trusts totalCount", gotA.Trusts.TotalCount, len(openTrusts))
	check("open trust codes", codes(len(gotA.Trusts.Edges), func(i int) string { return gotA.Trusts.Edges[i].Node.Code }), sorted(openTrusts))
	check(readerCouncil+" overlaps", codes(len(gotA.Council.Overlaps), func(i int) string { return gotA.Council.Overlaps[i].IntegratedCareSystem.Code }), sorted(overlaps))
	check("source ids", codes(len(gotB.Sources), func(i int) string { return gotB.Sources[i].ID }), sorted(sources))
	check("ICS count in the nested query", len(gotB.IntegratedCareSystems.Edges), len(trustsOf))
	for _, e := range gotB.IntegratedCareSystems.Edges {
		n := e.Node
		check(n.Code+" trusts", codes(len(n.Trusts), func(i int) string { return n.Trusts[i].Code }), sorted(trustsOf[n.Code]))
	}
}

// TestReloadUnderLoad reloads the data twice while four readers ask known
// questions: every answer must be complete and identical to the one before
// the reloads, and the X-Data-Release header must name the release in the
// same answer.
func TestReloadUnderLoad(t *testing.T) {
	st := neo4jtest.Store(t)
	d := seedData(t)
	t.Cleanup(func() { ensureOneRelease(t, st, d) })
	ensureOneRelease(t, st, d)
	cfg := testConfig(t)
	srv := httptest.NewServer(newMux(st, cfg, slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	queries := []string{readerQueryA, readerQueryB}
	baseline := make([]string, len(queries))
	var base []answer
	for i, q := range queries {
		a, err := postQuery(ctx, srv.Client(), srv.URL, q)
		if err != nil || a.status != http.StatusOK || len(a.Errors) > 0 {
			t.Fatalf("baseline %d: %v, status %d, errors %s", i, err, a.status, a.Errors)
		}
		baseline[i] = a.withoutRelease()
		base = append(base, a)
	}
	checkAgainstData(t, d, base[0], base[1])
	first := base[0].releaseID()

	// Readers run until the loads are done and the server has seen the
	// last release, or a reader finds a wrong answer.
	var (
		checked  atomic.Int64
		stop     = make(chan struct{})
		wg       sync.WaitGroup
		mu       sync.Mutex
		seen     = map[string]int{}
		failures []string
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(failures) < 5 {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
	}
	for r := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := r; ; i++ {
				select {
				case <-stop:
					return
				case <-time.After(10 * time.Millisecond): // leave the loader some of the 2 cores
				}
				q := i % len(queries)
				a, err := postQuery(ctx, srv.Client(), srv.URL, queries[q])
				switch {
				case err != nil:
					fail("reader %d: %v", r, err)
				case a.status != http.StatusOK || len(a.Errors) > 0:
					fail("reader %d: status %d, errors %s", r, a.status, a.Errors)
				case a.release == "" || a.release != a.releaseID():
					fail("reader %d: header %s=%q, data.release.id %q", r, releaseHeader, a.release, a.releaseID())
				case a.withoutRelease() != baseline[q]:
					got, want := a.withoutRelease(), baseline[q]
					i := 0
					for i < len(got) && i < len(want) && got[i] == want[i] {
						i++
					}
					from := max(0, i-150)
					fail("reader %d: release %s answered query %d differently from byte %d:\n…%.300s\nwant\n…%.300s", r, a.release, q, i, got[from:], want[from:])
				default:
					checked.Add(1)
					mu.Lock()
					seen[a.release]++
					mu.Unlock()
					continue
				}
				return
			}
		}()
	}

	grace := store.Grace(cfg.QueryTimeout)
	start := time.Now()
	var last store.Release
	for i := range 2 {
		rel, err := st.Load(ctx, d.Graph(), store.LoadOptions{Grace: grace})
		if err != nil {
			close(stop)
			wg.Wait()
			t.Fatalf("reload %d: %v", i+1, err)
		}
		last = rel
	}
	reload := time.Since(start)
	time.Sleep(store.TrackerInterval + 500*time.Millisecond) // readers see the last release
	close(stop)
	wg.Wait()

	for _, f := range failures {
		t.Error(f)
	}
	t.Logf("two reloads in %v; %d answers checked, by release: %v", reload.Round(time.Millisecond), checked.Load(), seen)
	if seen[first] == 0 || seen[strconv.FormatInt(last.ID, 10)] == 0 {
		t.Errorf("readers saw releases %v; want both the first (%s) and the last (%d)", seen, first, last.ID)
	}
}

// cancelAt returns load options whose progress cancels the load once stage
// is written, and the context to load with.
func cancelAt(ctx context.Context, stage string) (context.Context, store.LoadOptions, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	return ctx, store.LoadOptions{Progress: func(s string, _ int) {
		if s == stage {
			cancel()
		}
	}}, cancel
}

// releaseNodes counts the organisation and Source nodes of release id.
func releaseNodes(t *testing.T, st *store.Store, id int64) int64 {
	t.Helper()
	v, err := st.Column(context.Background(), "MATCH (n:Organisation|Source) WHERE n.release = $id RETURN count(n)", map[string]any{"id": id})
	if err != nil {
		t.Fatal(err)
	}
	return v[0].(int64)
}

// TestStoppedLoadKeepsServing stops a load halfway: the API keeps answering
// from the current release, the unfinished release is never current, and
// the next load deletes it.
func TestStoppedLoadKeepsServing(t *testing.T) {
	st := neo4jtest.Store(t)
	d := seedData(t)
	t.Cleanup(func() { ensureOneRelease(t, st, d) })
	ensureOneRelease(t, st, d)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	before, err := st.CurrentRelease(ctx)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newMux(st, testConfig(t), slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	want, err := postQuery(ctx, srv.Client(), srv.URL, readerQueryA)
	if err != nil || want.status != http.StatusOK {
		t.Fatalf("before: %v %d", err, want.status)
	}

	loadCtx, opt, stopLoad := cancelAt(ctx, store.LabelPCN)
	_, err = st.Load(loadCtx, d.Graph(), opt)
	stopLoad()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("stopped load: err = %v, want context.Canceled", err)
	}
	unfinished := before.ID + 1
	if n := releaseNodes(t, st, unfinished); n == 0 {
		t.Fatalf("the stopped load wrote nothing to release %d; the test did not stop it halfway", unfinished)
	}
	time.Sleep(store.TrackerInterval + 100*time.Millisecond) // the tracker re-reads
	got, err := postQuery(ctx, srv.Client(), srv.URL, readerQueryA)
	if err != nil {
		t.Fatal(err)
	}
	if got.release != strconv.FormatInt(before.ID, 10) || got.withoutRelease() != want.withoutRelease() {
		t.Errorf("after the stopped load: release %s answered %.200s; want release %d answering %.200s",
			got.release, got.withoutRelease(), before.ID, want.withoutRelease())
	}
	if cur, err := st.CurrentRelease(ctx); err != nil || cur.ID != before.ID {
		t.Errorf("current release = %d (%v), want %d", cur.ID, err, before.ID)
	}

	next, err := st.Load(ctx, d.Graph(), store.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if next.ID <= unfinished {
		t.Errorf("next release id %d, want > %d", next.ID, unfinished)
	}
	for _, id := range []int64{before.ID, unfinished} {
		if n := releaseNodes(t, st, id); n != 0 {
			t.Errorf("release %d still has %d nodes after the next load", id, n)
		}
	}
	if _, err := st.ReleaseByID(ctx, unfinished); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("release %d: %v, want not found", unfinished, err)
	}
}

// TestReadyzWithoutRelease: on an empty database, and one holding only an
// unfinished load, /readyz and /graphql answer 503 with a reason; after a
// load, 200 with the release in the header.
func TestReadyzWithoutRelease(t *testing.T) {
	st := neo4jtest.Store(t)
	d := seedData(t)
	t.Cleanup(func() { ensureOneRelease(t, st, d) })
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if _, err := st.DeleteAllReleases(ctx); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newMux(st, testConfig(t), slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	readyz := func() (int, string, string) {
		resp, err := srv.Client().Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header.Get(releaseHeader)
	}
	unavailable := func(state string) {
		t.Helper()
		if code, body, _ := readyz(); code != http.StatusServiceUnavailable || !strings.Contains(body, "no complete data release") {
			t.Errorf("%s: /readyz %d %s, want 503 naming the missing release", state, code, body)
		}
		a, err := postQuery(ctx, srv.Client(), srv.URL, readerQueryA)
		if err != nil || a.status != http.StatusServiceUnavailable || len(a.Errors) != 1 || !strings.Contains(string(a.Errors[0]), `"UNAVAILABLE"`) {
			t.Errorf("%s: /graphql %d %s (%v), want 503 UNAVAILABLE", state, a.status, a.Errors, err)
		}
	}
	unavailable("empty database")

	loadCtx, opt, stopLoad := cancelAt(ctx, store.LabelPCN)
	_, err := st.Load(loadCtx, d.Graph(), opt)
	stopLoad()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("stopped load: err = %v, want context.Canceled", err)
	}
	time.Sleep(store.TrackerInterval + 100*time.Millisecond)
	unavailable("only an unfinished load")

	rel, err := st.Load(ctx, d.Graph(), store.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(store.TrackerInterval + 100*time.Millisecond)
	code, body, header := readyz()
	if code != http.StatusOK || header != strconv.FormatInt(rel.ID, 10) {
		t.Errorf("after a load: /readyz %d %s, %s %q; want 200 and release %d", code, body, releaseHeader, header, rel.ID)
	}
	a, err := postQuery(ctx, srv.Client(), srv.URL, `{ release { id loadedAt dataFrom dataTo sources { id } } }`)
	if err != nil || a.status != http.StatusOK || a.releaseID() != strconv.FormatInt(rel.ID, 10) {
		t.Errorf("after a load: release %s (%v, %d %s), want %d", a.releaseID(), err, a.status, a.Errors, rel.ID)
	}
}
