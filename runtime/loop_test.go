package runtime_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/bundler"
	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/runtimetest"
)

// testModule is a Go-backed module for tests:
//
//	sleep(ms, value)   resolves with value after ms, on a goroutine
//	fail(ms, message)  rejects with a Go error after ms
//	enter(value, fn)   calls fn with the async context set to value
//	current()          the current async context value
type testModule struct {
	inFlight  atomic.Int32
	maxFlight atomic.Int32
	finished  atomic.Int32
	cancelled atomic.Int32
}

func (m *testModule) module() runtime.Module {
	return runtime.Module{
		Name:    "test:ops",
		Exports: []string{"sleep", "fail", "enter", "current"},
		Load: func(h *runtime.Host) (*goja.Object, error) {
			vm := h.VM()
			obj := vm.NewObject()
			goOp := func(ms int64, done func() runtime.Settle) goja.Value {
				return vm.ToValue(h.Loop().Go(func(ctx context.Context) runtime.Settle {
					n := m.inFlight.Add(1)
					for {
						old := m.maxFlight.Load()
						if n <= old || m.maxFlight.CompareAndSwap(old, n) {
							break
						}
					}
					defer m.inFlight.Add(-1)
					defer m.finished.Add(1)
					select {
					case <-time.After(time.Duration(ms) * time.Millisecond):
						return done()
					case <-ctx.Done():
						m.cancelled.Add(1)
						return runtime.Rejected(ctx.Err())
					}
				}))
			}
			_ = obj.Set("sleep", func(call goja.FunctionCall) goja.Value {
				val := call.Argument(1).Export()
				return goOp(call.Argument(0).ToInteger(), func() runtime.Settle { return runtime.Resolved(val) })
			})
			_ = obj.Set("fail", func(call goja.FunctionCall) goja.Value {
				msg := call.Argument(1).String()
				return goOp(call.Argument(0).ToInteger(), func() runtime.Settle { return runtime.Rejected(errors.New(msg)) })
			})
			_ = obj.Set("enter", func(call goja.FunctionCall) goja.Value {
				fn, _ := goja.AssertFunction(call.Argument(1))
				prev := h.AsyncContext()
				h.SetAsyncContext(call.Argument(0).Export())
				defer h.SetAsyncContext(prev)
				v, err := fn(goja.Undefined())
				if err != nil {
					panic(runtime.ErrorValue(vm, err, nil))
				}
				return v
			})
			_ = obj.Set("current", func(goja.FunctionCall) goja.Value {
				if c := h.AsyncContext(); c != nil {
					return vm.ToValue(c)
				}
				return goja.Undefined()
			})
			return obj, nil
		},
	}
}

func run(t *testing.T, m *testModule, src string) runtimetest.Result {
	t.Helper()
	return runtimetest.Run(t, map[string]string{"alchemy.run.ts": src}, runtimetest.Options{Modules: []runtime.Module{m.module()}})
}

func mustRun(t *testing.T, m *testModule, src string) string {
	t.Helper()
	res := run(t, m, src)
	if res.Err != nil {
		t.Fatalf("run: %v\n%s", res.Err, res.Formatted)
	}
	return res.Stdout
}

func TestGoOperationsRunConcurrently(t *testing.T) {
	m := &testModule{}
	out := mustRun(t, m, `
import { sleep } from "test:ops";
const values = await Promise.all(Array.from({ length: 200 }, (_, i) => sleep(20, i)));
console.log(values.length, values[0], values[199], values.every((v, i) => v === i));
`)
	if out != "200 0 199 true\n" {
		t.Fatalf("stdout = %q", out)
	}
	if got := m.maxFlight.Load(); got < 100 {
		t.Errorf("at most %d operations were in flight at once; they ran one after another", got)
	}
	if got := m.finished.Load(); got != 200 {
		t.Errorf("%d operations finished, want 200", got)
	}
}

func TestTopLevelAwaitAndOrdering(t *testing.T) {
	m := &testModule{}
	out := mustRun(t, m, `
import { sleep } from "test:ops";
const log: string[] = [];
setTimeout(() => log.push("timeout 0"), 0);
queueMicrotask(() => log.push("microtask"));
Promise.resolve().then(() => log.push("then"));
process.nextTick(() => log.push("tick"));
log.push("sync");
await sleep(30, null);
const t = setTimeout(() => log.push("never"), 5);
clearTimeout(t);
let n = 0;
const iv = setInterval(() => { if (++n === 3) clearInterval(iv); }, 1);
await new Promise((r) => setTimeout(r, 40));
log.push("intervals " + n);
await new Promise((r) => setImmediate(r, "x"));
log.push("immediate");
console.log(log.join(", "));
`)
	want := "sync, microtask, then, tick, timeout 0, intervals 3, immediate\n"
	if out != want {
		t.Fatalf("stdout = %q, want %q", out, want)
	}
}

