package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// scriptCmds holds the extra testscript commands. Each feature area registers
// its own commands from an init function in its own _test.go file, so that
// this harness stays the only place that runs the scripts.
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){}

// scriptSetups run, in no particular order, before each script.
var scriptSetups []func(env *testscript.Env) error

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"alchemy": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testdata/scripts",
		Cmds:                scriptCmds,
		RequireExplicitExec: false,
		Setup: func(env *testscript.Env) error {
			for _, setup := range scriptSetups {
				if err := setup(env); err != nil {
					return err
				}
			}
			return nil
		},
	})
}
