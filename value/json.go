package value

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Tags of the serialized form, as the TypeScript library writes them.
const (
	TagSecret = "@secret"
	TagDate   = "@date"
	TagSymbol = "@symbol"
	TagScope  = "@scope"
	TagBuffer = "@buffer"
	TagSchema = "@schema"
)

// EncodeOptions control Marshal.
type EncodeOptions struct {
	// Indent is the indentation per level ("  " for state files, "" for
	// compact output), as the third argument of JSON.stringify.
	Indent string
	// Secret returns what is written under "@secret" for a secret (its
	// encrypted form). Required when the value contains secrets, unless
	// Plain is set.
	Secret func(s *Secret) (Value, error)
	// Plain writes JSON.stringify's view of the value instead of the tagged
	// form: dates as ISO strings, buffers as {"type":"Buffer","data":[…]},
	// secrets as their plaintext, symbols dropped.
	Plain bool
}

// Marshal returns the JSON text of v in the TypeScript library's serialized
// form: JSON.stringify(serialize(v), null, indent), byte for byte.
func Marshal(v Value, opts EncodeOptions) ([]byte, error) {
	e := &encoder{opts: opts, buf: make([]byte, 0, 512)}
	if v == nil {
		return nil, errors.New("cannot serialize undefined")
	}
	if err := e.value(v, 0); err != nil {
		return nil, err
	}
	return e.buf, nil
}

type encoder struct {
	opts EncodeOptions
	buf  []byte
}

func (e *encoder) newline(depth int) {
	if e.opts.Indent == "" {
		return
	}
	e.buf = append(e.buf, '\n')
	for range depth {
		e.buf = append(e.buf, e.opts.Indent...)
	}
}

func (e *encoder) colon() {
	e.buf = append(e.buf, ':')
	if e.opts.Indent != "" {
		e.buf = append(e.buf, ' ')
	}
}

// tagged writes a one-key object {"tag": v}.
func (e *encoder) tagged(tag string, depth int, write func()) {
	e.buf = append(e.buf, '{')
	e.newline(depth + 1)
	e.buf = AppendQuoted(e.buf, tag)
	e.colon()
	write()
	e.newline(depth)
	e.buf = append(e.buf, '}')
}

// omitted reports whether v serializes to undefined (and is therefore left
// out of objects).
func (e *encoder) omitted(v Value) bool {
	if v == nil {
		return true
	}
	_, isSym := v.(Symbol)
	return isSym && e.opts.Plain
}

func (e *encoder) value(v Value, depth int) error {
	switch v := v.(type) {
	case nil, Null:
		e.buf = append(e.buf, "null"...)
	case Bool:
		e.buf = strconv.AppendBool(e.buf, bool(v))
	case Number:
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			e.buf = append(e.buf, "null"...)
		} else {
			e.buf = append(e.buf, FormatNumber(f)...)
		}
	case String:
		e.buf = AppendQuoted(e.buf, string(v))
	case Array:
		if len(v) == 0 {
			e.buf = append(e.buf, "[]"...)
			return nil
		}
		e.buf = append(e.buf, '[')
		for i, item := range v {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.newline(depth + 1)
			if e.omitted(item) {
				e.buf = append(e.buf, "null"...)
				continue
			}
			if err := e.value(item, depth+1); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
		e.newline(depth)
		e.buf = append(e.buf, ']')
	case *Object:
		first := true
		e.buf = append(e.buf, '{')
		for i, k := range v.keys {
			item := v.vals[i]
			if e.omitted(item) {
				continue
			}
			if !first {
				e.buf = append(e.buf, ',')
			}
			first = false
			e.newline(depth + 1)
			e.buf = AppendQuoted(e.buf, k)
			e.colon()
			if err := e.value(item, depth+1); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
		}
		if !first {
			e.newline(depth)
		}
		e.buf = append(e.buf, '}')
	case *Secret:
		if e.opts.Plain {
			return e.value(v.Value, depth)
		}
		if e.opts.Secret == nil {
			return errors.New("cannot serialize a secret here")
		}
		sealed, err := e.opts.Secret(v)
		if err != nil {
			return err
		}
		var inner error
		e.tagged(TagSecret, depth, func() { inner = e.value(sealed, depth+1) })
		return inner
	case Date:
		if e.opts.Plain {
			e.buf = AppendQuoted(e.buf, v.ISO())
			return nil
		}
		e.tagged(TagDate, depth, func() { e.buf = AppendQuoted(e.buf, v.ISO()) })
	case Symbol:
		e.tagged(TagSymbol, depth, func() { e.buf = AppendQuoted(e.buf, v.Key()) })
	case ScopeRef:
		if e.opts.Plain {
			e.buf = append(e.buf, "{}"...)
			return nil
		}
		e.tagged(TagScope, depth, func() { e.buf = append(e.buf, "null"...) })
	case Buffer:
		if e.opts.Plain {
			data := make(Array, len(v))
			for i, b := range v {
				data[i] = Number(b)
			}
			return e.value(Obj("type", String("Buffer"), "data", data), depth)
		}
		e.tagged(TagBuffer, depth, func() {
			e.buf = AppendQuoted(e.buf, base64.StdEncoding.EncodeToString(v))
		})
	default:
		return fmt.Errorf("cannot serialize %T", v)
	}
	return nil
}

