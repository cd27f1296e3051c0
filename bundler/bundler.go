// Package bundler turns a TypeScript or JavaScript program and everything it
// imports into one script the JS engine can run, using esbuild.
//
// The program bundle is a single expression that evaluates to an async
// function: calling it runs the program (top-level await included). Built-in
// modules (alchemy, alchemy/*, the supported Node built-ins, prefixed names
// such as cloudflare:workers) are not read from disk: the bundler generates a
// small ES module for each, with one explicit named export per export the
// runtime declares, that reads the module's value from the runtime at run
// time. A misspelled import of a built-in therefore fails at build time.
package bundler

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/alchemy-go/alchemy/bundler/sourcemap"
)

// Names of the globals the generated code calls. The runtime defines them
// under the same names.
const (
	// BuiltinGlobal is a function returning the exports object of a built-in
	// module by specifier.
	BuiltinGlobal = "__alchemy_builtin"
	// MetaGlobal is a function returning the import.meta object of a file by
	// absolute path.
	MetaGlobal = "__alchemy_meta"
	// EntryGlobal receives the program's module namespace.
	EntryGlobal = "__alchemy_entry"
)

// VirtualModule describes a module the runtime serves instead of a file.
type VirtualModule struct {
	// Exports are the module's named exports.
	Exports []string
	// Default reports whether the module has a default export.
	Default bool
	// Imported, when set, is called each time the bundle's files import the
	// module (from esbuild's goroutines, possibly at once): a hook to start
	// work the module will need, such as an API lookup, while the rest of
	// the program bundles.
	Imported func()
}

// Options configures a program bundle.
type Options struct {
	// Entry is the program file, absolute or relative to Dir.
	Entry string
	// Dir is the working directory; messages name files relative to it.
	Dir string
	// Modules maps every specifier the runtime serves (each spelling, such as
	// "node:path" and "path") to its description.
	Modules map[string]VirtualModule
	// ListInputs fills Result.Inputs (a watcher needs them; it costs esbuild
	// a metafile, so a single run leaves it off).
	ListInputs bool
}

// Result is a bundled program.
type Result struct {
	// Code is the bundle: a script that evaluates to an async function.
	Code string
	// SourceMap is the bundle's version 3 source map. Its sources are
	// absolute paths (virtual modules keep a "namespace:name" form) and it
	// embeds their content.
	SourceMap []byte
	// File is the absolute path the bundle is named after in stack traces of
	// code the map does not cover.
	File string
	// Inputs are the absolute paths of the files the bundle was built from,
	// sorted (with Options.ListInputs).
	Inputs []string
	// Warnings are esbuild's warnings about the program's own files.
	Warnings []Message
}

const (
	nsBuiltin     = "built-in"
	nsBuiltinCJS  = "built-in-cjs"
	nsUnsupported = "unsupported"
	entryName     = "alchemy-entry.js"
)

// Bundle builds the program described by opts.
func Bundle(opts Options) (*Result, error) {
	dir, err := absDir(opts.Dir)
	if err != nil {
		return nil, err
	}
	entry := opts.Entry
	if !filepath.IsAbs(entry) {
		entry = filepath.Join(dir, entry)
	}
	if st, err := os.Stat(entry); err != nil {
		return nil, fmt.Errorf("program %s: %w", relPath(dir, entry), err)
	} else if st.IsDir() {
		return nil, fmt.Errorf("program %s: is a directory", relPath(dir, entry))
	}
	entrySpec, _ := json.Marshal(entry)
	outFile := entry + ".bundle.js"

	preambles := newPreambleSet()
	build := api.Build(scriptOptions(api.BuildOptions{
		Stdin: &api.StdinOptions{
			Contents:   fmt.Sprintf("import * as entry from %s;\nglobalThis.%s = entry;\n", entrySpec, EntryGlobal),
			ResolveDir: dir,
			Sourcefile: entryName,
			Loader:     api.LoaderJS,
		},
		AbsWorkingDir:     dir,
		Metafile:          true,
		Outfile:           outFile,
		Platform:          api.PlatformNode,
		MainFields:        []string{"module", "main"},
		Conditions:        []string{"node", "import", "require", "default"},
		ResolveExtensions: resolveExtensions(),
		Define:            programDefines(),
		Plugins: []api.Plugin{
			builtinsPlugin(dir, opts.Modules),
			metaPlugin(preambles),
		},
	}))
	if len(build.Errors) > 0 {
		return nil, newError(dir, build.Errors, preambles)
	}
	res := &Result{File: outFile, Warnings: ownWarnings(dir, build.Warnings, preambles)}
	if res.Code, res.SourceMap, err = scriptOutput(build, "bundle"); err != nil {
		return nil, err
	}
	res.SourceMap, err = finishSourceMap(res.SourceMap, filepath.Dir(outFile), preambles)
	if err != nil {
		return nil, err
	}
	if opts.ListInputs {
		res.Inputs = metafileInputs(dir, build.Metafile)
	}
	return res, nil
}

