package testrun

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime"
)

// DefaultTimeout bounds each test and hook unless the file or the command
// line says otherwise.
const DefaultTimeout = 30 * time.Second

// Options configure the run of one test file.
type Options struct {
	// File names the file in results, relative to the working directory.
	File string
	// Filter, when set, decides from a test's describe names and name
	// whether it runs (-t); tests it refuses are skipped silently.
	Filter func(path []string) bool
	// Keep leaves what failed tests created, and what the file's app holds
	// at its end, in place (--keep).
	Keep bool
	// Timeout bounds each test and hook that sets none (DefaultTimeout
	// when zero).
	Timeout time.Duration
	// Bail, when set, is raised by the first failure; tests not yet
	// started are then skipped (--bail), in every file sharing it.
	Bail *atomic.Bool
	// Globals makes the vitest exports globals of the file.
	Globals bool
	// OnResult receives each result as it is known, on the goroutine that
	// called RunFile.
	OnResult func(Result)
}

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}

// fileRun is the state of one RunFile call.
type fileRun struct {
	opts    Options
	host    *runtime.Host
	start   time.Time
	results []Result
	// finished is set when the runner settled: ending the loop then is the
	// normal end of the file.
	finished bool
}

// RunFile runs a bundled test file in h and returns its results. h's module
// registry must hold Modules() and the "alchemy" module. The file's
// teardown (alchemy.test destroying what its app still holds) always runs,
// even when the file ends with an uncaught error or is interrupted (ctx):
// it then runs in a second turn of h's loop, which ctx does not cancel.
func RunFile(ctx context.Context, h *runtime.Host, s runtime.Script, opts Options) FileResult {
	fr := &fileRun{opts: opts, host: h, start: time.Now()}
	if _, err := h.Local(runKey{}, func() (any, error) { return fr, nil }); err != nil {
		fr.fileError(err, "load")
		return fr.result()
	}
	prog, err := h.Compile(s)
	if err != nil {
		fr.fileError(err, "load")
		return fr.result()
	}
	var r *realm
	runCtx, finish := context.WithCancel(ctx)
	defer finish()
	loop := h.Loop()
	err = loop.Run(runCtx, func(vm *goja.Runtime) (goja.Value, error) {
		var err error
		if r, err = realmOf(h); err != nil {
			return nil, err
		}
		if opts.Globals {
			r.installGlobals(vm)
		}
		fnv, err := vm.RunProgram(prog)
		if err != nil {
			return nil, err
		}
		program, ok := goja.AssertFunction(fnv)
		if !ok {
			return nil, errors.New("the bundle did not evaluate to a function")
		}
		main, err := program(goja.Undefined())
		if err != nil {
			return nil, err
		}
		done, err := r.run(goja.Undefined(), main)
		if err != nil {
			return nil, err
		}
		// The runner has settled: end the loop even if the file left
		// timers behind.
		err = loop.Then(done, func(*goja.Runtime, goja.Value, bool) error {
			fr.finished = true
			finish()
			return nil
		})
		return done, err
	})
	switch {
	case err == nil, fr.finished && errors.Is(err, runtime.ErrInterrupted):
	case errors.Is(err, runtime.ErrInterrupted):
		fr.fileError(errors.New("interrupted"), "interrupted")
	default:
		fr.fileError(err, "uncaught")
	}
	if r != nil && !fr.cleaned(r) {
		// The file stopped before its teardown: run it on its own.
		cerr := loop.Run(context.WithoutCancel(ctx), func(*goja.Runtime) (goja.Value, error) {
			return r.cleanup(goja.Undefined())
		})
		if cerr != nil {
			fr.fileError(cerr, "cleanup")
		}
	}
	return fr.result()
}

// cleaned reports whether the runner's teardown ran. Off the loop only
// (the loop is not running).
func (fr *fileRun) cleaned(r *realm) bool {
	v, err := r.isCleaned(goja.Undefined())
	return err == nil && v.ToBoolean()
}

func (fr *fileRun) result() FileResult {
	return FileResult{File: fr.opts.File, Results: fr.results, Duration: time.Since(fr.start)}
}

func (fr *fileRun) add(res Result) {
	res.File = fr.opts.File
	fr.results = append(fr.results, res)
	if res.State == Failed && fr.opts.Bail != nil {
		fr.opts.Bail.Store(true)
	}
	if fr.opts.OnResult != nil {
		fr.opts.OnResult(res)
	}
}

// fileError records a failure of the file itself (not of one test).
func (fr *fileRun) fileError(err error, where string) {
	f := &Failure{Message: err.Error(), Report: fr.host.FormatError(err)}
	var se *runtime.ScriptError
	if errors.As(err, &se) {
		f.Message = se.Message
		if loc, ok := se.Location(); ok {
			f.Location = fr.location(loc)
		}
	}
	fr.add(Result{State: Failed, Reason: where, Failure: f})
}

// report turns a report of vitest.js into a Result.
func (fr *fileRun) report(vm *goja.Runtime, v goja.Value) {
	obj, ok := v.(*goja.Object)
	if !ok {
		return
	}
	str := func(name string) string {
		x := obj.Get(name)
		if x == nil || goja.IsUndefined(x) || goja.IsNull(x) {
			return ""
		}
		return x.String()
	}
	res := Result{Name: str("name"), Reason: str("reason")}
	_ = vm.ExportTo(obj.Get("path"), &res.Path)
	switch str("state") {
	case "pass":
		res.State = Passed
	case "fail":
		res.State = Failed
	case "todo":
		res.State = Todo
	default:
		res.State = Skipped
	}
	if d := obj.Get("duration"); d != nil && !goja.IsUndefined(d) {
		res.Duration = time.Duration(d.ToFloat() * float64(time.Millisecond))
	}
	if res.State == Failed {
		res.Failure = fr.failure(vm, obj.Get("error"))
	}
	fr.add(res)
}

// failure describes a thrown value: its message, the original location
// of the innermost frame in the user's files, the formatted error with
// the source line, and the diff an assertion carries.
func (fr *fileRun) failure(vm *goja.Runtime, v goja.Value) *Failure {
	if v == nil {
		v = goja.Undefined()
	}
	se := runtime.NewScriptError(vm, v)
	f := &Failure{Message: se.Message, Report: fr.host.FormatError(se)}
	if loc, ok := se.Location(); ok {
		f.Location = fr.location(loc)
	}
	if obj, ok := v.(*goja.Object); ok {
		if d := obj.Get("diff"); d != nil && !goja.IsUndefined(d) && !goja.IsNull(d) {
			f.Diff = d.String()
		}
	}
	return f
}

func (fr *fileRun) location(f runtime.Frame) *Location {
	file := f.File
	if rel, err := filepath.Rel(fr.host.Dir(), file); err == nil && !strings.HasPrefix(rel, "..") {
		file = rel
	}
	return &Location{File: file, Line: f.Line, Column: f.Column}
}

// LoadFailure is the result of a file that could not be bundled or set
// up; report is the error as it is printed.
func LoadFailure(file string, err error, report string) FileResult {
	if report == "" {
		report = fmt.Sprintf("error: %v\n", err)
	}
	return FileResult{File: file, Results: []Result{{File: file, State: Failed, Reason: "load",
		Failure: &Failure{Message: err.Error(), Report: report}}}}
}
