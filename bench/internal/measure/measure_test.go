package measure

import (
	"os"
	"os/exec"
	"runtime"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []int
		want int
	}{
		{[]int{7}, 7},
		{[]int{3, 1, 2}, 2},
		{[]int{4, 1, 3, 2}, 3},
		{[]int{5, 5, 1, 9, 5}, 5},
	}
	for _, tt := range tests {
		in := append([]int(nil), tt.in...)
		if got := Median(in); got != tt.want {
			t.Errorf("Median(%v) = %d, want %d", tt.in, got, tt.want)
		}
		for i := range in {
			if in[i] != tt.in[i] {
				t.Fatalf("Median reordered its argument: %v, was %v", in, tt.in)
			}
		}
	}
}

// TestSamplesOfAChild measures a real child process: this test binary,
// running no tests.
func TestSamplesOfAChild(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	var s Samples
	s.Add(time.Since(start), cmd.ProcessState)
	if len(s.Wall) != 1 || len(s.CPU) != 1 || len(s.RSS) != 1 {
		t.Fatalf("one process gave %d, %d, %d samples", len(s.Wall), len(s.CPU), len(s.RSS))
	}
	if s.Wall[0] <= 0 {
		t.Errorf("wall time %v", s.Wall[0])
	}
	if runtime.GOOS == "linux" || runtime.GOOS == "darwin" {
		// A Go binary maps at least a MiB; a unit slip (KiB vs bytes)
		// would show as a figure a thousand times off.
		if rss := s.RSS[0]; rss < 1<<20 || rss > 1<<32 {
			t.Errorf("peak RSS %d bytes, want a size between 1 MiB and 4 GiB", rss)
		}
	}
}
