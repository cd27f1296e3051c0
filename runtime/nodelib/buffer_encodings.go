package nodelib

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime/webapi"
)

// completeBufferEncodings gives Buffer every encoding Node has. goja_nodejs
// knows only utf8, hex and base64 (and spells base64url "base64Url"), so
// Buffer.from(s, "latin1") silently decoded UTF-8 and toString("base64url"),
// which JWT libraries call, threw. String conversions therefore all go
// through this package's encodeBytes and decodeString, with Node's
// case-insensitive encoding names and overloads; everything else stays
// goja_nodejs's.
func completeBufferEncodings(vm *goja.Runtime, ctor, proto *goja.Object) {
	from, _ := goja.AssertFunction(ctor.Get("from"))
	alloc, _ := goja.AssertFunction(ctor.Get("alloc"))
	if from == nil || alloc == nil || proto == nil {
		return
	}
	wrap := func(data []byte) goja.Value {
		v, err := from(ctor, vm.ToValue(vm.NewArrayBuffer(data)))
		if err != nil {
			panic(err)
		}
		return v
	}
	encodingArg := func(v goja.Value) string {
		if goja.IsUndefined(v) || goja.IsNull(v) {
			return "utf8"
		}
		return checkEncoding(vm, v.String())
	}
	bytesOf := func(this goja.Value, method string) []byte {
		b, ok := webapi.Bytes(vm, this)
		if !ok {
			throwTypeError(vm, "Buffer.prototype.%s called on a value that is not a Buffer", method)
		}
		return b
	}

	_ = ctor.Set("from", func(call goja.FunctionCall) goja.Value {
		if s, ok := call.Argument(0).Export().(string); ok && goja.IsString(call.Argument(0)) {
			data, err := decodeString(s, encodingArg(call.Argument(1)))
			if err != nil {
				throwTypeError(vm, "%v", err)
			}
			return wrap(data)
		}
		v, err := from(call.This, call.Arguments...)
		if err != nil {
			panic(err)
		}
		return v
	})

	// alloc(size, fill, encoding) fills with the string's bytes in the
	// encoding; the other forms are goja_nodejs's.
	_ = ctor.Set("alloc", func(call goja.FunctionCall) goja.Value {
		fill := call.Argument(1)
		if !goja.IsString(fill) {
			v, err := alloc(call.This, call.Arguments...)
			if err != nil {
				panic(err)
			}
			return v
		}
		v, err := alloc(call.This, call.Argument(0))
		if err != nil {
			panic(err)
		}
		pattern, err := decodeString(fill.String(), encodingArg(call.Argument(2)))
		if err != nil {
			throwTypeError(vm, "%v", err)
		}
		buf := bytesOf(v, "fill")
		if len(pattern) > 0 {
			for i := 0; i < len(buf); i += copy(buf[i:], pattern) {
			}
		}
		return v
	})
	// Memory here is always zeroed: the unsafe forms are alloc.
	for _, name := range []string{"allocUnsafe", "allocUnsafeSlow"} {
		_ = ctor.Set(name, func(call goja.FunctionCall) goja.Value {
			v, err := alloc(call.This, call.Argument(0))
			if err != nil {
				panic(err)
			}
			return v
		})
	}

	// toString(encoding, start, end), with Node's clamping of the range.
	_ = proto.Set("toString", func(call goja.FunctionCall) goja.Value {
		b := bytesOf(call.This, "toString")
		enc := encodingArg(call.Argument(0))
		start := clampIndex(call.Argument(1), 0, len(b))
		end := clampIndex(call.Argument(2), len(b), len(b))
		if start >= end {
			return vm.ToValue("")
		}
		return vm.ToValue(encodeBytes(b[start:end], enc))
	})

	// write(string[, offset[, length]][, encoding]) writes what fits and
	// returns the number of bytes written.
	_ = proto.Set("write", func(call goja.FunctionCall) goja.Value {
		b := bytesOf(call.This, "write")
		s, ok := call.Argument(0).Export().(string)
		if !ok || !goja.IsString(call.Argument(0)) {
			throwTypeError(vm, `The "string" argument must be of type string`)
		}
		args := call.Arguments[1:]
		enc := "utf8"
		if n := len(args); n > 0 && goja.IsString(args[n-1]) {
			enc = encodingArg(args[n-1])
			args = args[:n-1]
		}
		offset, length := 0, len(b)
		if len(args) > 0 && !goja.IsUndefined(args[0]) {
			offset = int(args[0].ToInteger())
			if offset < 0 || offset > len(b) {
				throwRangeError(vm, `The value of "offset" is out of range. It must be >= 0 && <= %d. Received %d`, len(b), offset)
			}
		}
		length = len(b) - offset
		if len(args) > 1 && !goja.IsUndefined(args[1]) {
			if l := int(args[1].ToInteger()); l >= 0 && l < length {
				length = l
			}
		}
		data, err := decodeString(s, enc)
		if err != nil {
			throwTypeError(vm, "%v", err)
		}
		if len(data) > length {
			data = data[:length]
		}
		return vm.ToValue(copy(b[offset:], data))
	})
}

// clampIndex reads an optional start or end argument the way
// Buffer.prototype.toString does: undefined gives def, and the value is kept
// within [0, size].
func clampIndex(v goja.Value, def, size int) int {
	if goja.IsUndefined(v) || goja.IsNull(v) {
		return def
	}
	i := v.ToInteger()
	switch {
	case i < 0:
		return 0
	case i > int64(size):
		return size
	}
	return int(i)
}

// throwRangeError throws a RangeError with Node's ERR_OUT_OF_RANGE code.
func throwRangeError(vm *goja.Runtime, format string, args ...any) {
	ctor, _ := goja.AssertConstructor(vm.Get("RangeError"))
	if ctor == nil {
		throwTypeError(vm, format, args...)
	}
	e, err := ctor(nil, vm.ToValue(fmt.Sprintf(format, args...)))
	if err != nil {
		panic(err)
	}
	_ = e.Set("code", "ERR_OUT_OF_RANGE")
	panic(e)
}
