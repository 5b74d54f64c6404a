// Package manifest reads and checks the sources manifest
// (seed/sources/manifest.json): every official raw file the converter reads
// from RAW_DIR, with its checksum, publisher, title, dates, roles and the
// columns each role's fields come from, and the curated tables. A release's
// new files are manifest rows, not Go: the converter finds its files by role
// and date here, and seed/data/sources.csv is generated from it.
package manifest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/icsgraph/icsgraph/internal/model"
)

// ErrInvalid marks a manifest that breaks its own rules (a missing field, a
// bad date, a duplicate id); ErrMismatch a raw file that does not match its
// row (missing, another checksum).
var (
	ErrInvalid  = errors.New("invalid manifest")
	ErrMismatch = errors.New("raw file does not match the manifest")
)

// Formats a raw file can have.
const (
	FormatCSV         = "csv"          // a header row names the columns
	FormatCSVNoHeader = "csv-noheader" // ODS extracts: columns are 1-based positions
	FormatXLSX        = "xlsx"         // one sheet (Sheet) with its header on HeaderRow
	FormatZipCSV      = "zip-csv"      // a zip archive holding one CSV with a header row
	FormatJSON        = "json"         // ONS Code History extracts
	FormatGeoJSON     = "geojson"      // boundaries; columns name feature properties
)

// Roles says, for each role a raw file can play, the fields its column
// mapping must give (a file with several roles gives the union). A field
// maps to a column name, or to a 1-based position for csv-noheader files.
var Roles = map[string][]string{
	"subicb-icb-region-lookup":   {"sub_ons", "sub_ods", "sub_name", "icb_ons", "icb_ods", "icb_name", "region_ods"},
	"ccg-list":                   {"ccg_ons", "ccg_ods", "ccg_name"},
	"stp-list":                   {"stp_ons", "stp_ods"},
	"ccg-stp-lookup":             {"ccg_ods", "stp_ons"},
	"ccg-alliance-lookup":        {"ccg_ods", "alliance_ons", "alliance_name"},
	"ccg-region-lookup":          {"ccg_ons", "region_ons"},
	"region-codes":               {"region_ons", "region_ods"},
	"area-team-list":             {"area_team_ons", "area_team_name"},
	"local-office-region-lookup": {"local_office_ons", "region_ons"},
	"code-history":               {"entity"},
	"ccg-extract":                {"code", "name", "open_date", "close_date"},
	"subicb-extract":             {"code", "name", "open_date", "close_date"},
	"council-list":               {"lad_code", "lad_name"},
	"ward-council-county-lookup": {"ward_code", "lad_code", "county_code", "county_name", "region_code", "region_name"},
	"council-tier-lookup":        {"lad_code", "upper_tier_code"},
	"council-network-lookup":     {"lad_code", "network_code"},
	"small-area-lookup":          {"lsoa_code", "lad_code"},
	"small-area-population":      {"lsoa_code", "population"},
	"population":                 {"vintage", "sub_ons", "denominator", "population"},
	"registered-population":      {"org_type", "org_code", "sex", "age", "population"},
	"trust-extract":              {"code", "name", "region_ods", "parent_ods", "postcode", "open_date", "close_date", "gor_code"},
	"succession-file":            {"predecessor", "successor", "date"},
	"practice-mapping":           {"practice_code", "practice_name", "pcn_code", "pcn_name", "sub_ods", "icb_ods"},
	"pcn-list":                   {"pcn_code", "pcn_name", "sub_ods", "open_date", "close_date"},
	"practice-pcn-membership":    {"practice_code", "practice_name", "member_pcn_code", "member_from", "member_to"},
	"icb-partners":               {"icb_ods", "council_name", "council_ods", "trust_name", "trust_ods"},
	"boundaries":                 {"icb_ons", "icb_name"},
}

