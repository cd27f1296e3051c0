package webapi

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/dop251/goja"
)

// structuredClone deep-copies a value with the structured clone algorithm:
// it serialises the value and reads it back (see Serialize).
func (r *realm) structuredClone(call goja.FunctionCall) goja.Value {
	vm := r.vm
	data, err := Serialize(vm, call.Argument(0))
	if err != nil {
		panic(cloneErrorValue(vm, err))
	}
	v, err := Deserialize(vm, data)
	if err != nil {
		panic(cloneErrorValue(vm, err))
	}
	return v
}

func cloneErrorValue(vm *goja.Runtime, err error) goja.Value {
	var ex *goja.Exception
	if errors.As(err, &ex) {
		return ex.Value()
	}
	var de *DOMError
	if errors.As(err, &de) {
		return newDOMException(vm, de.Name, de.Message)
	}
	return vm.NewGoError(err)
}

// The serialisation format: a version byte, then one value. Each value is a
// tag byte and its payload; strings and byte runs are a uvarint length and
// the bytes. Objects are numbered in the order they are first written, and
// a later occurrence of the same object is a reference to its number, which
// keeps shared and cyclic references.
const (
	cloneVersion = 1

	tagUndefined   = 0
	tagNull        = 1
	tagTrue        = 2
	tagFalse       = 3
	tagNumber      = 4 // float64, little-endian
	tagInt         = 5 // varint
	tagString      = 6
	tagBigInt      = 7 // decimal string
	tagDate        = 8 // float64 time value
	tagRegExp      = 9 // source, flags
	tagArrayBuffer = 10
	tagView        = 11 // constructor name, buffer value, offset, length
	tagArray       = 12 // length, entry count, (key, value)…
	tagObject      = 13 // entry count, (key, value)…
	tagMap         = 14 // entry count, (key, value)…
	tagSet         = 15 // entry count, value…
	tagError       = 16 // name, message, stack, has-cause byte, cause
	tagRef         = 17 // object number
	tagBoxed       = 18 // the primitive
)

// Serialize encodes v with the structured clone algorithm, so that another
// runtime (or a later one) can rebuild it with Deserialize: primitives,
// plain objects (own enumerable string keys; the prototype is not kept),
// arrays, Date, RegExp, Map, Set, ArrayBuffer and its views, errors and
// boxed primitives, with shared and cyclic references preserved. Functions,
// symbols and other objects the algorithm cannot copy fail with a
// DataCloneError (*DOMError). Loop goroutine only.
func Serialize(vm *goja.Runtime, v goja.Value) (data []byte, err error) {
	s := &serializer{vm: vm, ids: map[*goja.Object]uint64{}, buf: []byte{cloneVersion}}
	if ex := vm.Try(func() { err = s.value(v) }); ex != nil {
		return nil, ex
	}
	if err != nil {
		return nil, err
	}
	return s.buf, nil
}

type serializer struct {
	vm  *goja.Runtime
	ids map[*goja.Object]uint64
	buf []byte
}

func (s *serializer) tag(t byte)       { s.buf = append(s.buf, t) }
func (s *serializer) uvarint(n uint64) { s.buf = binary.AppendUvarint(s.buf, n) }
func (s *serializer) str(x string)     { s.uvarint(uint64(len(x))); s.buf = append(s.buf, x...) }
func (s *serializer) raw(b []byte)     { s.uvarint(uint64(len(b))); s.buf = append(s.buf, b...) }
func (s *serializer) float(f float64) {
	s.buf = binary.LittleEndian.AppendUint64(s.buf, math.Float64bits(f))
}
func (s *serializer) fail(what string) error {
	return &DOMError{Name: "DataCloneError", Message: what + " could not be cloned."}
}

