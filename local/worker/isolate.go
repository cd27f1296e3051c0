package worker

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/bundler"
	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/nodelib"
	"github.com/alchemy-go/alchemy/runtime/webapi"
)

//go:embed glue.js
var glueSource string

// glueProgram is glue.js compiled once per process.
var glueProgram = sync.OnceValues(func() (*goja.Program, error) {
	return goja.Compile("alchemy:worker-glue.js", glueSource, true)
})

// isolate is one JS realm of a version: a goja Runtime on its own event
// loop goroutine, with the Worker's globals, env and module instance.
// Requests posted to it run concurrently, interleaved at their awaits.
type isolate struct {
	v        *version
	ready    chan struct{}
	err      error // why the isolate could not start; set before ready closes
	hasFetch bool  // the Worker has a fetch handler; set before ready closes
	inflight atomic.Int32
	stop     context.CancelFunc
	stopped  chan struct{}
	host     *runtime.Host
	loop     *runtime.Loop

	// Loop goroutine only.
	glue    glueFuncs
	nextID  int64
	pending map[int64]*call
	streams map[int64]*bodyStream
	objects objectStores

	// sockets are the isolate's WebSocket ports (any goroutine).
	sockets socketTable
	// base is the context of what runs for no call (top-level code,
	// WebSocket events): it names the isolate, as every call's does.
	base context.Context

	// live holds the pending calls that came through invoke by id, for
	// the transport (which runs off the loop) to find the call a fetch
	// belongs to.
	live sync.Map // int64 → *call
}

type isolateKey struct{}

// glueFuncs are the dispatch functions of glue.js.
type glueFuncs struct {
	obj                                                             *goja.Object
	fetch, pump, scheduled, queue, serviceFetch, serviceRPC, object goja.Callable
}

// call is one event an isolate handles (a request, an RPC call, a batch):
// the glue reports its outcome with native.done(id, value, error).
type call struct {
	id     int64
	what   string // for the log: "GET /path", "queue jobs", …
	finish func(vm *goja.Runtime, v, jsErr goja.Value)
	fail   func(err error)
	done   bool
	// ctx is the context of the call's subrequests: it carries the
	// call's depth in its request chain, and is cancelled when whoever
	// waited for the call's outcome gave up first. It outlives the
	// outcome, for work the call leaves running (waitUntil). Nil for an
	// alarm.
	ctx context.Context
}

// frame is the async context of the JS running for a call: the call, and
// the stores of AsyncLocalStorage instances (copied on write).
type frame struct {
	call   *call
	stores map[*goja.Object]goja.Value
}

func newIsolate(v *version) *isolate {
	rt := v.w.rt
	iso := &isolate{
		v: v, ready: make(chan struct{}), stopped: make(chan struct{}),
		pending: map[int64]*call{}, streams: map[int64]*bodyStream{},
	}
	iso.base = context.WithValue(context.Background(), callerKey{}, iso)
	logw := rt.log.tagged(v.w.key.script)
	iso.host = runtime.New(runtime.Config{
		Dir: "/", Env: runtime.NewEnv(v.processEnv()), Stdout: logw, Stderr: logw,
		Modules: rt.registry, NoProcess: !v.nodeCompat,
	})
	iso.loop = iso.host.Loop()
	if rt.opts.CPULimit > 0 {
		// Evaluating a large bundle may take longer than a request may:
		// startup gets its own, larger budget (see boot).
		iso.loop.SetJobLimit(max(rt.opts.CPULimit, startupLimit))
	}
	ctx, cancel := context.WithCancel(rt.ctx)
	iso.stop = cancel
	go func() {
		defer close(iso.stopped)
		iso.loop.ServeFailures(ctx, iso.onFailure)
		iso.sockets.closeAll()
		iso.objects.closeAll()
	}()
	go iso.boot(ctx)
	return iso
}

