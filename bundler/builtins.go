package bundler

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// nodeBuiltins are the module names Node.js itself provides. An import of one
// the runtime does not serve is reported instead of being looked up in
// node_modules.
var nodeBuiltins = map[string]bool{
	"assert": true, "assert/strict": true, "async_hooks": true, "buffer": true, "child_process": true,
	"cluster": true, "console": true, "constants": true, "crypto": true, "dgram": true,
	"diagnostics_channel": true, "dns": true, "dns/promises": true, "domain": true, "events": true,
	"fs": true, "fs/promises": true, "http": true, "http2": true, "https": true, "inspector": true,
	"inspector/promises": true, "module": true, "net": true, "os": true, "path": true,
	"path/posix": true, "path/win32": true, "perf_hooks": true, "process": true, "punycode": true,
	"querystring": true, "readline": true, "readline/promises": true, "repl": true, "stream": true,
	"stream/consumers": true, "stream/promises": true, "stream/web": true, "string_decoder": true,
	"sys": true, "timers": true, "timers/promises": true, "tls": true, "trace_events": true,
	"tty": true, "url": true, "util": true, "util/types": true, "v8": true, "vm": true, "wasi": true,
	"worker_threads": true, "zlib": true,
}

func isNodeBuiltin(spec string) bool {
	if strings.HasPrefix(spec, "node:") {
		return true // every node: specifier names a built-in
	}
	return nodeBuiltins[spec]
}

// hasScheme reports whether spec is a prefixed name such as
// "cloudflare:workers" rather than a path or a package name.
func hasScheme(spec string) bool {
	i := strings.IndexByte(spec, ':')
	if i < 1 {
		return false
	}
	for j := 0; j < i; j++ {
		c := spec[j]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (j == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '.' || c == '-')) {
			return false
		}
	}
	return true
}

func isAlchemyName(spec string) bool {
	return spec == "alchemy" || strings.HasPrefix(spec, "alchemy/")
}

// bareSpecifier is the resolve filter of the built-ins plugins: every
// specifier that is not a path. The callbacks tell built-ins from packages;
// a filter listing every built-in name would be compiled by each build and
// matched against every import for the same answer.
const bareSpecifier = `^[^./]`

// builtinsPlugin serves the runtime's modules and rejects other built-ins.
func builtinsPlugin(dir string, modules map[string]VirtualModule) api.Plugin {
	return api.Plugin{
		Name: "alchemy-builtins",
		Setup: func(build api.PluginBuild) {
			build.OnResolve(api.OnResolveOptions{Filter: bareSpecifier}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
				spec := args.Path
				if m, ok := modules[spec]; ok {
					if m.Imported != nil {
						m.Imported()
					}
					ns := nsBuiltin
					if args.Kind == api.ResolveJSRequireCall || args.Kind == api.ResolveJSRequireResolve {
						// require() must return the module's value itself
						// (node:assert is a function), not a namespace.
						ns = nsBuiltinCJS
					}
					return api.OnResolveResult{Path: spec, Namespace: ns}, nil
				}
				if !isNodeBuiltin(spec) && !hasScheme(spec) && !isAlchemyName(spec) {
					return api.OnResolveResult{}, nil
				}
				importer := relPath(dir, args.Importer)
				if inNodeModules(args.Importer) {
					// A dependency may require an unsupported built-in on a code
					// path the program never takes; fail only if it runs.
					return api.OnResolveResult{
						Path:       spec + "?from=" + importer,
						Namespace:  nsUnsupported,
						PluginData: unsupportedMessage(spec, importer, modules),
					}, nil
				}
				return api.OnResolveResult{Errors: []api.Message{{Text: unsupportedMessage(spec, importer, modules)}}}, nil
			})
			build.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: nsBuiltin}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
				src := esmModuleSource(args.Path, modules[args.Path])
				return api.OnLoadResult{Contents: &src, Loader: api.LoaderJS}, nil
			})
			build.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: nsBuiltinCJS}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
				src := fmt.Sprintf("module.exports = %s(%s);\n", BuiltinGlobal, jsString(args.Path))
				return api.OnLoadResult{Contents: &src, Loader: api.LoaderJS}, nil
			})
			build.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: nsUnsupported}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
				msg, _ := args.PluginData.(string)
				src := fmt.Sprintf("throw new Error(%s);\n", jsString(msg))
				return api.OnLoadResult{Contents: &src, Loader: api.LoaderJS}, nil
			})
		},
	}
}

func inNodeModules(path string) bool {
	return strings.Contains(filepath.ToSlash(path), "/node_modules/")
}

func unsupportedMessage(spec, importer string, modules map[string]VirtualModule) string {
	var node []string
	for n := range modules {
		if strings.HasPrefix(n, "node:") {
			node = append(node, n)
		}
	}
	sort.Strings(node)
	msg := fmt.Sprintf("module %q (imported by %s) is not supported", spec, importer)
	if isNodeBuiltin(spec) && len(node) > 0 {
		msg += "; the Node built-ins available are " + strings.Join(node, ", ")
	}
	return msg
}

// esmModuleSource generates the ES module for a built-in: one explicit named
// export per declared export, read from the runtime's exports object.
func esmModuleSource(spec string, mod VirtualModule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "var m = %s(%s);\n", BuiltinGlobal, jsString(spec))
	if len(mod.Exports) > 0 {
		var names []string
		for i, name := range mod.Exports {
			local := fmt.Sprintf("e%d", i)
			fmt.Fprintf(&b, "var %s = m[%s];\n", local, jsString(name))
			exported := name
			if !isIdentifier(name) {
				exported = jsString(name)
			}
			names = append(names, local+" as "+exported)
		}
		fmt.Fprintf(&b, "export { %s };\n", strings.Join(names, ", "))
	}
	if mod.Default {
		b.WriteString("export default m.default;\n")
	}
	return b.String()
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func isIdentifier(s string) bool {
	if s == "" || reservedWords[s] {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$' || i > 0 && c >= '0' && c <= '9'
		if !ok {
			return false
		}
	}
	return true
}

var reservedWords = map[string]bool{
	"break": true, "case": true, "catch": true, "class": true, "const": true, "continue": true,
	"debugger": true, "default": true, "delete": true, "do": true, "else": true, "enum": true,
	"export": true, "extends": true, "false": true, "finally": true, "for": true, "function": true,
	"if": true, "import": true, "in": true, "instanceof": true, "new": true, "null": true,
	"return": true, "super": true, "switch": true, "this": true, "throw": true, "true": true,
	"try": true, "typeof": true, "var": true, "void": true, "while": true, "with": true,
}