func (s *serializer) value(v goja.Value) error {
	switch {
	case v == nil || goja.IsUndefined(v):
		s.tag(tagUndefined)
		return nil
	case goja.IsNull(v):
		s.tag(tagNull)
		return nil
	}
	if _, ok := v.(*goja.Symbol); ok {
		return s.fail(v.String())
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		return s.primitive(v)
	}
	if id, seen := s.ids[obj]; seen {
		s.tag(tagRef)
		s.uvarint(id)
		return nil
	}
	if _, isFn := goja.AssertFunction(obj); isFn {
		return s.fail(fmt.Sprintf("function %s", obj.Get("name")))
	}
	s.ids[obj] = uint64(len(s.ids))
	vm := s.vm
	switch obj.ClassName() {
	case "Array":
		s.tag(tagArray)
		s.uvarint(uint64(obj.Get("length").ToInteger()))
		return s.entries(obj)
	case "Date":
		getTime, _ := goja.AssertFunction(obj.Get("getTime"))
		t, err := getTime(obj)
		if err != nil {
			return err
		}
		s.tag(tagDate)
		s.float(t.ToFloat())
		return nil
	case "RegExp":
		s.tag(tagRegExp)
		s.str(obj.Get("source").String())
		s.str(obj.Get("flags").String())
		return nil
	case "Error":
		s.tag(tagError)
		s.str(obj.Get("name").String())
		s.str(obj.Get("message").String())
		stack := ""
		if st := obj.Get("stack"); st != nil && !goja.IsUndefined(st) {
			stack = st.String()
		}
		s.str(stack)
		if cause := obj.Get("cause"); cause != nil && !goja.IsUndefined(cause) {
			s.tag(1)
			return s.value(cause)
		}
		s.tag(0)
		return nil
	case "String", "Number", "Boolean", "BigInt":
		if prim := obj.Export(); prim != nil {
			s.tag(tagBoxed)
			return s.primitive(vm.ToValue(prim))
		}
	}
	if ab, ok := obj.Export().(goja.ArrayBuffer); ok {
		s.tag(tagArrayBuffer)
		s.raw(ab.Bytes())
		return nil
	}
	if isView(vm, obj) {
		name := obj.Get("constructor").ToObject(vm).Get("name").String()
		if name == "Buffer" {
			name = "Uint8Array"
		}
		s.tag(tagView)
		s.str(name)
		if err := s.value(obj.Get("buffer")); err != nil {
			return err
		}
		s.uvarint(uint64(obj.Get("byteOffset").ToInteger()))
		length := obj.Get("length")
		if length == nil || goja.IsUndefined(length) {
			length = obj.Get("byteLength") // DataView
		}
		s.uvarint(uint64(length.ToInteger()))
		return nil
	}
	switch {
	case instanceOf(vm, obj, "Map"):
		var items []goja.Value
		vm.ForOf(obj, func(cur goja.Value) bool {
			pair := cur.ToObject(vm)
			items = append(items, pair.Get("0"), pair.Get("1"))
			return true
		})
		s.tag(tagMap)
		s.uvarint(uint64(len(items) / 2))
		for _, it := range items {
			if err := s.value(it); err != nil {
				return err
			}
		}
		return nil
	case instanceOf(vm, obj, "Set"):
		var items []goja.Value
		vm.ForOf(obj, func(cur goja.Value) bool {
			items = append(items, cur)
			return true
		})
		s.tag(tagSet)
		s.uvarint(uint64(len(items)))
		for _, it := range items {
			if err := s.value(it); err != nil {
				return err
			}
		}
		return nil
	}
	for _, name := range []string{"WeakMap", "WeakSet", "Promise", "WeakRef"} {
		if instanceOf(vm, obj, name) {
			return s.fail(name)
		}
	}
	s.tag(tagObject)
	return s.entries(obj)
}

// entries writes an object's own enumerable string-keyed properties.
func (s *serializer) entries(obj *goja.Object) error {
	keys := obj.Keys()
	s.uvarint(uint64(len(keys)))
	for _, k := range keys {
		s.str(k)
		if err := s.value(obj.Get(k)); err != nil {
			return err
		}
	}
	return nil
}

