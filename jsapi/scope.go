package jsapi

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/value"
)

// appRun is one alchemy(name, opts) call: its resolved options and, once
// open, its engine app.
type appRun struct {
	name, stageName string
	phase           engine.Phase
	password        string
	rootDir         string
	dir             string // the program's working directory
	local, watch    bool
	quiet           bool
	force, adopt    bool
	strategy        engine.DestroyStrategy
	destroyOrphans  bool
	// store is the store the stateStore option made (nil: files).
	store *storeSpec

	app   *engine.App // nil until open
	root  *scope
	stage *scope
	// cleanups are the onCleanup callbacks, run after the app finalizes.
	cleanups []goja.Callable
}

type scopeKind int

const (
	scopeRoot scopeKind = iota
	scopeStage
	scopeNested
	scopeResource
)

// scope is a scope as the program sees it: the engine scope (nil until its
// app is open) and the JS Scope object, made on first use. It is the value
// of the loop's async context while code runs in the scope.
type scope struct {
	app    *appRun
	eng    *engine.Scope
	parent *scope
	name   string
	kind   scopeKind
	quiet  bool
	force  bool
	adopt  bool
	obj    *goja.Object
}

// current returns the scope of the code running now.
func (r *realm) current() *scope {
	s, _ := r.loop.AsyncContext().(*scope)
	return s
}

// scopeArg returns the scope of a Scope object passed by alchemy.js.
func (r *realm) scopeArg(v goja.Value) *scope {
	if obj, ok := v.(*goja.Object); ok {
		if s := r.scopes[obj]; s != nil {
			return s
		}
	}
	panic(r.vm.NewTypeError("expected a Scope"))
}

func (s *scope) chain() []string {
	switch {
	case s.eng != nil:
		return s.eng.Chain()
	case s.kind == scopeRoot:
		return []string{s.app.name}
	default:
		return []string{s.app.name, s.app.stageName}
	}
}

// scopeObject returns the JS Scope of s.
func (r *realm) scopeObject(s *scope) *goja.Object {
	if s.obj != nil {
		return s.obj
	}
	vm := r.vm
	info := vm.NewObject()
	set := func(k string, v any) { _ = info.Set(k, v) }
	set("name", s.name)
	set("appName", s.app.name)
	set("stage", s.app.stageName)
	set("phase", string(s.app.phase))
	chain := s.chain()
	items := make([]any, len(chain))
	for i, c := range chain {
		items[i] = c
	}
	set("chain", vm.NewArray(items...))
	set("local", s.app.local)
	set("watch", s.app.watch)
	set("quiet", s.quiet)
	set("force", s.force)
	set("adopt", s.adopt)
	if s.app.password != "" {
		set("password", s.app.password)
	} else {
		set("password", goja.Undefined())
	}
	set("rootDir", s.app.rootDir)
	set("dotAlchemy", filepath.Join(s.app.rootDir, ".alchemy"))
	strategy := string(s.app.strategy)
	if strategy == "" {
		strategy = string(engine.StrategySequential)
	}
	set("destroyStrategy", strategy)
	obj, err := r.makeScope(goja.Undefined(), info)
	if err != nil {
		panic(err)
	}
	s.obj = obj.(*goja.Object)
	r.scopes[s.obj] = s
	return s.obj
}

// scopeFor returns the scope of an engine scope, making it (and its
// parents) when the program has not seen it yet, as for the child scope of
// a resource handler.
func (r *realm) scopeFor(es *engine.Scope) *scope {
	if es == nil {
		return nil
	}
	if s := r.byEngine[es]; s != nil {
		return s
	}
	parent := r.scopeFor(es.Parent())
	if parent == nil {
		return nil
	}
	s := &scope{app: parent.app, eng: es, parent: parent, name: es.Name(), kind: scopeResource,
		quiet: es.Quiet(), force: parent.force, adopt: parent.adopt}
	r.byEngine[es] = s
	return s
}

// appFor returns the app of the run with that name and stage.
func (r *realm) appFor(name, stage string) *appRun {
	for _, a := range r.apps {
		if a.name == name && a.stageName == stage {
			return a
		}
	}
	return nil
}