// boot evaluates the Worker's code in the isolate.
func (iso *isolate) boot(ctx context.Context) {
	defer close(iso.ready)
	_, err := runtime.Call(ctx, iso.loop, func(vm *goja.Runtime) (goja.Value, error) {
		if err := iso.setup(vm); err != nil {
			return nil, err
		}
		fnv, err := iso.host.Evaluate(iso.v.prog)
		if err != nil {
			return nil, err
		}
		fn, ok := goja.AssertFunction(fnv)
		if !ok {
			return nil, errors.New("the Worker bundle did not evaluate to a function")
		}
		return fn(goja.Undefined())
	}, func(vm *goja.Runtime, _ goja.Value) (struct{}, error) {
		global := vm.GlobalObject()
		entry := global.Get(bundler.EntryGlobal)
		_ = global.Delete(bundler.EntryGlobal)
		setModule, _ := goja.AssertFunction(iso.glue.obj.Get("setModule"))
		if iso.v.classic {
			entry = goja.Undefined()
		}
		if _, err := setModule(iso.glue.obj, entry); err != nil {
			return struct{}{}, err
		}
		handles, _ := goja.AssertFunction(iso.glue.obj.Get("handles"))
		has, err := handles(iso.glue.obj, vm.ToValue("fetch"))
		if err != nil {
			return struct{}{}, err
		}
		iso.hasFetch = has.ToBoolean()
		return struct{}{}, nil
	})
	if err != nil {
		iso.err = &loadError{err: err, text: "the Worker failed to start: " + iso.host.FormatError(err)}
	}
	if limit := iso.v.w.rt.opts.CPULimit; limit > 0 {
		iso.loop.SetJobLimit(limit)
	}
}

// startupLimit is how long evaluating a Worker's top-level code may take.
const startupLimit = 10 * time.Second

// setup installs the globals, the glue and the env before the Worker's
// code runs.
func (iso *isolate) setup(vm *goja.Runtime) error {
	h := iso.host
	_, _ = h.Local(isolateKey{}, func() (any, error) { return iso, nil })
	webapi.Install(h)
	webapi.SetTransport(h, &localTransport{rt: iso.v.w.rt, iso: iso})
	if iso.v.nodeCompat {
		nodelib.InstallGlobals(h)
	}
	global := vm.GlobalObject()
	_ = global.Set("self", global)
	navigator := vm.NewObject()
	_ = navigator.Set("userAgent", "Cloudflare-Workers")
	_ = navigator.Set("hardwareConcurrency", 1)
	_ = navigator.Set("language", "en")
	_ = global.Set("navigator", navigator)

	prog, err := glueProgram()
	if err != nil {
		return fmt.Errorf("compile the worker glue: %w", err)
	}
	internals, err := webapi.FetchInternals(h)
	if err != nil {
		return err
	}
	sockets, err := iso.setupWebSockets(vm)
	if err != nil {
		return err
	}
	g, err := runtime.RunFactory(vm, prog, "the worker glue", iso.natives(vm), internals, sockets)
	if err != nil {
		return err
	}
	get := func(name string) goja.Callable {
		f, _ := goja.AssertFunction(g.Get(name))
		return f
	}
	iso.glue = glueFuncs{obj: g, fetch: get("fetch"), pump: get("pump"), scheduled: get("scheduled"), queue: get("queue"),
		serviceFetch: get("serviceFetch"), serviceRPC: get("serviceRPC"), object: get("object")}
	_ = global.Set("caches", cacheStorage(vm))
	if err := installHTMLRewriter(vm); err != nil {
		return err
	}
	if iso.v.classic {
		_ = global.Set("addEventListener", g.Get("addEventListener"))
	}
	makeEnv, _ := goja.AssertFunction(g.Get("makeEnv"))
	envV, err := makeEnv(g, iso.bindingDescriptions(vm))
	if err != nil {
		return err
	}
	if iso.v.classic {
		env := envV.(*goja.Object)
		for _, k := range env.Keys() {
			_ = global.Set(k, env.Get(k))
		}
	}
	return nil
}

// natives are the Go functions glue.js calls.
func (iso *isolate) natives(vm *goja.Runtime) *goja.Object {
	n := vm.NewObject()
	set := func(name string, fn func(goja.FunctionCall) goja.Value) { _ = n.Set(name, fn) }
	set("done", iso.nDone)
	set("report", func(c goja.FunctionCall) goja.Value {
		iso.logError(c.Argument(1).String(), runtime.NewScriptError(vm, c.Argument(0)))
		return goja.Undefined()
	})
	set("write", iso.nWrite)
	set("callTag", func(goja.FunctionCall) goja.Value {
		var id int64
		if cl := iso.currentCall(); cl != nil && cl.ctx != nil {
			id = cl.id
		}
		return vm.ToValue(callTag(depthOf(iso.callContext()), id))
	})
	_ = n.Set("callHeader", callHeader)
	set("end", iso.nEnd)
	iso.bindingNatives(vm, set)
	iso.objectNatives(vm, set)
	return n
}

