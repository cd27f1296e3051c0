package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/alchemy-go/alchemy/state"
	"github.com/alchemy-go/alchemy/value"
)

type scopeKind int

const (
	kindRoot     scopeKind = iota // [app]
	kindStage                     // [app, stage]
	kindNested                    // alchemy.run(name): has a marker record in its parent
	kindResource                  // [..., id] of a resource's handler: data lives in the resource's record
)

type scopeSettings struct {
	phase    Phase
	force    bool
	adopt    bool
	quiet    bool
	strategy DestroyStrategy
}

// Scope is a node of the scope tree: the app, its stage, a nested scope of
// alchemy.run, or the child scope of a resource handler. Its records live
// under its path in the store.
type Scope struct {
	app    *App
	parent *Scope
	name   string
	path   state.Path
	// names is the path physical names are made of: the path without the
	// scopes opened with ScopeOptions.Unnamed.
	names    state.Path
	kind     scopeKind
	settings scopeSettings
	// owner is the apply whose record holds this resource scope's data while
	// it runs.
	owner *run
	ready *readyGate

	mu        sync.Mutex
	seq       int
	started   map[string]*Handle // resources and nested scopes called this run
	children  map[string]*Scope
	inflight  sync.WaitGroup
	failed    error
	finalized bool
	warned    bool
	destroyed bool

	dataMu sync.Mutex // serializes read-modify-write of the scope's data record
}

func newScope(a *App, parent *Scope, name string, kind scopeKind, settings scopeSettings) *Scope {
	s := &Scope{
		app:      a,
		parent:   parent,
		name:     name,
		kind:     kind,
		settings: settings,
		ready:    openGate(),
		started:  map[string]*Handle{},
		children: map[string]*Scope{},
	}
	if parent != nil {
		s.path = parent.path.Child(name)
		s.names = parent.names.Child(name)
	} else {
		s.path = state.Path{name}
		s.names = s.path
	}
	return s
}

// Name returns the scope's name (the last element of its chain).
func (s *Scope) Name() string { return s.name }

// Chain returns [app, stage, nested scopes…].
func (s *Scope) Chain() []string { return append([]string(nil), s.path...) }

// Path returns the scope's path in the store.
func (s *Scope) Path() state.Path { return s.Chain() }

// Parent returns the parent scope (nil for the app scope).
func (s *Scope) Parent() *Scope { return s.parent }

// App returns the app the scope belongs to.
func (s *Scope) App() *App { return s.app }

// Phase returns the run's phase.
func (s *Scope) Phase() Phase { return s.settings.phase }

// StageName returns the stage.
func (s *Scope) StageName() string { return s.app.opts.Stage }

// Quiet reports whether the scope's resource lines are suppressed.
func (s *Scope) Quiet() bool { return s.settings.quiet }

// FQN returns the fully qualified name of a resource id in this scope: the
// chain and the id joined with "/".
func (s *Scope) FQN(id string) string { return s.path.String() + "/" + id }

// PhysicalName returns the default physical name of a resource of this scope
// (see Request.PhysicalName).
func (s *Scope) PhysicalName(id string) string { return physicalName(s.names, id, "-") }

// Err returns the error that failed the scope, if any.
func (s *Scope) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failed
}

// Fail marks the scope failed (alchemy.run's function threw): its finalize
// deletes nothing.
func (s *Scope) Fail(err error) {
	if err == nil {
		err = errors.New("scope failed")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failed == nil {
		s.failed = err
	}
}

func (s *Scope) anyFailed() bool {
	s.mu.Lock()
	failed := s.failed != nil
	children := make([]*Scope, 0, len(s.children))
	for _, c := range s.children {
		children = append(children, c)
	}
	s.mu.Unlock()
	if failed {
		return true
	}
	for _, c := range children {
		if c.anyFailed() {
			return true
		}
	}
	return false
}

func (s *Scope) nextSeq() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.seq
	s.seq++
	return n
}

