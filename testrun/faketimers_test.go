package testrun

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/bundler"
	"github.com/alchemy-go/alchemy/jsapi"
	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/nodelib"
	"github.com/alchemy-go/alchemy/runtime/webapi"
)

// runInProgramHost runs a test file in a host set up as `alchemy test` sets
// up its hosts (web globals, Node globals and modules), and returns the
// host with the results, so that a test can look at the runtime after the
// file ended.
func runInProgramHost(t *testing.T, src string, extra ...runtime.Module) (fileOutcome, *runtime.Host) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.test.ts"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	reg := runtime.NewRegistry()
	for _, m := range append(append(Modules(), nodelib.Modules()...), extra...) {
		if err := reg.Register(m); err != nil {
			t.Fatal(err)
		}
	}
	virtual := map[string]bundler.VirtualModule{}
	for _, m := range reg.Modules() {
		for _, spec := range m.Specifiers() {
			virtual[spec] = bundler.VirtualModule{Exports: m.Exports, Default: m.Default}
		}
	}
	var stdout bytes.Buffer
	h := runtime.New(runtime.Config{Dir: dir, Modules: reg, Stdout: &stdout, Stderr: &stdout})
	webapi.Install(h)
	nodelib.InstallGlobals(h)
	res, err := bundler.Bundle(bundler.Options{Entry: "a.test.ts", Dir: dir, Modules: virtual})
	if err != nil {
		t.Fatalf("bundle: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	fr := RunFile(ctx, h, runtime.Script{Code: res.Code, SourceMap: res.SourceMap, File: res.File, Entry: filepath.Join(dir, "a.test.ts")},
		Options{File: "a.test.ts"})
	return fileOutcome{FileResult: fr, stdout: stdout.String()}, h
}

// fakeTimerCase is the body of an async vitest test and what it returns
// (as JSON), or the message it fails with. The expected values are what
// vitest 3 gives for the same body.
type fakeTimerCase struct {
	name string
	body string
	want string
	fail string
}

func runFakeTimerCases(t *testing.T, cases []fakeTimerCase) {
	t.Helper()
	var b strings.Builder
	b.WriteString("import { afterEach, test, vi } from \"vitest\";\n")
	b.WriteString("afterEach(() => { vi.useRealTimers(); });\n")
	for i, c := range cases {
		fmt.Fprintf(&b, "test(%q, async () => {\n  const got = await (async () => {\n%s\n  })();\n  console.log(\"RESULT %d \" + JSON.stringify(got));\n});\n", c.name, c.body, i)
	}
	out, _ := runInProgramHost(t, b.String())
	if len(out.Results) != len(cases) {
		t.Fatalf("%d results for %d cases: %q\n%s", len(out.Results), len(cases), summary(out.FileResult), out.stdout)
	}
	got := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out.stdout))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "RESULT "); ok {
			i, value, _ := strings.Cut(rest, " ")
			got[i] = value
		}
	}
	for i, c := range cases {
		r := out.Results[i]
		t.Run(c.name, func(t *testing.T) {
			if c.fail != "" {
				if r.Failure == nil || r.Failure.Message != c.fail {
					t.Errorf("want the failure %q, got %s %+v", c.fail, r.State, r.Failure)
				}
				return
			}
			if r.Failure != nil {
				t.Fatalf("failed: %s", r.Failure.Report)
			}
			if g := got[fmt.Sprint(i)]; g != c.want {
				t.Errorf("\n got: %s\nwant: %s", g, c.want)
			}
		})
	}
}

