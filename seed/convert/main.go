// Command convert rebuilds seed/data from the official downloads:
//
//	go run ./seed/convert -manifest seed/sources/manifest.json -raw ../shared/data/raw -curated seed/curated -out seed/data
//
// Every raw file must match its manifest row (present, same sha256); a
// mismatch, a missing column or a bad row stops it, naming the file, row and
// reason, before anything is written.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/icsgraph/icsgraph/internal/dataset/changes"
	"github.com/icsgraph/icsgraph/internal/dataset/convert"
	"github.com/icsgraph/icsgraph/internal/dataset/invariants"
	"github.com/icsgraph/icsgraph/internal/dataset/manifest"
)

func main() {
	man := flag.String("manifest", "seed/sources/manifest.json", "the sources manifest")
	raw := flag.String("raw", "../shared/data/raw", "directory of the official downloads")
	curated := flag.String("curated", "seed/curated", "directory of the curated tables (in the repository)")
	out := flag.String("out", "seed/data", "directory to write the seed files to")
	report := flag.String("report", "", "print the change report of this seed directory (e.g. seed/data) from the manifest's release_since, and exit (no raw files needed)")
	flag.Parse()
	if *report != "" {
		m, err := manifest.Load(*man)
		var t invariants.Tables
		if err == nil {
			t, err = invariants.ReadDir(*report)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "convert:", err)
			os.Exit(1)
		}
		fmt.Print(changes.Report(t, m.ReleaseSince))
		return
	}
	m, err := manifest.Load(*man)
	var tables []convert.Table
	if err == nil {
		tables, err = convert.Build(m, *raw, *curated)
	}
	if err == nil {
		err = convert.Write(*out, tables)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "convert:", err)
		os.Exit(1)
	}
	for _, t := range tables {
		if t.Text == nil {
			fmt.Fprintf(os.Stderr, "%-26s %6d rows\n", t.Name, len(t.Rows))
		}
	}
}
