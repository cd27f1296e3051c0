package testrun

import (
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/jsapi"
)

// infraTest is a test file whose resources are JS-defined: the handler
// logs each create and delete, so the test sees what exists.
const infraTest = `
import alchemy, { destroy, Resource } from "alchemy";
import "alchemy/test/vitest";
import { describe, expect } from "vitest";

const deployed = new Set<string>();
const Thing = Resource("test::Thing", async function (this: any, id: string, props?: { n?: number }) {
  if (this.phase === "delete") {
    deployed.delete(this.fqn);
    console.log("deleted " + this.fqn);
    return this.destroy();
  }
  deployed.add(this.fqn);
  return this({ name: id, n: props?.n ?? 0 });
});
const test = alchemy.test(import.meta, { prefix: "ci" });
let shared: any;

test.beforeAll(async (scope) => {
  shared = await Thing("shared", { n: 1 });
  expect(scope.chain).toEqual(["ci-infra.test.ts"]);
});

test("top", async (scope) => {
  await Thing("a");
  expect(scope.chain).toEqual(["ci-infra.test.ts", "ci", "top"]);
  expect(scope.fqn("a")).toBe("ci-infra.test.ts/ci/top/a");
  expect(shared.n).toBe(1);
  expect([...deployed].sort()).toEqual(["ci-infra.test.ts/ci/shared", "ci-infra.test.ts/ci/top/a"]);
});

describe("group", () => {
  describe("inner: deep", () => {
    test("destroys its scope", async (scope) => {
      expect(scope.chain).toEqual(["ci-infra.test.ts", "ci", "group/inner- deep/destroys its scope"]);
      await Thing("b");
      await destroy(scope);
      expect(deployed.has(scope.fqn("b"))).toBe(false);
    });
  });
  test("fails", async () => {
    await Thing("c");
    expect(1).toBe(2);
  });
  test("sees the failed test cleaned up", async () => {
    expect([...deployed].sort()).toEqual(["ci-infra.test.ts/ci/shared", "ci-infra.test.ts/ci/top/a"]);
  });
  test.skipIf(true)("skipped", async () => {
    throw new Error("never");
  });
});
`

func records(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".json") {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func TestAlchemyTest(t *testing.T) {
	state := t.TempDir()
	api := jsapi.New(jsapi.Config{Defaults: jsapi.Defaults{Stage: "ci", RootDir: state}})
	out := runFiles(t, map[string]string{"infra.test.ts": infraTest}, "infra.test.ts", Options{}, api.Modules()...)
	if err := api.Close(); err != nil {
		t.Fatal(err)
	}
	checkSummary(t, out.FileResult,
		"passed top",
		"passed group > inner: deep > destroys its scope",
		"failed group > fails",
		"passed group > sees the failed test cleaned up",
		"skipped group > skipped [skip]",
	)
	for _, fqn := range []string{
		"ci-infra.test.ts/ci/group/inner- deep/destroys its scope/b",
		"ci-infra.test.ts/ci/group/fails/c",
		"ci-infra.test.ts/ci/top/a",
		"ci-infra.test.ts/ci/shared",
	} {
		if !strings.Contains(out.stdout, "deleted "+fqn+"\n") {
			t.Errorf("%s was not deleted; output:\n%s", fqn, out.stdout)
		}
	}
	if left := records(t, state); len(left) > 0 {
		t.Errorf("state left behind: %q", left)
	}
}

func TestAlchemyTestKeep(t *testing.T) {
	state := t.TempDir()
	api := jsapi.New(jsapi.Config{Defaults: jsapi.Defaults{Stage: "ci", RootDir: state}})
	out := runFiles(t, map[string]string{"infra.test.ts": infraTest}, "infra.test.ts", Options{Keep: true}, api.Modules()...)
	if err := api.Close(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.stdout, "deleted ci-infra.test.ts/ci/group/fails/c") {
		t.Errorf("--keep: the failed test's resource was deleted:\n%s", out.stdout)
	}
	got := records(t, state)
	for _, want := range []string{
		".alchemy/ci-infra.test.ts/ci/group/fails/c.json",
		".alchemy/ci-infra.test.ts/ci/shared.json",
		".alchemy/ci-infra.test.ts/ci/top/a.json",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("--keep: %s is missing from the state: %q", want, got)
		}
	}
}

func TestAlchemyTestOptions(t *testing.T) {
	api := jsapi.New(jsapi.Config{Defaults: jsapi.Defaults{Stage: "ci", RootDir: t.TempDir()}})
	defer api.Close()
	out := runFiles(t, map[string]string{"opts.test.ts": `
import alchemy from "alchemy";
import { test as alchemyTest } from "alchemy/test/vitest";
import { expect, test } from "vitest";

test("alchemy.test is the module's test", () => {
  expect((alchemy as any).test).toBe(alchemyTest);
});
test("import.meta is required", () => {
  expect(() => alchemyTest(undefined as any)).toThrow(/pass the test file's import.meta/);
});
`}, "opts.test.ts", Options{}, api.Modules()...)
	checkSummary(t, out.FileResult, "passed alchemy.test is the module's test", "passed import.meta is required")
}

// alchemy.test's stateStore option is the store of the file's app: records
// go where it says, not to the file's own state directory; a function that
// returns anything but a store of alchemy/state fails the file's tests with
// the option named.
func TestAlchemyTestStateStore(t *testing.T) {
	kept := t.TempDir()
	program := func(store string) string {
		return `
import alchemy, { Resource } from "alchemy";
import "alchemy/test/vitest";
import { FileSystemStateStore } from "alchemy/state";
const Thing = Resource("test::Thing", async function (this: any, id: string) {
  if (this.phase === "delete") return this.destroy();
  return this({ name: id });
});
const test = alchemy.test(import.meta, { stateStore: ` + store + ` });
test("stores", async () => {
  await Thing("a");
});
`
	}
	for _, c := range []struct {
		name, store, want string
	}{
		{"file store", "(scope) => new FileSystemStateStore(scope, { rootDir: " + strconv.Quote(kept) + " })", "passed stores"},
		{"own store", "(() => ({ get() {} })) as any", "option stateStore is not supported"},
	} {
		t.Run(c.name, func(t *testing.T) {
			stateDir := t.TempDir()
			api := jsapi.New(jsapi.Config{Defaults: jsapi.Defaults{Stage: "ci", RootDir: stateDir, StateDir: filepath.Join(stateDir, ".alchemy")}})
			out := runFiles(t, map[string]string{"state.test.ts": program(c.store)}, "state.test.ts", Options{Keep: true},
				api.Modules()...)
			if err := api.Close(); err != nil {
				t.Fatal(err)
			}
			var reports []string
			for _, r := range out.Results {
				reports = append(reports, strings.Join(summary(FileResult{Results: []Result{r}}), ""))
				if r.Failure != nil {
					reports = append(reports, r.Failure.Report)
				}
			}
			if got := strings.Join(reports, "\n"); !strings.Contains(got, c.want) {
				t.Errorf("want %q in the results:\n%s\n%s", c.want, got, out.stdout)
			}
			if left := records(t, stateDir); len(left) > 0 {
				t.Errorf("records in the file's own state directory: %q", left)
			}
		})
	}
	if got := records(t, kept); !slices.Contains(got, "state.test.ts/ci/stores/a.json") {
		t.Errorf("records of the given store: %q", got)
	}
}