func TestUnrefTimerDoesNotKeepRunAlive(t *testing.T) {
	start := time.Now()
	out := runtimetest.Program(t, `
const t = setTimeout(() => console.log("late"), 10000);
t.unref();
console.log(typeof t.ref, t.hasRef());
`)
	if out != "function false\n" {
		t.Fatalf("stdout = %q", out)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("the run waited for an unref'd timer")
	}
}

func TestAsyncContextFollowsAwaits(t *testing.T) {
	m := &testModule{}
	out := mustRun(t, m, `
import { sleep, enter, current } from "test:ops";
const seen: string[] = [];
const check = (want: string, where: string) => {
  const got = current();
  if (got !== want) seen.push(where + ": got " + got + ", want " + want);
};
async function work(name: string, delay: number) {
  check(name, name + " start");
  await sleep(delay, null);
  check(name, name + " after Go op");
  await new Promise((r) => setTimeout(r, delay));
  check(name, name + " after timer");
  await Promise.resolve();
  check(name, name + " after microtask");
  await new Promise<void>((resolve) => sleep(1, null).then(() => { check(name, name + " in then"); resolve(); }));
  const inner = await enter(name + "/inner", async () => {
    await sleep(delay, null);
    check(name + "/inner", name + " nested");
    return current();
  });
  check(name, name + " after nested");
  setTimeout(() => check(name, name + " in timeout callback"), 1);
  await sleep(5, null);
  return inner;
}
const results = await Promise.all([
  enter("a", () => work("a", 15)),
  enter("b", () => work("b", 5)),
  enter("c", () => work("c", 10)),
]);
check(undefined as any, "top level after all");
console.log(results.join(" "), seen.length === 0 ? "ok" : seen.join("; "));
`)
	if out != "a/inner b/inner c/inner ok\n" {
		t.Fatalf("stdout = %q", out)
	}
}

func TestUnhandledRejectionFails(t *testing.T) {
	m := &testModule{}
	res := run(t, m, `
async function later() {
  await Promise.resolve();
  throw new TypeError("nobody listens");
}
later();
await new Promise((r) => setTimeout(r, 20));
console.log("not reached");
`)
	var se *runtime.ScriptError
	if !errors.As(res.Err, &se) || !se.Rejection {
		t.Fatalf("err = %v, want an unhandled rejection", res.Err)
	}
	if !strings.Contains(res.Formatted, "alchemy.run.ts:4:9: error: unhandled promise rejection: TypeError: nobody listens") {
		t.Errorf("formatted:\n%s", res.Formatted)
	}
	if strings.Contains(res.Stdout, "not reached") {
		t.Error("the program kept running after an unhandled rejection")
	}
}

func TestHandledLaterRejectionIsFine(t *testing.T) {
	out := runtimetest.Program(t, `
const p = Promise.reject(new Error("x"));
p.catch(() => console.log("caught"));
await p.catch(() => {});
`)
	if out != "caught\n" {
		t.Fatalf("stdout = %q", out)
	}
}

func TestUnsettledTopLevelAwait(t *testing.T) {
	res := runtimetest.Run(t, map[string]string{"alchemy.run.ts": `await new Promise(() => {});`}, runtimetest.Options{})
	if !errors.Is(res.Err, runtime.ErrUnsettled) {
		t.Fatalf("err = %v, want ErrUnsettled", res.Err)
	}
}

func TestProcessExit(t *testing.T) {
	tests := []struct {
		src  string
		code int
		out  string
	}{
		{`console.log("a"); process.exit(3); console.log("b");`, 3, "a\n"},
		{`process.exitCode = 4; console.log("done");`, 4, "done\n"},
		{`setTimeout(() => process.exit(0), 1); await new Promise(() => {});`, 0, ""},
	}
	for _, tt := range tests {
		res := runtimetest.Run(t, map[string]string{"alchemy.run.ts": tt.src}, runtimetest.Options{})
		var exit *runtime.ExitError
		if !errors.As(res.Err, &exit) || exit.Code != tt.code {
			t.Errorf("%s: err = %v, want exit %d", tt.src, res.Err, tt.code)
		}
		if res.Stdout != tt.out {
			t.Errorf("%s: stdout = %q, want %q", tt.src, res.Stdout, tt.out)
		}
	}
}

