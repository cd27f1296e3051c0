package webapi

import (
	"encoding/base64"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
	nodeurl "github.com/dop251/goja_nodejs/url"
)

func (r *realm) urlExport(name string) (goja.Value, error) {
	if r.url == nil {
		module := r.vm.NewObject()
		_ = module.Set("exports", r.vm.NewObject())
		nodeurl.Require(r.vm, module)
		r.url = module.Get("exports").(*goja.Object)
	}
	return r.url.Get(name), nil
}

// textEncoder builds the TextEncoder class (UTF-8 only, as the standard).
func (r *realm) textEncoder() *goja.Object {
	if r.encoder != nil {
		return r.encoder
	}
	vm := r.vm
	ctor := vm.ToValue(func(call goja.ConstructorCall) *goja.Object {
		return nil
	}).(*goja.Object)
	proto := ctor.Get("prototype").(*goja.Object)
	_ = proto.DefineAccessorProperty("encoding", vm.ToValue(func(goja.FunctionCall) goja.Value { return vm.ToValue("utf-8") }), nil, goja.FLAG_TRUE, goja.FLAG_TRUE)
	_ = proto.Set("encode", func(call goja.FunctionCall) goja.Value {
		s := ""
		if a := call.Argument(0); !goja.IsUndefined(a) {
			s = a.String()
		}
		return NewUint8Array(vm, []byte(toWellFormed(s)))
	})
	_ = proto.Set("encodeInto", func(call goja.FunctionCall) goja.Value {
		s := toWellFormed(call.Argument(0).String())
		dst, ok := Bytes(vm, call.Argument(1))
		if !ok {
			throwError(vm, "TypeError", "TextEncoder.encodeInto: the destination must be a Uint8Array")
		}
		read, written := 0, 0
		for _, c := range s {
			n := utf8.RuneLen(c)
			if written+n > len(dst) {
				break
			}
			utf8.EncodeRune(dst[written:], c)
			written += n
			read += len(utf16.Encode([]rune{c}))
		}
		res := vm.NewObject()
		_ = res.Set("read", read)
		_ = res.Set("written", written)
		return res
	})
	r.encoder = ctor
	return ctor
}