func TestFakeTimersOrder(t *testing.T) {
	runFakeTimerCases(t, []fakeTimerCase{
		{name: "time order, then the order they were set", body: `
    vi.useFakeTimers();
    const log = [];
    setTimeout(() => log.push("a"), 10);
    setTimeout(() => log.push("b"), 5);
    setTimeout(() => log.push("c"), 10);
    vi.advanceTimersByTime(9);
    const early = [...log];
    vi.advanceTimersByTime(1);
    return [early, log, vi.getTimerCount()];`,
			want: `[["b"],["b","a","c"],0]`},
		{name: "setImmediate first at the same time; timers set while timers run are due 1 ms later", body: `
    vi.useFakeTimers({ now: 0 });
    const log = [];
    setTimeout(() => {
      log.push("a" + Date.now());
      setTimeout(() => log.push("b" + Date.now()), 0);
      setImmediate(() => log.push("i" + Date.now()));
    }, 0);
    setImmediate(() => log.push("top" + Date.now()));
    vi.advanceTimersByTime(0);
    const first = [...log];
    const count = vi.getTimerCount();
    vi.advanceTimersByTime(1);
    return [first, count, log];`,
			want: `[["top0","a0"],2,["top0","a0","i1","b1"]]`},
		{name: "timers set during an advance fire in it when due", body: `
    vi.useFakeTimers({ now: 0 });
    const log = [];
    setTimeout(() => { log.push(Date.now()); setTimeout(() => log.push(Date.now()), 20); }, 10);
    vi.advanceTimersByTime(30);
    return [log, Date.now()];`,
			want: `[[10,30],30]`},
		{name: "intervals reschedule with their arguments", body: `
    vi.useFakeTimers({ now: 0 });
    const log = [];
    const id = setInterval((a, b) => { log.push([a, b, Date.now()]); if (log.length === 3) clearInterval(id); }, 7, "x", "y");
    vi.advanceTimersByTime(100);
    return [log, vi.getTimerCount()];`,
			want: `[[["x","y",7],["x","y",14],["x","y",21]],0]`},
		{name: "delays: negative, NaN and missing are 0, strings are parsed, beyond 2^31-1 is 1", body: `
    vi.useFakeTimers({ now: 0 });
    const log = [];
    setTimeout(() => log.push("neg" + Date.now()), -5);
    setTimeout(() => log.push("str" + Date.now()), "7");
    setTimeout(() => log.push("nan" + Date.now()), NaN);
    setTimeout(() => log.push("big" + Date.now()), 2 ** 31);
    setTimeout(() => log.push("none" + Date.now()));
    vi.advanceTimersByTime(10);
    return log;`,
			want: `["neg0","nan0","none0","big1","str7"]`},
		{name: "fractions of a millisecond add up", body: `
    vi.useFakeTimers({ now: 0 });
    const log = [];
    vi.advanceTimersByTime(0.5);
    log.push(Date.now());
    vi.advanceTimersByTime(0.6);
    log.push(Date.now());
    setTimeout(() => log.push("t" + Date.now()), 1.5);
    vi.advanceTimersByTime(2);
    log.push(Date.now());
    return log;`,
			want: `[0,1,"t2",3]`},
		{name: "a string advance is seconds, m:s or h:m:s", body: `
    vi.useFakeTimers({ now: 0 });
    vi.advanceTimersByTime("10");
    const a = Date.now();
    vi.advanceTimersByTime("01:01");
    return [a, Date.now()];`,
			want: `[10000,71000]`},
		{name: "a throwing timer does not stop the others; the first error is thrown", body: `
    vi.useFakeTimers({ now: 0 });
    const log = [];
    setTimeout(() => { log.push(1); throw new Error("boom1"); }, 1);
    setTimeout(() => { log.push(2); throw new Error("boom2"); }, 2);
    setTimeout(() => { log.push(3); }, 3);
    try { vi.advanceTimersByTime(5); } catch (e) { return [e.message, log, Date.now()]; }`,
			want: `["boom1",[1,2,3],5]`},
		{name: "clearInterval clears a timeout; clearTimeout of an immediate throws", body: `
    vi.useFakeTimers();
    const t = setTimeout(() => {}, 1);
    clearInterval(t);
    const count = vi.getTimerCount();
    const i = setImmediate(() => {});
    let message;
    try { clearTimeout(i); } catch (e) { message = e.message; }
    clearTimeout(undefined); clearTimeout(null); clearTimeout(0);
    return [count, message, vi.getTimerCount()];`,
			want: `[0,"Cannot clear timer: timer created with setImmediate() but cleared with clearTimeout()",1]`},
		{name: "handles are Timeout objects: refresh, ref, unref", body: `
    vi.useFakeTimers({ now: 0 });
    const log = [];
    const t = setTimeout(() => log.push(Date.now()), 10);
    vi.advanceTimersByTime(5);
    t.refresh();
    vi.advanceTimersByTime(9);
    const before = [...log];
    vi.advanceTimersByTime(1);
    return [typeof t, Number(t) >= 1e12, before, log, t.hasRef(), t.unref() === t, t.hasRef()];`,
			want: `["object",true,[],[15],true,true,false]`},
		{name: "negative advance", body: `
    vi.useFakeTimers();
    vi.advanceTimersByTime(-1);`,
			fail: "TypeError: Negative ticks are not supported"},
	})
}