func (s *serializer) primitive(v goja.Value) error {
	switch x := v.Export().(type) {
	case bool:
		if x {
			s.tag(tagTrue)
		} else {
			s.tag(tagFalse)
		}
	case int64:
		s.tag(tagInt)
		s.buf = binary.AppendVarint(s.buf, x)
	case float64:
		s.tag(tagNumber)
		s.float(x)
	case string:
		s.tag(tagString)
		s.str(x)
	default:
		if goja.IsBigInt(v) {
			s.tag(tagBigInt)
			s.str(v.String())
			return nil
		}
		return s.fail(v.String())
	}
	return nil
}

// Deserialize rebuilds a value written by Serialize in vm. Loop goroutine
// only.
func Deserialize(vm *goja.Runtime, data []byte) (v goja.Value, err error) {
	if len(data) == 0 || data[0] != cloneVersion {
		return nil, errors.New("structured clone: unknown serialisation format")
	}
	d := &deserializer{vm: vm, buf: data[1:]}
	if ex := vm.Try(func() { v, err = d.value() }); ex != nil {
		return nil, ex
	}
	if err == nil && len(d.buf) != 0 {
		err = errors.New("structured clone: trailing data")
	}
	return v, err
}

type deserializer struct {
	vm   *goja.Runtime
	buf  []byte
	objs []*goja.Object
}

var errCorrupt = errors.New("structured clone: corrupt data")

func (d *deserializer) byte() (byte, error) {
	if len(d.buf) == 0 {
		return 0, errCorrupt
	}
	b := d.buf[0]
	d.buf = d.buf[1:]
	return b, nil
}

func (d *deserializer) uvarint() (uint64, error) {
	n, k := binary.Uvarint(d.buf)
	if k <= 0 {
		return 0, errCorrupt
	}
	d.buf = d.buf[k:]
	return n, nil
}

func (d *deserializer) bytes() ([]byte, error) {
	n, err := d.uvarint()
	if err != nil || n > uint64(len(d.buf)) {
		return nil, errCorrupt
	}
	b := d.buf[:n]
	d.buf = d.buf[n:]
	return b, nil
}

func (d *deserializer) str() (string, error) {
	b, err := d.bytes()
	return string(b), err
}

func (d *deserializer) float() (float64, error) {
	if len(d.buf) < 8 {
		return 0, errCorrupt
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(d.buf))
	d.buf = d.buf[8:]
	return f, nil
}

// register numbers a new object (slot reserved by reserve, or appended).
func (d *deserializer) register(obj *goja.Object) *goja.Object {
	d.objs = append(d.objs, obj)
	return obj
}

func (d *deserializer) construct(ctor string, args ...goja.Value) (*goja.Object, error) {
	return d.vm.New(d.vm.Get(ctor), args...)
}

