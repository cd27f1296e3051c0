package nodelib

import (
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/binary"
	"hash"
	"math"
	"strings"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/webapi"
)

func cryptoModule() runtime.Module {
	name, aliases := names("crypto")
	return runtime.Module{
		Name: name, Aliases: aliases, Default: true, Load: loadCrypto,
		Exports: []string{
			"createHash", "createHmac", "getHashes", "getRandomValues", "hash", "randomBytes",
			"randomInt", "randomUUID", "timingSafeEqual",
		},
	}
}

func hashConstructor(alg string) (func() hash.Hash, bool) {
	switch strings.ToLower(strings.ReplaceAll(alg, "-", "")) {
	case "md5":
		return md5.New, true
	case "sha1":
		return sha1.New, true
	case "sha224":
		return sha256.New224, true
	case "sha256":
		return sha256.New, true
	case "sha384":
		return sha512.New384, true
	case "sha512":
		return sha512.New, true
	}
	return nil, false
}

func loadCrypto(h *runtime.Host) (*goja.Object, error) {
	vm := h.VM()
	newHash := func(alg string) func() hash.Hash {
		ctor, ok := hashConstructor(alg)
		if !ok {
			throwTypeError(vm, "Digest method not supported: %s", alg)
		}
		return ctor
	}
	// digestObject wraps a running hash: update(data, enc) and digest(enc).
	var digestObject func(hh hash.Hash) *goja.Object
	digestObject = func(hh hash.Hash) *goja.Object {
		obj := vm.NewObject()
		done := false
		_ = obj.Set("update", func(call goja.FunctionCall) goja.Value {
			if done {
				panic(vm.NewTypeError("Digest already called"))
			}
			enc := "utf8"
			if e := call.Argument(1); !goja.IsUndefined(e) {
				enc = checkEncoding(vm, e.String())
			}
			data, err := dataBytes(vm, call.Argument(0), enc)
			if err != nil {
				throwTypeError(vm, "%v", err)
			}
			hh.Write(data)
			return obj
		})
		_ = obj.Set("digest", func(call goja.FunctionCall) goja.Value {
			if done {
				panic(vm.NewTypeError("Digest already called"))
			}
			done = true
			sum := hh.Sum(nil)
			if e := call.Argument(0); !goja.IsUndefined(e) {
				return vm.ToValue(encodeBytes(sum, checkEncoding(vm, e.String())))
			}
			return newBuffer(h, sum)
		})
		return obj
	}
	return exportsObject(vm, map[string]any{
		"randomUUID": func() string { return webapi.RandomUUID() },
		"randomBytes": func(call goja.FunctionCall) goja.Value {
			n := call.Argument(0).ToInteger()
			if n < 0 || n > math.MaxInt32 {
				panic(vm.NewTypeError("The \"size\" argument is out of range"))
			}
			b := make([]byte, n)
			_, _ = rand.Read(b)
			buf := newBuffer(h, b)
			if cb, ok := goja.AssertFunction(call.Argument(1)); ok {
				h.Loop().Go(func(context.Context) runtime.Settle {
					return func(*goja.Runtime) (goja.Value, error) {
						_, err := cb(goja.Undefined(), goja.Null(), buf)
						return goja.Undefined(), err
					}
				})
				return goja.Undefined()
			}
			return buf
		},
		"randomInt": func(call goja.FunctionCall) goja.Value {
			lo, hi := int64(0), call.Argument(0).ToInteger()
			if len(call.Arguments) > 1 && !isFunc(call.Argument(1)) {
				lo, hi = hi, call.Argument(1).ToInteger()
			}
			if hi <= lo {
				throwTypeError(vm, `The value of "max" is out of range. It must be greater than the value of "min" (%d). Received %d`, lo, hi)
			}
			var b [8]byte
			_, _ = rand.Read(b[:])
			return vm.ToValue(lo + int64(binary.LittleEndian.Uint64(b[:])%uint64(hi-lo)))
		},
		"getRandomValues": func(call goja.FunctionCall) goja.Value {
			b, ok := webapi.Bytes(vm, call.Argument(0))
			if !ok {
				throwTypeError(vm, "getRandomValues: the argument must be a typed array")
			}
			_, _ = rand.Read(b)
			return call.Argument(0)
		},
		"timingSafeEqual": func(call goja.FunctionCall) goja.Value {
			a, ok1 := webapi.Bytes(vm, call.Argument(0))
			b, ok2 := webapi.Bytes(vm, call.Argument(1))
			if !ok1 || !ok2 {
				throwTypeError(vm, "timingSafeEqual: both arguments must be Buffers or typed arrays")
			}
			if len(a) != len(b) {
				panic(vm.NewTypeError("Input buffers must have the same byte length"))
			}
			return vm.ToValue(subtle.ConstantTimeCompare(a, b) == 1)
		},
		"getHashes": func() []string { return []string{"md5", "sha1", "sha224", "sha256", "sha384", "sha512"} },
		"createHash": func(call goja.FunctionCall) goja.Value {
			return digestObject(newHash(call.Argument(0).String())())
		},
		"createHmac": func(call goja.FunctionCall) goja.Value {
			ctor := newHash(call.Argument(0).String())
			key, err := dataBytes(vm, call.Argument(1), "utf8")
			if err != nil {
				throwTypeError(vm, "%v", err)
			}
			return digestObject(hmac.New(ctor, key))
		},
		"hash": func(call goja.FunctionCall) goja.Value {
			hh := newHash(call.Argument(0).String())()
			data, err := dataBytes(vm, call.Argument(1), "utf8")
			if err != nil {
				throwTypeError(vm, "%v", err)
			}
			hh.Write(data)
			enc := "hex"
			if e := call.Argument(2); !goja.IsUndefined(e) {
				enc = e.String()
			}
			if enc == "buffer" {
				return newBuffer(h, hh.Sum(nil))
			}
			return vm.ToValue(encodeBytes(hh.Sum(nil), checkEncoding(vm, enc)))
		},
	}), nil
}

func isFunc(v goja.Value) bool {
	_, ok := goja.AssertFunction(v)
	return ok
}
