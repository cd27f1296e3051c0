package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/alchemy-go/alchemy/value"
)

// The scope operations a program reaches through its scope objects, beyond
// the resource lifecycle: looking an id up in state (scope.has), the scope's
// own data (scope.get/set/delete) and deleting a single resource
// (destroy(resource)).

// Has reports whether the scope's state holds a record id, of the given
// kind unless kind is empty.
func (s *Scope) Has(ctx context.Context, id, kind string) (bool, error) {
	if err := s.ready.wait(ctx); err != nil {
		return false, err
	}
	rec, err := s.app.eng.store.Get(ctx, s.path, id)
	if err != nil || rec == nil {
		return false, err
	}
	return kind == "" || rec.Kind == kind, nil
}

// UpdateData runs fn on the scope's data and writes it back when fn reports
// a change. The stage keeps its data in <app>/<stage>.json, a nested scope
// in its marker, a resource's child scope in the resource's record. In the
// read phase a change is an error and nothing is written.
func (s *Scope) UpdateData(ctx context.Context, fn func(data *value.Object) bool) error {
	if err := s.ready.wait(ctx); err != nil {
		return err
	}
	readOnly := s.settings.phase == PhaseRead
	changedInRead := false
	err := s.updateData(ctx, func(data *value.Object) bool {
		if !readOnly {
			return fn(data)
		}
		if fn(data.Clone()) {
			changedInRead = true
		}
		return false
	})
	switch {
	case errors.Is(err, errNoScopeData):
		return fmt.Errorf("scope %s has no record to keep data in", s.path)
	case err != nil:
		return err
	case changedInRead:
		return fmt.Errorf("scope %s: cannot change scope data in %q phase", s.path, PhaseRead)
	}
	return nil
}

// DestroyResource deletes the resource id of the scope, with the resources
// its handler created, once its apply has settled, and forgets it for the
// rest of the run. A resource missing from state is not an error.
func (s *Scope) DestroyResource(ctx context.Context, id string) error {
	if s.settings.phase == PhaseRead {
		return fmt.Errorf("resource %q: cannot destroy in %q phase", s.FQN(id), PhaseRead)
	}
	if err := s.ready.wait(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	h := s.started[id]
	s.mu.Unlock()
	if h != nil {
		select {
		case <-h.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := s.app.eng.deleteRecords(ctx, s, []string{id}); err != nil {
		return err
	}
	s.mu.Lock()
	if s.started[id] == h {
		delete(s.started, id)
	}
	s.mu.Unlock()
	return nil
}
