// Package measure holds what the benchmark commands under bench/ share:
// building the binary under test, collecting the wall time, CPU time and
// peak RSS of finished processes, medians, the machine's load average and
// the units the figures are printed in.
package measure

import (
	"cmp"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Workdir makes a temporary directory for a benchmark run, named after
// pattern as by os.MkdirTemp, and returns it with the alchemy binary to
// measure: bin when given, else one BuildAlchemy makes in the directory.
// The caller removes dir.
func Workdir(pattern, bin string) (dir, alchemy string, err error) {
	dir, err = os.MkdirTemp("", pattern)
	if err != nil {
		return "", "", err
	}
	if bin == "" {
		if bin, err = BuildAlchemy(dir); err != nil {
			os.RemoveAll(dir)
			return "", "", err
		}
	}
	return dir, bin, nil
}

// BuildAlchemy builds ./cmd/alchemy of the current directory into dir,
// stripped as released, and returns the binary's path. The compiler's
// output goes to stderr.
func BuildAlchemy(dir string) (string, error) {
	bin := filepath.Join(dir, "alchemy")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "./cmd/alchemy")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("build ./cmd/alchemy: %w", err)
	}
	return bin, nil
}

// Median returns the middle value of xs (the upper middle one of an even
// count), leaving xs in its order. xs must not be empty.
func Median[T cmp.Ordered](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// Samples collects the figures of finished processes, one entry per
// process in each slice.
type Samples struct {
	Wall []time.Duration // wall time, as the caller timed it
	CPU  []time.Duration // user + system CPU time
	RSS  []int64         // peak resident set size, bytes (0 where not measured)
}

// Add records a process that has exited after running for wall.
func (s *Samples) Add(wall time.Duration, ps *os.ProcessState) {
	s.Wall = append(s.Wall, wall)
	s.CPU = append(s.CPU, CPUTime(ps))
	s.RSS = append(s.RSS, PeakRSS(ps))
}

// CPUTime is the user and system CPU time of an exited process.
func CPUTime(ps *os.ProcessState) time.Duration { return ps.UserTime() + ps.SystemTime() }

// LoadAverage returns the 1, 5 and 15 minute load averages from
// /proc/loadavg, or "unknown" where there is none.
func LoadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	fields := strings.Fields(string(data))
	if len(fields) < 3 {
		return "unknown"
	}
	return strings.Join(fields[:3], " ")
}

// Millis expresses d in milliseconds.
func Millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// MiB expresses a size in bytes in mebibytes.
func MiB(bytes int64) float64 { return float64(bytes) / (1 << 20) }

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
