// Command workers measures the local Worker runtime against workerd, the
// runtime Cloudflare runs, serving the same Workers on 127.0.0.1 in the same
// run: requests per second, p50 and p99 latency under wrk's fixed number of
// connections, and the peak RSS of each server process.
//
//	go run ./bench/workers [-d 5s] [-c 32] [-t 2] [-repeat 5] [-workers hello,json,kv]
//	                       [-alchemy path/to/alchemy] [-workerd path/to/workerd]
//
// The Workers: hello (a constant response), json (a small JSON document
// built per request) and kv (one KV read per request). Our side is
// `alchemy local` with the Worker uploaded through its REST API and reached
// by Host header, KV backed by its SQLite storage. workerd's side is
// `workerd serve` with a minimal config; its KV binding is served by a
// second Worker holding the value in memory (workerd has no KV storage of
// its own).
//
// It needs wrk (apt-get install wrk). Without -workerd it installs the npm
// package workerd into a temporary directory (npm must reach its registry);
// without -alchemy it builds ./cmd/alchemy. The runs of the two servers
// alternate; the run with the median throughput is reported, and the best
// throughput beside it (interference from other work only lowers it).
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/alchemy-go/alchemy/bench/internal/measure"
)

const (
	workerdVersion = "1.20261117.1"
	account        = "0123456789abcdef0123456789abcdef"
	kvValue        = "Hello from KV!"
)

// workerSources are the benchmarked Workers.
var workerSources = map[string]string{
	"hello": `export default {
  fetch() {
    return new Response("Hello World!");
  },
};
`,
	"json": `export default {
  fetch(request) {
    const url = new URL(request.url);
    const items = [];
    for (let i = 0; i < 10; i++) items.push({ id: i, name: "item " + i, tags: ["a", "b"] });
    return Response.json({ path: url.pathname, method: request.method, items });
  },
};
`,
	"kv": `export default {
  async fetch(request, env) {
    const value = await env.KV.get("greeting");
    return new Response(value);
  },
};
`,
}

type options struct {
	duration         time.Duration
	connections      int
	threads          int
	repeat           int
	alchemy, workerd string
	workers          []string
}

func main() {
	var o options
	flag.DurationVar(&o.duration, "d", 5*time.Second, "duration of each measured wrk run")
	flag.IntVar(&o.connections, "c", 32, "wrk connections")
	flag.IntVar(&o.threads, "t", 2, "wrk threads")
	flag.IntVar(&o.repeat, "repeat", 5, "measured runs of each server and Worker")
	flag.StringVar(&o.alchemy, "alchemy", "", "alchemy binary (default: build ./cmd/alchemy)")
	flag.StringVar(&o.workerd, "workerd", "", "workerd binary (default: npm install workerd@"+workerdVersion+")")
	list := flag.String("workers", "hello,json,kv", "Workers to measure")
	flag.Parse()
	o.workers = strings.Split(*list, ",")
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "workers bench:", err)
		os.Exit(1)
	}
}

// result is one measured run.
type result struct {
	rps      float64
	p50, p99 time.Duration
	rssMiB   float64
	errors   int
}

func run(o options) error {
	if _, err := exec.LookPath("wrk"); err != nil {
		return errors.New("wrk is not installed (apt-get install wrk)")
	}
	if o.alchemy == "" {
		fmt.Fprintln(os.Stderr, "building alchemy…")
	}
	tmp, bin, err := measure.Workdir("bench-workers-*", o.alchemy)
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	o.alchemy = bin
	if o.workerd == "" {
		if o.workerd, err = installWorkerd(tmp); err != nil {
			return err
		}
	}
	fmt.Printf("machine: %d CPUs, load average before: %s\n", numCPU(), measure.LoadAverage())
	fmt.Printf("wrk -t%d -c%d -d%s, %d runs each (median), servers alternating\n\n", o.threads, o.connections, o.duration, o.repeat)
	fmt.Printf("%-6s %-8s %12s %9s %9s %9s %7s %12s\n", "worker", "server", "req/s", "p50", "p99", "RSS MiB", "errors", "best req/s")
	for _, name := range o.workers {
		src, ok := workerSources[name]
		if !ok {
			return fmt.Errorf("unknown worker %q", name)
		}
		var ours, theirs []result
		for i := 0; i < o.repeat; i++ {
			r, err := benchWorkerd(o, tmp, name, src)
			if err != nil {
				return fmt.Errorf("workerd %s: %w", name, err)
			}
			theirs = append(theirs, r)
			r, err = benchAlchemy(o, tmp, name, src)
			if err != nil {
				return fmt.Errorf("alchemy %s: %w", name, err)
			}
			ours = append(ours, r)
		}
		a, w := median(ours), median(theirs)
		ab, wb := best(ours), best(theirs)
		row := func(server string, r, top result) {
			fmt.Printf("%-6s %-8s %12.0f %9s %9s %9.1f %7d %12.0f\n", name, server, r.rps, ms(r.p50), ms(r.p99), r.rssMiB, r.errors, top.rps)
		}
		row("workerd", w, wb)
		row("alchemy", a, ab)
		fmt.Printf("%-6s %-8s %11.2fx %9s %9s %9s %7s %11.2fx\n", name, "ratio", a.rps/w.rps, "", "", "", "", ab.rps/wb.rps)
	}
	fmt.Printf("\nload average after: %s\n", measure.LoadAverage())
	return nil
}

