package runtime

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"
)

// ErrInterrupted is returned by Run when its context was cancelled (Ctrl-C):
// JS stopped and every Go operation in flight returned.
var ErrInterrupted = errors.New("interrupted")

// ErrUnsettled is returned by Run when the main promise is still pending but
// nothing is left that could settle it (node exits with code 13 then).
var ErrUnsettled = errors.New("top-level await never settled: nothing is left that could settle it")

// ErrLoopStopped is reported to work posted to a loop that has stopped
// running JS.
var ErrLoopStopped = errors.New("event loop stopped")

// Settle turns the result of a Go operation into a JS value. It runs on the
// loop goroutine; a non-nil error rejects the operation's promise.
type Settle func(vm *goja.Runtime) (goja.Value, error)

// Resolved returns a Settle that fulfils with v converted by vm.ToValue.
func Resolved(v any) Settle {
	return func(vm *goja.Runtime) (goja.Value, error) { return vm.ToValue(v), nil }
}

// Rejected returns a Settle that rejects with err.
func Rejected(err error) Settle {
	return func(*goja.Runtime) (goja.Value, error) { return nil, err }
}

type job struct {
	run func(vm *goja.Runtime) error
	// release runs after run, or instead of it when the loop discards the
	// job; it returns the job's share of the outstanding-work count.
	release func()
	// discard runs when the job is dropped without running.
	discard func()
}

// Loop is an event loop owning one goja Runtime. Only the loop goroutine
// (the one inside Run or Serve) touches the Runtime; other goroutines hand it
// work with Post. The loop counts outstanding work (Go operations, timers,
// references) and a run ends when the main promise settled and nothing is
// outstanding.
type Loop struct {
	vm *goja.Runtime

	mu      sync.Mutex
	queue   []job
	wake    chan struct{}
	pending int  // Go operations and references not yet released
	stopped bool // no more JS runs; posted jobs are discarded
	opsCtx  context.Context

	// Loop goroutine only.
	timers     timerHeap
	timerSeq   uint64
	refTimers  int // timers that keep the loop alive
	asyncCtx   any
	tracker    asyncTracker
	rejections []rejection
	failure    error
	onFailure  func(Failure) // serve mode: reports failures instead of stopping
	main       *goja.Promise
	repair     *vmRepair

	// The job limit (SetJobLimit): the watchdog goroutine interrupts a job
	// that has run longer than limit. jobMu orders the watchdog's interrupt
	// against the end of the job it meant to stop.
	limit    atomic.Int64 // time.Duration
	jobMu    sync.Mutex
	jobSeq   uint64
	jobStart time.Time // zero while no job runs
	jobFired uint64    // the job the watchdog interrupted
}

// rejection is a promise rejected with no handler, and the async context
// current when it was rejected.
type rejection struct {
	p   *goja.Promise
	ctx any
}

// Failure describes a job that failed in serve mode.
type Failure struct {
	// Err is a *ScriptError for an uncaught exception or an unhandled
	// rejection, else the reason given to Interrupt (a *JobLimitError when
	// the job limit stopped the job).
	Err error
	// Context is the async context of the code that failed: the one current
	// where an exception escaped, where JS was interrupted, or where an
	// unhandled promise was rejected.
	Context any
	// Frames is where JS stood when an interrupt stopped it, innermost
	// first (empty for other failures, whose errors carry their stack).
	Frames []Frame
}

// JobLimitError is the failure of a job that ran longer than the loop's job
// limit without yielding.
type JobLimitError struct{ Limit time.Duration }

func (e *JobLimitError) Error() string {
	return fmt.Sprintf("exceeded the time limit: ran JavaScript for more than %v without yielding", e.Limit)
}

// NewLoop returns a loop for vm. It installs the promise rejection and async
// context trackers on vm.
func NewLoop(vm *goja.Runtime) *Loop {
	l := &Loop{vm: vm, wake: make(chan struct{}, 1), opsCtx: context.Background(), repair: newVMRepair(vm)}
	l.tracker.loop = l
	vm.SetAsyncContextTracker(&l.tracker)
	vm.SetPromiseRejectionTracker(l.trackRejection)
	return l
}

