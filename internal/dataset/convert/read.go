package convert

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/icsgraph/icsgraph/internal/dataset/manifest"
	"github.com/xuri/excelize/v2"
)

// sheet is a table read from a raw file: rows of cells, with the file name and
// the 1-based line (or spreadsheet row) number of the first row kept for error
// messages.
type sheet struct {
	file      string
	firstLine int
	header    map[string]int
	rows      [][]string
	thousands string // the thousands separator of numbers ("" for none)
}

// col returns the cell of row r in the named column ("" when the row is short).
func (s *sheet) col(r []string, name string) string {
	i, ok := s.header[name]
	if !ok || i >= len(r) {
		return ""
	}
	return strings.TrimSpace(r[i])
}

// where names a row for error messages.
func (s *sheet) where(i int) string {
	return fmt.Sprintf("%s:%d", s.file, s.firstLine+i)
}

// readCSV reads a CSV file. With header, the first row names the columns (a
// UTF-8 byte-order mark, which several ONS downloads start with, is dropped).
// want lists columns that must be present.
func readCSV(path string, header bool, want ...string) (*sheet, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	if !utf8.Valid(b) {
		b = decodeCP1252(b) // the 2013 CCG list (0x92 in "Queen's Park")
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	s := &sheet{file: filepath.Base(path), firstLine: 1, rows: rows}
	if header {
		if err := s.takeHeader(want); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// readXLSX reads one sheet of a workbook; headerRow is the 1-based row that
// names the columns, and the data rows follow it.
func readXLSX(path, name string, headerRow int, want ...string) (*sheet, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	rows, err := f.GetRows(name)
	if err != nil {
		return nil, fmt.Errorf("read sheet %q of %s: %w", name, path, err)
	}
	if len(rows) < headerRow {
		return nil, fmt.Errorf("%s sheet %q: no header row %d", path, name, headerRow)
	}
	s := &sheet{file: filepath.Base(path) + "[" + name + "]", firstLine: headerRow, rows: rows[headerRow-1:]}
	if err := s.takeHeader(want); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *sheet) takeHeader(want []string) error {
	if len(s.rows) == 0 {
		return fmt.Errorf("%s: empty", s.file)
	}
	s.header = map[string]int{}
	for i, h := range s.rows[0] {
		// Workbook headers wrap lines inside cells; compare them with single spaces.
		s.header[strings.Join(strings.Fields(h), " ")] = i
	}
	var missing []string
	for _, w := range want {
		if _, ok := s.header[w]; !ok {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s: missing columns %s", s.file, strings.Join(missing, ", "))
	}
	s.rows = s.rows[1:]
	s.firstLine++
	return nil
}

var errBadData = errors.New("bad data")

// isoDate turns an ODS date (yyyymmdd) into yyyy-mm-dd; "" stays "".
func isoDate(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	if len(s) != 8 || strings.Trim(s, "0123456789") != "" {
		return "", fmt.Errorf("%w: date %q is not yyyymmdd", errBadData, s)
	}
	return s[:4] + "-" + s[4:6] + "-" + s[6:], nil
}

// decodeCP1252 turns Windows-1252 bytes into UTF-8.
func decodeCP1252(b []byte) []byte {
	var sb strings.Builder
	for _, ch := range b {
		switch {
		case ch < 0x80:
			sb.WriteByte(ch)
		case cp1252[ch] != 0:
			sb.WriteRune(cp1252[ch])
		default:
			sb.WriteRune(rune(ch))
		}
	}
	return []byte(sb.String())
}

// cp1252 maps the Windows-1252 bytes 0x80–0x9F that differ from Latin-1.
var cp1252 = map[byte]rune{0x80: '€', 0x82: '‚', 0x84: '„', 0x85: '…', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x96: '–', 0x97: '—'}

// readZipCSV reads the single CSV member of a zip archive (header row first).
// keep, when given, is called first with the header (header, nil) and then
// with each row (nil, row), and says which rows to keep.
func readZipCSV(path string, keep func(header, row []string) bool, want ...string) (*sheet, error) {
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer z.Close()
	if len(z.File) != 1 {
		return nil, fmt.Errorf("%s: %w: %d members, want 1", path, errBadData, len(z.File))
	}
	f, err := z.File[0].Open()
	if err != nil {
		return nil, fmt.Errorf("open %s in %s: %w", z.File[0].Name, path, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("read %s in %s: %w", z.File[0].Name, path, err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", path, err)
		}
		switch {
		case len(rows) == 0:
			if keep != nil {
				keep(rec, nil)
			}
			rows = append(rows, rec)
		case keep == nil || keep(nil, rec):
			rows = append(rows, rec)
		}
	}
	s := &sheet{file: filepath.Base(path) + "[" + z.File[0].Name + "]", firstLine: 1, rows: rows}
	if err := s.takeHeader(want); err != nil {
		return nil, err
	}
	return s, nil
}

// open reads a raw file as its manifest row describes it (format, sheet,
// header row) and names its columns by the row's fields, so that
// s.col(r, "lad_code") reads the column the manifest maps lad_code to. Every
// field asked for must be mapped in the manifest and present in the file:
// otherwise the error names the file, the field and the column.
func (b *builder) open(f manifest.File, fields ...string) (*sheet, error) {
	return b.openTable(f, f.Sheet, f.HeaderRow, f.Columns, nil, fields...)
}

// openTable is open for one sheet or further table of the file; keep, for a
// zipped CSV, filters its rows as they are read.
func (b *builder) openTable(f manifest.File, sheetName string, headerRow int, cols map[string]string, keep func(header, row []string) bool, fields ...string) (*sheet, error) {
	path := filepath.Join(b.raw, filepath.FromSlash(f.File))
	var want []string
	for _, fd := range fields {
		c := cols[fd]
		if c == "" {
			return nil, fmt.Errorf("%s: %w: the manifest (%s) maps no column to field %q", f.File, errBadData, f.ID, fd)
		}
		want = append(want, c)
	}
	var s *sheet
	var err error
	switch f.Format {
	case manifest.FormatCSV:
		s, err = readCSV(path, true, want...)
	case manifest.FormatCSVNoHeader:
		s, err = readCSV(path, false)
	case manifest.FormatXLSX:
		s, err = readXLSX(path, sheetName, headerRow, want...)
	case manifest.FormatZipCSV:
		s, err = readZipCSV(path, keep, want...)
	default:
		return nil, fmt.Errorf("%s: %w: format %s cannot be read as a table", f.File, errBadData, f.Format)
	}
	if err != nil {
		return nil, err
	}
	if s.header == nil {
		s.header = map[string]int{}
	}
	for fd, c := range cols {
		if f.Format == manifest.FormatCSVNoHeader {
			n, _ := strconv.Atoi(c) // checked by the manifest
			s.header[fd] = n - 1
			continue
		}
		if i, ok := s.header[strings.Join(strings.Fields(c), " ")]; ok {
			s.header[fd] = i
		}
	}
	s.thousands = f.ThousandsSeparator
	return s, nil
}

// number reads a whole number from a cell, without the thousands separator
// the manifest declares for the file ("1,296").
func (s *sheet) number(r []string, field string) (int64, error) {
	v := s.col(r, field)
	if s.thousands != "" {
		v = strings.ReplaceAll(v, s.thousands, "")
	}
	return strconv.ParseInt(v, 10, 64)
}

// filesWith returns the cited files of a role, oldest first: one per era.
func (b *builder) filesWith(role string) []manifest.File { return b.m.WithRole(role) }

// file returns the one cited file of a role (an error when there are none
// or several).
func (b *builder) file(role string) (manifest.File, error) {
	fs := b.filesWith(role)
	if len(fs) != 1 {
		return manifest.File{}, fmt.Errorf("%s: %w: %d files with role %s, want 1", b.m.Path, errBadData, len(fs), role)
	}
	return fs[0], nil
}

// newest and oldest return the id of the newest or oldest file of a role
// ("" when there is none).
func (b *builder) newest(role string) string {
	fs := b.filesWith(role)
	if len(fs) == 0 {
		return ""
	}
	return fs[len(fs)-1].ID
}

func (b *builder) oldest(role string) string {
	fs := b.filesWith(role)
	if len(fs) == 0 {
		return ""
	}
	return fs[0].ID
}

// chdID returns the source id citing the Code History extract of an ONS
// entity (its own, or the row it is cited as).
func (b *builder) chdID(entity string) string {
	for _, f := range b.filesWith("code-history") {
		if f.Col("entity") == entity {
			if f.CitedAs != "" {
				return f.CitedAs
			}
			return f.ID
		}
	}
	return ""
}

// rawFile returns the path in RAW_DIR of a manifest row.
func (b *builder) rawFile(f manifest.File) string {
	return filepath.Join(b.raw, filepath.FromSlash(f.File))
}