const hexDigits = "0123456789abcdef"

// AppendQuoted appends s as a JSON string the way JSON.stringify writes it:
// only '"', '\\' and control characters are escaped (no HTML escaping, U+2028
// and U+2029 written as is). Invalid UTF-8 is written as U+FFFD.
func AppendQuoted(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				buf = append(buf, s[start:i]...)
				buf = append(buf, "\ufffd"...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		buf = append(buf, s[start:i]...)
		switch c {
		case '"':
			buf = append(buf, '\\', '"')
		case '\\':
			buf = append(buf, '\\', '\\')
		case '\b':
			buf = append(buf, '\\', 'b')
		case '\f':
			buf = append(buf, '\\', 'f')
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		case '\t':
			buf = append(buf, '\\', 't')
		default:
			buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

// DecodeOptions control Unmarshal.
type DecodeOptions struct {
	// Secret turns the contents of a {"@secret": …} tag into a value
	// (normally a *Secret). path says where the tag sits, e.g. "props.token".
	// Without it, reading a secret is an error.
	Secret func(raw Value, path string) (Value, error)
}

// Unmarshal parses JSON text in the TypeScript library's serialized form,
// turning every tag ({"@secret"}, {"@date"}, {"@symbol"}, {"@scope"},
// {"@buffer"}, {"@schema"}) into its value, as the library's deserialize does.
func Unmarshal(data []byte, opts DecodeOptions) (Value, error) {
	d := &decoder{data: data, opts: opts}
	d.skipSpace()
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	d.skipSpace()
	if d.pos != len(d.data) {
		return nil, d.errorf("unexpected %q after the value", d.data[d.pos])
	}
	return v, nil
}

// UnmarshalPlain parses JSON text without interpreting tags.
func UnmarshalPlain(data []byte) (Value, error) {
	d := &decoder{data: data, plain: true}
	d.skipSpace()
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	d.skipSpace()
	if d.pos != len(d.data) {
		return nil, d.errorf("unexpected %q after the value", d.data[d.pos])
	}
	return v, nil
}

type decoder struct {
	data  []byte
	pos   int
	opts  DecodeOptions
	plain bool
	path  []pathSeg
}

type pathSeg struct {
	key   string
	index int // -1 for object keys
}

func (d *decoder) pathString() string {
	var b []byte
	for _, s := range d.path {
		if s.index >= 0 {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(s.index), 10)
			b = append(b, ']')
			continue
		}
		if len(b) > 0 {
			b = append(b, '.')
		}
		b = append(b, s.key...)
	}
	return string(b)
}

// SyntaxError is a JSON syntax error with its byte offset.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at offset %d: %s", e.Offset, e.Msg)
}

func (d *decoder) errorf(format string, args ...any) error {
	return &SyntaxError{Offset: d.pos, Msg: fmt.Sprintf(format, args...)}
}

func (d *decoder) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *decoder) value() (Value, error) {
	if d.pos >= len(d.data) {
		return nil, d.errorf("unexpected end of input")
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		return d.object()
	case c == '[':
		return d.array()
	case c == '"':
		s, err := d.str()
		return String(s), err
	case c == 't':
		return Bool(true), d.literal("true")
	case c == 'f':
		return Bool(false), d.literal("false")
	case c == 'n':
		return Null{}, d.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	default:
		return nil, d.errorf("unexpected %q", c)
	}
}

