package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	goruntime "runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alchemy-go/alchemy/bundler"
	"github.com/alchemy-go/alchemy/dev"
	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/jsapi"
	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/local/worker"
	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/webapi"
	"github.com/alchemy-go/alchemy/testrun"
)

// remoteTimeout is the default test timeout with --remote, where a deploy
// takes seconds (the TypeScript library's alchemy.test uses the same).
const remoteTimeout = 150 * time.Second

// testOptions are the flags of alchemy test.
type testOptions struct {
	patterns []string
	remote   bool
	watch    bool
	bail     bool
	keep     bool
	json     bool
	name     string // -t: a regular expression (or text) matched against test names
	stage    string
	timeout  time.Duration
	parallel int
	envFile  string
	rootDir  string
}

type testFlag struct {
	names []string
	value string // placeholder; "" for a boolean flag
	help  string
	set   func(o *testOptions, v string) error
}

func testFlags() []testFlag {
	boolFlag := func(name, help string, field func(*testOptions) *bool) testFlag {
		return testFlag{names: []string{"--" + name}, help: help, set: func(o *testOptions, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("flag --%s: %q is not a boolean", name, v)
			}
			*field(o) = b
			return nil
		}}
	}
	stringFlag := func(names []string, value, help string, field func(*testOptions) *string) testFlag {
		return testFlag{names: names, value: value, help: help, set: func(o *testOptions, v string) error {
			*field(o) = v
			return nil
		}}
	}
	return []testFlag{
		boolFlag("remote", "deploy to the configured Cloudflare account instead of an in-process local one", func(o *testOptions) *bool { return &o.remote }),
		boolFlag("watch", "run again when a test file or a file it imports changes", func(o *testOptions) *bool { return &o.watch }),
		boolFlag("bail", "stop at the first failure", func(o *testOptions) *bool { return &o.bail }),
		boolFlag("keep", "destroy nothing the tests created (failed tests included) and keep the test state", func(o *testOptions) *bool { return &o.keep }),
		boolFlag("json", "write the results as one JSON document on stdout", func(o *testOptions) *bool { return &o.json }),
		stringFlag([]string{"-t", "--test-name-pattern"}, "NAME", "run only tests whose full name matches NAME (a regular expression, or text)", func(o *testOptions) *string { return &o.name }),
		stringFlag([]string{"--stage"}, "NAME", "stage of the test apps (else $ALCHEMY_STAGE, $STAGE, $USER, $USERNAME, else dev)", func(o *testOptions) *string { return &o.stage }),
		{names: []string{"--timeout"}, value: "DURATION", help: "default timeout of each test and hook (30s; 150s with --remote)", set: func(o *testOptions, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return fmt.Errorf("flag --timeout: %q is not a duration such as 30s", v)
			}
			o.timeout = d
			return nil
		}},
		{names: []string{"--parallel"}, value: "N", help: "test files run at the same time (default: the number of CPUs, at least 2)", set: func(o *testOptions, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return fmt.Errorf("flag --parallel: %q is not a positive number", v)
			}
			o.parallel = n
			return nil
		}},
		stringFlag([]string{"--env-file"}, "FILE", "load FILE into the environment first (default .env when it exists)", func(o *testOptions) *string { return &o.envFile }),
		stringFlag([]string{"--root-dir"}, "DIR", "where test files are searched for (default: the working directory)", func(o *testOptions) *string { return &o.rootDir }),
	}
}

