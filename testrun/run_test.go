package testrun

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alchemy-go/alchemy/bundler"
	"github.com/alchemy-go/alchemy/runtime"
)

// fileOutcome is what runFiles returns: the results and the console output.
type fileOutcome struct {
	FileResult
	stdout string
}

// runFiles writes files into a temporary directory, bundles entry and
// runs it with the test modules (and extra ones).
func runFiles(t *testing.T, files map[string]string, entry string, opts Options, extra ...runtime.Module) fileOutcome {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	reg := runtime.NewRegistry()
	for _, m := range append(Modules(), extra...) {
		if err := reg.Register(m); err != nil {
			t.Fatal(err)
		}
	}
	virtual := map[string]bundler.VirtualModule{}
	for _, m := range reg.Modules() {
		for _, spec := range m.Specifiers() {
			virtual[spec] = bundler.VirtualModule{Exports: m.Exports, Default: m.Default}
		}
	}
	var stdout bytes.Buffer
	h := runtime.New(runtime.Config{Dir: dir, Modules: reg, Stdout: &stdout, Stderr: &stdout})
	res, err := bundler.Bundle(bundler.Options{Entry: entry, Dir: dir, Modules: virtual})
	if err != nil {
		t.Fatalf("bundle: %v", err)
	}
	if opts.File == "" {
		opts.File = entry
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	fr := RunFile(ctx, h, runtime.Script{Code: res.Code, SourceMap: res.SourceMap, File: res.File, Entry: filepath.Join(dir, entry)}, opts)
	return fileOutcome{FileResult: fr, stdout: stdout.String()}
}

func runSource(t *testing.T, src string, opts Options) FileResult {
	t.Helper()
	return runFiles(t, map[string]string{"a.test.ts": src}, "a.test.ts", opts).FileResult
}

// summary lists results as "state full name" (with the reason of a skip or
// of a failure outside a test).
func summary(fr FileResult) []string {
	var out []string
	for _, r := range fr.Results {
		parts := []string{string(r.State)}
		if r.FullName() != "" {
			parts = append(parts, r.FullName())
		}
		if r.Reason != "" {
			parts = append(parts, "["+r.Reason+"]")
		}
		out = append(out, strings.Join(parts, " "))
	}
	return out
}

func checkSummary(t *testing.T, fr FileResult, want ...string) {
	t.Helper()
	if got := summary(fr); !slices.Equal(got, want) {
		var failures []string
		for _, r := range fr.Results {
			if r.Failure != nil {
				failures = append(failures, r.Failure.Report)
			}
		}
		t.Errorf("results:\n  %s\nwant:\n  %s\nfailures:\n%s", strings.Join(got, "\n  "), strings.Join(want, "\n  "), strings.Join(failures, "\n"))
	}
}

func find(t *testing.T, fr FileResult, fullName string) Result {
	t.Helper()
	for _, r := range fr.Results {
		if r.FullName() == fullName {
			return r
		}
	}
	t.Fatalf("no result %q in %q", fullName, summary(fr))
	return Result{}
}

func TestRunStructure(t *testing.T) {
	src := `
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test } from "vitest";

const log: string[] = [];
beforeAll(() => { log.push("beforeAll"); });
beforeEach(() => { log.push("beforeEach"); return () => log.push("beforeEach cleanup"); });
afterEach(() => { log.push("afterEach"); });

test("first", () => { log.push("first"); });
describe("outer", () => {
  beforeAll(async () => { await new Promise((r) => setTimeout(r, 5)); log.push("outer beforeAll"); });
  beforeEach(() => { log.push("outer beforeEach"); });
  afterEach(() => { log.push("outer afterEach"); });
  afterAll(() => { log.push("outer afterAll"); });
  it("second", () => { log.push("second"); });
  describe("inner", () => {
    test("third", async () => { log.push("third"); });
  });
  test.skip("skipped", () => { throw new Error("never"); });
  test.todo("later");
  test.skipIf(true)("skipIf true", () => {});
  test.skipIf(false)("skipIf false", () => {});
  test.runIf(false)("runIf false", () => {});
  test.runIf(1)("runIf 1", () => {});
  test("no body");
});
describe.skip("skipped suite", () => {
  test("inside", () => { throw new Error("never"); });
});
describe.todo("planned suite");
describe("order", () => {
  test("was", () => {
    expect(log).toEqual([
      "beforeAll",
      "beforeEach", "first", "afterEach", "beforeEach cleanup",
      "outer beforeAll",
      "beforeEach", "outer beforeEach", "second", "outer afterEach", "afterEach", "beforeEach cleanup",
      "beforeEach", "outer beforeEach", "third", "outer afterEach", "afterEach", "beforeEach cleanup",
      "beforeEach", "outer beforeEach", "outer afterEach", "afterEach", "beforeEach cleanup",
      "beforeEach", "outer beforeEach", "outer afterEach", "afterEach", "beforeEach cleanup",
      "outer afterAll",
      "beforeEach",
    ]);
  });
});
`
	fr := runSource(t, src, Options{})
	checkSummary(t, fr,
		"passed first",
		"passed outer > second",
		"passed outer > inner > third",
		"skipped outer > skipped [skip]",
		"todo outer > later [todo]",
		"skipped outer > skipIf true [skip]",
		"passed outer > skipIf false",
		"skipped outer > runIf false [skip]",
		"passed outer > runIf 1",
		"todo outer > no body [todo]",
		"skipped skipped suite > inside [skip]",
		"todo planned suite [todo]",
		"passed order > was",
	)
}

func TestRunOnlyFilterEach(t *testing.T) {
	src := `
import { describe, expect, test } from "vitest";

test("not focused", () => {});
test.only("focused", () => {});
describe.only("focused suite", () => {
  test("runs", () => {});
  test.skip("still skipped", () => {});
});
describe("each", () => {
  test.only.each([[1, 2, 3], [2, 2, 4]])("add(%i, %i) = %d #%#", (a, b, sum) => { expect(a + b).toBe(sum); });
  test.only.each([{ name: "kv", size: 2 }])("case $name of size $size, %% done", ({ name, size }) => { expect(name).toHaveLength(size); });
  test.only.each(["x", "y"])("letter %j", (l) => { expect(typeof l).toBe("string"); });
});
`
	fr := runSource(t, src, Options{})
	checkSummary(t, fr,
		"skipped not focused [filtered]",
		"passed focused",
		"passed focused suite > runs",
		"skipped focused suite > still skipped [skip]",
		"passed each > add(1, 2) = 3 #0",
		"passed each > add(2, 2) = 4 #1",
		`passed each > case kv of size 2, % done`,
		`passed each > letter "x"`,
		`passed each > letter "y"`,
	)

	filtered := runSource(t, `
import { describe, test } from "vitest";
describe("kv", () => { test("get", () => {}); test("put", () => {}); });
describe("r2", () => { test("get", () => {}); });
`, Options{Filter: func(path []string) bool { return strings.Join(path, " ") == "kv get" || path[0] == "r2" }})
	checkSummary(t, filtered, "passed kv > get", "skipped kv > put [filtered]", "passed r2 > get")
}

func TestRunFailures(t *testing.T) {
	src := `import { describe, expect, test } from "vitest";

describe("math", () => {
  test("adds", () => {
    expect(1 + 2).toBe(4);
  });
  test("objects", () => {
    expect({ a: 1, list: [1, 2], nested: { deep: true } }).toEqual({ a: 1, list: [1, 3], nested: { deep: true } });
  });
  test("resolves", async () => {
    await expect(Promise.resolve("x")).resolves.toBe("y");
  });
  test("throws", () => {
    JSON.parse("{");
  });
  test("times out", async () => {
    await new Promise((r) => setTimeout(r, 10_000));
  }, 30);
  test("retried", { retry: 2 }, () => {
    attempts++;
    expect(attempts).toBe(3);
  });
});
let attempts = 0;
`
	fr := runSource(t, src, Options{})
	checkSummary(t, fr, "failed math > adds", "failed math > objects", "failed math > resolves", "failed math > throws",
		"failed math > times out", "passed math > retried")

	adds := find(t, fr, "math > adds").Failure
	if adds.Message != "AssertionError: expected 3 to be 4 (Object.is)" {
		t.Errorf("message %q", adds.Message)
	}
	if *adds.Location != (Location{File: "a.test.ts", Line: 5, Column: 19}) {
		t.Errorf("location %+v", *adds.Location)
	}
	if adds.Diff != "Expected: 4\nReceived: 3" {
		t.Errorf("diff %q", adds.Diff)
	}
	if !strings.Contains(adds.Report, "a.test.ts:5:19: error: AssertionError") || !strings.Contains(adds.Report, "  5 |     expect(1 + 2).toBe(4);") {
		t.Errorf("report:\n%s", adds.Report)
	}

	objects := find(t, fr, "math > objects").Failure
	wantDiff := strings.Join([]string{
		"- Expected",
		"+ Received",
		"",
		"  {",
		`    "a": 1,`,
		`    "list": [`,
		"      1,",
		"-     3,",
		"+     2,",
		"    ],",
		`    "nested": {`,
		`      "deep": true,`,
		"    },",
		"  }",
	}, "\n")
	if objects.Diff != wantDiff {
		t.Errorf("diff:\n%s\nwant:\n%s", objects.Diff, wantDiff)
	}

	resolves := find(t, fr, "math > resolves").Failure
	if resolves.Location == nil || resolves.Location.Line != 11 {
		t.Errorf("resolves: the location should be the line of the expect call, got %+v", resolves.Location)
	}
	throws := find(t, fr, "math > throws").Failure
	if !strings.HasPrefix(throws.Message, "SyntaxError") || throws.Location == nil || throws.Location.Line != 14 {
		t.Errorf("throws: %q at %+v", throws.Message, throws.Location)
	}
	timeout := find(t, fr, "math > times out")
	if timeout.Failure.Message != "Error: test timed out after 30 ms" || timeout.Failure.Location.Line != 16 {
		t.Errorf("timeout: %q at %+v", timeout.Failure.Message, timeout.Failure.Location)
	}
}

func TestRunHookAndFileFailures(t *testing.T) {
	t.Run("beforeAll fails the tests of its suite", func(t *testing.T) {
		fr := runSource(t, `
import { afterAll, beforeAll, describe, test } from "vitest";
describe("db", () => {
  beforeAll(() => { throw new Error("no database"); });
  afterAll(() => { throw new Error("after too"); });
  test("one", () => {});
  test.skip("skipped", () => {});
});
test("outside", () => {});
`, Options{})
		checkSummary(t, fr, "failed db > one", "skipped db > skipped [skip]", "failed db [afterAll]", "passed outside")
		if m := find(t, fr, "db > one").Failure.Message; m != "Error: no database" {
			t.Errorf("message %q", m)
		}
	})
	t.Run("a throwing describe", func(t *testing.T) {
		fr := runSource(t, `
import { describe, test } from "vitest";
describe("broken", () => { test("never", () => {}); throw new Error("bad describe"); });
test("fine", () => {});
`, Options{})
		checkSummary(t, fr, "failed broken [describe]", "skipped broken > never [filtered]", "passed fine")
	})
	t.Run("the top level throws", func(t *testing.T) {
		fr := runSource(t, `
import { test } from "vitest";
test("never", () => {});
throw new Error("top level");
`, Options{})
		checkSummary(t, fr, "failed [load]")
		if f := fr.Results[0].Failure; f.Location == nil || f.Location.Line != 4 {
			t.Errorf("location %+v", f.Location)
		}
	})
	t.Run("an unhandled rejection ends the file", func(t *testing.T) {
		fr := runSource(t, `
import { test } from "vitest";
test("forgets to await", () => { Promise.reject(new Error("lost")); });
test("later", async () => { await new Promise((r) => setTimeout(r, 50)); });
`, Options{})
		got := summary(fr)
		if len(got) == 0 || got[len(got)-1] != "failed [uncaught]" {
			t.Errorf("results %q", got)
		}
	})
	t.Run("timers left behind do not keep the file alive", func(t *testing.T) {
		start := time.Now()
		fr := runSource(t, `
import { test } from "vitest";
test("starts an interval", () => { setInterval(() => {}, 60_000); });
`, Options{})
		checkSummary(t, fr, "passed starts an interval")
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("took %v", d)
		}
	})
	t.Run("hooks cannot be added while tests run", func(t *testing.T) {
		fr := runSource(t, `
import { beforeEach, test } from "vitest";
test("late", () => { beforeEach(() => {}); });
`, Options{})
		if m := find(t, fr, "late").Failure.Message; !strings.Contains(m, "must be called while the file's tests are collected") {
			t.Errorf("message %q", m)
		}
	})
}

func TestRunBailAndGlobals(t *testing.T) {
	var bail atomic.Bool
	var streamed []string
	fr := runSource(t, `
test("ok", () => expect(1).toBe(1));
test("fails", () => expect(1).toBe(2));
test("not run", () => {});
`, Options{Bail: &bail, Globals: true, OnResult: func(r Result) { streamed = append(streamed, r.Name) }})
	checkSummary(t, fr, "passed ok", "failed fails", "skipped not run [bail]")
	if !bail.Load() {
		t.Error("bail not raised")
	}
	if !slices.Equal(streamed, []string{"ok", "fails", "not run"}) {
		t.Errorf("streamed %q", streamed)
	}
	without := runSource(t, `test("x", () => {});`, Options{})
	if r := without.Results[0]; r.Reason != "load" || !strings.Contains(r.Failure.Message, "test is not defined") {
		t.Errorf("without globals: %+v", r.Failure)
	}
}