// options reads an options object of alchemy() or alchemy.run().
type options struct {
	r    *realm
	obj  *goja.Object
	what string
}

// UnnamedScopeSymbol is the key (Symbol.for) of an alchemy.run option, set
// by the test module, that leaves the scope's name out of the physical names
// of its resources (engine.ScopeOptions.Unnamed). A symbol keeps it out of
// the options programs write.
const UnnamedScopeSymbol = "alchemy.unnamedScope"

func (r *realm) optionsOf(v goja.Value, what string) options {
	o := options{r: r, what: what}
	if obj, ok := v.(*goja.Object); ok {
		o.obj = obj
	} else if !goja.IsUndefined(v) && !goja.IsNull(v) {
		panic(r.vm.NewTypeError(fmt.Sprintf("%s: options must be an object", what)))
	}
	return o
}

func (o options) get(name string) goja.Value {
	if o.obj == nil {
		return nil
	}
	v := o.obj.Get(name)
	if v == nil || goja.IsUndefined(v) {
		return nil
	}
	return v
}

func (o options) str(name, def string) string {
	v := o.get(name)
	if v == nil {
		return def
	}
	s, ok := v.Export().(string)
	if !ok {
		panic(o.r.vm.NewTypeError(fmt.Sprintf("%s: option %s must be a string", o.what, name)))
	}
	return s
}

func (o options) boolean(name string, def bool) bool {
	v := o.get(name)
	if v == nil {
		return def
	}
	b, ok := v.Export().(bool)
	if !ok {
		panic(o.r.vm.NewTypeError(fmt.Sprintf("%s: option %s must be a boolean", o.what, name)))
	}
	return b
}

func (o options) optBool(name string) *bool {
	if o.get(name) == nil {
		return nil
	}
	b := o.boolean(name, false)
	return &b
}

// localMismatch is the error of an app whose local (or dev) option
// disagrees with the run.
func localMismatch(wantLocal bool) error {
	if wantLocal {
		return errors.New("option local (or dev): true asks for local mode, which the command line decides: run `alchemy dev` or `alchemy run --dev`")
	}
	return errors.New("option local (or dev): false asks to deploy to Cloudflare, but this run is local (--dev): drop the option or run without --dev")
}

