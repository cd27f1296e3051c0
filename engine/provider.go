package engine

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/alchemy-go/alchemy/state"
	"github.com/alchemy-go/alchemy/value"
)

// Op is the phase a provider call runs in (this.phase in a JS handler).
type Op string

// Provider operations.
const (
	OpCreate Op = "create"
	OpUpdate Op = "update"
	OpDelete Op = "delete"
)

// Provider implements one resource kind. The engine calls it from its own
// goroutines, never from the JS event loop, and may call it concurrently for
// different resources. A call may start further resources in req.Scope and
// wait for them.
type Provider interface {
	// Create makes the resource and returns its output fields (the engine
	// adds the identity symbols). With req.Adopt, an existing resource of the
	// same physical name is taken over instead of failing.
	Create(ctx context.Context, req *Request) (*value.Object, error)
	// Update brings the resource in line with req.Props. Returning an error
	// that wraps ErrReplace asks for a replacement instead: the engine
	// creates a new resource and deletes the old one at finalize.
	Update(ctx context.Context, req *Request) (*value.Object, error)
	// Delete removes the resource described by req.Props and req.Output. A
	// resource that is already gone is not an error.
	Delete(ctx context.Context, req *Request) error
}

// Change is a provider's verdict on changed props.
type Change int

// Changes a Differ can decide.
const (
	// ChangeUpdate calls Update.
	ChangeUpdate Change = iota
	// ChangeReplace creates a new resource and deletes the old one at finalize.
	ChangeReplace
	// ChangeNone keeps the output and records the new props without a call.
	ChangeNone
)

// Differ is implemented by providers that decide themselves how changed props
// are applied, typically to replace a resource when an immutable prop changes.
// Diff is called before every update, with the same request Update would get.
type Differ interface {
	Diff(ctx context.Context, req *Request) (Change, error)
}

// Reader is implemented by providers that can refresh a resource's output
// without changing anything; the read phase uses it instead of the stored
// output.
type Reader interface {
	Read(ctx context.Context, req *Request) (*value.Object, error)
}

// AlwaysUpdater is implemented by providers whose update must run on every
// deploy even when props did not change (as a Worker's does).
type AlwaysUpdater interface {
	AlwaysUpdate() bool
}

// Checker is implemented by providers that always update (AlwaysUpdater)
// but can tell when an update would change nothing, for example a Worker
// whose code and settings hash to what was last deployed. When the props
// did not change, the engine asks UpToDate first (with the request Update
// would get, Op update); true skips the resource like any unchanged one:
// nothing is called or written and the stored output stands. Work done here
// may be kept in req.Memo for the Update that follows. UpToDate is not
// asked under --force.
type Checker interface {
	UpToDate(ctx context.Context, req *Request) (bool, error)
}

// DestroyStrategist is implemented by providers that declare how the
// resources created inside their handler are deleted (the library's
// destroyStrategy option of Resource).
type DestroyStrategist interface {
	DestroyStrategy() DestroyStrategy
}

// ReplaceError asks for a replacement from Update (this.replace() in JS).
// With Force, the old resource is deleted before the new one is created.
type ReplaceError struct {
	Force bool
}

func (e *ReplaceError) Error() string {
	if e.Force {
		return "replace resource (delete first)"
	}
	return "replace resource"
}

// Is makes every ReplaceError match ErrReplace.
func (e *ReplaceError) Is(target error) bool {
	_, ok := target.(*ReplaceError)
	return ok
}

// ErrReplace is returned (or wrapped) by Update to ask for a replacement.
var ErrReplace error = &ReplaceError{}

