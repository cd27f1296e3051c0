package nodelib

import (
	"strings"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime"
)

var pathExports = []string{
	"basename", "delimiter", "dirname", "extname", "format", "isAbsolute", "join", "normalize",
	"parse", "posix", "relative", "resolve", "sep", "toNamespacedPath",
}

func pathModule() runtime.Module {
	return runtime.Module{
		Name:    "node:path",
		Aliases: []string{"path", "node:path/posix", "path/posix"},
		Exports: pathExports,
		Default: true,
		Load:    loadPath,
	}
}

func loadPath(h *runtime.Host) (*goja.Object, error) {
	vm := h.VM()
	strs := func(call goja.FunctionCall, fn string) []string {
		out := make([]string, len(call.Arguments))
		for i, a := range call.Arguments {
			s, ok := a.Export().(string)
			if !ok {
				throwTypeError(vm, `The "path" argument of path.%s must be of type string. Received %s`, fn, runtime.Inspect(vm, a, runtime.InspectOptions{}))
			}
			out[i] = s
		}
		return out
	}
	str := func(call goja.FunctionCall, fn string) string {
		if len(call.Arguments) == 0 {
			throwTypeError(vm, `The "path" argument of path.%s must be of type string. Received undefined`, fn)
		}
		return strs(call, fn)[0]
	}
	obj := exportsObject(vm, map[string]any{
		"sep":       "/",
		"delimiter": ":",
		"normalize": func(call goja.FunctionCall) goja.Value { return vm.ToValue(PathNormalize(str(call, "normalize"))) },
		"join":      func(call goja.FunctionCall) goja.Value { return vm.ToValue(PathJoin(strs(call, "join")...)) },
		"resolve": func(call goja.FunctionCall) goja.Value {
			return vm.ToValue(PathResolve(h.Dir(), strs(call, "resolve")...))
		},
		"relative": func(call goja.FunctionCall) goja.Value {
			args := strs(call, "relative")
			for len(args) < 2 {
				args = append(args, "")
			}
			return vm.ToValue(PathRelative(h.Dir(), args[0], args[1]))
		},
		"dirname": func(call goja.FunctionCall) goja.Value { return vm.ToValue(PathDirname(str(call, "dirname"))) },
		"basename": func(call goja.FunctionCall) goja.Value {
			args := strs(call, "basename")
			ext := ""
			if len(args) > 1 {
				ext = args[1]
			}
			return vm.ToValue(PathBasename(args[0], ext))
		},
		"extname": func(call goja.FunctionCall) goja.Value { return vm.ToValue(PathExtname(str(call, "extname"))) },
		"isAbsolute": func(call goja.FunctionCall) goja.Value {
			return vm.ToValue(strings.HasPrefix(str(call, "isAbsolute"), "/"))
		},
		"toNamespacedPath": func(call goja.FunctionCall) goja.Value { return call.Argument(0) },
		"parse": func(call goja.FunctionCall) goja.Value {
			p := PathParse(str(call, "parse"))
			return exportsObject(vm, map[string]any{"root": p.Root, "dir": p.Dir, "base": p.Base, "ext": p.Ext, "name": p.Name})
		},
		"format": func(call goja.FunctionCall) goja.Value {
			o, ok := call.Argument(0).(*goja.Object)
			if !ok {
				throwTypeError(vm, `The "pathObject" argument must be of type object`)
			}
			get := func(k string) string {
				if v := o.Get(k); v != nil && !goja.IsUndefined(v) && !goja.IsNull(v) {
					return v.String()
				}
				return ""
			}
			return vm.ToValue(PathFormat(ParsedPath{Root: get("root"), Dir: get("dir"), Base: get("base"), Ext: get("ext"), Name: get("name")}))
		},
	})
	_ = obj.Set("posix", obj)
	return obj, nil
}

// PathNormalize normalizes a POSIX path as Node's path.normalize: "." and
// ".." segments resolved, repeated slashes collapsed, a trailing slash kept.
func PathNormalize(p string) string {
	if p == "" {
		return "."
	}
	abs := strings.HasPrefix(p, "/")
	trailing := strings.HasSuffix(p, "/")
	var stack []string
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "", ".":
		case "..":
			if len(stack) > 0 && stack[len(stack)-1] != ".." {
				stack = stack[:len(stack)-1]
			} else if !abs {
				stack = append(stack, "..")
			}
		default:
			stack = append(stack, seg)
		}
	}
	out := strings.Join(stack, "/")
	if out == "" && !abs {
		out = "."
	}
	if trailing && out != "" {
		out += "/"
	}
	if abs {
		return "/" + out
	}
	return out
}

