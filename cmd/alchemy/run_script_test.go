package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// Testscript commands for running programs:
//
//	exitcode N CMD [ARG...]
//	    run CMD and require exit status N; its output is then checked with
//	    stdout and stderr as for exec.
//	waitfile FILE
//	    wait (up to 10s) until FILE exists, e.g. written by a program
//	    running in the background.
//
// Scripts also see $EXAMPLES, the repository's examples directory.
func init() {
	scriptCmds["exitcode"] = exitCodeCmd
	scriptCmds["waitfile"] = waitFileCmd
	scriptSetups = append(scriptSetups, func(env *testscript.Env) error {
		examples, err := filepath.Abs("../../examples")
		if err != nil {
			return err
		}
		env.Setenv("EXAMPLES", examples)
		return nil
	})
}

func exitCodeCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N CMD [ARG...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: %q is not a number", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		got = exit.ExitCode()
	case err != nil:
		ts.Fatalf("exitcode: %v", err)
	}
	if got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
}

func waitFileCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfile FILE")
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(ts.MkAbs(args[0])); err == nil {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("waitfile: %s did not appear within 10s", args[0])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// alchemyBinary returns a path that runs this test binary as the alchemy
// command (TestMain dispatches on the program name).
func alchemyBinary(t *testing.T) string {
	t.Helper()
	test, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "alchemy")
	if err := os.Symlink(test, bin); err != nil {
		t.Fatal(err)
	}
	return bin
}

// Ctrl-C cancels the run, waits for Go operations in flight and exits 130.
func TestInterruptExitStatus(t *testing.T) {
	dir := t.TempDir()
	prog := `import { writeFile } from "node:fs/promises";
await writeFile("started", "");
setInterval(() => {}, 1000);
await new Promise(() => {});
`
	if err := os.WriteFile(filepath.Join(dir, "alchemy.run.ts"), []byte(prog), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr := interruptRun(t, dir)
	if !strings.Contains(stderr, "alchemy: interrupted") {
		t.Errorf("stderr = %q", stderr)
	}
}

// interruptRun runs `alchemy run` in dir, sends it SIGINT once the program
// has written the file "started", and checks that it exits with status 130.
// hostEnvWithoutCI is this process's environment minus CI, so a program run
// by a test behaves the same on a CI machine, where CI would make it demand
// a persistent state store, as on a developer's.
func hostEnvWithoutCI() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CI=") {
			env = append(env, kv)
		}
	}
	return env
}

func interruptRun(t *testing.T, dir string) (stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(alchemyBinary(t), "run")
	cmd.Dir = dir
	cmd.Env = hostEnvWithoutCI()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(dir, "started")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("program did not start: %s", errOut.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
		t.Fatalf("exit: %v, want status %d\nstdout: %s\nstderr: %s", err, exitInterrupted, out.String(), errOut.String())
	}
	return out.String(), errOut.String()
}
