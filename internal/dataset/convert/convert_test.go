package convert

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/dataset/manifest"
)

func TestTrustType(t *testing.T) {
	for _, c := range []struct{ name, want, basis string }{
		{"NORTH WEST AMBULANCE SERVICE NHS TRUST", "AMBULANCE", "name keyword: AMBULANCE"},
		{"AVON AND WILTSHIRE MENTAL HEALTH PARTNERSHIP NHS TRUST", "MENTAL_HEALTH", "name keyword: MENTAL HEALTH"},
		{"LEEDS AND YORK PARTNERSHIP NHS FOUNDATION TRUST", "MENTAL_HEALTH", "name keyword: PARTNERSHIP"},
		{"LEEDS COMMUNITY HEALTHCARE NHS TRUST", "COMMUNITY", "name keyword: COMMUNITY"},
		{"MOORFIELDS EYE HOSPITAL NHS FOUNDATION TRUST", "SPECIALIST", "name keyword: EYE HOSPITAL"},
		{"GREAT ORMOND STREET HOSPITAL FOR CHILDREN NHS FOUNDATION TRUST", "SPECIALIST", "name keyword: CHILDREN"},
		{"SHEFFIELD CHILDREN'S NHS FOUNDATION TRUST", "SPECIALIST", "name keyword: CHILDREN"},
		{"LEEDS TEACHING HOSPITALS NHS TRUST", "ACUTE", "name keyword: HOSPITAL"},
		{"OXLEAS NHS FOUNDATION TRUST", "UNKNOWN", "unknown: no type keyword in the name and not in the curated list"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, basis := trustType(c.name)
			if got != c.want || basis != c.basis {
				t.Errorf("trustType = %s (%s), want %s (%s)", got, basis, c.want, c.basis)
			}
		})
	}
}

func TestCouncilKey(t *testing.T) {
	for _, c := range [][2]string{
		{"Durham County Council", "County Durham"},
		{"Newcastle-upon-Tyne City Council", "Newcastle upon Tyne"},
		{"Corporation of the City of London", "City of London"},
		{"Herefordshire Council", "Herefordshire, County of"},
		{"St Helens Council", "St. Helens"},
		{"Telford & Wrekin Council", "Telford and Wrekin"},
		{"London Borough of Richmond Upon Thames Council", "Richmond upon Thames"},
		{"City of Bradford Metropolitan District Council", "Bradford"},
	} {
		t.Run(c[0], func(t *testing.T) {
			if a, b := councilKey(c[0]), councilKey(c[1]); a != b {
				t.Errorf("councilKey(%q) = %q, councilKey(%q) = %q", c[0], a, c[1], b)
			}
		})
	}
}

func TestIsoDate(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{{"20220701", "2022-07-01", true}, {"", "", true}, {"2022-07-01", "", false}, {"2022070", "", false}} {
		got, err := isoDate(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("isoDate(%q) = %q, %v", c.in, got, err)
		}
	}
}

// TestBuildStopsOnMismatch: a raw folder without the manifest's files, or
// with a file whose checksum differs, stops Build naming the file (and no
// table is returned, so nothing is written).
func TestBuildStopsOnMismatch(t *testing.T) {
	m, err := manifest.Load(manifestPath)
	if err != nil {
		t.Fatal(err)
	}
	f := m.Files[0]
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f.File)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, f.File), []byte("not the file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tables, err := Build(m, dir, "../../../seed/curated")
	if tables != nil || !errors.Is(err, manifest.ErrMismatch) {
		t.Fatalf("Build = %d tables, %v; want no tables and ErrMismatch", len(tables), err)
	}
	for _, want := range []string{f.File + " (" + f.ID + "): raw file does not match the manifest: sha256", m.Files[1].File + " (" + m.Files[1].ID + "): raw file does not match the manifest: missing"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q:\n%v", want, err)
		}
	}
}

