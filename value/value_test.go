package value

import (
	"math"
	"strings"
	"testing"
)

// Expected strings below are what Node 20 prints for String(x) / toISOString.
func TestFormatNumber(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{1, "1"},
		{-1, "-1"},
		{1.5, "1.5"},
		{0.1, "0.1"},
		{addFloats(0.1, 0.2), "0.30000000000000004"},
		{1e21, "1e+21"},
		{1e20, "100000000000000000000"},
		{123456789012345680000, "123456789012345680000"},
		{1e-7, "1e-7"},
		{0.000001, "0.000001"},
		{1.5e-7, "1.5e-7"},
		{-2.5e-10, "-2.5e-10"},
		{5e-324, "5e-324"},
		{1.7976931348623157e308, "1.7976931348623157e+308"},
		{1 << 53, "9007199254740992"},
		{1<<53 + 2, "9007199254740994"},
		{100, "100"},
		{1234.5678, "1234.5678"},
		{1.0 / 3, "0.3333333333333333"},
		{-1e21, "-1e+21"},
		{123e-20, "1.23e-18"},
		{4.35, "4.35"},
		{0.000123, "0.000123"},
		{1795395627446, "1795395627446"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "Infinity"},
		{math.Inf(-1), "-Infinity"},
	}
	for _, tt := range tests {
		if got := FormatNumber(tt.in); got != tt.want {
			t.Errorf("FormatNumber(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDateISO(t *testing.T) {
	tests := []struct {
		ms   int64
		want string
	}{
		{0, "1970-01-01T00:00:00.000Z"},
		{1709209845678, "2024-02-29T12:30:45.678Z"},
		{-1, "1969-12-31T23:59:59.999Z"},
		{253402300800000, "+010000-01-01T00:00:00.000Z"},
		{-62198755200000, "-000001-01-01T00:00:00.000Z"},
		{8640000000000000, "+275760-09-13T00:00:00.000Z"},
	}
	for _, tt := range tests {
		d := Date{Millis: tt.ms}
		if got := d.ISO(); got != tt.want {
			t.Errorf("Date(%d).ISO() = %q, want %q", tt.ms, got, tt.want)
		}
		back, err := ParseDate(tt.want)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", tt.want, err)
			continue
		}
		if back != d {
			t.Errorf("ParseDate(%q) = %d, want %d", tt.want, back.Millis, tt.ms)
		}
	}
	for _, s := range []string{"2025-01-01", "2025-01-01T00:00:00Z", "2025-01-01T01:00:00+01:00"} {
		d, err := ParseDate(s)
		if err != nil {
			t.Fatalf("ParseDate(%q): %v", s, err)
		}
		if d.ISO() != "2025-01-01T00:00:00.000Z" {
			t.Errorf("ParseDate(%q) = %s", s, d.ISO())
		}
	}
	if _, err := ParseDate("yesterday"); err == nil {
		t.Error("ParseDate(yesterday) succeeded")
	}
}

func TestObjectOrder(t *testing.T) {
	o := NewObject(0)
	for _, k := range []string{"text", "10", KeyKind, "zeta", "2", KeyID, "4294967295", "0", "01"} {
		o.Set(k, String(k))
	}
	want := []string{"0", "2", "10", KeyKind, KeyID, "text", "zeta", "4294967295", "01"}
	if got := o.Keys(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("keys = %q, want %q", got, want)
	}
	o.Set("text", String("again"))
	if got, _ := o.GetString("text"); got != "again" || o.Keys()[5] != "text" {
		t.Errorf("overwrite moved or lost the key: %q", o.Keys())
	}
	o.Delete("2")
	o.Delete(KeyKind)
	o.Set("1", Bool(true))
	o.Set(KeyFQN, String("f"))
	want = []string{"0", "1", "10", KeyID, KeyFQN, "text", "zeta", "4294967295", "01"}
	if got := o.Keys(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("after edits keys = %q, want %q", got, want)
	}
	// Large objects switch to an index; lookups must keep working.
	big := NewObject(0)
	for i := range 100 {
		big.Set("k"+FormatNumber(float64(i)), Number(i))
	}
	big.Set("5", Number(-5))
	for i := range 100 {
		if n, ok := big.GetNumber("k" + FormatNumber(float64(i))); !ok || n != float64(i) {
			t.Fatalf("big[k%d] = %v, %v", i, n, ok)
		}
	}
	if k, _ := big.At(0); k != "5" {
		t.Errorf("array index not first in large object: %q", k)
	}
	big.Delete("k50")
	if _, ok := big.Get("k50"); ok || big.Len() != 100 {
		t.Errorf("delete in large object: len %d", big.Len())
	}
	if n, _ := big.GetNumber("k99"); n != 99 {
		t.Errorf("k99 after delete = %v", n)
	}
}

func TestAppendQuoted(t *testing.T) {
	// JSON.stringify escapes only quotes, backslashes and control characters.
	in := "héllo \u2028 <tag> & \"quoted\" \\ back\nline\ttab\u0001\b\f\r\x1f"
	want := "\"héllo \u2028 <tag> & \\\"quoted\\\" \\\\ back\\nline\\ttab\\u0001\\b\\f\\r\\u001f\""
	if got := string(AppendQuoted(nil, in)); got != want {
		t.Errorf("AppendQuoted = %s, want %s", got, want)
	}
	if got := string(AppendQuoted(nil, "a\xffb")); got != "\"a\ufffdb\"" {
		t.Errorf("invalid UTF-8 = %s", got)
	}
}

// addFloats adds at run time (constant folding would give exactly 0.3).
func addFloats(a, b float64) float64 { return a + b }

// sealHooks stand in for the state codec: the "ciphertext" is the plaintext
// reversed, which is enough to check where tags go.
func sealHooks() (EncodeOptions, DecodeOptions) {
	enc := EncodeOptions{Indent: "  ", Secret: func(s *Secret) (Value, error) {
		return Obj("sealed", String(reverse(string(s.Value.(String))))), nil
	}}
	dec := DecodeOptions{Secret: func(raw Value, path string) (Value, error) {
		o := raw.(*Object)
		sealed, _ := o.GetString("sealed")
		return &Secret{Value: String(reverse(sealed))}, nil
	}}
	return enc, dec
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

func TestRoundTripEveryTag(t *testing.T) {
	enc, dec := sealHooks()
	tests := []struct {
		name string
		v    Value
		json string
	}{
		{"null", Null{}, "null"},
		{"bool", Bool(true), "true"},
		{"number", Number(1e21), "1e+21"},
		{"string", String("a\"b"), `"a\"b"`},
		{"empty object", NewObject(0), "{}"},
		{"empty array", Array{}, "[]"},
		{"date", Date{Millis: 1735689600000}, "{\n  \"@date\": \"2025-01-01T00:00:00.000Z\"\n}"},
		{"symbol", Symbol("golden::sym"), "{\n  \"@symbol\": \"Symbol(golden::sym)\"\n}"},
		{"scope", ScopeRef{}, "{\n  \"@scope\": null\n}"},
		{"buffer", Buffer("hello buffer"), "{\n  \"@buffer\": \"aGVsbG8gYnVmZmVy\"\n}"},
		{"secret", NewSecret("hush"), "{\n  \"@secret\": {\n    \"sealed\": \"hsuh\"\n  }\n}"},
		{"nested", Obj("a", Array{Number(1), String("two"), Obj("three", Number(3))}, KeyScope, ScopeRef{}),
			"{\n  \"Symbol(alchemy::ResourceScope)\": {\n    \"@scope\": null\n  },\n  \"a\": [\n    1,\n    \"two\",\n    {\n      \"three\": 3\n    }\n  ]\n}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Marshal(tt.v, enc)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.json {
				t.Fatalf("Marshal = %s\nwant %s", got, tt.json)
			}
			back, err := Unmarshal(got, dec)
			if err != nil {
				t.Fatal(err)
			}
			if !Equal(back, tt.v) {
				t.Fatalf("Unmarshal(Marshal(v)) = %#v, want %#v", back, tt.v)
			}
		})
	}
}

