package testrun

import (
	"fmt"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	long := func(prefix string, n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("%s%d", prefix, i))
		}
		return out
	}
	tests := []struct {
		name               string
		expected, received string
		want               []string
	}{
		{
			name:     "equal",
			expected: "a\nb",
			received: "a\nb",
			want:     []string{"  a", "  b"},
		},
		{
			name:     "one line changed",
			expected: "{\n  \"a\": 1,\n  \"b\": 2,\n}",
			received: "{\n  \"a\": 1,\n  \"b\": 3,\n}",
			want:     []string{"  {", `    "a": 1,`, `-   "b": 2,`, `+   "b": 3,`, "  }"},
		},
		{
			name:     "line added and removed",
			expected: "[\n  1,\n  2,\n]",
			received: "[\n  2,\n  3,\n]",
			want:     []string{"  [", "-   1,", "    2,", "+   3,", "  ]"},
		},
		{
			name:     "empty expected",
			expected: "",
			received: "x",
			want:     []string{"- ", "+ x"},
		},
		{
			name:     "long unchanged stretches are shortened",
			expected: strings.Join(append(long("x", 10), "old", "tail"), "\n"),
			received: strings.Join(append(long("x", 10), "new", "tail"), "\n"),
			want:     []string{"  ...", "  x7", "  x8", "  x9", "- old", "+ new", "  tail"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Split(Diff(tt.expected, tt.received), "\n")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Diff:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestDiffTooLargeShowsBothSides(t *testing.T) {
	var a, b []string
	for i := range 3000 {
		a = append(a, fmt.Sprint("a", i))
		b = append(b, fmt.Sprint("b", i))
	}
	got := strings.Split(Diff(strings.Join(a, "\n"), strings.Join(b, "\n")), "\n")
	if len(got) != 6000 || got[0] != "- a0" || got[3000] != "+ b0" {
		t.Errorf("got %d lines starting %q, %q", len(got), got[0], got[3000])
	}
}