func (iso *isolate) nDone(c goja.FunctionCall) goja.Value {
	id := c.Argument(0).ToInteger()
	cl := iso.pending[id]
	if cl == nil {
		return goja.Undefined()
	}
	iso.finished(cl)
	var jsErr goja.Value
	if e := c.Argument(2); len(c.Arguments) > 2 && !goja.IsUndefined(e) {
		jsErr = e
	}
	cl.finish(iso.host.VM(), c.Argument(1), jsErr)
	return goja.Undefined()
}

// onFailure handles a failed job: a call stopped by the CPU budget fails
// with a 500; other failures are logged with the call they belong to.
func (iso *isolate) onFailure(f runtime.Failure) {
	var cl *call
	if fr, ok := f.Context.(*frame); ok {
		cl = fr.call
	}
	var limit *runtime.JobLimitError
	if errors.As(f.Err, &limit) {
		err := &runtime.ScriptError{
			Message: fmt.Sprintf("Error: Worker exceeded the CPU time limit (%v of JavaScript without yielding)", limit.Limit),
			Frames:  f.Frames,
		}
		what := "a task"
		if cl != nil {
			what = cl.what
		}
		iso.logError(what, err)
		if cl != nil && !cl.done {
			iso.finished(cl)
			cl.fail(&callError{status: 500, code: 1102, title: "Worker exceeded resource limits", err: err, text: iso.host.FormatError(err)})
		}
		return
	}
	what := "uncaught error"
	if cl != nil {
		what = cl.what
	}
	var panicked *runtime.PanicError
	if errors.As(f.Err, &panicked) {
		iso.v.w.rt.log.line(iso.v.w.key.script, fmt.Sprintf("%s: %v\n%s", what, f.Err, panicked.Stack))
		if cl != nil && !cl.done {
			iso.finished(cl)
			cl.fail(&callError{status: 500, code: 1101, title: "Worker threw exception", err: f.Err, text: f.Err.Error()})
		}
		return
	}
	iso.logError(what, f.Err)
}

// logError writes a script error to the log, source-mapped.
func (iso *isolate) logError(what string, err error) {
	iso.v.w.rt.log.line(iso.v.w.key.script, what+": "+iso.host.FormatError(err))
}

// callError is a call that failed: the Worker threw, or was stopped.
type callError struct {
	status int
	code   int    // Cloudflare's error number (1101 threw, 1102 limits)
	title  string // Cloudflare's error title
	err    error
	text   string // the formatted, source-mapped error
}

func (e *callError) Error() string { return e.text }
func (e *callError) Unwrap() error { return e.err }

// scriptFailure turns a value thrown by the Worker into a call error, and
// logs it.
func (iso *isolate) scriptFailure(vm *goja.Runtime, what string, jsErr goja.Value) *callError {
	se := runtime.NewScriptError(vm, jsErr)
	iso.logError(what, se)
	return &callError{status: 500, code: 1101, title: "Worker threw exception", err: se, text: iso.host.FormatError(se)}
}

