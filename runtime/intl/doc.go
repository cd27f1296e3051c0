// Package intl formats numbers and dates and compares strings the way
// ECMA-402 (the JavaScript Intl API) does for the en-US locale.
//
// It backs Intl.NumberFormat, Intl.DateTimeFormat, Intl.Collator and the
// toLocaleString family in the goja runtimes. Every well-formed locale is
// accepted and formatted as en-US (resolvedOptions reports "en-US"), so a
// program that asks for "de-DE" still runs and prints "1,234.5"; a tag that
// is not well-formed BCP 47 is a RangeError, as in V8. Option reading,
// defaults, validation and error messages follow V8 (Node.js and workerd).
//
// The package does not know goja: a constructor reads its options through
// an Options function and reports bad input as an *Error carrying the name
// of the JavaScript error to throw.
package intl

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Locale is the one locale this package formats for.
const Locale = "en-US"

// Error is a bad argument: Name is the JavaScript error constructor to throw
// ("RangeError" or "TypeError").
type Error struct {
	Name    string
	Message string
}

func (e *Error) Error() string { return e.Name + ": " + e.Message }

func rangeError(format string, args ...any) *Error {
	return &Error{Name: "RangeError", Message: fmt.Sprintf(format, args...)}
}

func typeError(format string, args ...any) *Error {
	return &Error{Name: "TypeError", Message: fmt.Sprintf(format, args...)}
}

// Options returns the value of one option of an options bag: nil when it
// is absent or undefined, otherwise a string, float64 or bool (other
// JavaScript values arrive as their string conversion). A nil Options has
// no options.
type Options func(name string) any

// MapOptions returns Options reading m.
func MapOptions(m map[string]any) Options {
	return func(name string) any { return m[name] }
}

// reader applies ECMA-402's GetOption and GetNumberOption to an Options,
// naming the API that reads them in error messages as V8 does.
type reader struct {
	get Options
	api string // "Intl.NumberFormat", "Number.prototype.toLocaleString", ...
}

func (r reader) value(name string) any {
	if r.get == nil {
		return nil
	}
	return r.get(name)
}

// str returns a string option, one of allowed when allowed is not empty.
func (r reader) str(name string, allowed []string, fallback string) (string, error) {
	v := r.value(name)
	if v == nil {
		return fallback, nil
	}
	s := toString(v)
	if len(allowed) > 0 && !slices.Contains(allowed, s) {
		return "", rangeError("Value %s out of range for %s options property %s", s, r.api, name)
	}
	return s, nil
}

// boolean returns a boolean option and whether it was given.
func (r reader) boolean(name string) (b, ok bool) {
	v := r.value(name)
	if v == nil {
		return false, false
	}
	return toBool(v), true
}

// number returns an integer option within [lo, hi], or fallback when absent.
func (r reader) number(name string, lo, hi, fallback int) (int, error) {
	v := r.value(name)
	if v == nil {
		return fallback, nil
	}
	f := toNumber(v)
	if math.IsNaN(f) || f < float64(lo) || f > float64(hi) {
		return 0, rangeError("%s value is out of range.", name)
	}
	return int(math.Floor(f)), nil
}

func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func toBool(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return v != ""
	case float64:
		return v != 0 && !math.IsNaN(v)
	}
	return v != nil
}

func toNumber(v any) float64 {
	switch v := v.(type) {
	case float64:
		return v
	case bool:
		if v {
			return 1
		}
		return 0
	case string:
		s := strings.TrimSpace(v)
		if s == "" {
			return 0
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return math.NaN()
		}
		return f
	}
	return math.NaN()
}