// parseTestArgs reads alchemy test's command line: patterns and flags in
// any order ("--" ends the flags).
func parseTestArgs(args []string) (*testOptions, error) {
	o := &testOptions{}
	flags := testFlags()
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			o.patterns = append(o.patterns, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			o.patterns = append(o.patterns, arg)
			continue
		}
		name, value, hasValue := strings.Cut(arg, "=")
		var flag *testFlag
		for j := range flags {
			if slices.Contains(flags[j].names, name) {
				flag = &flags[j]
			}
		}
		if flag == nil {
			return nil, usagef("unknown flag %s", name)
		}
		if !hasValue {
			if flag.value == "" {
				value = "true"
			} else {
				if i+1 >= len(args) {
					return nil, usagef("flag %s needs a value: %s %s", name, name, flag.value)
				}
				i++
				value = args[i]
			}
		}
		if err := flag.set(o, value); err != nil {
			return nil, &usageError{msg: err.Error()}
		}
	}
	return o, nil
}

func testUsage() string {
	var b strings.Builder
	b.WriteString("usage: alchemy test [PATTERN...] [flags]\n\n")
	b.WriteString("Runs infrastructure tests (**/*.test.ts, or the files, directories, globs or path\n")
	b.WriteString("fragments given) without Node or vitest, against an in-process local Cloudflare\n")
	b.WriteString("unless --remote is given. Test state lives apart from deployed state and is removed\n")
	b.WriteString("after the run. Test files import \"vitest\" and \"alchemy/test/vitest\" as with vitest,\n")
	b.WriteString("and see describe, test, it, expect and the hooks as globals (vitest's globals: true).\n\nFlags:\n")
	for _, f := range testFlags() {
		name := strings.Join(f.names, ", ")
		if f.value != "" {
			name += " " + f.value
		}
		fmt.Fprintf(&b, "  %-34s %s\n", name, f.help)
	}
	return b.String()
}

// runTestCommand is alchemy test.
func runTestCommand(ctx context.Context, c cli, args []string) int {
	if slices.Contains(args, "-h") || slices.Contains(args, "--help") {
		fmt.Fprint(c.stdout, testUsage())
		return exitOK
	}
	o, err := parseTestArgs(args)
	if err != nil {
		fmt.Fprintf(c.stderr, "alchemy test: %v\n", err)
		return exitUsage
	}
	t, err := newTestRun(c, o)
	if err != nil {
		fmt.Fprintf(c.stderr, "alchemy test: %v\n", err)
		var ue *usageError
		if errors.As(err, &ue) {
			return exitUsage
		}
		return exitFailure
	}
	if o.watch {
		return t.watch(ctx)
	}
	files, err := t.discover()
	if err != nil {
		fmt.Fprintf(c.stderr, "alchemy test: %v\n", err)
		return exitFailure
	}
	rep, _, err := t.runOnce(ctx, files)
	if err != nil {
		fmt.Fprintf(c.stderr, "alchemy test: %v\n", err)
		return exitFailure
	}
	return t.finish(ctx, rep)
}

// discover finds the test files the command line names.
func (t *testRun) discover() ([]string, error) {
	files, err := testrun.Discover(t.root, t.opts.patterns)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		what := "**/*" + testrun.TestSuffix
		if len(t.opts.patterns) > 0 {
			what = strings.Join(t.opts.patterns, " ")
		}
		return nil, fmt.Errorf("no test files found (looked for %s under %s)", what, t.rel(t.root))
	}
	return files, nil
}

// testRun is one invocation of alchemy test.
type testRun struct {
	c       cli
	opts    *testOptions
	cwd     string
	root    string // where tests are searched for
	env     *runtime.Env
	stage   string
	binary  string
	color   bool
	filter  func(path []string) bool
	timeout time.Duration
	out     io.Writer // result lines and the report
	logs    io.Writer // console output of tests and resource lines

	mu sync.Mutex // serializes writes to out
}

