// Package worker runs the Workers deployed to the local Cloudflare: their
// uploaded modules linked into one script and run in goja, a small pool of
// isolates per Worker (each with its own event loop and globals), bindings
// backed by the local Cloudflare's storage (KV, R2, D1, Durable Objects,
// Queues, service bindings, text, secret and JSON values, version
// metadata), cron and queue events, and a CPU budget per request.
//
// A Runtime is the local Cloudflare's WorkerHost and QueueHost:
//
//	rt := worker.New(worker.Options{Log: os.Stderr})
//	srv, err := local.Start(ctx, local.Options{Host: rt}) // attaches rt; srv.Close closes it
//
// Requests reach Workers through the Server's Host routing
// (<script>.<subdomain>.workers.dev, routes, custom domains), or through
// Handler for a Worker served on its own port, as dev mode does:
//
//	go http.Serve(ln, rt.Handler(srv.AccountID(), "api"))
//
// A deploy (through the REST API or the store) swaps the Worker's code in
// place: requests in flight finish on the old version, later ones run the
// new one. Code that does not build, compile or start never takes over
// from a version that runs: the error is logged and the old version keeps
// serving. Load loads a Worker at once and returns why it cannot run;
// Scheduled fires its cron handler; queue batches are delivered by the
// Server through DeliverQueue.
//
// Each Worker version is linked from its uploaded modules once
// (bundler.BundleUploaded) and compiled once; its isolates (Options.Isolates,
// started as load requires) share the compiled program, each with its own
// globals, which survive between requests. A Durable Object lives in one
// isolate, chosen by its id, and its storage is a SQLite database of its
// own that it reads and writes synchronously, so that the storage calls of
// an event never interleave with another event's (Cloudflare's input gate);
// events interleave only where a handler awaits something else.
//
// A request chain through Workers (service bindings, Durable Object stubs,
// fetch() to a Worker's hostname or dev port) invokes at most MaxDepth
// Workers, as on Cloudflare; a subrequest past it fails with ErrDepth. A
// request whose client goes away cancels the subrequests its Worker is
// waiting for.
package worker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	goruntime "runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/alchemy-go/alchemy/bundler"
	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/local/store"
	"github.com/alchemy-go/alchemy/runtime"
)

// DefaultCPULimit is the default CPU budget of a request: the longest it
// may run JavaScript without yielding. Cloudflare's budget is CPU time in
// V8; goja runs JavaScript about ten times slower, hence ten times
// Cloudflare's default of 50 ms.
const DefaultCPULimit = 500 * time.Millisecond

// Options configure a Runtime.
type Options struct {
	// Log receives the Workers' console output and errors, each line
	// tagged "[name] "; nil means os.Stderr.
	Log io.Writer
	// CPULimit is how long a request may run JavaScript without yielding
	// before it is stopped and answered with a 500: the wall time of one
	// turn of the isolate's event loop, which approximates CPU time. Zero
	// means DefaultCPULimit; a negative value means no limit.
	CPULimit time.Duration
	// Isolates is the number of isolates (each one goroutine) a Worker may
	// use to serve requests in parallel; zero means DefaultIsolates.
	Isolates int
	// NoScheduledPath turns off the /__scheduled?cron=… path that fires a
	// Worker's scheduled handler on request.
	NoScheduledPath bool
	// GCPercent is the garbage collector target set while the Runtime
	// serves (runtime/debug.SetGCPercent): goja allocates a great deal per
	// request, and collecting a quarter as often about doubles throughput
	// (higher targets gain little more and double the RSS). Zero
	// means DefaultGCPercent unless GOGC is set in the environment; a
	// negative value leaves it alone.
	GCPercent int
	// MemoryLimit is the soft memory limit set with GCPercent
	// (runtime/debug.SetMemoryLimit), so that the collector runs early when
	// the heap grows large; zero means DefaultMemoryLimit unless a limit is
	// set already (GOMEMLIMIT).
	MemoryLimit int64
}

// The garbage collector settings of a serving Runtime (see Options).
const (
	DefaultGCPercent   = 400
	DefaultMemoryLimit = 512 << 20
)

// Runtime runs Workers. It implements local.WorkerHost, local.QueueHost
// and local.HostAttacher.
type Runtime struct {
	opts     Options
	log      *logSink
	registry *runtime.Registry
	builtins map[bool]map[string]bundler.VirtualModule // by nodejs_compat

	ctx    context.Context
	cancel context.CancelFunc
	hops   hopKey // signs the depth of requests that loop back to a Worker

	mu      sync.Mutex
	st      *store.Store
	srv     *local.Server
	workers map[workerKey]*liveScript
	closed  bool
	gcPrev  int   // the GC percent before Attach; -2 when untouched
	memPrev int64 // the memory limit before Attach; 0 when untouched
}

type workerKey struct{ account, script string }

// ErrClosed is returned by calls into a Runtime that was closed.
var ErrClosed = errors.New("worker runtime closed")

// New returns a Runtime. It serves nothing until it is attached to a
// local Cloudflare (local.Start attaches the Options.Host it is given).
// DefaultIsolates is the number of isolates per Worker when Options leaves
// it zero: half the CPUs (at least one). The HTTP side of a request (reading,
// parsing, writing the response) costs about as much CPU as its JavaScript,
// and runs on goroutines of its own; with an isolate per CPU the two compete,
// and on two CPUs one isolate serves as many hello-world requests a second
// with a p99 a third lower.
func DefaultIsolates() int { return max(1, goruntime.GOMAXPROCS(0)/2) }

