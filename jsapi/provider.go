package jsapi

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/value"
)

// jsProvider is the engine provider of a kind defined in the program with
// Resource(kind, handler). The engine calls it off the loop; each call posts
// the handler to the loop and waits until the promise it returns settles.
type jsProvider struct {
	kind         string
	alwaysUpdate bool
	strategy     engine.DestroyStrategy

	mu      sync.Mutex
	r       *realm
	handler goja.Value
	source  string // the handler's source text, to recognise a re-definition
}

// AlwaysUpdate implements engine.AlwaysUpdater (the alwaysUpdate option).
func (p *jsProvider) AlwaysUpdate() bool { return p.alwaysUpdate }

// DestroyStrategy implements engine.DestroyStrategist (the destroyStrategy
// option).
func (p *jsProvider) DestroyStrategy() engine.DestroyStrategy { return p.strategy }

// Create implements engine.Provider.
func (p *jsProvider) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return p.call(ctx, req)
}

// Update implements engine.Provider.
func (p *jsProvider) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return p.call(ctx, req)
}

// Delete implements engine.Provider.
func (p *jsProvider) Delete(ctx context.Context, req *engine.Request) error {
	_, err := p.call(ctx, req)
	return err
}

// jsResource is Resource(kind, options, handler): it registers the kind
// with the engine and returns its resource function. Defining a kind again
// with the same handler source (a module evaluated twice) reuses it.
func (r *realm) jsResource(call goja.FunctionCall) goja.Value {
	vm := r.vm
	kind := call.Argument(0).String()
	o := r.optionsOf(call.Argument(1), fmt.Sprintf("Resource(%q)", kind))
	handler := call.Argument(2)
	source := handler.String()
	p := &jsProvider{
		kind:         kind,
		alwaysUpdate: o.boolean("alwaysUpdate", false),
		strategy:     engine.DestroyStrategy(o.str("destroyStrategy", "")),
		r:            r, handler: handler, source: source,
	}
	switch p.strategy {
	case engine.StrategyDefault, engine.StrategySequential, engine.StrategyParallel:
	default:
		panic(vm.NewTypeError(fmt.Sprintf("Resource(%q): unknown destroyStrategy %q (sequential or parallel)", kind, p.strategy)))
	}
	reg := r.api.cfg.Registry
	if err := reg.Register(kind, p); err != nil {
		prev, _ := reg.Lookup(kind)
		js, ok := prev.(*jsProvider)
		if !ok {
			r.throw(fmt.Errorf("Resource(%q): %w", kind, err))
		}
		js.mu.Lock()
		same := js.source == source && js.alwaysUpdate == p.alwaysUpdate && js.strategy == p.strategy
		if same {
			js.r, js.handler = r, handler
		}
		js.mu.Unlock()
		if !same {
			r.throw(fmt.Errorf("Resource %s already exists", kind))
		}
	}
	return r.resourceFunction(&ResourceType{Export: exportName(kind), Kind: kind}, true)
}

// exportName names a JS kind's function after the last part of its kind:
// "my::Thing" → "Thing".
func exportName(kind string) string {
	for i := len(kind) - 1; i > 0; i-- {
		if kind[i] == ':' {
			return kind[i+1:]
		}
	}
	return kind
}

// handlerResult is what a handler call came to.
type handlerResult struct {
	output *value.Object
	err    error
}

// call runs the handler for req on the loop.
func (p *jsProvider) call(ctx context.Context, req *engine.Request) (*value.Object, error) {
	p.mu.Lock()
	r, handler := p.r, p.handler
	p.mu.Unlock()
	callCtx, done := r.stops.watch(ctx)
	defer done()
	res, err := runtime.Call(callCtx, r.loop,
		func(vm *goja.Runtime) (goja.Value, error) { return r.invokeHandler(handler, req) },
		func(vm *goja.Runtime, v goja.Value) (handlerResult, error) { return r.handlerOutcome(v, req), nil })
	switch {
	case err == nil:
		return res.output, res.err
	case ctx.Err() == nil && (errors.Is(err, runtime.ErrLoopStopped) || callCtx.Err() != nil):
		return nil, fmt.Errorf("the program stopped before the %s handler finished", p.kind)
	}
	return nil, err
}