func (d *decoder) literal(word string) error {
	if len(d.data)-d.pos < len(word) || string(d.data[d.pos:d.pos+len(word)]) != word {
		return d.errorf("invalid literal")
	}
	d.pos += len(word)
	return nil
}

func (d *decoder) number() (Value, error) {
	start := d.pos
	if d.data[d.pos] == '-' {
		d.pos++
	}
	digits := func() int {
		n := 0
		for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
			d.pos++
			n++
		}
		return n
	}
	if digits() == 0 {
		return nil, d.errorf("invalid number")
	}
	if d.pos < len(d.data) && d.data[d.pos] == '.' {
		d.pos++
		if digits() == 0 {
			return nil, d.errorf("invalid number")
		}
	}
	if d.pos < len(d.data) && (d.data[d.pos] == 'e' || d.data[d.pos] == 'E') {
		d.pos++
		if d.pos < len(d.data) && (d.data[d.pos] == '+' || d.data[d.pos] == '-') {
			d.pos++
		}
		if digits() == 0 {
			return nil, d.errorf("invalid number")
		}
	}
	if n, ok := smallInt(d.data[start:d.pos]); ok {
		return Number(n), nil
	}
	f, err := strconv.ParseFloat(string(d.data[start:d.pos]), 64)
	if err != nil {
		var numErr *strconv.NumError
		if errors.As(err, &numErr) && errors.Is(numErr.Err, strconv.ErrRange) {
			return Number(f), nil // ±Inf or 0, as JSON.parse gives
		}
		return nil, d.errorf("invalid number")
	}
	return Number(f), nil
}

// smallInt parses the common case of a short integer without allocating.
// "-0" is left to ParseFloat, which keeps its sign.
func smallInt(b []byte) (float64, bool) {
	neg := false
	if len(b) > 0 && b[0] == '-' {
		neg, b = true, b[1:]
	}
	if len(b) == 0 || len(b) > 15 || (neg && len(b) == 1 && b[0] == '0') {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return float64(n), true
}

func (d *decoder) str() (string, error) {
	d.pos++ // opening quote
	start := d.pos
	// Fast path: no escapes.
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		if c == '"' {
			s := string(d.data[start:d.pos])
			d.pos++
			return s, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", d.errorf("control character in string")
		}
		d.pos++
	}
	buf := append([]byte(nil), d.data[start:d.pos]...)
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			return string(buf), nil
		case c < 0x20:
			return "", d.errorf("control character in string")
		case c != '\\':
			buf = append(buf, c)
			d.pos++
			continue
		}
		d.pos++
		if d.pos >= len(d.data) {
			break
		}
		esc := d.data[d.pos]
		d.pos++
		switch esc {
		case '"', '\\', '/':
			buf = append(buf, esc)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := d.hex4()
			if !ok {
				return "", d.errorf("invalid \\u escape")
			}
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if d.pos+1 < len(d.data) && d.data[d.pos] == '\\' && d.data[d.pos+1] == 'u' {
					save := d.pos
					d.pos += 2
					if lo, ok := d.hex4(); ok && utf16.DecodeRune(r, lo) != utf8.RuneError {
						r2 = utf16.DecodeRune(r, lo)
					} else {
						d.pos = save
					}
				}
				r = r2
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", d.errorf("invalid escape \\%c", esc)
		}
	}
	return "", d.errorf("unterminated string")
}

