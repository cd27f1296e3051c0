package cloudflare

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/alchemy-go/alchemy/bundler"
)

// Content types of uploaded modules.
const (
	contentESModule  = "application/javascript+module"
	contentCommonJS  = "application/javascript"
	contentSourceMap = "application/source-map"
	contentText      = "text/plain"
	contentData      = "application/octet-stream"
	contentWasm      = "application/wasm"
)

// module is one file of a Worker upload.
type module struct {
	Name        string
	ContentType string
	Content     []byte
}

// workerCode is what gets uploaded as a Worker's code.
type workerCode struct {
	modules []module
	// main is the entry module: main_module for ES modules, body_part for
	// CommonJS.
	main     string
	commonJS bool
	// inputs are the files a bundle was built from.
	inputs []string
}

// codeOptions say how to build a Worker's code.
type codeOptions struct {
	dir        string // the Worker's cwd
	entrypoint string
	script     string
	inline     bool
	format     string // "esm" or "cjs"
	noBundle   bool
	sourceMap  bool
	nodeCompat bool
	define     map[string]string
	loader     map[string]string // bundle.loader
	external   []string          // bundle.external
	alias      map[string]string // bundle.alias
	globs      []string          // noBundle rules
	// bundle bundles the entrypoint (bundler.BundleWorker when nil; the
	// dev session's incremental bundler under --dev).
	bundle func(bundler.WorkerOptions) (*bundler.Worker, error)
}

// buildCode bundles the entrypoint with esbuild (an ES module and its
// source map, Node built-ins external under nodejs_compat, cloudflare:*
// always external), or takes an inline script or the files as they are.
func buildCode(o codeOptions) (*workerCode, error) {
	if o.inline {
		ct := contentESModule
		if o.format == "cjs" {
			ct = contentCommonJS
		}
		return &workerCode{modules: []module{{Name: "worker.js", ContentType: ct, Content: []byte(o.script)}},
			main: "worker.js", commonJS: o.format == "cjs"}, nil
	}
	if o.noBundle {
		return collectModules(o)
	}
	if o.format == "cjs" {
		return nil, fmt.Errorf("bundling to CommonJS is not supported: use format \"esm\" or noBundle")
	}
	define := map[string]string{
		"navigator.userAgent":  `"Cloudflare-Workers"`,
		"process.env.NODE_ENV": `"undefined"`,
	}
	for k, v := range o.define {
		define[k] = v
	}
	bundle := o.bundle
	if bundle == nil {
		bundle = bundler.BundleWorker
	}
	w, err := bundle(bundler.WorkerOptions{Entry: o.entrypoint, Dir: o.dir, NodeCompat: o.nodeCompat, Define: define,
		Loader: o.loader, External: o.external, Alias: o.alias})
	if err != nil {
		return nil, err
	}
	name := strings.TrimSuffix(filepath.Base(o.entrypoint), filepath.Ext(o.entrypoint)) + ".js"
	code := w.Code
	mods := []module{}
	if o.sourceMap && len(w.SourceMap) > 0 {
		if !strings.Contains(code, "//# sourceMappingURL=") {
			if !strings.HasSuffix(code, "\n") {
				code += "\n"
			}
			code += "//# sourceMappingURL=" + name + ".map\n"
		}
		mods = append(mods, module{Name: name + ".map", ContentType: contentSourceMap, Content: w.SourceMap})
	}
	mods = append([]module{{Name: name, ContentType: contentESModule, Content: []byte(code)}}, mods...)
	return &workerCode{modules: mods, main: name, inputs: w.Inputs}, nil
}

// collectModules uploads the files beside the entrypoint that match the
// rules' globs (by default every .js, .mjs and .wasm file, and .js.map
// files unless source maps are off).
func collectModules(o codeOptions) (*workerCode, error) {
	entry := o.entrypoint
	if !filepath.IsAbs(entry) {
		entry = filepath.Join(o.dir, entry)
	}
	root := filepath.Dir(entry)
	globs := o.globs
	if len(globs) == 0 {
		globs = []string{"**/*.js", "**/*.mjs", "**/*.wasm"}
		if o.sourceMap {
			globs = append(globs, "**/*.js.map")
		}
	}
	var mods []module
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "node_modules" || (strings.HasPrefix(d.Name(), ".") && p != root) {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !slices.ContainsFunc(globs, func(g string) bool { return globMatch(g, rel) }) {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		mods = append(mods, module{Name: rel, ContentType: moduleType(rel, o.format), Content: data})
		return nil
	})
	if err != nil {
		return nil, err
	}
	main, err := filepath.Rel(root, entry)
	if err != nil {
		return nil, err
	}
	main = filepath.ToSlash(main)
	if !slices.ContainsFunc(mods, func(m module) bool { return m.Name == main }) {
		return nil, fmt.Errorf("entrypoint %s is not among the files the rules select", main)
	}
	return &workerCode{modules: mods, main: main, commonJS: o.format == "cjs"}, nil
}

func moduleType(name, format string) string {
	switch {
	case strings.HasSuffix(name, ".map"):
		return contentSourceMap
	case strings.HasSuffix(name, ".mjs"):
		return contentESModule
	case strings.HasSuffix(name, ".cjs"):
		return contentCommonJS
	case strings.HasSuffix(name, ".js"):
		if format == "cjs" {
			return contentCommonJS
		}
		return contentESModule
	case strings.HasSuffix(name, ".wasm"):
		return contentWasm
	case strings.HasSuffix(name, ".bin"):
		return contentData
	}
	return contentText
}

// globMatch matches a slash-separated path against a glob where "**"
// matches any number of directories.
func globMatch(glob, name string) bool {
	if glob == "**" {
		return true
	}
	if rest, ok := strings.CutPrefix(glob, "**/"); ok {
		if globMatch(rest, name) {
			return true
		}
		_, after, found := strings.Cut(name, "/")
		return found && globMatch(glob, after)
	}
	g, gRest, gMore := strings.Cut(glob, "/")
	n, nRest, nMore := strings.Cut(name, "/")
	if ok, _ := path.Match(g, n); !ok {
		return false
	}
	if gMore != nMore {
		return false
	}
	if !gMore {
		return true
	}
	return globMatch(gRest, nRest)
}
