// Package runtime runs bundled JavaScript in goja: one Runtime per Host, an
// event loop that settles Go-backed promises on the loop goroutine, timers,
// console and process, an async context carried across await, source-mapped
// errors, and a registry of built-in modules. It knows nothing about
// Alchemy; other packages add modules (Registry) and globals (runtime/webapi).
package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"

	"github.com/alchemy-go/alchemy/bundler/sourcemap"
)

// Names of the hidden globals bundled code calls; the bundler generates calls
// to the same names.
const (
	builtinGlobal = "__alchemy_builtin"
	metaGlobal    = "__alchemy_meta"
)

// Config configures a Host.
type Config struct {
	// Dir is the working directory: process.cwd(), and the directory error
	// messages name files relative to.
	Dir string
	// Args is process.argv.
	Args []string
	// Env is process.env; nil means an empty environment.
	Env *Env
	// Stdout and Stderr receive console output; nil discards it.
	Stdout, Stderr io.Writer
	// Modules are the built-in modules programs can import.
	Modules *Registry
	// NoProcess leaves out the process global and gives numeric timer ids,
	// as in a Worker.
	NoProcess bool
}

// Host is one JS realm: a goja Runtime, its event loop, and the globals and
// modules a program sees.
type Host struct {
	cfg     Config
	vm      *goja.Runtime
	loop    *Loop
	modules map[string]*goja.Object
	loading map[string]bool
	metas   map[string]*goja.Object
	src     *sources
	entry   string
	timers  timerTable
	exit    int
	console *console
	regexps map[string]regexpTranslation
	started time.Time
	locals  map[any]any
}