func newTestRun(c cli, o *testOptions) (*testRun, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	env := runtime.NewEnv(os.Environ())
	preset := map[string]bool{}
	for _, k := range env.Keys() {
		preset[k] = true
	}
	envFile, explicit := o.envFile, o.envFile != ""
	if !explicit {
		envFile = ".env"
	}
	if _, err := loadEnvFile(absPath(cwd, envFile), explicit, env.Set, func(k string) bool { return preset[k] }); err != nil {
		if explicit {
			return nil, &usageError{msg: err.Error()}
		}
		return nil, err
	}
	root := cwd
	if o.rootDir != "" {
		root = absPath(cwd, o.rootDir)
		if st, err := os.Stat(root); err != nil || !st.IsDir() {
			return nil, usagef("--root-dir %s: not a directory", o.rootDir)
		}
	}
	filter, err := nameFilter(o.name)
	if err != nil {
		return nil, err
	}
	binary, err := os.Executable()
	if err != nil {
		binary = os.Args[0]
	}
	t := &testRun{c: c, opts: o, cwd: cwd, root: root, env: env, binary: binary,
		stage: resolveStage(o.stage, env.Get), filter: filter, timeout: o.timeout,
		out: c.stdout, logs: c.stdout}
	if t.timeout == 0 && o.remote {
		t.timeout = remoteTimeout
	}
	if o.json {
		t.logs = c.stderr
	} else {
		t.color = colorOutput(c.stdout, env)
	}
	if o.parallel == 0 {
		o.parallel = max(2, goruntime.NumCPU())
	}
	return t, nil
}

// nameFilter is -t: a regular expression, or the text itself when it is
// not one, matched against "describe > name" and "describe name".
func nameFilter(pattern string) (func([]string) bool, error) {
	if pattern == "" {
		return nil, nil
	}
	re, err := compileRegexp(pattern)
	if err != nil {
		return nil, err
	}
	return func(path []string) bool {
		return re.MatchString(strings.Join(path, " > ")) || re.MatchString(strings.Join(path, " "))
	}, nil
}