// toWellFormed replaces lone surrogates (which goja strings may hold) with
// U+FFFD, as encoding to UTF-8 requires.
func toWellFormed(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

type decoderState struct {
	encoding  string
	fatal     bool
	ignoreBOM bool
	pending   []byte // incomplete sequence kept between streaming calls
	bomSeen   bool
}

var decoderLabels = map[string]string{
	"utf-8": "utf-8", "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8",
	"utf-16le": "utf-16le", "utf-16": "utf-16le",
	"latin1": "windows-1252", "iso-8859-1": "windows-1252", "ascii": "windows-1252",
	"us-ascii": "windows-1252", "windows-1252": "windows-1252",
}

// textDecoder builds the TextDecoder class: utf-8, utf-16le and
// windows-1252 (latin1), with fatal, ignoreBOM and streaming.
func (r *realm) textDecoder() *goja.Object {
	if r.decoder != nil {
		return r.decoder
	}
	vm := r.vm
	state := goja.NewSymbol("TextDecoder")
	get := func(this goja.Value) *decoderState {
		obj, ok := this.(*goja.Object)
		if ok {
			if v := obj.GetSymbol(state); v != nil {
				if s, ok := v.Export().(*decoderState); ok {
					return s
				}
			}
		}
		throwError(vm, "TypeError", "Illegal invocation")
		return nil
	}
	ctor := vm.ToValue(func(call goja.ConstructorCall) *goja.Object {
		label := "utf-8"
		if a := call.Argument(0); !goja.IsUndefined(a) {
			label = strings.ToLower(strings.TrimSpace(a.String()))
		}
		enc, ok := decoderLabels[label]
		if !ok {
			throwError(vm, "RangeError", "The %q encoding is not supported", label)
		}
		s := &decoderState{encoding: enc}
		if opts, ok := call.Argument(1).(*goja.Object); ok {
			s.fatal = opts.Get("fatal") != nil && opts.Get("fatal").ToBoolean()
			s.ignoreBOM = opts.Get("ignoreBOM") != nil && opts.Get("ignoreBOM").ToBoolean()
		}
		_ = call.This.DefineDataPropertySymbol(state, vm.ToValue(s), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
		return nil
	}).(*goja.Object)
	proto := ctor.Get("prototype").(*goja.Object)
	accessor := func(name string, fn func(*decoderState) any) {
		_ = proto.DefineAccessorProperty(name, vm.ToValue(func(call goja.FunctionCall) goja.Value {
			return vm.ToValue(fn(get(call.This)))
		}), nil, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	accessor("encoding", func(s *decoderState) any { return s.encoding })
	accessor("fatal", func(s *decoderState) any { return s.fatal })
	accessor("ignoreBOM", func(s *decoderState) any { return s.ignoreBOM })
	_ = proto.Set("decode", func(call goja.FunctionCall) goja.Value {
		s := get(call.This)
		var input []byte
		if a := call.Argument(0); !goja.IsUndefined(a) && !goja.IsNull(a) {
			b, ok := Bytes(vm, a)
			if !ok {
				throwError(vm, "TypeError", "TextDecoder.decode: the input must be an ArrayBuffer or a view of one")
			}
			input = b
		}
		stream := false
		if opts, ok := call.Argument(1).(*goja.Object); ok {
			stream = opts.Get("stream") != nil && opts.Get("stream").ToBoolean()
		}
		out, err := s.decode(input, stream)
		if err != "" {
			throwError(vm, "TypeError", "%s", err)
		}
		return vm.ToValue(out)
	})
	r.decoder = ctor
	return ctor
}

// decode decodes input, keeping an incomplete trailing sequence when
// streaming. It returns a message instead of a string for fatal errors.
func (s *decoderState) decode(input []byte, stream bool) (string, string) {
	data := append(s.pending, input...)
	s.pending = nil
	var text string
	switch s.encoding {
	case "utf-16le":
		if stream && len(data)%2 == 1 {
			s.pending = append([]byte(nil), data[len(data)-1])
			data = data[:len(data)-1]
		}
		units := make([]uint16, len(data)/2)
		for i := range units {
			units[i] = uint16(data[2*i]) | uint16(data[2*i+1])<<8
		}
		if !s.ignoreBOM && !s.bomSeen && len(units) > 0 && units[0] == 0xfeff {
			units = units[1:]
		}
		s.bomSeen = s.bomSeen || len(units) > 0
		text = string(utf16.Decode(units))
	case "windows-1252":
		runes := make([]rune, len(data))
		for i, b := range data {
			runes[i] = rune(b)
		}
		text = string(runes)
	default:
		if stream {
			cut := incompleteSuffix(data)
			s.pending = append([]byte(nil), data[len(data)-cut:]...)
			data = data[:len(data)-cut]
		}
		if !s.ignoreBOM && !s.bomSeen && len(data) >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf {
			data = data[3:]
		}
		s.bomSeen = s.bomSeen || len(data) > 0
		if !utf8.Valid(data) {
			if s.fatal {
				return "", "The encoded data was not valid for encoding utf-8"
			}
			text = strings.ToValidUTF8(string(data), "\uFFFD")
		} else {
			text = string(data)
		}
	}
	if !stream {
		s.bomSeen = false
	}
	return text, ""
}

// incompleteSuffix returns how many trailing bytes form the start of a UTF-8
// sequence that more input may complete.
func incompleteSuffix(b []byte) int {
	for n := 1; n <= 3 && n <= len(b); n++ {
		c := b[len(b)-n]
		if c&0xc0 == 0x80 {
			continue // continuation byte: keep looking for the lead byte
		}
		need := 0
		switch {
		case c&0xe0 == 0xc0:
			need = 2
		case c&0xf0 == 0xe0:
			need = 3
		case c&0xf8 == 0xf0:
			need = 4
		}
		if need > n {
			return n
		}
		return 0
	}
	return 0
}

// btoa encodes a string of Latin-1 characters as base64.
func (r *realm) btoa(call goja.FunctionCall) goja.Value {
	if len(call.Arguments) == 0 {
		throwError(r.vm, "TypeError", "btoa: 1 argument required, but only 0 present")
	}
	s := call.Argument(0).String()
	b := make([]byte, 0, len(s))
	for _, c := range s {
		if c > 0xff {
			throwDOMException(r.vm, "InvalidCharacterError", "Invalid character")
		}
		b = append(b, byte(c))
	}
	return r.vm.ToValue(base64.StdEncoding.EncodeToString(b))
}

// atob decodes base64 into a string of Latin-1 characters.
func (r *realm) atob(call goja.FunctionCall) goja.Value {
	if len(call.Arguments) == 0 {
		throwError(r.vm, "TypeError", "atob: 1 argument required, but only 0 present")
	}
	s := strings.Map(func(c rune) rune {
		switch c {
		case ' ', '\t', '\n', '\f', '\r':
			return -1
		}
		return c
	}, call.Argument(0).String())
	if len(s)%4 == 0 && strings.HasSuffix(s, "==") {
		s = s[:len(s)-2]
	} else if len(s)%4 == 0 && strings.HasSuffix(s, "=") {
		s = s[:len(s)-1]
	}
	if len(s)%4 == 1 {
		throwDOMException(r.vm, "InvalidCharacterError", "The string to be decoded is not correctly encoded.")
	}
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		throwDOMException(r.vm, "InvalidCharacterError", "The string to be decoded is not correctly encoded.")
	}
	runes := make([]rune, len(b))
	for i, c := range b {
		runes[i] = rune(c)
	}
	return r.vm.ToValue(string(runes))
}
