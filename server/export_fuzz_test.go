package main

import (
	"errors"
	"net/http/httptest"
	"testing"
	"time"
)

// FuzzExportArguments: any query string is either accepted or refused
// with an argument error naming the argument; nothing panics.
func FuzzExportArguments(f *testing.F) {
	for _, seed := range []string{
		"code=QWE&depth=2&format=gexf&asOf=2026-05-01",
		"depth=-1&limit=99999999999999999999",
		"kinds=ICS,,trust&format=CSV",
		"asOf=2026-02-30",
		"basis=partnership&kind=pcn&maxHops=0&all=1",
		"%zz=1",
	} {
		f.Add("neighbourhood", seed)
	}
	f.Fuzz(func(t *testing.T, what, rawQuery string) {
		r := httptest.NewRequest("GET", "/export/x", nil)
		r.URL.RawQuery = rawQuery
		r.SetPathValue("what", what)
		x, err := parseExport(r)
		var arg argError
		if err != nil {
			if !errors.As(err, &arg) || arg.arg == "" {
				t.Fatalf("parseExport(%q, %q) = %v, want an argument error", what, rawQuery, err)
			}
			return
		}
		if x.opts.AsOf != "" {
			if _, err := time.Parse(time.DateOnly, x.opts.AsOf); err != nil {
				t.Fatalf("accepted asOf %q: %v", x.opts.AsOf, err)
			}
		}
		for _, check := range []func() error{
			func() error { _, err := x.integer("depth", 1, 1, 3); return err },
			func() error { _, err := x.kinds("kinds"); return err },
			func() error { _, err := x.basis(); return err },
			func() error { _, err := x.boolean("all"); return err },
		} {
			if err := check(); err != nil && !errors.As(err, &arg) {
				t.Fatalf("%q: %v is not an argument error", rawQuery, err)
			}
		}
	})
}
