package engine

import (
	"context"

	"github.com/alchemy-go/alchemy/state"
)

// DefaultStoreConcurrency bounds the state writes (atomic, fsynced) in
// flight at once. Every started resource writes its record twice; thousands
// of them started together would otherwise each hold an OS thread in a
// blocking fsync, contending for the same directory. A hundred or so keep the
// file system busy (concurrent fsyncs share journal commits) without that
// cost. Reads and deletions are cheap and left unbounded: bounding reads
// doubles the time of a no-op run of 10,000 resources.
const DefaultStoreConcurrency = 128

// limitedStore passes writes through a semaphore. Each write is still
// complete (on disk, renamed into place) when Set returns, so a resource's
// creating record is written before its provider is called.
type limitedStore struct {
	state.Store
	slots chan struct{}
}

func newLimitedStore(s state.Store, n int) *limitedStore {
	return &limitedStore{Store: s, slots: make(chan struct{}, n)}
}

// acquire waits for a slot. It does not give up when ctx ends: the wait is
// bounded by operations already running, and a write the engine started
// (the record of a provider call that happened) must not be dropped.
func (s *limitedStore) acquire() { s.slots <- struct{}{} }

func (s *limitedStore) release() { <-s.slots }

func (s *limitedStore) Set(ctx context.Context, p state.Path, id string, r *state.Record) error {
	s.acquire()
	defer s.release()
	return s.Store.Set(ctx, p, id, r)
}
