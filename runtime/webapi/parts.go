package webapi

import (
	_ "embed"
	"strings"

	"github.com/dop251/goja"
)

var (
	//go:embed fetch.js
	fetchSource string
	//go:embed events.js
	eventsSource string
	//go:embed streams.js
	streamsSource string
	//go:embed blob.js
	blobSource string
)

// The JS parts of the web globals, each compiled once per process on first
// use and evaluated once per realm.
var (
	fetchPart   = newPart("fetch.js", &fetchSource, fetchNatives)
	eventsPart  = newPart("events.js", &eventsSource, eventsNatives)
	streamsPart = newPart("streams.js", &streamsSource, nil)
	blobPart    = newPart("blob.js", &blobSource, textNatives)
)

// textNatives are the encoding natives the JS parts share.
func textNatives(r *realm) *goja.Object {
	vm := r.vm
	n := vm.NewObject()
	_ = n.Set("encode", func(call goja.FunctionCall) goja.Value {
		return NewUint8Array(vm, []byte(toWellFormed(call.Argument(0).String())))
	})
	_ = n.Set("decode", func(call goja.FunctionCall) goja.Value {
		b, _ := Bytes(vm, call.Argument(0))
		return vm.ToValue(strings.ToValidUTF8(string(b), "\uFFFD"))
	})
	return n
}

// eventsNatives hand events.js the runtime's own setTimeout, as Install
// found it.
func eventsNatives(r *realm) *goja.Object {
	n := r.vm.NewObject()
	_ = n.Set("setTimeout", r.setTimeout)
	return n
}
