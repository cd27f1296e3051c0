package nodelib

import (
	_ "embed"
	"errors"
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
	factory, err := h.VM().RunProgram(prog)
	if err != nil {
		return nil, err
	}
	fn, ok := goja.AssertFunction(factory)
	if !ok {
		return nil, errors.New("events.js: factory is not a function")
	}
	v, err := fn(goja.Undefined())
	if err != nil {
		return nil, err
	}
	return v.(*goja.Object), nil
}
