package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/alchemy-go/alchemy/state"
	"github.com/alchemy-go/alchemy/value"
)

// run is one apply in progress. Its record is shared with the resource's
// child scope, whose data (pending replacements) lives in it, and with the
// provider through Request.Data.
type run struct {
	mu       sync.Mutex
	rec      *state.Record
	finished bool
}

func (r *run) write(ctx context.Context, store state.Store, p state.Path, id string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return store.Set(ctx, p, id, r.rec)
}

func (e *Engine) apply(ctx context.Context, s *Scope, h *Handle, props value.Value) {
	defer s.inflight.Done()
	out, err := e.applyResource(ctx, s, h, props)
	if err != nil {
		var re *ResourceError
		if !errors.As(err, &re) || re.FQN != h.FQN {
			err = &ResourceError{FQN: h.FQN, Err: err}
		}
		s.Fail(err)
		e.report(Event{Action: ActionFailed, Kind: h.Kind, ID: h.ID, FQN: h.FQN, Err: err})
	}
	h.output, h.err = out, err
	close(h.done)
}

// propFlag reads a boolean prop the engine itself honours (quiet, adopt).
func propFlag(props value.Value, name string, def bool) bool {
	if o, ok := props.(*value.Object); ok {
		if b, ok := o.GetBool(name); ok {
			return b
		}
	}
	return def
}

func (e *Engine) applyResource(ctx context.Context, s *Scope, h *Handle, props value.Value) (*value.Object, error) {
	if err := s.ready.wait(ctx); err != nil {
		return nil, err
	}
	prov, err := e.registry.lookup(h.Kind)
	if err != nil {
		return nil, err
	}
	quiet := propFlag(props, "quiet", s.settings.quiet)
	report := func(a Action) {
		e.report(Event{Action: a, Kind: h.Kind, ID: h.ID, FQN: h.FQN, Quiet: quiet})
	}
	rec, err := e.store.Get(ctx, s.path, h.ID)
	if err != nil {
		return nil, err
	}
	req := &Request{
		Kind: h.Kind, ID: h.ID, FQN: h.FQN, Seq: h.Seq,
		App: s.app.opts.Name, Stage: s.app.opts.Stage,
		Props: props, Quiet: quiet, Force: s.settings.force,
		Adopt: propFlag(props, "adopt", s.settings.adopt),
		path:  s.path, names: s.names,
	}

	if s.settings.phase == PhaseRead {
		if rec == nil {
			return nil, fmt.Errorf("not found in state and running in %q phase", PhaseRead)
		}
		out := rec.Output
		if reader, ok := prov.(Reader); ok {
			req.Op, req.Props, req.OldProps, req.Output = OpUpdate, rec.Props, rec.Props, rec.Output
			req.Data = &Data{mu: &sync.Mutex{}, obj: rec.Data.Clone()}
			fresh, err := reader.Read(ctx, req)
			if err != nil {
				return nil, &ResourceError{FQN: h.FQN, Op: "read", Err: err}
			}
			out = withIdentity(h.Kind, h.ID, h.FQN, rec.Seq, fresh)
		}
		report(ActionRead)
		return out, nil
	}

	always := false
	if au, ok := prov.(AlwaysUpdater); ok {
		always = au.AlwaysUpdate()
	}
	var op Op
	if rec == nil {
		op = OpCreate
		strategy := StrategyDefault
		if ds, ok := prov.(DestroyStrategist); ok {
			strategy = ds.DestroyStrategy()
		}
		rec = state.NewRecord(state.LayoutCreating)
		rec.Kind, rec.ID, rec.FQN, rec.Seq, rec.Status = h.Kind, h.ID, h.FQN, h.Seq, state.StatusCreating
		rec.Output = placeholderOutput(h, strategy.recorded())
		rec.Props = props
		rec.OldProps = value.NewObject(0)
	} else {
		if rec.Status.Stable() && !s.settings.force && value.Equal(rec.Props, props) {
			skip := !always
			if checker, ok := prov.(Checker); ok && always {
				req.Op, req.OldProps, req.Output = OpUpdate, rec.Props, rec.Output
				req.Data = &Data{mu: &sync.Mutex{}, obj: rec.Data.Clone()}
				if skip, err = checker.UpToDate(ctx, req); err != nil {
					return nil, &ResourceError{FQN: h.FQN, Op: OpUpdate, Err: err}
				}
			}
			if skip {
				report(ActionSkipped)
				return rec.Output, nil
			}
		}
		// A record left creating by a crash is created again, one left
		// updating is updated again.
		req.Resuming = !rec.Status.Stable()
		op = OpUpdate
		if rec.Status == state.StatusCreating {
			op = OpCreate
		}
		rec = rec.Clone()
		rec.Status = state.StatusUpdating
		if op == OpCreate {
			rec.Status = state.StatusCreating
		}
		rec.SetOldProps(rec.Props)
		rec.Props = props
	}
	return e.runHandler(ctx, s, h, prov, req, rec, op, report)
}