func TestFakeTimersRunning(t *testing.T) {
	runFakeTimerCases(t, []fakeTimerCase{
		{name: "runAllTimers runs what timers schedule", body: `
    vi.useFakeTimers({ now: 0 });
    const log = [];
    let n = 0;
    const step = () => { log.push(Date.now()); if (++n < 4) setTimeout(step, 100); };
    setTimeout(step, 100);
    vi.runAllTimers();
    return [log, vi.getTimerCount()];`,
			want: `[[100,200,300,400],0]`},
		{name: "runAllTimers gives up on an endless chain", body: `
    vi.useFakeTimers({ now: 0 });
    const again = () => setTimeout(again, 10);
    again();
    vi.runAllTimers();`,
			fail: "Error: Aborting after running 10000 timers, assuming an infinite loop!"},
		{name: "loopLimit", body: `
    vi.useFakeTimers({ now: 0, loopLimit: 5 });
    setInterval(() => {}, 10);
    try { vi.runAllTimers(); } catch (e) { return [e.message, Date.now()]; }`,
			want: `["Aborting after running 5 timers, assuming an infinite loop!",50]`},
		{name: "runOnlyPendingTimers leaves what the timers schedule", body: `
    vi.useFakeTimers({ now: 0 });
    const log = [];
    setInterval(() => log.push("i" + Date.now()), 10);
    setTimeout(() => { log.push("t" + Date.now()); setTimeout(() => log.push("n" + Date.now()), 5); }, 25);
    vi.runOnlyPendingTimers();
    return [log, Date.now(), vi.getTimerCount()];`,
			want: `[["i10","i20","t25"],25,2]`},
		{name: "advanceTimersToNextTimer runs the next timer and those due with it", body: `
    vi.useFakeTimers({ now: 0 });
    const log = [];
    setTimeout(() => log.push("a"), 10);
    setTimeout(() => log.push("b"), 10);
    setTimeout(() => log.push("c"), 20);
    vi.advanceTimersToNextTimer();
    const first = [[...log], Date.now()];
    vi.advanceTimersToNextTimer();
    return [first, log, Date.now()];`,
			want: `[[["a","b"],10],["a","b","c"],20]`},
		{name: "clearAllTimers drops the timers and goes back to the start time", body: `
    vi.useFakeTimers({ now: 1000 });
    vi.advanceTimersByTime(500);
    const fired = vi.fn();
    setTimeout(fired, 10);
    const before = [Date.now(), vi.getTimerCount()];
    vi.clearAllTimers();
    vi.advanceTimersByTime(100);
    return [before, Date.now(), vi.getTimerCount(), fired.mock.calls.length];`,
			want: `[[1500,1],1100,0,0]`},
		{name: "queueMicrotask is not faked by default", body: `
    vi.useFakeTimers();
    let ran = false;
    queueMicrotask(() => { ran = true; });
    await Promise.resolve();
    return [ran, vi.getTimerCount()];`,
			want: `[true,0]`},
		{name: "faked queueMicrotask runs on runAllTicks and on advances", body: `
    vi.useFakeTimers({ toFake: ["queueMicrotask", "setTimeout"] });
    const log = [];
    queueMicrotask(() => log.push("m"));
    await Promise.resolve();
    const queued = [[...log], vi.getTimerCount()];
    vi.runAllTicks();
    const ran = [...log];
    queueMicrotask(() => log.push("m2"));
    vi.advanceTimersByTime(0);
    return [queued, ran, log, typeof Date.isFake];`,
			want: `[[[],1],["m"],["m","m2"],"undefined"]`},
		{name: "calls chain", body: `
    return [vi.useFakeTimers() === vi, vi.advanceTimersByTime(1) === vi, vi.runAllTimers() === vi, vi.useRealTimers() === vi];`,
			want: `[true,true,true,true]`},
	})
}

