package state

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A child process re-executes this test binary with lockHelperEnv set: it
// takes the lock, prints "locked", and then holds it for the given time (or
// until killed).
const lockHelperEnv = "STATE_TEST_LOCK_HELPER"

func TestMain(m *testing.M) {
	if spec := os.Getenv(lockHelperEnv); spec != "" {
		os.Exit(lockHelper(spec))
	}
	os.Exit(m.Run())
}

func lockHelper(spec string) int {
	dir, hold, _ := strings.Cut(spec, "|")
	d, err := time.ParseDuration(hold)
	if err != nil {
		fmt.Println("bad duration", err)
		return 2
	}
	store := NewFileStore(dir, NewCodec(""))
	l, err := store.Lock(context.Background(), "app", "dev", 0)
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	fmt.Println("locked")
	time.Sleep(d)
	if err := l.Unlock(); err != nil {
		fmt.Println("error", err)
		return 1
	}
	return 0
}

// startHolder starts a child process holding the stage lock.
func startHolder(t *testing.T, dir string, hold time.Duration) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), lockHelperEnv+"="+dir+"|"+hold.String())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "locked" {
		t.Fatalf("holder said %q, %v", line, err)
	}
	return cmd
}

func TestLockContentionAcrossProcesses(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("process locking tested on Unix")
	}
	ctx := context.Background()
	dir := t.TempDir()
	store := NewFileStore(dir, NewCodec(""))
	holder := startHolder(t, dir, time.Hour)

	start := time.Now()
	_, err := store.Lock(ctx, "app", "dev", 0)
	var locked *LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("second lock: %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("failing fast took %v", time.Since(start))
	}
	host, _ := os.Hostname()
	if locked.Holder.PID != holder.Process.Pid || locked.Holder.Host != host || locked.Holder.Started.IsZero() {
		t.Errorf("holder = %+v, want pid %d on %s", locked.Holder, holder.Process.Pid, host)
	}
	for _, part := range []string{"pid " + strconv.Itoa(holder.Process.Pid), "host " + host, "since ", `stage "dev"`, "--lock-timeout"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q lacks %q", err, part)
		}
	}

	// kill -9: the kernel drops the lock; the next run takes it over and
	// learns whom it replaced.
	if err := holder.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	holder.Wait()
	l, err := store.Lock(ctx, "app", "dev", 0)
	if err != nil {
		t.Fatalf("lock after holder died: %v", err)
	}
	if l.TookOver == nil || l.TookOver.PID != holder.Process.Pid {
		t.Errorf("TookOver = %+v, want pid %d", l.TookOver, holder.Process.Pid)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	// A clean unlock leaves nothing to take over.
	l, err = store.Lock(ctx, "app", "dev", 0)
	if err != nil || l.TookOver != nil {
		t.Fatalf("relock: %+v, %v", l, err)
	}
	if info, err := os.Stat(store.LockFile("app", "dev")); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("lock file: %v", err)
	}
	l.Unlock()
	if _, err := os.Stat(store.LockFile("app", "dev")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file left after unlock: %v", err)
	}
}

// TestLockExcludes takes and releases the lock from many goroutines (each
// with its own file, as separate runs have) and checks that no two ever hold
// it at once, even though each release removes the file.
func TestLockExcludes(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("process locking tested on Unix")
	}
	ctx := context.Background()
	store := NewFileStore(t.TempDir(), NewCodec(""))
	var holders atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 25 {
				l, err := store.Lock(ctx, "app", "dev", time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if n := holders.Add(1); n != 1 {
					t.Errorf("%d holders at once", n)
				}
				time.Sleep(50 * time.Microsecond)
				holders.Add(-1)
				if err := l.Unlock(); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}

func TestLockWaitsForTimeout(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("process locking tested on Unix")
	}
	ctx := context.Background()
	dir := t.TempDir()
	store := NewFileStore(dir, NewCodec(""))
	holder := startHolder(t, dir, 300*time.Millisecond)
	l, err := store.Lock(ctx, "app", "dev", 30*time.Second)
	if err != nil {
		t.Fatalf("waiting lock: %v", err)
	}
	if l.TookOver != nil {
		t.Errorf("released lock reported as taken over: %+v", l.TookOver)
	}
	l.Unlock()
	if err := holder.Wait(); err != nil {
		t.Errorf("holder: %v", err)
	}

	// A cancelled context stops the wait.
	startHolder(t, dir, time.Hour)
	cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := store.Lock(cctx, "app", "dev", time.Hour); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled wait: %v", err)
	}
}
