package webapi

import (
	"fmt"

	"github.com/dop251/goja"
)

// structuredClone deep-copies a value as the structured clone algorithm
// does: plain objects (own enumerable properties, prototype dropped),
// arrays, Date, RegExp, Map, Set, ArrayBuffer and its views, Error, boxed
// primitives; shared and cyclic references are preserved. Functions and
// symbols throw a DataCloneError.
func (r *realm) structuredClone(call goja.FunctionCall) goja.Value {
	c := &cloner{vm: r.vm, memo: map[*goja.Object]*goja.Object{}}
	return c.clone(call.Argument(0))
}

type cloner struct {
	vm   *goja.Runtime
	memo map[*goja.Object]*goja.Object
}

func (c *cloner) fail(what string) {
	throwDOMException(c.vm, "DataCloneError", "%s could not be cloned.", what)
}

func (c *cloner) clone(v goja.Value) goja.Value {
	if _, ok := v.(*goja.Symbol); ok {
		c.fail(v.String())
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		return v
	}
	if done, ok := c.memo[obj]; ok {
		return done
	}
	vm := c.vm
	if _, isFn := goja.AssertFunction(obj); isFn {
		c.fail(fmt.Sprintf("function %s", obj.Get("name")))
	}
	newOf := func(ctor string, args ...goja.Value) *goja.Object {
		out, err := vm.New(vm.Get(ctor), args...)
		if err != nil {
			panic(err)
		}
		return out
	}
	switch obj.ClassName() {
	case "Array":
		out := vm.NewArray()
		c.memo[obj] = out
		n := obj.Get("length").ToInteger()
		_ = out.Set("length", n)
		for _, k := range obj.Keys() {
			_ = out.Set(k, c.clone(obj.Get(k)))
		}
		return out
	case "Date":
		getTime, _ := goja.AssertFunction(obj.Get("getTime"))
		t, _ := getTime(obj)
		out := newOf("Date", t)
		c.memo[obj] = out
		return out
	case "RegExp":
		out := newOf("RegExp", obj.Get("source"), obj.Get("flags"))
		c.memo[obj] = out
		return out
	case "Error":
		name := obj.Get("name").String()
		ctor := "Error"
		switch name {
		case "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError":
			ctor = name
		}
		out := newOf(ctor, obj.Get("message"))
		c.memo[obj] = out
		if st := obj.Get("stack"); st != nil {
			_ = out.Set("stack", st)
		}
		if cause := obj.Get("cause"); cause != nil && !goja.IsUndefined(cause) {
			_ = out.Set("cause", c.clone(cause))
		}
		return out
	case "String", "Number", "Boolean", "BigInt":
		if prim := obj.Export(); prim != nil {
			out := vm.ToValue(prim).ToObject(vm)
			c.memo[obj] = out
			return out
		}
	}
	if ab, ok := obj.Export().(goja.ArrayBuffer); ok {
		out := vm.ToValue(vm.NewArrayBuffer(append([]byte(nil), ab.Bytes()...))).(*goja.Object)
		c.memo[obj] = out
		return out
	}
	if isView(vm, obj) {
		buf := c.clone(obj.Get("buffer"))
		ctor := obj.Get("constructor")
		if name := obj.Get("constructor").ToObject(vm).Get("name").String(); name == "Buffer" {
			ctor = vm.Get("Uint8Array")
		}
		length := obj.Get("length")
		if length == nil || goja.IsUndefined(length) {
			length = obj.Get("byteLength") // DataView
		}
		out, err := vm.New(ctor, buf, obj.Get("byteOffset"), length)
		if err != nil {
			panic(err)
		}
		c.memo[obj] = out
		return out
	}
	for _, name := range []string{"Map", "Set"} {
		if instanceOf(vm, obj, name) {
			out := newOf(name)
			c.memo[obj] = out
			add, _ := goja.AssertFunction(out.Get(map[string]string{"Map": "set", "Set": "add"}[name]))
			var items [][]goja.Value
			vm.ForOf(obj, func(cur goja.Value) bool {
				if name == "Map" {
					pair := cur.ToObject(vm)
					items = append(items, []goja.Value{pair.Get("0"), pair.Get("1")})
				} else {
					items = append(items, []goja.Value{cur})
				}
				return true
			})
			for _, it := range items {
				args := make([]goja.Value, len(it))
				for i, x := range it {
					args[i] = c.clone(x)
				}
				if _, err := add(out, args...); err != nil {
					panic(err)
				}
			}
			return out
		}
	}
	for _, name := range []string{"WeakMap", "WeakSet", "Promise", "WeakRef"} {
		if instanceOf(vm, obj, name) {
			c.fail(name)
		}
	}
	out := vm.NewObject()
	c.memo[obj] = out
	for _, k := range obj.Keys() {
		_ = out.Set(k, c.clone(obj.Get(k)))
	}
	return out
}

func isView(vm *goja.Runtime, obj *goja.Object) bool {
	ab, ok := vm.Get("ArrayBuffer").(*goja.Object)
	if !ok {
		return false
	}
	isViewFn, ok := goja.AssertFunction(ab.Get("isView"))
	if !ok {
		return false
	}
	v, err := isViewFn(ab, obj)
	return err == nil && v.ToBoolean()
}

func instanceOf(vm *goja.Runtime, obj *goja.Object, ctor string) bool {
	c, ok := vm.Get(ctor).(*goja.Object)
	if !ok {
		return false
	}
	is := false
	if ex := vm.Try(func() { is = vm.InstanceOf(obj, c) }); ex != nil {
		return false
	}
	return is
}
