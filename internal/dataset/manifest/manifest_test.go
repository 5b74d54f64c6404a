package manifest

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const repoManifest = "../../../seed/sources/manifest.json"

// rawDir is the raw folder to check the manifest against: RAW_DIR when set
// (then it must exist), else ../shared/data/raw beside the checkout when
// present; "" when there is none (a fresh clone).
func rawDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("RAW_DIR"); d != "" {
		return d
	}
	if d := os.Getenv("ICSGRAPH_SHARED"); d != "" {
		return filepath.Join(d, "raw")
	}
	for _, c := range []string{"../../../../shared/data/raw", "../../../../../shared/data/raw"} {
		if _, err := os.Stat(c); err == nil {
			return c
		}
	}
	return ""
}

func TestRepositoryManifest(t *testing.T) {
	m, err := Load(repoManifest)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("sources.csv lists every cited file", func(t *testing.T) {
		f, err := os.Open("../../../seed/data/sources.csv")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range m.SourceRows() {
			if !slices.ContainsFunc(rows, func(r []string) bool { return slices.Equal(r, want) }) {
				t.Errorf("seed/data/sources.csv has no row %q (regenerate with make data)", want)
			}
		}
	})
	raw := rawDir(t)
	if raw == "" {
		t.Log("no raw folder: checksums not checked (a fresh clone)")
		return
	}
	t.Run("checksums", func(t *testing.T) {
		if err := m.Verify(raw); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("every raw file is listed", func(t *testing.T) {
		err := filepath.WalkDir(raw, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), "PROVENANCE") || strings.HasPrefix(d.Name(), ".") {
				return err
			}
			rel, _ := filepath.Rel(raw, p)
			if _, ok := m.ByFile(filepath.ToSlash(rel)); !ok {
				t.Errorf("%s is in the raw folder but not in the manifest", rel)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestValidate breaks one field of a valid row at a time.
func TestValidate(t *testing.T) {
	good := func() map[string]any {
		return map[string]any{"data_start": "2013-04-01", "release_since": "2026-04-01", "files": []any{map[string]any{
			"id": "x", "file": "a.csv", "sha256": strings.Repeat("ab", 32), "publisher": "P", "title": "T", "released": "2024-04-01",
			"describes_from": "2024-04-01", "describes_from_basis": "dated April 2024", "roles": []any{"council-list"}, "format": "csv",
			"columns": map[string]any{"lad_code": "LAD24CD", "lad_name": "LAD24NM"}, "licence": "OGL", "url": "https://example.org/a.csv", "cite": true, "read": true,
		}}}
	}
	parse := func(doc map[string]any) error {
		b, _ := json.Marshal(doc)
		_, err := Parse(b, "test.json")
		return err
	}
	if err := parse(good()); err != nil {
		t.Fatalf("valid manifest rejected: %v", err)
	}
	for _, c := range []struct {
		name, field string
		value       any
		want        string
	}{
		{"bad date", "describes_from", "1 April 2024", "describes_from"},
		{"before the data start", "describes_from", "2010-04-01", "before the data start"},
		{"bad released", "released", "2024-13-01", "released"},
		{"short checksum", "sha256", "abc", "sha256"},
		{"unknown role", "roles", []any{"weather"}, "unknown role"},
		{"unmapped field", "columns", map[string]any{"lad_code": "LAD24CD"}, `"lad_name"`},
		{"unknown format", "format", "parquet", "unknown format"},
		{"escaping path", "file", "../etc/passwd", "inside RAW_DIR"},
		{"no licence", "licence", "", "required"},
		{"noheader position", "format", "csv-noheader", "1-based position"},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc := good()
			doc["files"].([]any)[0].(map[string]any)[c.field] = c.value
			err := parse(doc)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want ErrInvalid mentioning %q", err, c.want)
			}
		})
	}
	t.Run("duplicate id", func(t *testing.T) {
		doc := good()
		f := doc["files"].([]any)
		g := map[string]any{}
		for k, v := range f[0].(map[string]any) {
			g[k] = v
		}
		g["file"] = "b.csv"
		doc["files"] = append(f, g)
		if err := parse(doc); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "duplicate id") {
			t.Errorf("error %v, want duplicate id", err)
		}
	})
	t.Run("unknown field", func(t *testing.T) {
		doc := good()
		doc["files"].([]any)[0].(map[string]any)["sha1"] = "x"
		if err := parse(doc); !errors.Is(err, ErrInvalid) {
			t.Errorf("error %v, want ErrInvalid", err)
		}
	})
}

// TestVerify: a missing file and a changed file are both reported, by name.
func TestVerify(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.csv"), []byte("LAD24CD,LAD24NM\nE1,A\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := Sum(filepath.Join(dir, "a.csv"))
	if err != nil {
		t.Fatal(err)
	}
	row := func(id, file, sha string) File {
		return File{ID: id, File: file, SHA256: sha}
	}
	for _, c := range []struct {
		name  string
		files []File
		want  []string
	}{
		{"match", []File{row("a", "a.csv", sum)}, nil},
		{"missing", []File{row("a", "a.csv", sum), row("b", "b.csv", sum)}, []string{"b.csv (b)", "missing"}},
		{"changed", []File{row("a", "a.csv", strings.Repeat("0", 64))}, []string{"a.csv (a)", "sha256 " + sum}},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := (&Manifest{Files: c.files}).Verify(dir)
			if c.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrMismatch) {
				t.Fatalf("error %v, want ErrMismatch", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}
