package engine_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/state"
)

// A child process re-executes this test binary with killHelperEnv set to a
// project directory and runs killProgram there until it is killed.
const killHelperEnv = "ENGINE_TEST_KILL_HELPER"

func TestMain(m *testing.M) {
	if root := os.Getenv(killHelperEnv); root != "" {
		os.Exit(killHelper(root))
	}
	os.Exit(m.Run())
}

const killResources = 300

// killProgram starts many resources at once, each with a large prop so that
// writes take a while, and waits for them.
func killProgram(ctx context.Context, s *engine.Scope) error {
	blob := strings.Repeat("state must stay whole ", 1000)
	var hs []*engine.Handle
	for i := range killResources {
		h, err := s.Start(ctx, "test::Thing", fmt.Sprintf("r%03d", i), obj("delay", i%23, "blob", blob))
		if err != nil {
			return err
		}
		hs = append(hs, h)
	}
	for _, h := range hs {
		if _, err := h.Wait(ctx); err != nil {
			return err
		}
	}
	return nil
}

func killHelper(root string) int {
	reg := engine.NewRegistry()
	reg.Register("test::Thing", newThingProvider())
	eng := engine.New(engine.Config{Store: state.NewFileStore(filepath.Join(root, ".alchemy"), state.NewCodec("pw")), Registry: reg})
	ctx := context.Background()
	app, err := eng.Open(ctx, engine.AppOptions{Name: "app", Stage: "dev"})
	if err != nil {
		fmt.Println(err)
		return 1
	}
	fmt.Println("running")
	if err := killProgram(ctx, app.Stage()); err != nil {
		fmt.Println(err)
		return 1
	}
	app.Finalize(ctx)
	app.Close()
	return 0
}

// checkWholeFiles decodes every record file and counts them.
func checkWholeFiles(t *testing.T, dot string) int {
	t.Helper()
	codec := state.NewCodec("pw")
	n := 0
	filepath.WalkDir(dot, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := codec.DecodeRecord(data); err != nil {
			t.Errorf("%s is not a whole record: %v", path, err)
		}
		n++
		return nil
	})
	return n
}

func TestKillMidRunConverges(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("kill -9 is a Unix test")
	}
	root := t.TempDir()
	dot := filepath.Join(root, ".alchemy")
	for round, wait := range []int{5, 40, 120} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), killHelperEnv+"="+root)
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 8)
		out.Read(buf)
		// Let it write some records, then kill it without warning.
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			entries, _ := os.ReadDir(filepath.Join(dot, "app", "dev"))
			if len(entries) >= wait {
				break
			}
			time.Sleep(time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		n := checkWholeFiles(t, dot)
		t.Logf("round %d: killed with %d records on disk", round, n)
	}

	// The next run takes over the dead run's lock and converges.
	e := newEnv(t)
	e.root, e.dotDir, e.password = root, dot, "pw"
	events := e.mustRunUp(killProgram)
	created, stable := 0, 0
	for _, ev := range events {
		switch ev.Action {
		case engine.ActionCreated, engine.ActionUpdated:
			created++
		case engine.ActionSkipped:
			stable++
		case engine.ActionWarn:
			if !strings.Contains(ev.Message, "took over") {
				t.Errorf("warning: %s", ev.Message)
			}
		}
	}
	if created+stable != killResources {
		t.Errorf("%d applied + %d skipped, want %d", created, stable, killResources)
	}
	if n := checkWholeFiles(t, dot); n != killResources {
		t.Errorf("%d records", n)
	}
	ctx := context.Background()
	store := e.store()
	ids, _ := store.List(ctx, stagePath())
	for _, id := range ids {
		rec, _ := store.Get(ctx, stagePath(), id)
		if !rec.Status.Stable() {
			t.Errorf("%s is %s", id, rec.Status)
		}
		if blob, _ := rec.Output.GetString("blob"); len(blob) == 0 {
			t.Errorf("%s has no output", id)
		}
	}
	// And a further run has nothing to do.
	events = e.mustRunUp(killProgram)
	for _, ev := range events {
		if ev.Action != engine.ActionSkipped {
			t.Fatalf("not converged: %+v", ev)
		}
	}
}
