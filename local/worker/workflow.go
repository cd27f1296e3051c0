package worker

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/local/store"
	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/webapi"
)

// Workflows run as on Cloudflare: an instance's run() is called from the
// top every time the instance wakes, and its steps replay from storage.
// A step that completed returns its stored result without running again,
// so a run survives a restart of the process or a redeploy of the
// Worker. A run that reaches a sleep, a waitForEvent without its event or
// a retry delay stops there (its invocation ends, holding no isolate);
// the instance is run again when it is due, by a timer, or at once when
// an event arrives. The store's lease on the instance keeps two runs of
// it from overlapping; its generation keeps a terminated or restarted
// run from writing.

// workflowBinding is a Workflow binding.
type workflowBinding struct {
	name string // the Workflow's name
}

// Errors of the Workflow binding, as Cloudflare words them.
var (
	errWorkflowNotFound  = errors.New("instance.not_found")
	errWorkflowInvalidID = errors.New("Workflow instance has invalid id")
	errWorkflowExists    = errors.New("instance.already_exists")
)

// workflowLease names this Runtime in the leases of the instances it
// runs: a lease of another name belongs to a runtime that is gone.
func (rt *Runtime) workflowLease() string {
	sum := sha256.Sum256(append([]byte("workflows\x00"), rt.hops...))
	return hex.EncodeToString(sum[:8])
}

// ResumeWorkflows runs the instances of an account's Workflows that are
// due to run (queued, or woken from a sleep, a wait or a retry delay
// while no runtime ran them), and sets timers for those due later. The
// Runtime calls it for a Workflow when a Worker bound to it, or
// defining it, loads; after a restart of the process this is what
// carries on the instances that were under way.
func (rt *Runtime) ResumeWorkflows(ctx context.Context, account string) error {
	st, err := rt.store()
	if err != nil {
		return err
	}
	wfs, err := st.Workflows(ctx, account)
	if err != nil {
		return err
	}
	for _, wf := range wfs {
		if err := rt.resumeWorkflow(ctx, account, wf.Name); err != nil {
			return err
		}
	}
	return nil
}

func (rt *Runtime) resumeWorkflow(ctx context.Context, account, workflow string) error {
	st, err := rt.store()
	if err != nil {
		return err
	}
	list, err := st.WorkflowInstances(ctx, account, workflow, store.WorkflowQueued, store.WorkflowRunning, store.WorkflowWaiting)
	if err != nil {
		return err
	}
	lease := rt.workflowLease()
	for _, w := range list {
		if w.Paused || w.Lease == lease {
			continue
		}
		rt.wakeWorkflow(account, workflow, w.ID, w.WakeAt)
	}
	return nil
}

// resumeWorkflowsOf resumes, in the background, the Workflows a version
// that loads is bound to (through bindings) or defines.
func (v *version) resumeWorkflowsOf(bindings []binding) {
	rt, account, script := v.w.rt, v.w.key.account, v.w.key.script
	names := map[string]bool{}
	for _, b := range bindings {
		if b.workflow != nil {
			names[b.workflow.name] = true
		}
	}
	go func() {
		st, err := rt.store()
		if err != nil {
			return
		}
		if wfs, err := st.Workflows(rt.ctx, account); err == nil {
			for _, wf := range wfs {
				if wf.ScriptName == script {
					names[wf.Name] = true
				}
			}
		}
		for name := range names {
			if err := rt.resumeWorkflow(rt.ctx, account, name); err != nil && rt.ctx.Err() == nil {
				rt.errorf(script, "workflow %s: resume: %v", name, err)
			}
		}
	}()
}

// wakeWorkflow runs an instance at wakeAt (Unix milliseconds), or now
// when that has passed. The timer ends with the Runtime.
func (rt *Runtime) wakeWorkflow(account, workflow, id string, wakeAt int64) {
	d := time.Until(time.UnixMilli(wakeAt))
	go func() {
		if d > 0 {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-rt.ctx.Done():
				return
			case <-t.C:
			}
		}
		rt.runWorkflow(account, workflow, id, wakeAt > 0)
	}()
}

