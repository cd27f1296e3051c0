package runtime

import (
	"strconv"

	"github.com/dop251/goja"
)

// installFixes fills gaps in goja's built-ins that bundled code and common
// packages rely on: the well-known symbols esbuild's helpers look up
// (Symbol.asyncIterator, Symbol.dispose, Symbol.asyncDispose, registered as
// Symbol.for("Symbol.<name>") as those helpers expect), Promise.withResolvers,
// Error.captureStackTrace, Object.groupBy, Map.groupBy, and a RegExp that
// handles Unicode property escapes.
func (h *Host) installFixes() {
	vm := h.vm
	if sym, ok := vm.Get("Symbol").(*goja.Object); ok {
		symFor, _ := goja.AssertFunction(sym.Get("for"))
		for _, name := range []string{"asyncIterator", "dispose", "asyncDispose"} {
			if v := sym.Get(name); v != nil && !goja.IsUndefined(v) {
				continue
			}
			if s, err := symFor(sym, vm.ToValue("Symbol."+name)); err == nil {
				_ = sym.DefineDataProperty(name, s, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
			}
		}
	}
	if promise, ok := vm.Get("Promise").(*goja.Object); ok {
		defineMethod(vm, promise, "withResolvers", func(goja.FunctionCall) goja.Value {
			p, resolve, reject := vm.NewPromise()
			obj := vm.NewObject()
			_ = obj.Set("promise", p)
			_ = obj.Set("resolve", func(call goja.FunctionCall) goja.Value {
				if err := resolve(call.Argument(0)); err != nil {
					panic(ErrorValue(vm, err, nil))
				}
				return goja.Undefined()
			})
			_ = obj.Set("reject", func(call goja.FunctionCall) goja.Value {
				if err := reject(call.Argument(0)); err != nil {
					panic(ErrorValue(vm, err, nil))
				}
				return goja.Undefined()
			})
			return obj
		})
	}
	if errCtor, ok := vm.Get("Error").(*goja.Object); ok {
		defineMethod(vm, errCtor, "captureStackTrace", func(call goja.FunctionCall) goja.Value {
			target, ok := call.Argument(0).(*goja.Object)
			if !ok {
				panic(vm.NewTypeError("Error.captureStackTrace: the target must be an object"))
			}
			head := "Error"
			_ = vm.Try(func() { head = target.String() })
			_ = target.DefineDataProperty("stack", vm.ToValue(head+"\n"+formatFrames(CaptureCallSite(vm).Frames())),
				goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
			return goja.Undefined()
		})
		_ = errCtor.Set("stackTraceLimit", maxFrames)
	}
	if object, ok := vm.Get("Object").(*goja.Object); ok {
		defineMethod(vm, object, "groupBy", func(call goja.FunctionCall) goja.Value {
			out := vm.CreateObject(nil)
			groupBy(vm, call, func(key goja.Value, item goja.Value) {
				k := key.String()
				arr, ok := out.Get(k).(*goja.Object)
				if !ok {
					arr = vm.NewArray()
					_ = out.Set(k, arr)
				}
				push(vm, arr, item)
			})
			return out
		})
	}
	if mapCtor, ok := vm.Get("Map").(*goja.Object); ok {
		defineMethod(vm, mapCtor, "groupBy", func(call goja.FunctionCall) goja.Value {
			m, err := vm.New(mapCtor)
			if err != nil {
				panic(ErrorValue(vm, err, nil))
			}
			get, _ := goja.AssertFunction(m.Get("get"))
			set, _ := goja.AssertFunction(m.Get("set"))
			groupBy(vm, call, func(key goja.Value, item goja.Value) {
				v, _ := get(m, key)
				arr, ok := v.(*goja.Object)
				if !ok {
					arr = vm.NewArray()
					_, _ = set(m, key, arr)
				}
				push(vm, arr, item)
			})
			return m
		})
	}
	h.installRegExpFix()
}

func defineMethod(vm *goja.Runtime, obj *goja.Object, name string, fn func(goja.FunctionCall) goja.Value) {
	if v := obj.Get(name); v != nil && !goja.IsUndefined(v) {
		return
	}
	_ = obj.DefineDataProperty(name, vm.ToValue(fn), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

func groupBy(vm *goja.Runtime, call goja.FunctionCall, add func(key, item goja.Value)) {
	cb, ok := goja.AssertFunction(call.Argument(1))
	if !ok {
		panic(vm.NewTypeError("groupBy: the callback must be a function"))
	}
	i := 0
	vm.ForOf(call.Argument(0), func(item goja.Value) bool {
		key, err := cb(goja.Undefined(), item, vm.ToValue(i))
		if err != nil {
			panic(ErrorValue(vm, err, nil))
		}
		add(key, item)
		i++
		return true
	})
}

func push(vm *goja.Runtime, arr *goja.Object, v goja.Value) {
	n := arr.Get("length").ToInteger()
	_ = arr.Set(strconv.FormatInt(n, 10), v)
}
