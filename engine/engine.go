// Package engine runs the resource lifecycle of an Alchemy program: scopes,
// seq numbers, create/update/skip/replace decisions, finalize, orphan
// deletion, destroy, and the bounded worker pool that deletes resources in
// reverse dependency order. It is shared by resources implemented in Go and
// in the program's JavaScript, and never touches the JS runtime itself.
//
// Threading: Start and Nested only register work and return at once, so they
// may be called on the JS event loop; everything else (Wait, Finalize,
// Destroy, Ready) blocks and must be called from other goroutines. Providers
// are always called from the engine's goroutines.
package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/alchemy-go/alchemy/state"
)

// Phase is the phase of a run.
type Phase string

// Run phases.
const (
	// PhaseUp creates, updates and deletes resources (the default).
	PhaseUp Phase = "up"
	// PhaseRead mutates nothing: resources return their stored output.
	PhaseRead Phase = "read"
	// PhaseDestroy deletes the whole stage.
	PhaseDestroy Phase = "destroy"
)

// DestroyStrategy says how a scope's resources are deleted.
type DestroyStrategy string

// Destroy strategies.
const (
	// StrategyDefault deletes in reverse dependency order, independent
	// branches in parallel on a bounded pool, reverse seq where nothing
	// orders them. It is recorded as "sequential" in scope markers, the
	// library's default.
	StrategyDefault DestroyStrategy = ""
	// StrategySequential deletes one resource at a time in reverse seq order,
	// exactly as the library does.
	StrategySequential DestroyStrategy = "sequential"
	// StrategyParallel is the library's parallel strategy; here it behaves
	// as StrategyDefault (dependency order is kept).
	StrategyParallel DestroyStrategy = "parallel"
)

func (s DestroyStrategy) recorded() string {
	if s == StrategyDefault {
		return string(StrategySequential)
	}
	return string(s)
}

// DefaultDeleteConcurrency bounds the provider deletions that run at once.
// Deletions mostly wait on the network: as many run at once as the state
// writes that follow them (DefaultStoreConcurrency), so that a stage of a
// hundred resources is deleted in one round trip, as the library's
// unbounded deletions are. Requests to Cloudflare stay under its rate limit
// through the provider's governor, not through this bound.
const DefaultDeleteConcurrency = DefaultStoreConcurrency

// Config configures an Engine.
type Config struct {
	Store    state.Store
	Registry *Registry
	// Reporter receives resource events; nil discards them.
	Reporter Reporter
	// DeleteConcurrency bounds concurrent provider deletions
	// (DefaultDeleteConcurrency when zero).
	DeleteConcurrency int
	// StoreConcurrency bounds concurrent state writes
	// (DefaultStoreConcurrency when zero).
	StoreConcurrency int
}

// Engine runs resource lifecycles against a store.
type Engine struct {
	store    state.Store
	registry *Registry
	reporter Reporter
	workers  int
}

// New returns an engine.
func New(cfg Config) *Engine {
	slots := cfg.StoreConcurrency
	if slots <= 0 {
		slots = DefaultStoreConcurrency
	}
	e := &Engine{store: newLimitedStore(cfg.Store, slots), registry: cfg.Registry, reporter: cfg.Reporter, workers: cfg.DeleteConcurrency}
	if e.reporter == nil {
		e.reporter = discard{}
	}
	if e.registry == nil {
		e.registry = NewRegistry()
	}
	if e.workers <= 0 {
		e.workers = DefaultDeleteConcurrency
	}
	return e
}

// Registry returns the engine's provider registry.
func (e *Engine) Registry() *Registry { return e.registry }

func (e *Engine) report(ev Event) { e.reporter.Report(ev) }

// AppOptions describe a run of an app on a stage (alchemy(name, opts)).
type AppOptions struct {
	Name  string
	Stage string
	// Phase defaults to PhaseUp.
	Phase Phase
	// Force runs updates even when props did not change.
	Force bool
	// Adopt is the default of every resource's adopt prop.
	Adopt bool
	// Quiet suppresses per-resource lines.
	Quiet           bool
	DestroyStrategy DestroyStrategy
	// LockTimeout is how long to wait for another run holding the stage
	// (zero: fail at once).
	LockTimeout time.Duration
}

// App is a running app: the app scope [app] and the stage scope
// [app, stage], holding the stage lock unless in read phase.
type App struct {
	eng   *Engine
	opts  AppOptions
	root  *Scope
	stage *Scope
	lock  *state.Lock
}

