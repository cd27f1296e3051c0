package runtime

import (
	"fmt"

	"github.com/dop251/goja"
)

// RunFactory runs prog, a compiled JS file whose value is a factory function
// (the shape of every JS half of a built-in module), calls it with args and
// returns the object it builds. name names the file in errors.
func RunFactory(vm *goja.Runtime, prog *goja.Program, name string, args ...goja.Value) (*goja.Object, error) {
	factory, err := vm.RunProgram(prog)
	if err != nil {
		return nil, err
	}
	fn, ok := goja.AssertFunction(factory)
	if !ok {
		return nil, fmt.Errorf("%s: the factory is not a function", name)
	}
	v, err := fn(goja.Undefined(), args...)
	if err != nil {
		return nil, err
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		return nil, fmt.Errorf("%s: the factory built no object", name)
	}
	return obj, nil
}