// PathJoin joins the non-empty segments with "/" and normalizes the result.
func PathJoin(parts ...string) string {
	var nonEmpty []string
	for _, p := range parts {
		if p != "" {
			nonEmpty = append(nonEmpty, p)
		}
	}
	if len(nonEmpty) == 0 {
		return "."
	}
	return PathNormalize(strings.Join(nonEmpty, "/"))
}

// PathResolve resolves the segments from right to left into an absolute
// path, starting from cwd, without a trailing slash.
func PathResolve(cwd string, parts ...string) string {
	resolved := ""
	for i := len(parts) - 1; i >= 0 && !strings.HasPrefix(resolved, "/"); i-- {
		if parts[i] == "" {
			continue
		}
		if resolved == "" {
			resolved = parts[i]
		} else {
			resolved = parts[i] + "/" + resolved
		}
	}
	if !strings.HasPrefix(resolved, "/") {
		resolved = cwd + "/" + resolved
	}
	out := PathNormalize(resolved)
	if len(out) > 1 {
		out = strings.TrimSuffix(out, "/")
	}
	return out
}

// PathRelative returns the path from from to to, both resolved against cwd.
func PathRelative(cwd, from, to string) string {
	from, to = PathResolve(cwd, from), PathResolve(cwd, to)
	if from == to {
		return ""
	}
	split := func(p string) []string {
		if p == "/" {
			return nil
		}
		return strings.Split(strings.TrimPrefix(p, "/"), "/")
	}
	f, t := split(from), split(to)
	i := 0
	for i < len(f) && i < len(t) && f[i] == t[i] {
		i++
	}
	var out []string
	for range f[i:] {
		out = append(out, "..")
	}
	out = append(out, t[i:]...)
	return strings.Join(out, "/")
}

// PathDirname returns the directory part of p.
func PathDirname(p string) string {
	if p == "" {
		return "."
	}
	trimmed := strings.TrimRight(p, "/")
	if trimmed == "" {
		return "/"
	}
	i := strings.LastIndexByte(trimmed, '/')
	switch {
	case i < 0:
		return "."
	case i == 0:
		return "/"
	}
	dir := strings.TrimRight(trimmed[:i], "/")
	if dir == "" {
		return "/"
	}
	return dir
}

// PathBasename returns the last segment of p, without ext when it ends so.
func PathBasename(p, ext string) string {
	trimmed := strings.TrimRight(p, "/")
	if trimmed == "" {
		return ""
	}
	base := trimmed[strings.LastIndexByte(trimmed, '/')+1:]
	if ext != "" && base != ext && strings.HasSuffix(base, ext) {
		base = base[:len(base)-len(ext)]
	}
	return base
}

// PathExtname returns the extension of p's last segment: from its last dot,
// unless the dot starts the name.
func PathExtname(p string) string {
	base := PathBasename(p, "")
	i := strings.LastIndexByte(base, '.')
	if i <= 0 || base == ".." {
		return ""
	}
	return base[i:]
}

// ParsedPath is the result of path.parse.
type ParsedPath struct{ Root, Dir, Base, Ext, Name string }

// PathParse splits p as Node's path.parse.
func PathParse(p string) ParsedPath {
	var out ParsedPath
	if p == "" {
		return out
	}
	if strings.HasPrefix(p, "/") {
		out.Root = "/"
	}
	out.Base = PathBasename(p, "")
	out.Ext = PathExtname(p)
	out.Name = strings.TrimSuffix(out.Base, out.Ext)
	if strings.Contains(strings.TrimRight(p, "/"), "/") {
		out.Dir = PathDirname(p)
	} else {
		out.Dir = out.Root
	}
	return out
}

// PathFormat joins a parsed path back together.
func PathFormat(p ParsedPath) string {
	dir := p.Dir
	if dir == "" {
		dir = p.Root
	}
	base := p.Base
	if base == "" {
		ext := p.Ext
		if ext != "" && !strings.HasPrefix(ext, ".") {
			ext = "." + ext
		}
		base = p.Name + ext
	}
	switch {
	case dir == "":
		return base
	case dir == p.Root:
		return dir + base
	}
	return dir + "/" + base
}
