package jsapi

import (
	"context"
	_ "embed"
	"fmt"
	"sync"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/providers/fs"
	"github.com/alchemy-go/alchemy/runtime"
)

// Names of the modules this package serves.
const (
	ModuleAlchemy = "alchemy"
	ModuleFS      = "alchemy/fs"
)

// alchemyExports are the named exports of "alchemy", as types/alchemy.d.ts
// declares them; the default export is alchemy itself.
var alchemyExports = []string{
	"alchemy", "run", "destroy", "secret", "env", "Resource", "Secret", "isSecret", "Scope", "isScope",
	"ResourceKind", "ResourceID", "ResourceFQN", "ResourceScope", "ResourceSeq", "DEFAULT_STAGE", "type",
}

// Modules returns the modules of the run: "alchemy" and "alchemy/fs".
func (a *API) Modules() []runtime.Module {
	return []runtime.Module{a.alchemyModule(), a.Module(fsModule()), a.StateModule()}
}

func (a *API) alchemyModule() runtime.Module {
	return runtime.Module{
		Name:    ModuleAlchemy,
		Exports: alchemyExports,
		Default: true,
		Load: func(h *runtime.Host) (*goja.Object, error) {
			r, err := a.realm(h)
			if err != nil {
				return nil, err
			}
			vm := r.vm
			exports := vm.NewObject()
			for _, name := range alchemyExports {
				v := r.lib.Get(name)
				if name == "DEFAULT_STAGE" {
					v = vm.ToValue(defaultStage(h.Env()))
				}
				if v == nil || goja.IsUndefined(v) {
					return nil, fmt.Errorf("export %s is missing", name)
				}
				_ = exports.Set(name, v)
			}
			_ = exports.Set("default", r.lib.Get("alchemy"))
			return exports, nil
		},
	}
}

// defaultStage is the stage the library uses when none is given:
// ALCHEMY_STAGE, STAGE, USER, USERNAME, else "dev".
func defaultStage(env *runtime.Env) string {
	for _, k := range []string{"ALCHEMY_STAGE", "STAGE", "USER", "USERNAME"} {
		if v, ok := env.Get(k); ok && v != "" {
			return v
		}
	}
	return "dev"
}

// fsModule is alchemy/fs: File and Folder from providers/fs.
func fsModule() Module {
	return Module{
		Name: ModuleFS,
		Resources: []ResourceType{
			{Export: "File", Kind: fs.KindFile},
			{Export: "Folder", Kind: fs.KindFolder},
		},
	}
}

//go:embed alchemy.js
var librarySource string

// libraryProgram is alchemy.js compiled once per process.
var libraryProgram = sync.OnceValues(func() (*goja.Program, error) {
	return goja.Compile("alchemy:alchemy.js", librarySource, true)
})

// realm is the alchemy module in one JS runtime: its classes, the scopes the
// program sees, and the JS-defined resource kinds. Its fields are used on
// the loop goroutine only.
type realm struct {
	api  *API
	host *runtime.Host
	vm   *goja.Runtime
	loop *runtime.Loop
	lib  *goja.Object

	objectProto *goja.Object
	secretCtor  *goja.Object
	secretProto *goja.Object
	scopeCtor   *goja.Object
	scopeProto  *goja.Object
	dateCtor    *goja.Object
	symbolFor   goja.Callable
	makeScope   goja.Callable
	invoke      goja.Callable

	symbols  map[string]*goja.Symbol
	scopes   map[*goja.Object]*scope
	byEngine map[*engine.Scope]*scope
	apps     []*appRun
	stops    *stopWatch
	// given holds the props objects the program passed to JS-defined
	// resources still applying, by FQN, so that handlers see them as given
	// (functions included) rather than as stored.
	given map[string]goja.Value
}

type realmKey struct{ api *API }

// realm returns the module's state in h, setting it up on first use.
func (a *API) realm(h *runtime.Host) (*realm, error) {
	v, err := h.Local(realmKey{a}, func() (any, error) { return a.newRealm(h) })
	if err != nil {
		return nil, err
	}
	return v.(*realm), nil
}

