package model

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/icsgraph/icsgraph/internal/apierr"
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

// UnmarshalGQL reads a Date argument. A malformed date is BAD_USER_INPUT.
func (d *Date) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return badDate(fmt.Sprintf("a Date must be a string YYYY-MM-DD, got %T", v))
	}
	parsed, err := ParseDate(s)
	if err != nil {
		return badDate(err.Error())
	}
	*d = parsed
	return nil
}

// badDate is the error of a malformed Date argument; gqlgen adds its path.
func badDate(msg string) error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": apierr.CodeBadUserInput}}
}

// MarshalGQL writes a Date.
func (d Date) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(d))) }
