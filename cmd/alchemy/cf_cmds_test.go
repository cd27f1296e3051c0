package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/alchemy-go/alchemy/bundler"
	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/local/store"
	"github.com/alchemy-go/alchemy/local/worker"
)

// Testscript commands of the local Cloudflare:
//
//	cf start [-token T] [-zone NAME]... [-fault SPEC]... [-workers] [-cpu-limit D] [-isolates N]
//	    start an in-process local Cloudflare on a free 127.0.0.1 port with its
//	    data under $WORK/.cloudflare, and point the script's environment at it
//	    (CLOUDFLARE_BASE_URL, CLOUDFLARE_API_BASE_URL, CLOUDFLARE_API_TOKEN,
//	    CLOUDFLARE_ACCOUNT_ID, plus CF_LOCAL_URL and CF_SUBDOMAIN). It stops
//	    when the script ends. -workers runs deployed Workers in the Worker
//	    runtime (with its CPU budget and isolates per Worker); without it a
//	    Worker request answers 503.
//	cf deploy [-classic] [-flag F]... [-class C]... [-consumer QUEUE]... NAME FILE [BINDING=SPEC]...
//	    deploy a Worker through the storage API, with a workers.dev route.
//	    FILE is bundled as the Alchemy provider does (an ES module plus its
//	    source map part); -classic uploads it as a service-worker script.
//	    -class C creates the SQLite-backed Durable Object class C; -consumer
//	    makes the Worker a consumer of QUEUE. A SPEC is kv:TITLE, r2:BUCKET,
//	    d1:NAME, queue:NAME (each created when missing), do:CLASS[@SCRIPT],
//	    service:SCRIPT[:ENTRYPOINT], text:VALUE, secret:VALUE, json:JSON or
//	    version.
//	cf kv [-wait] TITLE KEY
//	    print a KV value; -wait polls for up to 10s until the key exists.
//	cf log
//	    print what the Workers logged so far (console lines and errors, each
//	    tagged [name]).
//	cf faults SPEC... | cf faults off
//	    replace the fault rules (syntax of `alchemy local --fault`).
//	cf ls kv|r2|d1|queues|workers|do|zones|routes|domains|workflows|all
//	    print what the local Cloudflare holds, one line per item, sorted;
//	    `all` prints every kind with its name as a prefix.
//	http [-retry] [-status N] [-n N] [-d BODY | -f FILE] METHOD URL [Header:Value]...
//	    send a request and print the response body. Fails on a status ≥ 400
//	    unless -status names the expected one (or with !, on a success);
//	    -retry keeps trying for 10s while the connection is refused (a
//	    server starting in the background). Host:NAME sets the Host header.
//	    -n N sends N requests at once ({i} in the URL becomes each one's
//	    index) and prints "STATUS BODY" (the body's first line) for each,
//	    sorted by body, instead of failing on a status.
//	httpget [flags] URL [Header:Value]...
//	    http GET.
//	freeport NAME
//	    set $NAME to a free 127.0.0.1 port.
//	sha256 FILE
//	    print the hex SHA-256 of a file (Go's crypto/sha256).
func init() {
	cf := &cfCommands{servers: map[*testscript.TestScript]*local.Server{}, logs: map[*testscript.TestScript]*lockedLog{}}
	scriptCmds["cf"] = cf.run
	scriptCmds["http"] = httpCmd
	scriptCmds["httpget"] = func(ts *testscript.TestScript, neg bool, args []string) {
		flags := 0
		for flags < len(args) && strings.HasPrefix(args[flags], "-") {
			flags++
			if args[flags-1] != "-retry" {
				flags++
			}
		}
		flags = min(flags, len(args))
		httpCmd(ts, neg, append(append(slices.Clone(args[:flags]), "GET"), args[flags:]...))
	}
	scriptCmds["freeport"] = freePortCmd
	scriptCmds["sha256"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 1 || neg {
			ts.Fatalf("usage: sha256 FILE")
		}
		sum := sha256.Sum256([]byte(ts.ReadFile(args[0])))
		fmt.Fprintln(ts.Stdout(), hex.EncodeToString(sum[:]))
	}
}