// Handle is a started resource: its identity is known at once, its output
// once the apply settles.
type Handle struct {
	Kind string
	ID   string
	FQN  string
	Seq  int

	scope  *Scope
	done   chan struct{}
	output *value.Object
	err    error
}

// Scope returns the scope the resource belongs to.
func (h *Handle) Scope() *Scope { return h.scope }

// Done is closed when the apply has settled.
func (h *Handle) Done() <-chan struct{} { return h.done }

// Result returns the output or the error; valid once Done is closed.
func (h *Handle) Result() (*value.Object, error) { return h.output, h.err }

// Wait blocks until the apply settles and returns its result.
func (h *Handle) Wait(ctx context.Context) (*value.Object, error) {
	select {
	case <-h.done:
		return h.output, h.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Start starts a resource: it takes the next seq of the scope and registers
// the id at once (program order), then applies the resource in a goroutine.
// Only call-site errors are returned here (a bad or duplicate id, a scope
// that is gone); everything else settles the handle.
func (s *Scope) Start(ctx context.Context, kind, id string, props value.Value) (*Handle, error) {
	if err := validateName("resource id", id); err != nil {
		return nil, err
	}
	if kind == "" {
		return nil, fmt.Errorf("resource %q: empty kind", id)
	}
	if s.settings.phase == PhaseDestroy {
		return nil, fmt.Errorf("resource %q: the stage is being destroyed", s.FQN(id))
	}
	s.mu.Lock()
	if err := s.checkFreeLocked(id, kind); err != nil {
		s.mu.Unlock()
		return nil, err
	}
	h := &Handle{Kind: kind, ID: id, FQN: s.FQN(id), Seq: s.seq, scope: s, done: make(chan struct{})}
	s.seq++
	s.started[id] = h
	s.inflight.Add(1)
	s.mu.Unlock()
	go s.app.eng.apply(ctx, s, h, props)
	return h, nil
}

func (s *Scope) checkFreeLocked(id, kind string) error {
	if s.kind == kindRoot {
		return fmt.Errorf("resource %q: the app scope cannot hold resources", id)
	}
	if s.destroyed {
		return fmt.Errorf("resource %q: scope %s was destroyed", id, s.path)
	}
	if prev, dup := s.started[id]; dup {
		if prev.Kind == state.KindScope || kind == state.KindScope {
			return fmt.Errorf("%q in scope %s: a scope and a resource cannot share a name", id, s.path)
		}
		return fmt.Errorf("resource %q is declared twice in scope %s", id, s.path)
	}
	return nil
}

// ScopeOptions are the options of alchemy.run. Nil fields inherit.
type ScopeOptions struct {
	Force, Adopt, Quiet *bool
	DestroyStrategy     DestroyStrategy
	// Unnamed leaves the scope's name out of the physical names of the
	// resources in it, as the scope of each test is: names stay those of the
	// file's app and stage, short enough for Cloudflare's limits.
	Unnamed bool
}

// Nested opens the nested scope name (alchemy.run): it takes a seq of this
// scope at once and records a marker of kind alchemy::Scope in this scope
// (once; an existing marker is never rewritten). Calling it again with the
// same name in one run re-enters the same scope. Resources started in the
// nested scope wait for the marker; callers that want its outcome before
// running the scope's function call Ready.
func (s *Scope) Nested(ctx context.Context, name string, opts ScopeOptions) (*Scope, error) {
	if err := validateName("scope name", name); err != nil {
		return nil, err
	}
	if s.settings.phase == PhaseDestroy {
		return nil, fmt.Errorf("scope %q: the stage is being destroyed", s.FQN(name))
	}
	switch opts.DestroyStrategy {
	case StrategyDefault, StrategySequential, StrategyParallel:
	default:
		return nil, fmt.Errorf("scope %q: unknown destroy strategy %q", name, opts.DestroyStrategy)
	}
	settings := s.settings
	if opts.Force != nil {
		settings.force = *opts.Force
	}
	if opts.Adopt != nil {
		settings.adopt = *opts.Adopt
	}
	if opts.Quiet != nil {
		settings.quiet = *opts.Quiet
	}
	if opts.DestroyStrategy != StrategyDefault {
		settings.strategy = opts.DestroyStrategy
	}

	s.mu.Lock()
	if s.kind == kindRoot {
		s.mu.Unlock()
		return nil, fmt.Errorf("scope %q: nested scopes live in the stage, not the app scope", name)
	}
	seq := s.seq
	s.seq++
	if prev, ok := s.started[name]; ok {
		child, isScope := s.children[name]
		s.mu.Unlock()
		if prev.Kind != state.KindScope || !isScope || child.kind != kindNested {
			return nil, fmt.Errorf("%q in scope %s: a scope and a resource cannot share a name", name, s.path)
		}
		return child, nil
	}
	child := newScope(s.app, s, name, kindNested, settings)
	if opts.Unnamed {
		child.names = s.names
	}
	h := &Handle{Kind: state.KindScope, ID: name, FQN: "", Seq: seq, scope: s, done: make(chan struct{})}
	close(h.done)
	s.started[name] = h
	s.children[name] = child
	if settings.phase != PhaseRead {
		child.ready = &readyGate{ch: make(chan struct{})}
		s.inflight.Add(1)
		go func() {
			defer s.inflight.Done()
			// The marker records the option given to this scope, as the
			// library does, not the inherited strategy.
			child.ready.err = s.writeMarker(ctx, name, seq, opts.DestroyStrategy)
			if child.ready.err != nil {
				child.Fail(child.ready.err)
			}
			close(child.ready.ch)
		}()
	}
	s.mu.Unlock()
	return child, nil
}

// Ready waits until the scope's marker is recorded and reports a conflict
// (a resource of the same name in state).
func (s *Scope) Ready(ctx context.Context) error { return s.ready.wait(ctx) }

// writeMarker records the marker of nested scope name, unless one exists.
func (s *Scope) writeMarker(ctx context.Context, name string, seq int, strategy DestroyStrategy) error {
	if err := s.ready.wait(ctx); err != nil {
		return err
	}
	store := s.app.eng.store
	prev, err := store.Get(ctx, s.path, name)
	if err != nil {
		return err
	}
	if prev != nil {
		if prev.Kind != state.KindScope {
			return fmt.Errorf("scope %q conflicts with resource %q of kind %s in state", s.FQN(name), name, prev.Kind)
		}
		return nil
	}
	rec := state.NewRecord(state.LayoutScopeMarker)
	rec.Kind, rec.ID, rec.Seq, rec.Status = state.KindScope, name, seq, state.StatusCreated
	rec.Props = value.NewObject(0)
	rec.Output = markerOutput(name, "", seq, strategy.recorded())
	return store.Set(ctx, s.path, name, rec)
}

// markerOutput is the output of a scope marker, with the symbols in the
// order the library writes them.
func markerOutput(id, fqn string, seq int, strategy string) *value.Object {
	return value.Obj(
		value.KeyID, value.String(id),
		value.KeyFQN, value.String(fqn),
		value.KeyKind, value.String(state.KindScope),
		value.KeyScope, value.ScopeRef{},
		value.KeySeq, value.Number(seq),
		value.KeyDestroyStrategy, value.String(strategy),
	)
}

// resourceScope makes the child scope of a resource's handler, replacing the
// one of an earlier attempt.
func (s *Scope) resourceScope(id string, owner *run) *Scope {
	child := newScope(s.app, s, id, kindResource, s.settings)
	child.settings.strategy = StrategyDefault
	child.owner = owner
	s.mu.Lock()
	s.children[id] = child
	s.mu.Unlock()
	return child
}

// Finalize ends the scope (alchemy.run's end, app.finalize()): see
// App.Finalize. On the stage it also finalizes child scopes and deletes
// pending replacements; on a nested scope it deletes its orphans (the rest
// happens when the stage is finalized), as in the library.
func (s *Scope) Finalize(ctx context.Context) error {
	return s.finalize(ctx, s.kind == kindStage || s.kind == kindRoot)
}

func (s *Scope) finalize(ctx context.Context, force bool) error {
	if s.kind == kindRoot {
		return s.app.stage.finalize(ctx, true)
	}
	if s.settings.phase == PhaseRead {
		return nil
	}
	s.mu.Lock()
	if s.finalized && !force {
		s.mu.Unlock()
		return nil
	}
	s.finalized = true
	s.mu.Unlock()
	if err := s.ready.wait(ctx); err != nil {
		return err
	}
	s.inflight.Wait()
	if err := s.Err(); err != nil {
		s.mu.Lock()
		warned := s.warned
		s.warned = true
		s.mu.Unlock()
		if !warned {
			s.app.eng.report(Event{Action: ActionWarn, FQN: s.path.String(),
				Message: fmt.Sprintf("scope %s failed, so finalize deletes nothing in it: %v", s.path, err)})
		}
		return nil
	}
	var errs []error
	if force {
		errs = append(errs, s.deletePending(ctx))
		s.mu.Lock()
		children := make([]*Scope, 0, len(s.children))
		for _, c := range s.children {
			children = append(children, c)
		}
		s.mu.Unlock()
		var wg sync.WaitGroup
		childErrs := make([]error, len(children))
		for i, c := range children {
			wg.Go(func() { childErrs[i] = c.finalize(ctx, true) })
		}
		wg.Wait()
		errs = append(errs, childErrs...)
	}
	errs = append(errs, s.deleteOrphans(ctx))
	return errJoin(errs)
}

// deleteOrphans deletes the records of the scope that were not called in
// this run.
func (s *Scope) deleteOrphans(ctx context.Context) error {
	ids, err := s.app.eng.store.List(ctx, s.path)
	if err != nil {
		return err
	}
	s.mu.Lock()
	orphans := make([]string, 0)
	for _, id := range ids {
		if _, alive := s.started[id]; !alive {
			orphans = append(orphans, id)
		}
	}
	s.mu.Unlock()
	if len(orphans) == 0 {
		return nil
	}
	return s.app.eng.deleteRecords(ctx, s, orphans)
}

// Destroy deletes everything the scope holds in state (destroy(scope)):
// pending replacements, every record and nested scope, then the scope's own
// marker and folder.
func (s *Scope) Destroy(ctx context.Context) error {
	if s.settings.phase == PhaseRead {
		return fmt.Errorf("scope %s: cannot destroy in read phase", s.path)
	}
	if s.kind == kindRoot {
		return s.app.stage.Destroy(ctx)
	}
	if err := s.ready.wait(ctx); err != nil {
		return err
	}
	s.inflight.Wait()
	store := s.app.eng.store
	if err := s.deletePending(ctx); err != nil {
		return err
	}
	ids, err := store.List(ctx, s.path)
	if err != nil {
		return err
	}
	if err := s.app.eng.deleteRecords(ctx, s, ids); err != nil {
		return err
	}
	s.mu.Lock()
	s.destroyed = true
	clear(s.started)
	s.mu.Unlock()
	if s.kind != kindResource {
		if err := store.Delete(ctx, s.parent.path, s.name); err != nil {
			return err
		}
	}
	return store.DeleteScope(ctx, s.path)
}

// errNoScopeData is returned for scope data of a scope that has no record
// to keep it in.
var errNoScopeData = errors.New("scope has no record to keep data in")

// updateData runs fn on the scope's data and writes it back when fn reports
// a change. The stage keeps its data in <app>/<stage>.json, created on
// first use; a nested scope in its marker; a resource's child scope in the
// resource's record.
func (s *Scope) updateData(ctx context.Context, fn func(data *value.Object) bool) error {
	store := s.app.eng.store
	if s.kind == kindRoot {
		return errNoScopeData
	}
	if r := s.owner; r != nil {
		r.mu.Lock()
		if !r.finished {
			defer r.mu.Unlock()
			if fn(r.rec.Data) {
				return store.Set(ctx, s.parent.path, s.name, r.rec)
			}
			return nil
		}
		r.mu.Unlock()
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	rec, err := store.Get(ctx, s.parent.path, s.name)
	if err != nil {
		return err
	}
	if rec == nil {
		if s.kind != kindStage {
			return errNoScopeData
		}
		rec = s.newStageRecord()
	}
	if fn(rec.Data) {
		return store.Set(ctx, s.parent.path, s.name, rec)
	}
	return nil
}

// newStageRecord builds the stage's data record the way the library does,
// including its quirk of taking two seqs of the stage scope (one for the
// record, one for its output) each time it looks for a missing record.
func (s *Scope) newStageRecord() *state.Record {
	rec := state.NewRecord(state.LayoutStageMarker)
	fqn := s.parent.FQN(s.name)
	rec.Kind, rec.ID, rec.FQN, rec.Status = state.KindScope, s.name, fqn, state.StatusCreated
	rec.Seq = s.nextSeq()
	rec.Output = markerOutput(s.name, fqn, s.nextSeq(), s.settings.strategy.recorded())
	rec.Props = value.NewObject(0)
	return rec
}

const keyPendingDeletions = "pendingDeletions"

// pendingDeletion is a replaced resource waiting to be deleted.
type pendingDeletion struct {
	output   *value.Object
	oldProps value.Value
}

func (s *Scope) pendingDeletions(ctx context.Context) ([]pendingDeletion, error) {
	var list []pendingDeletion
	err := s.updateData(ctx, func(data *value.Object) bool {
		list = parsePending(data)
		return false
	})
	if errors.Is(err, errNoScopeData) {
		return nil, nil
	}
	return list, err
}

func parsePending(data *value.Object) []pendingDeletion {
	raw, _ := data.Get(keyPendingDeletions)
	arr, _ := raw.(value.Array)
	var list []pendingDeletion
	for _, item := range arr {
		o, ok := item.(*value.Object)
		if !ok {
			continue
		}
		out, ok := o.GetObject("resource")
		if !ok {
			continue
		}
		old, _ := o.Get("oldProps")
		list = append(list, pendingDeletion{output: out, oldProps: old})
	}
	return list
}

// addPending records a replaced resource for deletion at finalize.
func (s *Scope) addPending(ctx context.Context, p pendingDeletion) error {
	// The library reads the list and then writes it, two lookups of the data
	// record; on the stage they consume seqs while the record does not exist
	// yet, which shows in the seqs of later resources. Doing the same keeps
	// state identical.
	if err := s.updateData(ctx, func(*value.Object) bool { return false }); err != nil {
		return err
	}
	return s.updateData(ctx, func(data *value.Object) bool {
		raw, _ := data.Get(keyPendingDeletions)
		arr, _ := raw.(value.Array)
		entry := value.Obj("resource", p.output)
		entry.Set("oldProps", p.oldProps)
		data.Set(keyPendingDeletions, append(append(value.Array(nil), arr...), entry))
		return true
	})
}

// removePending drops the entries of a deleted replaced resource, matched by
// id as the library does.
func removePending(data *value.Object, id string) bool {
	raw, ok := data.Get(keyPendingDeletions)
	if !ok {
		return false
	}
	arr, _ := raw.(value.Array)
	kept := value.Array{}
	for _, item := range arr {
		if o, ok := item.(*value.Object); ok {
			if out, ok := o.GetObject("resource"); ok {
				if rid, _ := out.GetString(value.KeyID); rid == id {
					continue
				}
			}
		}
		kept = append(kept, item)
	}
	data.Set(keyPendingDeletions, kept)
	return true
}

func (s *Scope) deletePending(ctx context.Context) error {
	list, err := s.pendingDeletions(ctx)
	if err != nil || len(list) == 0 {
		return err
	}
	return s.app.eng.deletePendingOf(ctx, s, list)
}

func (s *Scope) String() string { return "Scope(" + strings.Join(s.path, "/") + ")" }