func numCPU() int {
	out, err := exec.Command("nproc").Output()
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return n
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }

// median returns the run with the median throughput.
func median(rs []result) result {
	sort.Slice(rs, func(i, j int) bool { return rs[i].rps < rs[j].rps })
	return rs[len(rs)/2]
}

// best returns the run with the highest throughput: on a machine shared
// with other work, interference only ever lowers it.
func best(rs []result) result {
	sort.Slice(rs, func(i, j int) bool { return rs[i].rps < rs[j].rps })
	return rs[len(rs)-1]
}

func installWorkerd(tmp string) (string, error) {
	dir := filepath.Join(tmp, "npm")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	fmt.Fprintln(os.Stderr, "installing workerd@"+workerdVersion+" from npm…")
	cmd := exec.Command("npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", dir, "workerd@"+workerdVersion)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("npm install workerd: %v\n%s", err, out)
	}
	bins, _ := filepath.Glob(filepath.Join(dir, "node_modules", "@cloudflare", "workerd-*", "bin", "workerd"))
	if len(bins) == 0 {
		return "", errors.New("npm installed workerd without a binary for this platform")
	}
	return bins[0], nil
}

// server is a server process under load.
type server struct {
	cmd *exec.Cmd
	log bytes.Buffer
}

func startServer(name string, args ...string) (*server, error) {
	s := &server{cmd: exec.Command(name, args...)}
	s.cmd.Stdout, s.cmd.Stderr = &s.log, &s.log
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	return s, nil
}

// peakRSS is the process's peak resident set size.
func (s *server) peakRSS() float64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGINT)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

