// Command alchemytest measures `alchemy test` on a file of 20 infrastructure
// tests, each creating a KV namespace and a Worker bound to it on the
// in-process local Cloudflare, checking them and destroying its scope: the
// wall time of the whole command (start, bundling, local Cloudflare, all
// tests, cleanup, exit), median and spread over several runs, with the CPU
// time and peak RSS of the process and the machine's load average.
//
//	go run ./bench/alchemytest [-n 10] [-tests 20] [-alchemy path/to/alchemy]
//	go run ./bench/alchemytest -write DIR    # only write the test file, to profile it
//
// Without -alchemy it builds the binary first (stripped, as released).
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/alchemy-go/alchemy/bench/internal/measure"
)

func main() {
	n := flag.Int("n", 10, "runs of alchemy test")
	tests := flag.Int("tests", 20, "tests in the file")
	bin := flag.String("alchemy", "", "alchemy binary (default: build ./cmd/alchemy)")
	write := flag.String("write", "", "only write the test file into this directory")
	flag.Parse()
	if *write != "" {
		if err := writeTests(*write, *tests); err != nil {
			fmt.Fprintln(os.Stderr, "alchemytest:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*n, *tests, *bin); err != nil {
		fmt.Fprintln(os.Stderr, "alchemytest:", err)
		os.Exit(1)
	}
}

// testFile is the benchmark: each test makes a namespace with a value, a
// Worker that reads it, asks the Worker, then destroys its scope.
func testFile(tests int) string {
	var b strings.Builder
	b.WriteString(`import alchemy, { destroy } from "alchemy";
import { KVNamespace, Worker } from "alchemy/cloudflare";
import "alchemy/test/vitest";
import { expect } from "vitest";

const test = alchemy.test(import.meta);
const script = "export default { async fetch(req, env) { return new Response(await env.KV.get('k')) } }";

`)
	for i := range tests {
		fmt.Fprintf(&b, `test("t%d", async (scope) => {
  const kv = await KVNamespace("kv", { values: [{ key: "k", value: "v%d" }] });
  const worker = await Worker("w", { script, bindings: { KV: kv } });
  expect(await (await fetch(worker.url!)).text()).toBe("v%d");
  await destroy(scope);
});
`, i, i, i)
	}
	return b.String()
}

func writeTests(dir string, tests int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "bench.test.ts"), []byte(testFile(tests)), 0o644)
}

var passedLine = regexp.MustCompile(`(?m)^(\d+) passed, 0 failed$`)

func run(n, tests int, bin string) error {
	dir, bin, err := measure.Workdir("alchemy-testbench-", bin)
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	project := filepath.Join(dir, "project")
	if err := writeTests(project, tests); err != nil {
		return err
	}
	fmt.Printf("alchemy test: %d tests, each creating and destroying a KV namespace and a Worker (and fetching from it), %d runs\n", tests, n)
	fmt.Printf("load average before: %s\n", measure.LoadAverage())
	var s measure.Samples
	for range n {
		cmd := exec.Command(bin, "test")
		cmd.Dir = project
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		start := time.Now()
		out, err := cmd.CombinedOutput()
		wall := time.Since(start)
		m := passedLine.FindSubmatch(out)
		if err != nil || m == nil || string(m[1]) != fmt.Sprint(tests) {
			return fmt.Errorf("alchemy test failed: %v\n%s", err, out)
		}
		s.Add(wall, cmd.ProcessState)
	}
	var cpu time.Duration
	for _, c := range s.CPU {
		cpu += c
	}
	fmt.Printf("wall: median %v, min %v, max %v\n", measure.Median(s.Wall).Round(time.Millisecond),
		slices.Min(s.Wall).Round(time.Millisecond), slices.Max(s.Wall).Round(time.Millisecond))
	fmt.Printf("CPU per run: %v, peak RSS: %.1f MiB\n", (cpu / time.Duration(n)).Round(time.Millisecond), measure.MiB(slices.Max(s.RSS)))
	fmt.Printf("load average after: %s\n", measure.LoadAverage())
	return nil
}
