//go:build unix

package engine_test

import (
	"syscall"
	"testing"
	"time"
)

// cpuClock measures the process's CPU time (user + system), which says more
// than wall time on a machine shared with other work.
type cpuClock struct{ start time.Duration }

func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU() *cpuClock { return &cpuClock{start: processCPU()} }

// report adds a cpu-ms/op metric.
func (c *cpuClock) report(b *testing.B) {
	b.ReportMetric(float64(processCPU()-c.start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}