// VM returns the loop's Runtime. Use it only on the loop goroutine.
func (l *Loop) VM() *goja.Runtime { return l.vm }

// Context returns the context Go operations run under: it is cancelled when
// the run is interrupted. Safe from any goroutine.
func (l *Loop) Context() context.Context {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.opsCtx
}

// Post schedules fn on the loop. It is safe from any goroutine. A non-nil
// error from fn is an uncaught error: it fails a run, or is reported to the
// error handler in serve mode. Post reports false when the loop no longer
// runs JS; fn is then dropped.
func (l *Loop) Post(fn func(vm *goja.Runtime) error) bool {
	return l.post(job{run: fn})
}

func (l *Loop) post(j job) bool {
	l.mu.Lock()
	if l.stopped {
		l.mu.Unlock()
		if j.discard != nil {
			j.discard()
		}
		if j.release != nil {
			j.release()
		}
		return false
	}
	l.queue = append(l.queue, j)
	l.mu.Unlock()
	l.wakeup()
	return true
}

func (l *Loop) wakeup() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Ref keeps the loop alive until the returned release function is called
// (for example while a server is open). Safe from any goroutine; release is
// idempotent.
func (l *Loop) Ref() (release func()) {
	l.mu.Lock()
	l.pending++
	l.mu.Unlock()
	var once sync.Once
	return func() { once.Do(l.unref) }
}

func (l *Loop) unref() {
	l.mu.Lock()
	l.pending--
	l.mu.Unlock()
	l.wakeup()
}

// Go runs op on a new goroutine and returns a promise that settles on the
// loop with op's result. It must be called on the loop goroutine, typically
// from a Go function called by JS. op receives the loop's operation context
// and must not touch the Runtime; the Settle it returns runs on the loop, in
// the async context current when Go was called. A rejection built from a Go
// error carries the JS call stack captured here (see NewError).
func (l *Loop) Go(op func(ctx context.Context) Settle) *goja.Promise {
	p, resolve, reject := l.vm.NewPromise()
	asyncCtx := l.asyncCtx
	site := CaptureCallSite(l.vm)
	release := l.Ref()
	ctx := l.Context()
	go func() {
		settle := runOp(ctx, op)
		l.post(job{
			release: release,
			run: func(vm *goja.Runtime) error {
				l.asyncCtx = asyncCtx
				var v goja.Value
				var err error
				if settle != nil {
					v, err = settle(vm)
				}
				if err != nil {
					return reject(ErrorValue(vm, err, site))
				}
				if v == nil {
					v = goja.Undefined()
				}
				return resolve(v)
			},
		})
	}()
	return p
}

func runOp(ctx context.Context, op func(context.Context) Settle) (settle Settle) {
	defer func() {
		if r := recover(); r != nil {
			settle = Rejected(fmt.Errorf("internal error: %v", r))
		}
	}()
	return op(ctx)
}

// Interrupt stops the JS currently running (or the next to run) with reason.
// Safe from any goroutine. In a run, the run fails with reason once in-flight
// Go operations return; in serve mode the reason is reported and the loop
// continues.
func (l *Loop) Interrupt(reason error) {
	l.vm.Interrupt(reason)
	l.wakeup()
}

// AsyncContext returns the current async context value: the one set with
// SetAsyncContext, carried across await, promise reactions, timers and Go
// operations. Loop goroutine only.
func (l *Loop) AsyncContext() any { return l.asyncCtx }

// SetAsyncContext sets the current async context value; work scheduled from
// now on (awaits, reactions, timers, Go operations) resumes with it. Code
// that sets it for a call restores the previous value afterwards, like
// AsyncLocalStorage.run. Loop goroutine only.
func (l *Loop) SetAsyncContext(v any) { l.asyncCtx = v }

// asyncTracker implements goja.AsyncContextTracker over the loop's current
// async context value.
type asyncTracker struct {
	loop  *Loop
	outer any
}

func (t *asyncTracker) Grab() any { return t.loop.asyncCtx }

