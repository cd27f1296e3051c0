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
