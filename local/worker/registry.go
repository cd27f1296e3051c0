package worker

import (
	"errors"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/bundler"
	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/nodelib"
)

// workerNodeModules are the Node built-ins a Worker gets under
// nodejs_compat: the ones that do not reach outside the isolate.
var workerNodeModules = map[string]bool{
	"node:assert": true, "node:assert/strict": true, "node:buffer": true, "node:crypto": true, "node:events": true,
	"node:path": true, "node:path/posix": true, "node:process": true, "node:url": true, "node:util": true,
	"node:async_hooks": true, "node:diagnostics_channel": true, "node:querystring": true, "node:stream": true,
	"node:stream/consumers": true, "node:stream/promises": true, "node:stream/web": true, "node:string_decoder": true,
	"node:timers": true, "node:timers/promises": true, "node:zlib": true,
}

// newRegistry returns the modules Workers import, and their descriptions
// for the bundler with and without nodejs_compat.
func newRegistry() (*runtime.Registry, map[bool]map[string]bundler.VirtualModule) {
	reg := runtime.NewRegistry()
	builtins := map[bool]map[string]bundler.VirtualModule{false: {}, true: {}}
	add := func(m runtime.Module, node bool) {
		if err := reg.Register(m); err != nil {
			panic(err) // the module set is fixed: a clash is a programming error
		}
		for _, spec := range m.Specifiers() {
			vm := bundler.VirtualModule{Exports: m.Exports, Default: m.Default}
			builtins[true][spec] = vm
			if !node {
				builtins[false][spec] = vm
			}
		}
	}
	add(runtime.Module{
		Name:    "cloudflare:workers",
		Exports: []string{"DurableObject", "RpcTarget", "WorkerEntrypoint", "WorkflowEntrypoint", "env", "waitUntil"},
		Load: func(h *runtime.Host) (*goja.Object, error) {
			iso, err := h.Local(isolateKey{}, func() (any, error) { return nil, errors.New("cloudflare:workers is only available in a Worker") })
			if err != nil {
				return nil, err
			}
			return iso.(*isolate).glue.obj.Get("workers").(*goja.Object), nil
		},
	}, false)
	for _, m := range nodelib.Modules() {
		if workerNodeModules[m.Name] {
			add(m, true)
		}
	}
	add(asyncHooksModule(), true)
	return reg, builtins
}
