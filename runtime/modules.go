package runtime

import (
	"fmt"
	"sort"

	"github.com/dop251/goja"
)

// Module is a built-in module: a name programs import, the names it exports,
// and a loader that builds its exports object the first time a program of a
// Host imports it.
type Module struct {
	// Name is the canonical specifier, such as "node:path" or "alchemy".
	Name string
	// Aliases are other specifiers for the same module, such as "path".
	Aliases []string
	// Exports are the module's named exports. The bundler generates one
	// explicit export for each, so importing another name fails at build time.
	Exports []string
	// Default reports whether the module has a default export: the exports
	// object's "default" property, or the exports object itself when it has
	// none.
	Default bool
	// Load builds the exports object. It runs on the loop goroutine, once
	// per Host.
	Load func(h *Host) (*goja.Object, error)
}

// Specifiers returns the module's name followed by its aliases.
func (m *Module) Specifiers() []string {
	return append([]string{m.Name}, m.Aliases...)
}

// Registry holds the built-in modules. Register every module before the
// first Host using the registry starts; after that the registry is only read
// and may be shared by any number of Hosts.
type Registry struct {
	bySpec map[string]*Module
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{bySpec: map[string]*Module{}}
}

// Register adds m under its name and aliases.
func (r *Registry) Register(m Module) error {
	if m.Name == "" {
		return fmt.Errorf("register module: empty name")
	}
	if m.Load == nil {
		return fmt.Errorf("register module %q: no loader", m.Name)
	}
	mod := &m
	for _, spec := range mod.Specifiers() {
		if prev, ok := r.bySpec[spec]; ok {
			return fmt.Errorf("register module %q: %q is already registered by %q", m.Name, spec, prev.Name)
		}
	}
	for _, spec := range mod.Specifiers() {
		r.bySpec[spec] = mod
	}
	return nil
}

// Lookup returns the module a specifier names.
func (r *Registry) Lookup(spec string) (*Module, bool) {
	if r == nil {
		return nil, false
	}
	m, ok := r.bySpec[spec]
	return m, ok
}

// Modules returns every registered module, sorted by name.
func (r *Registry) Modules() []*Module {
	if r == nil {
		return nil
	}
	seen := map[*Module]bool{}
	var mods []*Module
	for _, m := range r.bySpec {
		if !seen[m] {
			seen[m] = true
			mods = append(mods, m)
		}
	}
	sort.Slice(mods, func(i, j int) bool { return mods[i].Name < mods[j].Name })
	return mods
}
