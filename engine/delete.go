package engine

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/alchemy-go/alchemy/state"
	"github.com/alchemy-go/alchemy/value"
)

// Deletion works on a plan: every record to delete (with the contents of
// nested scopes and the children of resources, read up front so that nothing
// is deleted when state cannot be read) is a node with two steps. Its start
// calls the provider's Delete; its finish removes the record once everything
// inside it is gone. The steps are ordered by:
//
//   - dependencies: a resource whose props referenced another finishes
//     before that other one starts;
//   - children: the resources created in a resource's handler start after
//     the resource is deleted, and the resource's record goes after them
//     (the library's order);
//   - nesting: a scope's marker goes after everything in the scope.
//
// Ready steps run on a bounded pool, highest seq first, so that with one
// worker the order is the library's reverse seq order. A failure stops
// everything that waits on it; the rest goes on.

type node struct {
	path state.Path // scope holding the record
	id   string
	kind string
	fqn  string
	rec  *state.Record // nil for a pending replacement
	// pending is a replaced resource waiting for deletion; owner updates the
	// data record that lists it.
	pending *pendingDeletion
	owner   func(context.Context, func(*value.Object) bool) error
	marker  bool
	prio    []int
	sub     []*node // nodes inside this node's scope

	startWaits, finishWaits int
	// startNext start after this node's Delete; finishNext finish after this
	// node finishes; depNext start after this node finishes.
	startNext, finishNext, depNext []*node
	blocked, noop, failed          bool
}

type plan struct {
	eng    *Engine
	scope  *Scope // the live scope on whose behalf the plan runs
	nodes  []*node
	byFQN  map[string]*node
	ownMu  sync.Mutex // serializes updates of records outside live scopes
	quiet  bool
	events func(Action, *node, error)
}

func newPlan(e *Engine, s *Scope) *plan {
	p := &plan{eng: e, scope: s, byFQN: map[string]*node{}, quiet: s.settings.quiet}
	p.events = func(a Action, n *node, err error) {
		e.report(Event{Action: a, Kind: n.kind, ID: n.id, FQN: n.fqn, Err: err, Quiet: p.quiet})
	}
	return p
}

// deleteRecords deletes the records ids of scope s, with everything inside
// them.
func (e *Engine) deleteRecords(ctx context.Context, s *Scope, ids []string) error {
	p := newPlan(e, s)
	for _, id := range ids {
		if err := p.addRecord(ctx, s.path, id, nil, nil, nil); err != nil {
			return err
		}
	}
	return p.run(ctx, e.workersFor(s.settings.strategy))
}

// deletePendingOf deletes the replaced resources recorded in s's data.
func (e *Engine) deletePendingOf(ctx context.Context, s *Scope, list []pendingDeletion) error {
	p := newPlan(e, s)
	for _, pd := range list {
		p.addPending(pd, s.path, nil, nil, nil, s.updateData)
	}
	return p.run(ctx, e.workersFor(s.settings.strategy))
}

func (e *Engine) workersFor(strategy DestroyStrategy) int {
	if strategy == StrategySequential {
		return 1
	}
	return e.workers
}

// link makes the start of child wait for parent's delete, and parent's finish
// wait for child.
func linkChild(parent, child *node) {
	parent.startNext = append(parent.startNext, child)
	child.startWaits++
	child.finishNext = append(child.finishNext, parent)
	parent.finishWaits++
	parent.sub = append(parent.sub, child)
}

func linkContent(container, content *node) {
	content.finishNext = append(content.finishNext, container)
	container.finishWaits++
	container.sub = append(container.sub, content)
}

func (p *plan) place(n *node, parentRes, container *node) {
	n.finishWaits++ // its own start
	if parentRes != nil {
		linkChild(parentRes, n)
	}
	if container != nil {
		linkContent(container, n)
	}
	p.nodes = append(p.nodes, n)
}

func (p *plan) addRecord(ctx context.Context, path state.Path, id string, prio []int, parentRes, container *node) error {
	store := p.eng.store
	rec, err := store.Get(ctx, path, id)
	if err != nil || rec == nil {
		return err
	}
	n := &node{path: path, id: id, kind: rec.Kind, fqn: rec.FQN, rec: rec,
		marker: rec.Kind == state.KindScope, prio: append(slices.Clone(prio), rec.Seq)}
	if n.fqn == "" {
		n.fqn = path.Child(id).String()
	}
	p.place(n, parentRes, container)
	if !n.marker {
		p.byFQN[n.fqn] = n
	}
	// What lives in the record's own scope: a nested scope's contents, or
	// the resources a handler created.
	inner, innerParent := n, (*node)(nil)
	if !n.marker {
		inner, innerParent = nil, n
	}
	owner := func(ctx context.Context, fn func(*value.Object) bool) error {
		p.ownMu.Lock()
		defer p.ownMu.Unlock()
		r, err := store.Get(ctx, path, id)
		if err != nil || r == nil {
			return err
		}
		if fn(r.Data) {
			return store.Set(ctx, path, id, r)
		}
		return nil
	}
	for _, pd := range parsePending(rec.Data) {
		p.addPending(pd, path.Child(id), n.prio, innerParent, inner, owner)
	}
	ids, err := store.List(ctx, path.Child(id))
	if err != nil {
		return err
	}
	for _, cid := range ids {
		if err := p.addRecord(ctx, path.Child(id), cid, n.prio, innerParent, inner); err != nil {
			return err
		}
	}
	return nil
}

