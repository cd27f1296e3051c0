//go:build unix

package measure

import (
	"os"
	"runtime"
	"syscall"
)

// PeakRSS returns the peak resident set size of an exited process, in
// bytes.
func PeakRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return ru.Maxrss // bytes
	}
	return ru.Maxrss * 1024 // KiB
}
