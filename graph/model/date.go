package model

import (
	"fmt"
	"io"
	"strconv"
	"time"
)

// Date is a calendar date, YYYY-MM-DD.
type Date string

// ParseDate checks that s is a YYYY-MM-DD date.
func ParseDate(s string) (Date, error) {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", fmt.Errorf("%q is not a date: want YYYY-MM-DD", s)
	}
	return Date(s), nil
}

// UnmarshalGQL reads a Date argument.
func (d *Date) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("a Date must be a string YYYY-MM-DD, got %T", v)
	}
	parsed, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// MarshalGQL writes a Date.
func (d Date) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(d))) }