// invokeHandler builds the handler's `this` and calls it in the resource's
// child scope. Loop goroutine.
func (r *realm) invokeHandler(handler goja.Value, req *engine.Request) (goja.Value, error) {
	vm := r.vm
	child := r.scopeFor(req.Scope)
	home := r.homeScope(req)
	info := vm.NewObject()
	set := func(k string, v any) { _ = info.Set(k, v) }
	set("kind", req.Kind)
	set("id", req.ID)
	set("fqn", req.FQN)
	set("seq", req.Seq)
	set("stage", req.Stage)
	set("phase", string(req.Op))
	set("quiet", req.Quiet)
	set("isReplacement", req.Replacement)
	if child != nil {
		set("scope", r.scopeObject(child))
	} else {
		set("scope", goja.Undefined())
	}
	if req.Op == engine.OpCreate {
		set("output", goja.Undefined())
		set("props", goja.Undefined())
	} else {
		set("output", r.toJS(req.Output, home))
		set("props", r.toJS(req.OldProps, home))
	}
	set("data", func(call goja.FunctionCall) goja.Value {
		key := call.Argument(1).String()
		switch call.Argument(0).String() {
		case "get":
			v, _ := req.Data.Get(key)
			return r.toJS(v, home)
		case "delete":
			v, _ := req.Data.Delete(key)
			return r.toJS(v, home)
		default:
			v, err := r.toValue(call.Argument(2))
			if err != nil {
				r.throw(fmt.Errorf("resource %q: this.set(%q): %w", req.FQN, key, err))
			}
			req.Data.Set(key, v)
			return goja.Undefined()
		}
	})
	props, ok := r.given[req.FQN]
	if !ok || req.Op == engine.OpDelete {
		props = r.toJS(req.Props, home)
	}
	prev := r.loop.AsyncContext()
	if child != nil {
		r.loop.SetAsyncContext(child)
	} else {
		r.loop.SetAsyncContext(nil)
	}
	defer r.loop.SetAsyncContext(prev)
	return r.invoke(goja.Undefined(), handler, info, vm.ToValue(req.ID), props)
}

// homeScope returns the scope the resource of req lives in, for the scope
// markers of its stored values.
func (r *realm) homeScope(req *engine.Request) *scope {
	if req.Scope != nil {
		if s := r.scopeFor(req.Scope.Parent()); s != nil {
			return s
		}
	}
	if a := r.appFor(req.App, req.Stage); a != nil {
		return a.stage
	}
	return nil
}

// handlerOutcome reads what invoke settled with: {output}, {signal, flag}
// or {error}. Loop goroutine.
func (r *realm) handlerOutcome(v goja.Value, req *engine.Request) handlerResult {
	obj, ok := v.(*goja.Object)
	if !ok {
		return handlerResult{err: errors.New("internal error: handler outcome is not an object")}
	}
	if sig := obj.Get("signal"); sig != nil && !goja.IsUndefined(sig) {
		flag := obj.Get("flag").ToBoolean()
		switch {
		case sig.String() == "destroy" && req.Op == engine.OpDelete:
			if flag {
				req.RetainChildren()
			}
			return handlerResult{}
		case sig.String() == "replace" && req.Op == engine.OpUpdate:
			return handlerResult{err: &engine.ReplaceError{Force: flag}}
		case sig.String() == "replace" && req.Op == engine.OpCreate && req.Replacement:
			return handlerResult{err: errors.New("this.replace() was called while creating the replacement")}
		default:
			return handlerResult{err: fmt.Errorf("this.%s() cannot be called in the %s phase", sig.String(), req.Op)}
		}
	}
	if e := obj.Get("error"); e != nil {
		return handlerResult{err: &handlerError{msg: describe(r.vm, e), cause: e}}
	}
	out := obj.Get("output")
	if req.Op == engine.OpDelete || out == nil || goja.IsUndefined(out) || goja.IsNull(out) {
		return handlerResult{}
	}
	if _, isObj := out.(*goja.Object); !isObj {
		return handlerResult{err: fmt.Errorf("the handler returned %s; it must return an object (this(...) builds one)", typeOf(out))}
	}
	val, err := r.toValue(out)
	if err != nil {
		return handlerResult{err: fmt.Errorf("bad output: %w", err)}
	}
	o, ok := val.(*value.Object)
	if !ok {
		return handlerResult{err: fmt.Errorf("the handler returned %s; it must return an object", value.TypeName(val))}
	}
	return handlerResult{output: o}
}

// handlerError is an error a handler threw. Its message is computed on the
// loop, so that it can be printed anywhere; the thrown value becomes the
// cause of the error the resource call rejects with.
type handlerError struct {
	msg   string
	cause goja.Value // loop goroutine only
}

func (e *handlerError) Error() string { return e.msg }

// DecorateJSError implements runtime.ErrorDecorator.
func (e *handlerError) DecorateJSError(vm *goja.Runtime, obj *goja.Object) {
	_ = obj.Set("cause", e.cause)
}