// runOnce runs test files, with a fresh local Cloudflare unless --remote.
// It returns the report and, per file, the files its bundle was built from
// (for --watch).
func (t *testRun) runOnce(ctx context.Context, files []string) (testrun.Report, map[string][]string, error) {
	start := time.Now()
	stateDir, err := os.MkdirTemp("", "alchemy-test-")
	if err != nil {
		return testrun.Report{}, nil, fmt.Errorf("test state: %w", err)
	}
	var srv *local.Server
	if !t.opts.remote {
		opt := local.Options{Host: worker.New(worker.Options{Log: t.c.stderr}), RejectBrokenUploads: true}
		if t.opts.keep {
			opt.DataDir = filepath.Join(stateDir, "cloudflare")
		}
		if srv, err = local.Start(ctx, opt); err != nil {
			os.RemoveAll(stateDir)
			return testrun.Report{}, nil, err
		}
	}
	var bail *atomic.Bool
	if t.opts.bail {
		bail = new(atomic.Bool)
	}
	results := make([]testrun.FileResult, len(files))
	inputs := make([]*[]string, len(files))
	ran := make([]bool, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(t.opts.parallel, len(files)) {
		wg.Go(func() {
			for i := range next {
				if (bail != nil && bail.Load()) || ctx.Err() != nil {
					continue // --bail or Ctrl-C: files not started do not run
				}
				in := []string{}
				results[i] = t.runFile(ctx, i, files[i], srv, stateDir, bail, &in)
				inputs[i], ran[i] = &in, true
			}
		})
	}
	for i := range files {
		if (bail != nil && bail.Load()) || ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()

	rep := testrun.Report{}
	byFile := map[string][]string{}
	for i := range files {
		if ran[i] {
			rep.Files = append(rep.Files, results[i])
			byFile[files[i]] = *inputs[i]
		}
	}
	var leftovers []string
	var dataDir string
	if srv != nil {
		dataDir = srv.DataDir()
		if !t.opts.keep {
			if leftovers, err = localLeftovers(context.WithoutCancel(ctx), srv); err != nil {
				leftovers = append(leftovers, "(could not list: "+err.Error()+")")
			}
		}
		// A connection the clients dialed but never used looks new, not
		// idle, to the server, whose shutdown would wait seconds for it.
		if tr, ok := http.DefaultTransport.(*http.Transport); ok {
			tr.CloseIdleConnections()
		}
		if cerr := srv.Close(); cerr != nil {
			fmt.Fprintf(t.c.stderr, "alchemy test: stopping the local Cloudflare: %v\n", cerr)
		}
	}
	if len(leftovers) > 0 {
		rep.Errors = append(rep.Errors, "the local Cloudflare still holds, after every test file cleaned up:\n  "+strings.Join(leftovers, "\n  "))
	}
	if t.opts.keep {
		rep.Notes = append(rep.Notes, "kept the test state in "+stateDir)
		if srv != nil {
			rep.Notes = append(rep.Notes, "kept the local Cloudflare's data in "+dataDir+" (serve it with: alchemy local --data "+dataDir+")")
		}
	} else if err := removeIfEmpty(stateDir); err != nil {
		rep.Notes = append(rep.Notes, "test state left behind in "+stateDir)
	}
	rep.Duration = time.Since(start)
	return rep, byFile, nil
}

// finish writes the report and returns the exit code.
func (t *testRun) finish(ctx context.Context, rep testrun.Report) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	var err error
	if t.opts.json {
		err = rep.WriteJSON(t.out)
	} else {
		err = rep.WriteText(t.out, t.color)
	}
	if err != nil {
		fmt.Fprintf(t.c.stderr, "alchemy test: %v\n", err)
		return exitFailure
	}
	switch {
	case ctx.Err() != nil:
		return exitInterrupted
	case rep.Failed():
		return exitFailure
	}
	return exitOK
}

// printResult writes a result's line as soon as it is known.
func (t *testRun) printResult(r testrun.Result) {
	if t.opts.json {
		return
	}
	line := testrun.Line(r, t.color)
	if line == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintln(t.out, line)
}

func (t *testRun) rel(p string) string {
	if r, err := filepath.Rel(t.cwd, p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}

// runFile bundles and runs one test file with its own alchemy API, module
// registry and Host; its state lives in stateDir/<index>. It records the
// bundle's input files in inputs.
func (t *testRun) runFile(ctx context.Context, index int, file string, srv *local.Server, stateDir string, bail *atomic.Bool, inputs *[]string) testrun.FileResult {
	display := t.rel(file)
	loadFailure := func(err error, report string) testrun.FileResult {
		fr := testrun.LoadFailure(display, err, report)
		for _, r := range fr.Results {
			t.printResult(r)
		}
		return fr
	}
	fileState := filepath.Join(stateDir, strconv.Itoa(index))
	env := runtime.NewEnv(t.env.Environ())
	if srv != nil {
		pointAtLocal(env, srv)
	}
	password, _ := env.Get("ALCHEMY_PASSWORD")
	kinds, err := providers(&RunOptions{Command: "test", File: file, Stage: t.stage, Phase: PhaseUp, RootDir: t.cwd}, env, t.cwd)
	if err != nil {
		return loadFailure(err, "")
	}
	api := jsapi.New(jsapi.Config{
		Registry: kinds,
		Reporter: engine.NewTextReporter(t.logs, engine.TextOptions{Color: t.color}),
		// The file's state lives apart, whatever rootDir its apps pass;
		// app.rootDir stays the project's.
		Defaults: jsapi.Defaults{Stage: t.stage, Phase: engine.PhaseUp, Password: password, Quiet: true,
			RootDir: t.cwd, StateDir: filepath.Join(fileState, ".alchemy")},
	})
	reg, err := builtinModules(api)
	if err == nil {
		for _, m := range testrun.Modules() {
			if err = reg.Register(m); err != nil {
				break
			}
		}
	}
	if err != nil {
		return loadFailure(err, "")
	}
	h := newProgramHost(runtime.Config{Dir: t.cwd, Args: []string{t.binary, file}, Env: env,
		Stdout: t.logs, Stderr: t.c.stderr, Modules: reg})
	if srv != nil {
		webapi.SetTransport(h, workerRouter{srv})
	}
	res, err := bundler.Bundle(bundler.Options{Entry: file, Dir: t.cwd, Modules: virtualModules(reg), ListInputs: t.opts.watch})
	if err != nil {
		*inputs = []string{file}
		return loadFailure(err, strings.TrimRight(err.Error(), "\n")+"\n")
	}
	*inputs = res.Inputs
	for _, w := range res.Warnings {
		fmt.Fprint(t.c.stderr, strings.Replace(w.String(), "error: ", "warning: ", 1))
	}
	fr := testrun.RunFile(ctx, h, runtime.Script{Code: res.Code, SourceMap: res.SourceMap, File: res.File, Entry: file},
		testrun.Options{File: display, Filter: t.filter, Keep: t.opts.keep, Timeout: t.timeout, Bail: bail,
			Globals: true, OnResult: t.printResult})
	fail := func(reason, msg string) {
		r := testrun.Result{File: display, State: testrun.Failed, Reason: reason,
			Failure: &testrun.Failure{Message: msg, Report: "error: " + msg + "\n"}}
		fr.Results = append(fr.Results, r)
		t.printResult(r)
	}
	if err := api.Close(); err != nil {
		fail("cleanup", err.Error())
	}
	if t.opts.keep {
		return fr
	}
	left, err := stateLeftovers(fileState)
	switch {
	case err != nil:
		fail("leftover", fmt.Sprintf("reading the test state: %v", err))
	case len(left) > 0:
		fail("leftover", fmt.Sprintf("test state left behind in %s: %s (resources the file's tests created are still deployed; apps opened with alchemy() must be destroyed by the file)",
			fileState, strings.Join(left, ", ")))
	default:
		if err := os.RemoveAll(fileState); err != nil {
			fail("cleanup", fmt.Sprintf("removing the test state: %v", err))
		}
	}
	return fr
}

// pointAtLocal makes a file's environment name the local Cloudflare, as
// `alchemy local` prints it, and only it.
func pointAtLocal(env *runtime.Env, srv *local.Server) {
	for _, k := range []string{"CLOUDFLARE_API_KEY", "CLOUDFLARE_EMAIL", "CF_API_BASE_URL", "CF_ACCOUNT_ID"} {
		env.Delete(k)
	}
	env.Set("CLOUDFLARE_BASE_URL", srv.APIBaseURL())
	env.Set("CLOUDFLARE_API_BASE_URL", srv.APIBaseURL())
	env.Set("CLOUDFLARE_ACCOUNT_ID", srv.AccountID())
	env.Set("CLOUDFLARE_API_TOKEN", "local")
}

// workerRouter sends the tests' requests to a Worker's hostname
// (workers.dev, a route, a custom domain) to the local Cloudflare, so that
// fetch(worker.url) reaches the Worker deployed there.
type workerRouter struct{ srv *local.Server }

func (w workerRouter) RoundTrip(req *http.Request) (*http.Response, error) {
	if _, ok := w.srv.ResolveWorker(req.Context(), req.URL.Host, req.URL.Path); ok {
		local := req.Clone(req.Context())
		local.URL.Scheme, local.URL.Host = "http", w.srv.Addr()
		local.Host = req.URL.Host
		return http.DefaultTransport.RoundTrip(local)
	}
	return http.DefaultTransport.RoundTrip(req)
}

// stateLeftovers lists the records left in a file's state directory.
func stateLeftovers(dir string) ([]string, error) {
	root := filepath.Join(dir, ".alchemy")
	var left []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == root {
			return filepath.SkipAll
		}
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".json") {
			rel, _ := filepath.Rel(root, p)
			left = append(left, strings.TrimSuffix(filepath.ToSlash(rel), ".json"))
		}
		return nil
	})
	return left, err
}

