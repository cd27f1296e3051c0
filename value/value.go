// Package value is the Go model of a JavaScript value as Alchemy state and
// providers see it: null, booleans, numbers, strings, ordered objects, arrays,
// secrets, dates, symbols, scope markers and buffers.
//
// The model mirrors what the TypeScript library's serializer can express, so
// that a value read from a state file and written back produces the same
// bytes. JavaScript `undefined` and functions have no representation: they are
// dropped when a JS value is converted (as JSON.stringify drops them).
//
// Resource identity symbols are ordinary string keys of the form
// "Symbol(alchemy::ResourceKind)"; the JS bridge turns them into real
// Symbol.for keys. Values handed to the engine are treated as immutable.
package value

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Value is one of Null, Bool, Number, String, Array, *Object, *Secret, Date,
// Symbol, ScopeRef or Buffer. A nil Value stands for JavaScript undefined
// where a slot may be absent (for example a resource called without props).
type Value interface {
	isValue()
}

// Null is JavaScript null.
type Null struct{}

// Bool is a JavaScript boolean.
type Bool bool

// Number is a JavaScript number.
type Number float64

// String is a JavaScript string.
type String string

// Array is a JavaScript array.
type Array []Value

// Secret is a value that is encrypted whenever it is written to state. The
// plaintext lives in memory only.
type Secret struct {
	// Value is the plaintext, usually a String.
	Value Value
	// Name is the optional name given with alchemy.secret(value, name).
	Name string
	// Sealed is opaque to everything but the state codec, which remembers the
	// encrypted form a secret was read from so that rewriting an unchanged
	// secret reproduces the same bytes.
	Sealed any
}

// Date is a JavaScript Date with millisecond precision.
type Date struct {
	// Millis is the number of milliseconds since the Unix epoch (UTC).
	Millis int64
}

// Symbol is a registered symbol, Symbol.for(description). Its string form is
// "Symbol(description)".
type Symbol string

// ScopeRef marks the place of a scope object (serialized as {"@scope": null}).
type ScopeRef struct{}

// Buffer is binary data (a Node Buffer or Uint8Array).
type Buffer []byte

func (Null) isValue()     {}
func (Bool) isValue()     {}
func (Number) isValue()   {}
func (String) isValue()   {}
func (Array) isValue()    {}
func (*Object) isValue()  {}
func (*Secret) isValue()  {}
func (Date) isValue()     {}
func (Symbol) isValue()   {}
func (ScopeRef) isValue() {}
func (Buffer) isValue()   {}

// String returns "Secret(name)"; it never reveals the plaintext.
func (s *Secret) String() string { return "Secret(" + s.Name + ")" }

// GoString keeps the plaintext out of %#v output as well.
func (s *Secret) GoString() string { return s.String() }

// NewSecret wraps a plaintext string.
func NewSecret(plaintext string) *Secret { return &Secret{Value: String(plaintext)} }

// Key returns the object key under which a registered symbol is stored.
func (s Symbol) Key() string { return "Symbol(" + string(s) + ")" }

// String returns the JavaScript string form, "Symbol(description)".
func (s Symbol) String() string { return s.Key() }

// DateOf converts a time to a Date, truncating to milliseconds.
func DateOf(t time.Time) Date { return Date{Millis: t.UnixMilli()} }

// Time returns the date as a UTC time.
func (d Date) Time() time.Time { return time.UnixMilli(d.Millis).UTC() }

// ISO returns the form of Date.prototype.toISOString:
// "2025-01-01T00:00:00.000Z", with a signed six-digit year outside 0..9999.
func (d Date) ISO() string {
	t := d.Time()
	year := t.Year()
	var y string
	switch {
	case year >= 0 && year <= 9999:
		y = fmt.Sprintf("%04d", year)
	case year < 0:
		y = fmt.Sprintf("-%06d", -year)
	default:
		y = fmt.Sprintf("+%06d", year)
	}
	return fmt.Sprintf("%s-%02d-%02dT%02d:%02d:%02d.%03dZ", y, t.Month(), t.Day(),
		t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/int(time.Millisecond))
}

// ParseDate parses the date strings the TypeScript library writes
// (toISOString output) and the other ISO 8601 forms Date accepts.
func ParseDate(s string) (Date, error) {
	if strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-") {
		return parseExtendedYear(s)
	}
	layouts := []string{
		"2006-01-02T15:04:05.000Z07:00",
		time.RFC3339Nano,
		"2006-01-02T15:04Z07:00",
		"2006-01-02",
		"2006-01",
		"2006",
	}
	for _, layout := range layouts {
		if t, err := time.Parse(layout, s); err == nil {
			return DateOf(t), nil
		}
	}
	return Date{}, fmt.Errorf("invalid date %q", s)
}

func parseExtendedYear(s string) (Date, error) {
	// ±YYYYYY-MM-DDTHH:mm:ss.sssZ
	if len(s) < 7 {
		return Date{}, fmt.Errorf("invalid date %q", s)
	}
	year, err := strconv.Atoi(s[1:7])
	if err != nil {
		return Date{}, fmt.Errorf("invalid date %q", s)
	}
	if s[0] == '-' {
		year = -year
	}
	rest, err := time.Parse("-01-02T15:04:05.000Z07:00", s[7:])
	if err != nil {
		return Date{}, fmt.Errorf("invalid date %q", s)
	}
	t := time.Date(year, rest.Month(), rest.Day(), rest.Hour(), rest.Minute(), rest.Second(), rest.Nanosecond(), rest.Location())
	return DateOf(t), nil
}

// FormatNumber formats a number as JavaScript's Number.prototype.toString does
// (and so as JSON.stringify does for finite numbers): 1e+21, 1e-7, 0.000001,
// 123456789012345680000. Non-finite numbers give "NaN", "Infinity" and
// "-Infinity"; JSON encodes them as null.
func FormatNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	var b strings.Builder
	if f < 0 {
		b.WriteByte('-')
		f = -f
	}
	// Shortest round-trip digits, as the ECMAScript algorithm requires.
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.dddde±XX
	mant, expPart, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	exp, _ := strconv.Atoi(expPart)
	k := len(digits)
	n := exp + 1
	switch {
	case k <= n && n <= 21:
		b.WriteString(digits)
		b.WriteString(strings.Repeat("0", n-k))
	case 0 < n && n <= 21:
		b.WriteString(digits[:n])
		b.WriteByte('.')
		b.WriteString(digits[n:])
	case -6 < n && n <= 0:
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -n))
		b.WriteString(digits)
	default:
		b.WriteByte(digits[0])
		if k > 1 {
			b.WriteByte('.')
			b.WriteString(digits[1:])
		}
		b.WriteByte('e')
		if n-1 >= 0 {
			b.WriteByte('+')
		}
		b.WriteString(strconv.Itoa(n - 1))
	}
	return b.String()
}

// TypeName names the JavaScript type of v for error messages.
func TypeName(v Value) string {
	switch v.(type) {
	case nil:
		return "undefined"
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Array:
		return "array"
	case *Object:
		return "object"
	case *Secret:
		return "secret"
	case Date:
		return "date"
	case Symbol:
		return "symbol"
	case ScopeRef:
		return "scope"
	case Buffer:
		return "buffer"
	}
	return fmt.Sprintf("%T", v)
}