func TestFakeTimersAsync(t *testing.T) {
	const sleeper = `
    const log = [];
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    (async () => { for (let i = 0; i < 3; i++) { await sleep(10); log.push(Date.now()); } })();`
	runFakeTimerCases(t, []fakeTimerCase{
		{name: "the sync advance does not wait for promise callbacks; the async one does", body: `
    vi.useFakeTimers({ now: 0 });` + sleeper + `
    vi.advanceTimersByTime(30);
    const sync = [...log];
    await vi.advanceTimersByTimeAsync(30);
    return [sync, log, Date.now()];`,
			want: `[[],[30,40,50],60]`},
		{name: "advanceTimersByTimeAsync", body: `
    vi.useFakeTimers({ now: 0 });` + sleeper + `
    const r = await vi.advanceTimersByTimeAsync(30);
    return [r === vi, log, Date.now()];`,
			want: `[true,[10,20,30],30]`},
		{name: "runAllTimersAsync", body: `
    vi.useFakeTimers({ now: 0 });
    const log = [];
    (async () => { for (let i = 0; i < 5; i++) { await new Promise((r) => setTimeout(r, 100)); await Promise.resolve(); log.push(Date.now()); } })();
    const sync = vi.runAllTimers() && [...log];
    const r = await vi.runAllTimersAsync();
    return [sync, r === vi, log, Date.now()];`,
			want: `[[],true,[100,200,300,400,500],500]`},
		{name: "runAllTimersAsync gives up on an endless interval", body: `
    vi.useFakeTimers({ now: 0, loopLimit: 50 });
    setInterval(() => {}, 10);
    try { await vi.runAllTimersAsync(); } catch (e) { return [e.message, Date.now()]; }`,
			want: `["Aborting after running 50 timers, assuming an infinite loop!",500]`},
		{name: "advanceTimersToNextTimerAsync lets the timer's promise callbacks run", body: `
    vi.useFakeTimers({ now: 0 });
    const log = [];
    setTimeout(() => { log.push("a"); Promise.resolve().then(() => log.push("then a")); }, 10);
    setTimeout(() => log.push("b"), 20);
    await vi.advanceTimersToNextTimerAsync();
    const first = [[...log], Date.now()];
    await vi.advanceTimersToNextTimerAsync();
    await vi.advanceTimersToNextTimerAsync();
    return [first, log, Date.now()];`,
			want: `[[["a","then a"],10],["a","then a","b"],20]`},
		{name: "runOnlyPendingTimersAsync", body: `
    vi.useFakeTimers({ now: 0 });
    const log = [];
    setTimeout(async () => { log.push("a"); await null; setTimeout(() => log.push("nested"), 1); }, 10);
    setTimeout(() => log.push("b"), 20);
    await vi.runOnlyPendingTimersAsync();
    return [log, Date.now(), vi.getTimerCount()];`,
			want: `[["a","nested","b"],20,0]`},
		{name: "an async advance rejects with the first error", body: `
    vi.useFakeTimers({ now: 0 });
    const log = [];
    setTimeout(() => { log.push(1); throw new Error("x1"); }, 1);
    setTimeout(() => { log.push(2); }, 2);
    try { await vi.advanceTimersByTimeAsync(5); } catch (e) { return [e.message, log, Date.now()]; }`,
			want: `["x1",[1,2],5]`},
		{name: "vi.waitFor moves the fake clock by its interval", body: `
    vi.useFakeTimers({ now: 0 });
    let done = false;
    setTimeout(() => { done = true; }, 200);
    await vi.waitFor(() => { if (!done) throw new Error("not yet"); }, { interval: 50, timeout: 5000 });
    return Date.now();`,
			want: `200`},
	})
}

