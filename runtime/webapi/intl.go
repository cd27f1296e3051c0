package webapi

import (
	_ "embed"
	"errors"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"time"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime/intl"
)

//go:embed intl.js
var intlSource string

var intlPart = newPart("intl.js", &intlSource, intlNatives)

// maxTime is the largest distance from the epoch, in milliseconds, that a
// Date can hold.
const maxTime = 8.64e15

// installLocaleMethods replaces goja's toLocaleString family, which ignores
// its locales and options (and whose Number version takes the locale for a
// radix), with the en-US formatters Intl uses, and makes
// String.prototype.localeCompare honour its options.
func (r *realm) installLocaleMethods() {
	vm := r.vm
	proto := func(ctor string) *goja.Object {
		c, ok := vm.Get(ctor).(*goja.Object)
		if !ok {
			return nil
		}
		p, _ := c.Get("prototype").(*goja.Object)
		return p
	}
	method := func(obj *goja.Object, name string, length int, fn func(goja.FunctionCall) goja.Value) {
		if obj == nil {
			return
		}
		f := vm.ToValue(fn).(*goja.Object)
		_ = f.DefineDataProperty("name", vm.ToValue(name), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
		_ = f.DefineDataProperty("length", vm.ToValue(length), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
		_ = obj.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	}

	method(proto("Number"), "toLocaleString", 0, func(call goja.FunctionCall) goja.Value {
		x, ok := thisNumber(call.This)
		if !ok {
			throwError(vm, "TypeError", "Number.prototype.toLocaleString requires that 'this' be a Number")
		}
		f := r.numberFormat("Number.prototype.toLocaleString", call.Argument(0), call.Argument(1))
		return vm.ToValue(f.Format(x))
	})
	method(proto("BigInt"), "toLocaleString", 0, func(call goja.FunctionCall) goja.Value {
		b, ok := thisBigInt(call.This)
		if !ok {
			throwError(vm, "TypeError", "BigInt.prototype.toLocaleString requires that 'this' be a BigInt")
		}
		f := r.numberFormat("BigInt.prototype.toLocaleString", call.Argument(0), call.Argument(1))
		return vm.ToValue(f.FormatBig(b))
	})

	dateProto := proto("Date")
	var getTime goja.Callable
	if dateProto != nil {
		getTime, _ = goja.AssertFunction(dateProto.Get("getTime"))
	}
	dateMethod := func(name, required, defaults string) {
		api := "Date.prototype." + name
		method(dateProto, name, 0, func(call goja.FunctionCall) goja.Value {
			obj, ok := call.This.(*goja.Object)
			if !ok || obj.ClassName() != "Date" || getTime == nil {
				throwError(vm, "TypeError", "this is not a Date object.")
			}
			v, err := getTime(obj)
			if err != nil {
				panic(err)
			}
			ms := v.ToFloat()
			if math.IsNaN(ms) {
				return vm.ToValue("Invalid Date")
			}
			f := r.dateTimeFormat(api, call.Argument(0), call.Argument(1), required, defaults)
			return vm.ToValue(f.Format(int64(ms)))
		})
	}
	dateMethod("toLocaleString", intl.RequireAny, intl.DefaultAll)
	dateMethod("toLocaleDateString", intl.RequireDate, intl.DefaultDate)
	dateMethod("toLocaleTimeString", intl.RequireTime, intl.DefaultTime)

	method(proto("String"), "localeCompare", 1, func(call goja.FunctionCall) goja.Value {
		if goja.IsUndefined(call.This) || goja.IsNull(call.This) {
			throwError(vm, "TypeError", "String.prototype.localeCompare called on null or undefined")
		}
		c := r.collator("String.prototype.localeCompare", call.Argument(1), call.Argument(2))
		return vm.ToValue(c.Compare(call.This.String(), call.Argument(0).String()))
	})
}

func thisNumber(v goja.Value) (float64, bool) {
	if obj, ok := v.(*goja.Object); ok {
		if obj.ClassName() != "Number" {
			return 0, false
		}
		return obj.ToFloat(), true
	}
	if v == nil || v.ExportType() == nil {
		return 0, false
	}
	switch v.ExportType().Kind() {
	case reflect.Float64, reflect.Int64:
		return v.ToFloat(), true
	}
	return 0, false
}

func thisBigInt(v goja.Value) (*big.Int, bool) {
	if v == nil {
		return nil, false
	}
	b, ok := v.Export().(*big.Int)
	return b, ok
}

// numberFormat builds the formatter for (locales, options), throwing
// what V8 throws for bad ones. Loop goroutine only.
func (r *realm) numberFormat(api string, locales, options goja.Value) *intl.NumberFormat {
	r.checkLocales(locales)
	opts := r.options(options)
	if opts == nil && r.defaultNumber != nil {
		return r.defaultNumber
	}
	f, err := intl.NewNumberFormat(api, opts)
	r.throwIntl(err)
	if opts == nil {
		r.defaultNumber = f
	}
	return f
}

func (r *realm) dateTimeFormat(api string, locales, options goja.Value, required, defaults string) *intl.DateTimeFormat {
	r.checkLocales(locales)
	if r.localZone == "" {
		r.localZone = intl.LocalZoneName()
	}
	f, err := intl.NewDateTimeFormat(api, r.options(options), required, defaults, time.Local, r.localZone)
	r.throwIntl(err)
	return f
}

func (r *realm) collator(api string, locales, options goja.Value) *intl.Collator {
	r.checkLocales(locales)
	opts := r.options(options)
	if opts == nil && r.defaultCollator != nil {
		return r.defaultCollator
	}
	c, err := intl.NewCollator(api, opts)
	r.throwIntl(err)
	if opts == nil {
		r.defaultCollator = c
	}
	return c
}

func (r *realm) throwIntl(err error) {
	if err == nil {
		return
	}
	var e *intl.Error
	if errors.As(err, &e) {
		throwError(r.vm, e.Name, "%s", e.Message)
	}
	throwError(r.vm, "Error", "%s", err)
}

// localeList reads a locales argument: undefined, a tag, or a list of tags.
func (r *realm) localeList(v goja.Value) []string {
	if v == nil || goja.IsUndefined(v) {
		return nil
	}
	if goja.IsNull(v) {
		throwError(r.vm, "TypeError", "Cannot convert undefined or null to object")
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		if t := v.ExportType(); t == nil || t.Kind() != reflect.String {
			// V8 reads a primitive as an empty list of locales.
			return nil
		}
		return []string{v.String()}
	}
	if obj.ClassName() == "String" {
		return []string{obj.String()}
	}
	n := obj.Get("length")
	if n == nil {
		return nil
	}
	var tags []string
	for i := range n.ToInteger() {
		el := obj.Get(strconv.FormatInt(i, 10))
		if el == nil || (el.ExportType() == nil || el.ExportType().Kind() != reflect.String) && !isObject(el) {
			throwError(r.vm, "TypeError", "Language ID should be string or object.")
		}
		tags = append(tags, el.String())
	}
	return tags
}

func (r *realm) checkLocales(v goja.Value) {
	if v == nil || goja.IsUndefined(v) {
		return
	}
	_, err := intl.CanonicalLocales(r.localeList(v))
	r.throwIntl(err)
}

// options returns an options bag as intl.Options (nil for undefined).
func (r *realm) options(v goja.Value) intl.Options {
	if v == nil || goja.IsUndefined(v) {
		return nil
	}
	if goja.IsNull(v) {
		throwError(r.vm, "TypeError", "Cannot convert undefined or null to object")
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		return nil // a primitive's wrapper has no options
	}
	return func(name string) any {
		v := obj.Get(name)
		if v == nil || goja.IsUndefined(v) {
			return nil
		}
		switch x := v.Export().(type) {
		case bool:
			return x
		case int64:
			return float64(x)
		case float64:
			return x
		case *big.Int:
			f, _ := new(big.Float).SetInt(x).Float64()
			return f
		}
		return v.String()
	}
}

func isObject(v goja.Value) bool {
	_, ok := v.(*goja.Object)
	return ok
}

// intlNatives are the handles intl.js wraps.
func intlNatives(r *realm) *goja.Object {
	vm := r.vm
	n := vm.NewObject()
	_ = n.Set("numberFormat", func(call goja.FunctionCall) goja.Value {
		f := r.numberFormat("Intl.NumberFormat", call.Argument(0), call.Argument(1))
		h := vm.NewObject()
		_ = h.Set("format", func(call goja.FunctionCall) goja.Value {
			if b, ok := call.Argument(0).Export().(*big.Int); ok {
				return vm.ToValue(f.FormatBig(b))
			}
			return vm.ToValue(f.Format(call.Argument(0).ToFloat()))
		})
		_ = h.Set("formatToParts", func(call goja.FunctionCall) goja.Value {
			if b, ok := call.Argument(0).Export().(*big.Int); ok {
				return r.partsValue(f.FormatBigToParts(b))
			}
			return r.partsValue(f.FormatToParts(call.Argument(0).ToFloat()))
		})
		_ = h.Set("resolvedOptions", func(goja.FunctionCall) goja.Value { return r.fieldsValue(f.ResolvedOptions()) })
		return h
	})
	_ = n.Set("dateTimeFormat", func(call goja.FunctionCall) goja.Value {
		f := r.dateTimeFormat("Intl.DateTimeFormat", call.Argument(0), call.Argument(1), intl.RequireAny, intl.DefaultDate)
		instant := func(v goja.Value) int64 {
			if goja.IsUndefined(v) {
				return time.Now().UnixMilli()
			}
			ms := v.ToFloat()
			if math.IsNaN(ms) || math.Abs(ms) > maxTime {
				throwError(vm, "RangeError", "Invalid time value")
			}
			return int64(ms)
		}
		h := vm.NewObject()
		_ = h.Set("format", func(call goja.FunctionCall) goja.Value {
			return vm.ToValue(f.Format(instant(call.Argument(0))))
		})
		_ = h.Set("formatToParts", func(call goja.FunctionCall) goja.Value {
			return r.partsValue(f.FormatToParts(instant(call.Argument(0))))
		})
		_ = h.Set("resolvedOptions", func(goja.FunctionCall) goja.Value { return r.fieldsValue(f.ResolvedOptions()) })
		return h
	})
	_ = n.Set("collator", func(call goja.FunctionCall) goja.Value {
		c := r.collator("Intl.Collator", call.Argument(0), call.Argument(1))
		h := vm.NewObject()
		_ = h.Set("compare", func(call goja.FunctionCall) goja.Value {
			return vm.ToValue(c.Compare(call.Argument(0).String(), call.Argument(1).String()))
		})
		_ = h.Set("resolvedOptions", func(goja.FunctionCall) goja.Value { return r.fieldsValue(c.ResolvedOptions()) })
		return h
	})
	_ = n.Set("canonicalLocales", func(call goja.FunctionCall) goja.Value {
		tags, err := intl.CanonicalLocales(r.localeList(call.Argument(0)))
		r.throwIntl(err)
		return vm.ToValue(tags)
	})
	return n
}

func (r *realm) partsValue(parts []intl.Part) goja.Value {
	out := make([]any, len(parts))
	for i, p := range parts {
		obj := r.vm.NewObject()
		_ = obj.Set("type", p.Type)
		_ = obj.Set("value", p.Value)
		out[i] = obj
	}
	return r.vm.NewArray(out...)
}

func (r *realm) fieldsValue(fields []intl.Field) goja.Value {
	obj := r.vm.NewObject()
	for _, f := range fields {
		_ = obj.Set(f.Name, f.Value)
	}
	return obj
}
