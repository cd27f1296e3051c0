package worker

import (
	"maps"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime"
)

// asyncHooksModule is node:async_hooks for Workers: AsyncLocalStorage and
// AsyncResource over the isolate's async context (a frame), which the
// event loop carries across awaits, timers and Go operations.
func asyncHooksModule() runtime.Module {
	return runtime.Module{
		Name: "node:async_hooks", Aliases: []string{"async_hooks"}, Default: true,
		Exports: []string{"AsyncLocalStorage", "AsyncResource"},
		Load:    loadAsyncHooks,
	}
}

func loadAsyncHooks(h *runtime.Host) (*goja.Object, error) {
	vm, loop := h.VM(), h.Loop()
	current := func() *frame {
		f, _ := loop.AsyncContext().(*frame)
		if f == nil {
			f = &frame{}
		}
		return f
	}
	// within calls fn with the async context set to f.
	within := func(f *frame, fn goja.Value, this goja.Value, args []goja.Value) goja.Value {
		call, ok := goja.AssertFunction(fn)
		if !ok {
			panic(vm.NewTypeError("the callback must be a function"))
		}
		prev := loop.AsyncContext()
		loop.SetAsyncContext(f)
		defer loop.SetAsyncContext(prev)
		v, err := call(this, args...)
		if err != nil {
			panic(err)
		}
		return v
	}
	with := func(f *frame, key *goja.Object, store goja.Value, remove bool) *frame {
		next := &frame{call: f.call, stores: maps.Clone(f.stores)}
		if next.stores == nil {
			next.stores = map[*goja.Object]goja.Value{}
		}
		if remove {
			delete(next.stores, key)
		} else {
			next.stores[key] = store
		}
		return next
	}
	rest := func(args []goja.Value, n int) []goja.Value {
		if len(args) > n {
			return args[n:]
		}
		return nil
	}
	// bound returns fn bound to the async context f.
	bound := func(f *frame, fn goja.Value) goja.Value {
		return vm.ToValue(func(c goja.FunctionCall) goja.Value { return within(f, fn, c.This, c.Arguments) })
	}

	als := vm.ToValue(func(c goja.ConstructorCall) *goja.Object { return nil }).(*goja.Object)
	_ = als.DefineDataProperty("name", vm.ToValue("AsyncLocalStorage"), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	proto := als.Get("prototype").(*goja.Object)
	method := func(obj *goja.Object, name string, fn func(c goja.FunctionCall) goja.Value) { _ = obj.Set(name, fn) }
	method(proto, "run", func(c goja.FunctionCall) goja.Value {
		return within(with(current(), c.This.ToObject(vm), c.Argument(0), false), c.Argument(1), goja.Undefined(), rest(c.Arguments, 2))
	})
	method(proto, "exit", func(c goja.FunctionCall) goja.Value {
		return within(with(current(), c.This.ToObject(vm), nil, true), c.Argument(0), goja.Undefined(), rest(c.Arguments, 1))
	})
	method(proto, "getStore", func(c goja.FunctionCall) goja.Value {
		if v, ok := current().stores[c.This.ToObject(vm)]; ok {
			return v
		}
		return goja.Undefined()
	})
	method(proto, "enterWith", func(c goja.FunctionCall) goja.Value {
		loop.SetAsyncContext(with(current(), c.This.ToObject(vm), c.Argument(0), false))
		return goja.Undefined()
	})
	method(proto, "disable", func(c goja.FunctionCall) goja.Value {
		loop.SetAsyncContext(with(current(), c.This.ToObject(vm), nil, true))
		return goja.Undefined()
	})
	method(als, "bind", func(c goja.FunctionCall) goja.Value { return bound(current(), c.Argument(0)) })
	method(als, "snapshot", func(c goja.FunctionCall) goja.Value {
		f := current()
		return vm.ToValue(func(c goja.FunctionCall) goja.Value {
			return within(f, c.Argument(0), goja.Undefined(), rest(c.Arguments, 1))
		})
	})

	frames := goja.NewSymbol("frame")
	resource := vm.ToValue(func(c goja.ConstructorCall) *goja.Object {
		_ = c.This.DefineDataPropertySymbol(frames, vm.ToValue(current()), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
		return nil
	}).(*goja.Object)
	_ = resource.DefineDataProperty("name", vm.ToValue("AsyncResource"), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	rproto := resource.Get("prototype").(*goja.Object)
	frameOf := func(this goja.Value) *frame {
		if f, ok := this.ToObject(vm).GetSymbol(frames).Export().(*frame); ok {
			return f
		}
		return &frame{}
	}
	method(rproto, "runInAsyncScope", func(c goja.FunctionCall) goja.Value {
		return within(frameOf(c.This), c.Argument(0), c.Argument(1), rest(c.Arguments, 2))
	})
	method(rproto, "bind", func(c goja.FunctionCall) goja.Value { return bound(frameOf(c.This), c.Argument(0)) })
	method(rproto, "emitDestroy", func(c goja.FunctionCall) goja.Value { return c.This })
	method(resource, "bind", func(c goja.FunctionCall) goja.Value { return bound(current(), c.Argument(0)) })

	exports := vm.NewObject()
	_ = exports.Set("AsyncLocalStorage", als)
	_ = exports.Set("AsyncResource", resource)
	return exports, nil
}
