// Command coldrun measures a cold `alchemy run` of a small program (ten
// imported files, a hundred awaited Go-backed async calls) against
// `node -e 0`, in the same run: median wall time and peak RSS of each, and
// their ratio.
//
//	go run ./bench/coldrun [-n 30] [-alchemy path/to/alchemy] [-node node] [-floor]
//	go run ./bench/coldrun -write DIR    # only write the program, to profile it
//
// Without -alchemy it builds the binary first (stripped, as released).
// -floor also builds and measures ./bench/coldrun/floor: a process linking
// the same libraries that only bundles the program and creates a goja
// runtime, the part of a cold run no change to alchemy's own code removes.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/alchemy-go/alchemy/bench/internal/measure"
)

func main() {
	n := flag.Int("n", 30, "runs of each command")
	bin := flag.String("alchemy", "", "alchemy binary (default: build ./cmd/alchemy)")
	node := flag.String("node", "node", "node binary to compare with (empty to skip)")
	write := flag.String("write", "", "only write the benchmark program into this directory")
	floor := flag.Bool("floor", false, "also measure the floor: the libraries' start-up and the bundling alone (bench/coldrun/floor)")
	flag.Parse()
	if *write != "" {
		if _, err := writeProgram(*write); err != nil {
			fmt.Fprintln(os.Stderr, "coldrun:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*n, *bin, *node, *floor); err != nil {
		fmt.Fprintln(os.Stderr, "coldrun:", err)
		os.Exit(1)
	}
}

func run(n int, bin, node string, floor bool) error {
	dir, bin, err := measure.Workdir("alchemy-coldrun-", bin)
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	prog, err := writeProgram(filepath.Join(dir, "app"))
	if err != nil {
		return err
	}
	alchemy := []string{bin, "run", prog}
	if out, err := exec.Command(alchemy[0], alchemy[1:]...).CombinedOutput(); err != nil || !strings.Contains(string(out), "done 100") {
		return fmt.Errorf("program failed: %v\n%s", err, out)
	}
	fmt.Printf("cold run of a program with 10 imports and 100 awaited async calls, %d runs each\n", n)
	a, err := timeRuns(n, alchemy)
	if err != nil {
		return err
	}
	a.print("alchemy run")
	if floor {
		f, err := measureFloor(n, dir, prog)
		if err != nil {
			return err
		}
		f.print("floor")
		fmt.Printf("alchemy run above the floor: wall %.1f ms, peak RSS %.1f MiB\n",
			measure.Millis(a.wall-f.wall), measure.MiB(a.rss-f.rss))
	}
	if node == "" {
		return nil
	}
	nd, err := timeRuns(n, []string{node, "-e", "0"})
	if err != nil {
		return fmt.Errorf("node: %w", err)
	}
	nd.print("node -e 0")
	fmt.Printf("ratio alchemy/node: wall %.2f, CPU %.2f, peak RSS %.2f\n",
		float64(a.wall)/float64(nd.wall), float64(a.cpu)/float64(nd.cpu), float64(a.rss)/float64(nd.rss))
	return nil
}

// measureFloor builds ./bench/coldrun/floor into dir, stripped as alchemy
// is, and times it on prog.
func measureFloor(n int, dir, prog string) (result, error) {
	bin := filepath.Join(dir, "floor")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "./bench/coldrun/floor")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return result{}, fmt.Errorf("build ./bench/coldrun/floor: %w", err)
	}
	return timeRuns(n, []string{bin, prog})
}

// writeProgram writes the benchmark program: alchemy.run.ts importing ten
// modules, each exporting an async function that awaits node:fs/promises.
func writeProgram(dir string) (string, error) {
	if err := os.MkdirAll(filepath.Join(dir, "lib"), 0o755); err != nil {
		return "", err
	}
	var main strings.Builder
	main.WriteString("import { readFile } from \"node:fs/promises\";\n")
	for i := 0; i < 10; i++ {
		mod := fmt.Sprintf(`import { stat } from "node:fs/promises";
export const name%d: string = "m%d";
export async function step%d(path: string): Promise<number> {
  const s = await stat(path);
  return s.size + %d;
}
`, i, i, i, i)
		if err := os.WriteFile(filepath.Join(dir, "lib", fmt.Sprintf("m%d.ts", i)), []byte(mod), 0o644); err != nil {
			return "", err
		}
		fmt.Fprintf(&main, "import { step%d } from \"./lib/m%d\";\n", i, i)
	}
	main.WriteString("const steps = [step0, step1, step2, step3, step4, step5, step6, step7, step8, step9];\n")
	main.WriteString("let calls = 0;\nfor (let i = 0; i < 100; i++) {\n  await steps[i % 10](import.meta.filename);\n  calls++;\n}\n")
	main.WriteString("await readFile(import.meta.filename, \"utf8\");\nconsole.log(`done ${calls}`);\n")
	prog := filepath.Join(dir, "alchemy.run.ts")
	return prog, os.WriteFile(prog, []byte(main.String()), 0o644)
}

type result struct {
	wall time.Duration // median
	rss  int64         // median peak RSS, bytes
	min  time.Duration
	cpu  time.Duration // median user+sys CPU time
}

func (r result) print(name string) {
	fmt.Printf("%-12s median wall %6.1f ms (min %6.1f ms), median CPU %6.1f ms, median peak RSS %5.1f MiB\n",
		name, measure.Millis(r.wall), measure.Millis(r.min), measure.Millis(r.cpu), measure.MiB(r.rss))
}

// timeRuns runs argv n+1 times and sums up all but the first, which only
// warms the file cache.
func timeRuns(n int, argv []string) (result, error) {
	var s measure.Samples
	for i := 0; i < n+1; i++ {
		cmd := exec.Command(argv[0], argv[1:]...)
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return result{}, fmt.Errorf("%s: %w", strings.Join(argv, " "), err)
		}
		if i > 0 {
			s.Add(time.Since(start), cmd.ProcessState)
		}
	}
	return result{wall: measure.Median(s.Wall), min: slices.Min(s.Wall), cpu: measure.Median(s.CPU), rss: measure.Median(s.RSS)}, nil
}