// kickWorkflow runs an instance now, whether or not it is due: it was
// created, resumed or restarted, or an event arrived for it.
func (rt *Runtime) kickWorkflow(account, workflow, id string) {
	go rt.runWorkflow(account, workflow, id, false)
}

// runWorkflow runs an instance until it finishes or suspends, when it
// claims it; due runs it only when its wake time has come.
func (rt *Runtime) runWorkflow(account, workflow, id string, due bool) {
	st, err := rt.store()
	if err != nil {
		return
	}
	lease := rt.workflowLease()
	for {
		w, ok, err := st.ClaimWorkflowRun(rt.ctx, account, workflow, id, lease, due)
		if err != nil || !ok {
			if err != nil && rt.ctx.Err() == nil && !errors.Is(err, store.ErrNotFound) {
				rt.errorf("workflow "+workflow, "instance %s: %v", id, err)
			}
			return
		}
		run := store.WorkflowRun{AccountID: account, Workflow: workflow, Instance: id, Gen: w.Gen}
		out, err := rt.runWorkflowOnce(w)
		if err != nil {
			// The Runtime is closing: the instance stays leased, and the
			// next runtime on the store carries it on.
			return
		}
		w, rerun, err := st.FinishWorkflowRun(rt.ctx, run, lease, out)
		if err != nil {
			if rt.ctx.Err() == nil {
				rt.errorf("workflow "+workflow, "instance %s: %v", id, err)
			}
			return
		}
		if rerun {
			due = false
			continue
		}
		if (w.Status == store.WorkflowRunning || w.Status == store.WorkflowWaiting) && w.Gen == run.Gen && w.WakeAt > 0 {
			rt.wakeWorkflow(account, workflow, id, w.WakeAt)
		}
		return
	}
}

// runWorkflowOnce calls the run() of an instance's class and returns how
// it stopped. Its error is set only when the Runtime is closing.
func (rt *Runtime) runWorkflowOnce(w store.WorkflowInstance) (store.WorkflowOutcome, error) {
	ctx := rt.ctx
	failed := func(name, msg string) store.WorkflowOutcome {
		e, _ := json.Marshal(map[string]string{"name": name, "message": msg})
		return store.WorkflowOutcome{Status: store.WorkflowErrored, Error: string(e)}
	}
	st, err := rt.store()
	if err != nil {
		return store.WorkflowOutcome{}, err
	}
	def, err := st.Workflow(ctx, w.AccountID, w.Workflow)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return failed("Error", fmt.Sprintf("Workflow %q does not exist", w.Workflow)), nil
		}
		return store.WorkflowOutcome{}, err
	}
	lw, err := rt.worker(w.AccountID, def.ScriptName)
	if err != nil {
		return store.WorkflowOutcome{}, err
	}
	v, err := lw.acquire(ctx)
	if err != nil {
		if ctx.Err() != nil || errors.Is(err, ErrClosed) {
			return store.WorkflowOutcome{}, err
		}
		return failed("Error", fmt.Sprintf("Workflow %s: Worker %q cannot run: %v", w.Workflow, def.ScriptName, err)), nil
	}
	defer v.release()
	iso, err := v.pick(ctx)
	if err != nil {
		return store.WorkflowOutcome{}, err
	}
	what := "workflow " + w.Workflow + " " + w.ID
	out, err := invoke(ctx, iso, what, func(vm *goja.Runtime, callID int64) error {
		params, err := workflowJSValue(vm, w.Params)
		if err != nil {
			return fmt.Errorf("params: %w", err)
		}
		start, _ := goja.AssertFunction(iso.glue.obj.Get("workflowRun"))
		_, err = start(goja.Undefined(), vm.ToValue(callID), vm.ToValue(def.ClassName), vm.ToValue(w.Workflow), vm.ToValue(w.ID),
			vm.ToValue(w.Gen), params, vm.ToValue(w.Timestamp))
		return err
	}, func(vm *goja.Runtime, res, jsErr goja.Value) (store.WorkflowOutcome, error) {
		if jsErr != nil {
			iso.logError(what, runtime.NewScriptError(vm, jsErr))
			name, msg := errorParts(vm, jsErr)
			return failed(name, msg), nil
		}
		o := res.ToObject(vm)
		switch o.Get("kind").String() {
		case "complete":
			out := store.WorkflowOutcome{Status: store.WorkflowComplete, OutputJSON: "null"}
			if val := o.Get("value"); val != nil && !goja.IsUndefined(val) {
				data, err := webapi.Serialize(vm, val)
				if err != nil {
					return failed("Error", "The value returned by run() is not serialisable: "+err.Error()), nil
				}
				out.Output = store.WorkflowValue{Format: "v8", Data: data}
			}
			if j := o.Get("json"); j != nil && !goja.IsUndefined(j) {
				out.OutputJSON = j.String()
			}
			return out, nil
		case "suspend":
			return store.WorkflowOutcome{Status: o.Get("status").String(), WakeAt: o.Get("wakeAt").ToInteger(), WaitingFor: o.Get("waitingFor").String()}, nil
		}
		// Halted: paused, terminated or restarted under it.
		return store.WorkflowOutcome{Status: store.WorkflowRunning}, nil
	})
	if err != nil {
		if ctx.Err() != nil || errors.Is(err, ErrClosed) {
			return store.WorkflowOutcome{}, err
		}
		var ce *callError
		if errors.As(err, &ce) {
			return failed("Error", forCaller(err).Error()), nil
		}
		return failed("Error", err.Error()), nil
	}
	return out, nil
}

