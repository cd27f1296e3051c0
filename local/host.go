package local

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/alchemy-go/alchemy/local/store"
)

// WorkerHost runs deployed Workers. The Worker runtime implements it; the
// Server routes requests to it and tells it when scripts change.
type WorkerHost interface {
	// ServeWorker answers an HTTP request addressed to a Worker.
	ServeWorker(w http.ResponseWriter, r *http.Request, target WorkerTarget)
	// ScriptChanged is called after a script was uploaded or its settings,
	// secrets, schedules or workers.dev flag changed. It must return
	// quickly (load the script on another goroutine or lazily).
	ScriptChanged(account, script string)
	// ScriptDeleted is called after a script was removed.
	ScriptDeleted(account, script string)
}

// HostAttacher is implemented by a WorkerHost that needs the Server it
// runs Workers for: its storage, account and hostnames. Start calls Attach
// before serving. A host that also implements io.Closer is closed by the
// Server's Close, after the last request and before the storage closes.
type HostAttacher interface {
	Attach(s *Server) error
}

// ScriptChecker is implemented by a WorkerHost that can tell whether a
// script's code runs before it is stored. With Options.RejectBrokenUploads,
// the Server rejects an upload whose code it reports an error for, with
// Cloudflare's 400 and code 10021, and keeps the script as it was.
type ScriptChecker interface {
	CheckScript(ctx context.Context, account string, sc *store.Script) error
}

// WorkerTarget is the Worker a request was routed to, and why.
type WorkerTarget struct {
	AccountID string
	Script    string
	// Via is "workers.dev", "route" or "custom_domain".
	Via string
	// Pattern is the matching route pattern or custom hostname.
	Pattern string
}

// NoRuntime is the WorkerHost of a build without a Worker runtime: it
// answers every Worker request with 503 naming the script.
type NoRuntime struct{}

// ServeWorker answers 503.
func (NoRuntime) ServeWorker(w http.ResponseWriter, r *http.Request, t WorkerTarget) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusServiceUnavailable)
	fmt.Fprintf(w, "Worker %q (via %s) is deployed, but there is no Worker runtime in this build to run it.\n", t.Script, t.Via)
}

// ScriptChanged does nothing.
func (NoRuntime) ScriptChanged(account, script string) {}

// ScriptDeleted does nothing.
func (NoRuntime) ScriptDeleted(account, script string) {}

// handler routes by Host: Worker hostnames go to the WorkerHost, all else
// to the API (through faults and the request log).
func (s *Server) handler(apiHandler http.Handler) http.Handler {
	apiChain := s.logRequests(s.injectFaults(apiHandler))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if t, ok := s.resolveWorker(r.Context(), r.Host, r.URL.Path); ok {
			if t.Script == "" {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.WriteHeader(http.StatusNotFound)
				fmt.Fprintf(w, "There is nothing here yet: no Worker is deployed at %s.\n", r.Host)
				return
			}
			s.host.ServeWorker(w, r, t)
			return
		}
		apiChain.ServeHTTP(w, r)
	})
}

// routeCache remembers how hosts and paths resolved to Workers while the
// store's control-plane records stay unchanged, so that a request to a
// Worker does not query the store.
type routeCache struct {
	mu      sync.Mutex
	gen     uint64
	entries map[string]routeEntry
}

type routeEntry struct {
	target WorkerTarget
	ok     bool
}

// maxRouteCache bounds the cache (route patterns make every path a key).
const maxRouteCache = 4096

func (c *routeCache) get(gen uint64, key string) (routeEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return routeEntry{}, false
	}
	e, ok := c.entries[key]
	return e, ok
}

func (c *routeCache) put(gen uint64, key string, e routeEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen || len(c.entries) >= maxRouteCache {
		c.gen, c.entries = gen, map[string]routeEntry{}
	}
	c.entries[key] = e
}

// resolveWorker maps a Host header to a Worker. ok with an empty Script
// means the host is a Worker hostname with nothing deployed on it.
func (s *Server) resolveWorker(ctx context.Context, hostport, path string) (WorkerTarget, bool) {
	if !workerHostname(hostport) {
		return WorkerTarget{}, false
	}
	gen := s.st.Generation()
	key := hostport + "\x00" + path
	if e, ok := s.routes.get(gen, key); ok {
		return e.target, e.ok
	}
	t, ok := s.lookupWorker(ctx, hostport, path)
	s.routes.put(gen, key, routeEntry{t, ok})
	return t, ok
}

// workerHostname reports whether a Host header may name a Worker: API
// requests come to an IP address or localhost.
func workerHostname(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(host, ".")
	return host != "" && !strings.EqualFold(host, "localhost") && net.ParseIP(host) == nil
}

func (s *Server) lookupWorker(ctx context.Context, hostport, path string) (WorkerTarget, bool) {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "" || host == "localhost" || net.ParseIP(host) != nil {
		return WorkerTarget{}, false
	}
	if rest, ok := strings.CutSuffix(host, ".workers.dev"); ok {
		script, sub, ok := strings.Cut(rest, ".")
		if !ok {
			return WorkerTarget{}, false
		}
		acct, err := s.st.AccountBySubdomain(ctx, sub)
		if err != nil {
			return WorkerTarget{Via: "workers.dev"}, true
		}
		sc, err := s.st.ScriptSummary(ctx, acct, script)
		if err != nil || !sc.SubdomainEnabled {
			return WorkerTarget{Via: "workers.dev"}, true
		}
		return WorkerTarget{AccountID: acct, Script: script, Via: "workers.dev", Pattern: host}, true
	}
	if d, err := s.st.CustomDomainByHost(ctx, host); err == nil {
		return WorkerTarget{AccountID: d.AccountID, Script: d.Service, Via: "custom_domain", Pattern: d.Hostname}, true
	}
	if rt, z, ok := s.st.MatchRoute(ctx, host, path); ok {
		return WorkerTarget{AccountID: z.AccountID, Script: rt.Script, Via: "route", Pattern: rt.Pattern}, true
	}
	if _, err := s.st.ZoneForHost(ctx, host); err == nil {
		return WorkerTarget{Via: "route"}, true
	}
	return WorkerTarget{}, false
}

// ResolveWorker reports which Worker would serve a request for host and
// path, for tools that want to call a Worker by name.
func (s *Server) ResolveWorker(ctx context.Context, host, path string) (WorkerTarget, bool) {
	t, ok := s.resolveWorker(ctx, host, path)
	return t, ok && t.Script != ""
}

// WorkerHostname is the workers.dev hostname of a script of the account.
func (s *Server) WorkerHostname(script string) string {
	return script + "." + s.subdomain + ".workers.dev"
}
