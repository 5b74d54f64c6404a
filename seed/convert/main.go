// Command convert rebuilds seed/data from the official downloads:
//
//	go run ./seed/convert -raw ../shared/data/raw -curated ../shared/data/curated -out seed/data
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/icsgraph/icsgraph/internal/dataset/convert"
)

func main() {
	raw := flag.String("raw", "../shared/data/raw", "directory of the official downloads")
	curated := flag.String("curated", "../shared/data/curated", "directory of the curated tables")
	out := flag.String("out", "seed/data", "directory to write the seed files to")
	flag.Parse()
	tables, err := convert.Build(*raw, *curated)
	if err == nil {
		err = convert.Write(*out, tables)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "convert:", err)
		os.Exit(1)
	}
	for _, t := range tables {
		fmt.Fprintf(os.Stderr, "%-26s %6d rows\n", t.Name, len(t.Rows))
	}
}
