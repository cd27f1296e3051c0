//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows)

package state

import "os"

// Platforms without flock or LockFileEx run unlocked: the lock only records
// its holder.
func tryLockFile(f *os.File) (bool, error) { return true, nil }

func unlockFile(f *os.File) error { return nil }

// removeLockFile says whether releasing a lock removes its file.
const removeLockFile = true
