package jsapi

import (
	"context"
	"fmt"
	"strings"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/value"
)

// Export is a module export other than a resource function, described in
// the value model so that a provider package can declare it without goja:
// exactly one of Func, Value or Guard is set.
type Export struct {
	Name string
	// Func is a function of converted arguments (undefined is nil): a
	// binding descriptor factory such as Json(v). Its error is thrown as
	// a JS Error naming the function.
	Func func(args []value.Value) (value.Value, error)
	// Async runs Func off the loop and returns a promise (for factories
	// that read files).
	Async bool
	// Value is a constant.
	Value value.Value
	// Guard is a predicate (value) → boolean, such as isKVNamespace.
	Guard func(v value.Value) bool
	// Members are static members of the export (which then must be a
	// function).
	Members []Export
}

// export returns the JS value of e; owner names the export it is a member
// of, for messages.
func (r *realm) export(e Export, owner string) (goja.Value, error) {
	vm := r.vm
	name := e.Name
	if owner != "" {
		name = owner + "." + e.Name
	}
	var fn *goja.Object
	switch {
	case e.Func != nil:
		fn = vm.ToValue(func(call goja.FunctionCall) goja.Value {
			args, err := r.args(call.Arguments)
			if err != nil {
				r.throw(fmt.Errorf("%s: %w", name, err))
			}
			if e.Async {
				return r.goAsync(func(context.Context) runtime.Settle {
					v, err := e.Func(args)
					if err != nil {
						return runtime.Rejected(naming(name, err))
					}
					return func(*goja.Runtime) (goja.Value, error) { return r.toJS(v, nil), nil }
				})
			}
			v, err := e.Func(args)
			if err != nil {
				r.throw(naming(name, err))
			}
			return r.toJS(v, nil)
		}).(*goja.Object)
	case e.Guard != nil:
		fn = vm.ToValue(func(call goja.FunctionCall) goja.Value {
			v, err := r.toValue(call.Argument(0))
			return vm.ToValue(err == nil && e.Guard(v))
		}).(*goja.Object)
	case e.Value != nil:
		if len(e.Members) > 0 {
			return nil, fmt.Errorf("%s: a constant cannot have members", name)
		}
		return r.toJS(e.Value, nil), nil
	default:
		return nil, fmt.Errorf("%s: the export has no Func, Value or Guard", name)
	}
	_ = fn.DefineDataProperty("name", vm.ToValue(e.Name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	if err := r.addMembers(fn, name, e.Members); err != nil {
		return nil, err
	}
	return fn, nil
}

// naming prefixes an export's error with its name, unless it starts with
// it already.
func naming(name string, err error) error {
	if strings.HasPrefix(err.Error(), name) {
		return err
	}
	return fmt.Errorf("%s: %w", name, err)
}

// addMembers sets the static members of a function export.
func (r *realm) addMembers(fn *goja.Object, owner string, members []Export) error {
	for _, m := range members {
		v, err := r.export(m, owner)
		if err != nil {
			return err
		}
		_ = fn.Set(m.Name, v)
	}
	return nil
}

// args converts the arguments of an export call.
func (r *realm) args(in []goja.Value) ([]value.Value, error) {
	out := make([]value.Value, len(in))
	for i, a := range in {
		v, err := r.toValue(a)
		if err != nil {
			return nil, fmt.Errorf("argument %d: %w", i+1, err)
		}
		out[i] = v
	}
	return out, nil
}
