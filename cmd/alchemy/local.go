package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/local/worker"
)

// defaultLocalAddr is where `alchemy local` listens unless told otherwise
// (away from wrangler's 8787 and the dev servers' 1337+).
const defaultLocalAddr = "127.0.0.1:8789"

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// runLocalCommand serves the local Cloudflare until ctx is cancelled.
func runLocalCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("alchemy local", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		addr        = fs.String("addr", defaultLocalAddr, "listen address `host:port` (port 0 picks a free one)")
		dataDir     = fs.String("data", ".alchemy/local", "data `directory`; everything persists there")
		accountID   = fs.String("account-id", "", "account `id` (32 hex); default: the one remembered in the data directory")
		accountName = fs.String("account-name", "", "account display `name`")
		subdomain   = fs.String("subdomain", "", "workers.dev subdomain `name` (default: the registered one, else \"local\")")
		token       = fs.String("token", "", "accept only this API `token` (403 code 10000 otherwise); required off loopback")
		requestLog  = fs.String("request-log", "", "append a JSON line per API request to `file` (\"-\" for stderr)")
		cpuLimit    = fs.Duration("cpu-limit", worker.DefaultCPULimit, "how long a Worker request may run JavaScript without yielding (`duration`; 0 for no limit)")
		isolates    = fs.Int("isolates", 0, "isolates per Worker serving requests in parallel (`n`; 0 means one per two CPUs)")
		zones       multiFlag
		faultSpecs  multiFlag
	)
	fs.Var(&zones, "zone", "create the zone `name` if missing (repeatable); routes and custom domains need zones")
	fs.Var(&faultSpecs, "fault", "inject faults: `KIND[,fraction=F][,path=RE][,method=M][,count=N]` with KIND 429, 500 or drop (repeatable)")
	extras := addLocalExtras(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: alchemy local [flags]\n\nServes Cloudflare's REST API at /client/v4/ and /, with Workers on the same address by Host header.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "alchemy local: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *token == "" && !isLoopbackAddr(*addr) {
		fmt.Fprintf(stderr, "alchemy local: refusing to serve %s without --token: any token is accepted, so only loopback addresses are allowed\n", *addr)
		return 2
	}
	var rules []local.FaultRule
	for _, spec := range faultSpecs {
		r, err := local.ParseFaultRule(spec)
		if err != nil {
			fmt.Fprintf(stderr, "alchemy local: --fault: %v\n", err)
			return 2
		}
		rules = append(rules, r)
	}
	limit := *cpuLimit
	if limit == 0 {
		limit = -1
	}
	// Workers run in UTC on Cloudflare. goja's Date reads time.Local, and
	// this process runs nothing but Workers.
	time.Local = time.UTC
	opt := local.Options{Addr: *addr, DataDir: *dataDir, AccountID: *accountID, AccountName: *accountName, Subdomain: *subdomain,
		Token: *token, Zones: zones, Faults: rules, RejectBrokenUploads: true,
		Host: worker.New(worker.Options{Log: stderr, CPULimit: limit, Isolates: *isolates})}
	switch *requestLog {
	case "":
	case "-":
		opt.RequestLog = stderr
	default:
		f, err := os.OpenFile(*requestLog, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
		if err != nil {
			fmt.Fprintf(stderr, "alchemy local: --request-log: %v\n", err)
			return 1
		}
		defer f.Close()
		opt.RequestLog = f
	}
	extras.apply(&opt)
	srv, err := local.Start(ctx, opt)
	if err != nil {
		fmt.Fprintf(stderr, "alchemy local: %v\n", err)
		return 1
	}
	printLocalBanner(stdout, srv)
	<-ctx.Done()
	if err := srv.Close(); err != nil {
		fmt.Fprintf(stderr, "alchemy local: stopping: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, "local Cloudflare stopped")
	return 0
}

func printLocalBanner(w io.Writer, srv *local.Server) {
	tok, tokNote := srv.Token(), ""
	if tok == "" {
		tok, tokNote = "local", "  (any token is accepted)"
	}
	_, port, _ := net.SplitHostPort(srv.Addr())
	fmt.Fprintf(w, "local Cloudflare serving at %s\n", srv.URL())
	fmt.Fprintf(w, "  API base URL  %s\n", srv.APIBaseURL())
	fmt.Fprintf(w, "  account id    %s\n", srv.AccountID())
	fmt.Fprintf(w, "  workers.dev   %s.workers.dev  (Workers answer on this address with Host: <script>.%s.workers.dev:%s)\n", srv.Subdomain(), srv.Subdomain(), port)
	fmt.Fprintf(w, "  API token     %s%s\n", tok, tokNote)
	fmt.Fprintf(w, "  data          %s\n", srv.DataDir())
	fmt.Fprintf(w, "\nexport CLOUDFLARE_BASE_URL=%s\n", srv.APIBaseURL())
	fmt.Fprintf(w, "export CLOUDFLARE_API_BASE_URL=%s\n", srv.APIBaseURL())
	fmt.Fprintf(w, "export CLOUDFLARE_ACCOUNT_ID=%s\n", srv.AccountID())
	fmt.Fprintf(w, "export CLOUDFLARE_API_TOKEN=%s\n", tok)
}

// isLoopbackAddr reports whether a listen address only accepts local
// connections.
func isLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