// jsAlchemy is alchemy(appName, opts): it opens the app scope [app] and the
// stage scope [app, stage], makes the stage the current scope (as the
// library's enterWith does) and resolves to the app scope. In the destroy
// phase it deletes the stage and ends the program with status 0.
func (r *realm) jsAlchemy(call goja.FunctionCall) goja.Value {
	vm := r.vm
	name, ok := call.Argument(0).Export().(string)
	if !ok {
		panic(vm.NewTypeError("alchemy(appName, options): appName must be a string"))
	}
	what := fmt.Sprintf("alchemy(%q)", name)
	o := r.optionsOf(call.Argument(1), what)
	d := r.api.cfg.Defaults
	phase := d.Phase
	if d.App != "" && d.App != name {
		phase = engine.PhaseRead
	}
	a := &appRun{
		name:           name,
		phase:          engine.Phase(o.str("phase", string(phase))),
		stageName:      o.str("stage", d.Stage),
		password:       o.str("password", d.Password),
		quiet:          o.boolean("quiet", d.Quiet),
		force:          o.boolean("force", d.Force),
		adopt:          o.boolean("adopt", d.Adopt),
		local:          o.boolean("local", o.boolean("dev", d.Local)),
		watch:          o.boolean("watch", d.Watch),
		strategy:       engine.DestroyStrategy(o.str("destroyStrategy", "")),
		destroyOrphans: o.boolean("destroyOrphans", true),
		rootDir:        o.str("rootDir", d.RootDir),
		dir:            r.host.Dir(),
	}
	// Local mode and watching are set up before the program runs (the local
	// Cloudflare, the file watcher), so an app cannot switch them: a program
	// asking for them gets told how to start the run instead of deploying
	// to the real account.
	if a.local != d.Local {
		panic(runtime.NewError(vm, fmt.Errorf("%s: %w", what, localMismatch(a.local)), runtime.CaptureCallSite(vm)))
	}
	if a.watch && !d.Watch {
		panic(runtime.NewError(vm, fmt.Errorf("%s: option watch: true: the command line decides whether a run watches its files: run `alchemy dev` or `alchemy run --watch`", what), runtime.CaptureCallSite(vm)))
	}
	if a.rootDir == "" {
		a.rootDir = r.host.Dir()
	} else if !filepath.IsAbs(a.rootDir) {
		a.rootDir = filepath.Join(r.host.Dir(), a.rootDir)
	}
	a.root = &scope{app: a, name: name, kind: scopeRoot, quiet: a.quiet, force: a.force, adopt: a.adopt}
	a.stage = &scope{app: a, parent: a.root, name: a.stageName, kind: scopeStage, quiet: a.quiet, force: a.force, adopt: a.adopt}
	a.store = r.stateStoreOption(o, a.root)
	if a.store == nil && !r.noStateStoreCheck(o) {
		r.ciStateStoreCheck(what)
	}
	r.apps = append(r.apps, a)
	r.api.markUsed()
	r.loop.SetAsyncContext(a.stage)

	api := r.api
	env := r.host.Env()
	getenv := func(k string) string { v, _ := env.Get(k); return v }
	return r.goAsync(func(ctx context.Context) runtime.Settle {
		eng, err := api.engineFor(a.store, a.rootDir, a.dir, a.password, getenv)
		if err != nil {
			return runtime.Rejected(fmt.Errorf("%s: option stateStore: %w", what, err))
		}
		app, err := eng.Open(ctx, engine.AppOptions{
			Name: a.name, Stage: a.stageName, Phase: a.phase,
			Force: a.force, Adopt: a.adopt, Quiet: a.quiet,
			DestroyStrategy: a.strategy, LockTimeout: api.cfg.Defaults.LockTimeout,
		})
		if err != nil {
			return runtime.Rejected(fmt.Errorf("%s: %w", what, err))
		}
		api.addApp(app)
		if a.phase == engine.PhaseDestroy {
			err := app.Destroy(context.WithoutCancel(ctx))
			if cerr := app.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return runtime.Rejected(fmt.Errorf("%s: destroy: %w", what, err))
			}
			// The library exits once the stage is gone; the rest of the
			// program does not run.
			r.loop.Post(func(*goja.Runtime) error { return &runtime.ExitError{Code: 0} })
		}
		return func(vm *goja.Runtime) (goja.Value, error) {
			a.app = app
			a.root.eng, a.stage.eng = app.Root(), app.Stage()
			r.byEngine[a.root.eng], r.byEngine[a.stage.eng] = a.root, a.stage
			return r.scopeObject(a.root), nil
		}
	})
}

// ready returns the engine scope of s, or an error naming what to await.
func (s *scope) ready() (*engine.Scope, error) {
	if s.eng == nil {
		return nil, fmt.Errorf("app %q is not open yet: await alchemy(%q) first", s.app.name, s.app.name)
	}
	return s.eng, nil
}

// resourceScope returns the scope resources of s live in: the stage for the
// app scope.
func (s *scope) resourceScope() *scope {
	if s.kind == scopeRoot {
		return s.app.stage
	}
	return s
}