func (t *asyncTracker) Resumed(v any) {
	t.outer = t.loop.asyncCtx
	t.loop.asyncCtx = v
}

func (t *asyncTracker) Exited() {
	t.loop.asyncCtx = t.outer
	t.outer = nil
}

func (l *Loop) trackRejection(p *goja.Promise, op goja.PromiseRejectionOperation) {
	switch op {
	case goja.PromiseRejectionReject:
		l.rejections = append(l.rejections, rejection{p: p, ctx: l.asyncCtx})
	case goja.PromiseRejectionHandle:
		for i, q := range l.rejections {
			if q.p == p {
				l.rejections = append(l.rejections[:i], l.rejections[i+1:]...)
				break
			}
		}
	}
}

// fail records a failure: the run stops, or serve mode reports it.
func (l *Loop) fail(f Failure) {
	if l.onFailure != nil {
		l.onFailure(f)
		return
	}
	if l.failure == nil {
		l.failure = f.Err
	}
}

// runJob runs one macrotask and then checks what it left behind: an
// interrupt, a rejected main promise, unhandled rejections.
func (l *Loop) runJob(j job) {
	l.asyncCtx = nil
	l.beginJob()
	err := runProtected(l.vm, j.run)
	l.endJob()
	if l.repair.stuck() {
		// An interrupt (or a Go panic) stopped a promise job: goja kept
		// its frames (see vmRepair).
		l.repair.repair()
	}
	// An exception or interrupt leaves the context of the code it stopped
	// (a promise reaction does not get to restore the outer one).
	failedCtx := l.asyncCtx
	l.asyncCtx = nil
	if j.release != nil {
		j.release()
	}
	if err != nil {
		f := Failure{Err: err, Context: failedCtx}
		var interrupted *goja.InterruptedError
		if errors.As(err, &interrupted) {
			l.vm.ClearInterrupt()
			if reason, ok := interrupted.Value().(error); ok {
				f.Err = reason
			}
			f.Frames = parseStack(interrupted.String())
		} else {
			f.Err = l.uncaught(err, false)
		}
		l.fail(f)
	}
	if l.main != nil && l.main.State() == goja.PromiseStateRejected && l.failure == nil {
		l.fail(Failure{Err: l.uncaught(l.main.Result(), false)})
	}
	for len(l.rejections) > 0 {
		r := l.rejections[0]
		l.rejections = l.rejections[1:]
		if r.p == l.main {
			continue
		}
		l.fail(Failure{Err: l.uncaught(r.p.Result(), true), Context: r.ctx})
	}
}

// PanicError is a Go panic in a native function called by JS: the job
// failed, the loop carries on.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("internal error: panic: %v", e.Value) }

// runProtected runs a job, turning a Go panic that escaped goja (a bug in
// a native function) into a PanicError instead of a crash.
func runProtected(vm *goja.Runtime, run func(*goja.Runtime) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return run(vm)
}

// SetJobLimit makes the loop stop JS that runs longer than d in one job (a
// macrotask and the promise reactions it runs), as a Worker's CPU budget:
// the job fails with *JobLimitError and, in serve mode, the loop carries on
// with the next. Zero (the default) means no limit. Call it before Run or
// Serve.
//
// The limit a loop starts with decides whether it watches jobs at all; a
// loop started with a limit may change it at any time, from any goroutine
// (a server allows more for a Worker's startup than for its requests).
func (l *Loop) SetJobLimit(d time.Duration) { l.limit.Store(int64(d)) }

func (l *Loop) beginJob() {
	if l.limit.Load() <= 0 {
		return
	}
	l.jobMu.Lock()
	l.jobSeq++
	l.jobStart = time.Now()
	l.jobMu.Unlock()
}

func (l *Loop) endJob() {
	if l.limit.Load() <= 0 {
		return
	}
	l.jobMu.Lock()
	l.jobStart = time.Time{}
	if l.jobFired == l.jobSeq {
		// The interrupt may have landed after the job's JS had finished:
		// it must not stop the next job.
		l.vm.ClearInterrupt()
	}
	l.jobMu.Unlock()
}

