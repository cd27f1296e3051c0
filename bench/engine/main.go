// Command engine measures `alchemy run` on programs with many resources
// defined in JS (Resource(kind, handler)):
//
//   - a no-op re-run (every resource skipped) of 1,000 and of 10,000
//     resources, and the ratio of the two;
//   - `--destroy` of 1,000 resources whose delete handlers each wait 20 ms.
//
// Each figure is the median of -n runs of the real binary: process wall
// time, CPU time (user+sys) and the engine's own time from the summary line.
// The state each run starts from is made beforehand by this command running
// the program in a child process (in-process runner, without fsync, which
// only makes the setup slow); a child, so that the peak RSS the timed runs
// report is not inflated by this process's heap, which a fork inherits.
//
//	go run ./bench/engine [-n 5] [-alchemy path/to/alchemy]
//	go run ./bench/engine -cpuprofile cpu.out [-size 10000]   # profile a no-op run in-process
//
// Without -alchemy it builds the binary first (stripped, as released).
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/alchemy-go/alchemy/bench/internal/measure"
	"github.com/alchemy-go/alchemy/bundler"
	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/jsapi"
	"github.com/alchemy-go/alchemy/providers/fs"
	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/nodelib"
	"github.com/alchemy-go/alchemy/runtime/webapi"
	"github.com/alchemy-go/alchemy/state"
)

func main() {
	n := flag.Int("n", 5, "timed runs of each measurement")
	bin := flag.String("alchemy", "", "alchemy binary (default: build ./cmd/alchemy)")
	cpuprofile := flag.String("cpuprofile", "", "profile one in-process no-op run into this file instead")
	size := flag.Int("size", 10000, "resources of the profiled run (or of -setup)")
	setupDir := flag.String("setup", "", "only run the program of this directory in-process (used by the benchmark itself)")
	flag.Parse()
	var err error
	switch {
	case *setupDir != "":
		_, err = runInProcess(*setupDir, *size, nil)
	case *cpuprofile != "":
		err = profile(*cpuprofile, *size)
	default:
		err = run(*n, *bin)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench/engine:", err)
		os.Exit(1)
	}
}

// noopProgram defines a kind in JS and starts N resources of it at once.
const noopProgram = `import alchemy, { Resource } from "alchemy";

const Thing = Resource("bench::Thing", async function (id, props) {
  if (this.phase === "delete") return this.destroy();
  return this({ name: props.name, size: props.size, tags: props.tags });
});

const n = Number(process.env.N);
const app = await alchemy("bench", { stage: "dev", quiet: true });
const all = [];
for (let i = 0; i < n; i++) {
  all.push(Thing("r" + i, { name: "resource-" + i, size: i, tags: ["a", "b"], nested: { ok: true } }));
}
await Promise.all(all);
await app.finalize();
`

// slowDeleteProgram is the same with delete handlers that wait 20 ms.
const slowDeleteProgram = `import alchemy, { Resource } from "alchemy";

const Slow = Resource("bench::Slow", async function (id, props) {
  if (this.phase === "delete") {
    await new Promise((resolve) => setTimeout(resolve, 20));
    return this.destroy();
  }
  return this({ i: props.i });
});

const n = Number(process.env.N);
const app = await alchemy("bench", { stage: "dev", quiet: true });
const all = [];
for (let i = 0; i < n; i++) all.push(Slow("s" + i, { i }));
await Promise.all(all);
await app.finalize();
`

func run(n int, bin string) error {
	dir, bin, err := measure.Workdir("alchemy-bench-engine-", bin)
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Printf("alchemy run, median of %d runs (wall and CPU of the process; engine: the summary's time)\n", n)

	noop := map[int]result{}
	for _, size := range []int{1000, 10000} {
		app := filepath.Join(dir, fmt.Sprintf("noop-%d", size))
		if err := writeProgram(app, noopProgram); err != nil {
			return err
		}
		if err := setupState(app, size); err != nil {
			return fmt.Errorf("setup of %d resources: %w", size, err)
		}
		r, err := timeRuns(n, bin, app, size, []string{"run"}, fmt.Sprintf("%d skipped", size), nil)
		if err != nil {
			return err
		}
		noop[size] = r
		r.print(fmt.Sprintf("no-op re-run, %d resources", size))
	}
	fmt.Printf("ratio t(10k)/t(1k): wall %.2f, CPU %.2f, engine %.2f\n",
		ratio(noop[10000].wall, noop[1000].wall), ratio(noop[10000].cpu, noop[1000].cpu), ratio(noop[10000].engine, noop[1000].engine))

	app := filepath.Join(dir, "destroy")
	if err := writeProgram(app, slowDeleteProgram); err != nil {
		return err
	}
	setup := func() error { return setupState(app, 1000) }
	r, err := timeRuns(n, bin, app, 1000, []string{"run", "--destroy"}, "1000 deleted", setup)
	if err != nil {
		return err
	}
	r.print("--destroy, 1000 resources, 20 ms delete handlers")
	return nil
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

// setupState runs the program of dir with N=size in a child process
// (-setup), leaving the state a timed run starts from.
func setupState(dir string, size int) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	out, err := exec.Command(self, "-setup", dir, "-size", strconv.Itoa(size)).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v\n%s", err, out)
	}
	return nil
}

