package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/alchemy-go/alchemy/bundler"
	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/jsapi"
	"github.com/alchemy-go/alchemy/providers/cloudflare"
	"github.com/alchemy-go/alchemy/providers/fs"
	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/nodelib"
	"github.com/alchemy-go/alchemy/runtime/webapi"
	"github.com/alchemy-go/alchemy/value"
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
		if opts.Watch || opts.Dev {
			return runWatching(ctx, c, opts, env)
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

// builtinModules returns the registry of modules programs can import: the
// Node built-ins and the alchemy modules of the run.
func builtinModules(api *jsapi.API) (*runtime.Registry, error) {
	reg := runtime.NewRegistry()
	if err := nodelib.Register(reg); err != nil {
		return nil, err
	}
	mods := append(api.Modules(), api.Module(cloudflareModuleFor(api)))
	for _, m := range mods {
		if err := reg.Register(m); err != nil {
			return nil, err
		}
	}
	return reg, nil
}

// providers returns the engine registry of the Go resource kinds.
func providers(opts *RunOptions, env *runtime.Env, cwd string) (*engine.Registry, error) {
	reg := engine.NewRegistry()
	if err := fs.Register(reg, opts.RootDir); err != nil {
		return nil, err
	}
	getenv := func(k string) string { v, _ := env.Get(k); return v }
	cf := cloudflare.Options{API: cloudflare.ConfigFromEnv(getenv), Dir: cwd, Local: opts.Dev}
	if s := opts.session; s != nil {
		cf.API, cf.Remote, cf.Dev = s.API(), cf.API, s
	}
	if _, err := cloudflare.Register(reg, cf); err != nil {
		return nil, err
	}
	return reg, nil
}

// cloudflareModule is alchemy/cloudflare: the provider package describes
// its exports in the value model, each maps onto the JS bridge.
func cloudflareModule() jsapi.Module {
	return jsModule(cloudflare.Module())
}

// jsModule maps the exports of alchemy/cloudflare onto the JS bridge.
func jsModule(exports []cloudflare.Export) jsapi.Module {
	m := jsapi.Module{Name: cloudflare.ModuleName}
	for _, e := range exports {
		if e.Kind == cloudflare.ExportResource {
			m.Resources = append(m.Resources, cloudflareResource(e))
			continue
		}
		m.Values = append(m.Values, cloudflareExport(e))
	}
	return m
}

// cloudflareModuleFor is alchemy/cloudflare in a run: cloudflareModule with
// the resources' output methods (R2Bucket's object methods) bound to the
// run's providers.
func cloudflareModuleFor(api *jsapi.API) jsapi.Module {
	exports := cloudflare.Module()
	m := jsModule(exports)
	cf := cloudflare.Of(api.Registry())
	if cf == nil {
		return m
	}
	methods := map[string][]jsapi.OutputMethod{}
	for _, e := range exports {
		for _, meth := range e.Methods {
			methods[e.Name] = append(methods[e.Name], jsapi.OutputMethod{Name: meth.Name,
				Call: func(ctx context.Context, out *value.Object, args []value.Value) (value.Value, error) {
					return meth.Call(ctx, cf, out, args)
				}})
		}
	}
	for i, r := range m.Resources {
		if ms := methods[r.Export]; len(ms) > 0 {
			m.Resources[i].Output = api.OutputMethods(ms)
		}
	}
	return m
}

func cloudflareResource(e cloudflare.Export) jsapi.ResourceType {
	t := jsapi.ResourceType{Export: e.Name, Kind: e.ResourceKind, NoUndefinedIn: e.NoUndefinedIn, Missing: jsapi.PropsRequired}
	if e.PropsOptional {
		t.Missing = jsapi.PropsEmpty
	}
	if normalize := e.Normalize; normalize != nil {
		t.Props = func(c *jsapi.Call, props value.Value) (value.Value, error) {
			return normalize(cloudflare.NormalizeContext{Local: c.Local, Dir: c.Dir}, c.ID, props)
		}
	}
	for _, m := range e.Members {
		t.Members = append(t.Members, cloudflareExport(m))
	}
	return t
}

func cloudflareExport(e cloudflare.Export) jsapi.Export {
	x := jsapi.Export{Name: e.Name}
	switch e.Kind {
	case cloudflare.ExportFactory, cloudflare.ExportAsyncFactory:
		x.Func, x.Async = e.Build, e.Kind == cloudflare.ExportAsyncFactory
	case cloudflare.ExportValue:
		x.Value = e.Value
	case cloudflare.ExportGuard:
		x.Guard = e.Is
	}
	for _, m := range e.Members {
		x.Members = append(x.Members, cloudflareExport(m))
	}
	return x
}

// newAPI returns the alchemy module of a run, whose resource lines and
// summary go to stdout.
func newAPI(c cli, opts *RunOptions, env *runtime.Env) (*jsapi.API, *engine.TextReporter, error) {
	cwd := filepath.Dir(opts.File)
	if wd, err := os.Getwd(); err == nil {
		cwd = wd
	}
	kinds, err := providers(opts, env, cwd)
	if err != nil {
		return nil, nil, err
	}
	text := engine.NewTextReporter(c.stdout, engine.TextOptions{Color: colorOutput(c.stdout, env)})
	stateDir := ""
	if opts.session != nil {
		stateDir = devStateDir(opts.RootDir)
	}
	api := jsapi.New(jsapi.Config{
		Registry: kinds,
		Reporter: text,
		Defaults: jsapi.Defaults{
			Stage:       opts.Stage,
			Phase:       engine.Phase(opts.Phase),
			App:         opts.App,
			Password:    opts.Password,
			Force:       opts.Force,
			Adopt:       opts.Adopt,
			Quiet:       opts.Quiet,
			Local:       opts.Dev,
			Watch:       opts.Watch,
			RootDir:     opts.RootDir,
			StateDir:    stateDir,
			LockTimeout: opts.LockTimeout,
		},
	})
	return api, text, nil
}

// colorOutput reports whether resource lines are coloured: only on a
// terminal, and neither NO_COLOR nor CI is set.
func colorOutput(w io.Writer, env *runtime.Env) bool {
	for _, k := range []string{"NO_COLOR", "CI"} {
		if v, ok := env.Get(k); ok && v != "" {
			return false
		}
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// newProgramHost returns a Host with the globals programs see: the web
// globals and Node's (Buffer, process, …).
func newProgramHost(cfg runtime.Config) *runtime.Host {
	h := runtime.New(cfg)
	webapi.Install(h)
	nodelib.InstallGlobals(h)
	return h
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

// prefetchOnImport makes an import of alchemy/cloudflare, as soon as
// esbuild resolves it, start the Cloudflare lookups the deployment will
// begin with, so that their round trip overlaps the rest of the start-up.
func prefetchOnImport(ctx context.Context, modules map[string]bundler.VirtualModule, api *jsapi.API) {
	cf := cloudflare.Of(api.Registry())
	if cf == nil {
		return
	}
	m, ok := modules["alchemy/cloudflare"]
	if !ok {
		return
	}
	var once sync.Once
	m.Imported = func() { once.Do(func() { cf.Prefetch(ctx) }) }
	modules["alchemy/cloudflare"] = m
}

// runProgram bundles and runs a program and maps the outcome to an exit
// code.
func runProgram(ctx context.Context, c cli, opts *RunOptions, env *runtime.Env) int {
	collectLessOften()
	code, _ := runOnce(ctx, c, opts, env)
	return code
}

// collectLessOften raises the GC target unless GOGC says otherwise: a run
// allocates a few MiB up front (bundling, compiling), and collecting less
// often keeps short runs free of GC work at a small memory cost.
func collectLessOften() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}

// runOnce bundles and runs a program once. It returns the exit code and,
// when watching, the files the program was built from (none when it did
// not build).
func runOnce(ctx context.Context, c cli, opts *RunOptions, env *runtime.Env) (int, []string) {
	cwd := filepath.Dir(opts.File)
	if wd, err := os.Getwd(); err == nil {
		cwd = wd
	}
	api, text, err := newAPI(c, opts, env)
	if err != nil {
		fmt.Fprintf(c.stderr, "alchemy: %v\n", err)
		return exitFailure, nil
	}
	reg, err := builtinModules(api)
	if err != nil {
		fmt.Fprintf(c.stderr, "alchemy: %v\n", err)
		return exitFailure, nil
	}
	// The JS realm is set up while esbuild bundles: both are CPU work of a
	// cold start, and the Host is handed over before anything runs on it.
	hosts := make(chan *runtime.Host, 1)
	go func() {
		hosts <- newProgramHost(runtime.Config{
			Dir:     cwd,
			Args:    opts.Argv,
			Env:     env,
			Stdout:  c.stdout,
			Stderr:  c.stderr,
			Modules: reg,
		})
	}()
	modules := virtualModules(reg)
	prefetchOnImport(ctx, modules, api)
	res, err := bundler.Bundle(bundler.Options{Entry: opts.File, Dir: cwd, Modules: modules, ListInputs: opts.Watch})
	h := <-hosts
	if err != nil {
		fmt.Fprintln(c.stderr, strings.TrimRight(err.Error(), "\n"))
		return exitFailure, nil
	}
	for _, w := range res.Warnings {
		fmt.Fprint(c.stderr, strings.Replace(w.String(), "error: ", "warning: ", 1))
	}
	err = h.Run(ctx, runtime.Script{Code: res.Code, SourceMap: res.SourceMap, File: res.File, Entry: opts.File})
	// Every apply in flight has settled (the loop waits for them): release
	// the stage locks, then close with the summary.
	if cerr := api.Close(); cerr != nil {
		fmt.Fprintf(c.stderr, "alchemy: %v\n", cerr)
	}
	if api.Used() {
		fmt.Fprintln(c.stdout, text.Summary())
	}
	var exit *runtime.ExitError
	switch {
	case err == nil && api.Failed():
		fmt.Fprintln(c.stderr, "alchemy: the deployment failed: a resource failed (see above)")
		return exitFailure, res.Inputs
	case err == nil:
		return exitOK, res.Inputs
	case errors.As(err, &exit):
		return exit.Code, res.Inputs
	case errors.Is(err, runtime.ErrInterrupted):
		fmt.Fprintln(c.stderr, "alchemy: interrupted")
		return exitInterrupted, res.Inputs
	case errors.Is(err, runtime.ErrUnsettled):
		fmt.Fprintf(c.stderr, "alchemy: %v\n", err)
		return exitUnsettled, res.Inputs
	}
	fmt.Fprint(c.stderr, h.FormatError(err))
	return exitFailure, res.Inputs
}