// File is one raw file's row.
type File struct {
	ID        string `json:"id"`
	File      string `json:"file"` // relative to RAW_DIR, forward slashes
	SHA256    string `json:"sha256"`
	Publisher string `json:"publisher"`
	Title     string `json:"title"`
	// Released is the publication date the file states ("" where it does
	// not say; the title then says what is known).
	Released string `json:"released"`
	// DescribesFrom is the date from which the file describes the
	// landscape; DescribesFromBasis says how that date was chosen.
	DescribesFrom      string            `json:"describes_from"`
	DescribesFromBasis string            `json:"describes_from_basis"`
	Roles              []string          `json:"roles"`
	Format             string            `json:"format"`
	Sheet              string            `json:"sheet,omitempty"`
	HeaderRow          int               `json:"header_row,omitempty"`
	ThousandsSeparator string            `json:"thousands_separator,omitempty"`
	Columns            map[string]string `json:"columns"`
	// Counts are how many organisations of each kind the file lists (on
	// DescribesFrom): the converter checks the file against them, and the
	// invariants check the seed against them.
	Counts map[string]int `json:"counts,omitempty"`
	// Tables are further sheets of a workbook, each with its own role.
	Tables  []Table `json:"tables,omitempty"`
	Licence string  `json:"licence"`
	URL     string  `json:"url"`
	// Cite: the file gets a row in seed/data/sources.csv (the files the
	// converter reads; the others are kept for reference and checked too).
	Cite bool `json:"cite"`
	// Read: the converter reads the file (a file kept for reference only is
	// still listed, and its checksum checked).
	Read bool `json:"read"`
	// CitedAs names the sources.csv row that cites a file read but not
	// cited itself (a file read together with another).
	CitedAs string `json:"cited_as,omitempty"`
}

// Table is a further sheet of a workbook.
type Table struct {
	Sheet     string            `json:"sheet"`
	HeaderRow int               `json:"header_row"`
	Role      string            `json:"role"`
	Columns   map[string]string `json:"columns"`
}

// Measure is one population measure: the node property holding it, its
// family (RESIDENTS, REGISTERED_PATIENTS, SMALL_AREAS) and vintage, the date
// it describes, the file it comes from (Source, a files id, read by Role),
// whether it is derived, and what it counts.
type Measure struct {
	Property    string `json:"property"`
	Family      string `json:"family"`
	Vintage     string `json:"vintage"`
	Date        string `json:"date"`
	Source      string `json:"source"`
	Role        string `json:"role"`
	Derived     bool   `json:"derived"`
	Description string `json:"description"`
}

// MeasureFamilies are the families a measure can belong to (declared in
// internal/model).
var MeasureFamilies = model.MeasureFamilies

// MeasureOf returns the measure of family read from the file with that id.
func (m *Manifest) MeasureOf(family, source string) (Measure, bool) {
	for _, x := range m.Measures {
		if x.Family == family && x.Source == source {
			return x, true
		}
	}
	return Measure{}, false
}

// Curated is a table the project curates (in the repository, not RAW_DIR).
type Curated struct {
	ID        string `json:"id"`
	File      string `json:"file"`
	Publisher string `json:"publisher"`
	Title     string `json:"title"`
	Released  string `json:"released"`
	Licence   string `json:"licence"`
	URL       string `json:"url"`
	Cite      bool   `json:"cite"`
}

// Manifest is the whole document.
type Manifest struct {
	About     string `json:"about"`
	DataStart string `json:"data_start"`
	// ReleaseSince is the first date on which this release's data differs
	// from the previous release's: the change report covers it and after.
	ReleaseSince string `json:"release_since"`
	// Measures are the population measures the data holds: next year's
	// figures are a row here (with its file), not a schema change.
	Measures []Measure `json:"measures"`
	Files    []File    `json:"files"`
	Curated  []Curated `json:"curated"`
	// Path is where it was read from (for messages).
	Path string `json:"-"`
}

// Load reads and validates the manifest at path.
func Load(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	m, err := Parse(b, filepath.Base(path))
	if err != nil {
		return nil, err
	}
	m.Path = path
	return m, nil
}