// scriptOptions completes build options into those of a script the runtime
// runs: one bundle whose body is an async function (top-level await) with
// the syntax goja lacks lowered, and an external source map holding the
// sources.
func scriptOptions(o api.BuildOptions) api.BuildOptions {
	o.Bundle = true
	o.Write = false
	o.Format = api.FormatESModule
	o.Target = api.ESNext
	o.Supported = programSupported()
	o.Banner = map[string]string{"js": `(async function(){"use strict";`}
	o.Footer = map[string]string{"js": "})"}
	o.Sourcemap = api.SourceMapExternal
	o.SourcesContent = api.SourcesContentInclude
	o.Charset = api.CharsetASCII
	o.LegalComments = api.LegalCommentsNone
	o.LogLevel = api.LogLevelSilent
	return o
}

// scriptOutput returns the code and source map of a build of scriptOptions.
func scriptOutput(build api.BuildResult, what string) (code string, sourceMap []byte, err error) {
	for _, f := range build.OutputFiles {
		if strings.HasSuffix(f.Path, ".map") {
			sourceMap = f.Contents
		} else {
			code = string(f.Contents)
		}
	}
	if code == "" || sourceMap == nil {
		return "", nil, fmt.Errorf("%s: esbuild produced no output", what)
	}
	return code, sourceMap, nil
}

// programSupported switches off the syntax goja cannot run, so esbuild lowers
// it, and the regular expression features goja gets wrong, so esbuild turns
// those literals into RegExp constructor calls the runtime checks. goja
// compiles \p{…} in a u-flag literal as literal text; esbuild only spots
// such escapes outside character classes ([\p{L}] slips through), so every
// u-flag (and y-flag) literal becomes a RegExp call, which the runtime
// translates.
func programSupported() map[string]bool {
	return map[string]bool{
		"async-generator":                 false,
		"for-await":                       false,
		"decorators":                      false,
		"using":                           false,
		"regexp-match-indices":            false,
		"regexp-set-notation":             false,
		"regexp-unicode-property-escapes": false,
		"regexp-sticky-and-unicode-flags": false,
		"dynamic-import":                  false,
		"import-meta":                     false,
		"top-level-await":                 true,
	}
}

// resolveExtensions are tried, in order, for an import without one.
func resolveExtensions() []string {
	return []string{".tsx", ".ts", ".mts", ".cts", ".jsx", ".js", ".mjs", ".cjs", ".json"}
}

// metaVar is the file-local variable import.meta, __dirname and __filename
// are rewritten to. The meta plugin declares it at the top of each file that
// uses them.
const metaVar = "__alchemy_import_meta"

func programDefines() map[string]string {
	return map[string]string{
		"import.meta": metaVar,
		"__dirname":   metaVar + ".dirname",
		"__filename":  metaVar + ".filename",
	}
}

func absDir(dir string) (string, error) {
	if dir == "" {
		return os.Getwd()
	}
	return filepath.Abs(dir)
}

// relPath names path relative to dir when it is inside it.
func relPath(dir, path string) string {
	if rel, err := filepath.Rel(dir, path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}

// finishSourceMap makes every file source absolute, drops the generated
// preambles from the mappings and contents, and names the synthetic entry.
func finishSourceMap(data []byte, outDir string, pre *preambleSet) ([]byte, error) {
	m, err := sourcemap.Parse(data)
	if err != nil {
		return nil, err
	}
	for i, src := range m.Sources {
		m.Sources[i] = absSource(outDir, src)
	}
	if pre.any() {
		if err := pre.strip(m); err != nil {
			return nil, err
		}
	}
	return m.Marshal()
}

func absSource(outDir, src string) string {
	if ns, _, ok := strings.Cut(src, ":"); ok && (ns == nsBuiltin || ns == nsBuiltinCJS || ns == nsUnsupported) {
		return src
	}
	p, err := url.PathUnescape(src)
	if err != nil {
		p = src
	}
	if filepath.Base(p) == entryName {
		return "alchemy:entry"
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(outDir, filepath.FromSlash(p))
	}
	return p
}

func metafileInputs(dir, metafile string) []string {
	var meta struct {
		Inputs map[string]json.RawMessage `json:"inputs"`
	}
	if err := json.Unmarshal([]byte(metafile), &meta); err != nil {
		return nil
	}
	var inputs []string
	for p := range meta.Inputs {
		if strings.Contains(p, ":") || filepath.Base(p) == entryName {
			continue // virtual module
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, filepath.FromSlash(p))
		}
		inputs = append(inputs, p)
	}
	sort.Strings(inputs)
	return inputs
}

func ownWarnings(dir string, msgs []api.Message, pre *preambleSet) []Message {
	var own []Message
	for _, m := range msgs {
		if m.Location != nil && strings.Contains(filepath.ToSlash(m.Location.File), "node_modules/") {
			continue
		}
		own = append(own, newMessage(dir, m, pre))
	}
	return own
}
