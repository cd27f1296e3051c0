package types

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// The type-level tests compile programs with the TypeScript compiler. scripts/typecheck.sh installs it
// from npm and sets:
//
//	ALCHEMY_TSC             the tsc executable
//	ALCHEMY_TYPES_PACKAGES  a directory whose node_modules holds @types/node and @cloudflare/workers-types
//
// Without ALCHEMY_TSC the tests use the newest compiler the script left in its cache, and skip when there
// is none.

const (
	testdataDir = "../testdata/types"
	examplesDir = "../examples"
	scriptsDir  = "../testdata/scripts"
)

// tscPath returns the TypeScript compiler to run, or skips the test.
func tscPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("ALCHEMY_TSC"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("ALCHEMY_TSC: %v", err)
		}
		return p
	}
	if p := newestInCache("typescript-*", filepath.Join("node_modules", ".bin", "tsc")); p != "" {
		return p
	}
	t.Skip("no TypeScript compiler: run scripts/typecheck.sh (it installs typescript from npm), or set ALCHEMY_TSC")
	return ""
}

// packagesDir returns the directory holding node_modules/@types/node and
// node_modules/@cloudflare/workers-types, or skips the test.
func packagesDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("ALCHEMY_TYPES_PACKAGES")
	if dir == "" {
		dir = newestInCache("packages-*", "")
	}
	for _, pkg := range []string{"@types/node", "@cloudflare/workers-types"} {
		if dir == "" {
			break
		}
		if _, err := os.Stat(filepath.Join(dir, "node_modules", pkg, "package.json")); err != nil {
			dir = ""
		}
	}
	if dir == "" {
		t.Skip("no @types/node and @cloudflare/workers-types: run scripts/typecheck.sh, or set ALCHEMY_TYPES_PACKAGES")
	}
	return dir
}

// newestInCache finds the last match of pattern (in name order) in the cache of scripts/typecheck.sh
// that has the file rel, and returns the joined path.
func newestInCache(pattern, rel string) string {
	cache := os.Getenv("ALCHEMY_TYPECHECK_CACHE")
	if cache == "" {
		base := os.Getenv("XDG_CACHE_HOME")
		if base == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return ""
			}
			base = filepath.Join(home, ".cache")
		}
		cache = filepath.Join(base, "alchemy-typecheck")
	}
	matches, _ := filepath.Glob(filepath.Join(cache, pattern))
	sort.Strings(matches)
	for i := len(matches) - 1; i >= 0; i-- {
		p := filepath.Join(matches[i], rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// variant is one way a project can get its declarations.
type variant struct {
	name string
	opts Options
	// npm is true when the variant needs the packages from npm.
	npm bool
}

var variants = []variant{
	{name: "alone", opts: Options{}},
	// Both packages in node_modules but not in "types": nothing of theirs enters the compilation.
	{name: "beside-packages", opts: Options{}, npm: true},
	{name: "with-node", opts: Options{NodeTypes: true}, npm: true},
	{name: "with-workers-types", opts: Options{WorkersTypes: true}, npm: true},
}

// project is a program tree to compile: file paths relative to its root, and their contents.
type project map[string][]byte

func readProject(t *testing.T, dir string) project {
	t.Helper()
	p := project{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		p[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatalf("read %s: %v", dir, err)
	}
	return p
}

// write lays p out in a new directory with the declarations of opts in Dir and, unless p has its own,
// the tsconfig.json alchemy init writes. With packages set, node_modules links to its node_modules.
func (p project) write(t *testing.T, opts Options, packages string) string {
	t.Helper()
	root := t.TempDir()
	files := map[string][]byte{}
	for name, data := range p {
		files[name] = data
	}
	for name, data := range Files(opts) {
		files[filepath.ToSlash(filepath.Join(Dir, name))] = data
	}
	if _, ok := files["tsconfig.json"]; !ok {
		files["tsconfig.json"] = NewTSConfig(opts).JSON()
	}
	for name, data := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if packages != "" {
		if err := os.Symlink(filepath.Join(packages, "node_modules"), filepath.Join(root, "node_modules")); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// diagnostic is one error reported by tsc.
type diagnostic struct {
	file    string
	line    int
	code    string
	message string
}

func (d diagnostic) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", d.file, d.line, d.code, d.message)
}

var diagnosticLine = regexp.MustCompile(`^(.+)\((\d+),(\d+)\): error (TS\d+): (.*)$`)

// typecheck runs tsc over the project at root and returns its errors. An exit status other than 0 with
// no parsable error is a test failure.
func typecheck(t *testing.T, tsc, root string) []diagnostic {
	t.Helper()
	cmd := exec.Command(tsc, "-p", root, "--noEmit", "--strict", "--pretty", "false")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	var diags []diagnostic
	for _, line := range strings.Split(string(out), "\n") {
		m := diagnosticLine.FindStringSubmatch(strings.TrimRight(line, "\r"))
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[2])
		diags = append(diags, diagnostic{file: filepath.ToSlash(m[1]), line: n, code: m[4], message: m[5]})
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && len(diags) > 0:
	default:
		t.Fatalf("%s -p %s: %v\n%s", tsc, root, err, out)
	}
	return diags
}

func requireClean(t *testing.T, diags []diagnostic) {
	t.Helper()
	if len(diags) == 0 {
		return
	}
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "\n\t%s", d)
	}
	t.Errorf("tsc reported %d errors:%s", len(diags), b.String())
}

// dirs lists the subdirectories of dir, or nothing when dir does not exist.
func dirs(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names
}

// TestTypecheckPrograms compiles every program of testdata/types/ok in each variant: alone, beside
// installed packages, and next to @types/node or @cloudflare/workers-types. None may have an error.
func TestTypecheckPrograms(t *testing.T) {
	tsc := tscPath(t)
	okDir := filepath.Join(testdataDir, "ok")
	names := dirs(t, okDir)
	if len(names) == 0 {
		t.Fatalf("no programs in %s", okDir)
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			var packages string
			if v.npm {
				packages = packagesDir(t)
			}
			for _, name := range names {
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					p := readProject(t, filepath.Join(okDir, name))
					if reason, ok := skippedVariants(t, p)[v.name]; ok {
						t.Skip(reason)
					}
					requireClean(t, typecheck(t, tsc, p.write(t, v.opts, packages)))
				})
			}
		})
	}
}

