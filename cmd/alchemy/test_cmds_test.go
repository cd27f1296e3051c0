package main

import (
	"fmt"
	"os"
	"slices"

	"github.com/rogpeppe/go-internal/testscript"
)

// Testscript commands for alchemy test:
//
//	emptydir DIR
//	    DIR holds nothing (with !, something, which is printed). `emptydir
//	    $WORK/.tmp` checks that a run left no temporary files behind
//	    (TMPDIR is $WORK/.tmp).
func init() {
	scriptCmds["emptydir"] = emptyDirCmd
}

func emptyDirCmd(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: emptydir DIR")
	}
	entries, err := os.ReadDir(ts.MkAbs(args[0]))
	ts.Check(err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	switch {
	case !neg && len(names) > 0:
		ts.Fatalf("%s is not empty: %v", args[0], names)
	case neg && len(names) == 0:
		ts.Fatalf("%s is empty", args[0])
	}
	if len(names) > 0 {
		fmt.Fprintln(ts.Stdout(), names)
	}
}
