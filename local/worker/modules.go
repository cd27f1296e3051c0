package worker

import "github.com/alchemy-go/alchemy/runtime"

// Modules returns the modules Worker code can import: cloudflare:workers and the Node built-ins a Worker
// gets under nodejs_compat. They describe what Workers are served (names, exports); loading them needs
// a Worker isolate.
func Modules() []runtime.Module {
	reg, _ := newRegistry()
	mods := reg.Modules()
	out := make([]runtime.Module, len(mods))
	for i, m := range mods {
		out[i] = *m
	}
	return out
}

// compatNodeModules are the further Node built-ins a Worker gets under
// nodejs_compat, the ones npm packages written for Workers import; like
// the others they do not reach outside the isolate.
var compatNodeModules = []string{
	"node:diagnostics_channel", "node:querystring", "node:stream", "node:stream/consumers", "node:stream/promises",
	"node:stream/web", "node:string_decoder", "node:timers", "node:timers/promises", "node:zlib",
}

func init() {
	for _, name := range compatNodeModules {
		workerNodeModules[name] = true
	}
}
