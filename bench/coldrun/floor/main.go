// Command floor is the least work any `alchemy run` built on the project's
// libraries must do before the program's first statement runs: start a
// process that links goja, esbuild, cloudflare-go and modernc SQLite (so
// their package initialisation runs), bundle the program with the
// project's bundler, and create a goja runtime. It runs nothing.
//
// bench/coldrun measures it beside `alchemy run` (flag -floor), so the
// share of a cold run that no change to alchemy's own code can remove is
// measured in the same conditions, not estimated.
//
//	go build -o floor ./bench/coldrun/floor && ./floor path/to/alchemy.run.ts
package main

import (
	"fmt"
	"os"
	"path/filepath"

	_ "github.com/cloudflare/cloudflare-go/v6"
	"github.com/dop251/goja"
	_ "modernc.org/sqlite"

	"github.com/alchemy-go/alchemy/bundler"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: floor PROGRAM")
		os.Exit(2)
	}
	entry, err := filepath.Abs(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	// The benchmark program imports only node:fs/promises.
	modules := map[string]bundler.VirtualModule{
		"node:fs/promises": {Exports: []string{"readFile", "stat"}},
	}
	res, err := bundler.Bundle(bundler.Options{Entry: entry, Dir: filepath.Dir(entry), Modules: modules})
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	vm := goja.New()
	fmt.Println(len(res.Code) > 0, vm != nil)
}