func waitHTTP(url string, header http.Header) error {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header = header
		if host := header.Get("Host"); host != "" {
			req.Host = host
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode < 500 {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer", url)
}

func benchWorkerd(o options, tmp, name, src string) (result, error) {
	dir := filepath.Join(tmp, "workerd-"+name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return result{}, err
	}
	port, err := measure.FreePort()
	if err != nil {
		return result{}, err
	}
	kv := fmt.Sprintf("export default { fetch() { return new Response(%q); } };\n", kvValue)
	config := fmt.Sprintf(`using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .mainWorker), (name = "kv", worker = .kvWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:%d", http = (), service = "main") ],
);
const mainWorker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "2025-01-01",
  bindings = [ (name = "KV", kvNamespace = "kv") ],
);
const kvWorker :Workerd.Worker = (
  modules = [ (name = "kv.js", esModule = embed "kv.js") ],
  compatibilityDate = "2025-01-01",
);
`, port)
	for file, content := range map[string]string{"worker.js": src, "kv.js": kv, "config.capnp": config} {
		if err := os.WriteFile(filepath.Join(dir, file), []byte(content), 0o644); err != nil {
			return result{}, err
		}
	}
	s, err := startServer(o.workerd, "serve", filepath.Join(dir, "config.capnp"))
	if err != nil {
		return result{}, err
	}
	defer s.stop()
	url := fmt.Sprintf("http://127.0.0.1:%d/", port)
	if err := waitHTTP(url, http.Header{}); err != nil {
		return result{}, fmt.Errorf("%w\n%s", err, s.log.String())
	}
	return loadWithWrk(o, s, url, "")
}

func benchAlchemy(o options, tmp, name, src string) (result, error) {
	port, err := measure.FreePort()
	if err != nil {
		return result{}, err
	}
	data := filepath.Join(tmp, "alchemy-data-"+strconv.Itoa(port))
	defer os.RemoveAll(data)
	s, err := startServer(o.alchemy, "local", "--addr", fmt.Sprintf("127.0.0.1:%d", port), "--data", data, "--account-id", account, "--subdomain", "bench")
	if err != nil {
		return result{}, err
	}
	defer s.stop()
	base := fmt.Sprintf("http://127.0.0.1:%d/client/v4/accounts/%s", port, account)
	if err := waitHTTP(base, http.Header{"Authorization": {"Bearer t"}}); err != nil {
		return result{}, fmt.Errorf("%w\n%s", err, s.log.String())
	}
	ns, err := apiJSON("POST", base+"/storage/kv/namespaces", `{"title":"bench"}`)
	if err != nil {
		return result{}, err
	}
	if _, err := apiRaw("PUT", base+"/storage/kv/namespaces/"+ns["id"].(string)+"/values/greeting", "", kvValue); err != nil {
		return result{}, err
	}
	meta := fmt.Sprintf(`{"main_module":"worker.js","compatibility_date":"2025-01-01","bindings":[{"type":"kv_namespace","name":"KV","namespace_id":%q}]}`, ns["id"])
	if err := upload(base+"/workers/scripts/"+name, meta, src); err != nil {
		return result{}, err
	}
	if _, err := apiJSON("POST", base+"/workers/scripts/"+name+"/subdomain", `{"enabled":true}`); err != nil {
		return result{}, err
	}
	host := name + ".bench.workers.dev"
	url := fmt.Sprintf("http://127.0.0.1:%d/", port)
	if err := waitHTTP(url, http.Header{"Host": {host}}); err != nil {
		return result{}, fmt.Errorf("%w\n%s", err, s.log.String())
	}
	return loadWithWrk(o, s, url, host)
}

func apiRaw(method, url, contentType, body string) ([]byte, error) {
	req, err := http.NewRequestWithContext(context.Background(), method, url, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer t")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return nil, fmt.Errorf("%s %s: %d %s", method, url, resp.StatusCode, out)
	}
	return out, nil
}

func apiJSON(method, url, body string) (map[string]any, error) {
	out, err := apiRaw(method, url, "application/json", body)
	if err != nil {
		return nil, err
	}
	var env struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(out, &env); err != nil {
		return nil, err
	}
	var m map[string]any
	_ = json.Unmarshal(env.Result, &m)
	return m, nil
}

func upload(url, metadata, code string) error {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	mw, _ := w.CreateFormField("metadata")
	mw.Write([]byte(metadata))
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="worker.js"; filename="worker.js"`)
	h.Set("Content-Type", "application/javascript+module")
	pw, _ := w.CreatePart(h)
	pw.Write([]byte(code))
	w.Close()
	_, err := apiRaw("PUT", url, w.FormDataContentType(), body.String())
	return err
}

var (
	rpsLine     = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	latencyLine = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$`)
	errorsLine  = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)|Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

// loadWithWrk warms the server up, then runs wrk against it.
func loadWithWrk(o options, s *server, url, host string) (result, error) {
	args := func(d time.Duration) []string {
		a := []string{"-t", strconv.Itoa(o.threads), "-c", strconv.Itoa(o.connections), "-d", d.String(), "--latency"}
		if host != "" {
			a = append(a, "-H", "Host: "+host)
		}
		return append(a, url)
	}
	if out, err := exec.Command("wrk", args(2*time.Second)...).CombinedOutput(); err != nil {
		return result{}, fmt.Errorf("wrk warm-up: %v\n%s", err, out)
	}
	out, err := exec.Command("wrk", args(o.duration)...).CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	text := string(out)
	m := rpsLine.FindStringSubmatch(text)
	if m == nil {
		return result{}, fmt.Errorf("no Requests/sec in wrk's output:\n%s", text)
	}
	r := result{rssMiB: s.peakRSS()}
	r.rps, _ = strconv.ParseFloat(m[1], 64)
	for _, l := range latencyLine.FindAllStringSubmatch(text, -1) {
		v, _ := strconv.ParseFloat(l[2], 64)
		unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[l[3]]
		d := time.Duration(v * float64(unit))
		if l[1] == "50" {
			r.p50 = d
		} else {
			r.p99 = d
		}
	}
	for _, e := range errorsLine.FindAllStringSubmatch(text, -1) {
		for _, n := range e[1:] {
			k, _ := strconv.Atoi(n)
			r.errors += k
		}
	}
	return r, nil
}