// Open starts a run: validates names, takes the stage lock (not in read
// phase, which never writes) and creates the app and stage scopes.
func (e *Engine) Open(ctx context.Context, opts AppOptions) (*App, error) {
	if opts.Phase == "" {
		opts.Phase = PhaseUp
	}
	switch opts.Phase {
	case PhaseUp, PhaseRead, PhaseDestroy:
	default:
		return nil, fmt.Errorf("unknown phase %q (up, read or destroy)", opts.Phase)
	}
	switch opts.DestroyStrategy {
	case StrategyDefault, StrategySequential, StrategyParallel:
	default:
		return nil, fmt.Errorf("unknown destroy strategy %q (sequential or parallel)", opts.DestroyStrategy)
	}
	if err := validateName("app name", opts.Name); err != nil {
		return nil, err
	}
	if err := validateName("stage", opts.Stage); err != nil {
		return nil, err
	}
	a := &App{eng: e, opts: opts}
	if opts.Phase != PhaseRead {
		lock, err := e.store.Lock(ctx, opts.Name, opts.Stage, opts.LockTimeout)
		if err != nil {
			return nil, err
		}
		a.lock = lock
		if lock.TookOver != nil {
			e.report(Event{Action: ActionWarn, FQN: opts.Name + "/" + opts.Stage,
				Message: fmt.Sprintf("took over the lock of a run that died (%s)", lock.TookOver)})
		}
	}
	settings := scopeSettings{phase: opts.Phase, force: opts.Force, adopt: opts.Adopt, quiet: opts.Quiet, strategy: opts.DestroyStrategy}
	a.root = newScope(a, nil, opts.Name, kindRoot, settings)
	a.stage = newScope(a, a.root, opts.Stage, kindStage, settings)
	a.root.children[opts.Stage] = a.stage
	return a, nil
}

// Name returns the app name.
func (a *App) Name() string { return a.opts.Name }

// StageName returns the stage.
func (a *App) StageName() string { return a.opts.Stage }

// Phase returns the run's phase.
func (a *App) Phase() Phase { return a.opts.Phase }

// Root returns the app scope [app].
func (a *App) Root() *Scope { return a.root }

// Stage returns the stage scope [app, stage], where the program's resources
// live.
func (a *App) Stage() *Scope { return a.stage }

// Finalize ends the run (app.finalize()): in read phase it does nothing;
// otherwise it deletes pending replacements, finalizes every child scope and
// deletes orphans. A failed scope deletes nothing and says so.
func (a *App) Finalize(ctx context.Context) error {
	return a.stage.finalize(ctx, true)
}

// Destroy deletes everything in the stage (the destroy phase).
func (a *App) Destroy(ctx context.Context) error {
	return a.stage.Destroy(ctx)
}

// Failed reports whether a resource failed anywhere in the run.
func (a *App) Failed() bool {
	return a.root.anyFailed()
}

// Close releases the stage lock. Call it once the run is over.
func (a *App) Close() error {
	return a.lock.Unlock()
}

func validateName(what, name string) error {
	if name == "" {
		return fmt.Errorf("%s cannot be empty", what)
	}
	if strings.Contains(name, ":") {
		return fmt.Errorf("%s cannot include colons: %q", what, name)
	}
	return nil
}

// ResourceError is the failure of one resource.
type ResourceError struct {
	FQN string
	Op  Op
	Err error
}

func (e *ResourceError) Error() string {
	if e.Op == "" {
		return fmt.Sprintf("resource %q: %v", e.FQN, e.Err)
	}
	return fmt.Sprintf("resource %q: %s: %v", e.FQN, e.Op, e.Err)
}

func (e *ResourceError) Unwrap() error { return e.Err }

// errJoin joins errors, flattening nested joins.
func errJoin(errs []error) error {
	var flat []error
	for _, err := range errs {
		if err == nil {
			continue
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			flat = append(flat, j.Unwrap()...)
			continue
		}
		flat = append(flat, err)
	}
	return errors.Join(flat...)
}

// readyGate is closed once a scope can be used (its marker is recorded).
type readyGate struct {
	ch  chan struct{}
	err error
}

func openGate() *readyGate {
	g := &readyGate{ch: make(chan struct{})}
	close(g.ch)
	return g
}

func (g *readyGate) wait(ctx context.Context) error {
	select {
	case <-g.ch:
		return g.err
	case <-ctx.Done():
		return ctx.Err()
	}
}