func TestInterruptWaitsForInFlightOperations(t *testing.T) {
	m := &testModule{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for m.inFlight.Load() < 3 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	res := runtimetest.Run(t, map[string]string{"alchemy.run.ts": `
import { sleep } from "test:ops";
await Promise.all([sleep(60000, 1), sleep(60000, 2), sleep(60000, 3)]);
console.log("not reached");
`}, runtimetest.Options{Context: ctx, Modules: []runtime.Module{m.module()}})
	if !errors.Is(res.Err, runtime.ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted", res.Err)
	}
	if got := m.finished.Load(); got != 3 {
		t.Errorf("Run returned with %d of 3 operations finished", got)
	}
	if got := m.cancelled.Load(); got != 3 {
		t.Errorf("%d operations saw their context cancelled, want 3", got)
	}
}

func TestInterruptStopsBusyJS(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	res := runtimetest.Run(t, map[string]string{"alchemy.run.ts": `while (true) {}`}, runtimetest.Options{Context: ctx})
	if !errors.Is(res.Err, runtime.ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted", res.Err)
	}
}

func TestGoErrorPointsAtCallSite(t *testing.T) {
	m := &testModule{}
	res := runtimetest.Run(t, map[string]string{
		"alchemy.run.ts": "import { create } from \"./lib/resource\";\n\nawait create(\"db\");\n",
		"lib/resource.ts": `import { fail } from "test:ops";

export async function create(id: string) {
  const x = 1;
  return await fail(5, "create " + id + ": quota exceeded");
}
`,
	}, runtimetest.Options{Modules: []runtime.Module{m.module()}})
	if res.Err == nil {
		t.Fatal("run succeeded")
	}
	want := "lib/resource.ts:5:16: error: Error: create db: quota exceeded\n" +
		"  5 |   return await fail(5, \"create \" + id + \": quota exceeded\");\n" +
		"    |                ^\n" +
		"    at create (lib/resource.ts:5:16)\n"
	if !strings.HasPrefix(res.Formatted, want) {
		t.Errorf("formatted:\n%s\nwant prefix:\n%s", res.Formatted, want)
	}
	if !strings.Contains(res.Formatted, "at alchemy.run.ts:3:7") {
		t.Errorf("formatted error lacks the caller frame:\n%s", res.Formatted)
	}
}

func TestLoopServeAndCall(t *testing.T) {
	vm := goja.New()
	loop := runtime.NewLoop(vm)
	ctx, cancel := context.WithCancel(context.Background())
	var errs []error
	done := make(chan struct{})
	go func() {
		defer close(done)
		loop.Serve(ctx, func(err error) { errs = append(errs, err) })
	}()
	// A job that throws is reported and the loop carries on.
	loop.Post(func(vm *goja.Runtime) error {
		_, err := vm.RunString(`throw new Error("bad request")`)
		return err
	})
	// Requests posted one after another, each settled by a loop timer.
	for i := int64(1); i <= 3; i++ {
		got, err := runtime.Call(context.Background(), loop, func(vm *goja.Runtime) (goja.Value, error) {
			p, resolve, _ := vm.NewPromise()
			loop.AddTimer(time.Millisecond, false, func(vm *goja.Runtime) error { return resolve(i * 10) })
			return vm.ToValue(p), nil
		}, func(vm *goja.Runtime, v goja.Value) (int64, error) { return v.ToInteger(), nil })
		if err != nil || got != i*10 {
			t.Fatalf("request %d: Call = %d, %v", i, got, err)
		}
	}
	got, err := runtime.Call(context.Background(), loop, func(vm *goja.Runtime) (goja.Value, error) {
		return vm.RunString(`Promise.resolve(21).then((x) => x * 2)`)
	}, func(vm *goja.Runtime, v goja.Value) (int64, error) { return v.ToInteger(), nil })
	if err != nil || got != 42 {
		t.Fatalf("Call = %d, %v; want 42", got, err)
	}
	_, err = runtime.Call(context.Background(), loop, func(vm *goja.Runtime) (goja.Value, error) {
		return vm.RunString(`Promise.reject(new RangeError("nope"))`)
	}, func(vm *goja.Runtime, v goja.Value) (int64, error) { return 0, nil })
	var se *runtime.ScriptError
	if !errors.As(err, &se) || se.Message != "RangeError: nope" {
		t.Fatalf("Call rejection = %v, want RangeError: nope", err)
	}
	cancel()
	<-done
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "bad request") {
		t.Fatalf("reported errors = %v, want the one thrown job", errs)
	}
	if loop.Post(func(*goja.Runtime) error { return nil }) {
		t.Error("Post succeeded on a stopped loop")
	}
}

