// Package webapi provides the web platform globals a Host offers: URL and
// URLSearchParams, TextEncoder and TextDecoder, atob and btoa,
// structuredClone, crypto (randomUUID, getRandomValues), and Headers,
// Request, Response and fetch over Go's net/http. Each global is made on
// first use, so a program pays only for what it touches, and code shared
// between runtimes (the fetch classes) is compiled once per process.
//
// The Worker runtime installs the same globals per isolate; new globals
// (streams, Blob, FormData, AbortController, crypto.subtle) are added as
// further entries of the table Install walks.
package webapi

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime"
)

// realm holds the per-Host state of the web globals: values shared by
// several globals are built once per Host.
type realm struct {
	h       *runtime.Host
	vm      *goja.Runtime
	url     *goja.Object // URL module exports
	fetch   *goja.Object // fetch classes
	encoder *goja.Object
	decoder *goja.Object
}

// global is one lazily made global.
type global struct {
	name string
	make func(r *realm) (goja.Value, error)
}

func globals() []global {
	return []global{
		{"URL", func(r *realm) (goja.Value, error) { return r.urlExport("URL") }},
		{"URLSearchParams", func(r *realm) (goja.Value, error) { return r.urlExport("URLSearchParams") }},
		{"TextEncoder", func(r *realm) (goja.Value, error) { return r.textEncoder(), nil }},
		{"TextDecoder", func(r *realm) (goja.Value, error) { return r.textDecoder(), nil }},
		{"atob", func(r *realm) (goja.Value, error) { return r.vm.ToValue(r.atob), nil }},
		{"btoa", func(r *realm) (goja.Value, error) { return r.vm.ToValue(r.btoa), nil }},
		{"structuredClone", func(r *realm) (goja.Value, error) { return r.vm.ToValue(r.structuredClone), nil }},
		{"crypto", func(r *realm) (goja.Value, error) { return r.crypto(), nil }},
		{"Headers", func(r *realm) (goja.Value, error) { return r.fetchExport("Headers") }},
		{"Request", func(r *realm) (goja.Value, error) { return r.fetchExport("Request") }},
		{"Response", func(r *realm) (goja.Value, error) { return r.fetchExport("Response") }},
		{"fetch", func(r *realm) (goja.Value, error) { return r.fetchExport("fetch") }},
	}
}

// Install defines the web globals on h. Each is made the first time a
// program reads it. Loop goroutine only.
func Install(h *runtime.Host) {
	r := &realm{h: h, vm: h.VM()}
	for _, g := range globals() {
		runtime.DefineLazyGlobal(r.vm, g.name, func() (goja.Value, error) { return g.make(r) })
	}
}

// Bytes returns the bytes of an ArrayBuffer or an ArrayBuffer view (typed
// array, DataView, Buffer), sharing their memory.
func Bytes(vm *goja.Runtime, v goja.Value) ([]byte, bool) {
	obj, ok := v.(*goja.Object)
	if !ok {
		return nil, false
	}
	if ab, ok := obj.Export().(goja.ArrayBuffer); ok {
		return ab.Bytes(), true
	}
	buf, ok := obj.Get("buffer").(*goja.Object)
	if !ok {
		return nil, false
	}
	ab, ok := buf.Export().(goja.ArrayBuffer)
	if !ok {
		return nil, false
	}
	off := int(obj.Get("byteOffset").ToInteger())
	n := int(obj.Get("byteLength").ToInteger())
	data := ab.Bytes()
	if off < 0 || n < 0 || off+n > len(data) {
		return nil, false
	}
	return data[off : off+n], true
}

// NewUint8Array returns a Uint8Array over a copy-free buffer holding b.
func NewUint8Array(vm *goja.Runtime, b []byte) *goja.Object {
	arr, err := vm.New(vm.Get("Uint8Array"), vm.ToValue(vm.NewArrayBuffer(b)))
	if err != nil {
		panic(err)
	}
	return arr
}

// throwError throws a new instance of the global error constructor ctor.
func throwError(vm *goja.Runtime, ctor, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	obj, err := vm.New(vm.Get(ctor), vm.ToValue(msg))
	if err != nil {
		panic(vm.NewTypeError(msg))
	}
	panic(obj)
}

// throwDOMException throws an Error named like the DOMException it stands
// for (goja has no DOMException).
func throwDOMException(vm *goja.Runtime, name, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	obj, err := vm.New(vm.Get("Error"), vm.ToValue(msg))
	if err != nil {
		panic(vm.NewTypeError(msg))
	}
	_ = obj.Set("name", name)
	panic(obj)
}
