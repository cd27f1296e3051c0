package runtime

import (
	"reflect"
	"unsafe"

	"github.com/dop251/goja"
)

// vmRepair puts a goja Runtime back at top level after an interrupt left it
// mid-call.
//
// goja runs promise jobs when a call from Go returns to the top level, and
// it runs them outside the try that unwinds the VM's stacks. An interrupt
// that stops one of those jobs (an async function resumed after an await,
// say) therefore leaves the job's frames on the call stack. From then on the
// Runtime believes every call from Go is nested: it never runs promise jobs
// again, and every later await hangs. A loop calls into goja only from the
// top level, so after each job the call stack must be empty; when it is not,
// repair resets the registers and stacks to what a fresh top-level call
// expects and drops the interrupted run's promise jobs, as goja itself does
// when an interrupt reaches an empty stack.
//
// goja has no API for this, so the fields are reached by name through
// reflect. newVMRepair returns nil when goja's layout no longer has them;
// TestVMRepairFindsGojaFields fails then.
type vmRepair struct {
	callStack, tryStack, iterStack, refStack reflect.Value
	stack, jobQueue                          reflect.Value
	pointers                                 []reflect.Value // set to nil
	pc, sp, args                             reflect.Value
	sb                                       reflect.Value
	stash                                    reflect.Value
	globalStash                              reflect.Value // *stash of the global scope
}

// writable returns an assignable view of v, a field reached through
// unexported names.
func writable(v reflect.Value) reflect.Value {
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

func newVMRepair(vm *goja.Runtime) *vmRepair {
	rt := reflect.ValueOf(vm).Elem()
	vmPtr := rt.FieldByName("vm")
	if !vmPtr.IsValid() || vmPtr.Kind() != reflect.Pointer || vmPtr.IsNil() {
		return nil
	}
	v := vmPtr.Elem()
	field := func(s reflect.Value, name string, kind reflect.Kind) reflect.Value {
		f := s.FieldByName(name)
		if !f.IsValid() || f.Kind() != kind {
			return reflect.Value{}
		}
		return writable(f)
	}
	r := &vmRepair{
		callStack: field(v, "callStack", reflect.Slice),
		tryStack:  field(v, "tryStack", reflect.Slice),
		iterStack: field(v, "iterStack", reflect.Slice),
		refStack:  field(v, "refStack", reflect.Slice),
		stack:     field(v, "stack", reflect.Slice),
		jobQueue:  field(rt, "jobQueue", reflect.Slice),
		pc:        field(v, "pc", reflect.Int),
		sp:        field(v, "sp", reflect.Int),
		sb:        field(v, "sb", reflect.Int),
		args:      field(v, "args", reflect.Int),
		stash:     field(v, "stash", reflect.Pointer),
	}
	for _, name := range []string{"prg", "privEnv", "curAsyncRunner"} {
		r.pointers = append(r.pointers, field(v, name, reflect.Pointer))
	}
	for _, name := range []string{"newTarget", "result"} {
		r.pointers = append(r.pointers, field(v, name, reflect.Interface))
	}
	if global := field(rt, "global", reflect.Struct); global.IsValid() {
		if s := field(global, "stash", reflect.Struct); s.IsValid() && r.stash.IsValid() && s.Addr().Type() == r.stash.Type() {
			r.globalStash = s.Addr()
		}
	}
	for _, f := range append([]reflect.Value{r.callStack, r.tryStack, r.iterStack, r.refStack, r.stack,
		r.jobQueue, r.pc, r.sp, r.sb, r.args, r.stash, r.globalStash}, r.pointers...) {
		if !f.IsValid() {
			return nil
		}
	}
	return r
}

// stuck reports whether the VM holds frames although no JS is running.
func (r *vmRepair) stuck() bool {
	return r != nil && r.callStack.Len() > 0
}

// repair resets the VM to an idle top level.
func (r *vmRepair) repair() {
	for _, s := range []reflect.Value{r.callStack, r.tryStack, r.iterStack, r.refStack} {
		s.Clear()
		s.SetLen(0)
	}
	r.stack.SetZero()
	r.jobQueue.SetZero()
	for _, p := range r.pointers {
		p.SetZero()
	}
	r.pc.SetInt(0)
	r.sp.SetInt(0)
	r.args.SetInt(0)
	r.sb.SetInt(-1)
	r.stash.Set(r.globalStash)
}
