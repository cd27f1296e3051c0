// Package local is the local Cloudflare: Cloudflare's REST API (package
// api) over on-disk storage (package store), with deployed Workers served
// on the same address by a WorkerHost.
package local

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/alchemy-go/alchemy/local/api"
	"github.com/alchemy-go/alchemy/local/store"
)

// Options configure a Server. The zero value serves a fresh account on a
// random loopback port with data in a temporary directory.
type Options struct {
	// Addr is the listen address; "" means 127.0.0.1:0 (a free port).
	Addr string
	// DataDir holds the data; "" means a temporary directory removed by Close.
	DataDir string
	// AccountID of the account to serve (32 hex); it is remembered in
	// DataDir. "" means the remembered id, or a new random one the first time.
	AccountID string
	// AccountName is the account's display name ("" keeps or defaults it).
	AccountName string
	// Subdomain is the account's workers.dev subdomain. "" keeps the
	// registered one, or registers "local" the first time.
	Subdomain string
	// Token, when set, is the only API token accepted. Otherwise any
	// well-formed credential is.
	Token string
	// Accounts are further accounts, each reachable only with its own
	// token; their data is invisible to the main account's token.
	Accounts []Account
	// Zones are created for the account if missing (routes and custom
	// domains need a zone).
	Zones []string
	// Faults injects failures into API requests.
	Faults []FaultRule
	// FaultSeed seeds the fault dice (0 = random), for repeatable tests.
	FaultSeed uint64
	// RequestLog receives one JSON line per API request when non-nil.
	RequestLog io.Writer
	// Host runs Workers; nil answers Worker requests with 503.
	Host WorkerHost
	// RejectBrokenUploads makes a Worker upload whose code does not build,
	// compile or start fail with Cloudflare's 400 and code 10021, leaving
	// the script as it was, as Cloudflare does. It needs a Host that is a
	// ScriptChecker (the Worker runtime). Off, such an upload is stored and
	// the last good version keeps serving (a dev session's choice: it
	// reports the error and goes on).
	RejectBrokenUploads bool
	// Middleware wraps the API handler (tests validate traffic with it).
	Middleware func(http.Handler) http.Handler
}

// Account is an additional account with its own token.
type Account struct {
	ID    string // 32 hex
	Name  string
	Token string
}

// Server is a running local Cloudflare.
type Server struct {
	st        *store.Store
	ln        net.Listener
	http      *http.Server
	account   string
	subdomain string
	token     string
	faults    *faults
	host      WorkerHost
	routes    routeCache
	logMu     sync.Mutex
	log       io.Writer
	tmpDir    string
	stopQueue func()
	done      chan struct{}
	closeOnce sync.Once
	closeErr  error
}

// Start opens the data directory, seeds the account and starts serving.
func Start(ctx context.Context, opt Options) (*Server, error) {
	s := &Server{log: opt.RequestLog, host: opt.Host, token: opt.Token, done: make(chan struct{})}
	if s.host == nil {
		s.host = NoRuntime{}
	}
	dir := opt.DataDir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "alchemy-local-*")
		if err != nil {
			return nil, fmt.Errorf("local cloudflare: %w", err)
		}
		dir, s.tmpDir = tmp, tmp
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	st, err := store.Open(ctx, dir)
	if err != nil {
		s.cleanupTmp()
		return nil, fmt.Errorf("local cloudflare: %w", err)
	}
	s.st = st
	if err := s.seed(ctx, opt); err != nil {
		s.Close()
		return nil, fmt.Errorf("local cloudflare: %w", err)
	}
	if a, ok := s.host.(HostAttacher); ok {
		if err := a.Attach(s); err != nil {
			s.Close()
			return nil, fmt.Errorf("local cloudflare: worker host: %w", err)
		}
	}
	if s.faults, err = newFaults(opt.Faults, opt.FaultSeed); err != nil {
		s.Close()
		return nil, fmt.Errorf("local cloudflare: %w", err)
	}
	addr := opt.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	s.ln, err = net.Listen("tcp", addr)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("local cloudflare: listen %s: %w", addr, err)
	}
	cfg := api.Config{Store: st, DefaultAccount: s.account, AnyToken: opt.Token == "", Tokens: map[string]string{}}
	if opt.Token != "" {
		cfg.Tokens[opt.Token] = s.account
	}
	for _, a := range opt.Accounts {
		cfg.Tokens[a.Token] = strings.ToLower(a.ID)
	}
	if c, ok := s.host.(ScriptChecker); ok && opt.RejectBrokenUploads {
		cfg.CheckScript = c.CheckScript
	}
	var apiHandler http.Handler = api.New(cfg)
	if opt.Middleware != nil {
		apiHandler = opt.Middleware(apiHandler)
	}
	s.http = &http.Server{Handler: s.handler(apiHandler), ReadHeaderTimeout: 30 * time.Second}
	s.stopQueue = s.startQueueDispatch()
	unsub := st.Subscribe(func(e store.Event) {
		switch e.Kind {
		case store.ScriptUpdated:
			s.host.ScriptChanged(e.AccountID, e.Name)
		case store.ScriptDeleted:
			s.host.ScriptDeleted(e.AccountID, e.Name)
		}
	})
	go func() {
		defer close(s.done)
		defer unsub()
		if err := s.http.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.closeErr = err
		}
	}()
	return s, nil
}