func (p *plan) addPending(pd pendingDeletion, path state.Path, prio []int, parentRes, container *node, owner func(context.Context, func(*value.Object) bool) error) {
	kind, _ := pd.output.GetString(value.KeyKind)
	id, _ := pd.output.GetString(value.KeyID)
	fqn, _ := pd.output.GetString(value.KeyFQN)
	// Pending replacements go first, as the library deletes them before
	// anything else.
	n := &node{path: path, id: id, kind: kind, fqn: fqn, pending: &pd, owner: owner,
		prio: append(slices.Clone(prio), math.MaxInt)}
	p.place(n, parentRes, container)
}

// dependsOn returns the FQNs a node's props referenced.
func (n *node) dependsOn() []string {
	var props value.Value
	var deps []string
	if n.rec != nil {
		props = n.rec.Props
		deps = slices.Clone(n.rec.DependsOn)
	} else if n.pending != nil {
		props = n.pending.oldProps
	}
	for _, ref := range value.References(props) {
		if !slices.Contains(deps, ref.FQN) {
			deps = append(deps, ref.FQN)
		}
	}
	return deps
}

// addDependencies adds an edge "x finishes before y starts" for each
// dependency of x on y inside the plan, leaving out edges that would close a
// cycle.
func (p *plan) addDependencies() {
	type edge struct{ from, to *node }
	var deps []edge
	for _, x := range p.nodes {
		if x.marker {
			continue
		}
		for _, fqn := range x.dependsOn() {
			if y := p.byFQN[fqn]; y != nil && y != x {
				deps = append(deps, edge{x, y})
			}
		}
	}
	for len(deps) > 0 {
		stuck := p.cyclic(func(visit func(from, to *node)) {
			for _, d := range deps {
				visit(d.from, d.to)
			}
		})
		if len(stuck) == 0 {
			break
		}
		// Drop the dependencies among the nodes caught in a cycle; the
		// structural order alone is acyclic.
		deps = slices.DeleteFunc(deps, func(d edge) bool { return stuck[d.from] && stuck[d.to] })
	}
	for _, d := range deps {
		d.from.depNext = append(d.from.depNext, d.to)
		d.to.startWaits++
	}
}

// cyclic runs Kahn's algorithm over the steps with the extra dependency
// edges and returns the nodes whose steps could not be ordered.
func (p *plan) cyclic(extra func(visit func(from, to *node))) map[*node]bool {
	type vertex struct {
		n      *node
		finish bool
	}
	in := map[vertex]int{}
	out := map[vertex][]vertex{}
	add := func(a, b vertex) {
		out[a] = append(out[a], b)
		in[b]++
	}
	for _, n := range p.nodes {
		s, f := vertex{n, false}, vertex{n, true}
		in[s] += 0
		add(s, f)
		for _, c := range n.startNext {
			add(s, vertex{c, false})
		}
		for _, c := range n.finishNext {
			add(f, vertex{c, true})
		}
		for _, c := range n.depNext {
			add(f, vertex{c, false})
		}
	}
	extra(func(from, to *node) { add(vertex{from, true}, vertex{to, false}) })
	queue := make([]vertex, 0, len(in))
	for v, d := range in {
		if d == 0 {
			queue = append(queue, v)
		}
	}
	done := 0
	for len(queue) > 0 {
		v := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		done++
		for _, w := range out[v] {
			in[w]--
			if in[w] == 0 {
				queue = append(queue, w)
			}
		}
	}
	if done == len(in) {
		return nil
	}
	stuck := map[*node]bool{}
	for v, d := range in {
		if d > 0 {
			stuck[v.n] = true
		}
	}
	return stuck
}

// step is a unit of work in the ready queue.
type step struct {
	n      *node
	finish bool
}

type readyQueue []step

