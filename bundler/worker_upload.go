package bundler

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/alchemy-go/alchemy/bundler/sourcemap"
)

// UploadedModule is one part of a Worker as uploaded to Cloudflare: a
// module (ES module, CommonJS, text, data, source map, …) named as the
// Worker imports it.
type UploadedModule struct {
	Name        string
	ContentType string
	Content     []byte
}

// UploadOptions describe an uploaded Worker to make runnable.
type UploadOptions struct {
	// Modules are the uploaded parts.
	Modules []UploadedModule
	// MainModule names the ES module entry; BodyPart names the entry of a
	// service-worker script (one of the two is set).
	MainModule, BodyPart string
	// Builtins maps every specifier the runtime serves (cloudflare:workers,
	// node:buffer, …) to its description.
	Builtins map[string]VirtualModule
	// File is the name the bundle has in stack traces of code its source
	// map does not cover; it should end in ".bundle.js".
	File string
}

// Runnable is an uploaded Worker turned into one script the JS engine runs.
type Runnable struct {
	// Code evaluates to an async function; calling it evaluates the modules
	// and stores the main module's namespace in the EntryGlobal global (a
	// service-worker script runs for its side effects).
	Code string
	// SourceMap maps Code to the uploaded modules, and through each
	// module's own source map part (when it has one) to the files it was
	// built from. Sources are absolute paths under "/".
	SourceMap []byte
	// File is UploadOptions.File.
	File string
}

const (
	nsUpload   = "upload"
	uploadRoot = "/"
)

// BundleUploaded links the uploaded modules of a Worker into one script,
// the way the program bundler does for programs: imports between the parts
// resolve by name, built-in modules are served by the runtime, and syntax
// the engine lacks is lowered.
func BundleUploaded(opts UploadOptions) (*Runnable, error) {
	byName := map[string]UploadedModule{}
	for _, m := range opts.Modules {
		byName[path.Clean("/" + m.Name)[1:]] = m
	}
	entry, classic := opts.MainModule, false
	if entry == "" {
		entry, classic = opts.BodyPart, true
	}
	if entry == "" {
		return nil, errors.New("worker: neither main_module nor body_part names an entry module")
	}
	if _, ok := byName[path.Clean("/" + entry)[1:]]; !ok {
		return nil, fmt.Errorf("worker: the entry module %q is not among the uploaded modules (%s)", entry, moduleList(byName))
	}
	spec, _ := json.Marshal("./" + path.Clean("/" + entry)[1:])
	stdin := fmt.Sprintf("import * as entry from %s;\nglobalThis.%s = entry;\n", spec, EntryGlobal)
	if classic {
		stdin = fmt.Sprintf("import %s;\n", spec)
	}
	file := opts.File
	if file == "" {
		file = "/worker.bundle.js"
	}
	build := api.Build(scriptOptions(api.BuildOptions{
		Stdin: &api.StdinOptions{
			Contents:   stdin,
			ResolveDir: uploadRoot,
			Sourcefile: entryName,
			Loader:     api.LoaderJS,
		},
		AbsWorkingDir: uploadRoot,
		Outfile:       file,
		Platform:      api.PlatformNeutral,
		Plugins: []api.Plugin{
			builtinsPlugin(uploadRoot, opts.Builtins),
			uploadPlugin(byName),
		},
	}))
	if len(build.Errors) > 0 {
		return nil, newError(uploadRoot, uploadLocations(build.Errors), nil)
	}
	r := &Runnable{File: file}
	var err error
	if r.Code, r.SourceMap, err = scriptOutput(build, "worker bundle"); err != nil {
		return nil, err
	}
	if r.SourceMap, err = uploadSourceMap(r.SourceMap); err != nil {
		return nil, err
	}
	return r, nil
}

// uploadLocations names the uploaded modules in messages as people know
// them ("worker.js"), not by the plugin's namespace.
func uploadLocations(msgs []api.Message) []api.Message {
	fix := func(loc *api.Location) {
		if loc == nil {
			return
		}
		if name, ok := strings.CutPrefix(loc.File, nsUpload+":"); ok {
			loc.File = name
		} else if loc.Namespace != nsUpload {
			return
		}
		loc.Namespace, loc.File = "file", uploadRoot+loc.File
	}
	for i := range msgs {
		fix(msgs[i].Location)
		for j := range msgs[i].Notes {
			fix(msgs[i].Notes[j].Location)
		}
	}
	return msgs
}