func TestUnmarshalTagRules(t *testing.T) {
	_, dec := sealHooks()
	tests := []struct {
		name string
		json string
		want Value
	}{
		{"schema is unwrapped", `{"@schema": {"type": "string"}}`, Obj("type", String("string"))},
		{"date from number", `{"@date": 0}`, Date{}},
		{"falsy secret is a plain object", `{"@secret": ""}`, Obj("@secret", String(""))},
		{"bad symbol is dropped", `{"a": {"@symbol": "nope"}, "b": 1}`, Obj("b", Number(1))},
		{"bad symbol in array is null", `[{"@symbol": "nope"}]`, Array{Null{}}},
		{"unpadded buffer", `{"@buffer": "aGk"}`, Buffer("hi")},
		{"surrogate pair", `"\ud83d\ude00"`, String("😀")},
		{"lone surrogate", `"\ud83d"`, String("\ufffd")},
		{"integer keys sorted", `{"b": 1, "10": 2, "2": 3}`, Obj("2", Number(3), "10", Number(2), "b", Number(1))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Unmarshal([]byte(tt.json), dec)
			if err != nil {
				t.Fatal(err)
			}
			if !Equal(got, tt.want) {
				t.Fatalf("got %#v, want %#v", got, tt.want)
			}
		})
	}
	for _, bad := range []string{``, `{`, `{"a" 1}`, `[1,]`, `"abc`, `tru`, `01x`, `{"a":1}x`, "\"a\x01\""} {
		if _, err := Unmarshal([]byte(bad), dec); err == nil {
			t.Errorf("Unmarshal(%q) succeeded", bad)
		}
	}
	if _, err := Unmarshal([]byte(`{"x": {"@secret": "abc"}}`), DecodeOptions{}); err == nil || !strings.Contains(err.Error(), "x") {
		t.Errorf("secret without hook: %v", err)
	}
}

