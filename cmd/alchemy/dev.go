package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/alchemy-go/alchemy/dev"
	"github.com/alchemy-go/alchemy/runtime"
)

// devDataDir is where a dev session keeps the local Cloudflare's data
// (the same directory alchemy local serves by default).
func devDataDir(root string) string { return filepath.Join(root, ".alchemy", "local") }

// devStateDir is where a dev session's state lives: inside the local
// Cloudflare's data, away from the state of deployed stages (whatever
// rootDir the program passes), and it goes with that data.
func devStateDir(root string) string { return filepath.Join(devDataDir(root), "state") }

// runWatching runs the program, then again whenever one of its files
// changes, until ctx is done (Ctrl-C), which ends it with status 0. Under
// --dev the run deploys to a local Cloudflare started here, whose Workers
// answer on localhost; a change that only concerns a Worker's own files
// rebuilds and swaps that Worker without running the program.
func runWatching(ctx context.Context, c cli, opts *RunOptions, env *runtime.Env) int {
	collectLessOften()
	w, err := dev.NewWatcher(dev.DefaultDebounce)
	if err != nil {
		fmt.Fprintf(c.stderr, "alchemy: watch: %v\n", err)
		return exitFailure
	}
	defer w.Close()
	// The program's directory is watched before the first run, so that no
	// change made while it runs is missed.
	w.AddFiles(opts.File)
	var sess *dev.Session
	if opts.Dev {
		sess, err = dev.Start(ctx, dev.Options{DataDir: devDataDir(opts.RootDir), BasePort: opts.Port, Out: c.stdout, Log: c.stderr})
		if err != nil {
			fmt.Fprintf(c.stderr, "alchemy: dev: %v\n", err)
			return exitFailure
		}
		defer func() {
			if err := sess.Close(); err != nil {
				fmt.Fprintf(c.stderr, "alchemy: dev: stopping: %v\n", err)
			}
		}()
		run := *opts
		run.session = sess
		opts = &run
	}
	if opts.Phase != PhaseUp {
		// --destroy and --read act on the dev state once; nothing to watch.
		code, _ := runOnce(ctx, c, opts, env)
		return code
	}
	program := map[string]bool{opts.File: true} // every file a build of the program read
	built := false
	for first := true; ctx.Err() == nil; first = false {
		_, inputs := runOnce(ctx, c, opts, env)
		built = inputs != nil
		for _, f := range inputs {
			program[f] = true
		}
		w.AddFiles(inputs...)
		if sess != nil {
			w.AddFiles(sess.Inputs()...)
		}
		if first && ctx.Err() == nil {
			fmt.Fprintln(c.stderr, "watching for changes (Ctrl-C to stop)")
		}
		for ctx.Err() == nil {
			changed := w.Next(ctx)
			if changed == nil {
				break
			}
			if rerun(changed, program, built) {
				break
			}
			if sess != nil {
				sess.Swap(ctx, changed)
				w.AddFiles(sess.Inputs()...)
			}
		}
	}
	return exitOK
}

// rerun reports whether a change calls for running the program again: one
// of its files changed, or it did not build last time (the fix may be in a
// file it did not import yet).
func rerun(changed, program map[string]bool, built bool) bool {
	if !built {
		return true
	}
	for f := range changed {
		if program[f] {
			return true
		}
	}
	return false
}
