package engine_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/state"
	"github.com/alchemy-go/alchemy/value"
)

// checkedProvider always updates, but says through Checker whether an update
// would change anything; it remembers what each call saw.
type checkedProvider struct {
	mu       sync.Mutex
	upToDate bool
	checkErr error
	calls    []string
	memos    []any
	forced   []bool
}

func (p *checkedProvider) note(call string, req *engine.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = append(p.calls, call)
	p.memos = append(p.memos, req.Memo)
	p.forced = append(p.forced, req.Force)
}

func (p *checkedProvider) AlwaysUpdate() bool { return true }

func (p *checkedProvider) UpToDate(ctx context.Context, req *engine.Request) (bool, error) {
	p.note("check", req)
	if req.Op != engine.OpUpdate || req.Output == nil || !value.Equal(req.OldProps, req.Props) {
		return false, errors.New("check got a request unlike Update's")
	}
	req.Memo = "planned " + req.ID
	return p.upToDate, p.checkErr
}

func (p *checkedProvider) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	p.note("create", req)
	return obj("n", 1), nil
}

func (p *checkedProvider) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	p.note("update", req)
	return obj("n", 2), nil
}

func (p *checkedProvider) Delete(ctx context.Context, req *engine.Request) error {
	p.note("delete", req)
	return nil
}

func (p *checkedProvider) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls, p.memos, p.forced = nil, nil, nil
}

func TestCheckerSkipsUpToDateResources(t *testing.T) {
	e := newEnv(t)
	prov := &checkedProvider{}
	if err := e.reg.Register("test::Checked", prov); err != nil {
		t.Fatal(err)
	}
	props := obj("code", "v1")
	prog := func(ctx context.Context, s *engine.Scope) error {
		_, err := apply(ctx, s, "test::Checked", "w", props)
		return err
	}
	e.mustRunUp(prog)
	if !slices.Equal(prov.calls, []string{"create"}) {
		t.Fatalf("first run: %q (a create is never checked)", prov.calls)
	}

	tests := []struct {
		name      string
		upToDate  bool
		checkErr  error
		force     bool
		wantCalls []string
		wantActs  []engine.Action
		rewritten bool
		wantErr   bool
	}{
		{name: "up to date", upToDate: true,
			wantCalls: []string{"check"}, wantActs: []engine.Action{engine.ActionSkipped}},
		{name: "changed", upToDate: false,
			wantCalls: []string{"check", "update"}, wantActs: updated, rewritten: true},
		{name: "forced", upToDate: true, force: true,
			wantCalls: []string{"update"}, wantActs: updated, rewritten: true},
		{name: "check fails", checkErr: errors.New("cannot bundle"),
			wantCalls: []string{"check"}, wantActs: []engine.Action{engine.ActionFailed}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prov.reset()
			prov.upToDate, prov.checkErr = tc.upToDate, tc.checkErr
			before := snapshot(t, e.dotDir)
			events, err := e.runUp(engine.AppOptions{Force: tc.force}, prog)
			if (err != nil) != tc.wantErr {
				t.Fatalf("run error %v, want error %v", err, tc.wantErr)
			}
			if !slices.Equal(prov.calls, tc.wantCalls) {
				t.Errorf("calls %q, want %q", prov.calls, tc.wantCalls)
			}
			if got := actions(events)["app/dev/w"]; !slices.Equal(got, tc.wantActs) {
				t.Errorf("actions %v, want %v", got, tc.wantActs)
			}
			after := snapshot(t, e.dotDir)
			if tc.rewritten {
				if string(after["app/dev/w.json"].data) == string(before["app/dev/w.json"].data) &&
					after["app/dev/w.json"].modTime.Equal(before["app/dev/w.json"].modTime) {
					t.Error("the record was not rewritten")
				}
			} else {
				sameSnapshot(t, before, after)
			}
			for i, call := range prov.calls {
				if call == "update" && tc.upToDate == false && !tc.force && prov.memos[i] != "planned w" {
					t.Errorf("update did not get the check's memo: %v", prov.memos[i])
				}
				if prov.forced[i] != tc.force {
					t.Errorf("%s: req.Force = %v, want %v", call, prov.forced[i], tc.force)
				}
			}
		})
	}
}