func (s *Server) seed(ctx context.Context, opt Options) error {
	id := strings.ToLower(opt.AccountID)
	if id == "" {
		var err error
		if id, err = s.st.DefaultAccountID(ctx); err != nil {
			return err
		}
	} else if !isHex32(id) {
		return fmt.Errorf("account id %q: want 32 lowercase hex characters", opt.AccountID)
	} else if err := s.st.SetDefaultAccountID(ctx, id); err != nil {
		return err
	}
	name := opt.AccountName
	if name == "" {
		name = "Local Account"
	}
	if _, err := s.st.EnsureAccount(ctx, id, name); err != nil {
		return err
	}
	s.account = id
	sub := opt.Subdomain
	if sub == "" {
		if cur, err := s.st.Subdomain(ctx, id); err == nil {
			sub = cur
		} else {
			sub = "local"
		}
	}
	if err := s.st.SetSubdomain(ctx, id, sub); err != nil {
		return err
	}
	s.subdomain = strings.ToLower(sub)
	for _, a := range opt.Accounts {
		aid := strings.ToLower(a.ID)
		if !isHex32(aid) || a.Token == "" || a.Token == opt.Token || aid == id {
			return fmt.Errorf("account %q: want a distinct 32-hex id and its own token", a.ID)
		}
		if _, err := s.st.EnsureAccount(ctx, aid, cmp.Or(a.Name, "Account "+aid[:8])); err != nil {
			return err
		}
		if _, err := s.st.Subdomain(ctx, aid); err != nil {
			if err := s.st.SetSubdomain(ctx, aid, "local-"+aid[:8]); err != nil {
				return err
			}
		}
	}
	for _, z := range opt.Zones {
		if _, err := s.st.EnsureZone(ctx, id, z); err != nil {
			return err
		}
	}
	return nil
}

func isHex32(s string) bool {
	if len(s) != 32 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// URL is the server's base URL without a path: the API answers both at
// URL()+"/client/v4/" and at URL()+"/".
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// APIBaseURL is the URL to give Cloudflare clients (…/client/v4).
func (s *Server) APIBaseURL() string { return s.URL() + "/client/v4" }

// Addr is the listen address (host:port).
func (s *Server) Addr() string { return s.ln.Addr().String() }

// AccountID is the served account.
func (s *Server) AccountID() string { return s.account }

// Subdomain is the account's workers.dev subdomain.
func (s *Server) Subdomain() string { return s.subdomain }

// Token is the accepted API token ("" when any token is accepted).
func (s *Server) Token() string { return s.token }

// Store is the storage, for Worker bindings and inspection.
func (s *Server) Store() *store.Store { return s.st }

// DataDir is the data directory in use.
func (s *Server) DataDir() string { return s.st.Dir() }

// SetFaults replaces the fault rules at run time.
func (s *Server) SetFaults(rules []FaultRule) error { return s.faults.set(rules) }

// closeGrace is how long Close lets requests in flight finish. It is short:
// http.Server.Shutdown counts a connection that has not sent a request yet
// (a browser's spare connection) as busy for 5 s, and Ctrl-C on a dev
// session must not wait for it.
const closeGrace = time.Second

// Close stops serving and closes the storage. Requests still running
// after closeGrace are cut off. It is safe to call twice.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		var errs []error
		if s.http != nil {
			ctx, cancel := context.WithTimeout(context.Background(), closeGrace)
			if err := s.http.Shutdown(ctx); err != nil {
				s.http.Close()
			}
			cancel()
			<-s.done
			errs = append(errs, s.closeErr)
		}
		if s.stopQueue != nil {
			s.stopQueue()
		}
		if c, ok := s.host.(io.Closer); ok && s.st != nil {
			errs = append(errs, c.Close())
		}
		if s.st != nil {
			errs = append(errs, s.st.Close())
		}
		s.cleanupTmp()
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

func (s *Server) cleanupTmp() {
	if s.tmpDir != "" {
		os.RemoveAll(s.tmpDir)
	}
}