type cfCommands struct {
	mu      sync.Mutex
	servers map[*testscript.TestScript]*local.Server
	logs    map[*testscript.TestScript]*lockedLog
}

// lockedLog collects what Workers log.
type lockedLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (c *cfCommands) run(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: cf start|faults|ls|deploy|kv|log ...")
	}
	if neg {
		ts.Fatalf("cf does not support !")
	}
	switch args[0] {
	case "start":
		c.start(ts, args[1:])
	case "faults":
		c.faults(ts, args[1:])
	case "ls":
		c.ls(ts, args[1:])
	case "deploy":
		c.deploy(ts, args[1:])
	case "kv":
		c.kvGet(ts, args[1:])
	case "log":
		c.mu.Lock()
		l := c.logs[ts]
		c.mu.Unlock()
		if l == nil {
			ts.Fatalf("cf log: the local Cloudflare runs no Workers; use cf start -workers")
		}
		fmt.Fprint(ts.Stdout(), l.String())
	default:
		ts.Fatalf("cf: unknown subcommand %q", args[0])
	}
}

func (c *cfCommands) server(ts *testscript.TestScript) *local.Server {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.servers[ts]
	if s == nil {
		ts.Fatalf("cf: no local Cloudflare running; use cf start first")
	}
	return s
}

func (c *cfCommands) start(ts *testscript.TestScript, args []string) {
	opt := local.Options{DataDir: ts.MkAbs(".cloudflare")}
	workers := false
	wopt := worker.Options{CPULimit: 10 * time.Second}
	for i := 0; i < len(args); i++ {
		if args[i] == "-workers" {
			workers = true
			continue
		}
		if i+1 >= len(args) {
			ts.Fatalf("cf start: %s needs a value", args[i])
		}
		switch args[i] {
		case "-cpu-limit":
			d, err := time.ParseDuration(args[i+1])
			ts.Check(err)
			wopt.CPULimit = d
		case "-isolates":
			n, err := strconv.Atoi(args[i+1])
			ts.Check(err)
			wopt.Isolates = n
		case "-token":
			opt.Token = args[i+1]
		case "-zone":
			opt.Zones = append(opt.Zones, args[i+1])
		case "-fault":
			r, err := local.ParseFaultRule(args[i+1])
			ts.Check(err)
			opt.Faults = append(opt.Faults, r)
		default:
			ts.Fatalf("cf start: unknown flag %q", args[i])
		}
		i++
	}
	c.mu.Lock()
	if c.servers[ts] != nil {
		c.mu.Unlock()
		ts.Fatalf("cf start: already running")
	}
	c.mu.Unlock()
	var log *lockedLog
	if workers {
		log = &lockedLog{}
		wopt.Log = log
		opt.Host = worker.New(wopt)
	}
	srv, err := local.Start(context.Background(), opt)
	ts.Check(err)
	c.mu.Lock()
	c.servers[ts] = srv
	if log != nil {
		c.logs[ts] = log
	}
	c.mu.Unlock()
	ts.Defer(func() {
		c.mu.Lock()
		delete(c.servers, ts)
		delete(c.logs, ts)
		c.mu.Unlock()
		srv.Close()
	})
	token := opt.Token
	if token == "" {
		token = "local-test-token"
	}
	ts.Setenv("CLOUDFLARE_BASE_URL", srv.APIBaseURL())
	ts.Setenv("CLOUDFLARE_API_BASE_URL", srv.APIBaseURL())
	ts.Setenv("CLOUDFLARE_API_TOKEN", token)
	ts.Setenv("CLOUDFLARE_ACCOUNT_ID", srv.AccountID())
	ts.Setenv("CLOUDFLARE_API_KEY", "")
	ts.Setenv("CLOUDFLARE_EMAIL", "")
	ts.Setenv("CF_LOCAL_URL", srv.URL())
	ts.Setenv("CF_SUBDOMAIN", srv.Subdomain())
}