func (a *API) newRealm(h *runtime.Host) (*realm, error) {
	prog, err := libraryProgram()
	if err != nil {
		return nil, fmt.Errorf("compile alchemy.js: %w", err)
	}
	vm := h.VM()
	r := &realm{
		api: a, host: h, vm: vm, loop: h.Loop(),
		symbols:  map[string]*goja.Symbol{},
		scopes:   map[*goja.Object]*scope{},
		byEngine: map[*engine.Scope]*scope{},
		given:    map[string]goja.Value{},
		stops:    newStopWatch(h.Loop()),
	}
	if r.lib, err = runtime.RunFactory(vm, prog, "alchemy.js", r.natives()); err != nil {
		return nil, err
	}
	get := func(obj *goja.Object, name string) (*goja.Object, error) {
		o, ok := obj.Get(name).(*goja.Object)
		if !ok {
			return nil, fmt.Errorf("alchemy.js: %s is missing", name)
		}
		return o, nil
	}
	call := func(obj *goja.Object, name string) (goja.Callable, error) {
		f, ok := goja.AssertFunction(obj.Get(name))
		if !ok {
			return nil, fmt.Errorf("alchemy.js: %s is not a function", name)
		}
		return f, nil
	}
	objectCtor, err := get(vm.GlobalObject(), "Object")
	if err != nil {
		return nil, err
	}
	symbolCtor, err := get(vm.GlobalObject(), "Symbol")
	if err != nil {
		return nil, err
	}
	steps := []func() error{
		func() (err error) { r.objectProto, err = get(objectCtor, "prototype"); return },
		func() (err error) { r.dateCtor, err = get(vm.GlobalObject(), "Date"); return },
		func() (err error) { r.symbolFor, err = call(symbolCtor, "for"); return },
		func() (err error) { r.secretCtor, err = get(r.lib, "Secret"); return },
		func() (err error) { r.secretProto, err = get(r.secretCtor, "prototype"); return },
		func() (err error) { r.scopeCtor, err = get(r.lib, "Scope"); return },
		func() (err error) { r.scopeProto, err = get(r.scopeCtor, "prototype"); return },
		func() (err error) { r.makeScope, err = call(r.lib, "makeScope"); return },
		func() (err error) { r.invoke, err = call(r.lib, "invoke"); return },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// natives is the object alchemy.js calls into.
func (r *realm) natives() *goja.Object {
	vm := r.vm
	n := vm.NewObject()
	set := func(name string, fn func(goja.FunctionCall) goja.Value) { _ = n.Set(name, fn) }
	set("alchemy", r.jsAlchemy)
	set("nested", r.jsNested)
	set("within", r.jsWithin)
	set("fail", r.jsFail)
	set("finalize", r.jsFinalize)
	set("destroyScope", r.jsDestroyScope)
	set("destroyResource", r.jsDestroyResource)
	set("current", func(goja.FunctionCall) goja.Value {
		if s := r.current(); s != nil {
			return r.scopeObject(s)
		}
		return goja.Undefined()
	})
	set("parent", func(call goja.FunctionCall) goja.Value {
		if s := r.scopeArg(call.Argument(0)); s.parent != nil {
			return r.scopeObject(s.parent)
		}
		return goja.Undefined()
	})
	set("has", r.jsHas)
	set("data", r.jsScopeData)
	set("onCleanup", func(call goja.FunctionCall) goja.Value {
		s := r.scopeArg(call.Argument(0))
		if fn, ok := goja.AssertFunction(call.Argument(1)); ok {
			s.app.cleanups = append(s.app.cleanups, fn)
		}
		return goja.Undefined()
	})
	set("env", func(call goja.FunctionCall) goja.Value {
		if v, ok := r.host.Env().Get(call.Argument(0).String()); ok {
			return vm.ToValue(v)
		}
		return goja.Undefined()
	})
	set("resource", r.jsResource)
	return n
}

// throw throws err in JS with the stack of the current call.
func (r *realm) throw(err error) {
	panic(runtime.NewError(r.vm, err, runtime.CaptureCallSite(r.vm)))
}

// rejected returns a promise rejected with err, whose stack is the current
// call's.
func (r *realm) rejected(err error) goja.Value {
	p, _, reject := r.vm.NewPromise()
	_ = reject(runtime.NewError(r.vm, err, runtime.CaptureCallSite(r.vm)))
	return r.vm.ToValue(p)
}

// goAsync runs op off the loop and returns its promise (see Loop.Go).
func (r *realm) goAsync(op func(ctx context.Context) runtime.Settle) goja.Value {
	return r.vm.ToValue(r.loop.Go(op))
}

// applyContext is the context resource work runs under: it is not
// cancelled by an interrupt, so that provider calls in flight finish and
// their state is written.
func (r *realm) applyContext() context.Context {
	return context.WithoutCancel(r.loop.Context())
}
