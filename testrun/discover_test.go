package testrun

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestDiscover(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{
		"a.test.ts",
		"src/b.test.ts",
		"src/deep/c.test.ts",
		"src/helper.ts",
		"src/d.spec.ts",
		"e.test.js",
		"node_modules/pkg/x.test.ts",
		".alchemy/y.test.ts",
		"sub/.alchemy/z.test.ts",
		".git/w.test.ts",
		"other/f.test.ts",
	} {
		p := filepath.Join(root, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name     string
		patterns []string
		want     []string
	}{
		{"everything", nil, []string{"a.test.ts", "other/f.test.ts", "src/b.test.ts", "src/deep/c.test.ts"}},
		{"a file, whatever its name", []string{"e.test.js"}, []string{"e.test.js"}},
		{"a directory", []string{"src"}, []string{"src/b.test.ts", "src/deep/c.test.ts"}},
		{"a glob with **", []string{"src/**/*.test.ts"}, []string{"src/b.test.ts", "src/deep/c.test.ts"}},
		{"a glob with *", []string{"src/*.test.ts"}, []string{"src/b.test.ts"}},
		{"a glob with a class", []string{"[ao]*/*.test.ts"}, []string{"other/f.test.ts"}},
		{"a path fragment", []string{"deep"}, []string{"src/deep/c.test.ts"}},
		{"several, without duplicates", []string{"src", "b.test", "a.test.ts"}, []string{"a.test.ts", "src/b.test.ts", "src/deep/c.test.ts"}},
		{"nothing matches", []string{"nope"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Discover(root, tt.patterns)
			if err != nil {
				t.Fatal(err)
			}
			var rel []string
			for _, p := range got {
				r, err := filepath.Rel(root, p)
				if err != nil {
					t.Fatal(err)
				}
				rel = append(rel, filepath.ToSlash(r))
			}
			if !slices.Equal(rel, tt.want) {
				t.Errorf("Discover(%q) = %q, want %q", tt.patterns, rel, tt.want)
			}
		})
	}
}

func TestGlobRegexp(t *testing.T) {
	tests := []struct {
		glob, path string
		want       bool
	}{
		{"**/*.test.ts", "a.test.ts", true},
		{"**/*.test.ts", "x/y/a.test.ts", true},
		{"x/**", "x/y/z", true},
		{"*.test.ts", "x/a.test.ts", false},
		{"a?.ts", "ab.ts", true},
		{"a?.ts", "a/.ts", false},
		{"[!a]b", "cb", true},
		{"[!a]b", "ab", false},
		{"a.b", "axb", false},
	}
	for _, tt := range tests {
		re, err := globRegexp(tt.glob)
		if err != nil {
			t.Fatalf("%s: %v", tt.glob, err)
		}
		if got := re.MatchString(tt.path); got != tt.want {
			t.Errorf("glob %q on %q = %v, want %v", tt.glob, tt.path, got, tt.want)
		}
	}
	if _, err := globRegexp("a[b"); err == nil {
		t.Error("unterminated class: no error")
	}
}