func TestFakeTimersClock(t *testing.T) {
	runFakeTimerCases(t, []fakeTimerCase{
		{name: "Date follows the fake clock", body: `
    vi.useFakeTimers({ now: new Date("2021-06-01T12:00:00Z") });
    const d = new Date();
    vi.advanceTimersByTime(1500);
    class Stamp extends Date {}
    const s = new Stamp();
    return [d.toISOString(), new Date().toISOString(), Date.now(), d instanceof Date, Date() === new Date().toString(),
      Date.UTC(2020, 0, 1), Date.parse("2020-01-01T00:00:00Z"), new Date(2020, 0, 1).getFullYear(),
      Object.prototype.toString.call(d), s instanceof Stamp, s instanceof Date, s.getTime(), Date.length];`,
			want: `["2021-06-01T12:00:00.000Z","2021-06-01T12:00:01.500Z",1622548801500,true,true,1577836800000,1577836800000,2020,"[object Date]",true,true,1622548801500,7]`},
		{name: "performance.now and process.hrtime follow the fake clock", body: `
    vi.useFakeTimers();
    const p = performance.now(), h = process.hrtime(), hb = process.hrtime.bigint(), d = Date.now();
    vi.advanceTimersByTime(100);
    return [performance.now() - p, process.hrtime(h)[1] / 1e6, Number(process.hrtime.bigint() - hb) / 1e6, Date.now() - d];`,
			want: `[100,100,100,100]`},
		{name: "toFake fakes only what it names", body: `
    const realSetTimeout = setTimeout;
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    return [setTimeout !== realSetTimeout, typeof Date.isFake, vi.isFakeTimers()];`,
			want: `[true,"undefined",true]`},
		{name: "setSystemTime moves Date but not the timers' remaining delays", body: `
    vi.useFakeTimers({ now: 0 });
    const log = [];
    setTimeout(() => log.push(Date.now()), 100);
    vi.setSystemTime(10000);
    vi.advanceTimersByTime(99);
    const early = [[...log], Date.now()];
    vi.advanceTimersByTime(1);
    return [early, log, vi.getMockedSystemTime().toISOString()];`,
			want: `[[[],10099],[10100],"1970-01-01T00:00:10.100Z"]`},
		{name: "setSystemTime takes strings and Dates", body: `
    vi.useFakeTimers();
    vi.setSystemTime("2022-02-02T00:00:00Z");
    const a = new Date().toISOString();
    vi.setSystemTime(new Date(5));
    return [a, Date.now()];`,
			want: `["2022-02-02T00:00:00.000Z",5]`},
		{name: "setSystemTime without fake timers freezes Date only", body: `
    vi.setSystemTime(new Date("2020-01-01T00:00:00Z"));
    const a = Date.now();
    await new Promise((r) => setTimeout(r, 5));
    const mocked = vi.getMockedSystemTime();
    vi.useRealTimers();
    return [a, Date.now() === a, mocked.toISOString(), vi.isFakeTimers(), Date.now() > a, vi.getMockedSystemTime()];`,
			want: `[1577836800000,false,"2020-01-01T00:00:00.000Z",false,true,null]`},
		{name: "useFakeTimers after setSystemTime", body: `
    vi.setSystemTime(5000);
    vi.useFakeTimers();`,
			fail: "Error: \"setSystemTime\" was called already and date was mocked. Reset timers using `vi.useRealTimers()` if you want to use fake timers again."},
		{name: "shouldAdvanceTime moves the fake clock with the real one", body: `
    vi.useFakeTimers({ now: 0, shouldAdvanceTime: true, advanceTimeDelta: 10 });
    await new Promise((r) => setTimeout(r, 50));
    return Date.now() >= 50;`,
			want: `true`},
		{name: "a second useFakeTimers keeps the clock", body: `
    vi.useFakeTimers({ now: 0 });
    vi.useFakeTimers({ now: 5000 });
    return Date.now();`,
			want: `0`},
		{name: "getRealSystemTime is the real time", body: `
    vi.useFakeTimers({ now: 0 });
    const real = vi.getRealSystemTime();
    const fake = Date.now();
    vi.useRealTimers();
    return [fake, real > 1.6e12, Math.abs(Date.now() - real) < 60000];`,
			want: `[0,true,true]`},
	})
}