func TestSecretPathInHook(t *testing.T) {
	var paths []string
	dec := DecodeOptions{Secret: func(raw Value, path string) (Value, error) {
		paths = append(paths, path)
		return &Secret{Value: raw}, nil
	}}
	_, err := Unmarshal([]byte(`{"props": {"list": [1, {"token": {"@secret": "x"}}]}, "top": {"@secret": "y"}}`), dec)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(paths, " ") != "props.list[1].token top" {
		t.Errorf("paths = %q", paths)
	}
}

func TestMarshalPlain(t *testing.T) {
	v := Obj("when", Date{Millis: 0}, "buf", Buffer{1, 2}, "sym", Symbol("s"), "list", Array{Symbol("s"), Number(math.NaN())}, "secret", NewSecret("p"))
	got, err := Marshal(v, EncodeOptions{Plain: true})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"when":"1970-01-01T00:00:00.000Z","buf":{"type":"Buffer","data":[1,2]},"list":[null,null],"secret":"p"}`
	if string(got) != want {
		t.Errorf("plain = %s\nwant  %s", got, want)
	}
	if _, err := Marshal(NewSecret("p"), EncodeOptions{}); err == nil {
		t.Error("secret without hook was serialized")
	}
}

func TestEqual(t *testing.T) {
	a := Obj("x", Number(1), "y", Array{String("a"), Null{}})
	tests := []struct {
		name string
		a, b Value
		want bool
	}{
		{"same", a, Obj("x", Number(1), "y", Array{String("a"), Null{}}), true},
		{"key order matters", Obj("a", Number(1), "b", Number(2)), Obj("b", Number(2), "a", Number(1)), false},
		{"nan is null", Number(math.NaN()), Null{}, true},
		{"minus zero", Number(math.Copysign(0, -1)), Number(0), true},
		{"secrets by plaintext", NewSecret("s"), NewSecret("s"), true},
		{"different secrets", NewSecret("s"), NewSecret("t"), false},
		{"secret vs string", NewSecret("s"), String("s"), false},
		{"undefined", nil, nil, true},
		{"undefined vs empty", nil, NewObject(0), false},
		{"dates", Date{Millis: 1}, Date{Millis: 1}, true},
		{"buffers", Buffer("a"), Buffer("b"), false},
		{"scope", ScopeRef{}, ScopeRef{}, true},
		{"symbols", Symbol("a"), Symbol("b"), false},
		{"array length", Array{Number(1)}, Array{Number(1), Number(2)}, false},
		{"nested diff", Obj("o", Obj("k", Bool(true))), Obj("o", Obj("k", Bool(false))), false},
	}
	for _, tt := range tests {
		if got := Equal(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: Equal = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestReferences(t *testing.T) {
	kv := Obj(KeyKind, String("cloudflare::KVNamespace"), KeyID, String("cache"), KeyFQN, String("app/dev/cache"),
		"inner", Obj(KeyKind, String("x::Y"), KeyID, String("hidden"), KeyFQN, String("app/dev/hidden")))
	db := Obj(KeyKind, String("cloudflare::D1Database"), KeyID, String("db"), KeyFQN, String("app/dev/db"))
	props := Obj("bindings", Obj("CACHE", kv, "DB", db, "AGAIN", kv, "TEXT", String("x")), "list", Array{db})
	refs := References(props)
	if len(refs) != 2 || refs[0].FQN != "app/dev/cache" || refs[1].ID != "db" || refs[0].Kind != "cloudflare::KVNamespace" {
		t.Fatalf("refs = %+v", refs)
	}
	if len(References(String("x"))) != 0 {
		t.Error("references in a string")
	}
}

func TestSecretNeverPrinted(t *testing.T) {
	s := NewSecret("plaintext-value")
	s.Name = "api"
	for _, got := range []string{s.String(), s.GoString()} {
		if strings.Contains(got, "plaintext") {
			t.Errorf("secret printed as %q", got)
		}
	}
}

func TestClone(t *testing.T) {
	orig := Obj("a", Array{Obj("b", Number(1))}, "buf", Buffer("x"))
	c := Clone(orig).(*Object)
	inner, _ := c.Get("a")
	inner.(Array)[0].(*Object).Set("b", Number(2))
	if !Equal(orig, Obj("a", Array{Obj("b", Number(1))}, "buf", Buffer("x"))) {
		t.Error("clone shares structure with the original")
	}
}
