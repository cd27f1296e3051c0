package sourcemap

import (
	"reflect"
	"testing"
)

func TestVLQRoundTrip(t *testing.T) {
	for _, v := range []int{0, 1, -1, 15, -15, 16, 31, 32, -32, 1000, -1000, 1 << 20, -(1 << 20)} {
		enc := string(AppendVLQ(nil, v))
		got, next, err := ReadVLQ(enc, 0)
		if err != nil {
			t.Fatalf("ReadVLQ(%q): %v", enc, err)
		}
		if got != v || next != len(enc) {
			t.Errorf("VLQ %d: encoded %q, decoded %d (next %d)", v, enc, got, next)
		}
	}
}

func TestKnownEncodings(t *testing.T) {
	// Values from the source map specification's examples.
	tests := []struct {
		value int
		enc   string
	}{
		{0, "A"}, {1, "C"}, {-1, "D"}, {15, "e"}, {16, "gB"}, {-16, "hB"},
	}
	for _, tt := range tests {
		if got := string(AppendVLQ(nil, tt.value)); got != tt.enc {
			t.Errorf("AppendVLQ(%d) = %q, want %q", tt.value, got, tt.enc)
		}
	}
}

func TestDecodeEncode(t *testing.T) {
	mappings := ";;;AAAA;;;ACAA,IAAI,wBAAwB,EAAC,KAAI,IAAG;AAAS,IAAM;;;ADAzE,IAAIA,yBAAwB"
	segs, err := Decode(mappings)
	if err != nil {
		t.Fatal(err)
	}
	if got := Encode(segs); got != mappings {
		t.Fatalf("round trip:\n got %s\nwant %s", got, mappings)
	}
	want := Segment{GenLine: 3, GenColumn: 0, Source: 0, OrigLine: 0, OrigColumn: 0, Name: -1}
	if !reflect.DeepEqual(segs[0], want) {
		t.Errorf("first segment = %+v, want %+v", segs[0], want)
	}
	named := segs[len(segs)-2]
	if named.Name != 0 || named.Source != 0 || named.GenLine != 10 || named.GenColumn != 4 {
		t.Errorf("named segment = %+v", named)
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, bad := range []string{"A!", "AA", "g", "AAAAAA"} {
		if _, err := Decode(bad); err == nil {
			t.Errorf("Decode(%q): no error", bad)
		}
	}
}

func TestParse(t *testing.T) {
	m, err := Parse([]byte(`{"version":3,"sources":["a.ts"],"sourcesContent":["x"],"names":[],"mappings":"AAAA"}`))
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := m.Content(0); !ok || c != "x" {
		t.Errorf("Content(0) = %q, %v", c, ok)
	}
	if _, ok := m.Content(1); ok {
		t.Error("Content(1) reported present")
	}
	if _, err := Parse([]byte(`{"version":2}`)); err == nil {
		t.Error("version 2 accepted")
	}
}
