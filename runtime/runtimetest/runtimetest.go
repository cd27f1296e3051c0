// Package runtimetest runs small programs for tests: it writes files to a
// temporary directory, bundles the entry with the bundler and runs it in a
// Host with the web globals and the Node built-ins installed.
package runtimetest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/alchemy-go/alchemy/bundler"
	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/nodelib"
	"github.com/alchemy-go/alchemy/runtime/webapi"
)

// Options tunes Run.
type Options struct {
	// Entry is the program file among the files (default alchemy.run.ts).
	Entry string
	// Modules are extra built-in modules.
	Modules []runtime.Module
	// Env is the environment (default empty).
	Env []string
	// Args is process.argv (default [alchemy, entry]).
	Args []string
	// Context bounds the run (default: not cancelled).
	Context context.Context
	// Setup runs on the Host before the program (on the loop goroutine).
	Setup func(h *runtime.Host)
}

// Result is the outcome of a run.
type Result struct {
	Dir    string
	Stdout string
	Stderr string
	// Err is Run's error (bundling failures included).
	Err error
	// Formatted is the error as the CLI prints it.
	Formatted string
	Host      *runtime.Host
}

// Buffer is a bytes.Buffer safe for concurrent use: a log or an output
// stream written by goroutines while a test reads it.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *Buffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns what was written so far.
func (l *Buffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Bytes returns a copy of what was written so far.
func (l *Buffer) Bytes() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return bytes.Clone(l.b.Bytes())
}

// Reset forgets what was written.
func (l *Buffer) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.Reset()
}

// Registry returns a registry with the Node built-ins and extra modules.
func Registry(t testing.TB, extra ...runtime.Module) *runtime.Registry {
	t.Helper()
	reg := runtime.NewRegistry()
	if err := nodelib.Register(reg); err != nil {
		t.Fatal(err)
	}
	for _, m := range extra {
		if err := reg.Register(m); err != nil {
			t.Fatal(err)
		}
	}
	return reg
}

// VirtualModules describes a registry to the bundler.
func VirtualModules(reg *runtime.Registry) map[string]bundler.VirtualModule {
	out := map[string]bundler.VirtualModule{}
	for _, m := range reg.Modules() {
		for _, spec := range m.Specifiers() {
			out[spec] = bundler.VirtualModule{Exports: m.Exports, Default: m.Default}
		}
	}
	return out
}

// WriteFiles writes files (relative path → content) under dir.
func WriteFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Run writes files into a new temporary directory and runs the entry.
func Run(t testing.TB, files map[string]string, opts Options) Result {
	t.Helper()
	dir := t.TempDir()
	WriteFiles(t, dir, files)
	return RunDir(t, dir, opts)
}

// RunDir runs the entry of an existing directory.
func RunDir(t testing.TB, dir string, opts Options) Result {
	t.Helper()
	if opts.Entry == "" {
		opts.Entry = "alchemy.run.ts"
	}
	if opts.Context == nil {
		opts.Context = context.Background()
	}
	entry := filepath.Join(dir, opts.Entry)
	if opts.Args == nil {
		opts.Args = []string{"/usr/local/bin/alchemy", entry}
	}
	reg := Registry(t, opts.Modules...)
	res := Result{Dir: dir}
	b, err := bundler.Bundle(bundler.Options{Entry: entry, Dir: dir, Modules: VirtualModules(reg)})
	if err != nil {
		res.Err = err
		res.Formatted = err.Error()
		return res
	}
	var stdout, stderr Buffer
	h := runtime.New(runtime.Config{
		Dir: dir, Args: opts.Args, Env: runtime.NewEnv(opts.Env),
		Stdout: &stdout, Stderr: &stderr, Modules: reg,
	})
	webapi.Install(h)
	nodelib.InstallGlobals(h)
	if opts.Setup != nil {
		opts.Setup(h)
	}
	res.Err = h.Run(opts.Context, runtime.Script{Code: b.Code, SourceMap: b.SourceMap, File: b.File, Entry: entry})
	if res.Err != nil {
		res.Formatted = h.FormatError(res.Err)
	}
	res.Stdout, res.Stderr, res.Host = stdout.String(), stderr.String(), h
	return res
}

// MustRun runs a program that must succeed and returns its stdout.
func MustRun(t testing.TB, files map[string]string, opts Options) string {
	t.Helper()
	res := Run(t, files, opts)
	if res.Err != nil {
		t.Fatalf("run failed: %v\n%s\nstdout:\n%s\nstderr:\n%s", res.Err, res.Formatted, res.Stdout, res.Stderr)
	}
	return res.Stdout
}

// Program runs a single-file program (alchemy.run.ts) that must succeed
// and returns its stdout.
func Program(t testing.TB, source string) string {
	t.Helper()
	return MustRun(t, map[string]string{"alchemy.run.ts": source}, Options{})
}