// localLeftovers lists what the local Cloudflare holds.
func localLeftovers(ctx context.Context, srv *local.Server) ([]string, error) {
	st, acct := srv.Store(), srv.AccountID()
	var out []string
	var errs []error
	scripts, err := st.Scripts(ctx, acct)
	errs = append(errs, err)
	for _, s := range scripts {
		out = append(out, "worker "+s.Name)
	}
	kvs, err := st.KVNamespaces(ctx, acct)
	errs = append(errs, err)
	for _, ns := range kvs {
		out = append(out, "kv "+ns.Title)
	}
	buckets, err := st.Buckets(ctx, acct)
	errs = append(errs, err)
	for _, b := range buckets {
		out = append(out, "r2 "+b.Name)
	}
	dbs, err := st.D1s(ctx, acct, "")
	errs = append(errs, err)
	for _, d := range dbs {
		out = append(out, "d1 "+d.Name)
	}
	queues, err := st.Queues(ctx, acct)
	errs = append(errs, err)
	for _, q := range queues {
		out = append(out, "queue "+q.Name)
	}
	slices.Sort(out)
	return out, errors.Join(errs...)
}

// removeIfEmpty removes a directory tree that holds no file.
func removeIfEmpty(dir string) error {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(files) > 0 {
		return fmt.Errorf("%s is not empty", dir)
	}
	return os.RemoveAll(dir)
}