// New returns a Host with the core globals installed: console, timers,
// queueMicrotask, process (unless cfg.NoProcess) and the fixes for missing
// or wrong built-ins. Web globals come from runtime/webapi.
func New(cfg Config) *Host {
	if cfg.Env == nil {
		cfg.Env = NewEnv(nil)
	}
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	if cfg.Dir == "" {
		cfg.Dir = "/"
	}
	vm := goja.New()
	h := &Host{
		cfg:     cfg,
		vm:      vm,
		loop:    NewLoop(vm),
		modules: map[string]*goja.Object{},
		loading: map[string]bool{},
		metas:   map[string]*goja.Object{},
		started: time.Now(),
	}
	h.console = &console{h: h}
	global := vm.GlobalObject()
	hidden := func(name string, fn func(goja.FunctionCall) goja.Value) {
		_ = global.DefineDataProperty(name, vm.ToValue(fn), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	}
	hidden(builtinGlobal, h.jsBuiltin)
	hidden(metaGlobal, h.jsMeta)
	DefineLazyGlobal(vm, "console", func() (goja.Value, error) { return h.console.object(), nil })
	h.installTimers()
	if !cfg.NoProcess {
		DefineLazyGlobal(vm, "process", func() (goja.Value, error) { return h.processObject(), nil })
	}
	h.installFixes()
	return h
}

// VM returns the Runtime. Loop goroutine only.
func (h *Host) VM() *goja.Runtime { return h.vm }

// Loop returns the Host's event loop.
func (h *Host) Loop() *Loop { return h.loop }

// Env returns the environment (process.env).
func (h *Host) Env() *Env { return h.cfg.Env }

// Dir returns the working directory.
func (h *Host) Dir() string { return h.cfg.Dir }

// Args returns process.argv.
func (h *Host) Args() []string { return h.cfg.Args }

// Stdout returns the writer console.log writes to.
func (h *Host) Stdout() io.Writer { return h.cfg.Stdout }

// Stderr returns the writer console.error writes to.
func (h *Host) Stderr() io.Writer { return h.cfg.Stderr }

// AsyncContext returns the current async context value (see
// Loop.AsyncContext). Loop goroutine only.
func (h *Host) AsyncContext() any { return h.loop.AsyncContext() }

// SetAsyncContext sets the current async context value (see
// Loop.SetAsyncContext). Loop goroutine only.
func (h *Host) SetAsyncContext(v any) { h.loop.SetAsyncContext(v) }

// Local returns the value this Host keeps under key, making it with make on
// first use: per-realm state for packages that extend the Host (module
// loaders, web globals). Use an unexported type as key. Loop goroutine only.
func (h *Host) Local(key any, make func() (any, error)) (any, error) {
	if v, ok := h.locals[key]; ok {
		return v, nil
	}
	v, err := make()
	if err != nil {
		return nil, err
	}
	if h.locals == nil {
		h.locals = map[any]any{}
	}
	h.locals[key] = v
	return v, nil
}

// Script is a bundled program.
type Script struct {
	// Code evaluates to an async function that runs the program.
	Code string
	// SourceMap maps Code to the original files (sources are absolute paths).
	SourceMap []byte
	// File is the absolute path the bundle is named after.
	File string
	// Entry is the program file; its import.meta.main is true.
	Entry string
}

// ExitError is returned by Run when the program called process.exit or set
// process.exitCode.
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// Program is a compiled script with what error messages need to name its
// original files. It is bound to no Host: any number of Hosts may run it,
// at the same time (a pool of Worker isolates shares one).
type Program struct {
	prog  *goja.Program
	src   *sources
	entry string
}

// CompileProgram parses a script with its source map, so that stack traces
// name original positions.
func CompileProgram(s Script) (*Program, error) {
	p := &Program{entry: s.Entry}
	var gojaMap []byte
	if len(s.SourceMap) > 0 {
		m, err := sourcemap.Parse(s.SourceMap)
		if err != nil {
			return nil, err
		}
		p.src = newSources(m, s.Code)
		shifted := *m
		shifted.SourcesContent = nil
		if shifted.Mappings, err = gojaMappings(m.Mappings); err != nil {
			return nil, err
		}
		if gojaMap, err = shifted.Marshal(); err != nil {
			return nil, err
		}
	}
	code := s.Code
	if gojaMap != nil {
		code += "\n//# sourceMappingURL=" + filepath.Base(s.File) + ".map\n"
	}
	ast, err := goja.Parse(s.File, code, parser.WithSourceMapLoader(func(string) ([]byte, error) { return gojaMap, nil }))
	if err != nil {
		return nil, p.src.syntaxError(err)
	}
	if p.prog, err = goja.CompileAST(ast, false); err != nil {
		return nil, p.src.syntaxError(err)
	}
	return p, nil
}

// Compile parses a script with its source map, so that stack traces name
// original positions, and makes the Host name the script's original files
// in errors.
func (h *Host) Compile(s Script) (*goja.Program, error) {
	p, err := CompileProgram(s)
	if err != nil {
		return nil, err
	}
	h.adopt(p)
	return p.prog, nil
}

// Evaluate runs a compiled program's top-level code and returns its value;
// from then on the Host names the program's original files in errors. Loop
// goroutine only.
func (h *Host) Evaluate(p *Program) (goja.Value, error) {
	h.adopt(p)
	return h.vm.RunProgram(p.prog)
}

func (h *Host) adopt(p *Program) {
	h.src = p.src
	h.entry = p.entry
}

// syntaxError maps a parse error at a bundle position to the original file.
func (s *sources) syntaxError(err error) error {
	var list parser.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		pe := list[0]
		se := &ScriptError{Message: "SyntaxError: " + pe.Message}
		if f, ok := s.original(pe.Position.Line, pe.Position.Column); ok {
			se.Frames = []Frame{f}
		}
		return se
	}
	return fmt.Errorf("compile: %w", err)
}

// Run compiles and runs a program until it and everything it started have
// finished (see Loop.Run for the errors it returns). A program that called
// process.exit or set process.exitCode to a non-zero value yields *ExitError.
func (h *Host) Run(ctx context.Context, s Script) error {
	prog, err := h.Compile(s)
	if err != nil {
		return err
	}
	err = h.loop.Run(ctx, func(vm *goja.Runtime) (goja.Value, error) {
		fnv, err := vm.RunProgram(prog)
		if err != nil {
			return nil, err
		}
		fn, ok := goja.AssertFunction(fnv)
		if !ok {
			return nil, errors.New("bundle did not evaluate to a function")
		}
		return fn(goja.Undefined())
	})
	if err == nil && h.exit != 0 {
		return &ExitError{Code: h.exit}
	}
	return err
}