// watchJobs runs the job limit's watchdog until the returned function is
// called.
func (l *Loop) watchJobs() (stop func()) {
	if l.limit.Load() <= 0 {
		return func() {}
	}
	tickOf := func(limit time.Duration) time.Duration { return max(limit/4, time.Millisecond) }
	quit := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		limit := time.Duration(l.limit.Load())
		t := time.NewTicker(tickOf(limit))
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case now := <-t.C:
				if cur := time.Duration(l.limit.Load()); cur != limit {
					limit = cur
					t.Reset(tickOf(max(limit, time.Millisecond)))
				}
				if limit <= 0 {
					continue
				}
				l.jobMu.Lock()
				if !l.jobStart.IsZero() && l.jobFired != l.jobSeq && now.Sub(l.jobStart) > limit {
					l.jobFired = l.jobSeq
					l.vm.Interrupt(&JobLimitError{Limit: limit})
				}
				l.jobMu.Unlock()
			}
		}
	}()
	return func() {
		close(quit)
		<-exited
	}
}

// uncaught converts a JS exception or value into a *ScriptError (on the loop).
func (l *Loop) uncaught(v any, rejection bool) error {
	var val goja.Value
	switch x := v.(type) {
	case *goja.Exception:
		val = x.Value()
		if se := scriptErrorFromException(l.vm, x); se != nil {
			se.Rejection = rejection
			return se
		}
	case goja.Value:
		val = x
	case error:
		return x
	default:
		val = l.vm.ToValue(x)
	}
	se := scriptErrorFromValue(l.vm, val)
	se.Rejection = rejection
	return se
}

// Run calls main on the loop and runs the loop until the value main returns
// (a promise, usually) has settled and no work is outstanding. It returns
// nil on success; a *ScriptError for an uncaught error or unhandled
// rejection; ErrUnsettled when the main promise can no longer settle;
// ErrInterrupted when ctx was cancelled; or the reason given to Interrupt.
// Before returning it waits for every Go operation in flight.
func (l *Loop) Run(ctx context.Context, main func(vm *goja.Runtime) (goja.Value, error)) error {
	opsCtx, cancelOps := context.WithCancel(ctx)
	defer cancelOps()
	l.start(opsCtx)
	defer l.interruptOnDone(ctx)()
	defer l.watchJobs()()

	l.runJob(job{run: func(vm *goja.Runtime) error {
		v, err := main(vm)
		if err != nil {
			return err
		}
		if v != nil {
			if p, ok := v.Export().(*goja.Promise); ok {
				l.main = p
			}
		}
		return nil
	}})
	for l.failure == nil {
		if ctx.Err() != nil {
			l.fail(Failure{Err: ErrInterrupted})
			break
		}
		if j, ok := l.next(); ok {
			l.runJob(j)
			continue
		}
		if l.idle() {
			if l.main != nil && l.main.State() == goja.PromiseStatePending {
				l.fail(Failure{Err: ErrUnsettled})
			}
			break
		}
		l.wait(ctx.Done())
	}
	if errors.Is(l.failure, ErrInterrupted) {
		cancelOps()
	}
	l.drain()
	return l.failure
}

// Serve runs posted jobs, timers and Go operations until ctx is done, for a
// long-lived runtime such as a Worker isolate. Failures of individual jobs
// (uncaught errors, unhandled rejections, interrupts) go to onError and the
// loop carries on. When ctx is done, Serve waits for Go operations in flight
// and returns.
func (l *Loop) Serve(ctx context.Context, onError func(error)) {
	l.ServeFailures(ctx, func(f Failure) {
		if onError != nil {
			onError(f.Err)
		}
	})
}

// ServeFailures is Serve reporting each failure with the async context of
// the code that failed, so that a server can fail the request it belongs
// to. onFailure runs on the loop goroutine.
func (l *Loop) ServeFailures(ctx context.Context, onFailure func(Failure)) {
	l.start(ctx)
	defer l.interruptOnDone(ctx)()
	defer l.watchJobs()()
	l.onFailure = func(f Failure) {
		l.vm.ClearInterrupt()
		if onFailure != nil {
			onFailure(f)
		}
	}
	for ctx.Err() == nil {
		if j, ok := l.next(); ok {
			l.runJob(j)
			continue
		}
		l.wait(ctx.Done())
	}
	l.drain()
}

