// Package testrun runs infrastructure test files (`alchemy test`): it
// provides the built-in "vitest" module (describe, test/it, hooks, expect)
// and "alchemy/test/vitest" (alchemy.test), runs one bundled test file in a
// runtime Host and collects its results, finds test files, diffs printed
// values and writes reports for people and machines.
//
// A test file runs like a program: its top level registers suites, tests and
// hooks; the runner then runs the describe factories, decides what runs
// (.only, .skip, the name filter, bail) and runs the tests in order, each
// result reported as it ends. The runner is JavaScript (vitest.js); the Go
// side turns its reports into Results, with errors mapped to their original
// file:line:column.
package testrun

import (
	_ "embed"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime"
)

// Names of the modules this package serves.
const (
	ModuleVitest      = "vitest"
	ModuleAlchemyTest = "alchemy/test/vitest"
)

// vitestExports are the named exports of "vitest", as types/alchemy.d.ts
// declares them. Test files also see them as globals (see Options.Globals).
var vitestExports = []string{"describe", "it", "test", "expect", "vi", "beforeAll", "afterAll", "beforeEach", "afterEach"}

// Modules returns "vitest" and "alchemy/test/vitest". They work in a Host
// that RunFile runs; "alchemy/test/vitest" also needs the "alchemy" module
// in the same registry, whose default export it gives a test method.
func Modules() []runtime.Module {
	return []runtime.Module{
		{
			Name:    ModuleVitest,
			Exports: vitestExports,
			Load: func(h *runtime.Host) (*goja.Object, error) {
				r, err := realmOf(h)
				if err != nil {
					return nil, err
				}
				exports := h.VM().NewObject()
				for _, name := range vitestExports {
					_ = exports.Set(name, r.vitest.Get(name))
				}
				return exports, nil
			},
		},
		{
			Name:    ModuleAlchemyTest,
			Exports: []string{"test"},
			Load: func(h *runtime.Host) (*goja.Object, error) {
				r, err := realmOf(h)
				if err != nil {
					return nil, err
				}
				lib, err := h.Require("alchemy")
				if err != nil {
					return nil, err
				}
				alchemy, ok := lib.Get("default").(*goja.Object)
				if !ok {
					return nil, errors.New(`the "alchemy" module has no default export`)
				}
				// The side effect the library's module has: alchemy.test.
				if err := alchemy.Set("test", r.alchemyTest); err != nil {
					return nil, err
				}
				exports := h.VM().NewObject()
				_ = exports.Set("test", r.alchemyTest)
				return exports, nil
			},
		},
	}
}

//go:embed vitest.js
var librarySource string

//go:embed faketimers.js
var fakeTimersSource string

// libraryProgram is vitest.js compiled once per process.
var libraryProgram = sync.OnceValues(func() (*goja.Program, error) {
	return goja.Compile("alchemy:vitest.js", librarySource, true)
})

// fakeTimersProgram is faketimers.js compiled once per process.
var fakeTimersProgram = sync.OnceValues(func() (*goja.Program, error) {
	return goja.Compile("alchemy:faketimers.js", fakeTimersSource, true)
})

// realm is the test library in one Host. Loop goroutine only.
type realm struct {
	vitest      *goja.Object
	alchemyTest *goja.Object
	run         goja.Callable
	cleanup     goja.Callable
	isCleaned   goja.Callable
}

type realmKey struct{}
type runKey struct{}

// realmOf returns the library of the file h runs, set up on first use.
func realmOf(h *runtime.Host) (*realm, error) {
	v, err := h.Local(realmKey{}, func() (any, error) {
		fr, err := h.Local(runKey{}, func() (any, error) {
			return nil, errors.New("the test modules are only available to files run by alchemy test")
		})
		if err != nil {
			return nil, err
		}
		return newRealm(h, fr.(*fileRun))
	})
	if err != nil {
		return nil, err
	}
	return v.(*realm), nil
}

func newRealm(h *runtime.Host, fr *fileRun) (*realm, error) {
	prog, err := libraryProgram()
	if err != nil {
		return nil, fmt.Errorf("compile vitest.js: %w", err)
	}
	timersProg, err := fakeTimersProgram()
	if err != nil {
		return nil, fmt.Errorf("compile faketimers.js: %w", err)
	}
	vm := h.VM()
	// The fake timers keep the real timers and Date, so they are set up
	// before the file can replace them.
	fakeTimers, err := runtime.RunFactory(vm, timersProg, "faketimers.js")
	if err != nil {
		return nil, err
	}
	natives := fr.natives(vm)
	_ = natives.Set("fakeTimers", fakeTimers)
	lib, err := runtime.RunFactory(vm, prog, "vitest.js", natives)
	if err != nil {
		return nil, err
	}
	r := &realm{}
	var errs []error
	object := func(name string) *goja.Object {
		o, ok := lib.Get(name).(*goja.Object)
		if !ok {
			errs = append(errs, fmt.Errorf("vitest.js: %s is missing", name))
		}
		return o
	}
	callable := func(name string) goja.Callable {
		f, ok := goja.AssertFunction(lib.Get(name))
		if !ok {
			errs = append(errs, fmt.Errorf("vitest.js: %s is not a function", name))
		}
		return f
	}
	r.vitest = object("vitest")
	r.alchemyTest = object("alchemyTest")
	r.run = callable("run")
	r.cleanup = callable("cleanup")
	r.isCleaned = callable("isCleaned")
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return r, nil
}

// installGlobals makes the vitest exports globals of the file, as vitest
// does with globals: true, so that files written for it run unchanged.
func (r *realm) installGlobals(vm *goja.Runtime) {
	global := vm.GlobalObject()
	for _, name := range vitestExports {
		_ = global.DefineDataProperty(name, r.vitest.Get(name), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
}

// natives is the object vitest.js calls into.
func (fr *fileRun) natives(vm *goja.Runtime) *goja.Object {
	n := vm.NewObject()
	set := func(name string, v any) { _ = n.Set(name, v) }
	set("report", func(call goja.FunctionCall) goja.Value {
		fr.report(vm, call.Argument(0))
		return goja.Undefined()
	})
	set("now", func() float64 {
		return float64(time.Since(fr.start).Microseconds()) / 1000
	})
	set("diff", func(expected, received string) string { return Diff(expected, received) })
	set("filter", func(call goja.FunctionCall) goja.Value {
		if fr.opts.Filter == nil {
			return vm.ToValue(true)
		}
		var path []string
		if err := vm.ExportTo(call.Argument(0), &path); err != nil {
			panic(vm.NewTypeError("filter: %v", err))
		}
		return vm.ToValue(fr.opts.Filter(path))
	})
	set("bailed", func() bool { return fr.opts.Bail != nil && fr.opts.Bail.Load() })
	set("keep", fr.opts.Keep)
	set("timeout", float64(fr.opts.timeout().Milliseconds()))
	set("alchemy", func(goja.FunctionCall) goja.Value {
		lib, err := fr.host.Require("alchemy")
		if err != nil {
			return goja.Undefined()
		}
		return lib.Get("default")
	})
	return n
}
