package state

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"
)

// Stage locks of the SQL stores. The library's schema has no lock, so they
// live in a table of their own, which the library never reads:
//
//	alchemy_stage_locks(app, stage, holder, expires) PRIMARY KEY (app, stage)
//
// holder is the JSON of the Holder and expires a lease end in Unix
// milliseconds, pushed forward while the lock is held. A lock whose lease
// ran out, or whose holder ran on this host and is no longer alive, is taken
// over; clocks of hosts sharing a remote database are assumed to agree to
// well within the lease.
const (
	lockLease    = 30 * time.Second
	lockRenew    = lockLease / 3
	sqlLockPoll  = 200 * time.Millisecond
	lockTableSQL = `CREATE TABLE IF NOT EXISTS alchemy_stage_locks (
	app text NOT NULL,
	stage text NOT NULL,
	holder text NOT NULL,
	expires integer NOT NULL,
	PRIMARY KEY (app, stage)
)`
)

type lockTable struct {
	db SQLDB

	mu      sync.Mutex
	created bool
	held    int // locks taken and not yet released
}

func (t *lockTable) ensure(ctx context.Context) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.created {
		return nil
	}
	if _, err := t.db.Query(ctx, lockTableSQL); err != nil {
		return err
	}
	t.created = true
	return nil
}

// Lock implements Store with a leased row of alchemy_stage_locks.
func (s *SQLStore) Lock(ctx context.Context, app, stage string, wait time.Duration) (*Lock, error) {
	fail := func(err error) error { return fmt.Errorf("%s: lock stage %q: %w", s.name, stage, err) }
	if err := s.lock.ensure(ctx); err != nil {
		return nil, fail(err)
	}
	host, _ := os.Hostname()
	me := Holder{PID: os.Getpid(), Host: host, Started: time.Now().UTC()}
	meJSON, err := json.Marshal(me)
	if err != nil {
		return nil, fail(err)
	}
	deadline := time.Now().Add(wait)
	for {
		prev, took, err := s.tryLock(ctx, app, stage, string(meJSON))
		if err != nil {
			return nil, fail(err)
		}
		if took {
			return s.held(app, stage, string(meJSON), prev), nil
		}
		if !time.Now().Before(deadline) {
			return nil, &LockedError{App: app, Stage: stage, Holder: *prev}
		}
		select {
		case <-ctx.Done():
			return nil, fail(ctx.Err())
		case <-time.After(min(sqlLockPoll, time.Until(deadline))):
		}
	}
}

// tryLock takes the lock if it is free or stale. It returns the holder it
// found (nil when the row was free) and whether the lock is now taken.
func (s *SQLStore) tryLock(ctx context.Context, app, stage, me string) (*Holder, bool, error) {
	now := time.Now()
	expires := now.Add(lockLease).UnixMilli()
	rows, err := s.db.Query(ctx, "SELECT holder, expires FROM alchemy_stage_locks WHERE app = ? AND stage = ?", app, stage)
	if err != nil {
		return nil, false, err
	}
	if len(rows) == 0 {
		got, err := s.db.Query(ctx, "INSERT INTO alchemy_stage_locks (app, stage, holder, expires) VALUES (?, ?, ?, ?) ON CONFLICT (app, stage) DO NOTHING RETURNING holder",
			app, stage, me, expires)
		if err != nil {
			return nil, false, err
		}
		// Another run inserted first: look again on the next round.
		return &Holder{}, len(got) == 1, nil
	}
	prevJSON, err := text(rows[0], 0)
	if err != nil {
		return nil, false, err
	}
	prevExpires, err := integer(rows[0], 1)
	if err != nil {
		return nil, false, err
	}
	var prev Holder
	_ = json.Unmarshal([]byte(prevJSON), &prev) // a torn holder is a zero one
	host, _ := os.Hostname()
	stale := prevExpires < now.UnixMilli() || (prev.Host == host && prev.PID != 0 && !processAlive(prev.PID))
	if !stale {
		return &prev, false, nil
	}
	// Compare and swap: only one of the runs that saw the stale holder wins.
	got, err := s.db.Query(ctx, "UPDATE alchemy_stage_locks SET holder = ?, expires = ? WHERE app = ? AND stage = ? AND holder = ? RETURNING holder",
		me, expires, app, stage, prevJSON)
	if err != nil {
		return nil, false, err
	}
	return &prev, len(got) == 1, nil
}

// held returns the Lock of a taken row, renewing its lease until Unlock.
func (s *SQLStore) held(app, stage, me string, prev *Holder) *Lock {
	s.lock.mu.Lock()
	s.lock.held++
	s.lock.mu.Unlock()
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(lockRenew)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), lockRenew)
				// A failed renewal is retried on the next tick; the lease
				// outlives two of them.
				_, _ = s.db.Query(ctx, "UPDATE alchemy_stage_locks SET expires = ? WHERE app = ? AND stage = ? AND holder = ?",
					time.Now().Add(lockLease).UnixMilli(), app, stage, me)
				cancel()
			}
		}
	}()
	l := NewLock(func() error {
		close(stop)
		<-done
		ctx, cancel := context.WithTimeout(context.Background(), lockLease)
		defer cancel()
		_, err := s.db.Query(ctx, "DELETE FROM alchemy_stage_locks WHERE app = ? AND stage = ? AND holder = ?", app, stage, me)
		s.lock.mu.Lock()
		s.lock.held--
		idle := s.lock.held == 0
		s.lock.mu.Unlock()
		// A local database is closed once no run holds it (checkpointing
		// its write-ahead log); it opens again if used after that.
		if c, ok := s.db.(interface{ release() error }); ok && idle {
			if cerr := c.release(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			return fmt.Errorf("%s: unlock stage %q: %w", s.name, stage, err)
		}
		return nil
	})
	if prev != nil && prev.PID != 0 {
		l.TookOver = prev
	}
	return l
}
