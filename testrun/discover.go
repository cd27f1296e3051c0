package testrun

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// TestSuffix names the files Discover finds.
const TestSuffix = ".test.ts"

// skippedDirs are never searched for test files.
var skippedDirs = map[string]bool{"node_modules": true, ".alchemy": true, ".git": true}

// Discover returns the test files under root, sorted, as absolute paths.
// With no patterns it finds every **/*.test.ts outside node_modules,
// .alchemy and .git. Each pattern is an existing file (taken as is), an
// existing directory (searched), a glob over paths relative to root (with
// ** for any number of directories), or else a substring of the relative
// path of a test file, as vitest's filters are.
func Discover(root string, patterns []string) ([]string, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	var all []string // every test file under root, found once when needed
	findAll := func() ([]string, error) {
		if all == nil {
			all, err = walk(root)
		}
		return all, err
	}
	if len(patterns) == 0 {
		return findAll()
	}
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, pat := range patterns {
		p := pat
		if !filepath.IsAbs(p) {
			p = filepath.Join(root, p)
		}
		st, statErr := os.Stat(p)
		switch {
		case statErr == nil && !st.IsDir():
			add(filepath.Clean(p))
			continue
		case statErr == nil:
			files, err := walk(p)
			if err != nil {
				return nil, err
			}
			for _, f := range files {
				add(f)
			}
			continue
		}
		files, err := findAll()
		if err != nil {
			return nil, err
		}
		match, err := patternMatcher(pat)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			rel, _ := filepath.Rel(root, f)
			if match(filepath.ToSlash(rel)) {
				add(f)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// walk lists the test files under dir.
func walk(dir string) ([]string, error) {
	files := []string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrPermission) && p != dir {
				return nil
			}
			return err
		}
		if d.IsDir() {
			if p != dir && skippedDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), TestSuffix) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find test files in %s: %w", dir, err)
	}
	sort.Strings(files)
	return files, nil
}

// patternMatcher matches slash-separated relative paths: a glob when the
// pattern has *, ? or [, else a substring.
func patternMatcher(pattern string) (func(string) bool, error) {
	pattern = filepath.ToSlash(pattern)
	if !strings.ContainsAny(pattern, "*?[") {
		return func(rel string) bool { return strings.Contains(rel, strings.TrimPrefix(pattern, "./")) }, nil
	}
	re, err := globRegexp(strings.TrimPrefix(pattern, "./"))
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", pattern, err)
	}
	return re.MatchString, nil
}

// globRegexp translates a glob: ** spans directories, * and ? stay within
// one, [...] is a character class.
func globRegexp(glob string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(glob); i++ {
		c := glob[i]
		switch {
		case c == '*' && i+1 < len(glob) && glob[i+1] == '*':
			i++
			if i+1 < len(glob) && glob[i+1] == '/' {
				i++
				b.WriteString("(?:.*/)?")
			} else {
				b.WriteString(".*")
			}
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			j := strings.IndexByte(glob[i:], ']')
			if j < 0 {
				return nil, errors.New("unterminated [")
			}
			class := glob[i+1 : i+j]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + class + "]")
			i += j
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}
