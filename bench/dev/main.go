// Command dev measures `alchemy dev` beside `wrangler dev` on the same
// Worker, in the same run: the time from starting the command to the
// Worker's first 200 response, and from saving an edit of the Worker's
// file to the first response with the new body (median of the edits).
//
//	go run ./bench/dev [-starts 5] [-edits 20] [-alchemy path/to/alchemy] [-wrangler path/to/wrangler]
//
// Without -alchemy it builds the binary first. wrangler is looked up in
// PATH unless given (npm install wrangler puts it in
// node_modules/.bin); without it only alchemy is measured.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/alchemy-go/alchemy/bench/internal/measure"
)

func main() {
	starts := flag.Int("starts", 5, "fresh starts of each command")
	edits := flag.Int("edits", 20, "edits of the Worker, timed one by one")
	bin := flag.String("alchemy", "", "alchemy binary (default: build ./cmd/alchemy)")
	wrangler := flag.String("wrangler", "wrangler", "wrangler binary to compare with (empty to skip)")
	flag.Parse()
	if err := run(*starts, *edits, *bin, *wrangler); err != nil {
		fmt.Fprintln(os.Stderr, "bench/dev:", err)
		os.Exit(1)
	}
}

// tool is a dev server under measurement.
type tool struct {
	name  string
	setup func(dir string) error // writes what the tool needs beside worker.ts
	cmd   func(dir string, port int) *exec.Cmd
}

func run(starts, edits int, bin, wrangler string) error {
	dir, bin, err := measure.Workdir("alchemy-bench-dev-", bin)
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	tools := []tool{{
		name: "alchemy dev",
		setup: func(d string) error {
			return os.WriteFile(filepath.Join(d, "alchemy.run.ts"), []byte(program), 0o644)
		},
		cmd: func(d string, port int) *exec.Cmd {
			return exec.Command(bin, "dev", "--port", fmt.Sprint(port))
		},
	}}
	if wrangler != "" {
		if path, err := exec.LookPath(wrangler); err == nil {
			tools = append(tools, tool{
				name: "wrangler dev",
				setup: func(d string) error {
					return os.WriteFile(filepath.Join(d, "wrangler.toml"), []byte(wranglerToml), 0o644)
				},
				cmd: func(d string, port int) *exec.Cmd {
					c := exec.Command(path, "dev", "--ip", "127.0.0.1", "--port", fmt.Sprint(port), "--show-interactive-dev-session=false")
					c.Env = append(os.Environ(), "WRANGLER_SEND_METRICS=false", "CI=1")
					return c
				},
			})
		} else {
			fmt.Printf("wrangler: %v (skipped)\n", err)
		}
	}
	fmt.Printf("one Worker (a module returning a text body); %d fresh starts, %d edits each; load average %s\n", starts, edits, measure.LoadAverage())
	for _, t := range tools {
		if err := measureTool(t, dir, starts, edits); err != nil {
			fmt.Printf("%-13s failed: %v\n", t.name, err)
		}
	}
	return nil
}

func measureTool(t tool, root string, starts, edits int) error {
	var startTimes, editTimes []time.Duration
	for i := range starts {
		d := filepath.Join(root, fmt.Sprintf("%s-%d", strings.Fields(t.name)[0], i))
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
		if err := writeWorker(d, "v0"); err != nil {
			return err
		}
		if err := t.setup(d); err != nil {
			return err
		}
		port, err := measure.FreePort()
		if err != nil {
			return err
		}
		cmd := t.cmd(d, port)
		cmd.Dir = d
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		url := fmt.Sprintf("http://127.0.0.1:%d/", port)
		began := time.Now()
		if err := cmd.Start(); err != nil {
			return err
		}
		err = func() error {
			if err := waitFor(url, "v0", 60*time.Second); err != nil {
				return fmt.Errorf("first response: %w\n%s", err, out.String())
			}
			startTimes = append(startTimes, time.Since(began))
			if i > 0 {
				return nil // the edits are timed on the first session
			}
			// Let the watchers settle before the first edit.
			time.Sleep(500 * time.Millisecond)
			for e := 1; e <= edits; e++ {
				body := fmt.Sprintf("v%d", e)
				saved := time.Now()
				if err := writeWorker(d, body); err != nil {
					return err
				}
				if err := waitFor(url, body, 30*time.Second); err != nil {
					return fmt.Errorf("edit %d: %w\n%s", e, err, out.String())
				}
				editTimes = append(editTimes, time.Since(saved))
				time.Sleep(300 * time.Millisecond) // a person saves less often than this
			}
			return nil
		}()
		stop(cmd)
		if err != nil {
			return err
		}
	}
	fmt.Printf("%-13s start → first 200: median %6.1f ms (best %6.1f, n=%d)   edit → new body: median %6.1f ms (best %6.1f, worst %6.1f, n=%d)\n",
		t.name, measure.Millis(measure.Median(startTimes)), measure.Millis(minOf(startTimes)), len(startTimes),
		measure.Millis(measure.Median(editTimes)), measure.Millis(minOf(editTimes)), measure.Millis(maxOf(editTimes)), len(editTimes))
	return nil
}

// waitFor polls url every millisecond until it answers 200 with body.
func waitFor(url, body string, limit time.Duration) error {
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	deadline := time.Now().Add(limit)
	last := ""
	for time.Now().Before(deadline) {
		resp, err := client.Get(url)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && strings.TrimSpace(string(b)) == body {
				return nil
			}
			last = fmt.Sprintf("status %d, body %q", resp.StatusCode, b)
		} else {
			last = err.Error()
		}
		time.Sleep(time.Millisecond)
	}
	return fmt.Errorf("no 200 with body %q within %s (last: %s)", body, limit, last)
}

// stop interrupts the command's process group, as Ctrl-C would, and waits.
func stop(cmd *exec.Cmd) {
	syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

// writeWorker saves worker.ts as an editor does: a new file renamed over
// the old one.
func writeWorker(dir, body string) error {
	tmp := filepath.Join(dir, ".worker.ts.tmp")
	src := fmt.Sprintf("export default {\n  fetch: () => new Response(%q),\n};\n", body)
	if err := os.WriteFile(tmp, []byte(src), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, "worker.ts"))
}

func minOf(xs []time.Duration) time.Duration {
	if len(xs) == 0 {
		return 0
	}
	m := xs[0]
	for _, x := range xs {
		m = min(m, x)
	}
	return m
}

func maxOf(xs []time.Duration) time.Duration {
	var m time.Duration
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}

const program = `import alchemy from "alchemy";
import { Worker } from "alchemy/cloudflare";

const app = await alchemy("bench");
await Worker("api", { entrypoint: "./worker.ts" });
await app.finalize();
`

const wranglerToml = `name = "api"
main = "worker.ts"
compatibility_date = "2025-01-01"
`