// skipFile in a program of testdata/types/ok names the variants the program cannot compile in, one per
// line as `<variant>: <reason>`.
const skipFile = "tsc-skip.txt"

func skippedVariants(t *testing.T, p project) map[string]string {
	t.Helper()
	skipped := map[string]string{}
	for _, line := range strings.Split(string(p[skipFile]), "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		name, reason, ok := strings.Cut(line, ":")
		if !ok || !slices.ContainsFunc(variants, func(v variant) bool { return v.name == name }) {
			t.Fatalf("%s: %q is not `<variant>: <reason>` with a known variant", skipFile, line)
		}
		skipped[name] = strings.TrimSpace(reason)
	}
	return skipped
}

// TestTypecheckWithWorkersTypes compiles the programs of testdata/types/with-workers-types, which carry
// their own tsconfig.json naming @cloudflare/workers-types the way the seeds do.
func TestTypecheckWithWorkersTypes(t *testing.T) {
	tsc := tscPath(t)
	packages := packagesDir(t)
	dir := filepath.Join(testdataDir, "with-workers-types")
	for _, name := range dirs(t, dir) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := readProject(t, filepath.Join(dir, name))
			requireClean(t, typecheck(t, tsc, p.write(t, Options{WorkersTypes: true}, packages)))
		})
	}
}

// expectation is an error a wrong program must produce, written on the offending line as
// `// error TS2345: <start of the message>`. Where TypeScript versions report the same mistake under
// different codes, the comment lists them: `// error TS2307|TS2591: Cannot find`.
type expectation struct {
	file    string
	line    int
	codes   []string
	message string
}

var expectationComment = regexp.MustCompile(`//\s*error (TS\d+(?:\|TS\d+)*):\s*(.+?)\s*$`)

func expectations(p project) []expectation {
	var want []expectation
	for name, data := range p {
		if !strings.HasSuffix(name, ".ts") {
			continue
		}
		for i, line := range strings.Split(string(data), "\n") {
			if m := expectationComment.FindStringSubmatch(line); m != nil {
				want = append(want, expectation{file: name, line: i + 1, codes: strings.Split(m[1], "|"), message: m[2]})
			}
		}
	}
	sort.Slice(want, func(i, j int) bool {
		if want[i].file != want[j].file {
			return want[i].file < want[j].file
		}
		return want[i].line < want[j].line
	})
	return want
}