// errorParts returns the name and message of a thrown value.
func errorParts(vm *goja.Runtime, v goja.Value) (name, message string) {
	if o, ok := v.(*goja.Object); ok {
		if n := o.Get("name"); n != nil && !goja.IsUndefined(n) {
			name = n.String()
		}
		if m := o.Get("message"); m != nil && !goja.IsUndefined(m) {
			message = m.String()
		}
		if name != "" || message != "" {
			if name == "" {
				name = "Error"
			}
			return name, message
		}
	}
	return "Error", v.String()
}

// workflowJSValue rebuilds a stored value in an isolate.
func workflowJSValue(vm *goja.Runtime, v store.WorkflowValue) (goja.Value, error) {
	switch v.Format {
	case "":
		return goja.Undefined(), nil
	case "v8":
		return webapi.Deserialize(vm, v.Data)
	}
	var out goja.Value
	var err error
	if ex := vm.Try(func() {
		parse, _ := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("parse"))
		out, err = parse(goja.Undefined(), vm.ToValue(string(v.Data)))
	}); ex != nil {
		return nil, ex
	}
	return out, err
}

// workflowNatives are the Go functions of the Workflow bindings and of
// the steps of a run.
func (iso *isolate) workflowNatives(vm *goja.Runtime, set func(string, func(goja.FunctionCall) goja.Value)) {
	account := iso.v.w.key.account
	rt := iso.v.w.rt
	workflowOf := func(h goja.Value) string { return iso.v.bindings[h.ToInteger()].workflow.name }
	throw := func(err error) { panic(runtime.ErrorValue(vm, err, runtime.CaptureCallSite(vm))) }
	serialize := func(v goja.Value) store.WorkflowValue {
		if v == nil || goja.IsUndefined(v) {
			return store.WorkflowValue{}
		}
		data, err := webapi.Serialize(vm, v)
		if err != nil {
			throw(fmt.Errorf("DataCloneError: %w", err))
		}
		return store.WorkflowValue{Format: "v8", Data: data}
	}
	runOf := func(v goja.Value) store.WorkflowRun {
		o := v.ToObject(vm)
		return store.WorkflowRun{AccountID: account, Workflow: o.Get("0").String(), Instance: o.Get("1").String(), Gen: o.Get("2").ToInteger()}
	}

	set("wfCreate", func(c goja.FunctionCall) goja.Value {
		workflow := workflowOf(c.Argument(0))
		var items []store.NewWorkflowInstance
		vm.ForOf(c.Argument(1), func(item goja.Value) bool {
			o := item.ToObject(vm)
			id := store.NewUUID()
			if v := o.Get("0"); v != nil && !goja.IsUndefined(v) {
				id = v.String()
				if !store.ValidWorkflowInstanceID(id) {
					throw(errWorkflowInvalidID)
				}
			}
			items = append(items, store.NewWorkflowInstance{ID: id, Params: serialize(o.Get("1")), ParamsJSON: o.Get("2").String()})
			return true
		})
		return iso.goOp(func(ctx context.Context, st *store.Store) runtime.Settle {
			created, err := st.CreateWorkflowInstances(ctx, account, workflow, items)
			switch {
			case errors.Is(err, store.ErrExists):
				return runtime.Rejected(errWorkflowExists)
			case errors.Is(err, store.ErrInvalid):
				return runtime.Rejected(errWorkflowInvalidID)
			case errors.Is(err, store.ErrNotFound):
				return runtime.Rejected(fmt.Errorf("workflow.not_found: there is no Workflow named %q", workflow))
			case err != nil:
				return runtime.Rejected(err)
			}
			ids := make([]any, len(created))
			for i, w := range created {
				ids[i] = w.ID
				rt.kickWorkflow(account, workflow, w.ID)
			}
			return func(vm *goja.Runtime) (goja.Value, error) { return vm.NewArray(ids...), nil }
		})
	})
	set("wfGet", func(c goja.FunctionCall) goja.Value {
		workflow, id := workflowOf(c.Argument(0)), c.Argument(1).String()
		return iso.goOp(func(ctx context.Context, st *store.Store) runtime.Settle {
			if _, err := st.WorkflowInstance(ctx, account, workflow, id); err != nil {
				if errors.Is(err, store.ErrNotFound) {
					err = errWorkflowNotFound
				}
				return runtime.Rejected(err)
			}
			return runtime.Resolved(id)
		})
	})
	set("wfStatus", func(c goja.FunctionCall) goja.Value {
		workflow, id := workflowOf(c.Argument(0)), c.Argument(1).String()
		return iso.goOp(func(ctx context.Context, st *store.Store) runtime.Settle {
			w, err := st.WorkflowInstance(ctx, account, workflow, id)
			if err != nil {
				if errors.Is(err, store.ErrNotFound) {
					err = errWorkflowNotFound
				}
				return runtime.Rejected(err)
			}
			return func(vm *goja.Runtime) (goja.Value, error) {
				o := vm.NewObject()
				_ = o.Set("status", w.Status)
				if w.Error != "" {
					_ = o.Set("error", workflowErrorObject(vm, w.Error))
				}
				out, err := workflowJSValue(vm, w.Output)
				if err != nil {
					return nil, err
				}
				_ = o.Set("output", out)
				return o, nil
			}
		})
	})
	set("wfControl", func(c goja.FunctionCall) goja.Value {
		workflow, id, action := workflowOf(c.Argument(0)), c.Argument(1).String(), c.Argument(2).String()
		return iso.goOp(func(ctx context.Context, st *store.Store) runtime.Settle {
			w, err := st.ControlWorkflowInstance(ctx, account, workflow, id, action)
			switch {
			case errors.Is(err, store.ErrNotFound):
				return runtime.Rejected(errWorkflowNotFound)
			case errors.Is(err, store.ErrInvalid):
				return runtime.Rejected(fmt.Errorf("instance.invalid_status: cannot %s instance %s, which is %s", action, id, w.Status))
			case err != nil:
				return runtime.Rejected(err)
			}
			if action == store.WorkflowResume || action == store.WorkflowRestart {
				rt.kickWorkflow(account, workflow, id)
			}
			return nil
		})
	})
	set("wfSendEvent", func(c goja.FunctionCall) goja.Value {
		workflow, id, typ := workflowOf(c.Argument(0)), c.Argument(1).String(), c.Argument(2).String()
		payload := serialize(c.Argument(3))
		return iso.goOp(func(ctx context.Context, st *store.Store) runtime.Settle {
			err := st.SendWorkflowEvent(ctx, account, workflow, id, typ, payload)
			switch {
			case errors.Is(err, store.ErrNotFound):
				return runtime.Rejected(errWorkflowNotFound)
			case errors.Is(err, store.ErrInvalid):
				return runtime.Rejected(fmt.Errorf("instance.invalid_status: instance %s takes no events: %w", id, err))
			case err != nil:
				return runtime.Rejected(err)
			}
			rt.kickWorkflow(account, workflow, id)
			return nil
		})
	})

	// The steps of a run: run is [workflow, instance id, generation].
	set("wfStep", func(c goja.FunctionCall) goja.Value {
		run, key := runOf(c.Argument(0)), c.Argument(1).String()
		return iso.goOp(func(ctx context.Context, st *store.Store) runtime.Settle {
			s, ok, halt, err := st.WorkflowStepState(ctx, run, key)
			if err != nil {
				return runtime.Rejected(err)
			}
			return func(vm *goja.Runtime) (goja.Value, error) {
				o := vm.NewObject()
				if halt != "" {
					_ = o.Set("halt", halt)
					return o, nil
				}
				if !ok {
					return goja.Null(), nil
				}
				return stepObject(vm, s)
			}
		})
	})
	set("wfPutStep", func(c goja.FunctionCall) goja.Value {
		run := runOf(c.Argument(0))
		s := store.WorkflowStep{Key: c.Argument(1).String(), State: c.Argument(2).String(), Value: serialize(c.Argument(3)),
			Error: c.Argument(4).String(), Attempts: int(c.Argument(5).ToInteger()), WakeAt: c.Argument(6).ToInteger()}
		return iso.goOp(func(ctx context.Context, st *store.Store) runtime.Settle {
			err := st.PutWorkflowStep(ctx, run, s)
			if errors.Is(err, store.ErrPrecondition) {
				return runtime.Resolved(false)
			}
			if err != nil {
				return runtime.Rejected(err)
			}
			return runtime.Resolved(true)
		})
	})
	set("wfWait", func(c goja.FunctionCall) goja.Value {
		run, key, typ, deadline := runOf(c.Argument(0)), c.Argument(1).String(), c.Argument(2).String(), c.Argument(3).ToInteger()
		return iso.goOp(func(ctx context.Context, st *store.Store) runtime.Settle {
			s, err := st.WaitForWorkflowEvent(ctx, run, key, typ, deadline)
			if errors.Is(err, store.ErrPrecondition) {
				return runtime.Resolved(nil)
			}
			if err != nil {
				return runtime.Rejected(err)
			}
			return func(vm *goja.Runtime) (goja.Value, error) { return stepObject(vm, s) }
		})
	})
}

// stepObject is a step's state for the glue.
func stepObject(vm *goja.Runtime, s store.WorkflowStep) (goja.Value, error) {
	o := vm.NewObject()
	_ = o.Set("state", s.State)
	val, err := workflowJSValue(vm, s.Value)
	if err != nil {
		return nil, fmt.Errorf("step %q: %w", s.Key, err)
	}
	_ = o.Set("value", val)
	if s.Error != "" {
		_ = o.Set("error", workflowErrorObject(vm, s.Error))
	}
	_ = o.Set("attempts", s.Attempts)
	_ = o.Set("wakeAt", s.WakeAt)
	_ = o.Set("eventType", s.EventType)
	_ = o.Set("eventTime", s.EventTime)
	return o, nil
}

// workflowErrorObject is a stored error ({"name","message"} JSON) as the
// { name, message } object instances and steps report.
func workflowErrorObject(vm *goja.Runtime, stored string) *goja.Object {
	var e struct{ Name, Message string }
	_ = json.Unmarshal([]byte(stored), &e)
	o := vm.NewObject()
	_ = o.Set("name", e.Name)
	_ = o.Set("message", e.Message)
	return o
}
