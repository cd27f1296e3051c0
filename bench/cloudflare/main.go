// Command cloudflare measures a Cloudflare deployment with this binary and
// with the TypeScript Alchemy 0.94 (npm `alchemy`, on Node), the same program
// against the same local Cloudflare in the same run: 1 Worker, 100 KV
// namespaces and 20 D1 databases, served by `alchemy local` holding every API
// request 50 ms, as the round trip to Cloudflare would. For each tool it
// times the first deploy, a no-op re-run and the destroy (wall time of the
// process, median of -n cycles) and prints both with their ratio, beside
// the targets: at least 10× faster on every phase, 40× on the no-op re-run.
//
//	go run ./bench/cloudflare [-n 3] [-alchemy bin] [-ts-dir dir] [-latency 50ms]
//
// Without -alchemy it builds the binary (stripped, as released). Without
// -ts-dir it installs alchemy@0.94.0 with npm into a temporary directory
// (needs node and npm, and the npm registry).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/alchemy-go/alchemy/bench/internal/measure"
)

func main() {
	n := flag.Int("n", 3, "deploy / re-run / destroy cycles of each tool")
	bin := flag.String("alchemy", "", "alchemy binary (default: build ./cmd/alchemy)")
	tsDir := flag.String("ts-dir", "", "directory where alchemy@0.94.0 is installed (default: npm install into a temporary one)")
	latency := flag.Duration("latency", 50*time.Millisecond, "latency the local Cloudflare adds to every API request")
	kv := flag.Int("kv", 100, "KV namespaces in the program")
	d1 := flag.Int("d1", 20, "D1 databases in the program")
	flag.Parse()
	if err := run(config{n: *n, bin: *bin, tsDir: *tsDir, latency: *latency, kv: *kv, d1: *d1}); err != nil {
		fmt.Fprintln(os.Stderr, "bench/cloudflare:", err)
		os.Exit(1)
	}
}

type config struct {
	n         int
	bin       string
	tsDir     string
	latency   time.Duration
	kv, d1    int
	resources int
}

// program is the benchmark program, the same file for both tools. The
// prefix keeps the two tools' resources apart.
const program = `import alchemy from "alchemy";
import { D1Database, KVNamespace, Worker } from "alchemy/cloudflare";

const prefix = process.env.BENCH_PREFIX;
const app = await alchemy("bench-" + prefix, { stage: "bench" });
const kvs = await Promise.all(
  Array.from({ length: Number(process.env.BENCH_KV) }, (_, i) => KVNamespace("kv" + i, { title: prefix + "-kv-" + i })),
);
const dbs = await Promise.all(
  Array.from({ length: Number(process.env.BENCH_D1) }, (_, i) => D1Database("db" + i, { name: prefix + "-db-" + i })),
);
await Worker("api", {
  name: prefix + "-api",
  entrypoint: "./worker.js",
  bindings: { CACHE: kvs[0], DB: dbs[0] },
  compatibilityDate: "2025-09-01",
});
await app.finalize();
`

const worker = `export default {
  async fetch(request, env) {
    const row = await env.DB.prepare("SELECT 1 AS one").first();
    return new Response("cache " + (await env.CACHE.get("x")) + ", db " + row.one);
  },
};
`

const accountID = "0123456789abcdef0123456789abcdef"

func run(cfg config) error {
	cfg.resources = cfg.kv + cfg.d1 + 1
	dir, bin, err := measure.Workdir("alchemy-bench-cloudflare-", cfg.bin)
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg.bin = bin
	if cfg.tsDir == "" {
		cfg.tsDir = filepath.Join(dir, "ts")
		fmt.Fprintln(os.Stderr, "installing alchemy@0.94.0 from npm…")
		if err := os.MkdirAll(cfg.tsDir, 0o755); err != nil {
			return err
		}
		if err := command(cfg.tsDir, nil, "npm", "init", "-y"); err != nil {
			return err
		}
		if err := command(cfg.tsDir, nil, "npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "alchemy@0.94.0"); err != nil {
			return fmt.Errorf("npm install alchemy@0.94.0: %w", err)
		}
	}
	nodeModules, err := filepath.Abs(filepath.Join(cfg.tsDir, "node_modules"))
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(nodeModules, "alchemy", "package.json")); err != nil {
		return fmt.Errorf("no alchemy package in %s: %w", cfg.tsDir, err)
	}

	base, stop, err := startLocal(cfg, dir)
	if err != nil {
		return err
	}
	defer stop()

	tools := []tool{
		{name: "alchemy (Go)", prefix: "go", dir: filepath.Join(dir, "go"),
			cmd: func(args ...string) []string { return append([]string{cfg.bin, "run", "alchemy.run.mjs"}, args...) }},
		{name: "alchemy 0.94 (Node " + nodeVersion() + ")", prefix: "ts", dir: filepath.Join(dir, "ts-app"),
			cmd: func(args ...string) []string { return append([]string{"node", "alchemy.run.mjs"}, args...) }},
	}
	for _, t := range tools {
		if err := writeApp(t.dir); err != nil {
			return err
		}
	}
	if err := os.Symlink(nodeModules, filepath.Join(tools[1].dir, "node_modules")); err != nil {
		return err
	}

	load := measure.LoadAverage()
	all := func(action string) func(string) map[string]int {
		return func(string) map[string]int { return map[string]int{action: cfg.resources} }
	}
	phases := []phase{
		{name: "first deploy", want: all("created")},
		// The TypeScript Alchemy updates a Worker on every run; this one
		// skips it when nothing it would upload changed.
		{name: "no-op re-run", want: func(prefix string) map[string]int {
			if prefix == "ts" {
				return map[string]int{"skipped": cfg.resources - 1, "updated": 1}
			}
			return map[string]int{"skipped": cfg.resources}
		}},
		{name: "destroy", args: []string{"--destroy"}, want: all("deleted")},
	}
	times := map[string]map[string][]time.Duration{}
	for _, t := range tools {
		times[t.name] = map[string][]time.Duration{}
		for i := range cfg.n {
			for _, p := range phases {
				d, err := t.time(cfg, base, p)
				if err != nil {
					return fmt.Errorf("%s, %s (cycle %d): %w", t.name, p.name, i+1, err)
				}
				times[t.name][p.name] = append(times[t.name][p.name], d)
			}
		}
	}
	if err := assertEmpty(base); err != nil {
		return err
	}

	fmt.Printf("1 Worker + %d KV namespaces + %d D1 databases against `alchemy local --latency %v`\n", cfg.kv, cfg.d1, cfg.latency)
	fmt.Printf("wall time of the process, median of %d cycles (min–max); %d CPUs, load average %s → %s\n\n",
		cfg.n, runtime.NumCPU(), load, measure.LoadAverage())
	fmt.Printf("%-14s %-26s %-26s %8s %8s\n", "phase", tools[0].name, tools[1].name, "ratio", "target")
	for _, p := range phases {
		goT, tsT := times[tools[0].name][p.name], times[tools[1].name][p.name]
		ratio := float64(measure.Median(tsT)) / float64(measure.Median(goT))
		target := 10.0
		if p.name == "no-op re-run" {
			target = 40
		}
		verdict := "met"
		if ratio < target {
			verdict = "MISSED"
		}
		fmt.Printf("%-14s %-26s %-26s %7.1f× %6.0f× %s\n", p.name, spread(goT), spread(tsT), ratio, target, verdict)
	}
	return nil
}