// interruptOnDone interrupts the JS running when ctx is done (a busy loop
// never yields to the loop). The returned function stops watching and
// clears an interrupt that arrived after the last JS ran.
func (l *Loop) interruptOnDone(ctx context.Context) (stop func()) {
	quit := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		select {
		case <-ctx.Done():
			l.Interrupt(ErrInterrupted)
		case <-quit:
		}
	}()
	return func() {
		close(quit)
		<-exited
		l.vm.ClearInterrupt()
	}
}

func (l *Loop) start(ctx context.Context) {
	l.mu.Lock()
	l.stopped = false
	l.opsCtx = ctx
	l.mu.Unlock()
	l.failure = nil
	l.main = nil
}

// next returns the next macrotask: a posted job first, else a due timer.
func (l *Loop) next() (job, bool) {
	l.mu.Lock()
	if len(l.queue) > 0 {
		j := l.queue[0]
		l.queue[0] = job{}
		l.queue = l.queue[1:]
		l.mu.Unlock()
		return j, true
	}
	l.mu.Unlock()
	if t := l.timers.peek(); t != nil && !t.when.After(time.Now()) {
		return l.fireTimer(t), true
	}
	return job{}, false
}

// idle reports whether nothing is queued or outstanding.
func (l *Loop) idle() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.queue) == 0 && l.pending == 0 && l.refTimers == 0
}

func (l *Loop) wait(done <-chan struct{}) {
	var timer <-chan time.Time
	if t := l.timers.peek(); t != nil {
		tm := time.NewTimer(time.Until(t.when))
		defer tm.Stop()
		timer = tm.C
	}
	select {
	case <-l.wake:
	case <-timer:
	case <-done:
	}
}

// drain stops running JS and waits until every outstanding Go operation has
// returned, discarding what they post.
func (l *Loop) drain() {
	for {
		l.mu.Lock()
		l.stopped = true
		queue := l.queue
		l.queue = nil
		l.mu.Unlock()
		for _, j := range queue {
			if j.discard != nil {
				j.discard()
			}
			if j.release != nil {
				j.release()
			}
		}
		l.mu.Lock()
		pending := l.pending
		empty := len(l.queue) == 0
		l.mu.Unlock()
		if pending == 0 && empty {
			break
		}
		<-l.wake
	}
	l.timers = nil
	l.refTimers = 0
	l.rejections = nil
}

// Then attaches Go reactions to a JS value that may be a promise (a plain
// value counts as fulfilled). It must run on the loop; the reaction runs on
// the loop too, as a promise job.
func (l *Loop) Then(v goja.Value, react func(vm *goja.Runtime, result goja.Value, rejected bool) error) error {
	vm := l.vm
	p, resolve, _ := vm.NewPromise()
	if err := resolve(v); err != nil {
		return err
	}
	pv := vm.ToValue(p).(*goja.Object)
	then, ok := goja.AssertFunction(pv.Get("then"))
	if !ok {
		return errors.New("Promise.prototype.then is not a function")
	}
	wrap := func(rejected bool) goja.Value {
		return vm.ToValue(func(call goja.FunctionCall) goja.Value {
			if err := react(vm, call.Argument(0), rejected); err != nil {
				panic(vm.ToValue(ErrorValue(vm, err, nil)))
			}
			return goja.Undefined()
		})
	}
	_, err := then(pv, wrap(false), wrap(true))
	return err
}

