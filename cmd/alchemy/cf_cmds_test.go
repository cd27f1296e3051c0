package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/local/store"
)

// Testscript commands of the local Cloudflare:
//
//	cf start [-token T] [-zone NAME]... [-fault SPEC]...
//	    start an in-process local Cloudflare on a free 127.0.0.1 port with its
//	    data under $WORK/.cloudflare, and point the script's environment at it
//	    (CLOUDFLARE_BASE_URL, CLOUDFLARE_API_BASE_URL, CLOUDFLARE_API_TOKEN,
//	    CLOUDFLARE_ACCOUNT_ID, plus CF_LOCAL_URL and CF_SUBDOMAIN). It stops
//	    when the script ends.
//	cf faults SPEC... | cf faults off
//	    replace the fault rules (syntax of `alchemy local --fault`).
//	cf ls kv|r2|d1|queues|workers|do|zones|routes|domains|workflows|all
//	    print what the local Cloudflare holds, one line per item, sorted;
//	    `all` prints every kind with its name as a prefix.
//	http [-retry] [-status N] [-d BODY | -f FILE] METHOD URL [Header:Value]...
//	    send a request and print the response body. Fails on a status ≥ 400
//	    unless -status names the expected one (or with !, on a success);
//	    -retry keeps trying for 10s while the connection is refused (a
//	    server starting in the background). Host:NAME sets the Host header.
//	httpget [flags] URL [Header:Value]...
//	    http GET.
//	freeport NAME
//	    set $NAME to a free 127.0.0.1 port.
func init() {
	cf := &cfCommands{servers: map[*testscript.TestScript]*local.Server{}}
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
}

type cfCommands struct {
	mu      sync.Mutex
	servers map[*testscript.TestScript]*local.Server
}

func (c *cfCommands) run(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: cf start|faults|ls ...")
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
	for i := 0; i < len(args); i++ {
		if i+1 >= len(args) {
			ts.Fatalf("cf start: %s needs a value", args[i])
		}
		switch args[i] {
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
	srv, err := local.Start(context.Background(), opt)
	ts.Check(err)
	c.mu.Lock()
	c.servers[ts] = srv
	c.mu.Unlock()
	ts.Defer(func() {
		c.mu.Lock()
		delete(c.servers, ts)
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
	retry, want, body := false, 0, ""
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
		ts.Fatalf("usage: http [-retry] [-status N] [-d BODY | -f FILE] METHOD URL [Header:Value]...")
	}
	method := args[0]
	args = args[1:]
	for _, h := range args[1:] {
		if !strings.Contains(h, ":") {
			ts.Fatalf("http: header %q is not Name:Value", h)
		}
	}
	newReq := func() *http.Request {
		req, err := http.NewRequest(method, args[0], strings.NewReader(body))
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
	client := &http.Client{Timeout: 10 * time.Second}
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
