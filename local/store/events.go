package store

import "sync"

// EventKind names a change that the Worker runtime may react to.
type EventKind string

const (
	// ScriptUpdated: a script was uploaded or its settings, secrets or
	// content changed. Name is the script.
	ScriptUpdated EventKind = "script.updated"
	// ScriptDeleted: a script was removed. Name is the script.
	ScriptDeleted EventKind = "script.deleted"
	// QueueMessages: messages became available on a queue. Name is the
	// queue id.
	QueueMessages EventKind = "queue.messages"
)

// Event is one committed change.
type Event struct {
	Kind      EventKind
	AccountID string
	Name      string
}

// eventBus calls subscribers synchronously after the change has committed.
type eventBus struct {
	mu   sync.Mutex
	next int
	subs map[int]func(Event)
}

// Subscribe registers fn for every committed change and returns a function
// that removes it. fn runs on the goroutine that made the change, after the
// commit, so it must return quickly (hand work to another goroutine).
func (s *Store) Subscribe(fn func(Event)) (cancel func()) {
	b := s.events
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.subs == nil {
		b.subs = map[int]func(Event){}
	}
	id := b.next
	b.next++
	b.subs[id] = fn
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		delete(b.subs, id)
	}
}

func (s *Store) emit(e Event) {
	b := s.events
	b.mu.Lock()
	subs := make([]func(Event), 0, len(b.subs))
	for _, fn := range b.subs {
		subs = append(subs, fn)
	}
	b.mu.Unlock()
	for _, fn := range subs {
		fn(e)
	}
}