func writeProgram(dir, source string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "alchemy.run.js"), []byte(source), 0o644)
}

// runInProcess runs the program of dir with N=n in this process, as
// `alchemy run` does, without fsync. It returns what the run printed.
func runInProcess(dir string, n int, onHost func(*runtime.Host)) (string, error) {
	kinds := engine.NewRegistry()
	if err := fs.Register(kinds, dir); err != nil {
		return "", err
	}
	var out bytes.Buffer
	text := engine.NewTextReporter(&out, engine.TextOptions{})
	api := jsapi.New(jsapi.Config{
		Registry:     kinds,
		Reporter:     text,
		Defaults:     jsapi.Defaults{Stage: "dev", RootDir: dir},
		StoreOptions: []state.FileStoreOption{state.WithoutFsync()},
	})
	mods := runtime.NewRegistry()
	if err := nodelib.Register(mods); err != nil {
		return "", err
	}
	virtual := map[string]bundler.VirtualModule{}
	for _, m := range api.Modules() {
		if err := mods.Register(m); err != nil {
			return "", err
		}
	}
	for _, m := range mods.Modules() {
		for _, spec := range m.Specifiers() {
			virtual[spec] = bundler.VirtualModule{Exports: m.Exports, Default: m.Default}
		}
	}
	entry := filepath.Join(dir, "alchemy.run.js")
	b, err := bundler.Bundle(bundler.Options{Entry: entry, Dir: dir, Modules: virtual})
	if err != nil {
		return "", err
	}
	h := runtime.New(runtime.Config{
		Dir: dir, Args: []string{"alchemy", entry}, Env: runtime.NewEnv([]string{"N=" + strconv.Itoa(n)}),
		Stdout: &out, Stderr: &out, Modules: mods,
	})
	webapi.Install(h)
	nodelib.InstallGlobals(h)
	if onHost != nil {
		onHost(h)
	}
	err = h.Run(context.Background(), runtime.Script{Code: b.Code, SourceMap: b.SourceMap, File: b.File, Entry: entry})
	err = errors.Join(err, api.Close())
	if err == nil && api.Failed() {
		err = errors.New("a resource failed")
	}
	out.WriteString(text.Summary() + "\n")
	if err != nil {
		return "", fmt.Errorf("%w\n%s", err, out.String())
	}
	return out.String(), nil
}

// profile writes a CPU profile of an in-process no-op re-run.
func profile(file string, size int) error {
	dir, err := os.MkdirTemp("", "alchemy-bench-engine-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := writeProgram(dir, noopProgram); err != nil {
		return err
	}
	if _, err := runInProcess(dir, size, nil); err != nil {
		return err
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	start := time.Now()
	out, err := runInProcess(dir, size, nil)
	pprof.StopCPUProfile()
	if err != nil {
		return err
	}
	fmt.Printf("in-process no-op re-run of %d resources: %v (%s)\n", size, time.Since(start).Round(time.Millisecond), strings.TrimSpace(out))
	return nil
}

type result struct {
	wall, min, cpu, engine time.Duration // medians, except min
	rss                    int64         // median peak RSS, bytes
}

func (r result) print(name string) {
	fmt.Printf("%-50s wall %7.1f ms (min %7.1f), CPU %7.1f ms, engine %7.1f ms, peak RSS %5.1f MiB\n",
		name, measure.Millis(r.wall), measure.Millis(r.min), measure.Millis(r.cpu), measure.Millis(r.engine), measure.MiB(r.rss))
}

var summaryTime = regexp.MustCompile(`(?m)^.* in (\d+)ms$|^.* in (\d+\.\d+)s$`)

// engineTime reads the time of the summary line ("1000 skipped in 123ms").
func engineTime(out string) (time.Duration, bool) {
	m := summaryTime.FindStringSubmatch(out)
	if m == nil {
		return 0, false
	}
	if m[1] != "" {
		v, _ := strconv.Atoi(m[1])
		return time.Duration(v) * time.Millisecond, true
	}
	v, _ := strconv.ParseFloat(m[2], 64)
	return time.Duration(v * float64(time.Second)), true
}

// timeRuns runs the binary n times in dir (after setup, when given) and
// checks that each run printed want.
func timeRuns(n int, bin, dir string, size int, args []string, want string, setup func() error) (result, error) {
	var s measure.Samples
	var engines []time.Duration
	for range n {
		if setup != nil {
			if err := setup(); err != nil {
				return result{}, err
			}
		}
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "N="+strconv.Itoa(size), "NO_COLOR=1")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		err := cmd.Run()
		wall := time.Since(start)
		if err != nil || !strings.Contains(out.String(), want) {
			return result{}, fmt.Errorf("%s %s: %v, want %q in:\n%s", bin, strings.Join(args, " "), err, want, out.String())
		}
		eng, ok := engineTime(out.String())
		if !ok {
			return result{}, fmt.Errorf("no summary line in:\n%s", out.String())
		}
		s.Add(wall, cmd.ProcessState)
		engines = append(engines, eng)
	}
	return result{wall: measure.Median(s.Wall), min: slices.Min(s.Wall), cpu: measure.Median(s.CPU),
		engine: measure.Median(engines), rss: measure.Median(s.RSS)}, nil
}
