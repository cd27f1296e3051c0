package state

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// lockPoll is how often a waiting run retries a held lock.
const lockPoll = 50 * time.Millisecond

// LockFile returns the path of a stage's lock file: <dir>/<app>/<stage>.lock,
// beside the stage's data record (the library never reads it).
func (s *FileStore) LockFile(app, stage string) string {
	return filepath.Join(s.dir, app, stage+".lock")
}

// Lock implements Store with an OS file lock (flock on Unix, LockFileEx on
// Windows), which the kernel releases when the holder dies: a lock left by a
// killed run is therefore always taken over. The file also names its holder
// for the error a second run gets. Where the platform allows it, the file is
// removed when the lock is released.
func (s *FileStore) Lock(ctx context.Context, app, stage string, wait time.Duration) (*Lock, error) {
	file := s.LockFile(app, stage)
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return nil, fmt.Errorf("lock stage %q: %w", stage, err)
	}
	deadline := time.Now().Add(wait)
	var f *os.File
	for {
		var err error
		f, err = os.OpenFile(file, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("lock stage %q: %w", stage, err)
		}
		ok, err := tryLockFile(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock stage %q: %w", stage, err)
		}
		if ok {
			// The holder removes the file when it lets go; a lock taken on a
			// file that is no longer at the path is worth nothing.
			if sameFile(f, file) {
				break
			}
			unlockFile(f)
			f.Close()
			continue
		}
		f.Close()
		if !time.Now().Before(deadline) {
			holder := readHolder(file)
			for i := 0; holder.PID == 0 && i < 10; i++ {
				// The holder may be between creating and writing the file.
				time.Sleep(5 * time.Millisecond)
				holder = readHolder(file)
			}
			return nil, &LockedError{App: app, Stage: stage, Holder: holder}
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("lock stage %q: %w", stage, ctx.Err())
		case <-time.After(min(lockPoll, time.Until(deadline))):
		}
	}
	l := &Lock{}
	if prev := readHolder(file); prev.PID != 0 {
		// The previous holder is gone (the kernel released its lock) but did
		// not clear the file: it died.
		l.TookOver = &prev
	}
	host, _ := os.Hostname()
	me, _ := json.Marshal(Holder{PID: os.Getpid(), Host: host, Started: time.Now().UTC()})
	if err := rewrite(f, me); err != nil {
		unlockFile(f)
		f.Close()
		return nil, fmt.Errorf("lock stage %q: %w", stage, err)
	}
	l.release = func() error {
		var err error
		if removeLockFile {
			err = os.Remove(file)
		} else {
			err = rewrite(f, nil)
		}
		err = errors.Join(err, unlockFile(f), f.Close())
		if err != nil {
			return fmt.Errorf("unlock stage %q: %w", stage, err)
		}
		return nil
	}
	return l, nil
}

// sameFile reports whether f is still the file at path.
func sameFile(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(path)
	return err == nil && os.SameFile(a, b)
}

func rewrite(f *os.File, data []byte) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt(data, 0); err != nil {
		return err
	}
	return f.Sync()
}

// readHolder reads the holder description; a missing or torn one gives a
// zero Holder. It reads by path because Windows forbids reading a range
// another handle has locked.
func readHolder(file string) Holder {
	var h Holder
	data, err := os.ReadFile(file)
	if err != nil || len(data) == 0 {
		return h
	}
	_ = json.Unmarshal(data, &h)
	return h
}
