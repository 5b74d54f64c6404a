package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// report prints Markdown tables from result files: for each side-by-side run
// the comparison and the targets, then, over the scale-x<N> runs, how cost
// grows with the graph.
func report(files []string) error {
	var runs []Result
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var r Result
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		runs = append(runs, r)
	}
	w := os.Stdout
	var scales []Result
	for _, r := range runs {
		if strings.HasPrefix(r.Label, "scale-x") {
			scales = append(scales, r)
			continue
		}
		compareTable(w, r)
	}
	if len(scales) > 0 {
		slices.SortFunc(scales, func(a, b Result) int { return factorOf(a) - factorOf(b) })
		scaleTable(w, scales)
	}
	return nil
}

func factorOf(r Result) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(r.Label, "scale-x"))
	return n
}

// cell finds a measurement.
func (r Result) cell(query, target string, conc int) (Cell, bool) {
	for _, c := range r.Cells {
		if c.Query == query && c.Target == target && c.Concurrency == conc {
			return c, c.Requests > 0
		}
	}
	return Cell{}, false
}

// header prints where and when a run was made.
func header(w io.Writer, r Result) {
	fmt.Fprintf(w, "### %s — %s\n\n", r.Label, r.Date)
	fmt.Fprintf(w, "- machine: %v, %v cores, %v GB, %v (load average at start %v)\n", r.Machine["cpu"], r.Machine["cores"], r.Machine["memoryGB"], r.Machine["kernel"], r.Machine["loadavg"])
	v := r.Versions
	fmt.Fprintf(w, "- versions: ours %v (gqlgen %v, neo4j-go-driver %v, %v); peer @neo4j/graphql %v + @apollo/server %v (graphql %v, neo4j-driver %v, node %v); %v\n",
		v["icsgraphCommit"], v["github.com/99designs/gqlgen"], v["github.com/neo4j/neo4j-go-driver/v5"], v["go"],
		v["npm:@neo4j/graphql"], v["npm:@apollo/server"], v["npm:graphql"], v["npm:neo4j-driver"], v["node"], v["neo4j"])
	fmt.Fprintf(w, "- graph: %s organisations, %s relationships, %s ICSs\n", count(r.Graph["organisations"]), count(r.Graph["relationships"]), count(r.Graph["systems"]))
	fmt.Fprintf(w, "- load: %vs per cell and target in %v interleaved rounds, %vs warm-up, concurrency %v\n\n",
		r.Config["durationSeconds"], r.Config["rounds"], r.Config["warmupSeconds"], r.Config["concurrency"])
	var diff []string
	for _, c := range r.Checks {
		switch {
		case c.Kind == "traversal" && c.Errors["ours"] != "":
			diff = append(diff, fmt.Sprintf("%s: not timed, our server answers with an error: `%.160s`", c.Query, c.Errors["ours"]))
		case c.Kind == "workload" && !c.Same:
			diff = append(diff, fmt.Sprintf("%s: answers DIFFER: %s %v", c.Query, c.Detail, c.Errors))
		}
	}
	fmt.Fprintf(w, "Answer check before timing: %d queries compared", len(r.Checks))
	if len(diff) == 0 {
		fmt.Fprintf(w, ", all the same.\n\n")
	} else {
		fmt.Fprintf(w, ":\n\n")
		for _, d := range diff {
			fmt.Fprintf(w, "- %s\n", d)
		}
		fmt.Fprintln(w)
	}
}

// compareTable prints the side-by-side table and the targets at concurrency 16.
func compareTable(w io.Writer, r Result) {
	header(w, r)
	fmt.Fprintln(w, "| query | conc | req/s ours | peer | cypher | p50 ms ours | peer | cypher | p99 ms ours | peer | cypher | thr ours/peer | p99 peer/ours | p50 ours/cypher | peak RSS MB ours / peer / cypher | errors |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	for _, q := range queryNames(r) {
		for _, conc := range concsOf(r) {
			o, okO := r.cell(q, "ours", conc)
			p, okP := r.cell(q, "peer", conc)
			c, okC := r.cell(q, "cypher", conc)
			if !okO && !okP && !okC {
				continue
			}
			fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s / %s | %d / %d / %d |\n", q, conc,
				num(o.RPS, okO), num(p.RPS, okP), num(c.RPS, okC),
				num(o.P50ms, okO), num(p.P50ms, okP), num(c.P50ms, okC),
				num(o.P99ms, okO), num(p.P99ms, okP), num(c.P99ms, okC),
				ratio(o.RPS, p.RPS, okO && okP), ratio(p.P99ms, o.P99ms, okO && okP), ratio(o.P50ms, c.P50ms, okO && okC),
				num(o.PeakRSSMB, okO), num(p.PeakRSSMB, okP), num(c.PeakRSSMB, okC), o.Errors, p.Errors, c.Errors)
		}
	}
	fmt.Fprintln(w)
	// The targets, from this run, at concurrency 16.
	fmt.Fprintln(w, "Targets at concurrency 16 (✓ met, ✗ missed):")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| query | throughput ours/peer ≥ 2 | p99 ours/peer ≤ 0.5 | p50 ours/cypher ≤ 1.5 |")
	fmt.Fprintln(w, "|---|--:|--:|--:|")
	for _, q := range queryNames(r) {
		o, okO := r.cell(q, "ours", 16)
		p, okP := r.cell(q, "peer", 16)
		c, okC := r.cell(q, "cypher", 16)
		if !okO || (!okP && !okC) {
			continue
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", q,
			verdict(o.RPS, p.RPS, okP, func(x float64) bool { return x >= 2 }),
			verdict(o.P99ms, p.P99ms, okP, func(x float64) bool { return x <= 0.5 }),
			verdict(o.P50ms, c.P50ms, okC, func(x float64) bool { return x <= 1.5 }))
	}
	fmt.Fprintln(w)
	cachedTable(w, r)
}

