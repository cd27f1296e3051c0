package jsapi

import (
	"context"
	"errors"
	"fmt"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/value"
)

// OutputMethod is a function the program finds on the outputs of a resource
// kind (R2Bucket's head/get/put/delete/list): Call runs off the event loop
// with the output as stored and the converted arguments; its result (nil is
// undefined) resolves the promise the method returns.
type OutputMethod struct {
	Name string
	Call func(ctx context.Context, output *value.Object, args []value.Value) (value.Value, error)
}

// OutputMethods returns an Output hook (ResourceType.Output) that adds
// methods to every output the program receives, skipped resources'
// included. The methods are not enumerable, so an output passed on as props
// (a binding) is stored without them. A result object holding a body buffer
// (an R2 object) also gets arrayBuffer(), bytes(), text(), json() and
// blob() reading it, as the Workers R2ObjectBody has.
//
// Binary arguments may be given as a web body would: an ArrayBuffer, any
// ArrayBufferView, a Blob or a ReadableStream arrives in Call as a buffer.
func (a *API) OutputMethods(methods []OutputMethod) func(*Output) error {
	return func(o *Output) error {
		r, err := a.realm(o.Host)
		if err != nil {
			return err
		}
		wrap, err := bodyArgs(o.Host)
		if err != nil {
			return err
		}
		for _, m := range methods {
			call := r.vm.ToValue(func(call goja.FunctionCall) goja.Value {
				args, err := r.args(call.Arguments)
				if err != nil {
					return r.rejected(fmt.Errorf("%s: %w", m.Name, err))
				}
				out := o.Value
				return r.goAsync(func(ctx context.Context) runtime.Settle {
					res, err := m.Call(ctx, out, args)
					if err != nil {
						return runtime.Rejected(err)
					}
					return func(*goja.Runtime) (goja.Value, error) { return r.bodyResult(res), nil }
				})
			})
			fn, err := wrap(goja.Undefined(), call)
			if err != nil {
				return fmt.Errorf("method %s: %w", m.Name, err)
			}
			fnObj := fn.(*goja.Object)
			_ = fnObj.DefineDataProperty("name", r.vm.ToValue(m.Name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
			if err := o.Object.DefineDataProperty(m.Name, fnObj, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
				return fmt.Errorf("method %s: %w", m.Name, err)
			}
		}
		return nil
	}
}

// bodyArgsSource wraps a method so that its binary arguments reach Go as
// bytes (a Uint8Array converts to a buffer; other views, ArrayBuffers,
// Blobs and streams do not).
const bodyArgsSource = `(function (call) {
  const isBody = (a) =>
    (typeof Blob === "function" && a instanceof Blob) ||
    (typeof ReadableStream === "function" && a instanceof ReadableStream);
  return function (...args) {
    let pending = false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a instanceof ArrayBuffer) args[i] = new Uint8Array(a);
      else if (ArrayBuffer.isView(a) && !(a instanceof Uint8Array)) args[i] = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      else if (isBody(a)) pending = true;
    }
    if (!pending) return call(...args);
    return Promise.all(args.map((a) => (isBody(a) ? new Response(a).arrayBuffer().then((b) => new Uint8Array(b)) : a)))
      .then((all) => call(...all));
  };
})`

type bodyArgsKey struct{}

// bodyArgs returns the wrapper of bodyArgsSource, compiled once per Host.
func bodyArgs(h *runtime.Host) (goja.Callable, error) {
	v, err := h.Local(bodyArgsKey{}, func() (any, error) {
		fn, err := h.VM().RunString(bodyArgsSource)
		if err != nil {
			return nil, fmt.Errorf("output methods: %w", err)
		}
		call, ok := goja.AssertFunction(fn)
		if !ok {
			return nil, errors.New("output methods: the argument wrapper is not a function")
		}
		return call, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(goja.Callable), nil
}

// bodyResult converts a method's result; an object with a body buffer gets
// the readers of a Workers body.
func (r *realm) bodyResult(res value.Value) goja.Value {
	v := r.toJS(res, nil)
	obj, isObj := res.(*value.Object)
	if !isObj {
		return v
	}
	raw, ok := obj.Get("body")
	body, isBuf := raw.(value.Buffer)
	if !ok || !isBuf {
		return v
	}
	contentType := ""
	if md, ok := obj.GetObject("httpMetadata"); ok {
		contentType, _ = md.GetString("contentType")
	}
	jsObj := v.(*goja.Object)
	vm := r.vm
	settled := func(read func() (goja.Value, error)) goja.Value {
		p, resolve, reject := vm.NewPromise()
		v, err := read()
		var ex *goja.Exception
		switch {
		case errors.As(err, &ex):
			_ = reject(ex.Value())
		case err != nil:
			_ = reject(runtime.NewError(vm, err, nil))
		default:
			_ = resolve(v)
		}
		return vm.ToValue(p)
	}
	readers := map[string]func() (goja.Value, error){
		"arrayBuffer": func() (goja.Value, error) {
			return vm.ToValue(vm.NewArrayBuffer(append([]byte(nil), body...))), nil
		},
		"bytes": func() (goja.Value, error) {
			return vm.New(vm.Get("Uint8Array"), vm.ToValue(vm.NewArrayBuffer(append([]byte(nil), body...))))
		},
		"text": func() (goja.Value, error) { return vm.ToValue(string(body)), nil },
		"json": func() (goja.Value, error) {
			parse, _ := goja.AssertFunction(vm.Get("JSON").(*goja.Object).Get("parse"))
			return parse(goja.Undefined(), vm.ToValue(string(body)))
		},
		"blob": func() (goja.Value, error) {
			ctor, ok := vm.Get("Blob").(*goja.Object)
			if !ok {
				return nil, fmt.Errorf("Blob is not available")
			}
			opts := vm.NewObject()
			_ = opts.Set("type", contentType)
			return vm.New(ctor, vm.NewArray(vm.ToValue(vm.NewArrayBuffer(append([]byte(nil), body...)))), opts)
		},
	}
	for _, name := range []string{"arrayBuffer", "bytes", "text", "json", "blob"} {
		read := readers[name]
		fn := vm.ToValue(func(goja.FunctionCall) goja.Value { return settled(read) })
		_ = jsObj.DefineDataProperty(name, fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
	return jsObj
}
