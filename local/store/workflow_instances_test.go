package store

import (
	"context"
	"errors"
	"testing"
)

func newWorkflow(t *testing.T) (*Store, context.Context) {
	t.Helper()
	s := open(t)
	ctx := context.Background()
	if _, err := s.PutWorkflow(ctx, "acct", "flow", "Flow", "app"); err != nil {
		t.Fatal(err)
	}
	return s, ctx
}

func TestCreateWorkflowInstances(t *testing.T) {
	s, ctx := newWorkflow(t)
	got, err := s.CreateWorkflowInstances(ctx, "acct", "flow", []NewWorkflowInstance{
		{ID: "a", Params: WorkflowValue{Format: "json", Data: []byte(`{"n":1}`)}, ParamsJSON: `{"n":1}`},
		{ID: "b"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Status != WorkflowQueued || string(got[0].Params.Data) != `{"n":1}` || got[1].ParamsJSON != "null" {
		t.Fatalf("created %+v", got)
	}
	tests := []struct {
		name     string
		workflow string
		ids      []string
		want     error
	}{
		{"existing id", "flow", []string{"c", "a"}, ErrExists},
		{"id twice in a batch", "flow", []string{"d", "d"}, ErrExists},
		{"invalid id", "flow", []string{"no spaces"}, ErrInvalid},
		{"leading dash", "flow", []string{"-x"}, ErrInvalid},
		{"no workflow", "other", []string{"e"}, ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var items []NewWorkflowInstance
			for _, id := range tt.ids {
				items = append(items, NewWorkflowInstance{ID: id})
			}
			if _, err := s.CreateWorkflowInstances(ctx, "acct", tt.workflow, items); !errors.Is(err, tt.want) {
				t.Fatalf("err %v, want %v", err, tt.want)
			}
		})
	}
	// A failed batch creates none of its instances.
	if _, err := s.WorkflowInstance(ctx, "acct", "flow", "c"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("instance c of a failed batch: %v", err)
	}
	list, err := s.WorkflowInstances(ctx, "acct", "flow")
	if err != nil || len(list) != 2 {
		t.Fatalf("list %+v, %v", list, err)
	}
	// Deleting the workflow deletes its instances.
	if err := s.DeleteWorkflow(ctx, "acct", "flow"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WorkflowInstance(ctx, "acct", "flow", "a"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("instance of a deleted workflow: %v", err)
	}
}

func TestWorkflowRunLifecycle(t *testing.T) {
	s, ctx := newWorkflow(t)
	if _, err := s.CreateWorkflowInstances(ctx, "acct", "flow", []NewWorkflowInstance{{ID: "i"}}); err != nil {
		t.Fatal(err)
	}
	w, ok, err := s.ClaimWorkflowRun(ctx, "acct", "flow", "i", "rt1", false)
	if err != nil || !ok || w.Status != WorkflowRunning || w.StartedOn == "" {
		t.Fatalf("claim: %+v %v %v", w, ok, err)
	}
	run := WorkflowRun{AccountID: "acct", Workflow: "flow", Instance: "i", Gen: w.Gen}
	// A second claim by the same runtime asks the run under way to run
	// again when it stops.
	if _, ok, err := s.ClaimWorkflowRun(ctx, "acct", "flow", "i", "rt1", false); err != nil || ok {
		t.Fatalf("second claim: %v %v", ok, err)
	}
	if err := s.PutWorkflowStep(ctx, run, WorkflowStep{Key: "do\nfirst\n1", State: "done", Value: WorkflowValue{Format: "json", Data: []byte("1")}}); err != nil {
		t.Fatal(err)
	}
	st, ok, halt, err := s.WorkflowStepState(ctx, run, "do\nfirst\n1")
	if err != nil || !ok || halt != "" || st.State != "done" || string(st.Value.Data) != "1" {
		t.Fatalf("step: %+v %v %q %v", st, ok, halt, err)
	}
	w, rerun, err := s.FinishWorkflowRun(ctx, run, "rt1", WorkflowOutcome{Status: WorkflowWaiting, WakeAt: s.WorkflowNow() + 60_000, WaitingFor: "go"})
	if err != nil || !rerun || w.Status != WorkflowWaiting || w.Lease != "" {
		t.Fatalf("finish: %+v rerun %v %v", w, rerun, err)
	}
	// Not due yet: a timer's claim takes nothing; an event's does.
	if _, ok, _ := s.ClaimWorkflowRun(ctx, "acct", "flow", "i", "rt1", true); ok {
		t.Fatal("claimed before it is due")
	}
	if err := s.SendWorkflowEvent(ctx, "acct", "flow", "i", "go", WorkflowValue{Format: "json", Data: []byte(`"x"`)}); err != nil {
		t.Fatal(err)
	}
	// A runtime that is gone leaves its lease behind: another takes over.
	if _, ok, err := s.ClaimWorkflowRun(ctx, "acct", "flow", "i", "rt1", false); err != nil || !ok {
		t.Fatalf("claim after the event: %v %v", ok, err)
	}
	if _, ok, err := s.ClaimWorkflowRun(ctx, "acct", "flow", "i", "rt2", false); err != nil || !ok {
		t.Fatalf("takeover: %v %v", ok, err)
	}
	ev, err := s.WaitForWorkflowEvent(ctx, run, "wait\ngo\n1", "go", s.WorkflowNow()+1000)
	if err != nil || ev.State != "done" || string(ev.Value.Data) != `"x"` || ev.EventTime == 0 {
		t.Fatalf("wait: %+v %v", ev, err)
	}
	// The event was taken: a second wait for the type waits.
	ev, err = s.WaitForWorkflowEvent(ctx, run, "wait\ngo\n2", "go", 42)
	if err != nil || ev.State != "wait" || ev.WakeAt != 42 {
		t.Fatalf("second wait: %+v %v", ev, err)
	}
	// Pausing a running instance waits for its step to end.
	w, err = s.ControlWorkflowInstance(ctx, "acct", "flow", "i", WorkflowPause)
	if err != nil || w.Status != WorkflowWaitingForPause {
		t.Fatalf("pause: %+v %v", w, err)
	}
	if _, _, halt, _ := s.WorkflowStepState(ctx, run, "x"); halt != WorkflowHaltPaused {
		t.Fatalf("halt %q after pause", halt)
	}
	w, _, err = s.FinishWorkflowRun(ctx, run, "rt2", WorkflowOutcome{Status: WorkflowRunning})
	if err != nil || w.Status != WorkflowPaused {
		t.Fatalf("finish paused: %+v %v", w, err)
	}
	if w, err = s.ControlWorkflowInstance(ctx, "acct", "flow", "i", WorkflowResume); err != nil || w.Status != WorkflowQueued {
		t.Fatalf("resume: %+v %v", w, err)
	}
	// Terminating ends the run: it can write nothing more.
	if w, err = s.ControlWorkflowInstance(ctx, "acct", "flow", "i", WorkflowTerminate); err != nil || w.Status != WorkflowTerminated {
		t.Fatalf("terminate: %+v %v", w, err)
	}
	if err := s.PutWorkflowStep(ctx, run, WorkflowStep{Key: "late", State: "done"}); !errors.Is(err, ErrPrecondition) {
		t.Fatalf("write of a terminated run: %v", err)
	}
	if _, err := s.ControlWorkflowInstance(ctx, "acct", "flow", "i", WorkflowPause); !errors.Is(err, ErrInvalid) {
		t.Fatalf("pause of a terminated instance: %v", err)
	}
	if err := s.SendWorkflowEvent(ctx, "acct", "flow", "i", "go", WorkflowValue{}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("event to a terminated instance: %v", err)
	}
	// Restarting forgets the steps.
	w, err = s.ControlWorkflowInstance(ctx, "acct", "flow", "i", WorkflowRestart)
	if err != nil || w.Status != WorkflowQueued {
		t.Fatalf("restart: %+v %v", w, err)
	}
	run.Gen = w.Gen
	if _, ok, halt, err := s.WorkflowStepState(ctx, run, "do\nfirst\n1"); err != nil || ok || halt != "" {
		t.Fatalf("step after restart: %v %q %v", ok, halt, err)
	}
	if _, ok, _ := s.ClaimWorkflowRun(ctx, "acct", "flow", "i", "rt2", true); !ok {
		t.Fatal("restarted instance not claimed")
	}
	w, _, err = s.FinishWorkflowRun(ctx, run, "rt2", WorkflowOutcome{Status: WorkflowComplete, Output: WorkflowValue{Format: "json", Data: []byte("7")}, OutputJSON: "7"})
	if err != nil || w.Status != WorkflowComplete || w.OutputJSON != "7" || w.EndedOn == "" {
		t.Fatalf("complete: %+v %v", w, err)
	}
}
