package runtime

import (
	"math"
	"time"

	"github.com/dop251/goja"
)

// timerTable maps the ids JS sees to loop timers.
type timerTable struct {
	next  int64
	byID  map[int64]*Timer
	proto *goja.Object
	idSym *goja.Symbol
}

// installTimers defines setTimeout, setInterval, setImmediate, their clear
// functions, and queueMicrotask.
func (h *Host) installTimers() {
	vm := h.vm
	h.timers.byID = map[int64]*Timer{}
	global := vm.GlobalObject()
	def := func(name string, fn func(goja.FunctionCall) goja.Value) {
		_ = global.DefineDataProperty(name, vm.ToValue(fn), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
	schedule := func(repeat, immediate bool) func(goja.FunctionCall) goja.Value {
		return func(call goja.FunctionCall) goja.Value {
			fn, ok := goja.AssertFunction(call.Argument(0))
			if !ok {
				panic(vm.NewTypeError(`The "callback" argument must be of type function`))
			}
			var args []goja.Value
			delay := time.Duration(0)
			if immediate {
				args = append(args, call.Arguments[min(1, len(call.Arguments)):]...)
			} else {
				ms := call.Argument(1).ToFloat()
				if math.IsNaN(ms) || ms < 1 || ms > math.MaxInt32 {
					ms = 1
				}
				delay = time.Duration(ms * float64(time.Millisecond))
				args = append(args, call.Arguments[min(2, len(call.Arguments)):]...)
			}
			h.timers.next++
			id := h.timers.next
			h.timers.byID[id] = h.loop.AddTimer(delay, repeat, func(*goja.Runtime) error {
				if !repeat {
					delete(h.timers.byID, id)
				}
				_, err := fn(goja.Undefined(), args...)
				return err
			})
			return h.timerHandle(id)
		}
	}
	clear := func(call goja.FunctionCall) goja.Value {
		id := h.timerID(call.Argument(0))
		if t, ok := h.timers.byID[id]; ok {
			t.Stop()
			delete(h.timers.byID, id)
		}
		return goja.Undefined()
	}
	def("setTimeout", schedule(false, false))
	def("setInterval", schedule(true, false))
	def("setImmediate", schedule(false, true))
	def("clearTimeout", clear)
	def("clearInterval", clear)
	def("clearImmediate", clear)
	def("queueMicrotask", func(call goja.FunctionCall) goja.Value {
		fn, ok := goja.AssertFunction(call.Argument(0))
		if !ok {
			panic(vm.NewTypeError(`The "callback" argument must be of type function`))
		}
		h.queueMicrotask(fn, nil)
		return goja.Undefined()
	})
}

// queueMicrotask runs fn as a promise job.
func (h *Host) queueMicrotask(fn goja.Callable, args []goja.Value) {
	err := h.loop.Then(goja.Undefined(), func(*goja.Runtime, goja.Value, bool) error {
		_, err := fn(goja.Undefined(), args...)
		return err
	})
	if err != nil {
		panic(ErrorValue(h.vm, err, nil))
	}
}

// timerHandle is what setTimeout returns: a number in a Worker, else a
// Node-style Timeout object (ref, unref, hasRef, refresh, close) that
// converts to its id.
func (h *Host) timerHandle(id int64) goja.Value {
	vm := h.vm
	if h.cfg.NoProcess {
		return vm.ToValue(id)
	}
	if h.timers.proto == nil {
		h.timers.idSym = goja.NewSymbol("timerId")
		proto := vm.NewObject()
		method := func(name string, fn func(t *Timer, this goja.Value) goja.Value) {
			_ = proto.Set(name, func(call goja.FunctionCall) goja.Value {
				t, ok := h.timers.byID[h.timerID(call.This)]
				if !ok {
					return call.This
				}
				return fn(t, call.This)
			})
		}
		method("ref", func(t *Timer, this goja.Value) goja.Value { t.SetRef(true); return this })
		method("unref", func(t *Timer, this goja.Value) goja.Value { t.SetRef(false); return this })
		method("hasRef", func(t *Timer, _ goja.Value) goja.Value { return vm.ToValue(t.HasRef()) })
		method("refresh", func(t *Timer, this goja.Value) goja.Value { t.Refresh(); return this })
		_ = proto.Set("close", func(call goja.FunctionCall) goja.Value {
			id := h.timerID(call.This)
			if t, ok := h.timers.byID[id]; ok {
				t.Stop()
				delete(h.timers.byID, id)
			}
			return call.This
		})
		_ = proto.SetSymbol(goja.SymToPrimitive, func(call goja.FunctionCall) goja.Value {
			return vm.ToValue(h.timerID(call.This))
		})
		h.timers.proto = proto
	}
	obj := vm.CreateObject(h.timers.proto)
	_ = obj.DefineDataPropertySymbol(h.timers.idSym, vm.ToValue(id), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	return obj
}

func (h *Host) timerID(v goja.Value) int64 {
	if obj, ok := v.(*goja.Object); ok {
		if h.timers.idSym == nil {
			return 0
		}
		if id := obj.GetSymbol(h.timers.idSym); id != nil {
			return id.ToInteger()
		}
		return 0
	}
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return 0
	}
	return v.ToInteger()
}