func (c *cfCommands) faults(ts *testscript.TestScript, args []string) {
	srv := c.server(ts)
	if len(args) == 1 && args[0] == "off" {
		ts.Check(srv.SetFaults(nil))
		return
	}
	var rules []local.FaultRule
	for _, spec := range args {
		r, err := local.ParseFaultRule(spec)
		ts.Check(err)
		rules = append(rules, r)
	}
	ts.Check(srv.SetFaults(rules))
}

// cfKinds lists each kind of resource `cf ls` knows with its lister.
var cfKinds = []struct {
	name string
	list func(ctx context.Context, st *store.Store, acct string) ([]string, error)
}{
	{"kv", func(ctx context.Context, st *store.Store, acct string) ([]string, error) {
		nss, err := st.KVNamespaces(ctx, acct)
		out := []string{}
		for _, ns := range nss {
			n, _ := st.KVCount(ctx, ns.ID)
			out = append(out, fmt.Sprintf("%s %s keys=%d", ns.Title, ns.ID, n))
		}
		return out, err
	}},
	{"r2", func(ctx context.Context, st *store.Store, acct string) ([]string, error) {
		bs, err := st.Buckets(ctx, acct)
		out := []string{}
		for _, b := range bs {
			n, _ := st.CountObjects(ctx, acct, b.Name)
			out = append(out, fmt.Sprintf("%s objects=%d", b.Name, n))
		}
		return out, err
	}},
	{"d1", func(ctx context.Context, st *store.Store, acct string) ([]string, error) {
		ds, err := st.D1s(ctx, acct, "")
		out := []string{}
		for _, d := range ds {
			out = append(out, fmt.Sprintf("%s %s tables=%d", d.Name, d.UUID, d.NumTables))
		}
		return out, err
	}},
	{"queues", func(ctx context.Context, st *store.Store, acct string) ([]string, error) {
		qs, err := st.Queues(ctx, acct)
		out := []string{}
		for _, q := range qs {
			consumers := []string{}
			for _, c := range q.Consumers {
				consumers = append(consumers, c.Script)
			}
			out = append(out, fmt.Sprintf("%s consumers=%s", q.Name, strings.Join(consumers, ",")))
		}
		return out, err
	}},
	{"workers", func(ctx context.Context, st *store.Store, acct string) ([]string, error) {
		scs, err := st.Scripts(ctx, acct)
		out := []string{}
		for _, sc := range scs {
			bindings := []string{}
			for _, b := range sc.Settings.Bindings {
				bindings = append(bindings, b.Name()+":"+b.Type())
			}
			out = append(out, fmt.Sprintf("%s bindings=%s", sc.Name, strings.Join(bindings, ",")))
		}
		return out, err
	}},
	{"do", func(ctx context.Context, st *store.Store, acct string) ([]string, error) {
		ns, err := st.DONamespaces(ctx, acct)
		out := []string{}
		for _, n := range ns {
			out = append(out, n.Name())
		}
		return out, err
	}},
	{"zones", func(ctx context.Context, st *store.Store, acct string) ([]string, error) {
		zs, err := st.Zones(ctx, acct, "")
		out := []string{}
		for _, z := range zs {
			out = append(out, z.Name)
		}
		return out, err
	}},
	{"routes", func(ctx context.Context, st *store.Store, acct string) ([]string, error) {
		zs, err := st.Zones(ctx, acct, "")
		out := []string{}
		for _, z := range zs {
			rs, _ := st.Routes(ctx, z.ID)
			for _, r := range rs {
				out = append(out, r.Pattern+" "+r.Script)
			}
		}
		return out, err
	}},
	{"domains", func(ctx context.Context, st *store.Store, acct string) ([]string, error) {
		ds, err := st.CustomDomains(ctx, acct, store.CustomDomainFilter{})
		out := []string{}
		for _, d := range ds {
			out = append(out, d.Hostname+" "+d.Service)
		}
		return out, err
	}},
	{"workflows", func(ctx context.Context, st *store.Store, acct string) ([]string, error) {
		ws, err := st.Workflows(ctx, acct)
		out := []string{}
		for _, w := range ws {
			out = append(out, w.Name+" "+w.ScriptName+"."+w.ClassName)
		}
		return out, err
	}},
}