func (d *deserializer) value() (goja.Value, error) {
	vm := d.vm
	t, err := d.byte()
	if err != nil {
		return nil, err
	}
	switch t {
	case tagUndefined:
		return goja.Undefined(), nil
	case tagNull:
		return goja.Null(), nil
	case tagTrue:
		return vm.ToValue(true), nil
	case tagFalse:
		return vm.ToValue(false), nil
	case tagInt:
		n, k := binary.Varint(d.buf)
		if k <= 0 {
			return nil, errCorrupt
		}
		d.buf = d.buf[k:]
		return vm.ToValue(n), nil
	case tagNumber:
		f, err := d.float()
		return vm.ToValue(f), err
	case tagString:
		s, err := d.str()
		return vm.ToValue(s), err
	case tagBigInt:
		s, err := d.str()
		if err != nil {
			return nil, err
		}
		return vm.RunString(s + "n")
	case tagRef:
		n, err := d.uvarint()
		if err != nil || n >= uint64(len(d.objs)) || d.objs[n] == nil {
			return nil, errCorrupt
		}
		return d.objs[n], nil
	case tagDate:
		f, err := d.float()
		if err != nil {
			return nil, err
		}
		obj, err := d.construct("Date", vm.ToValue(f))
		if err != nil {
			return nil, err
		}
		return d.register(obj), nil
	case tagRegExp:
		src, err := d.str()
		if err != nil {
			return nil, err
		}
		flags, err := d.str()
		if err != nil {
			return nil, err
		}
		obj, err := d.construct("RegExp", vm.ToValue(src), vm.ToValue(flags))
		if err != nil {
			return nil, err
		}
		return d.register(obj), nil
	case tagArrayBuffer:
		b, err := d.bytes()
		if err != nil {
			return nil, err
		}
		return d.register(vm.ToValue(vm.NewArrayBuffer(append([]byte(nil), b...))).(*goja.Object)), nil
	case tagView:
		slot := len(d.objs)
		d.objs = append(d.objs, nil)
		name, err := d.str()
		if err != nil {
			return nil, err
		}
		switch name {
		case "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
			"Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array", "DataView":
		default:
			name = "Uint8Array"
		}
		buf, err := d.value()
		if err != nil {
			return nil, err
		}
		off, err := d.uvarint()
		if err != nil {
			return nil, err
		}
		n, err := d.uvarint()
		if err != nil {
			return nil, err
		}
		obj, err := d.construct(name, buf, vm.ToValue(off), vm.ToValue(n))
		if err != nil {
			return nil, err
		}
		d.objs[slot] = obj
		return obj, nil
	case tagArray:
		n, err := d.uvarint()
		if err != nil {
			return nil, err
		}
		arr := d.register(vm.NewArray())
		_ = arr.Set("length", n)
		return arr, d.entries(arr)
	case tagObject:
		obj := d.register(vm.NewObject())
		return obj, d.entries(obj)
	case tagMap, tagSet:
		ctor, method := "Map", "set"
		if t == tagSet {
			ctor, method = "Set", "add"
		}
		obj, err := d.construct(ctor)
		if err != nil {
			return nil, err
		}
		d.register(obj)
		add, _ := goja.AssertFunction(obj.Get(method))
		n, err := d.uvarint()
		if err != nil {
			return nil, err
		}
		for i := uint64(0); i < n; i++ {
			args := make([]goja.Value, 1, 2)
			if args[0], err = d.value(); err != nil {
				return nil, err
			}
			if t == tagMap {
				v, err := d.value()
				if err != nil {
					return nil, err
				}
				args = append(args, v)
			}
			if _, err := add(obj, args...); err != nil {
				return nil, err
			}
		}
		return obj, nil
	case tagError:
		slot := len(d.objs)
		d.objs = append(d.objs, nil)
		name, err := d.str()
		if err != nil {
			return nil, err
		}
		msg, err := d.str()
		if err != nil {
			return nil, err
		}
		stack, err := d.str()
		if err != nil {
			return nil, err
		}
		ctor := "Error"
		switch name {
		case "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError":
			ctor = name
		}
		obj, err := d.construct(ctor, vm.ToValue(msg))
		if err != nil {
			return nil, err
		}
		if ctor != name {
			_ = obj.Set("name", name)
		}
		if stack != "" {
			_ = obj.Set("stack", stack)
		}
		d.objs[slot] = obj
		hasCause, err := d.byte()
		if err != nil {
			return nil, err
		}
		if hasCause == 1 {
			cause, err := d.value()
			if err != nil {
				return nil, err
			}
			_ = obj.Set("cause", cause)
		}
		return obj, nil
	case tagBoxed:
		slot := len(d.objs)
		d.objs = append(d.objs, nil)
		prim, err := d.value()
		if err != nil {
			return nil, err
		}
		obj := prim.ToObject(vm)
		d.objs[slot] = obj
		return obj, nil
	}
	return nil, errCorrupt
}

func (d *deserializer) entries(obj *goja.Object) error {
	n, err := d.uvarint()
	if err != nil {
		return err
	}
	for i := uint64(0); i < n; i++ {
		k, err := d.str()
		if err != nil {
			return err
		}
		v, err := d.value()
		if err != nil {
			return err
		}
		if err := obj.Set(k, v); err != nil {
			return err
		}
	}
	return nil
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