func New(opts Options) *Runtime {
	if opts.Log == nil {
		opts.Log = os.Stderr
	}
	if opts.CPULimit == 0 {
		opts.CPULimit = DefaultCPULimit
	}
	if opts.Isolates <= 0 {
		opts.Isolates = DefaultIsolates()
	}
	ctx, cancel := context.WithCancel(context.Background())
	rt := &Runtime{
		opts:    opts,
		log:     &logSink{w: opts.Log},
		ctx:     ctx,
		cancel:  cancel,
		workers: map[workerKey]*liveScript{},
		gcPrev:  -2,
		hops:    newHopKey(),
	}
	rt.registry, rt.builtins = newRegistry()
	return rt
}

// Attach makes the Runtime serve the Workers of srv. It is called by
// local.Start.
func (rt *Runtime) Attach(srv *local.Server) error {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if rt.closed {
		return ErrClosed
	}
	if rt.st != nil {
		return errors.New("the worker runtime is already attached to a local Cloudflare")
	}
	rt.srv, rt.st = srv, srv.Store()
	if rt.opts.GCPercent > 0 || rt.opts.GCPercent == 0 && os.Getenv("GOGC") == "" {
		pct := rt.opts.GCPercent
		if pct == 0 {
			pct = DefaultGCPercent
		}
		if cur := debug.SetMemoryLimit(-1); cur == math.MaxInt64 {
			limit := rt.opts.MemoryLimit
			if limit == 0 {
				limit = DefaultMemoryLimit
			}
			rt.memPrev = debug.SetMemoryLimit(limit)
		}
		rt.gcPrev = debug.SetGCPercent(pct)
	}
	return nil
}

// Close stops every Worker. In-flight requests fail.
func (rt *Runtime) Close() error {
	rt.mu.Lock()
	if rt.closed {
		rt.mu.Unlock()
		return nil
	}
	rt.closed = true
	workers := rt.workers
	rt.workers = map[workerKey]*liveScript{}
	rt.mu.Unlock()
	rt.cancel()
	for _, w := range workers {
		w.shutdown()
	}
	if rt.gcPrev != -2 {
		debug.SetGCPercent(rt.gcPrev)
	}
	if rt.memPrev != 0 {
		debug.SetMemoryLimit(rt.memPrev)
	}
	return nil
}

func (rt *Runtime) store() (*store.Store, error) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if rt.closed {
		return nil, ErrClosed
	}
	if rt.st == nil {
		return nil, errors.New("the worker runtime is not attached to a local Cloudflare")
	}
	return rt.st, nil
}

// worker returns the Worker of a script, creating its record on first use.
func (rt *Runtime) worker(account, script string) (*liveScript, error) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if rt.closed {
		return nil, ErrClosed
	}
	k := workerKey{account, script}
	w := rt.workers[k]
	if w == nil {
		w = &liveScript{rt: rt, key: k}
		rt.workers[k] = w
	}
	return w, nil
}

func (rt *Runtime) existing(account, script string) *liveScript {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.workers[workerKey{account, script}]
}

// ServeWorker answers a request the local Cloudflare routed to a Worker.
func (rt *Runtime) ServeWorker(w http.ResponseWriter, r *http.Request, t local.WorkerTarget) {
	rt.serveHTTP(w, r, t.AccountID, t.Script)
}

// ScriptChanged swaps a Worker's code after a deploy: requests that arrive
// from now on run the new version (loaded in the background when the
// Worker has run before); requests in flight finish on the old one.
func (rt *Runtime) ScriptChanged(account, script string) {
	if w := rt.existing(account, script); w != nil {
		w.changed()
	}
}

// ScriptDeleted stops a deleted Worker.
func (rt *Runtime) ScriptDeleted(account, script string) {
	if w := rt.existing(account, script); w != nil {
		w.changed()
	}
}

// Reload makes a Worker load its code again, as after a deploy: the dev
// loop calls it after writing a rebuilt Worker through the store (which
// also triggers it, through the Server's events).
func (rt *Runtime) Reload(account, script string) {
	if w, err := rt.worker(account, script); err == nil {
		w.changed()
	}
}

// Load loads a Worker's current code now, and reports why it cannot run:
// it does not build, compile or start. The dev loop calls it after a
// deploy to show a broken Worker at once rather than at its first request.
// An error that is a *StaleError means the previous version keeps serving.
func (rt *Runtime) Load(ctx context.Context, account, script string) error {
	w, err := rt.worker(account, script)
	if err != nil {
		return err
	}
	v, failed, err := w.settle(ctx)
	if err != nil {
		return err
	}
	v.release()
	if failed != nil {
		return &StaleError{Err: failed}
	}
	return nil
}

// StaleError is Load's error when a Worker's current code cannot run and
// the last version that could keeps serving in its place.
type StaleError struct{ Err error }

func (e *StaleError) Error() string { return e.Err.Error() }
func (e *StaleError) Unwrap() error { return e.Err }

// Handler serves one Worker regardless of the request's Host, for a
// Worker on its own port in dev mode:
//
//	srv := &http.Server{Addr: "127.0.0.1:1337", Handler: rt.Handler(account, "api")}
func (rt *Runtime) Handler(account, script string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt.serveHTTP(w, r, account, script)
	})
}

// Scheduled fires a Worker's scheduled handler with a cron expression, as
// a cron trigger would, and waits for it to finish.
func (rt *Runtime) Scheduled(ctx context.Context, account, script, cron string) error {
	w, err := rt.worker(account, script)
	if err != nil {
		return err
	}
	v, err := w.acquire(ctx)
	if err != nil {
		return err
	}
	defer v.release()
	iso, err := v.pick(ctx)
	if err != nil {
		return err
	}
	return iso.scheduled(ctx, cron, time.Now())
}

// errorf logs a message about a Worker.
func (rt *Runtime) errorf(script, format string, args ...any) {
	rt.log.line(script, fmt.Sprintf(format, args...))
}