// TestCuratedTables: a bad row of derivations.csv or corrections.csv stops
// the converter naming the file and line.
func TestCuratedTables(t *testing.T) {
	m, err := manifest.Load(manifestPath)
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("../../../seed/curated", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	der, cor := read("derivations.csv"), read("corrections.csv")
	dl, cl := fmt.Sprintf("derivations.csv:%d: ", strings.Count(der, "\n")+1), fmt.Sprintf("corrections.csv:%d: ", strings.Count(cor, "\n")+1)
	for _, c := range []struct{ name, derivations, corrections, want string }{
		{"as committed", der, cor, ""},
		{"unknown rule", der + "guess,D4U1Y,X,,2026-04-01,a guess,,,\n", cor, dl + "bad data: want a known rule"},
		{"bad tolerance", der + "split-by-county,AAA,BBB,,2026-04-01,m,ons-succ-2026-05,2,\n", cor, dl + "bad data: tolerance \"2\""},
		{"unknown checked file", der + "split-by-county,AAA,BBB,,2026-04-01,m,no-such-file,0.1,\n", cor, "checked_against \"no-such-file\""},
		{"split without shares", der + "split-by-county,AAA,BBB,,2026-04-01,m,,,\n", cor, "the split of AAA has no split-shares row"},
		{"correction without reason", der, cor + "council-alias,x,E06000001,ods-icb-partners-2023-08,\n", cl + "bad data: want a known kind"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range map[string]string{"derivations.csv": c.derivations, "corrections.csv": c.corrections} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			b := &builder{m: m, curated: dir}
			err := b.readCurated()
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
		})
	}
}

// TestBuildChecksCounts: a manifest count that differs from the file's stops
// the converter naming the file (needs the raw files).
func TestBuildChecksCounts(t *testing.T) {
	shared := rawDir(t)
	m, err := manifest.Load(manifestPath)
	if err != nil {
		t.Fatal(err)
	}
	subs := m.WithRole("subicb-icb-region-lookup")
	f := subs[len(subs)-1]
	for i := range m.Files {
		if m.Files[i].ID == f.ID {
			m.Files[i].Counts = map[string]int{"ICS": f.Counts["ICS"] + 1}
		}
	}
	_, err = Build(m, shared, "../../../seed/curated")
	want := fmt.Sprintf("%s: bad data: %d ICS in the file, the manifest says %d", f.File, f.Counts["ICS"], f.Counts["ICS"]+1)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}

// TestDerivationRowsMissingOrUnused: with the raw files, a use of an
// inference rule whose derivations.csv row is missing (or whose row does not
// list the code) stops the converter naming the rule and codes, and a row or
// listed code no use needs is an error too. The cases are made from the
// committed table: its district-to-unitary and inherit-senate rows.
func TestDerivationRowsMissingOrUnused(t *testing.T) {
	raw := rawDir(t)
	m, err := manifest.Load(manifestPath)
	if err != nil {
		t.Fatal(err)
	}
	const curated = "../../../seed/curated"
	body, err := os.ReadFile(filepath.Join(curated, "derivations.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(body), "\n"), "\n")
	find := func(rule string) (int, []string) {
		for i, l := range lines {
			if f := strings.SplitN(l, ",", 6); f[0] == rule {
				return i, f
			}
		}
		t.Fatalf("derivations.csv has no %s row", rule)
		return 0, nil
	}
	du, duf := find("district-to-unitary")
	districts := strings.Split(duf[1], ";")
	dropped := districts[len(districts)-1]
	is, isf := find("inherit-senate")
	with := func(i int, line string) string {
		ls := slices.Clone(lines)
		if line == "" {
			ls = slices.Delete(ls, i, i+1)
		} else {
			ls[i] = line
		}
		return strings.Join(ls, "\n") + "\n"
	}
	for _, c := range []struct{ name, table, want string }{
		{"a district missing from its unitary's row", with(du, strings.Replace(lines[du], duf[1], strings.Join(districts[:len(districts)-1], ";"), 1)),
			fmt.Sprintf("no district-to-unitary row for %s → %s on %s", dropped, duf[2], duf[4])},
		{"an inherit-senate row missing", with(is, ""), "no inherit-senate row for"},
		{"a listed code no use needs", with(du, strings.Replace(lines[du], duf[1], duf[1]+";E07999999", 1)), "lists E07999999, which no use of the rule needed"},
		{"a row no use needs", strings.Join(lines, "\n") + "\n" + strings.Replace(lines[is], isf[2], "ZZZZZ", 1) + "\n",
			fmt.Sprintf("derivations.csv:%d: bad data: inherit-senate %s → ZZZZZ on %s was not used", len(lines)+1, isf[1], isf[4])},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(curated)); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "derivations.csv"), []byte(c.table), 0o644); err != nil {
				t.Fatal(err)
			}
			tables, err := Build(m, raw, dir)
			if tables != nil || err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Build = %d tables, %v; want no tables and an error saying %q", len(tables), err, c.want)
			}
		})
	}
}