// Request is what a provider call gets. It is the Go form of the context
// object (this) of a JS handler.
type Request struct {
	Kind  string
	ID    string
	FQN   string
	Seq   int
	App   string
	Stage string
	// Op is create, update or delete.
	Op Op
	// Props are the props of this call; for delete, the stored props of the
	// resource being deleted (for a replaced resource, its old props).
	Props value.Value
	// OldProps are the props of the previous apply (this.props in JS): the
	// stored props on update; an empty object on create.
	OldProps value.Value
	// Output is the stored output (this.output in JS): the previous output on
	// update and delete; on create, the placeholder holding the identity
	// symbols.
	Output *value.Object
	// Data is the per-resource data kept in the record (this.get/set/delete).
	Data *Data
	// Adopt asks Create to take over an existing resource of the same name.
	Adopt bool
	// Replacement is true when creating the new resource of a replacement or
	// deleting the old one.
	Replacement bool
	// Quiet is true when the resource's lines are not printed.
	Quiet bool
	// Force is set under --force (or the force option of the scope): the
	// update runs although the props did not change, and should not skip
	// work because it looks done.
	Force bool
	// Resuming is true when the record was left creating or updating by a
	// run that did not finish: the resource may already exist from that
	// attempt, so Create should take over one of the same name.
	Resuming bool
	// Memo carries what a Checker computed to the Create or Update of the
	// same apply (nil otherwise).
	Memo any
	// Scope is the child scope [..., id] in which resources started by the
	// handler live. Nil for delete.
	Scope *Scope

	path           state.Path
	names          state.Path // see Scope.names
	retainChildren bool
}

// RetainChildren tells the engine, during delete, to drop the records of the
// resources created inside this one without deleting them (this.destroy(true)).
func (r *Request) RetainChildren() { r.retainChildren = true }

// PhysicalName returns the default physical name of the resource:
// [app, nested scopes…, id, stage] with characters outside [a-zA-Z0-9_-]
// replaced by "-", joined by "-" (for example "my-app-api-dev").
func (r *Request) PhysicalName() string {
	if r.names != nil {
		return physicalName(r.names, r.ID, "-")
	}
	return physicalName(r.path, r.ID, "-")
}

var unsafeName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^a-zA-Z0-9_-]`) })

func physicalName(p state.Path, id, delim string) string {
	var parts []string
	if len(p) >= 2 {
		parts = append(parts, p[0])
		parts = append(parts, p[2:]...)
		parts = append(parts, id, p[1])
	} else {
		parts = append(parts, append(slices.Clone([]string(p)), id)...)
	}
	for i, part := range parts {
		parts[i] = unsafeName().ReplaceAllString(part, delim)
	}
	return strings.Join(parts, delim)
}

// Data is the per-resource data of a record, safe for concurrent use. Changes
// made during create or update are written with the record when the call
// succeeds.
type Data struct {
	mu  *sync.Mutex
	obj *value.Object
}

// Get returns the value stored under key.
func (d *Data) Get(key string) (value.Value, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.obj.Get(key)
}

// Set stores v under key; a nil v deletes the key.
func (d *Data) Set(key string, v value.Value) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.obj.Set(key, v)
}

// Delete removes key and returns what it held.
func (d *Data) Delete(key string) (value.Value, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.obj.Delete(key)
}

// Registry maps resource kinds to providers. Go providers are registered
// once at start-up; JS-defined kinds are registered while the program runs.
// It is safe for concurrent use.
type Registry struct {
	mu        sync.RWMutex
	providers map[string]Provider
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{providers: map[string]Provider{}}
}

// Register adds a provider for kind. Registering a kind twice is an error.
func (r *Registry) Register(kind string, p Provider) error {
	if kind == "" {
		return errors.New("register provider: empty kind")
	}
	if kind == state.KindScope {
		return fmt.Errorf("register provider: %q is reserved", kind)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.providers[kind]; dup {
		return fmt.Errorf("resource kind %q is already registered", kind)
	}
	r.providers[kind] = p
	return nil
}

// Lookup returns the provider of kind.
func (r *Registry) Lookup(kind string) (Provider, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	p, ok := r.providers[kind]
	return p, ok
}

// Kinds returns the registered kinds, sorted.
func (r *Registry) Kinds() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	kinds := make([]string, 0, len(r.providers))
	for k := range r.providers {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	return kinds
}

func (r *Registry) lookup(kind string) (Provider, error) {
	p, ok := r.Lookup(kind)
	if !ok {
		return nil, fmt.Errorf("no provider for resource kind %q: import the module that defines it", kind)
	}
	return p, nil
}