func TestFakeTimersReal(t *testing.T) {
	runFakeTimerCases(t, []fakeTimerCase{
		{name: "advancing without fake timers", body: `vi.advanceTimersByTime(1);`,
			fail: `Error: Timers are not mocked. Try calling "vi.useFakeTimers()" first.`},
		{name: "counting without fake timers", body: `vi.getTimerCount();`,
			fail: `Error: Timers are not mocked. Try calling "vi.useFakeTimers()" first.`},
		{name: "without fake timers", body: `
    vi.clearAllTimers();
    return [vi.isFakeTimers(), vi.getMockedSystemTime()];`,
			want: `[false,null]`},
		{name: "useRealTimers puts the globals back and drops pending timers", body: `
    const before = [setTimeout, clearTimeout, setInterval, setImmediate, Date, performance, process.hrtime];
    vi.useFakeTimers();
    const fired = vi.fn();
    setTimeout(fired, 1);
    const faked = [setTimeout, clearTimeout, setInterval, setImmediate, Date, performance, process.hrtime].map((v, i) => v !== before[i]);
    vi.useRealTimers();
    const after = [setTimeout, clearTimeout, setInterval, setImmediate, Date, performance, process.hrtime].map((v, i) => v === before[i]);
    await new Promise((r) => setTimeout(r, 10));
    vi.useFakeTimers();
    return [faked, after, fired.mock.calls.length, vi.getTimerCount()];`,
			want: `[[true,true,true,true,true,true,true],[true,true,true,true,true,true,true],0,0]`},
		{name: "clearing a real timer while faking clears it", body: `
    let fired = false;
    const t = setTimeout(() => { fired = true; }, 5);
    vi.useFakeTimers();
    clearTimeout(t);
    vi.useRealTimers();
    await new Promise((r) => setTimeout(r, 30));
    return fired;`,
			want: `false`},
		{name: "node:timers keeps the real timers, as under vitest", body: `
    const timers = await import("node:timers/promises");
    vi.useFakeTimers({ now: 0 });
    const v = await timers.setTimeout(5, "slept");
    return [v, Date.now(), vi.getTimerCount()];`,
			want: `["slept",0,0]`},
	})
}

// TestFakeTimersEndWithTheFile checks that timers a file faked and never
// gave back are real again once the file ended, and that the runner's own
// test timeouts keep real time while a test fakes it.
func TestFakeTimersEndWithTheFile(t *testing.T) {
	src := `
import { test, vi } from "vitest";
(globalThis as any).realSetTimeout = setTimeout;
(globalThis as any).RealDate = Date;

test("never advances", async () => {
  vi.useFakeTimers();
  await new Promise((r) => setTimeout(r, 10));
}, 100);

test("still faked, and time stands still", () => {
  if (!vi.isFakeTimers()) throw new Error("the fake timers ended with the test");
  const a = Date.now();
  for (let i = 0; i < 1e5; i++);
  if (Date.now() !== a) throw new Error("the fake clock moved");
  setTimeout(() => {}, 1000);
});
`
	out, h := runInProgramHost(t, src)
	checkSummary(t, out.FileResult, "failed never advances", "passed still faked, and time stands still")
	if r := find(t, out.FileResult, "never advances"); r.Failure == nil || r.Failure.Message != "Error: test timed out after 100 ms" {
		t.Errorf("failure: %+v", r.Failure)
	}
	var got string
	err := h.Loop().Run(context.Background(), func(vm *goja.Runtime) (goja.Value, error) {
		v, err := vm.RunString(`[setTimeout === realSetTimeout, Date === RealDate, typeof Date.isFake].join(" ")`)
		if err == nil {
			got = v.String()
		}
		return v, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "true true undefined"; got != want {
		t.Errorf("globals after the file: %q, want %q", got, want)
	}
}

// TestFakeTimersLeaveTheEngineAlone runs an alchemy.test file that fakes
// the timers (and a Date in the past) from its top level on: resources are
// still created and destroyed, since the engine keeps real time.
func TestFakeTimersLeaveTheEngineAlone(t *testing.T) {
	state := t.TempDir()
	api := jsapi.New(jsapi.Config{Defaults: jsapi.Defaults{Stage: "ci", RootDir: state}})
	src := `
import alchemy, { Resource } from "alchemy";
import "alchemy/test/vitest";
import { expect, vi } from "vitest";

vi.useFakeTimers({ now: new Date("2000-01-01T00:00:00Z") });
const Thing = Resource("test::Thing", async function (this: any, id: string) {
  if (this.phase === "delete") {
    console.log("deleted " + this.fqn);
    return this.destroy();
  }
  return this({ name: id, at: Date.now() });
});
const test = alchemy.test(import.meta, { prefix: "ft" });

test("creates while faking", async () => {
  const thing = await Thing("a");
  expect(thing.at).toBe(Date.parse("2000-01-01T00:00:00Z"));
  setTimeout(() => {}, 60000);
  expect(vi.getTimerCount()).toBe(1);
});
`
	out, _ := runInProgramHost(t, src, api.Modules()...)
	checkSummary(t, out.FileResult, "passed creates while faking")
	if !strings.Contains(out.stdout, "deleted ft-a.test.ts/ci/creates while faking/a") {
		t.Errorf("the file's teardown did not destroy the resource:\n%s", out.stdout)
	}
}
