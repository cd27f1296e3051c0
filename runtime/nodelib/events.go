package nodelib

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime"
)

//go:embed events.js
var eventsSource string

// eventsProgram is events.js compiled once per process, on first use.
var eventsProgram = sync.OnceValues(func() (*goja.Program, error) {
	return goja.Compile("alchemy:events.js", eventsSource, true)
})

func eventsModule() runtime.Module {
	name, aliases := names("events")
	return runtime.Module{
		Name: name, Aliases: aliases, Default: true, Load: loadEvents,
		Exports: []string{
			"EventEmitter", "captureRejectionSymbol", "defaultMaxListeners", "errorMonitor", "getEventListeners",
			"listenerCount", "on", "once", "setMaxListeners",
		},
	}
}

func loadEvents(h *runtime.Host) (*goja.Object, error) {
	prog, err := eventsProgram()
	if err != nil {
		return nil, fmt.Errorf("compile events.js: %w", err)
	}
	return runtime.RunFactory(h.VM(), prog, "events.js")
}
