package bundler

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/evanw/esbuild/pkg/api"
)

// WorkerOptions configures the bundle of a Cloudflare Worker entrypoint.
type WorkerOptions struct {
	// Entry is the Worker's main module, absolute or relative to Dir.
	Entry string
	// Dir is the working directory; messages name files relative to it.
	Dir string
	// NodeCompat allows Node built-ins (the nodejs_compat flag): they stay
	// imports of "node:*" modules that the Worker runtime provides.
	NodeCompat bool
	// Define replaces global expressions with constants, as esbuild's define.
	Define map[string]string
	// Loader says how imports of files with an extension (".sql") load,
	// by esbuild loader name (see Loaders); ".sql" files load as text
	// unless it says otherwise.
	Loader map[string]string
	// External lists imports left as they are (esbuild's external; "*"
	// is a wildcard).
	External []string
	// Alias replaces imported package names by other packages or by
	// paths, as esbuild's alias.
	Alias map[string]string
}

// workerLoaders are the loaders a Worker bundle accepts in Loader, by
// name: those whose output is part of the bundle itself.
func workerLoaders() map[string]api.Loader {
	return map[string]api.Loader{
		"js": api.LoaderJS, "jsx": api.LoaderJSX, "ts": api.LoaderTS, "tsx": api.LoaderTSX,
		"json": api.LoaderJSON, "text": api.LoaderText, "base64": api.LoaderBase64,
		"dataurl": api.LoaderDataURL, "binary": api.LoaderBinary, "empty": api.LoaderEmpty,
	}
}

// LoaderNames lists the loader names WorkerOptions.Loader accepts.
func LoaderNames() []string { return slices.Sorted(maps.Keys(workerLoaders())) }

// Key identifies the options: two bundles with the same key are the same
// build.
func (o WorkerOptions) Key() string {
	pairs := func(m map[string]string) string {
		out := make([]string, 0, len(m))
		for k, v := range m {
			out = append(out, k+"="+v)
		}
		slices.Sort(out)
		return strings.Join(out, "\x01")
	}
	return strings.Join([]string{o.Dir, o.Entry, strconv.FormatBool(o.NodeCompat), pairs(o.Define), pairs(o.Loader),
		strings.Join(o.External, "\x01"), pairs(o.Alias)}, "\x00")
}

// Worker is a bundled Worker: one ES module that keeps its exports.
type Worker struct {
	// Code is the module source.
	Code string
	// SourceMap is its version 3 source map, sources relative to Dir.
	SourceMap []byte
	// Inputs are the absolute paths of the files the bundle was built from.
	Inputs []string
	// Warnings are esbuild's warnings about the Worker's own files.
	Warnings []Message
}

// BundleWorker bundles a Worker entrypoint as an ES module. Imports of
// "cloudflare:*" modules stay external, as do Node built-ins under
// NodeCompat (bare names are rewritten to their "node:" spelling).
func BundleWorker(opts WorkerOptions) (*Worker, error) {
	dir, build, err := workerBuild(opts)
	if err != nil {
		return nil, err
	}
	return workerResult(dir, api.Build(build))
}

// WorkerContext bundles one Worker again and again, reusing the work of
// the previous build (esbuild's incremental context): dev mode rebuilds a
// Worker on every save. Its methods are safe for concurrent use.
type WorkerContext struct {
	dir  string
	opts WorkerOptions

	mu  sync.Mutex
	ctx api.BuildContext
}

// NewWorkerContext prepares the incremental bundle of a Worker; nothing is
// built until Rebuild. Dispose releases it.
func NewWorkerContext(opts WorkerOptions) (*WorkerContext, error) {
	dir, build, err := workerBuild(opts)
	if err != nil {
		return nil, err
	}
	ctx, cerr := api.Context(build)
	if cerr != nil {
		return nil, newError(dir, cerr.Errors, nil)
	}
	return &WorkerContext{dir: dir, opts: opts, ctx: ctx}, nil
}

// Options returns the options the context was made with.
func (c *WorkerContext) Options() WorkerOptions { return c.opts }

// Rebuild bundles the Worker from the files as they are now. A failed
// build leaves the context usable for the next one.
func (c *WorkerContext) Rebuild() (*Worker, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx == nil {
		return nil, errors.New("worker bundle: the context was disposed")
	}
	return workerResult(c.dir, c.ctx.Rebuild())
}

// Dispose releases the context; calling it again does nothing.
func (c *WorkerContext) Dispose() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx != nil {
		c.ctx.Dispose()
		c.ctx = nil
	}
}

