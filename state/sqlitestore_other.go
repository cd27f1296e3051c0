//go:build !unix

package state

import "os"

// processAlive reports whether a process of this host is running. Where
// FindProcess cannot tell, the process is taken to be alive and its lock
// is taken over when its lease runs out.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	p.Release()
	return true
}
