package runtime

import (
	"testing"

	"github.com/alchemy-go/alchemy/bundler/sourcemap"
)

func TestGojaMappingsShiftColumnsByOne(t *testing.T) {
	for _, mappings := range []string{
		"",
		";;;AAAA;;;ACAA,IAAI,wBAAwB,EAAC,KAAI,IAAG;AAAS,IAAM;;;ADAzE,IAAIA,yBAAwB",
		"A,CAAC;;GAAG,EAAE,GAAGA",
		";;;;",
	} {
		orig, err := sourcemap.Decode(mappings)
		if err != nil {
			t.Fatal(err)
		}
		shifted, err := gojaMappings(mappings)
		if err != nil {
			t.Fatal(err)
		}
		got, err := sourcemap.Decode(shifted)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(orig) {
			t.Fatalf("%q: %d segments, want %d", mappings, len(got), len(orig))
		}
		for i := range orig {
			want := orig[i]
			want.GenColumn++
			if want.Source >= 0 {
				want.OrigColumn++
			}
			if got[i] != want {
				t.Errorf("%q segment %d = %+v, want %+v", mappings, i, got[i], want)
			}
		}
	}
}

func TestParseStack(t *testing.T) {
	stack := "Error: x\n" +
		"\tat fail (/src/a.ts:3:9(12))\n" +
		"\tat /src/b.ts:10:1(40)\n" +
		"\tat native\n" +
		"\tat JSON.parse (native)\n" +
		"    at go (/src/with%20space.ts:1:2)\n"
	got := parseStack(stack)
	want := []Frame{
		{Function: "fail", File: "/src/a.ts", Line: 3, Column: 9},
		{File: "/src/b.ts", Line: 10, Column: 1},
		{Function: "go", File: "/src/with space.ts", Line: 1, Column: 2},
	}
	if len(got) != len(want) {
		t.Fatalf("frames = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("frame %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestTranslatePropertyEscapes(t *testing.T) {
	tests := []struct{ in, want string }{
		{`\p{ASCII}`, `[\u{0}-\u{7F}]`},
		{`[\p{ASCII}x]`, `[\u{0}-\u{7F}x]`},
		{`\P{Any}`, `[]`},
		{`a\\p{L}`, `a\\p{L}`},
	}
	for _, tt := range tests {
		got, err := translatePropertyEscapes(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("translate(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if _, err := translatePropertyEscapes(`\p{Nope}`); err == nil {
		t.Error("unknown property accepted")
	}
}
