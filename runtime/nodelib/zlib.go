package nodelib

import (
	"bytes"
	"context"
	"errors"
	"hash/crc32"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/webapi"
	"github.com/alchemy-go/alchemy/runtime/webapi/codec"
)

// zlibError is a codec failure as node:zlib reports it: an Error with
// zlib's code ("Z_DATA_ERROR") and errno.
type zlibError struct{ err error }

func (e *zlibError) Error() string { return e.err.Error() }
func (e *zlibError) Unwrap() error { return e.err }

// DecorateJSError adds code and errno.
func (e *zlibError) DecorateJSError(vm *goja.Runtime, obj *goja.Object) {
	var ce *codec.Error
	if errors.As(e.err, &ce) {
		_ = obj.Set("code", ce.Code)
		_ = obj.Set("errno", ce.Errno)
	}
}

// zlibNatives are the Go halves of node:zlib: codecs by mode ("compress",
// "decompress") and format (a codec.Format).
func zlibNatives(h *runtime.Host) *goja.Object {
	vm := h.VM()
	throw := func(err error) {
		panic(runtime.NewError(vm, &zlibError{err}, runtime.CaptureCallSite(vm)))
	}
	args := func(call goja.FunctionCall) (compress bool, format codec.Format, level int) {
		mode := call.Argument(0).String()
		f, err := codec.ParseFormat(call.Argument(1).String())
		if err != nil || (mode == "compress" && f == codec.Unzip) {
			throwTypeError(vm, "node:zlib: unknown format %q", call.Argument(1).String())
		}
		return mode == "compress", f, int(call.Argument(2).ToInteger())
	}
	bytesArg := func(v goja.Value) []byte {
		b, ok := webapi.Bytes(vm, v)
		if !ok {
			throwTypeError(vm, "node:zlib: the input must be a Buffer, TypedArray, DataView or ArrayBuffer")
		}
		return b
	}
	whole := func(compress bool, format codec.Format, level int, data []byte) ([]byte, error) {
		if compress {
			return codec.Compress(format, level, data)
		}
		return codec.Decompress(format, data, false)
	}
	n := vm.NewObject()
	_ = n.Set("open", func(call goja.FunctionCall) goja.Value {
		compress, format, level := args(call)
		var c codec.Codec
		var err error
		if compress {
			c, err = codec.NewCompressor(format, level)
		} else {
			c, err = codec.NewDecompressor(format, false)
		}
		if err != nil {
			throw(err)
		}
		result := func(out []byte, err error) goja.Value {
			if err != nil {
				throw(err)
			}
			return newBuffer(h, out)
		}
		handle := vm.NewObject()
		_ = handle.Set("write", func(call goja.FunctionCall) goja.Value { return result(c.Write(bytesArg(call.Argument(0)))) })
		_ = handle.Set("flush", func(goja.FunctionCall) goja.Value { return result(c.Flush()) })
		_ = handle.Set("close", func(goja.FunctionCall) goja.Value { return result(c.Close()) })
		return handle
	})
	_ = n.Set("sync", func(call goja.FunctionCall) goja.Value {
		compress, format, level := args(call)
		out, err := whole(compress, format, level, bytesArg(call.Argument(3)))
		if err != nil {
			throw(err)
		}
		return newBuffer(h, out)
	})
	_ = n.Set("async", func(call goja.FunctionCall) goja.Value {
		compress, format, level := args(call)
		data := bytes.Clone(bytesArg(call.Argument(3)))
		return vm.ToValue(h.Loop().Go(func(context.Context) runtime.Settle {
			out, err := whole(compress, format, level, data)
			if err != nil {
				return runtime.Rejected(&zlibError{err})
			}
			return func(*goja.Runtime) (goja.Value, error) { return newBuffer(h, out), nil }
		}))
	})
	_ = n.Set("crc32", func(call goja.FunctionCall) goja.Value {
		seed := uint32(call.Argument(1).ToInteger())
		return vm.ToValue(crc32.Update(seed, crc32.IEEETable, bytesArg(call.Argument(0))))
	})
	return n
}