// workerBuild returns esbuild's options for a Worker bundle and the
// absolute working directory.
func workerBuild(opts WorkerOptions) (string, api.BuildOptions, error) {
	dir, err := absDir(opts.Dir)
	if err != nil {
		return "", api.BuildOptions{}, err
	}
	entry := opts.Entry
	if !filepath.IsAbs(entry) {
		entry = filepath.Join(dir, entry)
	}
	if _, err := os.Stat(entry); err != nil {
		return "", api.BuildOptions{}, fmt.Errorf("worker %s: %w", relPath(dir, entry), err)
	}
	loaders := map[string]api.Loader{".sql": api.LoaderText}
	known := workerLoaders()
	for ext, name := range opts.Loader {
		l, ok := known[name]
		if !ok || !strings.HasPrefix(ext, ".") {
			return "", api.BuildOptions{}, fmt.Errorf("worker %s: loader %q for %q: want an extension such as \".sql\" and one of %s",
				relPath(dir, entry), name, ext, strings.Join(LoaderNames(), ", "))
		}
		loaders[ext] = l
	}
	return dir, api.BuildOptions{
		EntryPoints:       []string{entry},
		AbsWorkingDir:     dir,
		Bundle:            true,
		Write:             false,
		Metafile:          true,
		Outfile:           filepath.Join(dir, "worker.js"),
		Format:            api.FormatESModule,
		Platform:          api.PlatformNeutral,
		Target:            api.ES2022,
		MainFields:        []string{"module", "main"},
		Conditions:        []string{"workerd", "worker", "browser", "import", "default"},
		ResolveExtensions: resolveExtensions(),
		Define:            opts.Define,
		Loader:            loaders,
		External:          opts.External,
		Alias:             opts.Alias,
		Sourcemap:         api.SourceMapExternal,
		SourcesContent:    api.SourcesContentInclude,
		Charset:           api.CharsetUTF8,
		LogLevel:          api.LogLevelSilent,
		Plugins:           []api.Plugin{workerExternalsPlugin(dir, opts.NodeCompat)},
	}, nil
}

// workerResult turns esbuild's result into a Worker (or its errors).
func workerResult(dir string, build api.BuildResult) (*Worker, error) {
	if len(build.Errors) > 0 {
		return nil, newError(dir, build.Errors, nil)
	}
	w := &Worker{Warnings: ownWarnings(dir, build.Warnings, nil), Inputs: metafileInputs(dir, build.Metafile)}
	for _, f := range build.OutputFiles {
		if strings.HasSuffix(f.Path, ".map") {
			w.SourceMap = f.Contents
		} else {
			w.Code = string(f.Contents)
		}
	}
	if w.Code == "" {
		return nil, errors.New("worker bundle: esbuild produced no output")
	}
	return w, nil
}

func workerExternalsPlugin(dir string, nodeCompat bool) api.Plugin {
	return api.Plugin{
		Name: "alchemy-worker-externals",
		Setup: func(build api.PluginBuild) {
			build.OnResolve(api.OnResolveOptions{Filter: bareSpecifier}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
				spec := args.Path
				switch {
				case strings.HasPrefix(spec, "cloudflare:"):
					return api.OnResolveResult{Path: spec, External: true}, nil
				case isNodeBuiltin(spec):
					if nodeCompat {
						return api.OnResolveResult{Path: "node:" + strings.TrimPrefix(spec, "node:"), External: true}, nil
					}
					return api.OnResolveResult{Errors: []api.Message{{
						Text: fmt.Sprintf("module %q (imported by %s) needs the nodejs_compat compatibility flag", spec, relPath(dir, args.Importer)),
					}}}, nil
				case hasScheme(spec):
					return api.OnResolveResult{Errors: []api.Message{{
						Text: fmt.Sprintf("module %q (imported by %s) is not available in Workers", spec, relPath(dir, args.Importer)),
					}}}, nil
				}
				return api.OnResolveResult{}, nil // alchemy/* and the rest: ordinary resolution
			})
		},
	}
}

// Parts returns the bundle as the module parts of a script upload: the ES
// module named name (its sourceMappingURL comment names the map part) and
// its source map as name+".map".
func (w *Worker) Parts(name string) []UploadedModule {
	code := sourceMappingURL().ReplaceAllString(w.Code, "")
	code = strings.TrimRight(code, "\n") + "\n//# sourceMappingURL=" + path.Base(name) + ".map\n"
	parts := []UploadedModule{{Name: name, ContentType: "application/javascript+module", Content: []byte(code)}}
	if w.SourceMap != nil {
		parts = append(parts, UploadedModule{Name: name + ".map", ContentType: "application/source-map", Content: w.SourceMap})
	}
	return parts
}
