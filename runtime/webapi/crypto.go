package webapi

import (
	"crypto/rand"
	"fmt"
	"time"

	"github.com/dop251/goja"
)

// crypto builds the crypto global: randomUUID, getRandomValues and subtle.
func (r *realm) crypto() *goja.Object {
	vm := r.vm
	obj := vm.NewObject()
	_ = obj.DefineAccessorProperty("subtle", vm.ToValue(func(goja.FunctionCall) goja.Value {
		return r.subtleAPI().obj
	}), nil, goja.FLAG_FALSE, goja.FLAG_TRUE)
	_ = obj.Set("randomUUID", func() string { return RandomUUID() })
	_ = obj.Set("getRandomValues", func(call goja.FunctionCall) goja.Value {
		arg := call.Argument(0)
		b, ok := Bytes(vm, arg)
		if !ok || !isView(vm, arg.ToObject(vm)) {
			throwDOMException(vm, "TypeMismatchError", "getRandomValues: the argument must be an integer typed array")
		}
		if len(b) > 65536 {
			throwDOMException(vm, "QuotaExceededError", "getRandomValues: %d bytes requested, at most 65536 allowed", len(b))
		}
		if _, err := rand.Read(b); err != nil {
			panic(vm.NewGoError(err))
		}
		return arg
	})
	return obj
}

// RandomUUID returns a random (version 4) UUID string.
func RandomUUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// performance builds the performance global: timeOrigin and now(), in
// milliseconds since the Host started.
func (r *realm) performance() *goja.Object {
	vm := r.vm
	start := time.Now()
	obj := vm.NewObject()
	_ = obj.Set("timeOrigin", float64(start.UnixMicro())/1000)
	_ = obj.Set("now", func() float64 { return float64(time.Since(start).Microseconds()) / 1000 })
	_ = obj.Set("mark", func(goja.FunctionCall) goja.Value { return goja.Undefined() })
	_ = obj.Set("measure", func(goja.FunctionCall) goja.Value { return goja.Undefined() })
	return obj
}