func (q readyQueue) Len() int { return len(q) }
func (q readyQueue) Less(i, j int) bool {
	a, b := q[i], q[j]
	if c := slices.Compare(a.n.prio, b.n.prio); c != 0 {
		return c > 0 // highest seq first
	}
	if a.finish != b.finish {
		return a.finish
	}
	return a.n.id < b.n.id
}
func (q readyQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *readyQueue) Push(x any)   { *q = append(*q, x.(step)) }
func (q *readyQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// run executes the plan with the given number of workers.
func (p *plan) run(ctx context.Context, workers int) error {
	if len(p.nodes) == 0 {
		return nil
	}
	p.addDependencies()
	var (
		mu        sync.Mutex
		cond      = sync.NewCond(&mu)
		ready     readyQueue
		remaining = 2 * len(p.nodes)
		errs      []error
	)
	for _, n := range p.nodes {
		if n.startWaits == 0 {
			heap.Push(&ready, step{n: n})
		}
	}
	// settle records the outcome of a step and releases what waited on it.
	settle := func(st step, retain bool, err error) {
		mu.Lock()
		defer mu.Unlock()
		n := st.n
		if err != nil {
			n.failed = true
			errs = append(errs, err)
		}
		bad := n.failed || n.blocked
		release := func(next *node, start bool) {
			if bad {
				next.blocked = true
			}
			if start {
				next.startWaits--
				if next.startWaits == 0 {
					heap.Push(&ready, step{n: next})
				}
				return
			}
			next.finishWaits--
			if next.finishWaits == 0 {
				heap.Push(&ready, step{n: next, finish: true})
			}
		}
		if !st.finish {
			if retain {
				markNoop(n.sub)
			}
			for _, c := range n.startNext {
				release(c, true)
			}
			release(n, false)
		} else {
			for _, next := range n.finishNext {
				release(next, false)
			}
			for _, next := range n.depNext {
				release(next, true)
			}
		}
		remaining--
		cond.Broadcast()
	}
	var wg sync.WaitGroup
	for range min(workers, len(p.nodes)) {
		wg.Go(func() {
			for {
				mu.Lock()
				for len(ready) == 0 && remaining > 0 {
					cond.Wait()
				}
				if remaining == 0 {
					mu.Unlock()
					return
				}
				st := heap.Pop(&ready).(step)
				skip := st.n.blocked || st.n.failed
				mu.Unlock()
				if skip {
					settle(st, false, nil)
					continue
				}
				if st.finish {
					settle(st, false, p.finish(ctx, st.n))
				} else {
					retain, err := p.start(ctx, st.n)
					settle(st, retain, err)
				}
			}
		})
	}
	wg.Wait()
	return errJoin(errs)
}

func markNoop(nodes []*node) {
	for _, n := range nodes {
		n.noop = true
		markNoop(n.sub)
	}
}

// start calls the provider's Delete.
func (p *plan) start(ctx context.Context, n *node) (retain bool, err error) {
	if n.marker || n.noop {
		return false, nil
	}
	prov, err := p.eng.registry.lookup(n.kind)
	if err != nil {
		err = &ResourceError{FQN: n.fqn, Op: OpDelete, Err: err}
		p.events(ActionFailed, n, err)
		return false, err
	}
	req := &Request{Kind: n.kind, ID: n.id, FQN: n.fqn, App: p.scope.app.opts.Name, Stage: p.scope.app.opts.Stage,
		Op: OpDelete, Quiet: p.quiet, path: n.path}
	if n.pending != nil {
		req.Props, req.OldProps, req.Output, req.Replacement = n.pending.oldProps, n.pending.oldProps, n.pending.output, true
		req.Data = &Data{mu: &sync.Mutex{}, obj: value.NewObject(0)}
		if seq, ok := n.pending.output.GetNumber(value.KeySeq); ok {
			req.Seq = int(seq)
		}
		p.events(ActionCleanup, n, nil)
	} else {
		req.Seq, req.Props, req.OldProps, req.Output = n.rec.Seq, n.rec.Props, n.rec.Props, n.rec.Output
		req.Data = &Data{mu: &sync.Mutex{}, obj: n.rec.Data.Clone()}
		p.events(ActionDeleting, n, nil)
	}
	if err := prov.Delete(ctx, req); err != nil {
		err = &ResourceError{FQN: n.fqn, Op: OpDelete, Err: err}
		p.events(ActionFailed, n, err)
		return false, err
	}
	return req.retainChildren, nil
}

// finish removes what is left of a node once everything inside it is gone.
func (p *plan) finish(ctx context.Context, n *node) error {
	store := p.eng.store
	var err error
	switch {
	case n.pending != nil:
		err = n.owner(ctx, func(data *value.Object) bool { return removePending(data, n.id) })
		if err == nil && !n.noop {
			p.events(ActionCleaned, n, nil)
		}
	default:
		err = store.Delete(ctx, n.path, n.id)
		if err == nil {
			err = store.DeleteScope(ctx, n.path.Child(n.id))
		}
		if err == nil && !n.noop && !n.marker {
			p.events(ActionDeleted, n, nil)
		}
	}
	if err != nil {
		err = fmt.Errorf("delete %s: %w", n.fqn, err)
		p.events(ActionFailed, n, err)
	}
	return err
}
