package nodelib

import (
	"fmt"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"syscall"

	"github.com/dop251/goja"
	"golang.org/x/net/idna"

	"github.com/alchemy-go/alchemy/runtime"
)

// global returns a global of h's realm (a web global such as URL).
func global(h *runtime.Host, name string) goja.Value {
	return h.VM().Get(name)
}

func assertExports() []string {
	return []string{
		"AssertionError", "deepEqual", "deepStrictEqual", "doesNotMatch", "doesNotReject",
		"doesNotThrow", "equal", "fail", "ifError", "match", "notDeepEqual", "notDeepStrictEqual",
		"notEqual", "notStrictEqual", "ok", "rejects", "strict", "strictEqual", "throws",
	}
}

func assertModule() runtime.Module {
	name, aliases := names("assert")
	return runtime.Module{Name: name, Aliases: aliases, Exports: assertExports(), Default: true,
		Load: func(h *runtime.Host) (*goja.Object, error) {
			lib, err := jslib(h)
			if err != nil {
				return nil, err
			}
			return lib.Get("assert").(*goja.Object), nil
		}}
}

func assertStrictModule() runtime.Module {
	name, aliases := names("assert/strict")
	return runtime.Module{Name: name, Aliases: aliases, Exports: assertExports(), Default: true,
		Load: func(h *runtime.Host) (*goja.Object, error) {
			lib, err := jslib(h)
			if err != nil {
				return nil, err
			}
			return lib.Get("assert").(*goja.Object).Get("strict").(*goja.Object), nil
		}}
}

func osModule() runtime.Module {
	name, aliases := names("os")
	return runtime.Module{
		Name: name, Aliases: aliases, Default: true, Load: loadOS,
		Exports: []string{
			"EOL", "arch", "availableParallelism", "cpus", "devNull", "endianness", "freemem",
			"homedir", "hostname", "loadavg", "machine", "networkInterfaces", "platform", "release",
			"tmpdir", "totalmem", "type", "uptime", "userInfo", "version",
		},
	}
}

func loadOS(h *runtime.Host) (*goja.Object, error) {
	vm := h.VM()
	env := h.Env()
	getenv := func(k string) string { v, _ := env.Get(k); return v }
	sysinfo := func() syscall.Sysinfo_t {
		var si syscall.Sysinfo_t
		_ = syscall.Sysinfo(&si)
		return si
	}
	release := func() string {
		b, err := os.ReadFile("/proc/sys/kernel/osrelease")
		if err != nil {
			return ""
		}
		return strings.TrimSpace(string(b))
	}
	return exportsObject(vm, map[string]any{
		"EOL":     "\n",
		"devNull": os.DevNull,
		"arch":    runtime.NodeArch,
		"machine": func() string {
			switch goruntime.GOARCH {
			case "amd64":
				return "x86_64"
			case "arm64":
				return "aarch64"
			}
			return goruntime.GOARCH
		},
		"platform": func() string { return goruntime.GOOS },
		"type": func() string {
			return map[string]string{"linux": "Linux", "darwin": "Darwin", "windows": "Windows_NT"}[goruntime.GOOS]
		},
		"release":              release,
		"version":              release,
		"endianness":           func() string { return "LE" },
		"availableParallelism": func() int { return goruntime.NumCPU() },
		"hostname": func() string {
			n, _ := os.Hostname()
			return n
		},
		"homedir": func() string {
			if d := getenv("HOME"); d != "" {
				return d
			}
			d, _ := os.UserHomeDir()
			return d
		},
		"tmpdir": func() string {
			for _, k := range []string{"TMPDIR", "TMP", "TEMP"} {
				if d := getenv(k); d != "" {
					if len(d) > 1 {
						d = strings.TrimSuffix(d, "/")
					}
					return d
				}
			}
			return "/tmp"
		},
		"userInfo": func() map[string]any {
			u, err := user.Current()
			if err != nil {
				return map[string]any{"username": getenv("USER"), "uid": os.Getuid(), "gid": os.Getgid(), "homedir": getenv("HOME"), "shell": getenv("SHELL")}
			}
			return map[string]any{"username": u.Username, "uid": os.Getuid(), "gid": os.Getgid(), "homedir": u.HomeDir, "shell": getenv("SHELL")}
		},
		"cpus": func() []any {
			cpus := make([]any, goruntime.NumCPU())
			for i := range cpus {
				cpus[i] = map[string]any{"model": "unknown", "speed": 0, "times": map[string]any{"user": 0, "nice": 0, "sys": 0, "idle": 0, "irq": 0}}
			}
			return cpus
		},
		"totalmem": func() uint64 { si := sysinfo(); return si.Totalram * uint64(si.Unit) },
		"freemem":  func() uint64 { si := sysinfo(); return si.Freeram * uint64(si.Unit) },
		"uptime":   func() int64 { return sysinfo().Uptime },
		"loadavg": func() []float64 {
			si := sysinfo()
			return []float64{float64(si.Loads[0]) / 65536, float64(si.Loads[1]) / 65536, float64(si.Loads[2]) / 65536}
		},
		"networkInterfaces": func() map[string]any { return map[string]any{} },
	}), nil
}

func urlModule() runtime.Module {
	name, aliases := names("url")
	return runtime.Module{
		Name: name, Aliases: aliases, Default: true, Load: loadURL,
		Exports: []string{"URL", "URLSearchParams", "domainToASCII", "domainToUnicode", "fileURLToPath", "format", "pathToFileURL"},
	}
}

