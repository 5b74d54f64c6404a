package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	wl "github.com/icsgraph/icsgraph/bench/workload"
)

// Check is the answer comparison for one query, made before any timing.
type Check struct {
	Query   string            `json:"query"`
	Kind    string            `json:"kind"`
	Same    bool              `json:"same"`    // every target that answered gave the same normalised data
	Summary string            `json:"summary"` // size of our answer
	Detail  string            `json:"detail,omitempty"`
	Errors  map[string]string `json:"errors,omitempty"` // target → error; an erroring target is not timed
}

// Result is what one `bench run` writes to results/<label>.json.
type Result struct {
	Label    string         `json:"label"` // e.g. "compare" or "scale-x10"
	Date     string         `json:"date"`
	Machine  map[string]any `json:"machine"`
	Versions map[string]any `json:"versions"`
	Graph    map[string]any `json:"graph"` // node and relationship counts
	Config   map[string]any `json:"config"`
	Checks   []Check        `json:"checks"`
	Cells    []Cell         `json:"cells"`
}

// runBench checks that the targets give the same answers, then measures each
// query at each concurrency, interleaving the targets round by round.
func runBench(args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	label := fs.String("label", "compare", "name of this run (results/<label>.json)")
	out := fs.String("out", "", "JSON output file (default bench/results/<label>.json)")
	ours := fs.String("ours", "http://127.0.0.1:18080/graphql", "our GraphQL endpoint (run with RESPONSE_CACHE=off: the uncached rows)")
	oursCached := fs.String("ours-cached", "", "our GraphQL endpoint with the response cache on (empty: skip the cached rows)")
	oursCachedPID := fs.Int("ours-cached-pid", 0, "pid of our cached server, for peak memory")
	peer := fs.String("peer", "http://127.0.0.1:14000/graphql", "the peer's GraphQL endpoint (empty: skip)")
	cyp := fs.String("cypher", "http://127.0.0.1:18081/graphql", "the raw-Cypher server (empty: skip)")
	oursPID := fs.Int("ours-pid", 0, "pid of our server, for peak memory")
	peerPID := fs.Int("peer-pid", 0, "pid of the peer, for peak memory")
	cypPID := fs.Int("cypher-pid", 0, "pid of the raw-Cypher server, for peak memory")
	neo := fs.String("neo4j", envOr("NEO4J_URI", "bolt://127.0.0.1:7687"), "the Neo4j the servers read (for versions and graph size)")
	concList := fs.String("conc", "1,16,64", "concurrency levels")
	dur := fs.Duration("duration", 5*time.Second, "measured time per query, target and concurrency")
	rounds := fs.Int("rounds", 2, "interleaved rounds the measured time is split into")
	warm := fs.Duration("warmup", 2*time.Second, "unmeasured warm-up per query and target")
	maxReqs := fs.Int("max-requests", 200000, "cap on requests per slice")
	only := fs.String("queries", "", "comma-separated query names (default: all)")
	withTraversals := fs.Bool("traversals", false, "also run the traversal queries (ours only) when they answer")
	strict := fs.Bool("strict", false, "stop when the answers differ")
	slowCap := fs.Duration("slow", 1500*time.Millisecond, "a target whose p50 exceeds this is not run at higher concurrency (keeps runs bounded)")
	_ = fs.Parse(args)

	concs, err := ints(*concList)
	if err != nil {
		return err
	}
	targets := []Target{{"ours", *ours, *oursPID}}
	if *oursCached != "" {
		targets = append(targets, Target{"ours-cached", *oursCached, *oursCachedPID})
	}
	if *peer != "" {
		targets = append(targets, Target{"peer", *peer, *peerPID})
	}
	if *cyp != "" {
		targets = append(targets, Target{"cypher", *cyp, *cypPID})
	}
	queries := workload()
	if *withTraversals {
		queries = append(queries, traversals()...)
	}
	if *only != "" {
		keep := map[string]bool{}
		for _, n := range strings.Split(*only, ",") {
			keep[strings.TrimSpace(n)] = true
		}
		var sel []Query
		for _, q := range queries {
			if keep[q.Name] {
				sel = append(sel, q)
			}
		}
		queries = sel
	}

	pools, err := loadPools(*neo)
	if err != nil {
		return fmt.Errorf("reading the codes requests draw from: %w", err)
	}
	res := Result{
		Label:    *label,
		Date:     time.Now().UTC().Format(time.RFC3339),
		Machine:  machine(),
		Versions: versions(*neo),
		Graph:    graphSize(*neo),
		Config: map[string]any{"concurrency": concs, "durationSeconds": dur.Seconds(), "rounds": *rounds,
			"warmupSeconds": warm.Seconds(), "targets": targets, "trusts": len(pools.Trusts), "councils": len(pools.Councils),
			"variation": "lookups and overlaps draw their code per request from every trust / council; lists vary type, foundation status and page size"},
	}

	// 1. Same answers, before any timing.
	fmt.Printf("== %s: checking answers (%d queries, %d targets)\n", *label, len(queries), len(targets))
	var timed []Query
	for _, q := range queries {
		c := checkQuery(q, targets, pools)
		res.Checks = append(res.Checks, c)
		status := "same"
		if !c.Same {
			status = "DIFFERENT " + c.Detail
		}
		fmt.Printf("   %-14s %s (%s)\n", q.Name, status, c.Summary)
		for t, e := range c.Errors {
			fmt.Printf("   %-14s %s: %s\n", "", t, e)
		}
		if !c.Same && *strict {
			return fmt.Errorf("%s: the answers differ: %s", q.Name, c.Detail)
		}
		if _, bad := c.Errors["ours"]; bad && q.Kind == "traversal" {
			continue // not implemented (yet) or broken: nothing to time
		}
		timed = append(timed, q)
	}

	// 2. Load: per query and concurrency, warm each target up at that
	// concurrency, then run the measured time in interleaved rounds (forward
	// order, then reversed), so drift in the machine or the database hits
	// every target alike. Warming up at the cell's own concurrency keeps the
	// peak memory of a one-client cell its own: a 16-client warm-up left the
	// heap of 16 answers resident, and the cell's peak started from there.
	fmt.Printf("== %s: load (%v per cell in %d rounds, warm-up %v)\n", *label, *dur, *rounds, *warm)
	fmt.Printf("   %-14s %-7s %5s %9s %9s %9s %9s %7s %8s\n", "query", "target", "conc", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "RSS MB")
	for _, q := range timed {
		var live []Target
		for _, t := range targets {
			if _, ok := t.bodies(q, pools); !ok || res.check(q.Name).Errors[t.Name] != "" {
				continue
			}
			live = append(live, t)
		}
		slow := map[string]string{} // target → why it is not run at higher concurrency
		for _, conc := range concs {
			var run []Target
			for _, t := range live {
				if why := slow[t.Name]; why != "" {
					res.Cells = append(res.Cells, Cell{Query: q.Name, Kind: q.Kind, Target: t.Name, Concurrency: conc, Skipped: why})
					fmt.Printf("   %-14s %-7s %5d skipped: %s\n", q.Name, t.Name, conc, why)
					continue
				}
				run = append(run, t)
			}
			live := run
			pooled := make([]sample, len(live))
			for _, t := range live {
				bodies, _ := t.bodies(q, pools)
				drive(t.URL, bodies, conc, *warm, *maxReqs)
				resetPeak(t.PID)
			}
			slice := *dur / time.Duration(*rounds)
			for r := range *rounds {
				for k := range live {
					i := k
					if r%2 == 1 {
						i = len(live) - 1 - k
					}
					bodies, _ := live[i].bodies(q, pools)
					s := drive(live[i].URL, bodies, conc, slice, *maxReqs)
					p := &pooled[i]
					p.lat = append(p.lat, s.lat...)
					p.errors += s.errors
					p.busy += s.busy
					if p.first == "" {
						p.first = s.first
					}
				}
			}
			for i, t := range live {
				c := cellOf(q, t, conc, pooled[i])
				c.PeakRSSMB = peakRSS(t.PID)
				res.Cells = append(res.Cells, c)
				if c.P50ms > float64(slowCap.Milliseconds()) {
					slow[t.Name] = fmt.Sprintf("p50 %.0f ms at concurrency %d exceeds -slow %v", c.P50ms, conc, *slowCap)
				}
				fmt.Printf("   %-14s %-7s %5d %9.1f %9.2f %9.2f %9.2f %7d %8.0f\n", q.Name, t.Name, conc, c.RPS, c.P50ms, c.P95ms, c.P99ms, c.Errors, c.PeakRSSMB)
				if c.FirstError != "" {
					fmt.Printf("   %-14s first error: %s\n", "", c.FirstError)
				}
			}
		}
	}

	res.Machine["loadavgEnd"] = loadavg()
	path := *out
	if path == "" {
		path = filepath.Join(benchDir(), "results", *label+".json")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, _ := json.MarshalIndent(res, "", "  ")
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Printf("== wrote %s\n", path)
	return nil
}

func (r *Result) check(name string) Check {
	for _, c := range r.Checks {
		if c.Query == name {
			return c
		}
	}
	return Check{}
}

// checked is how many of a query's variants the answer check compares.
const checked = 12

// checkQuery asks every target for the first variants of q and compares the
// normalised answers with ours.
func checkQuery(q Query, targets []Target, pools wl.Pools) Check {
	c := Check{Query: q.Name, Kind: q.Kind, Same: true, Errors: map[string]string{}}
	answers := map[string]string{}
	first := ""
	n := 1
	if q.Vary != nil {
		n = checked
	}
	for _, t := range targets {
		for i := range n {
			body, ok := t.body(q, q.VarsFor(pools, i))
			if !ok {
				continue
			}
			raw, err := post(context.Background(), t.URL, body)
			var a string
			if err == nil {
				a, err = normalise(raw)
			}
			if err != nil {
				c.Errors[t.Name] = err.Error()
				break
			}
			if t.Name == "ours" && i == 0 {
				first = a
			}
			answers[t.Name] += a + "\n"
		}
	}
	base, ok := answers["ours"]
	if !ok {
		c.Same = false
		c.Detail = "our server gave no answer"
		return c
	}
	c.Summary = summarise(first)
	if n > 1 {
		c.Summary += fmt.Sprintf(" (first of %d variants compared)", n)
	}
	for _, t := range targets {
		if a, ok := answers[t.Name]; ok && a != base {
			c.Same = false
			c.Detail += fmt.Sprintf("ours vs %s differ %s; ", t.Name, firstDifference(base, a))
		}
	}
	if len(c.Errors) > 0 && q.Kind == "workload" {
		c.Same = false
	}
	return c
}

// machine describes the machine the run is on.
func machine() map[string]any {
	m := map[string]any{"cores": runtime.NumCPU(), "os": runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if s := regexp.MustCompile(`(?m)^model name\s*:\s*(.+)$`).FindSubmatch(b); s != nil {
			m["cpu"] = string(s[1])
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if s := regexp.MustCompile(`(?m)^MemTotal:\s*(\d+) kB`).FindSubmatch(b); s != nil {
			kb, _ := strconv.Atoi(string(s[1]))
			m["memoryGB"] = float64(kb/1024/102) / 10
		}
	}
	m["loadavg"] = loadavg()
	if b, err := exec.Command("uname", "-sr").Output(); err == nil {
		m["kernel"] = strings.TrimSpace(string(b))
	}
	return m
}

// loadavg is the 1-minute load average: other work on the machine shows here.
func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return ""
}

// versions lists what was measured: our build's dependencies, the peer's
// packages, Node, Go and Neo4j.
func versions(uri string) map[string]any {
	v := map[string]any{"go": runtime.Version()}
	root := filepath.Dir(benchDir())
	if b, err := os.ReadFile(filepath.Join(root, "go.mod")); err == nil {
		for _, mod := range []string{"github.com/99designs/gqlgen", "github.com/neo4j/neo4j-go-driver/v5"} {
			if s := regexp.MustCompile(regexp.QuoteMeta(mod) + ` (v\S+)`).FindSubmatch(b); s != nil {
				v[mod] = string(s[1])
			}
		}
	}
	for _, pkg := range []string{"@neo4j/graphql", "@apollo/server", "graphql", "neo4j-driver"} {
		var p struct{ Version string }
		if b, err := os.ReadFile(filepath.Join(benchDir(), "peer", "node_modules", pkg, "package.json")); err == nil && json.Unmarshal(b, &p) == nil {
			v["npm:"+pkg] = p.Version
		}
	}
	if b, err := exec.Command("node", "--version").Output(); err == nil {
		v["node"] = strings.TrimSpace(string(b))
	}
	if b, err := exec.Command("git", "-C", root, "rev-parse", "--short", "HEAD").Output(); err == nil {
		v["icsgraphCommit"] = strings.TrimSpace(string(b))
	}
	if rows, err := cypherRows(uri, "CALL dbms.components() YIELD name, versions, edition RETURN name + ' ' + versions[0] + ' ' + edition"); err == nil && len(rows) > 0 {
		v["neo4j"] = rows[0][0]
	}
	return v
}

// graphSize counts the organisations and relationships the servers read.
func graphSize(uri string) map[string]any {
	g := map[string]any{}
	if rows, err := cypherRows(uri, "MATCH (n:Organisation) RETURN count(n)"); err == nil {
		g["organisations"] = rows[0][0]
	}
	if rows, err := cypherRows(uri, "MATCH (:Organisation)-[r]->(:Organisation) RETURN count(r)"); err == nil {
		g["relationships"] = rows[0][0]
	}
	if rows, err := cypherRows(uri, "MATCH (n:ICS) RETURN count(n)"); err == nil {
		g["systems"] = rows[0][0]
	}
	return g
}

// cypherRows runs one read statement and returns its rows.
func cypherRows(uri, cypher string, params ...map[string]any) ([][]any, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	driver, err := neo4j.NewDriverWithContext(uri, neo4j.NoAuth())
	if err != nil {
		return nil, err
	}
	defer driver.Close(ctx)
	var p map[string]any
	if len(params) > 0 {
		p = params[0]
	}
	res, err := neo4j.ExecuteQuery(ctx, driver, cypher, p, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(envOr("NEO4J_DATABASE", "neo4j")))
	if err != nil {
		return nil, err
	}
	var rows [][]any
	for _, r := range res.Records {
		rows = append(rows, r.Values)
	}
	if len(rows) == 0 {
		return nil, errors.New("no rows")
	}
	return rows, nil
}

// benchDir is the bench/ directory: BENCH_DIR, else ./bench when run from
// the repository root, else the working directory.
func benchDir() string {
	if d := os.Getenv("BENCH_DIR"); d != "" {
		return d
	}
	if st, err := os.Stat("bench/run.sh"); err == nil && !st.IsDir() {
		abs, _ := filepath.Abs("bench")
		return abs
	}
	wd, _ := os.Getwd()
	return wd
}

func ints(list string) ([]int, error) {
	var out []int
	for _, s := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad concurrency %q", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// loadPools reads the codes requests draw from: every trust, and every
// council with an ICS overlap.
func loadPools(uri string) (wl.Pools, error) {
	var p wl.Pools
	for _, x := range []struct {
		dst   *[]string
		query string
	}{
		{&p.Trusts, "MATCH (t:Trust) RETURN t.code ORDER BY t.code"},
		{&p.Councils, "MATCH (c:Council) WHERE EXISTS { (c)-[:OVERLAPS]->(:ICS) } RETURN c.code ORDER BY c.code"},
	} {
		rows, err := cypherRows(uri, x.query)
		if err != nil {
			return p, err
		}
		for _, r := range rows {
			if s, ok := r[0].(string); ok {
				*x.dst = append(*x.dst, s)
			}
		}
	}
	return p, nil
}
