package runtime

import (
	"io"
	"math/big"
	"os"
	goruntime "runtime"
	"time"

	"github.com/dop251/goja"
)

// NodeVersion is the Node.js version the process object reports, for
// packages that check it.
const NodeVersion = "22.0.0"

// processObject builds the process global.
func (h *Host) processObject() *goja.Object {
	vm := h.vm
	p := vm.NewObject()
	set := func(name string, v any) { _ = p.Set(name, v) }

	set("env", vm.NewDynamicObject(&envObject{vm: vm, env: h.cfg.Env}))
	argv := make([]any, len(h.cfg.Args))
	for i, a := range h.cfg.Args {
		argv[i] = a
	}
	set("argv", vm.NewArray(argv...))
	if len(h.cfg.Args) > 0 {
		set("argv0", h.cfg.Args[0])
		set("execPath", h.cfg.Args[0])
	}
	set("execArgv", vm.NewArray())
	set("platform", goruntime.GOOS)
	set("arch", NodeArch())
	set("pid", os.Getpid())
	set("ppid", os.Getppid())
	set("title", "alchemy")
	set("version", "v"+NodeVersion)
	versions := vm.NewObject()
	_ = versions.Set("node", NodeVersion)
	set("versions", versions)
	release := vm.NewObject()
	_ = release.Set("name", "node")
	set("release", release)
	set("cwd", func() string { return h.cfg.Dir })
	set("chdir", func(goja.FunctionCall) goja.Value {
		panic(vm.NewTypeError("process.chdir() is not supported"))
	})
	set("umask", func() int { return 0o22 })
	set("uptime", func() float64 { return time.Since(h.started).Seconds() })
	set("exit", func(call goja.FunctionCall) goja.Value {
		code := h.exit
		if c := call.Argument(0); !goja.IsUndefined(c) && !goja.IsNull(c) {
			code = int(c.ToInteger())
		}
		h.loop.Interrupt(&ExitError{Code: code})
		return goja.Undefined()
	})
	_ = p.DefineAccessorProperty("exitCode",
		vm.ToValue(func(goja.FunctionCall) goja.Value {
			if h.exit == 0 {
				return goja.Undefined()
			}
			return vm.ToValue(h.exit)
		}),
		vm.ToValue(func(call goja.FunctionCall) goja.Value {
			h.exit = int(call.Argument(0).ToInteger())
			return goja.Undefined()
		}), goja.FLAG_TRUE, goja.FLAG_TRUE)
	hrtime := vm.ToValue(func(call goja.FunctionCall) goja.Value {
		ns := time.Since(h.started).Nanoseconds()
		sec, nsec := ns/1e9, ns%1e9
		if prev, ok := call.Argument(0).(*goja.Object); ok {
			ps, pn := prev.Get("0").ToInteger(), prev.Get("1").ToInteger()
			sec, nsec = sec-ps, nsec-pn
			if nsec < 0 {
				sec--
				nsec += 1e9
			}
		}
		return vm.NewArray(sec, nsec)
	}).(*goja.Object)
	_ = hrtime.Set("bigint", func() goja.Value {
		return vm.ToValue(big.NewInt(time.Since(h.started).Nanoseconds()))
	})
	set("hrtime", hrtime)
	set("memoryUsage", func() map[string]any {
		var ms goruntime.MemStats
		goruntime.ReadMemStats(&ms)
		return map[string]any{
			"rss": ms.Sys, "heapTotal": ms.HeapSys, "heapUsed": ms.HeapAlloc,
			"external": 0, "arrayBuffers": 0,
		}
	})
	set("nextTick", func(call goja.FunctionCall) goja.Value {
		fn, ok := goja.AssertFunction(call.Argument(0))
		if !ok {
			panic(vm.NewTypeError(`The "callback" argument must be of type function`))
		}
		h.queueMicrotask(fn, append([]goja.Value(nil), call.Arguments[min(1, len(call.Arguments)):]...))
		return goja.Undefined()
	})
	set("emitWarning", func(call goja.FunctionCall) goja.Value {
		_, _ = io.WriteString(h.cfg.Stderr, "(alchemy) Warning: "+Format(vm, call.Arguments)+"\n")
		return goja.Undefined()
	})
	set("stdout", h.stream(h.cfg.Stdout, 1))
	set("stderr", h.stream(h.cfg.Stderr, 2))
	h.addEmitter(p)
	return p
}

