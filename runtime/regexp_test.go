package runtime_test

import (
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/runtime/runtimetest"
)

// goja alone matches /\p{L}/u against the literal text "p{L}". Through the
// bundler (which turns such literals into RegExp calls) and the host's
// RegExp, property escapes match what they should.
func TestUnicodePropertyEscapes(t *testing.T) {
	out := runtimetest.Program(t, `
const results = [
  /^\p{L}+$/u.test("héllo"),
  /\p{L}/u.test("p{L}") === false || /\p{L}/u.test("p"),
  /^\p{Lu}+$/u.test("ABC"),
  /^\p{Lu}+$/u.test("AbC"),
  /^\P{L}+$/u.test("123 !"),
  /^[\p{L}\d_-]+$/u.test("naïve_1-2"),
  /^[^\p{L}]+$/u.test("42"),
  /\p{Script=Greek}/u.test("αβγ"),
  /\p{sc=Cyrillic}/u.test("abc"),
  /^\p{Letter}\p{Decimal_Number}$/u.test("a1"),
  /\p{White_Space}/u.test("a b"),
  "Grüße, Ελλάδα!".match(/\p{L}+/gu).join("|"),
  new RegExp("^\\p{Ll}+$", "u").test("abc"),
  /\p{L}/.test("p{L}"),
];
console.log(results.join(" "));
let thrown = "";
try { new RegExp("\\p{Emoji_Presentation_Unknown}", "u"); } catch (e: any) { thrown = e.name + ": " + e.message; }
console.log(thrown);
console.log(/x/u instanceof RegExp, new RegExp("a", "g").flags, RegExp("b").source);
class Sub extends RegExp {}
console.log(new Sub("\\p{Lu}", "u").test("Q"), new Sub("c") instanceof Sub);
`)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	want := []string{
		"true true true false true true true true false true true Grüße|Ελλάδα true true",
		"SyntaxError: Invalid regular expression: /\\p{Emoji_Presentation_Unknown}/u: unsupported Unicode property \\p{Emoji_Presentation_Unknown}",
		"true g b",
		"true true",
	}
	if len(lines) != len(want) {
		t.Fatalf("stdout:\n%s", out)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, lines[i], want[i])
		}
	}
}
