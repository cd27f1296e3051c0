//go:build unix

package state

import (
	"errors"
	"syscall"
)

// processAlive reports whether a process of this host is running: signal 0
// checks without sending anything (EPERM means it runs as another user).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