// stream is process.stdout or process.stderr: write(string|Uint8Array).
func (h *Host) stream(w io.Writer, fd int) *goja.Object {
	vm := h.vm
	s := vm.NewObject()
	_ = s.Set("fd", fd)
	_ = s.Set("isTTY", false)
	_ = s.Set("write", func(call goja.FunctionCall) goja.Value {
		var data []byte
		switch x := call.Argument(0).Export().(type) {
		case []byte:
			data = x
		case goja.ArrayBuffer:
			data = x.Bytes()
		default:
			data = []byte(call.Argument(0).String())
		}
		_, _ = w.Write(data)
		for _, a := range call.Arguments[1:] {
			if cb, ok := goja.AssertFunction(a); ok {
				h.queueMicrotask(cb, nil)
			}
		}
		return vm.ToValue(true)
	})
	h.addEmitter(s)
	return s
}

// addEmitter gives obj the EventEmitter methods libraries call on process
// and its streams (on, once, off, emit, …). Listeners are kept and emit
// calls them; the host itself emits no lifecycle events.
func (h *Host) addEmitter(obj *goja.Object) {
	vm := h.vm
	listeners := map[string][]goja.Value{}
	add := func(call goja.FunctionCall) goja.Value {
		name := call.Argument(0).String()
		if _, ok := goja.AssertFunction(call.Argument(1)); ok {
			listeners[name] = append(listeners[name], call.Argument(1))
		}
		return obj
	}
	remove := func(call goja.FunctionCall) goja.Value {
		name := call.Argument(0).String()
		ls := listeners[name]
		for i, l := range ls {
			if l.SameAs(call.Argument(1)) {
				listeners[name] = append(ls[:i:i], ls[i+1:]...)
				break
			}
		}
		return obj
	}
	for _, n := range []string{"on", "once", "addListener", "prependListener", "prependOnceListener"} {
		_ = obj.Set(n, add)
	}
	for _, n := range []string{"off", "removeListener"} {
		_ = obj.Set(n, remove)
	}
	_ = obj.Set("removeAllListeners", func(call goja.FunctionCall) goja.Value {
		if goja.IsUndefined(call.Argument(0)) {
			clear(listeners)
		} else {
			delete(listeners, call.Argument(0).String())
		}
		return obj
	})
	_ = obj.Set("listeners", func(call goja.FunctionCall) goja.Value {
		ls := listeners[call.Argument(0).String()]
		items := make([]any, len(ls))
		for i, l := range ls {
			items[i] = l
		}
		return vm.NewArray(items...)
	})
	_ = obj.Set("listenerCount", func(call goja.FunctionCall) goja.Value {
		return vm.ToValue(len(listeners[call.Argument(0).String()]))
	})
	_ = obj.Set("emit", func(call goja.FunctionCall) goja.Value {
		ls := append([]goja.Value(nil), listeners[call.Argument(0).String()]...)
		for _, l := range ls {
			fn, _ := goja.AssertFunction(l)
			if _, err := fn(obj, call.Arguments[min(1, len(call.Arguments)):]...); err != nil {
				panic(ErrorValue(vm, err, nil))
			}
		}
		return vm.ToValue(len(ls) > 0)
	})
}

// NodeArch names the CPU architecture as Node does (x64, arm64, …).
func NodeArch() string {
	switch goruntime.GOARCH {
	case "amd64":
		return "x64"
	case "386":
		return "ia32"
	default:
		return goruntime.GOARCH
	}
}