func TestSkippedLineOfUpToDateResource(t *testing.T) {
	ev := engine.Event{Action: engine.ActionSkipped, FQN: "app/dev/api"}
	if got := ev.Line(); got != "[skipped]   api Skipped Resource (no changes)" {
		t.Errorf("line %q", got)
	}
}

// resumeProvider records Request.Resuming of each call.
type resumeProvider struct {
	mu       sync.Mutex
	resuming map[string]bool
}

func (p *resumeProvider) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.resuming["create "+req.ID] = req.Resuming
	return obj(), nil
}

func (p *resumeProvider) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.resuming["update "+req.ID] = req.Resuming
	return obj(), nil
}

func (p *resumeProvider) Delete(ctx context.Context, req *engine.Request) error { return nil }

func TestResumingMarksInterruptedApplies(t *testing.T) {
	e := newEnv(t)
	prov := &resumeProvider{resuming: map[string]bool{}}
	if err := e.reg.Register("test::Resume", prov); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	store := e.store()
	// Records a killed run left behind: one creating (as the library first
	// writes it, with empty props), one updating.
	for _, tc := range []struct {
		id     string
		status state.Status
	}{{"left-creating", state.StatusCreating}, {"left-updating", state.StatusUpdating}} {
		rec := state.NewRecord(state.LayoutCreating)
		rec.Kind, rec.ID, rec.FQN, rec.Status = "test::Resume", tc.id, "app/dev/"+tc.id, tc.status
		rec.Props, rec.OldProps = obj(), obj()
		rec.Output = obj()
		if err := store.Set(ctx, stagePath(), tc.id, rec); err != nil {
			t.Fatal(err)
		}
	}
	e.mustRunUp(func(ctx context.Context, s *engine.Scope) error {
		for _, id := range []string{"fresh", "left-creating", "left-updating"} {
			if _, err := apply(ctx, s, "test::Resume", id, obj("v", 1)); err != nil {
				return err
			}
		}
		return nil
	})
	want := map[string]bool{"create fresh": false, "create left-creating": true, "update left-updating": true}
	for k, v := range want {
		got, ok := prov.resuming[k]
		if !ok || got != v {
			t.Errorf("%s: Resuming %v (called %v), want %v", k, got, ok, v)
		}
	}
	// A second run updates nothing: everything is stable.
	prov.resuming = map[string]bool{}
	e.mustRunUp(func(ctx context.Context, s *engine.Scope) error {
		_, err := apply(ctx, s, "test::Resume", "left-updating", obj("v", 2))
		return err
	})
	if got := prov.resuming["update left-updating"]; got {
		t.Error("a plain update is marked resuming")
	}
}

// countingStore counts the state writes in flight.
type countingStore struct {
	state.Store
	active, peak atomic.Int64
}

func (s *countingStore) enter() func() {
	n := s.active.Add(1)
	for {
		p := s.peak.Load()
		if n <= p || s.peak.CompareAndSwap(p, n) {
			break
		}
	}
	return func() { s.active.Add(-1) }
}

func (s *countingStore) Set(ctx context.Context, p state.Path, id string, r *state.Record) error {
	defer s.enter()()
	return s.Store.Set(ctx, p, id, r)
}

func TestStoreConcurrencyIsBounded(t *testing.T) {
	e := newEnv(t)
	const limit, n = 4, 200
	cs := &countingStore{Store: e.store()}
	eng := engine.New(engine.Config{Store: cs, Registry: e.reg, StoreConcurrency: limit})
	ctx := context.Background()
	app, err := eng.Open(ctx, engine.AppOptions{Name: "app", Stage: "dev", Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	if err := manyProgram(n, false)(ctx, app.Stage()); err != nil {
		t.Fatal(err)
	}
	if err := app.Finalize(ctx); err != nil {
		t.Fatal(err)
	}
	if peak := cs.peak.Load(); peak > limit || peak < 2 {
		t.Errorf("peak of %d state writes at once, want 2..%d", peak, limit)
	}
	ids, err := cs.List(ctx, stagePath())
	if err != nil || len(ids) != n {
		t.Fatalf("%d records (%v), want %d", len(ids), err, n)
	}
}
