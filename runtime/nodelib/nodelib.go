// Package nodelib provides the Node.js built-in modules programs commonly
// use: node:path, node:fs, node:fs/promises, node:assert, node:crypto
// (random values, hashes, HMACs), node:os, node:url, node:util,
// node:buffer, node:process, node:events, node:stream (with stream/promises,
// stream/web and stream/consumers), node:string_decoder, node:timers (with
// timers/promises), node:zlib, node:querystring and node:diagnostics_channel,
// each also under its bare name. Register adds
// them to a runtime.Registry; InstallGlobals adds the Node globals Buffer and
// global.
package nodelib

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"sync"

	"github.com/dop251/goja"
	gojabuffer "github.com/dop251/goja_nodejs/buffer"

	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/webapi"
)

// Modules returns the Node built-in modules.
func Modules() []runtime.Module {
	return []runtime.Module{
		pathModule(),
		fsModule(),
		fsPromisesModule(),
		assertModule(),
		assertStrictModule(),
		cryptoModule(),
		osModule(),
		urlModule(),
		utilModule(),
		bufferModule(),
		processModule(),
		eventsModule(),
		streamModule(),
		streamPromisesModule(),
		streamWebModule(),
		streamConsumersModule(),
		stringDecoderModule(),
		timersModule(),
		timersPromisesModule(),
		zlibModule(),
		querystringModule(),
		diagnosticsChannelModule(),
	}
}

// Register adds the Node built-in modules to reg.
func Register(reg *runtime.Registry) error {
	for _, m := range Modules() {
		if err := reg.Register(m); err != nil {
			return err
		}
	}
	return nil
}