type tool struct {
	name, prefix, dir string
	cmd               func(args ...string) []string
}

type phase struct {
	name string
	args []string
	// want counts the resource lines per action ("[created]" …) a tool
	// (by prefix) prints.
	want func(prefix string) map[string]int
}

// time runs one phase of a tool and checks its resource lines.
func (t tool) time(cfg config, base string, p phase) (time.Duration, error) {
	argv := t.cmd(p.args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = t.dir
	cmd.Env = append(environ(), "CLOUDFLARE_BASE_URL="+base, "CLOUDFLARE_API_TOKEN=bench-token",
		"CLOUDFLARE_ACCOUNT_ID="+accountID, "ALCHEMY_TELEMETRY_DISABLED=1", "NO_COLOR=1",
		"BENCH_PREFIX="+t.prefix, "BENCH_KV="+strconv.Itoa(cfg.kv), "BENCH_D1="+strconv.Itoa(cfg.d1))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	if err != nil {
		return 0, fmt.Errorf("%s: %w\n%s", strings.Join(argv, " "), err, out.String())
	}
	for action, n := range p.want(t.prefix) {
		if got := strings.Count(out.String(), "["+action+"]"); got != n {
			return 0, fmt.Errorf("%d [%s] lines, want %d:\n%s", got, action, n, out.String())
		}
	}
	return elapsed, nil
}

// environ is the environment without variables that would change how
// either tool runs (CI makes the TypeScript Alchemy demand a state store).
func environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name == "CI" || strings.HasPrefix(name, "CLOUDFLARE_") || strings.HasPrefix(name, "ALCHEMY_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

func writeApp(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "alchemy.run.mjs"), []byte(program), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "worker.js"), []byte(worker), 0o644)
}

// startLocal serves `alchemy local` with the added latency on a free port
// and returns the API base URL.
func startLocal(cfg config, dir string) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(cfg.bin, "local", "--addr", addr, "--data", filepath.Join(dir, "cloudflare"),
		"--account-id", accountID, "--latency", cfg.latency.String())
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}
	base := "http://" + addr + "/client/v4"
	for deadline := time.Now().Add(10 * time.Second); ; {
		if _, err := get(base + "/accounts"); err == nil {
			return base, stop, nil
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, fmt.Errorf("alchemy local did not start:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func get(url string) (string, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer bench-token")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err == nil && res.StatusCode != http.StatusOK {
		err = fmt.Errorf("%s: %s", url, res.Status)
	}
	return string(body), err
}

// assertEmpty checks that both tools' destroys left nothing behind.
func assertEmpty(base string) error {
	for _, path := range []string{"/storage/kv/namespaces", "/d1/database", "/workers/scripts"} {
		body, err := get(base + "/accounts/" + accountID + path)
		if err != nil {
			return err
		}
		if !strings.Contains(body, `"result":[]`) {
			return fmt.Errorf("after the destroys, %s still lists: %s", path, body)
		}
	}
	return nil
}

func command(dir string, env []string, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = env
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, out.String())
	}
	return nil
}

func nodeVersion() string {
	out, err := exec.Command("node", "--version").Output()
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(out))
}

func spread(d []time.Duration) string {
	return fmt.Sprintf("%s (%s–%s)", short(measure.Median(d)), short(slices.Min(d)), short(slices.Max(d)))
}

func short(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}
