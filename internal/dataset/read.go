// Package dataset reads and validates the project's seed files (seed/data)
// into typed records, and turns them into the graph the store loads. Nothing
// is written anywhere unless every file, row and reference checks out.
package dataset

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrInvalid marks a problem with the seed files.
var ErrInvalid = errors.New("invalid seed data")

// file is one seed CSV, read with its exact expected header.
type file struct {
	path   string
	header []string
	rows   [][]string
}

// rowErr names the file and line of row i (the header is line 1).
func (f *file) rowErr(i int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %w: %s", f.path, i+2, ErrInvalid, fmt.Sprintf(format, args...))
}

func readFile(dir, name string, header ...string) (*file, error) {
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", path, ErrInvalid, err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.FieldsPerRecord = len(header)
	rows, err := r.ReadAll()
	if err != nil {
		// csv.ParseError carries the line.
		return nil, fmt.Errorf("%s: %w: %w", path, ErrInvalid, err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], header) {
		return nil, fmt.Errorf("%s:1: %w: header must be %s", path, ErrInvalid, strings.Join(header, ","))
	}
	return &file{path: path, header: header, rows: rows[1:]}, nil
}

// row gives named access to one row's cells with validating parsers. The
// first problem found is kept in err.
type row struct {
	f   *file
	i   int
	r   []string
	err error
}

func (f *file) each(fn func(r *row) error) error {
	for i, cells := range f.rows {
		r := &row{f: f, i: i, r: cells}
		if err := fn(r); err != nil {
			return err
		}
		if r.err != nil {
			return r.err
		}
	}
	return nil
}

func (r *row) fail(format string, args ...any) {
	if r.err == nil {
		r.err = r.f.rowErr(r.i, format, args...)
	}
}

func (r *row) str(col string) string {
	i := slices.Index(r.f.header, col)
	return strings.TrimSpace(r.r[i])
}

// key returns a required, non-empty column.
func (r *row) key(col string) string {
	v := r.str(col)
	if v == "" {
		r.fail("%s is empty", col)
	}
	return v
}

func (r *row) list(col string) []string {
	v := r.str(col)
	if v == "" {
		return []string{}
	}
	return strings.Split(v, ";")
}

func (r *row) int(col string) int64 {
	n, err := strconv.ParseInt(r.str(col), 10, 64)
	if err != nil || n < 0 {
		r.fail("%s: %q is not a non-negative integer", col, r.str(col))
	}
	return n
}

func (r *row) bool(col string) bool {
	b, err := strconv.ParseBool(r.str(col))
	if err != nil {
		r.fail("%s: %q is not true or false", col, r.str(col))
	}
	return b
}

// date returns an optional ISO date (yyyy-mm-dd), "" when empty.
func (r *row) date(col string) string {
	v := r.str(col)
	if v != "" {
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			r.fail("%s: %q is not a yyyy-mm-dd date", col, v)
		}
	}
	return v
}

func (r *row) oneOf(col string, values ...string) string {
	v := r.str(col)
	if !slices.Contains(values, v) {
		r.fail("%s: %q is not one of %s", col, v, strings.Join(values, ", "))
	}
	return v
}

// ref checks that the column holds a code of the given set (or is empty when
// optional).
func (r *row) ref(col string, set map[string]bool, what string, optional bool) string {
	v := r.str(col)
	if v == "" && optional {
		return ""
	}
	if !set[v] {
		r.fail("%s: unknown %s %q", col, what, v)
	}
	return v
}
