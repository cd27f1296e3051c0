package state

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Path is the chain of a scope: [app, stage, nested scopes…]. The records of
// a scope live under its path; the marker of a nested scope is the record
// named after it in its parent's path.
type Path []string

// String joins the chain with "/", as a fully qualified name prefix.
func (p Path) String() string { return strings.Join(p, "/") }

// Child returns the path of a child scope.
func (p Path) Child(name string) Path {
	c := make(Path, len(p), len(p)+1)
	copy(c, p)
	return append(c, name)
}

// Store keeps records. Implementations are safe for concurrent use; records
// of different ids are independent, so the engine never holds a global lock
// while reading or writing them.
type Store interface {
	// Get returns the record id in scope p, or nil when there is none.
	Get(ctx context.Context, p Path, id string) (*Record, error)
	// List returns the ids of the records of scope p (not of nested scopes).
	List(ctx context.Context, p Path) ([]string, error)
	// Set writes a record atomically: a reader sees the old or the new one.
	Set(ctx context.Context, p Path, id string, r *Record) error
	// Delete removes a record; a missing record is not an error.
	Delete(ctx context.Context, p Path, id string) error
	// DeleteScope removes the container of scope p once it holds no records.
	DeleteScope(ctx context.Context, p Path) error
	// Lock takes the lock of a stage, waiting up to wait for another holder
	// to release it. A lock left by a dead process is taken over.
	Lock(ctx context.Context, app, stage string, wait time.Duration) (*Lock, error)
}

// Holder describes the process holding a stage lock.
type Holder struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Started time.Time `json:"started"`
}

func (h Holder) String() string {
	return fmt.Sprintf("pid %d on host %s since %s", h.PID, h.Host, h.Started.UTC().Format(time.RFC3339))
}

// LockedError is returned when a stage is locked by another run.
type LockedError struct {
	App, Stage string
	Holder     Holder
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("stage %q of app %q is locked by another run: %s (wait for it with --lock-timeout)",
		e.Stage, e.App, e.Holder)
}

// Lock is a held stage lock.
type Lock struct {
	// TookOver describes the holder of a stale lock that was taken over.
	TookOver *Holder
	release  func() error
	once     sync.Once
	err      error
}

// Unlock releases the lock. Calling it again does nothing.
func (l *Lock) Unlock() error {
	if l == nil {
		return nil
	}
	l.once.Do(func() { l.err = l.release() })
	return l.err
}