// Parse decodes and validates a manifest; name is used in messages.
func Parse(b []byte, name string) (*Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	m := &Manifest{Path: name}
	if err := dec.Decode(m); err != nil {
		return nil, fmt.Errorf("%s: %w: %w", name, ErrInvalid, err)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// IsDate reports whether s is an ISO calendar date (yyyy-mm-dd).
func IsDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil && len(s) == 10
}

// Validate checks every row: required fields, ISO dates not before the
// data start, known roles and formats, each role's fields mapped, unique ids
// and file names, hex checksums.
func (m *Manifest) Validate() error {
	bad := func(i int, id, format string, a ...any) error {
		return fmt.Errorf("%s: files[%d] (%s): %w: %s", m.Path, i, id, ErrInvalid, fmt.Sprintf(format, a...))
	}
	if !IsDate(m.DataStart) {
		return fmt.Errorf("%s: %w: data_start %q is not yyyy-mm-dd", m.Path, ErrInvalid, m.DataStart)
	}
	if !IsDate(m.ReleaseSince) {
		return fmt.Errorf("%s: %w: release_since %q is not yyyy-mm-dd", m.Path, ErrInvalid, m.ReleaseSince)
	}
	ids, names := map[string]bool{}, map[string]bool{}
	for i, f := range m.Files {
		switch {
		case f.ID == "" || f.File == "" || f.Publisher == "" || f.Title == "" || f.Licence == "" || f.URL == "" || f.DescribesFromBasis == "":
			return bad(i, f.ID, "id, file, publisher, title, licence, url and describes_from_basis are required")
		case ids[f.ID]:
			return bad(i, f.ID, "duplicate id")
		case names[f.File]:
			return bad(i, f.ID, "file %s listed twice", f.File)
		case strings.Contains(f.File, "\\") || strings.HasPrefix(f.File, "/") || slices.Contains(strings.Split(f.File, "/"), ".."):
			return bad(i, f.ID, "file %q must be a forward-slash path inside RAW_DIR", f.File)
		case len(f.SHA256) != 64 || strings.Trim(f.SHA256, "0123456789abcdef") != "":
			return bad(i, f.ID, "sha256 %q is not 64 lower-case hex digits", f.SHA256)
		case f.Released != "" && !IsDate(f.Released):
			return bad(i, f.ID, "released %q is not yyyy-mm-dd", f.Released)
		case !IsDate(f.DescribesFrom):
			return bad(i, f.ID, "describes_from %q is not yyyy-mm-dd", f.DescribesFrom)
		case f.DescribesFrom < m.DataStart && !slices.Contains(f.Roles, "small-area-population"):
			return bad(i, f.ID, "describes_from %s is before the data start %s", f.DescribesFrom, m.DataStart)
		case len(f.Roles) == 0:
			return bad(i, f.ID, "no roles")
		case f.Released != "" && f.DescribesFrom > f.Released && !slices.Contains(f.Roles, "succession-file"):
			return bad(i, f.ID, "describes_from %s is after its release %s", f.DescribesFrom, f.Released)
		}
		ids[f.ID], names[f.File] = true, true
		switch f.Format {
		case FormatCSV, FormatZipCSV, FormatJSON, FormatGeoJSON:
		case FormatCSVNoHeader:
			for field, c := range f.Columns {
				if n, err := strconv.Atoi(c); err != nil || n < 1 {
					return bad(i, f.ID, "column of %s is %q: a csv-noheader column is a 1-based position", field, c)
				}
			}
		case FormatXLSX:
			if f.HeaderRow < 1 {
				return bad(i, f.ID, "an xlsx file needs header_row")
			}
		default:
			return bad(i, f.ID, "unknown format %q", f.Format)
		}
		check := func(role string, cols map[string]string) error {
			want, ok := Roles[role]
			if !ok {
				return bad(i, f.ID, "unknown role %q", role)
			}
			for _, w := range want {
				if cols[w] == "" {
					return bad(i, f.ID, "role %s needs column mapping for %q", role, w)
				}
			}
			return nil
		}
		for _, r := range f.Roles {
			if err := check(r, f.Columns); err != nil {
				return err
			}
		}
		for _, t := range f.Tables {
			if t.Sheet == "" || t.HeaderRow < 1 {
				return bad(i, f.ID, "a further table needs sheet and header_row")
			}
			if err := check(t.Role, t.Columns); err != nil {
				return err
			}
		}
	}
	for i, f := range m.Files {
		if f.Cite && !f.Read {
			return bad(i, f.ID, "a cited file must be read")
		}
		if f.CitedAs != "" {
			if g, ok := m.ByID(f.CitedAs); !ok || !g.Cite {
				return bad(i, f.ID, "cited_as %q is not a cited file", f.CitedAs)
			}
		}
	}
	props := map[string]bool{}
	for i, x := range m.Measures {
		f, ok := m.ByID(x.Source)
		switch {
		case x.Property == "" || props[x.Property] || x.Description == "" || x.Vintage == "":
			return fmt.Errorf("%s: measures[%d]: %w: want a unique property, a vintage and a description", m.Path, i, ErrInvalid)
		case !model.MeasureProperty.MatchString(x.Property) || model.ReservedProperty(x.Property):
			return fmt.Errorf("%s: measures[%d] (%s): %w: property is not a measure property name (%s, and no other property of the model)", m.Path, i, x.Property, ErrInvalid, model.MeasureProperty)
		case !slices.Contains(MeasureFamilies, x.Family):
			return fmt.Errorf("%s: measures[%d] (%s): %w: family %q is not one of %v", m.Path, i, x.Property, ErrInvalid, x.Family, MeasureFamilies)
		case !IsDate(x.Date):
			return fmt.Errorf("%s: measures[%d] (%s): %w: date %q is not yyyy-mm-dd", m.Path, i, x.Property, ErrInvalid, x.Date)
		case !ok || !slices.Contains(f.Roles, x.Role):
			return fmt.Errorf("%s: measures[%d] (%s): %w: source %q is not a file with role %s", m.Path, i, x.Property, ErrInvalid, x.Source, x.Role)
		}
		props[x.Property] = true
	}
	for i, c := range m.Curated {
		if c.ID == "" || c.File == "" || c.Title == "" || c.Publisher == "" {
			return fmt.Errorf("%s: curated[%d] (%s): %w: id, file, title and publisher are required", m.Path, i, c.ID, ErrInvalid)
		}
		if ids[c.ID] {
			return fmt.Errorf("%s: curated[%d] (%s): %w: duplicate id", m.Path, i, c.ID, ErrInvalid)
		}
		ids[c.ID] = true
	}
	return nil
}

// ByID returns the raw file with that id.
func (m *Manifest) ByID(id string) (File, bool) {
	for _, f := range m.Files {
		if f.ID == id {
			return f, true
		}
	}
	return File{}, false
}

// ByFile returns the raw file with that name (relative to RAW_DIR).
func (m *Manifest) ByFile(name string) (File, bool) {
	for _, f := range m.Files {
		if f.File == name {
			return f, true
		}
	}
	return File{}, false
}

// WithRole returns the files read playing role, oldest describes_from
// first (then by id): the eras of that role.
func (m *Manifest) WithRole(role string) []File {
	var out []File
	for _, f := range m.Files {
		if f.Read && slices.Contains(f.Roles, role) {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b File) int {
		if c := strings.Compare(a.DescribesFrom, b.DescribesFrom); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// Col returns the column a field of the file maps to ("" when none).
func (f File) Col(field string) string { return f.Columns[field] }

// Sum returns the sha256 of the file at path, hex-encoded.
func Sum(path string) (string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer fh.Close()
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Verify checks that every raw file of the manifest is in rawDir with its
// checksum, and returns every mismatch (file and reason), not only the first.
func (m *Manifest) Verify(rawDir string) error {
	var errs []error
	for _, f := range m.Files {
		sum, err := Sum(filepath.Join(rawDir, filepath.FromSlash(f.File)))
		switch {
		case errors.Is(err, os.ErrNotExist):
			errs = append(errs, fmt.Errorf("%s (%s): %w: missing from the raw folder", f.File, f.ID, ErrMismatch))
		case err != nil:
			errs = append(errs, fmt.Errorf("%s (%s): %w", f.File, f.ID, err))
		case sum != f.SHA256:
			errs = append(errs, fmt.Errorf("%s (%s): %w: sha256 %s, the manifest says %s", f.File, f.ID, ErrMismatch, sum, f.SHA256))
		}
	}
	return errors.Join(errs...)
}

// SourceRows returns seed/data/sources.csv's rows for the cited raw files
// and curated tables: id, title, publisher, released, file, url, licence.
func (m *Manifest) SourceRows() [][]string {
	var rows [][]string
	for _, f := range m.Files {
		if f.Cite {
			rows = append(rows, []string{f.ID, f.Title, f.Publisher, f.Released, f.File, f.URL, f.Licence})
		}
	}
	for _, c := range m.Curated {
		if c.Cite {
			rows = append(rows, []string{c.ID, c.Title, c.Publisher, c.Released, c.File, c.URL, c.Licence})
		}
	}
	return rows
}
