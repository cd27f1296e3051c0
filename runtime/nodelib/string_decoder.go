package nodelib

import (
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime/webapi"
)

// stringDecoderNatives are the Go halves of node:string_decoder:
// normalize(encoding) and decode(bytes, encoding) for complete input.
func stringDecoderNatives(vm *goja.Runtime) *goja.Object {
	n := vm.NewObject()
	_ = n.Set("normalize", func(call goja.FunctionCall) goja.Value {
		enc, err := normalizeEncoding(call.Argument(0).String())
		if err != nil {
			e := vm.NewTypeError("Unknown encoding: %s", call.Argument(0).String())
			_ = e.Set("code", "ERR_UNKNOWN_ENCODING")
			panic(e)
		}
		return vm.ToValue(enc)
	})
	_ = n.Set("decode", func(call goja.FunctionCall) goja.Value {
		b, _ := webapi.Bytes(vm, call.Argument(0))
		switch enc := call.Argument(1).String(); enc {
		case "utf8":
			return vm.ToValue(decodeUTF8(b))
		case "utf16le":
			units := make([]uint16, len(b)/2)
			for i := range units {
				units[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
			}
			// Lone surrogates stay as they are, as in Node.
			return goja.StringFromUTF16(units)
		default:
			return vm.ToValue(encodeBytes(b, enc))
		}
	})
	return n
}

// decodeUTF8 decodes b, replacing each maximal invalid subsequence with
// U+FFFD as the WHATWG decoder (and Node) does.
func decodeUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r != utf8.RuneError || size > 1 {
			sb.WriteRune(r)
			b = b[size:]
			continue
		}
		sb.WriteRune(utf8.RuneError)
		b = b[invalidPrefix(b):]
	}
	return sb.String()
}

// invalidPrefix returns the length of the maximal subpart of an
// ill-formed sequence at the start of b (at least 1).
func invalidPrefix(b []byte) int {
	c := b[0]
	var need int
	lo, hi := byte(0x80), byte(0xbf)
	switch {
	case c >= 0xc2 && c <= 0xdf:
		need = 1
	case c == 0xe0:
		need, lo = 2, 0xa0
	case c >= 0xe1 && c <= 0xef:
		need = 2
		if c == 0xed {
			hi = 0x9f
		}
	case c == 0xf0:
		need, lo = 3, 0x90
	case c >= 0xf1 && c <= 0xf3:
		need = 3
	case c == 0xf4:
		need, hi = 3, 0x8f
	default:
		return 1
	}
	i := 1
	for ; i <= need && i < len(b); i++ {
		if b[i] < lo || b[i] > hi {
			break
		}
		lo, hi = 0x80, 0xbf
	}
	return i
}
