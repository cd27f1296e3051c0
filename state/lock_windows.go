//go:build windows

package state

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// The holder description is written at offset 0, so the lock covers a byte
// range far past it: Windows forbids other handles from reading locked bytes.
const lockOffset = 1 << 30

func tryLockFile(f *os.File) (bool, error) {
	ol := &windows.Overlapped{Offset: lockOffset}
	err := windows.LockFileEx(windows.Handle(f.Fd()),
		windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	if err == nil {
		return true, nil
	}
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		return false, nil
	}
	return false, err
}

func unlockFile(f *os.File) error {
	ol := &windows.Overlapped{Offset: lockOffset}
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, ol)
}

// removeLockFile says whether releasing a lock removes its file (an open file cannot be removed on Windows).
const removeLockFile = false
