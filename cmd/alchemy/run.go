package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/alchemy-go/alchemy/bundler"
	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/nodelib"
	"github.com/alchemy-go/alchemy/runtime/webapi"
)

// programCommand returns the command that runs a program: run and its
// aliases deploy, destroy (--destroy) and dev (--dev).
func programCommand(name string) func(ctx context.Context, c cli, args []string) int {
	return func(ctx context.Context, c cli, args []string) int {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprint(c.stdout, usage())
			return exitOK
		}
		opts, env, err := prepareRun(name, args)
		if err != nil {
			fmt.Fprintf(c.stderr, "alchemy %s: %v\n", name, err)
			var ue *usageError
			if errors.As(err, &ue) {
				return exitUsage
			}
			return exitFailure
		}
		return runProgram(ctx, c, opts, env)
	}
}

// prepareRun parses the command line, loads the env file and resolves the
// options of a run.
func prepareRun(command string, args []string) (*RunOptions, *runtime.Env, error) {
	raw, err := parseRunArgs(args)
	if err != nil {
		return nil, nil, err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return nil, nil, err
	}
	env := runtime.NewEnv(os.Environ())
	preset := map[string]bool{}
	for _, k := range env.Keys() {
		preset[k] = true
	}
	envFile, explicit := raw.envFile, raw.envFile != ""
	if !explicit {
		envFile = ".env"
	}
	envPath := absPath(cwd, envFile)
	loaded, err := loadEnvFile(envPath, explicit, env.Set, func(k string) bool { return preset[k] })
	if err != nil {
		if explicit {
			return nil, nil, &usageError{msg: err.Error()}
		}
		return nil, nil, err
	}
	binary, err := os.Executable()
	if err != nil {
		binary = os.Args[0]
	}
	opts, err := resolveRunOptions(command, raw, cwd, binary, env.Get)
	if err != nil {
		return nil, nil, err
	}
	if loaded {
		opts.EnvFile = envPath
	}
	return opts, env, nil
}

// builtinModules returns the registry of modules programs can import.
func builtinModules() (*runtime.Registry, error) {
	reg := runtime.NewRegistry()
	if err := nodelib.Register(reg); err != nil {
		return nil, err
	}
	return reg, nil
}

// virtualModules describes the registry's modules to the bundler, under
// every spelling.
func virtualModules(reg *runtime.Registry) map[string]bundler.VirtualModule {
	out := map[string]bundler.VirtualModule{}
	for _, m := range reg.Modules() {
		vm := bundler.VirtualModule{Exports: m.Exports, Default: m.Default}
		for _, spec := range m.Specifiers() {
			out[spec] = vm
		}
	}
	return out
}

// runProgram bundles and runs a program and maps the outcome to an exit
// code.
func runProgram(ctx context.Context, c cli, opts *RunOptions, env *runtime.Env) int {
	// A run allocates a few MiB up front (bundling, compiling); collecting
	// less often keeps short runs free of GC work at a small memory cost.
	debug.SetGCPercent(400)
	if opts.Watch {
		fmt.Fprintln(c.stderr, "alchemy: watching for changes is not available yet; running once")
	}
	cwd := filepath.Dir(opts.File)
	if wd, err := os.Getwd(); err == nil {
		cwd = wd
	}
	reg, err := builtinModules()
	if err != nil {
		fmt.Fprintf(c.stderr, "alchemy: %v\n", err)
		return exitFailure
	}
	// The JS realm is set up while esbuild bundles: both are CPU work of a
	// cold start, and the Host is handed over before anything runs on it.
	hosts := make(chan *runtime.Host, 1)
	go func() {
		h := runtime.New(runtime.Config{
			Dir:     cwd,
			Args:    opts.Argv,
			Env:     env,
			Stdout:  c.stdout,
			Stderr:  c.stderr,
			Modules: reg,
		})
		webapi.Install(h)
		nodelib.InstallGlobals(h)
		hosts <- h
	}()
	res, err := bundler.Bundle(bundler.Options{Entry: opts.File, Dir: cwd, Modules: virtualModules(reg)})
	h := <-hosts
	if err != nil {
		fmt.Fprintln(c.stderr, strings.TrimRight(err.Error(), "\n"))
		return exitFailure
	}
	for _, w := range res.Warnings {
		fmt.Fprint(c.stderr, strings.Replace(w.String(), "error: ", "warning: ", 1))
	}
	err = h.Run(ctx, runtime.Script{Code: res.Code, SourceMap: res.SourceMap, File: res.File, Entry: opts.File})
	var exit *runtime.ExitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &exit):
		return exit.Code
	case errors.Is(err, runtime.ErrInterrupted):
		fmt.Fprintln(c.stderr, "alchemy: interrupted")
		return exitInterrupted
	case errors.Is(err, runtime.ErrUnsettled):
		fmt.Fprintf(c.stderr, "alchemy: %v\n", err)
		return exitUnsettled
	}
	fmt.Fprint(c.stderr, h.FormatError(err))
	return exitFailure
}