// Call runs fn on the loop from another goroutine, waits until the value it
// returns settles (a promise is awaited), and converts the outcome with
// export on the loop. A rejection becomes an error (a *ScriptError for JS
// values). Use it to call into JS from Go code that runs off the loop.
func Call[T any](ctx context.Context, l *Loop, fn func(vm *goja.Runtime) (goja.Value, error), export func(vm *goja.Runtime, v goja.Value) (T, error)) (T, error) {
	type outcome struct {
		v   T
		err error
	}
	done := make(chan outcome, 1)
	finish := func(v T, err error) {
		select {
		case done <- outcome{v, err}:
		default:
		}
	}
	release := l.Ref()
	defer release()
	var zero T
	l.post(job{
		discard: func() { finish(zero, ErrLoopStopped) },
		run: func(vm *goja.Runtime) error {
			v, err := fn(vm)
			if err != nil {
				finish(zero, l.uncaught(err, false))
				return nil
			}
			return l.Then(v, func(vm *goja.Runtime, result goja.Value, rejected bool) error {
				if rejected {
					finish(zero, l.uncaught(result, false))
					return nil
				}
				out, err := export(vm, result)
				finish(out, err)
				return nil
			})
		},
	})
	select {
	case o := <-done:
		return o.v, o.err
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// Timers.

type timer struct {
	id       int64
	when     time.Time
	seq      uint64
	interval time.Duration
	repeat   bool
	ref      bool
	index    int
	asyncCtx any
	fn       func(vm *goja.Runtime) error
}

type timerHeap []*timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].when.Equal(h[j].when) {
		return h[i].seq < h[j].seq
	}
	return h[i].when.Before(h[j].when)
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *timerHeap) Push(x any) {
	t := x.(*timer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	t.index = -1
	return t
}
func (h timerHeap) peek() *timer {
	if len(h) == 0 {
		return nil
	}
	return h[0]
}

// Timer is a handle to a scheduled callback.
type Timer struct {
	loop *Loop
	t    *timer
}

// AddTimer schedules fn to run on the loop after d (and every d after that
// when repeat is set), in the current async context. A timer keeps the loop
// alive until it fires or is stopped, unless Unref is called. Loop goroutine
// only.
func (l *Loop) AddTimer(d time.Duration, repeat bool, fn func(vm *goja.Runtime) error) *Timer {
	if d < 0 {
		d = 0
	}
	l.timerSeq++
	t := &timer{
		when: time.Now().Add(d), seq: l.timerSeq, interval: d, repeat: repeat,
		ref: true, asyncCtx: l.asyncCtx, fn: fn,
	}
	heap.Push(&l.timers, t)
	l.refTimers++
	return &Timer{loop: l, t: t}
}

// Stop cancels the timer. Loop goroutine only.
func (tm *Timer) Stop() {
	l, t := tm.loop, tm.t
	if t.index < 0 {
		return
	}
	heap.Remove(&l.timers, t.index)
	if t.ref {
		l.refTimers--
	}
}

// Active reports whether the timer is still scheduled.
func (tm *Timer) Active() bool { return tm.t.index >= 0 }

// SetRef sets whether the timer keeps the loop alive.
func (tm *Timer) SetRef(ref bool) {
	t := tm.t
	if t.ref == ref {
		return
	}
	t.ref = ref
	if t.index >= 0 {
		if ref {
			tm.loop.refTimers++
		} else {
			tm.loop.refTimers--
		}
	}
}

// HasRef reports whether the timer keeps the loop alive.
func (tm *Timer) HasRef() bool { return tm.t.ref }

// Refresh restarts the timer's countdown.
func (tm *Timer) Refresh() {
	l, t := tm.loop, tm.t
	t.when = time.Now().Add(t.interval)
	l.timerSeq++
	t.seq = l.timerSeq
	if t.index >= 0 {
		heap.Fix(&l.timers, t.index)
	} else {
		heap.Push(&l.timers, t)
		if t.ref {
			l.refTimers++
		}
	}
}

func (l *Loop) fireTimer(t *timer) job {
	if t.repeat {
		t.when = time.Now().Add(max(t.interval, time.Millisecond))
		l.timerSeq++
		t.seq = l.timerSeq
		heap.Fix(&l.timers, t.index)
	} else {
		heap.Remove(&l.timers, t.index)
		if t.ref {
			l.refTimers--
		}
	}
	return job{run: func(vm *goja.Runtime) error {
		l.asyncCtx = t.asyncCtx
		return t.fn(vm)
	}}
}
