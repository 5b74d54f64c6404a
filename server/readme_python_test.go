package main

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/neo4jtest"
)

// The README's Python snippets (NetworkX, python-igraph, pandas), taken from
// README.md as they are and run with python3 against a test server on
// 127.0.0.1, so they cannot go stale: each must run, and the figures it
// prints must match the API's. Without python3 and the pinned packages
// (requirements-test.txt) the test fails under CI=true and is skipped
// otherwise.

var (
	pythonBlock = regexp.MustCompile("(?ms)^( *)```python\n(.*?)^ *```")
	figure      = regexp.MustCompile(`^[A-Z0-9]`) // a printed figure: a number or a code
)

// readmeSnippets returns the README's python blocks, dedented.
func readmeSnippets(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range pythonBlock.FindAllStringSubmatch(string(raw), -1) {
		indent := m[1]
		var lines []string
		for _, l := range strings.Split(m[2], "\n") {
			lines = append(lines, strings.TrimPrefix(l, indent))
		}
		out = append(out, strings.Join(lines, "\n"))
	}
	return out
}

func requirePython(t *testing.T) {
	t.Helper()
	out, err := exec.Command("python3", "-c", "import networkx, igraph, pandas").CombinedOutput()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("python3 with networkx, python-igraph and pandas is required (make test-deps): %v: %s", err, out)
		}
		t.Skipf("python3 with networkx, python-igraph and pandas not found (make test-deps installs them): %v", err)
	}
}

func TestReadmePythonSnippets(t *testing.T) {
	requirePython(t)
	st := neo4jtest.Store(t)
	srv := httptest.NewServer(newMux(st, testConfig(t), slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()

	// What the API says, by GraphQL.
	var nb struct {
		Neighbourhood struct {
			Nodes []struct {
				ID    string
				Depth int
			}
			Edges []struct{ From, To string }
		}
	}
	gqlPost(t, srv.Config.Handler, `{ neighbourhood(code: "E07000244", depth: 2, asOf: "2026-03-31") { nodes { id depth } edges { from to } } }`, &nb)
	centreDegree := 0
	for _, n := range nb.Neighbourhood.Nodes {
		if n.Depth == 0 {
			for _, e := range nb.Neighbourhood.Edges {
				if e.From == n.ID || e.To == n.ID {
					centreDegree++
				}
			}
		}
	}
	var land struct {
		IntegratedCareSystems struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Code            string
					Region          *struct{ Code string }
					SubIcbLocations []struct{ Code string }
					Trusts          []struct{ Code string }
				}
			}
		}
		SubIcbLocations struct{ TotalCount int }
		Regions         struct{ TotalCount int }
		Trusts          struct{ TotalCount int }
	}
	gqlPost(t, srv.Config.Handler, `{ integratedCareSystems(first: 100) { totalCount edges { node { code region { code } subIcbLocations { code } trusts { code } } } }
		subIcbLocations(first: 1) { totalCount } regions(first: 1) { totalCount } trusts(first: 1) { totalCount } }`, &land)
	// Edges of the ICS + sub-ICB location + region landscape: each sub-ICB
	// location PART_OF its ICS, each ICS IN_REGION its region (derived from
	// the API's nested lists, not from the export).
	partOf, inRegion, mostTrusts := 0, 0, 0
	for _, e := range land.IntegratedCareSystems.Edges {
		partOf += len(e.Node.SubIcbLocations)
		if e.Node.Region != nil {
			inRegion++
		}
		mostTrusts = max(mostTrusts, len(e.Node.Trusts))
	}
	trustsOf := map[string]int{}
	for _, e := range land.IntegratedCareSystems.Edges {
		trustsOf[e.Node.Code] = len(e.Node.Trusts)
	}
	n, m := len(nb.Neighbourhood.Nodes), len(nb.Neighbourhood.Edges)
	want := map[string]string{
		"graphml":       fmt.Sprintf("%d %d", n, m),
		"gexf":          fmt.Sprintf("%d %d", n, m),
		"centre degree": strconv.Itoa(centreDegree),
		"igraph": fmt.Sprintf("%d %d", land.IntegratedCareSystems.TotalCount+land.SubIcbLocations.TotalCount+land.Regions.TotalCount,
			partOf+inRegion),
		"ics":    strconv.Itoa(land.IntegratedCareSystems.TotalCount),
		"trusts": strconv.Itoa(land.Trusts.TotalCount),
	}

	// The crosswalk snippet re-weights one item per 2019 CCG onto the ICBs of
	// 2026-04-01: as many CCGs as held small areas then, every ICB, the total kept.
	var cw struct {
		Ccgs, IntegratedCareSystems struct{ TotalCount int }
	}
	gqlPost(t, srv.Config.Handler, `{ ccgs(asOf: "2019-04-01") { totalCount } integratedCareSystems(asOf: "2026-04-01") { totalCount } }`, &cw)
	want["crosswalk ccgs"] = strconv.Itoa(cw.Ccgs.TotalCount)
	want["crosswalk icbs"] = strconv.Itoa(cw.IntegratedCareSystems.TotalCount)
	want["crosswalk total"] = fmt.Sprintf("%d.000000", cw.Ccgs.TotalCount)

	snippets := readmeSnippets(t)
	if len(snippets) != 4 {
		t.Fatalf("README.md has %d python blocks, want 4 (NetworkX, python-igraph, pandas, the crosswalk)", len(snippets))
	}
	got := map[string]string{}
	for i, code := range snippets {
		t.Run(fmt.Sprintf("snippet %d", i+1), func(t *testing.T) {
			cmd := exec.Command("python3", "-")
			cmd.Stdin = strings.NewReader(code)
			cmd.Env = append(os.Environ(), "ICSGRAPH="+srv.URL)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("the README's snippet failed: %v\n%s\n---\n%s", err, stderr.String(), code)
			}
			t.Logf("printed:\n%s", out)
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				// "key words value(s)": the key is the words before the first number or code
				f := strings.Fields(line)
				k := 0
				for k < len(f) && !figure.MatchString(f[k]) {
					k++
				}
				got[strings.Join(f[:k], " ")] = strings.Join(f[k:], " ")
			}
		})
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%q printed %q, the API's figure is %q", k, got[k], w)
		}
	}
	// the ICS with the most trusts: any with the API's largest count
	f := strings.Fields(got["most trusts"])
	if len(f) != 2 || f[1] != strconv.Itoa(mostTrusts) || trustsOf[f[0]] != mostTrusts {
		t.Errorf(`"most trusts" printed %q; the API's largest is %d trusts (%s has %d)`, got["most trusts"], mostTrusts, f, trustsOf[f[0]])
	}
}