// cachedTable prints our server with its response cache on beside the peer
// (which has none), when the run measured it.
func cachedTable(w io.Writer, r Result) {
	measured := false
	for _, c := range r.Cells {
		measured = measured || c.Target == "ours-cached"
	}
	if !measured {
		return
	}
	fmt.Fprintln(w, "Cached (our response cache on; the rows above are uncached, RESPONSE_CACHE=off; the peer has no cache):")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| query | conc | req/s ours cached | peer | p50 ms ours cached | peer | p99 ms ours cached | peer | thr cached/peer | errors |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	for _, q := range queryNames(r) {
		for _, conc := range concsOf(r) {
			o, okO := r.cell(q, "ours-cached", conc)
			p, okP := r.cell(q, "peer", conc)
			if !okO {
				continue
			}
			fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %d |\n", q, conc,
				num(o.RPS, okO), num(p.RPS, okP), num(o.P50ms, okO), num(p.P50ms, okP), num(o.P99ms, okO), num(p.P99ms, okP),
				ratio(o.RPS, p.RPS, okO && okP), o.Errors)
		}
	}
	fmt.Fprintln(w)
}

// scaleTable prints p50 latency at concurrency 1 and throughput at the
// highest concurrency, per size, with the growth from the smallest size.
func scaleTable(w io.Writer, runs []Result) {
	fmt.Fprintf(w, "### How cost grows with the graph — %s\n\n", runs[len(runs)-1].Date)
	for _, r := range runs {
		fmt.Fprintf(w, "- ×%d: %s organisations, %s relationships, %s ICSs\n", factorOf(r), count(r.Graph["organisations"]), count(r.Graph["relationships"]), count(r.Graph["systems"]))
	}
	base := runs[0]
	fmt.Fprintf(w, "\nSame workload (and our traversals) on the benchmark's own Neo4j, grown from the snapshot of the real graph (as of its newest date); %vs per cell.\n", base.Config["durationSeconds"])
	fmt.Fprintf(w, "Answer checks per size: ")
	for _, r := range runs {
		var bad []string
		for _, c := range r.Checks {
			if c.Kind == "workload" && !c.Same {
				bad = append(bad, c.Query)
			}
		}
		status := "all same"
		if len(bad) > 0 {
			status = "differ on " + strings.Join(bad, ", ")
		}
		fmt.Fprintf(w, "×%d %s; ", factorOf(r), status)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
	concs := concsOf(base)
	hi := concs[len(concs)-1]
	var cols []string
	for _, r := range runs {
		cols = append(cols, fmt.Sprintf("p50 ms ×%d", factorOf(r)))
	}
	for _, r := range runs[1:] {
		cols = append(cols, fmt.Sprintf("×%d/×%d", factorOf(r), factorOf(base)))
	}
	for _, r := range runs {
		cols = append(cols, fmt.Sprintf("req/s c%d ×%d", hi, factorOf(r)))
	}
	fmt.Fprintf(w, "| query | target | %s |\n", strings.Join(cols, " | "))
	fmt.Fprintf(w, "|---|---|%s\n", strings.Repeat("--:|", len(cols)))
	for _, q := range queryNames(runs[len(runs)-1]) {
		for _, t := range []string{"ours", "peer", "cypher"} {
			var vals []string
			b, okB := base.cell(q, t, 1)
			any := false
			for _, r := range runs {
				c, ok := r.cell(q, t, 1)
				any = any || ok
				vals = append(vals, num(c.P50ms, ok))
			}
			if !any {
				continue
			}
			for _, r := range runs[1:] {
				c, ok := r.cell(q, t, 1)
				vals = append(vals, ratio(c.P50ms, b.P50ms, ok && okB))
			}
			for _, r := range runs {
				c, ok := r.cell(q, t, hi)
				vals = append(vals, num(c.RPS, ok))
			}
			fmt.Fprintf(w, "| %s | %s | %s |\n", q, t, strings.Join(vals, " | "))
		}
	}
	fmt.Fprintln(w)
}

func queryNames(r Result) []string {
	var out []string
	for _, c := range r.Checks {
		out = append(out, c.Query)
	}
	return out
}

func concsOf(r Result) []int {
	var out []int
	for _, c := range r.Cells {
		if !slices.Contains(out, c.Concurrency) {
			out = append(out, c.Concurrency)
		}
	}
	slices.Sort(out)
	return out
}

func num(x float64, ok bool) string {
	switch {
	case !ok:
		return "–"
	case x >= 100:
		return fmt.Sprintf("%.0f", x)
	case x >= 10:
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.2f", x)
}

func ratio(a, b float64, ok bool) string {
	if !ok || b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", a/b)
}

func verdict(a, b float64, ok bool, met func(float64) bool) string {
	if !ok || b == 0 {
		return "–"
	}
	mark := "✗"
	if met(a / b) {
		mark = "✓"
	}
	return fmt.Sprintf("%s %.2f", mark, a/b)
}

// count prints a count read back from JSON (a float64) as a whole number.
func count(v any) string {
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return fmt.Sprint(v)
}
