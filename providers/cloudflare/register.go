// Package cloudflare implements the resources of alchemy/cloudflare
// (Worker, KVNamespace, R2Bucket, D1Database, Queue, QueueConsumer, Route,
// CustomDomain, WorkerSubdomain) as Go providers of the engine, and
// describes the module's JavaScript surface (exports, props normalization,
// binding descriptors) as data for the JS bridge.
//
// Props, stored props and outputs follow the TypeScript Alchemy 0.94 so
// that its state files are read and written unchanged. All API traffic goes
// through one Client per credentials: one retry policy, one rate governor,
// per-run caches.
package cloudflare

import (
	"context"
	"fmt"
	"sync"

	"github.com/alchemy-go/alchemy/engine"
)

// Resource kinds.
const (
	KindWorker          = "cloudflare::Worker"
	KindKVNamespace     = "cloudflare::KVNamespace"
	KindR2Bucket        = "cloudflare::R2Bucket"
	KindD1Database      = "cloudflare::D1Database"
	KindQueue           = "cloudflare::Queue"
	KindQueueConsumer   = "cloudflare::QueueConsumer"
	KindRoute           = "cloudflare::Route"
	KindCustomDomain    = "cloudflare::CustomDomain"
	KindWorkerSubdomain = "cloudflare::WorkerSubdomain"
)

// Options configure the Cloudflare resources of a run.
type Options struct {
	// API is the default connection (usually ConfigFromEnv(os.Getenv)).
	// Resources may override parts of it with their baseUrl, apiToken,
	// apiKey, email and accountId props.
	API Config
	// Dir is the directory the program runs in: Worker entrypoints and
	// assets, and D1 migrationsDir, are resolved from it.
	Dir string
	// Local is true under --dev (stored props record it as dev.force).
	Local bool
	// Dev, under --dev, is the session API points at: it bundles Workers
	// incrementally and serves them on localhost.
	Dev DevHost
	// Remote is the real connection under --dev, for the resources whose
	// props say dev: {remote: true}.
	Remote Config
}

// Cloudflare is the set of Cloudflare providers of one run, sharing
// clients, rate governors and lookups.
type Cloudflare struct {
	opts Options

	mu        sync.Mutex
	clients   map[string]*Client
	governors map[string]*Governor
}

// New returns the provider set.
func New(opts Options) *Cloudflare {
	return &Cloudflare{opts: opts, clients: map[string]*Client{}, governors: map[string]*Governor{}}
}

// Register registers every resource kind of alchemy/cloudflare.
func Register(reg *engine.Registry, opts Options) (*Cloudflare, error) {
	c := New(opts)
	providers := map[string]engine.Provider{
		KindWorker:          &workerProvider{c},
		KindKVNamespace:     &kvProvider{c},
		KindR2Bucket:        &r2Provider{c},
		KindD1Database:      &d1Provider{c},
		KindQueue:           &queueProvider{c},
		KindQueueConsumer:   &consumerProvider{c},
		KindRoute:           &routeProvider{c},
		KindCustomDomain:    &domainProvider{c},
		KindWorkerSubdomain: &subdomainProvider{},
	}
	for _, kind := range Kinds() {
		if err := reg.Register(kind, providers[kind]); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Of returns the provider set that Register put into reg, or nil when reg
// holds none: the JS bridge binds output methods (Method.Call) to it.
func Of(reg *engine.Registry) *Cloudflare {
	p, ok := reg.Lookup(KindR2Bucket)
	if !ok {
		return nil
	}
	if r2, ok := p.(*r2Provider); ok {
		return r2.cf
	}
	return nil
}

// Kinds lists the resource kinds, in a fixed order.
func Kinds() []string {
	return []string{KindWorker, KindKVNamespace, KindR2Bucket, KindD1Database, KindQueue,
		KindQueueConsumer, KindRoute, KindCustomDomain, KindWorkerSubdomain}
}

// client returns the client for a resource's props: the run's default
// connection with the props' API options laid over it. Clients, and the
// governor of each credential, are shared for the whole run.
func (c *Cloudflare) client(p props) (*Client, error) {
	base := c.opts.API
	switch {
	case c.devLocal(p):
		// Everything local goes to the dev session's Cloudflare, whatever
		// account or credentials the props name.
		return c.clientFor(base)
	case c.opts.Local && c.opts.Dev != nil:
		base = c.opts.Remote
	}
	cfg, err := p.apiOptions(base)
	if err != nil {
		return nil, err
	}
	return c.clientFor(cfg)
}

func (c *Cloudflare) clientFor(cfg Config) (*Client, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := cfg.key()
	if cl, ok := c.clients[key]; ok {
		return cl, nil
	}
	if cfg.Governor == nil {
		cred := cfg.APIToken + "\x00" + cfg.APIKey
		g, ok := c.governors[cred]
		if !ok {
			g = newDefaultGovernor()
			c.governors[cred] = g
		}
		cfg.Governor = g
	}
	cl, err := NewClient(cfg)
	if err != nil {
		return nil, err
	}
	c.clients[key] = cl
	return cl, nil
}

// Prefetch starts, in the background, the lookup every deployment with
// the run's default connection begins with: the account, when the
// credentials leave it to discovery. A program that imports alchemy/cloudflare
// calls it while it is still being bundled, so the round trip overlaps the
// start-up. Its errors are dropped: the first resource that needs the
// account looks it up again (or joins the lookup in flight) and reports them.
func (c *Cloudflare) Prefetch(ctx context.Context) {
	cl, err := c.client(props{})
	if err != nil {
		return
	}
	go cl.AccountID(ctx)
}

// clientOf returns the client for req's props.
func (c *Cloudflare) clientOf(req *engine.Request) (*Client, props, error) {
	p, err := propsOf(req)
	if err != nil {
		return nil, p, err
	}
	cl, err := c.client(p)
	if err != nil {
		return nil, p, fmt.Errorf("%s %q: %w", shortKind(req.Kind), req.ID, err)
	}
	return cl, p, nil
}

// takeOver reports whether a create may take over an existing resource of
// the same name: with adopt, or when it resumes a create that a crash
// interrupted (the resource may exist from that attempt).
func takeOver(req *engine.Request) bool {
	return req.Adopt || resuming(req)
}

// resuming reports whether a create retries one that a crash left in
// state as "creating".
func resuming(req *engine.Request) bool {
	return req.Op == engine.OpCreate && !req.Replacement && req.Resuming
}

// wrap prefixes an error with the resource.
func wrap(req *engine.Request, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s %q: %w", shortKind(req.Kind), req.ID, err)
}

// deleteEnabled reads the delete prop (default true).
func deleteEnabled(p props) (bool, error) { return p.boolean("delete", true) }

// ignoreNotFound drops a 404: deleting what is gone is not an error.
func ignoreNotFound(err error) error {
	if IsNotFound(err) {
		return nil
	}
	return err
}
