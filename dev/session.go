// Package dev runs a dev session: a local Cloudflare in-process with its
// data on disk, each deployed Worker served on its own localhost port
// (1337 upward, the same port for the whole session and, when free, across
// sessions), Workers bundled incrementally and swapped in place when their
// files change, and a Watcher that reports changed files after a burst of
// events has settled. The command line runs the program against a Session
// (it is the Cloudflare provider's DevHost) and re-runs it on changes.
package dev

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/alchemy-go/alchemy/bundler"
	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/local/store"
	"github.com/alchemy-go/alchemy/local/worker"
	"github.com/alchemy-go/alchemy/providers/cloudflare"
)

// closeGrace is how long stopping a Worker's server lets requests in
// flight finish before it cuts their connections.
const closeGrace = time.Second

// Options configure a Session.
type Options struct {
	// DataDir holds the local Cloudflare's data (KV, R2, D1, Durable
	// Objects, Queues, Workers); it survives sessions.
	DataDir string
	// BasePort is the first port Workers are served on; 0 means
	// DefaultBasePort.
	BasePort int
	// Out receives the [dev] lines (Ready at, Updated).
	Out io.Writer
	// Log receives the Workers' console output, their errors and build
	// errors.
	Log io.Writer
}

// Session is a running dev session. It implements cloudflare.DevHost.
type Session struct {
	opts Options
	srv  *local.Server
	rt   *worker.Runtime
	ctx  context.Context // cancelled by Close
	stop context.CancelFunc

	mu      sync.Mutex
	ports   ports
	workers map[string]*served // by script name
	bundles map[string]*bundler.WorkerContext
	closed  bool
}

// served is a Worker answering on its own port.
type served struct {
	script  string
	fqn     string
	port    int
	http    *http.Server
	done    chan struct{}
	inputs  []string
	rebuild func() (cloudflare.DevCode, error)
	swap    sync.Mutex // one swap of this Worker at a time
}

var _ cloudflare.DevHost = (*Session)(nil)

// Start starts the local Cloudflare with its data in opts.DataDir.
func Start(ctx context.Context, opts Options) (*Session, error) {
	if opts.BasePort == 0 {
		opts.BasePort = DefaultBasePort
	}
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	rt := worker.New(worker.Options{Log: opts.Log})
	srv, err := local.Start(ctx, local.Options{DataDir: opts.DataDir, Host: rt})
	if err != nil {
		return nil, err
	}
	sctx, stop := context.WithCancel(context.Background())
	return &Session{opts: opts, srv: srv, rt: rt, ctx: sctx, stop: stop,
		ports:   ports{base: opts.BasePort, taken: map[int]string{}},
		workers: map[string]*served{}, bundles: map[string]*bundler.WorkerContext{}}, nil
}

// API is the connection the Cloudflare provider uses for local resources.
func (s *Session) API() cloudflare.Config {
	return cloudflare.Config{BaseURL: s.srv.APIBaseURL(), APIToken: "dev", AccountID: s.srv.AccountID()}
}

// Server is the local Cloudflare.
func (s *Session) Server() *local.Server { return s.srv }

// BundleWorker implements cloudflare.DevHost: each distinct set of options
// keeps an incremental esbuild context for the whole session.
func (s *Session) BundleWorker(opts bundler.WorkerOptions) (*bundler.Worker, error) {
	key := opts.Key()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, errors.New("dev session closed")
	}
	c := s.bundles[key]
	s.mu.Unlock()
	if c == nil {
		var err error
		if c, err = bundler.NewWorkerContext(opts); err != nil {
			return nil, err
		}
		s.mu.Lock()
		if prev := s.bundles[key]; prev != nil {
			c.Dispose()
			c = prev
		} else {
			s.bundles[key] = c
		}
		s.mu.Unlock()
	}
	return c.Rebuild()
}

// ServeWorker implements cloudflare.DevHost. The first call for a script
// opens its port and prints "[dev] id Ready at URL"; later calls (each
// program run) keep the port and record the new way to rebuild it.
func (s *Session) ServeWorker(ctx context.Context, w cloudflare.DevWorker) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return "", errors.New("dev session closed")
	}
	cur := s.workers[w.Script]
	if cur != nil && (w.Port == 0 || w.Port == cur.port) {
		cur.fqn, cur.inputs, cur.rebuild = w.FQN, w.Inputs, w.Rebuild
		return localURL(cur.port), nil
	}
	if cur != nil {
		// dev.port changed: move the Worker.
		s.stopLocked(cur)
	}
	ln, port, err := s.ports.listen(w.Script, w.Port, portOf(w.PreviousURL))
	if err != nil {
		return "", err
	}
	sv := &served{script: w.Script, fqn: w.FQN, port: port, inputs: w.Inputs, rebuild: w.Rebuild, done: make(chan struct{})}
	sv.http = &http.Server{Handler: s.rt.Handler(s.srv.AccountID(), w.Script), ReadHeaderTimeout: 30 * time.Second}
	go func() {
		defer close(sv.done)
		sv.http.Serve(ln)
	}()
	s.workers[w.Script] = sv
	// Loaded now rather than at the first request; a Worker that cannot
	// load says why in the log.
	go s.rt.Load(s.ctx, s.srv.AccountID(), w.Script)
	url := localURL(port)
	fmt.Fprintln(s.opts.Out, engine.Event{Action: engine.ActionDev, FQN: w.FQN, Message: url}.Line())
	return url, nil
}