// In serve mode an interrupt (a CPU budget) stops the job that overran and
// the loop serves the next one.
func TestServeInterruptStopsOneJob(t *testing.T) {
	loop := runtime.NewLoop(goja.New())
	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		loop.Serve(ctx, func(err error) { errs <- err })
	}()
	budget := errors.New("CPU budget exceeded")
	started := make(chan struct{})
	loop.Post(func(vm *goja.Runtime) error {
		close(started)
		_, err := vm.RunString(`for (;;) {}`)
		return err
	})
	<-started
	loop.Interrupt(budget)
	if err := <-errs; !errors.Is(err, budget) {
		t.Fatalf("reported %v, want the budget error", err)
	}
	got, err := runtime.Call(context.Background(), loop, func(vm *goja.Runtime) (goja.Value, error) {
		return vm.RunString(`6 * 7`)
	}, func(vm *goja.Runtime, v goja.Value) (int64, error) { return v.ToInteger(), nil })
	if err != nil || got != 42 {
		t.Fatalf("next request: %d, %v", got, err)
	}
	cancel()
	<-done
}

func BenchmarkConcurrentGoOperations(b *testing.B) {
	// 200 Go-backed operations of 50 ms each under Promise.all: with real
	// concurrency a run takes about 50 ms, not 200 × 50 ms = 10 s. The
	// program is bundled once; each iteration is a fresh Host running it.
	m := &testModule{}
	dir := b.TempDir()
	runtimetest.WriteFiles(b, dir, map[string]string{"alchemy.run.ts": `
import { sleep } from "test:ops";
const results = await Promise.all(Array.from({ length: 200 }, (_, i) => sleep(50, i)));
if (results.length !== 200) throw new Error("lost results");
`})
	reg := runtimetest.Registry(b, m.module())
	bundle, err := bundler.Bundle(bundler.Options{Entry: "alchemy.run.ts", Dir: dir, Modules: runtimetest.VirtualModules(reg)})
	if err != nil {
		b.Fatal(err)
	}
	script := runtime.Script{Code: bundle.Code, SourceMap: bundle.SourceMap, File: bundle.File}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h := runtime.New(runtime.Config{Dir: dir, Modules: reg})
		if err := h.Run(context.Background(), script); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/run")
}