func (c *cfCommands) ls(ts *testscript.TestScript, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: cf ls kv|r2|d1|queues|workers|do|zones|routes|domains|workflows|all")
	}
	srv := c.server(ts)
	ctx := context.Background()
	found := false
	for _, k := range cfKinds {
		if args[0] != k.name && args[0] != "all" {
			continue
		}
		found = true
		items, err := k.list(ctx, srv.Store(), srv.AccountID())
		ts.Check(err)
		slices.Sort(items)
		for _, it := range items {
			if args[0] == "all" {
				fmt.Fprintf(ts.Stdout(), "%s %s\n", k.name, it)
			} else {
				fmt.Fprintln(ts.Stdout(), it)
			}
		}
	}
	if !found {
		ts.Fatalf("cf ls: unknown kind %q", args[0])
	}
}

func httpCmd(ts *testscript.TestScript, neg bool, args []string) {
	retry, want, body, count := false, 0, "", 0
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-retry":
			retry = true
			args = args[1:]
		case "-status":
			if len(args) < 2 {
				ts.Fatalf("httpget: -status needs a value")
			}
			n, err := strconv.Atoi(args[1])
			ts.Check(err)
			want, args = n, args[2:]
		case "-n":
			if len(args) < 2 {
				ts.Fatalf("http: -n needs a value")
			}
			n, err := strconv.Atoi(args[1])
			ts.Check(err)
			count, args = n, args[2:]
		case "-d":
			if len(args) < 2 {
				ts.Fatalf("http: -d needs a value")
			}
			body, args = args[1], args[2:]
		case "-f":
			if len(args) < 2 {
				ts.Fatalf("http: -f needs a file")
			}
			body, args = ts.ReadFile(args[1]), args[2:]
		default:
			ts.Fatalf("http: unknown flag %q", args[0])
		}
	}
	if len(args) < 2 {
		ts.Fatalf("usage: http [-retry] [-status N] [-n N] [-d BODY | -f FILE] METHOD URL [Header:Value]...")
	}
	method := args[0]
	args = args[1:]
	for _, h := range args[1:] {
		if !strings.Contains(h, ":") {
			ts.Fatalf("http: header %q is not Name:Value", h)
		}
	}
	newReqTo := func(url string) *http.Request {
		req, err := http.NewRequest(method, url, strings.NewReader(body))
		ts.Check(err)
		for _, h := range args[1:] {
			k, v, _ := strings.Cut(h, ":")
			if strings.EqualFold(k, "Host") {
				req.Host = strings.TrimSpace(v)
				continue
			}
			req.Header.Set(k, strings.TrimSpace(v))
		}
		return req
	}
	newReq := func() *http.Request { return newReqTo(args[0]) }
	client := &http.Client{Timeout: 10 * time.Second}
	if count > 0 {
		httpConcurrent(ts, client, newReqTo, args[0], count)
		return
	}
	deadline := time.Now().Add(10 * time.Second)
	var resp *http.Response
	var err error
	for {
		resp, err = client.Do(newReq())
		if err == nil || !retry || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	ts.Check(err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	ts.Check(err)
	ts.Stdout().Write(out)
	failed := resp.StatusCode >= 400
	switch {
	case want != 0 && resp.StatusCode != want:
		ts.Fatalf("http %s %s: status %d, want %d", method, args[0], resp.StatusCode, want)
	case want == 0 && failed && !neg:
		ts.Fatalf("http %s %s: status %d", method, args[0], resp.StatusCode)
	case want == 0 && !failed && neg:
		ts.Fatalf("http %s %s: status %d, want a failure", method, args[0], resp.StatusCode)
	}
}

func freePortCmd(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || neg {
		ts.Fatalf("usage: freeport NAME")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	ts.Setenv(args[0], strconv.Itoa(port))
}

// httpConcurrent sends n requests at once, with {i} in the URL replaced by
// each request's index, and prints "STATUS BODY" for each, sorted by body
// (numerically when bodies are numbers), one a line.
func httpConcurrent(ts *testscript.TestScript, client *http.Client, newReq func(url string) *http.Request, url string, n int) {
	type result struct {
		status int
		body   string
	}
	results := make([]result, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := client.Do(newReq(strings.ReplaceAll(url, "{i}", strconv.Itoa(i))))
			if err != nil {
				errs[i] = err
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			first, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
			results[i], errs[i] = result{resp.StatusCode, first}, err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		ts.Check(err)
	}
	slices.SortFunc(results, func(a, b result) int {
		x, errA := strconv.Atoi(a.body)
		y, errB := strconv.Atoi(b.body)
		if errA == nil && errB == nil && x != y {
			return x - y
		}
		if c := strings.Compare(a.body, b.body); c != 0 {
			return c
		}
		return a.status - b.status
	})
	for _, r := range results {
		fmt.Fprintf(ts.Stdout(), "%d %s\n", r.status, r.body)
	}
}

// deploy bundles a Worker and deploys it through the storage API.
func (c *cfCommands) deploy(ts *testscript.TestScript, args []string) {
	srv := c.server(ts)
	st, acct, ctx := srv.Store(), srv.AccountID(), context.Background()
	classic := false
	var flags, classes, consumers []string
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-classic":
			classic = true
			args = args[1:]
			continue
		case "-flag", "-class", "-consumer":
		default:
			ts.Fatalf("cf deploy: unknown flag %q", args[0])
		}
		if len(args) < 2 {
			ts.Fatalf("cf deploy: %s needs a value", args[0])
		}
		switch args[0] {
		case "-flag":
			flags = append(flags, args[1])
		case "-class":
			classes = append(classes, args[1])
		case "-consumer":
			consumers = append(consumers, args[1])
		}
		args = args[2:]
	}
	if len(args) < 2 {
		ts.Fatalf("usage: cf deploy [-classic] [-flag F]... [-class C]... [-consumer QUEUE]... NAME FILE [BINDING=SPEC]...")
	}
	name, file := args[0], ts.MkAbs(args[1])
	up := store.ScriptUpload{Settings: store.ScriptSettings{CompatibilityDate: "2025-06-01", CompatibilityFlags: flags, Bindings: []store.Binding{}}}
	if classic {
		up.BodyPart = filepath.Base(file)
		up.Modules = []store.Module{{Name: up.BodyPart, ContentType: "application/javascript", Content: []byte(ts.ReadFile(args[1]))}}
	} else {
		nodeCompat := slices.ContainsFunc(flags, func(f string) bool { return strings.HasPrefix(f, "nodejs_compat") })
		b, err := bundler.BundleWorker(bundler.WorkerOptions{Entry: file, Dir: ts.MkAbs("."), NodeCompat: nodeCompat})
		ts.Check(err)
		up.MainModule = "worker.js"
		for _, p := range b.Parts("worker.js") {
			up.Modules = append(up.Modules, store.Module{Name: p.Name, ContentType: p.ContentType, Content: p.Content})
		}
	}
	if len(classes) > 0 {
		up.Migrations = &store.Migrations{MigrationStep: store.MigrationStep{NewSqliteClasses: classes}}
		if cur, err := st.ScriptSummary(ctx, acct, name); err == nil {
			up.Migrations.OldTag = cur.MigrationTag
			var fresh []string
			ns, _ := st.DONamespaces(ctx, acct)
			for _, cl := range classes {
				if !slices.ContainsFunc(ns, func(n store.DONamespace) bool { return n.Script == name && n.Class == cl }) {
					fresh = append(fresh, cl)
				}
			}
			up.Migrations.NewSqliteClasses = fresh
		}
	}
	for _, spec := range args[2:] {
		up.Settings.Bindings = append(up.Settings.Bindings, deployBinding(ts, st, acct, spec))
	}
	_, err := st.PutScript(ctx, acct, name, up)
	ts.Check(err)
	ts.Check(st.SetScriptSubdomain(ctx, acct, name, true, false))
	for _, qname := range consumers {
		q := ensureQueue(ts, st, acct, qname)
		if !slices.ContainsFunc(q.Consumers, func(c store.Consumer) bool { return c.Script == name }) {
			_, err := st.CreateConsumer(ctx, acct, q.ID, store.Consumer{Type: "worker", Script: name, Settings: store.ConsumerSettings{BatchSize: 10, MaxRetries: 3}})
			ts.Check(err)
		}
	}
}

func ensureQueue(ts *testscript.TestScript, st *store.Store, acct, name string) store.Queue {
	ctx := context.Background()
	q, err := st.QueueByName(ctx, acct, name)
	if errors.Is(err, store.ErrNotFound) {
		q, err = st.CreateQueue(ctx, acct, name, nil)
	}
	ts.Check(err)
	return q
}

// deployBinding turns NAME=SPEC into a binding, creating what it names.
func deployBinding(ts *testscript.TestScript, st *store.Store, acct, spec string) store.Binding {
	ctx := context.Background()
	name, value, ok := strings.Cut(spec, "=")
	if !ok {
		ts.Fatalf("cf deploy: binding %q is not NAME=SPEC", spec)
	}
	kind, arg, _ := strings.Cut(value, ":")
	b := store.Binding{"name": name}
	switch kind {
	case "kv":
		nss, err := st.KVNamespaces(ctx, acct)
		ts.Check(err)
		i := slices.IndexFunc(nss, func(n store.KVNamespace) bool { return n.Title == arg })
		var id string
		if i >= 0 {
			id = nss[i].ID
		} else {
			ns, err := st.CreateKVNamespace(ctx, acct, arg)
			ts.Check(err)
			id = ns.ID
		}
		b["type"], b["namespace_id"] = "kv_namespace", id
	case "r2":
		if _, err := st.Bucket(ctx, acct, arg); errors.Is(err, store.ErrNotFound) {
			_, err = st.CreateBucket(ctx, store.Bucket{AccountID: acct, Name: arg})
			ts.Check(err)
		}
		b["type"], b["bucket_name"] = "r2_bucket", arg
	case "d1":
		dbs, err := st.D1s(ctx, acct, arg)
		ts.Check(err)
		var id string
		if len(dbs) > 0 {
			id = dbs[0].UUID
		} else {
			db, err := st.CreateD1(ctx, acct, arg, "", "")
			ts.Check(err)
			id = db.UUID
		}
		b["type"], b["database_id"] = "d1", id
	case "queue":
		ensureQueue(ts, st, acct, arg)
		b["type"], b["queue_name"] = "queue", arg
	case "do":
		class, script, _ := strings.Cut(arg, "@")
		b["type"], b["class_name"] = "durable_object_namespace", class
		if script != "" {
			b["script_name"] = script
		}
	case "service":
		script, entry, _ := strings.Cut(arg, ":")
		b["type"], b["service"] = "service", script
		if entry != "" {
			b["entrypoint"] = entry
		}
	case "text":
		b["type"], b["text"] = "plain_text", arg
	case "secret":
		b["type"], b["text"] = "secret_text", arg
	case "json":
		var v any
		ts.Check(json.Unmarshal([]byte(arg), &v))
		b["type"], b["json"] = "json", v
	case "version":
		b["type"] = "version_metadata"
	default:
		ts.Fatalf("cf deploy: unknown binding kind %q in %q", kind, spec)
	}
	return b
}

// kvGet prints a KV value by namespace title and key.
func (c *cfCommands) kvGet(ts *testscript.TestScript, args []string) {
	wait := len(args) > 0 && args[0] == "-wait"
	if wait {
		args = args[1:]
	}
	if len(args) != 2 {
		ts.Fatalf("usage: cf kv [-wait] TITLE KEY")
	}
	srv := c.server(ts)
	st, ctx := srv.Store(), context.Background()
	nss, err := st.KVNamespaces(ctx, srv.AccountID())
	ts.Check(err)
	i := slices.IndexFunc(nss, func(n store.KVNamespace) bool { return n.Title == args[0] })
	if i < 0 {
		ts.Fatalf("cf kv: no namespace titled %q", args[0])
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		e, err := st.KVGet(ctx, nss[i].ID, args[1])
		if err == nil {
			fmt.Fprintln(ts.Stdout(), string(e.Value))
			return
		}
		if !errors.Is(err, store.ErrNotFound) || !wait || time.Now().After(deadline) {
			ts.Fatalf("cf kv: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