// StopWorker implements cloudflare.DevHost: the port of a deleted Worker
// is closed (and may go to another Worker).
func (s *Session) StopWorker(script string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sv := s.workers[script]; sv != nil {
		s.stopLocked(sv)
	}
}

func (s *Session) stopLocked(sv *served) {
	delete(s.workers, sv.script)
	s.ports.release(sv.port)
	shutdown(sv.http)
	<-sv.done
}

// shutdown stops a server, letting requests in flight finish for at most
// closeGrace.
func shutdown(srv *http.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), closeGrace)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		srv.Close()
	}
}

// Inputs returns the files the served Workers were built from.
func (s *Session) Inputs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []string
	for _, sv := range s.workers {
		all = append(all, sv.inputs...)
	}
	slices.Sort(all)
	return slices.Compact(all)
}

// Swap rebuilds the Workers built from a changed file and swaps each in
// place: requests in flight finish on the old code, later ones run the
// new. A build error, or code that throws or fails to compile when it
// starts, is printed with its location and the old code keeps serving. It
// returns the number of Workers swapped.
func (s *Session) Swap(ctx context.Context, changed map[string]bool) int {
	s.mu.Lock()
	var todo []*served
	for _, sv := range s.workers {
		if sv.rebuild != nil && slices.ContainsFunc(sv.inputs, func(f string) bool { return changed[f] }) {
			todo = append(todo, sv)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(todo, func(a, b *served) int { return cmp.Compare(a.script, b.script) })
	var wg sync.WaitGroup
	ok := make([]bool, len(todo))
	for i, sv := range todo {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok[i] = s.swap(ctx, sv)
		}()
	}
	wg.Wait()
	n := 0
	for _, b := range ok {
		if b {
			n++
		}
	}
	return n
}

func (s *Session) swap(ctx context.Context, sv *served) bool {
	sv.swap.Lock()
	defer sv.swap.Unlock()
	s.mu.Lock()
	rebuild, display := sv.rebuild, engine.Event{FQN: sv.fqn}.Display()
	s.mu.Unlock()
	code, err := rebuild()
	if err != nil {
		fmt.Fprintf(s.opts.Log, "%s\n[dev] %s keeps its last good version\n", strings.TrimRight(err.Error(), "\n"), display)
		return false
	}
	mods := make([]store.Module, len(code.Modules))
	for i, m := range code.Modules {
		mods[i] = store.Module{Name: m.Name, ContentType: m.ContentType, Content: m.Content}
	}
	if _, err := s.srv.Store().UpdateScriptContent(ctx, s.srv.AccountID(), sv.script, code.MainModule, "", mods); err != nil {
		fmt.Fprintf(s.opts.Log, "[dev] %s: %v\n", display, err)
		return false
	}
	s.mu.Lock()
	if len(code.Inputs) > 0 {
		sv.inputs = code.Inputs
	}
	s.mu.Unlock()
	// The store's event started loading the new code; waiting for it
	// makes the next request find it compiled, and tells whether it
	// starts. Code that does not start never takes over (the runtime has
	// logged why, with its location).
	if err := s.rt.Load(ctx, s.srv.AccountID(), sv.script); err != nil {
		if errors.As(err, new(*worker.StaleError)) {
			fmt.Fprintf(s.opts.Log, "[dev] %s keeps its last good version\n", display)
		}
		return false
	}
	fmt.Fprintf(s.opts.Out, "%-12s%s Updated\n", "[dev]", display)
	return true
}

// Close stops the Workers' servers and the local Cloudflare, and releases
// the bundlers. Calling it again does nothing.
func (s *Session) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	var wg sync.WaitGroup
	for _, sv := range s.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			shutdown(sv.http)
			<-sv.done
		}()
	}
	wg.Wait()
	s.workers = map[string]*served{}
	for _, c := range s.bundles {
		c.Dispose()
	}
	s.bundles = nil
	s.mu.Unlock()
	s.stop()
	return s.srv.Close()
}