// jsNested is the first half of alchemy.run(id, opts, fn): it opens the
// nested scope, taking its seq now, and resolves to it once its marker is
// recorded.
func (r *realm) jsNested(call goja.FunctionCall) goja.Value {
	vm := r.vm
	id, ok := call.Argument(0).Export().(string)
	if !ok {
		panic(vm.NewTypeError("alchemy.run(id, fn): id must be a string"))
	}
	what := fmt.Sprintf("alchemy.run(%q)", id)
	o := r.optionsOf(call.Argument(1), what)
	parent := r.current()
	if p := o.get("parent"); p != nil {
		parent = r.scopeArg(p)
	}
	if parent == nil {
		return r.rejected(fmt.Errorf("%s: not running within an Alchemy scope: await alchemy(appName) first", what))
	}
	parent = parent.resourceScope()
	pe, err := parent.ready()
	if err != nil {
		return r.rejected(fmt.Errorf("%s: %w", what, err))
	}
	r.nestedStateStore(o, parent)
	opts := engine.ScopeOptions{
		Force: o.optBool("force"), Adopt: o.optBool("adopt"), Quiet: o.optBool("quiet"),
		DestroyStrategy: engine.DestroyStrategy(o.str("destroyStrategy", "")),
	}
	if o.obj != nil {
		if v := o.obj.GetSymbol(r.symbol(UnnamedScopeSymbol)); v != nil && v.ToBoolean() {
			opts.Unnamed = true
		}
	}
	child, err := pe.Nested(r.applyContext(), id, opts)
	if err != nil {
		return r.rejected(fmt.Errorf("%s: %w", what, err))
	}
	s := r.byEngine[child]
	if s == nil {
		s = &scope{app: parent.app, eng: child, parent: parent, name: id, kind: scopeNested,
			quiet: child.Quiet(), force: parent.force, adopt: parent.adopt}
		if opts.Force != nil {
			s.force = *opts.Force
		}
		if opts.Adopt != nil {
			s.adopt = *opts.Adopt
		}
		r.byEngine[child] = s
	}
	return r.goAsync(func(ctx context.Context) runtime.Settle {
		if err := child.Ready(ctx); err != nil {
			return runtime.Rejected(fmt.Errorf("%s: %w", what, err))
		}
		return func(*goja.Runtime) (goja.Value, error) { return r.scopeObject(s), nil }
	})
}

// jsWithin calls fn with scope as the current scope (AsyncLocalStorage.run).
func (r *realm) jsWithin(call goja.FunctionCall) goja.Value {
	s := r.scopeArg(call.Argument(0))
	fn, ok := goja.AssertFunction(call.Argument(1))
	if !ok {
		panic(r.vm.NewTypeError("expected a function"))
	}
	prev := r.loop.AsyncContext()
	r.loop.SetAsyncContext(s)
	defer r.loop.SetAsyncContext(prev)
	v, err := fn(goja.Undefined())
	if err != nil {
		panic(err)
	}
	return v
}

// jsFail marks a scope failed: alchemy.run's function threw.
func (r *realm) jsFail(call goja.FunctionCall) goja.Value {
	s := r.scopeArg(call.Argument(0))
	if s.eng != nil {
		s.eng.Fail(errors.New(describe(r.vm, call.Argument(1))))
	}
	return goja.Undefined()
}

// jsFinalize is scope.finalize(): the app scope finalizes the stage
// (pending replacements, child scopes, orphans); a nested scope deletes its
// orphans. Nothing happens in the read phase, nor with destroyOrphans: false.
func (r *realm) jsFinalize(call goja.FunctionCall) goja.Value {
	s := r.scopeArg(call.Argument(0))
	es, err := s.ready()
	if err != nil {
		return r.rejected(fmt.Errorf("finalize: %w", err))
	}
	a := s.app
	if !a.destroyOrphans {
		return r.goAsync(func(context.Context) runtime.Settle { return nil })
	}
	root := s.kind == scopeRoot
	return r.goAsync(func(ctx context.Context) runtime.Settle {
		var err error
		if root {
			err = a.app.Finalize(context.WithoutCancel(ctx))
		} else {
			err = es.Finalize(context.WithoutCancel(ctx))
		}
		if err != nil {
			return runtime.Rejected(fmt.Errorf("finalize %s: %w", es.Path(), err))
		}
		if !root {
			return nil
		}
		return func(vm *goja.Runtime) (goja.Value, error) {
			cleanups := a.cleanups
			a.cleanups = nil
			for _, fn := range cleanups {
				if _, err := fn(goja.Undefined()); err != nil {
					return nil, err
				}
			}
			return goja.Undefined(), nil
		}
	})
}