func moduleList(byName map[string]UploadedModule) string {
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// uploadPlugin resolves imports among the uploaded modules and loads them
// from memory.
func uploadPlugin(byName map[string]UploadedModule) api.Plugin {
	return api.Plugin{
		Name: "alchemy-upload",
		Setup: func(build api.PluginBuild) {
			build.OnResolve(api.OnResolveOptions{Filter: `.*`}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
				importer := "/"
				if args.Namespace == nsUpload {
					importer = "/" + args.Importer
				}
				var name string
				switch {
				case strings.HasPrefix(args.Path, "./") || strings.HasPrefix(args.Path, "../"):
					name = path.Join(path.Dir(importer), args.Path)[1:]
				case strings.HasPrefix(args.Path, "/"):
					name = path.Clean(args.Path)[1:]
				default:
					name = path.Clean("/" + args.Path)[1:]
				}
				if _, ok := byName[name]; ok {
					return api.OnResolveResult{Path: name, Namespace: nsUpload}, nil
				}
				from := "the entry"
				if args.Namespace == nsUpload {
					from = args.Importer
				}
				return api.OnResolveResult{Errors: []api.Message{{
					Text: fmt.Sprintf("module %q (imported by %s) is not among the uploaded modules (%s)", args.Path, from, moduleList(byName)),
				}}}, nil
			})
			build.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: nsUpload}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
				return loadUploaded(byName, byName[args.Path])
			})
		},
	}
}

var sourceMappingURL = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?m)^[ \t]*//[#@][ \t]*sourceMappingURL=([^\s'"]+)[ \t]*$`)
})

// loadUploaded turns one part into what esbuild loads, by its type.
func loadUploaded(byName map[string]UploadedModule, m UploadedModule) (api.OnLoadResult, error) {
	ct := strings.ToLower(strings.TrimSpace(strings.Split(m.ContentType, ";")[0]))
	name := path.Clean("/" + m.Name)[1:]
	contents := func(s string, l api.Loader) (api.OnLoadResult, error) {
		return api.OnLoadResult{Contents: &s, Loader: l, ResolveDir: uploadRoot}, nil
	}
	switch {
	case ct == "application/javascript+module" || ct == "application/javascript" || ct == "text/javascript" ||
		ct == "" && (strings.HasSuffix(name, ".js") || strings.HasSuffix(name, ".mjs") || strings.HasSuffix(name, ".cjs")):
		return contents(inlineSourceMap(byName, name, string(m.Content)), api.LoaderJS)
	case ct == "text/plain" || strings.HasPrefix(ct, "text/") && ct != "text/x-python" && ct != "text/x-python-requirement":
		return contents(string(m.Content), api.LoaderText)
	case ct == "application/json" || ct == "application/source-map":
		return contents(string(m.Content), api.LoaderJSON)
	case ct == "application/octet-stream":
		b64, _ := json.Marshal(base64.StdEncoding.EncodeToString(m.Content))
		return contents(fmt.Sprintf("export default Uint8Array.from(atob(%s), (c) => c.charCodeAt(0)).buffer;\n", b64), api.LoaderJS)
	case ct == "application/wasm":
		msg, _ := json.Marshal(fmt.Sprintf("module %q is WebAssembly, which the local Worker runtime cannot run", name))
		return contents(fmt.Sprintf("throw new Error(%s);\n", msg), api.LoaderJS)
	}
	return api.OnLoadResult{}, fmt.Errorf("module %q has content type %q, which the local Worker runtime cannot load", name, m.ContentType)
}

// inlineSourceMap replaces a module's sourceMappingURL comment naming
// another uploaded part with the map itself, so that esbuild composes it
// into the bundle's map.
func inlineSourceMap(byName map[string]UploadedModule, name, code string) string {
	loc := sourceMappingURL().FindStringSubmatchIndex(code)
	if loc == nil {
		return code
	}
	ref := code[loc[2]:loc[3]]
	if strings.HasPrefix(ref, "data:") {
		return code
	}
	mapName := path.Join(path.Dir("/"+name), ref)[1:]
	part, ok := byName[mapName]
	if !ok {
		return code[:loc[0]] + code[loc[1]:]
	}
	data := base64.StdEncoding.EncodeToString(part.Content)
	return code[:loc[0]] + "//# sourceMappingURL=data:application/json;base64," + data + code[loc[1]:]
}

// uploadSourceMap names every source as an absolute path under "/": the
// uploaded modules by their names, the files of composed maps by their
// paths.
func uploadSourceMap(data []byte) ([]byte, error) {
	m, err := sourcemap.Parse(data)
	if err != nil {
		return nil, err
	}
	for i, src := range m.Sources {
		if ns, rest, ok := strings.Cut(src, ":"); ok && (ns == nsBuiltin || ns == nsBuiltinCJS || ns == nsUnsupported) {
			continue
		} else if ok && ns == nsUpload {
			src = rest
		}
		if filepath := path.Base(src); filepath == entryName {
			m.Sources[i] = "alchemy:entry"
			continue
		}
		m.Sources[i] = path.Join(uploadRoot, src)
	}
	return m.Marshal()
}