// The job limit stops a job that never yields, names where it stood and
// which request (async context) it belonged to, and leaves short jobs and
// the loop alone.
func TestJobLimitStopsOnlyTheOverrunningJob(t *testing.T) {
	vm := goja.New()
	loop := runtime.NewLoop(vm)
	loop.SetJobLimit(250 * time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	failures := make(chan runtime.Failure, 4)
	done := make(chan struct{})
	go func() {
		defer close(done)
		loop.ServeFailures(ctx, func(f runtime.Failure) { failures <- f })
	}()
	prog, err := goja.Compile("spin.js", "function spin() {\n  let n = 0;\n  for (;;) { n = (n + 1) % 7; }\n}\n", false)
	if err != nil {
		t.Fatal(err)
	}
	loop.Post(func(vm *goja.Runtime) error {
		_, err := vm.RunProgram(prog)
		return err
	})
	loop.Post(func(vm *goja.Runtime) error {
		loop.SetAsyncContext("request-7")
		// The overrunning code runs in a promise reaction.
		_, err := vm.RunString(`Promise.resolve().then(() => spin())`)
		return err
	})
	f := <-failures
	var limit *runtime.JobLimitError
	if !errors.As(f.Err, &limit) || limit.Limit != 250*time.Millisecond {
		t.Fatalf("failure %v, want a JobLimitError", f.Err)
	}
	if f.Context != "request-7" {
		t.Errorf("failure context %v, want request-7", f.Context)
	}
	if len(f.Frames) == 0 || f.Frames[0].Function != "spin" || f.Frames[0].Line != 3 {
		t.Errorf("frames %v, want spin at line 3 first", f.Frames)
	}
	// Many short jobs after it run untouched.
	for i := 0; i < 50; i++ {
		got, err := runtime.Call(context.Background(), loop, func(vm *goja.Runtime) (goja.Value, error) {
			return vm.RunString(`(() => { let s = 0; for (let i = 0; i < 1000; i++) s += i; return s })()`)
		}, func(vm *goja.Runtime, v goja.Value) (int64, error) { return v.ToInteger(), nil })
		if err != nil || got != 499500 {
			t.Fatalf("job %d after the limit: %d, %v", i, got, err)
		}
	}
	cancel()
	<-done
	select {
	case f := <-failures:
		t.Fatalf("unexpected failure %v", f.Err)
	default:
	}
}

// An interrupt that stops JS inside a promise reaction (an async function
// resumed after an await) leaves a loop whose later promises still settle,
// both for a new run after an interrupted one and for the next job of a
// server whose job limit fired.
func TestPromisesSettleAfterInterruptedReaction(t *testing.T) {
	const spinAfterAwait = `(async () => { await null; for (;;) {} })()`
	const awaitTwice = `(async () => { await null; await Promise.resolve(); return 42 })()`

	t.Run("run", func(t *testing.T) {
		loop := runtime.NewLoop(goja.New())
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		err := loop.Run(ctx, func(vm *goja.Runtime) (goja.Value, error) { return vm.RunString(spinAfterAwait) })
		if !errors.Is(err, runtime.ErrInterrupted) {
			t.Fatalf("first run: %v, want ErrInterrupted", err)
		}
		var got int64
		err = loop.Run(context.Background(), func(vm *goja.Runtime) (goja.Value, error) {
			p, err := vm.RunString(awaitTwice)
			if err != nil {
				return nil, err
			}
			return p, loop.Then(p, func(_ *goja.Runtime, v goja.Value, _ bool) error {
				got = v.ToInteger()
				return nil
			})
		})
		if err != nil || got != 42 {
			t.Fatalf("second run: %d, %v; want 42", got, err)
		}
	})

	t.Run("serve", func(t *testing.T) {
		loop := runtime.NewLoop(goja.New())
		loop.SetJobLimit(100 * time.Millisecond)
		ctx, cancel := context.WithCancel(context.Background())
		failures := make(chan runtime.Failure, 1)
		done := make(chan struct{})
		go func() {
			defer close(done)
			loop.ServeFailures(ctx, func(f runtime.Failure) { failures <- f })
		}()
		defer func() { cancel(); <-done }()
		loop.Post(func(vm *goja.Runtime) error {
			_, err := vm.RunString(spinAfterAwait)
			return err
		})
		var limit *runtime.JobLimitError
		if f := <-failures; !errors.As(f.Err, &limit) {
			t.Fatalf("failure %v, want a JobLimitError", f.Err)
		}
		callCtx, stop := context.WithTimeout(context.Background(), 5*time.Second)
		defer stop()
		got, err := runtime.Call(callCtx, loop, func(vm *goja.Runtime) (goja.Value, error) {
			return vm.RunString(awaitTwice)
		}, func(vm *goja.Runtime, v goja.Value) (int64, error) { return v.ToInteger(), nil })
		if err != nil || got != 42 {
			t.Fatalf("next job: %d, %v; want 42", got, err)
		}
	})
}

// An unhandled rejection is reported with the async context it happened in.
func TestServeRejectionCarriesContext(t *testing.T) {
	loop := runtime.NewLoop(goja.New())
	ctx, cancel := context.WithCancel(context.Background())
	failures := make(chan runtime.Failure, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		loop.ServeFailures(ctx, func(f runtime.Failure) { failures <- f })
	}()
	loop.Post(func(vm *goja.Runtime) error {
		loop.SetAsyncContext("request-9")
		_, err := vm.RunString(`Promise.reject(new TypeError("lost"))`)
		return err
	})
	f := <-failures
	var se *runtime.ScriptError
	if !errors.As(f.Err, &se) || !se.Rejection || se.Message != "TypeError: lost" || f.Context != "request-9" {
		t.Fatalf("failure %+v (%v), want the rejection in request-9", f, f.Err)
	}
	cancel()
	<-done
}

// A Go panic in a native function fails the run instead of crashing it.
func TestNativePanicFailsTheJob(t *testing.T) {
	vm := goja.New()
	loop := runtime.NewLoop(vm)
	_ = vm.Set("broken", func(goja.FunctionCall) goja.Value {
		var m map[string]int
		m["x"]++ // a bug: assignment to a nil map
		return nil
	})
	err := loop.Run(context.Background(), func(vm *goja.Runtime) (goja.Value, error) {
		return vm.RunString(`broken()`)
	})
	var pe *runtime.PanicError
	if !errors.As(err, &pe) || !strings.Contains(pe.Error(), "assignment to entry in nil map") || len(pe.Stack) == 0 {
		t.Fatalf("Run = %v, want a PanicError", err)
	}
}