func (d *decoder) hex4() (rune, bool) {
	if len(d.data)-d.pos < 4 {
		return 0, false
	}
	var r rune
	for _, c := range d.data[d.pos : d.pos+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	d.pos += 4
	return r, true
}

func (d *decoder) array() (Value, error) {
	d.pos++
	arr := Array{}
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		return arr, nil
	}
	for i := 0; ; i++ {
		d.skipSpace()
		d.path = append(d.path, pathSeg{index: i})
		v, err := d.value()
		d.path = d.path[:len(d.path)-1]
		if err != nil {
			return nil, err
		}
		if v == nil {
			v = Null{}
		}
		arr = append(arr, v)
		d.skipSpace()
		if d.pos >= len(d.data) {
			return nil, d.errorf("unterminated array")
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case ']':
			d.pos++
			return arr, nil
		default:
			return nil, d.errorf("expected ',' or ']' in array")
		}
	}
}

func (d *decoder) object() (Value, error) {
	d.pos++
	obj := NewObject(4)
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		return obj, nil
	}
	for {
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			return nil, d.errorf("expected a key")
		}
		key, err := d.str()
		if err != nil {
			return nil, err
		}
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return nil, d.errorf("expected ':' after key")
		}
		d.pos++
		d.skipSpace()
		d.path = append(d.path, pathSeg{key: key, index: -1})
		v, err := d.value()
		d.path = d.path[:len(d.path)-1]
		if err != nil {
			return nil, err
		}
		obj.Set(key, v)
		d.skipSpace()
		if d.pos >= len(d.data) {
			return nil, d.errorf("unterminated object")
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case '}':
			d.pos++
			if d.plain {
				return obj, nil
			}
			return d.untag(obj)
		default:
			return nil, d.errorf("expected ',' or '}' in object")
		}
	}
}

// untag applies the deserializer's tag rules, in the library's order.
func (d *decoder) untag(obj *Object) (Value, error) {
	if obj.Len() == 0 {
		return obj, nil
	}
	if raw, ok := obj.Get(TagSecret); ok && truthy(raw) {
		if d.opts.Secret == nil {
			return nil, fmt.Errorf("%s: cannot read a secret here", d.pathString())
		}
		return d.opts.Secret(raw, d.pathString())
	}
	if raw, ok := obj.Get(TagSchema); ok {
		return raw, nil
	}
	if raw, ok := obj.Get(TagDate); ok {
		switch raw := raw.(type) {
		case String:
			date, err := ParseDate(string(raw))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", d.pathString(), err)
			}
			return date, nil
		case Number:
			return Date{Millis: int64(raw)}, nil
		}
		return nil, fmt.Errorf("%s: invalid date %s", d.pathString(), TypeName(raw))
	}
	if raw, ok := obj.Get(TagSymbol); ok {
		if s, ok := raw.(String); ok && IsSymbolKey(string(s)) {
			return Symbol(s[len("Symbol(") : len(s)-1]), nil
		}
		return nil, nil // the library turns an unparsable symbol into undefined
	}
	if obj.Has(TagScope) {
		return ScopeRef{}, nil
	}
	if raw, ok := obj.Get(TagBuffer); ok {
		s, _ := raw.(String)
		b, err := decodeBase64Loose(string(s))
		if err != nil {
			return nil, fmt.Errorf("%s: invalid buffer: %w", d.pathString(), err)
		}
		return Buffer(b), nil
	}
	return obj, nil
}

// decodeBase64Loose accepts padded and unpadded base64, as Buffer.from does.
func decodeBase64Loose(s string) ([]byte, error) {
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(s)
}

// truthy follows JavaScript truthiness for the values JSON can hold.
func truthy(v Value) bool {
	switch v := v.(type) {
	case nil, Null:
		return false
	case Bool:
		return bool(v)
	case Number:
		return v != 0 && !math.IsNaN(float64(v))
	case String:
		return v != ""
	}
	return true
}