// InstallGlobals defines the Node globals Buffer and global on h, Buffer
// made on first use.
func InstallGlobals(h *runtime.Host) {
	vm := h.VM()
	_ = vm.GlobalObject().DefineDataProperty("global", vm.GlobalObject(), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	runtime.DefineLazyGlobal(vm, "Buffer", func() (goja.Value, error) {
		b, err := buffers(h)
		if err != nil {
			return nil, err
		}
		return b.ctor, nil
	})
}

// names returns a Node module's node: name and its bare alias.
func names(bare string) (string, []string) {
	return "node:" + bare, []string{bare}
}

// exportsObject builds an exports object from named values.
func exportsObject(vm *goja.Runtime, values map[string]any) *goja.Object {
	obj := vm.NewObject()
	for k, v := range values {
		_ = obj.Set(k, v)
	}
	return obj
}

// Per-Host state, kept with Host.Local.
type (
	bufferKey struct{}
	jslibKey  struct{}
)

// bufferAPI is the Buffer class of one Host.
type bufferAPI struct {
	vm      *goja.Runtime
	exports *goja.Object
	ctor    *goja.Object
	from    goja.Callable
}

func buffers(h *runtime.Host) (*bufferAPI, error) {
	v, err := h.Local(bufferKey{}, func() (any, error) {
		vm := h.VM()
		module := vm.NewObject()
		_ = module.Set("exports", vm.NewObject())
		var ex *goja.Exception
		if ex = vm.Try(func() { gojabuffer.Require(vm, module) }); ex != nil {
			return nil, ex
		}
		exports := module.Get("exports").(*goja.Object)
		ctor, ok := exports.Get("Buffer").(*goja.Object)
		if !ok {
			return nil, errors.New("buffer module has no Buffer")
		}
		// The constructor is a Go function; give it the name JS expects.
		_ = ctor.DefineDataProperty("name", vm.ToValue("Buffer"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
		from, ok := goja.AssertFunction(ctor.Get("from"))
		if !ok {
			return nil, errors.New("Buffer.from is not a function")
		}
		addBufferStatics(vm, ctor)
		completeBufferEncodings(vm, ctor, ctor.Get("prototype").(*goja.Object))
		return &bufferAPI{vm: vm, exports: exports, ctor: ctor, from: from}, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*bufferAPI), nil
}

// wrap returns a Buffer over data (no copy).
func (b *bufferAPI) wrap(data []byte) goja.Value {
	v, err := b.from(b.ctor, b.vm.ToValue(b.vm.NewArrayBuffer(data)))
	if err != nil {
		panic(err)
	}
	return v
}

// newBuffer returns a Buffer over data, for code running on the loop.
func newBuffer(h *runtime.Host, data []byte) goja.Value {
	b, err := buffers(h)
	if err != nil {
		panic(runtime.NewError(h.VM(), err, nil))
	}
	return b.wrap(data)
}

//go:embed node.js
var jslibSource string

// jslibProgram is node.js compiled once per process, on first use.
var jslibProgram = sync.OnceValues(func() (*goja.Program, error) {
	return goja.Compile("alchemy:node.js", jslibSource, true)
})

// jslib returns the JS half of the Node modules for h (see node.js).
func jslib(h *runtime.Host) (*goja.Object, error) {
	v, err := h.Local(jslibKey{}, func() (any, error) {
		prog, err := jslibProgram()
		if err != nil {
			return nil, fmt.Errorf("compile node.js: %w", err)
		}
		vm := h.VM()
		natives := exportsObject(vm, map[string]any{
			"inspect": func(call goja.FunctionCall) goja.Value {
				return vm.ToValue(runtime.Inspect(vm, call.Argument(0), runtime.InspectOptions{}))
			},
			"emitWarning": func(call goja.FunctionCall) goja.Value {
				_, _ = fmt.Fprintf(h.Stderr(), "(alchemy) %s\n", call.Argument(0).String())
				return goja.Undefined()
			},
		})
		return runtime.RunFactory(vm, prog, "node.js", natives)
	})
	if err != nil {
		return nil, err
	}
	return v.(*goja.Object), nil
}

func throwTypeError(vm *goja.Runtime, format string, args ...any) {
	panic(vm.NewTypeError(fmt.Sprintf(format, args...)))
}

// addBufferStatics adds the static methods of Buffer that goja_nodejs lacks.
func addBufferStatics(vm *goja.Runtime, ctor *goja.Object) {
	proto, _ := ctor.Get("prototype").(*goja.Object)
	isBuffer := func(v goja.Value) bool {
		obj, ok := v.(*goja.Object)
		if !ok || proto == nil {
			return false
		}
		for p := obj.Prototype(); p != nil; p = p.Prototype() {
			if p == proto {
				return true
			}
		}
		return false
	}
	set := func(name string, fn func(goja.FunctionCall) goja.Value) {
		if v := ctor.Get(name); v == nil || goja.IsUndefined(v) {
			_ = ctor.Set(name, fn)
		}
	}
	set("isBuffer", func(call goja.FunctionCall) goja.Value { return vm.ToValue(isBuffer(call.Argument(0))) })
	set("isEncoding", func(call goja.FunctionCall) goja.Value {
		_, err := normalizeEncoding(call.Argument(0).String())
		return vm.ToValue(err == nil)
	})
	set("byteLength", func(call goja.FunctionCall) goja.Value {
		enc := "utf8"
		if e := call.Argument(1); !goja.IsUndefined(e) {
			enc = checkEncoding(vm, e.String())
		}
		b, err := dataBytes(vm, call.Argument(0), enc)
		if err != nil {
			throwTypeError(vm, "%v", err)
		}
		return vm.ToValue(len(b))
	})
	set("compare", func(call goja.FunctionCall) goja.Value {
		a, ok1 := webapi.Bytes(vm, call.Argument(0))
		b, ok2 := webapi.Bytes(vm, call.Argument(1))
		if !ok1 || !ok2 {
			throwTypeError(vm, "Buffer.compare: both arguments must be Buffers or Uint8Arrays")
		}
		return vm.ToValue(bytes.Compare(a, b))
	})
}