// jsDestroyScope is destroy(scope): every resource of the scope is deleted,
// then the scope itself.
func (r *realm) jsDestroyScope(call goja.FunctionCall) goja.Value {
	s := r.scopeArg(call.Argument(0))
	es, err := s.ready()
	if err != nil {
		return r.rejected(fmt.Errorf("destroy: %w", err))
	}
	return r.goAsync(func(ctx context.Context) runtime.Settle {
		if err := es.Destroy(context.WithoutCancel(ctx)); err != nil {
			return runtime.Rejected(fmt.Errorf("destroy %s: %w", es.Path(), err))
		}
		return nil
	})
}

// jsDestroyResource is destroy(resource): the resource (and what its
// handler created) is deleted.
func (r *realm) jsDestroyResource(call goja.FunctionCall) goja.Value {
	out, ok := call.Argument(0).(*goja.Object)
	if !ok {
		panic(r.vm.NewTypeError("destroy(): expected a resource"))
	}
	id, _ := out.GetSymbol(r.symbol("alchemy::ResourceID")).Export().(string)
	var s *scope
	if so, ok := out.GetSymbol(r.symbol("alchemy::ResourceScope")).(*goja.Object); ok {
		s = r.scopes[so]
	}
	if s == nil {
		s = r.current()
	}
	if s == nil || id == "" {
		return r.rejected(fmt.Errorf("destroy(): the resource %q belongs to no scope of this run", id))
	}
	es, err := s.resourceScope().ready()
	if err != nil {
		return r.rejected(fmt.Errorf("destroy: %w", err))
	}
	return r.goAsync(func(ctx context.Context) runtime.Settle {
		if err := es.DestroyResource(context.WithoutCancel(ctx), id); err != nil {
			return runtime.Rejected(fmt.Errorf("destroy %s: %w", es.FQN(id), err))
		}
		return nil
	})
}

// jsHas is scope.has(id, kind).
func (r *realm) jsHas(call goja.FunctionCall) goja.Value {
	s := r.scopeArg(call.Argument(0)).resourceScope()
	id, kind := call.Argument(1).String(), call.Argument(2).String()
	es, err := s.ready()
	if err != nil {
		return r.rejected(err)
	}
	return r.goAsync(func(ctx context.Context) runtime.Settle {
		ok, err := es.Has(ctx, id, kind)
		if err != nil {
			return runtime.Rejected(err)
		}
		return runtime.Resolved(ok)
	})
}

// jsScopeData is scope.get/set/delete(key[, value]) on the scope's data.
func (r *realm) jsScopeData(call goja.FunctionCall) goja.Value {
	s := r.scopeArg(call.Argument(0)).resourceScope()
	op, key := call.Argument(1).String(), call.Argument(2).String()
	es, err := s.ready()
	if err != nil {
		return r.rejected(err)
	}
	var v value.Value
	if op == "set" {
		if v, err = r.toValue(call.Argument(3)); err != nil {
			return r.rejected(fmt.Errorf("scope %s: set %q: %w", es.Path(), key, err))
		}
	}
	return r.goAsync(func(ctx context.Context) runtime.Settle {
		var got value.Value
		err := es.UpdateData(context.WithoutCancel(ctx), func(data *value.Object) bool {
			switch op {
			case "get":
				got, _ = data.Get(key)
				return false
			case "delete":
				var had bool
				got, had = data.Delete(key)
				return had
			default:
				data.Set(key, v)
				return true
			}
		})
		if err != nil {
			return runtime.Rejected(err)
		}
		return func(*goja.Runtime) (goja.Value, error) { return r.toJS(got, s), nil }
	})
}

// describe returns the message of a thrown JS value: "message" for an
// Error, "Name: message" for other error classes, else the inspected value.
func describe(vm *goja.Runtime, v goja.Value) string {
	if obj, ok := v.(*goja.Object); ok {
		msg := obj.Get("message")
		name := obj.Get("name")
		if msg != nil && !goja.IsUndefined(msg) && name != nil && !goja.IsUndefined(name) {
			if n := name.String(); n != "Error" {
				return n + ": " + msg.String()
			}
			return msg.String()
		}
	}
	return runtime.Inspect(vm, v, runtime.InspectOptions{})
}
