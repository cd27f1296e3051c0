// Package webapi provides the web platform globals a Host offers: URL and
// URLSearchParams, TextEncoder and TextDecoder (and their streams), atob
// and btoa, structuredClone, crypto (randomUUID, getRandomValues, subtle),
// Headers, Request, Response and fetch over Go's net/http, the streams
// (ReadableStream, WritableStream, TransformStream), Blob, File, FormData,
// CompressionStream and DecompressionStream (over Go's compress packages),
// Event, EventTarget, AbortController, AbortSignal, DOMException,
// performance and Intl (formatting as en-US for every locale; the
// toLocaleString methods of Number, BigInt and Date and
// String.prototype.localeCompare share its formatters). Each global is made
// on first use, so a program pays only for what it touches, and the JS
// parts are compiled once per process.
//
// Programs and the Worker runtime install the same globals; a server in Go
// reaches the fetch classes' fast paths through FetchInternals.
package webapi

import (
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/intl"
)

// realm holds the per-Host state of the web globals: values shared by
// several globals are built once per Host.
type realm struct {
	h       *runtime.Host
	vm      *goja.Runtime
	url     *goja.Object // URL module exports
	parts   map[*jsPart]*goja.Object
	encoder *goja.Object
	decoder *goja.Object
	subtle  *subtleAPI
	// Formatters for calls without options, and the local zone's name.
	defaultNumber   *intl.NumberFormat
	defaultCollator *intl.Collator
	localZone       string
	// transport carries fetch's requests (nil: Go's default).
	transport http.RoundTripper
	// setTimeout is the global as Install found it: the runtime's own,
	// whatever a program later puts in its place (fake timers).
	setTimeout goja.Value
}

type realmKey struct{}

// global is one lazily made global.
type global struct {
	name string
	make func(r *realm) (goja.Value, error)
}

func partGlobal(p *jsPart, name string) global {
	return global{name, func(r *realm) (goja.Value, error) { return r.export(p, name) }}
}

func globals() []global {
	gs := []global{
		{"URL", func(r *realm) (goja.Value, error) { return r.urlExport("URL") }},
		{"URLSearchParams", func(r *realm) (goja.Value, error) { return r.urlExport("URLSearchParams") }},
		{"TextEncoder", func(r *realm) (goja.Value, error) { return r.textEncoder(), nil }},
		{"TextDecoder", func(r *realm) (goja.Value, error) { return r.textDecoder(), nil }},
		{"atob", func(r *realm) (goja.Value, error) { return r.vm.ToValue(r.atob), nil }},
		{"btoa", func(r *realm) (goja.Value, error) { return r.vm.ToValue(r.btoa), nil }},
		{"structuredClone", func(r *realm) (goja.Value, error) { return r.vm.ToValue(r.structuredClone), nil }},
		{"crypto", func(r *realm) (goja.Value, error) { return r.crypto(), nil }},
		{"CryptoKey", func(r *realm) (goja.Value, error) { return r.subtleAPI().keyCtor, nil }},
		{"performance", func(r *realm) (goja.Value, error) { return r.performance(), nil }},
		partGlobal(intlPart, "Intl"),
	}
	for _, n := range []string{"Headers", "Request", "Response", "fetch"} {
		gs = append(gs, partGlobal(fetchPart, n))
	}
	for _, n := range []string{"DOMException", "Event", "CustomEvent", "EventTarget", "AbortController", "AbortSignal"} {
		gs = append(gs, partGlobal(eventsPart, n))
	}
	for _, n := range []string{
		"ReadableStream", "ReadableStreamDefaultReader", "ReadableStreamBYOBReader", "ReadableStreamDefaultController",
		"WritableStream", "WritableStreamDefaultWriter", "WritableStreamDefaultController",
		"TransformStream", "TransformStreamDefaultController", "ByteLengthQueuingStrategy", "CountQueuingStrategy",
		"TextEncoderStream", "TextDecoderStream",
	} {
		gs = append(gs, partGlobal(streamsPart, n))
	}
	for _, n := range []string{"CompressionStream", "DecompressionStream"} {
		gs = append(gs, partGlobal(compressionPart, n))
	}
	for _, n := range []string{"Blob", "File", "FormData"} {
		gs = append(gs, partGlobal(blobPart, n))
	}
	return gs
}

// Install defines the web globals on h. Each is made the first time a
// program reads it. Loop goroutine only.
func Install(h *runtime.Host) {
	r := realmOf(h)
	r.setTimeout = r.vm.Get("setTimeout")
	for _, g := range globals() {
		runtime.DefineLazyGlobal(r.vm, g.name, func() (goja.Value, error) { return g.make(r) })
	}
	r.installLocaleMethods()
}

func realmOf(h *runtime.Host) *realm {
	v, _ := h.Local(realmKey{}, func() (any, error) {
		return &realm{h: h, vm: h.VM(), parts: map[*jsPart]*goja.Object{}}, nil
	})
	return v.(*realm)
}

// FetchInternals returns the fetch classes' fast paths for a server written
// in Go (see the internals object at the end of fetch.js):
// incomingRequest(method, url, flatHeaders, body, cf), newResponse(status,
// statusText, flatHeaders, body, url), exportRequest(request) and
// exportResponse(response). Loop goroutine only.
func FetchInternals(h *runtime.Host) (*goja.Object, error) {
	v, err := realmOf(h).export(fetchPart, "internals")
	if err != nil {
		return nil, err
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		return nil, errors.New("fetch.js has no internals")
	}
	return obj, nil
}

// jsPart is a JS source file evaluated once per realm: it evaluates to a
// factory function called with the natives and returning the exports.
type jsPart struct {
	file    string
	source  *string
	natives func(r *realm) *goja.Object
	program func() (*goja.Program, error)
}

func newPart(file string, source *string, natives func(r *realm) *goja.Object) *jsPart {
	p := &jsPart{file: file, source: source, natives: natives}
	p.program = sync.OnceValues(func() (*goja.Program, error) {
		return goja.Compile("alchemy:"+file, *p.source, true)
	})
	return p
}

// export returns one export of a part, evaluating the part on first use.
func (r *realm) export(p *jsPart, name string) (goja.Value, error) {
	exports, ok := r.parts[p]
	if !ok {
		prog, err := p.program()
		if err != nil {
			return nil, fmt.Errorf("compile %s: %w", p.file, err)
		}
		var natives goja.Value = goja.Undefined()
		if p.natives != nil {
			natives = p.natives(r)
		}
		if exports, err = runtime.RunFactory(r.vm, prog, p.file, natives); err != nil {
			return nil, err
		}
		r.parts[p] = exports
	}
	return exports.Get(name), nil
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

// throwDOMException throws a DOMException named name.
func throwDOMException(vm *goja.Runtime, name, format string, args ...any) {
	panic(newDOMException(vm, name, fmt.Sprintf(format, args...)))
}

// newDOMException returns a DOMException, or an Error named like one when
// the class cannot be made.
func newDOMException(vm *goja.Runtime, name, msg string) *goja.Object {
	if obj, err := vm.New(vm.Get("DOMException"), vm.ToValue(msg), vm.ToValue(name)); err == nil {
		return obj
	}
	obj, err := vm.New(vm.Get("Error"), vm.ToValue(msg))
	if err != nil {
		return vm.NewTypeError(msg)
	}
	_ = obj.Set("name", name)
	return obj
}

// DOMError is a Go error that becomes a DOMException in JS.
type DOMError struct {
	Name    string
	Message string
}

func (e *DOMError) Error() string { return e.Name + ": " + e.Message }
