package engine

import (
	"context"
	"time"

	"github.com/alchemy-go/alchemy/state"
)

// DefaultStoreConcurrency bounds the state operations (reads, atomic
// fsynced writes, deletions) in flight at once. Every started resource reads
// its record and writes it twice; thousands of them started together would
// otherwise each hold an OS thread in a blocking system call, contending for
// the same directory. A few dozen keep the file system busy (journal commits
// are shared by the fsyncs waiting on them) without that cost.
const DefaultStoreConcurrency = 32

// limitedStore passes every operation but Lock through a semaphore. Each
// write is still complete (on disk, renamed into place) when Set returns, so
// a resource's creating record is written before its provider is called.
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

func (s *limitedStore) Get(ctx context.Context, p state.Path, id string) (*state.Record, error) {
	s.acquire()
	defer s.release()
	return s.Store.Get(ctx, p, id)
}

func (s *limitedStore) List(ctx context.Context, p state.Path) ([]string, error) {
	s.acquire()
	defer s.release()
	return s.Store.List(ctx, p)
}

func (s *limitedStore) Set(ctx context.Context, p state.Path, id string, r *state.Record) error {
	s.acquire()
	defer s.release()
	return s.Store.Set(ctx, p, id, r)
}

func (s *limitedStore) Delete(ctx context.Context, p state.Path, id string) error {
	s.acquire()
	defer s.release()
	return s.Store.Delete(ctx, p, id)
}

func (s *limitedStore) DeleteScope(ctx context.Context, p state.Path) error {
	s.acquire()
	defer s.release()
	return s.Store.DeleteScope(ctx, p)
}

// Lock is not limited: it may wait for another run for a long time.
func (s *limitedStore) Lock(ctx context.Context, app, stage string, wait time.Duration) (*state.Lock, error) {
	return s.Store.Lock(ctx, app, stage, wait)
}