// invoke runs a call on the isolate and waits for its outcome: begin
// starts it on the loop (calling into the glue with the call's id) and
// finish turns the glue's result into T on the loop.
func invoke[T any](ctx context.Context, iso *isolate, what string,
	begin func(vm *goja.Runtime, id int64) error,
	finish func(vm *goja.Runtime, v, jsErr goja.Value) (T, error),
) (T, error) {
	type outcome struct {
		v   T
		err error
	}
	out := make(chan outcome, 1)
	iso.inflight.Add(1)
	defer iso.inflight.Add(-1)
	// The call's context lives on after its outcome, for work the call
	// leaves running (waitUntil), unless ctx ends first: then nobody waits
	// for the outcome any more, the call's pending subrequests are
	// cancelled and any it makes from now on fail.
	callCtx, abandon := context.WithCancelCause(context.WithValue(context.WithoutCancel(ctx), callerKey{}, iso))
	watch := context.AfterFunc(ctx, func() { abandon(context.Cause(ctx)) })
	posted := iso.loop.Post(func(vm *goja.Runtime) error {
		iso.nextID++
		cl := &call{id: iso.nextID, what: what, ctx: callCtx}
		cl.finish = func(vm *goja.Runtime, v, jsErr goja.Value) {
			r, err := finish(vm, v, jsErr)
			out <- outcome{r, err}
		}
		cl.fail = func(err error) {
			var zero T
			out <- outcome{zero, err}
		}
		iso.pending[cl.id] = cl
		iso.live.Store(cl.id, cl)
		iso.loop.SetAsyncContext(&frame{call: cl})
		if err := begin(vm, cl.id); err != nil {
			var interrupted *goja.InterruptedError
			if errors.As(err, &interrupted) {
				// The CPU budget stopped the call: the loop reports it to
				// onFailure with the call's frame.
				return err
			}
			if !cl.done {
				iso.finished(cl)
				var zero T
				out <- outcome{zero, err}
			}
		}
		return nil
	})
	var zero T
	if !posted {
		abandon(ErrClosed)
		return zero, ErrClosed
	}
	select {
	case o := <-out:
		watch()
		return o.v, o.err
	case <-ctx.Done():
		abandon(context.Cause(ctx))
		return zero, ctx.Err()
	case <-iso.stopped:
		abandon(ErrClosed)
		return zero, ErrClosed
	}
}

// finished records that a call has its outcome. Loop goroutine only.
func (iso *isolate) finished(cl *call) {
	delete(iso.pending, cl.id)
	iso.live.Delete(cl.id)
	cl.done = true
}

// liveCall returns a call of the isolate that has no outcome yet, or nil.
// Safe from any goroutine.
func (iso *isolate) liveCall(id int64) *call {
	if v, ok := iso.live.Load(id); ok {
		return v.(*call)
	}
	return nil
}

// currentCall returns the call the running JS belongs to, or nil (the
// Worker's top-level code). Loop goroutine only.
func (iso *isolate) currentCall() *call {
	if f, ok := iso.loop.AsyncContext().(*frame); ok {
		return f.call
	}
	return nil
}

// callContext returns the context of the running call's subrequests.
// Loop goroutine only.
func (iso *isolate) callContext() context.Context {
	if cl := iso.currentCall(); cl != nil && cl.ctx != nil {
		return cl.ctx
	}
	return iso.base
}

// subrequest runs op off the loop, as goOp does, for a subrequest that
// invokes another Worker: op gets the context of the invocation it
// causes, which is cancelled when the calling invocation is abandoned,
// and the promise rejects with ErrDepth when the request chain has no
// room for another invocation.
func (iso *isolate) subrequest(op func(ctx context.Context) runtime.Settle) goja.Value {
	parent := iso.callContext()
	return iso.host.VM().ToValue(iso.loop.Go(func(loopCtx context.Context) runtime.Settle {
		ctx, err := nextHop(parent)
		if err != nil {
			return runtime.Rejected(err)
		}
		ctx, cancel := joinContext(ctx, loopCtx)
		defer cancel()
		return op(ctx)
	}))
}

// wait returns the isolate once it has started.
func (iso *isolate) wait(ctx context.Context) (*isolate, error) {
	select {
	case <-iso.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if iso.err != nil {
		return nil, iso.err
	}
	return iso, nil
}

func (iso *isolate) shutdown() {
	iso.stop()
	<-iso.stopped
}

// cacheStorage is the caches global: a Cache API that never holds
// anything, as on a workers.dev hostname.
func cacheStorage(vm *goja.Runtime) *goja.Object {
	resolved := func(v goja.Value) goja.Value {
		p, resolve, _ := vm.NewPromise()
		_ = resolve(v)
		return vm.ToValue(p)
	}
	cache := vm.NewObject()
	_ = cache.Set("match", func(goja.FunctionCall) goja.Value { return resolved(goja.Undefined()) })
	_ = cache.Set("put", func(goja.FunctionCall) goja.Value { return resolved(goja.Undefined()) })
	_ = cache.Set("delete", func(goja.FunctionCall) goja.Value { return resolved(vm.ToValue(false)) })
	caches := vm.NewObject()
	_ = caches.Set("default", cache)
	_ = caches.Set("open", func(goja.FunctionCall) goja.Value { return resolved(cache) })
	return caches
}