// TestTypecheckWrongPrograms compiles every program of testdata/types/bad: each must fail with exactly
// the errors its `// error TSnnnn: …` comments announce, on those lines, and no other.
func TestTypecheckWrongPrograms(t *testing.T) {
	tsc := tscPath(t)
	badDir := filepath.Join(testdataDir, "bad")
	names := dirs(t, badDir)
	if len(names) == 0 {
		t.Fatalf("no programs in %s", badDir)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := readProject(t, filepath.Join(badDir, name))
			want := expectations(p)
			if len(want) == 0 {
				t.Fatalf("%s announces no error: add `// error TSnnnn: message` to the offending lines", name)
			}
			root := p.write(t, Options{}, "")
			got := map[string][]diagnostic{} // by file:line
			for _, d := range typecheck(t, tsc, root) {
				key := fmt.Sprintf("%s:%d", d.file, d.line)
				got[key] = append(got[key], d)
			}
			for _, w := range want {
				key := fmt.Sprintf("%s:%d", w.file, w.line)
				ds := got[key]
				i := slices.IndexFunc(ds, func(d diagnostic) bool { return slices.Contains(w.codes, d.code) })
				if i < 0 {
					t.Errorf("%s:%d: want %s %q, tsc reported %v", w.file, w.line, strings.Join(w.codes, "|"), w.message, ds)
					continue
				}
				if !strings.HasPrefix(ds[i].message, w.message) {
					t.Errorf("%s:%d: %s message\n\tgot:  %s\n\twant: %s…", w.file, w.line, ds[i].code, ds[i].message, w.message)
				}
				got[key] = slices.Delete(ds, i, i+1)
			}
			for _, ds := range got {
				for _, d := range ds {
					t.Errorf("unexpected error %s", d)
				}
			}
		})
	}
}

// TestTypecheckExamples compiles every example program (examples/<name>/ with an alchemy.run.ts).
func TestTypecheckExamples(t *testing.T) {
	tsc := tscPath(t)
	for _, name := range dirs(t, examplesDir) {
		dir := filepath.Join(examplesDir, name)
		if _, err := os.Stat(filepath.Join(dir, "alchemy.run.ts")); err != nil {
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := readProject(t, dir)
			for name := range p {
				if strings.HasPrefix(name, "node_modules/") || strings.HasPrefix(name, ".alchemy/") {
					delete(p, name)
				}
			}
			requireClean(t, typecheck(t, tsc, p.write(t, Options{}, "")))
		})
	}
}

// skipMarker in the comment of a testscript archive leaves its TypeScript files unchecked, with the
// reason: `# tsc: skip <reason>`. Archives whose programs are wrong on purpose (syntax errors, type errors
// the run must report) say so; every other program must compile.
var skipMarker = regexp.MustCompile(`(?m)^#\s*tsc:\s*skip\b[ \t]*(.*)$`)

// TestTypecheckScriptPrograms compiles the TypeScript files of each testscript archive in
// testdata/scripts as one project, unless the archive's comment opts out with `# tsc: skip <reason>`.
func TestTypecheckScriptPrograms(t *testing.T) {
	tsc := tscPath(t)
	archives, err := filepath.Glob(filepath.Join(scriptsDir, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, path := range archives {
		ar, err := txtar.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		p := project{}
		hasTS := false
		for _, f := range ar.Files {
			p[f.Name] = f.Data
			hasTS = hasTS || strings.HasSuffix(f.Name, ".ts")
		}
		if !hasTS {
			continue
		}
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		if m := skipMarker.FindSubmatch(ar.Comment); m != nil {
			if len(bytes.TrimSpace(m[1])) == 0 {
				t.Errorf("%s: `# tsc: skip` needs a reason", name)
			}
			continue
		}
		checked++
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			requireClean(t, typecheck(t, tsc, p.write(t, Options{}, "")))
		})
	}
	if checked == 0 {
		t.Errorf("no testscript program in %s was checked", scriptsDir)
	}
}

// TestExpectationComments checks the parser of `// error TSnnnn: …` comments.
func TestExpectationComments(t *testing.T) {
	p := project{
		"a.ts":   []byte("const x = 1;\nenv.KV.put(1, \"x\"); // error TS2345: Argument of type 'number'\n"),
		"b.js":   []byte("// error TS1111: not TypeScript\n"),
		"c/d.ts": []byte("import \"node:vm\"; // error TS2307|TS2591:   Cannot find  \n"),
	}
	got := expectations(p)
	want := []expectation{
		{file: "a.ts", line: 2, codes: []string{"TS2345"}, message: "Argument of type 'number'"},
		{file: "c/d.ts", line: 1, codes: []string{"TS2307", "TS2591"}, message: "Cannot find"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("expectations = %v, want %v", got, want)
	}
}
