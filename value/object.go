package value

import (
	"slices"
	"strconv"
	"strings"
)

// Object is a JavaScript object with the key order the TypeScript library's
// serializer produces: array-index keys ("0", "7", "42") in ascending numeric
// order, then symbol keys ("Symbol(…)") in insertion order, then the other
// string keys in insertion order. Keeping that order on insert means that
// iterating an Object is iterating its serialized form.
type Object struct {
	keys  []string
	vals  []Value
	nInt  int            // leading array-index keys
	nSym  int            // symbol keys following them
	index map[string]int // key → position, built for larger objects
}

// indexThreshold is the size from which lookups go through a map instead of
// a linear scan; most state objects are small.
const indexThreshold = 12

// NewObject returns an empty object with room for n keys.
func NewObject(n int) *Object {
	return &Object{keys: make([]string, 0, n), vals: make([]Value, 0, n)}
}

// Obj builds an object from alternating keys and values:
// Obj("path", String("a.txt"), "content", String("hi")).
func Obj(kv ...any) *Object {
	if len(kv)%2 != 0 {
		panic("value.Obj: odd number of arguments")
	}
	o := NewObject(len(kv) / 2)
	for i := 0; i < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1].(Value))
	}
	return o
}

// IsSymbolKey reports whether key is the string form of a symbol key.
func IsSymbolKey(key string) bool {
	return len(key) >= 8 && strings.HasPrefix(key, "Symbol(") && key[len(key)-1] == ')'
}

// isArrayIndex reports whether key is a canonical array index, which
// JavaScript orders before all other string keys.
func isArrayIndex(key string) bool {
	if key == "" || len(key) > 10 {
		return false
	}
	if key == "0" {
		return true
	}
	if key[0] < '1' || key[0] > '9' {
		return false
	}
	for i := 1; i < len(key); i++ {
		if key[i] < '0' || key[i] > '9' {
			return false
		}
	}
	n, err := strconv.ParseUint(key, 10, 64)
	return err == nil && n < 1<<32-1
}

// Len returns the number of keys.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.keys)
}

func (o *Object) find(key string) int {
	if o == nil {
		return -1
	}
	if o.index != nil {
		if i, ok := o.index[key]; ok {
			return i
		}
		return -1
	}
	for i, k := range o.keys {
		if k == key {
			return i
		}
	}
	return -1
}

// Has reports whether key is present.
func (o *Object) Has(key string) bool { return o.find(key) >= 0 }

// Get returns the value stored under key.
func (o *Object) Get(key string) (Value, bool) {
	if i := o.find(key); i >= 0 {
		return o.vals[i], true
	}
	return nil, false
}

// Set stores v under key, keeping the position of an existing key. A nil v
// (undefined) deletes the key, as assigning undefined and serializing would.
func (o *Object) Set(key string, v Value) {
	if v == nil {
		o.Delete(key)
		return
	}
	if i := o.find(key); i >= 0 {
		o.vals[i] = v
		return
	}
	var pos int
	switch {
	case isArrayIndex(key):
		n, _ := strconv.ParseUint(key, 10, 64)
		pos = sortSearch(o.nInt, func(i int) bool {
			m, _ := strconv.ParseUint(o.keys[i], 10, 64)
			return m > n
		})
		o.nInt++
	case IsSymbolKey(key):
		pos = o.nInt + o.nSym
		o.nSym++
	default:
		pos = len(o.keys)
	}
	o.keys = slices.Insert(o.keys, pos, key)
	o.vals = slices.Insert(o.vals, pos, v)
	switch {
	case pos == len(o.keys)-1 && o.index != nil:
		o.index[key] = pos
	case len(o.keys) >= indexThreshold:
		o.reindex()
	}
}

func sortSearch(n int, f func(int) bool) int {
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if !f(m) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

func (o *Object) reindex() {
	if len(o.keys) < indexThreshold {
		o.index = nil
		return
	}
	if o.index == nil {
		o.index = make(map[string]int, len(o.keys))
	} else {
		clear(o.index)
	}
	for i, k := range o.keys {
		o.index[k] = i
	}
}

// Delete removes key and returns the value it held.
func (o *Object) Delete(key string) (Value, bool) {
	i := o.find(key)
	if i < 0 {
		return nil, false
	}
	v := o.vals[i]
	switch {
	case i < o.nInt:
		o.nInt--
	case i < o.nInt+o.nSym:
		o.nSym--
	}
	o.keys = slices.Delete(o.keys, i, i+1)
	o.vals = slices.Delete(o.vals, i, i+1)
	o.reindex()
	return v, true
}

// Keys returns the keys in serialized order.
func (o *Object) Keys() []string {
	if o == nil {
		return nil
	}
	return slices.Clone(o.keys)
}

// At returns the i-th entry in serialized order.
func (o *Object) At(i int) (string, Value) { return o.keys[i], o.vals[i] }

// All iterates over the entries in serialized order.
func (o *Object) All(yield func(string, Value) bool) {
	if o == nil {
		return
	}
	for i, k := range o.keys {
		if !yield(k, o.vals[i]) {
			return
		}
	}
}

// Clone returns a shallow copy.
func (o *Object) Clone() *Object {
	if o == nil {
		return nil
	}
	c := &Object{
		keys: slices.Clone(o.keys),
		vals: slices.Clone(o.vals),
		nInt: o.nInt,
		nSym: o.nSym,
	}
	c.reindex()
	return c
}

// GetString returns the string stored under key.
func (o *Object) GetString(key string) (string, bool) {
	v, _ := o.Get(key)
	s, ok := v.(String)
	return string(s), ok
}

// GetNumber returns the number stored under key.
func (o *Object) GetNumber(key string) (float64, bool) {
	v, _ := o.Get(key)
	n, ok := v.(Number)
	return float64(n), ok
}

// GetBool returns the boolean stored under key.
func (o *Object) GetBool(key string) (bool, bool) {
	v, _ := o.Get(key)
	b, ok := v.(Bool)
	return bool(b), ok
}

// GetObject returns the object stored under key.
func (o *Object) GetObject(key string) (*Object, bool) {
	v, _ := o.Get(key)
	c, ok := v.(*Object)
	return c, ok
}