// compileRegexp compiles a -t pattern; text that is not a valid regular
// expression matches literally.
func compileRegexp(pattern string) (*regexp.Regexp, error) {
	if re, err := regexp.Compile(pattern); err == nil {
		return re, nil
	}
	return regexp.Compile(regexp.QuoteMeta(pattern))
}

// testWatchDebounce collects the events of a save (and of a tool writing
// several files at once) into one run of the tests.
const testWatchDebounce = 150 * time.Millisecond

// watch runs the tests, then again whenever a test file or a file one
// imports changes (only the files affected), until ctx is done (Ctrl-C),
// which ends it with status 0.
func (t *testRun) watch(ctx context.Context) int {
	w, err := dev.NewWatcher(testWatchDebounce)
	if err != nil {
		fmt.Fprintf(t.c.stderr, "alchemy test: watch: %v\n", err)
		return exitFailure
	}
	defer w.Close()
	// The project's directories are watched before the first run, so that
	// no change made while it runs is missed.
	w.AddTree(t.root)
	inputs := map[string][]string{} // test file → the files its bundle was built from
	files, err := t.discover()
	if err != nil {
		fmt.Fprintf(t.c.stderr, "alchemy test: %v\n", err)
	}
	for ctx.Err() == nil {
		if len(files) > 0 {
			rep, in, err := t.runOnce(ctx, files)
			if err != nil {
				fmt.Fprintf(t.c.stderr, "alchemy test: %v\n", err)
			} else {
				t.finish(ctx, rep)
			}
			for f, ins := range in {
				inputs[f] = ins
				w.AddFiles(ins...)
			}
			t.mu.Lock()
			fmt.Fprintln(t.c.stderr, "\nwatching for changes (Ctrl-C to stop)")
			t.mu.Unlock()
		}
		changed := w.Next(ctx)
		w.AddTree(t.root)
		files = t.affected(changed, inputs)
	}
	return exitOK
}

// affected returns the test files a change concerns: those built from a
// changed file, and test files that are new or changed.
func (t *testRun) affected(changed map[string]bool, inputs map[string][]string) []string {
	var out []string
	for f, ins := range inputs {
		if changed[f] || slices.ContainsFunc(ins, func(in string) bool { return changed[in] }) {
			out = append(out, f)
		}
	}
	if all, err := testrun.Discover(t.root, t.opts.patterns); err == nil {
		for _, f := range all {
			if _, known := inputs[f]; !known && changed[f] {
				out = append(out, f)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