func loadURL(h *runtime.Host) (*goja.Object, error) {
	vm := h.VM()
	urlCtor := global(h, "URL")
	if urlCtor == nil || goja.IsUndefined(urlCtor) {
		return nil, fmt.Errorf("the URL global is not installed")
	}
	obj := exportsObject(vm, map[string]any{
		"URL":             urlCtor,
		"URLSearchParams": global(h, "URLSearchParams"),
		"fileURLToPath": func(call goja.FunctionCall) goja.Value {
			arg := call.Argument(0)
			href := arg.String()
			if o, ok := arg.(*goja.Object); ok {
				if v := o.Get("href"); v != nil && !goja.IsUndefined(v) {
					href = v.String()
				}
			}
			u, err := url.Parse(href)
			if err != nil || u.Scheme != "file" {
				throwTypeError(vm, "The URL must be of scheme file")
			}
			if u.Host != "" && u.Host != "localhost" {
				throwTypeError(vm, `File URL host must be "localhost" or empty on linux`)
			}
			return vm.ToValue(u.Path)
		},
		"pathToFileURL": func(call goja.FunctionCall) goja.Value {
			p := call.Argument(0).String()
			if !filepath.IsAbs(p) {
				p = PathResolve(h.Dir(), p)
			}
			u := url.URL{Scheme: "file", Path: p}
			out, err := vm.New(urlCtor, vm.ToValue(u.String()))
			if err != nil {
				panic(err)
			}
			return out
		},
		"format": func(call goja.FunctionCall) goja.Value {
			if o, ok := call.Argument(0).(*goja.Object); ok {
				if v := o.Get("href"); v != nil && !goja.IsUndefined(v) {
					return v
				}
			}
			return vm.ToValue(call.Argument(0).String())
		},
	})
	_ = obj.Set("domainToASCII", func(call goja.FunctionCall) string {
		s, err := idna.Lookup.ToASCII(call.Argument(0).String())
		if err != nil {
			return ""
		}
		return s
	})
	_ = obj.Set("domainToUnicode", func(call goja.FunctionCall) string {
		s, err := idna.Lookup.ToUnicode(call.Argument(0).String())
		if err != nil {
			return ""
		}
		return s
	})
	return obj, nil
}

func utilModule() runtime.Module {
	name, aliases := names("util")
	return runtime.Module{
		Name: name, Aliases: aliases, Default: true, Load: loadUtil,
		Exports: []string{
			"TextDecoder", "TextEncoder", "callbackify", "deprecate", "format", "inherits", "inspect",
			"isDeepStrictEqual", "promisify", "types",
		},
	}
}

func loadUtil(h *runtime.Host) (*goja.Object, error) {
	vm := h.VM()
	lib, err := jslib(h)
	if err != nil {
		return nil, err
	}
	inspect := vm.ToValue(func(call goja.FunctionCall) goja.Value {
		opts := runtime.InspectOptions{}
		if o, ok := call.Argument(1).(*goja.Object); ok {
			if d := o.Get("depth"); d != nil && !goja.IsUndefined(d) {
				if goja.IsNull(d) || d.ToFloat() > 1e9 {
					opts.Depth = runtime.Depth(-1)
				} else {
					opts.Depth = runtime.Depth(int(d.ToInteger()))
				}
			}
		}
		return vm.ToValue(runtime.Inspect(vm, call.Argument(0), opts))
	}).(*goja.Object)
	_ = inspect.Set("custom", vm.ToValue(symbolFor(vm, "nodejs.util.inspect.custom")))
	obj := exportsObject(vm, map[string]any{
		"format": func(call goja.FunctionCall) goja.Value {
			return vm.ToValue(runtime.Format(vm, call.Arguments))
		},
		"inspect":     inspect,
		"TextEncoder": global(h, "TextEncoder"),
		"TextDecoder": global(h, "TextDecoder"),
	})
	for _, k := range []string{"promisify", "callbackify", "inherits", "deprecate", "isDeepStrictEqual", "types"} {
		_ = obj.Set(k, lib.Get(k))
	}
	return obj, nil
}

func symbolFor(vm *goja.Runtime, key string) goja.Value {
	sym := vm.Get("Symbol").ToObject(vm)
	symFor, _ := goja.AssertFunction(sym.Get("for"))
	v, _ := symFor(sym, vm.ToValue(key))
	return v
}

func bufferModule() runtime.Module {
	name, aliases := names("buffer")
	return runtime.Module{
		Name: name, Aliases: aliases, Default: true,
		Exports: []string{"Buffer", "atob", "btoa", "constants", "kMaxLength"},
		Load: func(h *runtime.Host) (*goja.Object, error) {
			b, err := buffers(h)
			if err != nil {
				return nil, err
			}
			vm := h.VM()
			const maxLength = 1<<32 - 1
			return exportsObject(vm, map[string]any{
				"Buffer":     b.ctor,
				"atob":       global(h, "atob"),
				"btoa":       global(h, "btoa"),
				"kMaxLength": maxLength,
				"constants":  map[string]any{"MAX_LENGTH": maxLength, "MAX_STRING_LENGTH": 1<<29 - 24},
			}), nil
		},
	}
}

func processModule() runtime.Module {
	name, aliases := names("process")
	return runtime.Module{
		Name: name, Aliases: aliases, Default: true,
		Exports: []string{
			"arch", "argv", "cwd", "emitWarning", "env", "exit", "hrtime", "memoryUsage", "nextTick",
			"off", "on", "once", "pid", "platform", "stderr", "stdout", "uptime", "version", "versions",
		},
		Load: func(h *runtime.Host) (*goja.Object, error) {
			p, ok := h.VM().Get("process").(*goja.Object)
			if !ok {
				return nil, fmt.Errorf("this runtime has no process object")
			}
			return p, nil
		},
	}
}
