package value

import (
	"bytes"
	"math"
)

// Equal reports whether a and b serialize to the same JSON text with secrets
// in plaintext: the TypeScript library's rule for "props did not change". Key
// order matters, as it does for that comparison; a non-finite number equals
// null; secrets are compared by plaintext; nil (undefined) equals only nil.
func Equal(a, b Value) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if isNullish(a) || isNullish(b) {
		return isNullish(a) && isNullish(b)
	}
	switch a := a.(type) {
	case Bool:
		b, ok := b.(Bool)
		return ok && a == b
	case Number:
		b, ok := b.(Number)
		return ok && a == b
	case String:
		b, ok := b.(String)
		return ok && a == b
	case Array:
		b, ok := b.(Array)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !Equal(orNull(a[i]), orNull(b[i])) {
				return false
			}
		}
		return true
	case *Object:
		b, ok := b.(*Object)
		return ok && objectsEqual(a, b)
	case *Secret:
		b, ok := b.(*Secret)
		return ok && (a == b || Equal(a.Value, b.Value))
	case Date:
		b, ok := b.(Date)
		return ok && a == b
	case Symbol:
		b, ok := b.(Symbol)
		return ok && a == b
	case ScopeRef:
		_, ok := b.(ScopeRef)
		return ok
	case Buffer:
		b, ok := b.(Buffer)
		return ok && bytes.Equal(a, b)
	}
	return false
}

func objectsEqual(a, b *Object) bool {
	if a == b {
		return true
	}
	if len(a.keys) != len(b.keys) {
		return false
	}
	for i, k := range a.keys {
		if b.keys[i] != k || !Equal(a.vals[i], b.vals[i]) {
			return false
		}
	}
	return true
}

func isNullish(v Value) bool {
	switch v := v.(type) {
	case Null:
		return true
	case Number:
		return math.IsNaN(float64(v)) || math.IsInf(float64(v), 0)
	}
	return false
}

func orNull(v Value) Value {
	if v == nil {
		return Null{}
	}
	return v
}

// Clone returns a deep copy of v. Secrets keep their identity (they are
// immutable); everything else is copied.
func Clone(v Value) Value {
	switch v := v.(type) {
	case Array:
		c := make(Array, len(v))
		for i, item := range v {
			c[i] = Clone(item)
		}
		return c
	case *Object:
		if v == nil {
			return v
		}
		c := v.Clone()
		for i := range c.vals {
			c.vals[i] = Clone(c.vals[i])
		}
		return c
	case Buffer:
		return Buffer(bytes.Clone(v))
	}
	return v
}
