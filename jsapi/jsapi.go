// Package jsapi is the "alchemy" module programs import: alchemy(app),
// alchemy.run, alchemy.secret and alchemy.env, Resource, destroy, Secret and
// Scope, plus the bridge that turns engine resource kinds into async JS
// functions (alchemy/fs here; provider modules such as alchemy/cloudflare
// declare theirs with Module). It is the only place where JS values and the
// value model meet.
//
// One API serves one program run: it opens an engine app for each alchemy()
// call, shares the engine registry and reporter between them, and reports at
// the end whether anything ran or failed.
package jsapi

import (
	"errors"
	"path/filepath"
	"sync"
	"time"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/state"
)

// Defaults are a run's options from the command line and the environment;
// the options a program passes to alchemy(name, opts) win over them.
type Defaults struct {
	// Stage is the stage when the program names none.
	Stage string
	// Phase is up (default), read or destroy.
	Phase engine.Phase
	// App, when set, is the only app that mutates; other apps run in the
	// read phase.
	App string
	// Password encrypts secrets (ALCHEMY_PASSWORD).
	Password string
	Force    bool
	Adopt    bool
	Quiet    bool
	// Local runs everything on the local Cloudflare (--dev, --local).
	Local bool
	Watch bool
	// RootDir is the project root; .alchemy/ lives there.
	RootDir string
	// StateDir, when set, is the directory state lives in (the one that
	// holds <app>/<stage>/), whatever rootDir a program passes; otherwise
	// state lives in <rootDir>/.alchemy. Dev mode keeps its state apart
	// from the deployed stages' this way, while app.rootDir stays the
	// project root.
	StateDir string
	// LockTimeout bounds the wait for another run holding a stage.
	LockTimeout time.Duration
}

// Config configures an API.
type Config struct {
	// Registry holds the Go providers; the program's Resource() kinds are
	// added to it while it runs.
	Registry *engine.Registry
	// Reporter receives the engine's events (nil discards them).
	Reporter engine.Reporter
	Defaults Defaults
	// StoreOptions are passed to every file store (for example
	// state.WithoutFsync in throwaway benchmarks).
	StoreOptions []state.FileStoreOption
	// DeleteConcurrency bounds concurrent deletions (engine default when 0).
	DeleteConcurrency int
}

// API is the alchemy module of one program run.
type API struct {
	cfg Config

	mu   sync.Mutex
	apps []*engine.App
	used bool
}

// New returns the API of a run.
func New(cfg Config) *API {
	if cfg.Registry == nil {
		cfg.Registry = engine.NewRegistry()
	}
	if cfg.Defaults.Phase == "" {
		cfg.Defaults.Phase = engine.PhaseUp
	}
	if cfg.Defaults.Stage == "" {
		cfg.Defaults.Stage = "dev"
	}
	return &API{cfg: cfg}
}

// Registry returns the engine registry resource kinds are looked up in.
func (a *API) Registry() *engine.Registry { return a.cfg.Registry }

// engineFor returns an engine over the store of an app whose codec uses
// password: the one its stateStore option names (spec), else the file store
// of rootDir (or of Defaults.StateDir). dir is the program's directory and
// getenv its environment.
func (a *API) engineFor(spec *storeSpec, rootDir, dir, password string, getenv func(string) string) (*engine.Engine, error) {
	stateDir := a.cfg.Defaults.StateDir
	if stateDir == "" {
		stateDir = filepath.Join(rootDir, ".alchemy")
	}
	store, err := a.newStore(spec, stateDir, dir, state.NewCodec(password), getenv)
	if err != nil {
		return nil, err
	}
	return engine.New(engine.Config{Store: store, Registry: a.cfg.Registry, Reporter: a.cfg.Reporter,
		DeleteConcurrency: a.cfg.DeleteConcurrency}), nil
}

func (a *API) markUsed() {
	a.mu.Lock()
	a.used = true
	a.mu.Unlock()
}

func (a *API) addApp(app *engine.App) {
	a.mu.Lock()
	a.apps = append(a.apps, app)
	a.mu.Unlock()
}

// Used reports whether the program called alchemy().
func (a *API) Used() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.used
}

// Failed reports whether a resource failed in any app of the run.
func (a *API) Failed() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, app := range a.apps {
		if app.Failed() {
			return true
		}
	}
	return false
}

// Close releases the stage locks of every app of the run. Call it once the
// program has ended and its work in flight has settled; calling it again
// does nothing.
func (a *API) Close() error {
	a.mu.Lock()
	apps := append([]*engine.App(nil), a.apps...)
	a.mu.Unlock()
	var errs []error
	for _, app := range apps {
		errs = append(errs, app.Close())
	}
	return errors.Join(errs...)
}
