package main

import (
	"errors"
	"os"
	"os/exec"

	"github.com/rogpeppe/go-internal/testscript"
)

func init() {
	scriptCmds["tsc"] = tscCmd
	scriptSetups = append(scriptSetups, exportTSC)
}

// exportTSC passes ALCHEMY_TSC, the TypeScript compiler scripts/typecheck.sh installs, to the scripts,
// so that a script that needs it can begin with `[!exec:$ALCHEMY_TSC] skip`: plain go test needs no npm.
func exportTSC(env *testscript.Env) error {
	env.Setenv("ALCHEMY_TSC", os.Getenv("ALCHEMY_TSC"))
	return nil
}

// tscCmd is `tsc DIR`: the TypeScript compiler ALCHEMY_TSC names over the project in DIR, as
// `tsc -p DIR --noEmit --strict --pretty false`. Its diagnostics go to stdout, for stdout to match.
func tscCmd(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: tsc DIR")
	}
	tsc := ts.Getenv("ALCHEMY_TSC")
	if tsc == "" {
		ts.Fatalf("tsc: ALCHEMY_TSC is not set: begin the script with [!exec:$ALCHEMY_TSC] skip")
	}
	dir := ts.MkAbs(args[0])
	cmd := exec.Command(tsc, "-p", dir, "--noEmit", "--strict", "--pretty", "false")
	cmd.Dir = dir
	cmd.Stdout = ts.Stdout()
	cmd.Stderr = ts.Stderr()
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err != nil && !errors.As(err, &exit):
		ts.Fatalf("tsc: %v", err)
	case err != nil && !neg:
		ts.Fatalf("tsc reported errors")
	case err == nil && neg:
		ts.Fatalf("tsc reported no error")
	}
}