// runHandler writes the in-progress record, calls the provider (handling a
// replacement), finalizes the handler's child scope and writes the final
// record.
func (e *Engine) runHandler(ctx context.Context, s *Scope, h *Handle, prov Provider, req *Request, rec *state.Record, op Op, report func(Action)) (*value.Object, error) {
	r := &run{rec: rec}
	if err := r.write(ctx, e.store, s.path, h.ID); err != nil {
		return nil, err
	}
	if op == OpCreate {
		report(ActionCreating)
	} else {
		report(ActionUpdating)
	}
	oldOutput, oldProps := rec.Output, rec.OldProps
	req.Op, req.OldProps, req.Output = op, oldProps, oldOutput
	req.Data = &Data{mu: &r.mu, obj: rec.Data}

	call := func(op Op, replacement bool) (*value.Object, *Scope, error) {
		child := s.resourceScope(h.ID, r)
		if ds, ok := prov.(DestroyStrategist); ok {
			child.settings.strategy = ds.DestroyStrategy()
		}
		rq := *req
		rq.Op, rq.Scope, rq.Replacement = op, child, replacement
		var out *value.Object
		var err error
		switch op {
		case OpCreate:
			out, err = prov.Create(ctx, &rq)
		case OpUpdate:
			change := ChangeUpdate
			if d, ok := prov.(Differ); ok {
				change, err = d.Diff(ctx, &rq)
			}
			switch {
			case err != nil:
			case change == ChangeReplace:
				err = ErrReplace
			case change == ChangeNone:
				out = oldOutput
			default:
				out, err = prov.Update(ctx, &rq)
			}
		}
		return out, child, err
	}

	out, child, err := call(op, false)
	replaced := false
	var rep *ReplaceError
	if errors.As(err, &rep) {
		if op == OpCreate {
			err = fmt.Errorf("%s cannot be replaced in create phase", h.Kind)
		} else {
			out, child, err = e.replace(ctx, s, h, prov, req, rep, child, oldOutput, oldProps, call)
			replaced = err == nil
		}
	}
	if err != nil {
		child.Fail(err)
		return nil, &ResourceError{FQN: h.FQN, Op: op, Err: err}
	}
	// Resources the handler created in earlier runs but not in this one.
	if err := child.finalize(ctx, false); err != nil {
		return nil, err
	}

	output := withIdentity(h.Kind, h.ID, h.FQN, h.Seq, out)
	final := state.NewRecord(state.LayoutFinal)
	final.Kind, final.ID, final.FQN, final.Seq = h.Kind, h.ID, h.FQN, h.Seq
	final.Status = state.StatusCreated
	if op == OpUpdate {
		final.Status = state.StatusUpdated
	}
	final.Output = output
	final.Props = req.Props
	final.DependsOn = dependencies(req.Props, h.FQN)
	r.mu.Lock()
	final.Data = r.rec.Data
	r.rec = final
	err = e.store.Set(ctx, s.path, h.ID, final)
	r.finished = true
	r.mu.Unlock()
	if err != nil {
		return nil, err
	}
	switch {
	case op == OpCreate:
		report(ActionCreated)
	case replaced:
		report(ActionReplaced)
	default:
		report(ActionUpdated)
	}
	return output, nil
}

// replace handles a replacement asked by an update: the old resource is
// recorded for deletion at finalize (or deleted at once when forced) and a
// new one is created.
func (e *Engine) replace(ctx context.Context, s *Scope, h *Handle, prov Provider, req *Request, rep *ReplaceError,
	child *Scope, oldOutput *value.Object, oldProps value.Value,
	call func(Op, bool) (*value.Object, *Scope, error)) (*value.Object, *Scope, error) {
	if err := child.finalize(ctx, false); err != nil {
		return nil, child, err
	}
	child.mu.Lock()
	hasChildren := len(child.started) > 0
	child.mu.Unlock()
	if hasChildren {
		return nil, child, errors.New("has children and cannot be replaced")
	}
	if rep.Force {
		quiet := req.Quiet
		e.report(Event{Action: ActionCleanup, Kind: h.Kind, ID: h.ID, FQN: h.FQN, Quiet: quiet})
		del := *req
		del.Op, del.Props, del.OldProps, del.Output, del.Scope, del.Replacement = OpDelete, oldProps, oldProps, oldOutput, nil, true
		del.Data = &Data{mu: &sync.Mutex{}, obj: value.NewObject(0)}
		if err := prov.Delete(ctx, &del); err != nil {
			return nil, child, fmt.Errorf("delete before replacing: %w", err)
		}
		e.report(Event{Action: ActionCleaned, Kind: h.Kind, ID: h.ID, FQN: h.FQN, Quiet: quiet})
	} else if err := s.addPending(ctx, pendingDeletion{output: oldOutput, oldProps: oldProps}); err != nil {
		return nil, child, err
	}
	// The new resource's handler sees the new props as this.props.
	req.OldProps = req.Props
	return call(OpCreate, true)
}

// placeholderOutput is the output of a record before its first create: the
// identity symbols in the order the library writes them there.
func placeholderOutput(h *Handle, strategy string) *value.Object {
	return value.Obj(
		value.KeyID, value.String(h.ID),
		value.KeyFQN, value.String(h.FQN),
		value.KeyKind, value.String(h.Kind),
		value.KeyScope, value.ScopeRef{},
		value.KeySeq, value.Number(h.Seq),
		value.KeyDestroyStrategy, value.String(strategy),
	)
}

// withIdentity returns the output a resource resolves to: its identity
// symbols first (kind, id, fqn, scope, seq, as the library's this(...)
// writes them), then the provider's fields. Identity values the provider
// returned itself win (this(id, props) may set another id).
func withIdentity(kind, id, fqn string, seq int, fields *value.Object) *value.Object {
	o := value.NewObject(5 + fields.Len())
	o.Set(value.KeyKind, value.String(kind))
	o.Set(value.KeyID, value.String(id))
	o.Set(value.KeyFQN, value.String(fqn))
	o.Set(value.KeyScope, value.ScopeRef{})
	o.Set(value.KeySeq, value.Number(seq))
	for k, v := range fields.All {
		o.Set(k, v)
	}
	return o
}

// dependencies lists the FQNs of the resources referenced by props.
func dependencies(props value.Value, self string) []string {
	var deps []string
	for _, ref := range value.References(props) {
		if ref.FQN != self {
			deps = append(deps, ref.FQN)
		}
	}
	return deps
}
