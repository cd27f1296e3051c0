package webapi

import (
	_ "embed"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime/webapi/codec"
)

//go:embed compression.js
var compressionSource string

// compressionPart holds CompressionStream and DecompressionStream.
var compressionPart = newPart("compression.js", &compressionSource, compressionNatives)

// compressionNatives open the Go codecs behind the compression streams.
func compressionNatives(r *realm) *goja.Object {
	vm := r.vm
	n := vm.NewObject()
	_ = n.Set("open", func(call goja.FunctionCall) goja.Value {
		mode, name := call.Argument(0).String(), call.Argument(1).String()
		format, err := codec.ParseFormat(name)
		if err != nil || format == codec.Unzip {
			throwError(vm, "TypeError", "%s: unsupported compression format %q (want \"gzip\", \"deflate\" or \"deflate-raw\")", mode, name)
		}
		var c codec.Codec
		if mode == "CompressionStream" {
			c, err = codec.NewCompressor(format, codec.DefaultLevel)
		} else {
			c, err = codec.NewDecompressor(format, true)
		}
		if err != nil {
			throwError(vm, "TypeError", "%s: %v", mode, err)
		}
		result := func(out []byte, err error) goja.Value {
			if err != nil {
				throwError(vm, "TypeError", "%s (%s): %v", mode, name, err)
			}
			return NewUint8Array(vm, out)
		}
		h := vm.NewObject()
		_ = h.Set("write", func(call goja.FunctionCall) goja.Value {
			b, _ := Bytes(vm, call.Argument(0))
			return result(c.Write(b))
		})
		_ = h.Set("close", func(goja.FunctionCall) goja.Value { return result(c.Close()) })
		return h
	})
	return n
}