// Require returns the exports object of a registered module, loading it on
// first use. Loop goroutine only.
func (h *Host) Require(spec string) (*goja.Object, error) {
	m, ok := h.cfg.Modules.Lookup(spec)
	if !ok {
		return nil, fmt.Errorf("module %q is not a built-in module", spec)
	}
	if obj, ok := h.modules[m.Name]; ok {
		return obj, nil
	}
	if h.loading[m.Name] {
		return nil, fmt.Errorf("module %q: circular load", m.Name)
	}
	h.loading[m.Name] = true
	defer delete(h.loading, m.Name)
	obj, err := m.Load(h)
	if err != nil {
		return nil, fmt.Errorf("module %q: %w", m.Name, err)
	}
	if m.Default && obj.Get("default") == nil {
		if err := obj.DefineDataProperty("default", obj, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return nil, fmt.Errorf("module %q: %w", m.Name, err)
		}
	}
	h.modules[m.Name] = obj
	return obj, nil
}

func (h *Host) jsBuiltin(call goja.FunctionCall) goja.Value {
	obj, err := h.Require(call.Argument(0).String())
	if err != nil {
		panic(NewError(h.vm, err, nil))
	}
	return obj
}

// jsMeta returns the import.meta object of a file, one per file.
func (h *Host) jsMeta(call goja.FunctionCall) goja.Value {
	path := call.Argument(0).String()
	if obj, ok := h.metas[path]; ok {
		return obj
	}
	vm := h.vm
	obj := vm.NewObject()
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	_ = obj.Set("url", u.String())
	_ = obj.Set("filename", path)
	_ = obj.Set("dirname", filepath.Dir(path))
	_ = obj.Set("main", path == h.entry)
	h.metas[path] = obj
	return obj
}

// DefineLazyGlobal defines a global property whose value is made on first
// access (then stored as a plain writable property), so that programs pay
// only for the globals they use. Assigning the global first replaces it
// without making it.
func DefineLazyGlobal(vm *goja.Runtime, name string, make func() (goja.Value, error)) {
	global := vm.GlobalObject()
	define := func(v goja.Value) {
		_ = global.DefineDataProperty(name, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
	get := vm.ToValue(func(goja.FunctionCall) goja.Value {
		v, err := make()
		if err != nil {
			panic(NewError(vm, fmt.Errorf("%s: %w", name, err), nil))
		}
		define(v)
		return v
	})
	set := vm.ToValue(func(call goja.FunctionCall) goja.Value {
		define(call.Argument(0))
		return goja.Undefined()
	})
	_ = global.DefineAccessorProperty(name, get, set, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// FormatError renders an error from Run or Compile for a terminal: for a JS
// error, "file:line:column: error: message", the source line with a marker
// under the column, and the stack, with paths relative to the working
// directory. Safe off the loop.
func (h *Host) FormatError(err error) string {
	var se *ScriptError
	if !errors.As(err, &se) {
		return "error: " + err.Error() + "\n"
	}
	var b strings.Builder
	h.formatScriptError(&b, se, "")
	return b.String()
}

func (h *Host) formatScriptError(b *strings.Builder, se *ScriptError, prefix string) {
	msg := se.Message
	if se.Rejection {
		msg = "unhandled promise rejection: " + msg
	}
	loc, hasLoc := se.Location()
	if hasLoc {
		fmt.Fprintf(b, "%s%s:%d:%d: error: %s\n", prefix, h.relPath(loc.File), loc.Line, loc.Column, msg)
		if text, ok := h.src.line(loc.File, loc.Line); ok {
			b.WriteString(sourcemap.Excerpt(loc.Line, loc.Column, 1, text))
		}
	} else {
		fmt.Fprintf(b, "%serror: %s\n", prefix, msg)
	}
	for _, f := range se.Frames {
		if !isUserFile(f.File) {
			continue
		}
		f.File = h.relPath(f.File)
		f.Function = h.src.originalName(f.Function)
		fmt.Fprintf(b, "    at %s\n", f)
	}
	if se.Cause != nil {
		h.formatScriptError(b, se.Cause, "caused by: ")
	}
}

func (h *Host) relPath(p string) string {
	if rel, err := filepath.Rel(h.cfg.Dir, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}
