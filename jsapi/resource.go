package jsapi

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/value"
)

// ResourceType is a resource kind a module exports as an async function,
// `Export(id, props)`: calling it starts the resource at once (its seq is
// taken in program order) and resolves to its output with the identity
// symbols. The kind's provider must be in the API's engine registry; JS- and
// Go-defined kinds go through the same call.
type ResourceType struct {
	// Export is the function's name in its module, e.g. "KVNamespace".
	Export string
	// Kind is the engine kind, e.g. "cloudflare::KVNamespace".
	Kind string
	// Props, when set, turns the props the program passed (already
	// converted; nil for undefined) into the props that are compared and
	// stored, as the library's wrapper functions do (KVNamespace adds
	// dev: {force: <local>}). An error is reported as a bad prop of the
	// resource, prefixed with the function and id unless it names the id.
	Props func(c *Call, props value.Value) (value.Value, error)
	// Output, when set, decorates the output object the program receives
	// (for example with methods, which are never stored). It runs on the
	// loop, for stored outputs of skipped resources too.
	Output func(o *Output) error
	// Missing says what a call without props (or with undefined) means.
	Missing MissingProps
	// NoUndefinedIn names props fields (objects) whose members may not be
	// undefined: {bindings: {TOKEN: undefined}} is an error naming
	// bindings.TOKEN instead of a member silently dropped (as converting
	// undefined does), typically an environment variable that is not set.
	NoUndefinedIn []string
	// Members are static members of the function (Worker.DevUrl, …).
	Members []Export
}

// MissingProps says what a resource call without props means.
type MissingProps int

const (
	// PropsUndefined keeps them undefined (nothing is stored), as for kinds
	// defined in JS.
	PropsUndefined MissingProps = iota
	// PropsEmpty makes them {} (KVNamespace(id, props = {})).
	PropsEmpty
	// PropsRequired makes the call an error naming the resource.
	PropsRequired
)

// Call describes a resource call to a kind's Props hook.
type Call struct {
	Kind, ID string
	// FQN is app/stage/scopes…/id.
	FQN string
	// Chain is [app, stage, nested scopes…] of the scope the resource lives in.
	Chain []string
	App   string
	Stage string
	Phase engine.Phase
	// Local is set under --dev/--local or the local option of alchemy().
	Local bool
	// Dir is the program's working directory, which relative paths in
	// props are read from.
	Dir string
	// PhysicalName is the default physical name of the resource.
	PhysicalName string
}

// Output is what a kind's Output hook gets.
type Output struct {
	Host *runtime.Host
	// Object is the output the program receives.
	Object *goja.Object
	// Value is the same output as stored.
	Value *value.Object
	Call  *Call
}

// Module is a built-in module whose exports include resource functions.
// Providers never see goja: a provider package registers its kinds in the
// engine registry, and the module is declared here (or in a small package
// next to this one) with the names and hooks the program sees.
type Module struct {
	// Name is the specifier, e.g. "alchemy/cloudflare".
	Name    string
	Aliases []string
	// Resources are the resource functions the module exports.
	Resources []ResourceType
	// Values are exports described in the value model: functions,
	// constants and guards.
	Values []Export
	// Exports names the exports Load adds.
	Exports []string
	// Load adds the other exports (helpers, constants, descriptor
	// factories) to the exports object, which already holds the resource
	// functions. It runs on the loop, once per runtime.
	Load func(h *runtime.Host, exports *goja.Object) error
}

// Module returns the runtime module of m, to register in the module
// registry before the program is bundled.
func (a *API) Module(m Module) runtime.Module {
	names := make([]string, 0, len(m.Resources)+len(m.Values)+len(m.Exports))
	for _, t := range m.Resources {
		names = append(names, t.Export)
	}
	for _, e := range m.Values {
		names = append(names, e.Name)
	}
	names = append(names, m.Exports...)
	return runtime.Module{
		Name:    m.Name,
		Aliases: m.Aliases,
		Exports: names,
		Load: func(h *runtime.Host) (*goja.Object, error) {
			r, err := a.realm(h)
			if err != nil {
				return nil, err
			}
			exports := r.vm.NewObject()
			for i := range m.Resources {
				t := m.Resources[i]
				if _, ok := a.cfg.Registry.Lookup(t.Kind); !ok {
					return nil, fmt.Errorf("%s: no provider is registered for %s", t.Export, t.Kind)
				}
				fn := r.resourceFunction(&t, false)
				if err := r.addMembers(fn, t.Export, t.Members); err != nil {
					return nil, err
				}
				_ = exports.Set(t.Export, fn)
			}
			for _, e := range m.Values {
				v, err := r.export(e, "")
				if err != nil {
					return nil, err
				}
				_ = exports.Set(e.Name, v)
			}
			if m.Load != nil {
				if err := m.Load(h, exports); err != nil {
					return nil, err
				}
			}
			for _, name := range m.Exports {
				if v := exports.Get(name); v == nil || goja.IsUndefined(v) {
					return nil, fmt.Errorf("export %s is missing", name)
				}
			}
			return exports, nil
		},
	}
}

// ResourceFunction returns the async function that creates resources of t
// in the current scope, for modules that build their exports themselves.
// Loop goroutine only.
func (a *API) ResourceFunction(h *runtime.Host, t ResourceType) (*goja.Object, error) {
	r, err := a.realm(h)
	if err != nil {
		return nil, err
	}
	return r.resourceFunction(&t, false), nil
}

// resourceFunction makes the JS function of a kind. js marks kinds defined
// in the program, whose handlers see the props as given.
func (r *realm) resourceFunction(t *ResourceType, js bool) *goja.Object {
	fn := r.vm.ToValue(func(call goja.FunctionCall) goja.Value {
		return r.callResource(t, js, call)
	}).(*goja.Object)
	_ = fn.DefineDataProperty("name", r.vm.ToValue(t.Export), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return fn
}

// callResource is a call of a resource function: it converts the props,
// starts the resource in the current scope and returns the promise of its
// output. Errors reject the promise with the stack of this call.
func (r *realm) callResource(t *ResourceType, js bool, call goja.FunctionCall) goja.Value {
	id, ok := call.Argument(0).Export().(string)
	if !ok {
		return r.rejected(fmt.Errorf("%s(id, props): id must be a string, got %s", t.Export, typeOf(call.Argument(0))))
	}
	s := r.current()
	if s == nil {
		return r.rejected(fmt.Errorf("%s %q: not running within an Alchemy scope: await alchemy(appName) first", t.Export, id))
	}
	s = s.resourceScope()
	es, err := s.ready()
	if err != nil {
		return r.rejected(fmt.Errorf("%s %q: %w", t.Export, id, err))
	}
	given := call.Argument(1)
	if err := r.checkDefined(given, t.NoUndefinedIn); err != nil {
		return r.rejected(badProps(t, id, err))
	}
	props, err := r.toValue(given)
	if err != nil {
		return r.rejected(badProps(t, id, err))
	}
	if props == nil {
		switch t.Missing {
		case PropsEmpty:
			props = value.NewObject(0)
		case PropsRequired:
			return r.rejected(fmt.Errorf("%s %q: props are required", t.Export, id))
		}
	}
	var info *Call
	if t.Props != nil || t.Output != nil {
		info = s.call(t.Kind, id)
	}
	if t.Props != nil {
		if props, err = t.Props(info, props); err != nil {
			if !strings.Contains(err.Error(), strconv.Quote(id)) {
				err = badProps(t, id, err)
			}
			return r.rejected(err)
		}
	}
	h, err := es.Start(r.applyContext(), t.Kind, id, props)
	if err != nil {
		return r.rejected(err)
	}
	if js && given != nil && !goja.IsUndefined(given) {
		r.given[h.FQN] = given
	}
	return r.goAsync(func(context.Context) runtime.Settle {
		// The apply runs to its end even when the run is interrupted: its
		// state must be written.
		<-h.Done()
		out, err := h.Result()
		return func(*goja.Runtime) (goja.Value, error) {
			if js {
				delete(r.given, h.FQN)
			}
			if err != nil {
				return nil, err
			}
			obj := r.toJSObject(out, s)
			if t.Output != nil {
				if err := t.Output(&Output{Host: r.host, Object: obj, Value: out, Call: info}); err != nil {
					return nil, fmt.Errorf("%s %q: %w", t.Export, id, err)
				}
			}
			return obj, nil
		}
	})
}

func badProps(t *ResourceType, id string, err error) error {
	if ce, ok := err.(*convertError); ok && len(ce.path) > 0 {
		return fmt.Errorf("%s %q: bad prop %s: %s", t.Export, id, ce.Path(), ce.msg)
	}
	return fmt.Errorf("%s %q: bad props: %w", t.Export, id, err)
}

// call describes a resource call in s.
func (s *scope) call(kind, id string) *Call {
	return &Call{
		Kind: kind, ID: id, FQN: s.eng.FQN(id), Chain: s.eng.Chain(),
		App: s.app.name, Stage: s.app.stageName, Phase: s.app.phase, Local: s.app.local,
		Dir: s.app.dir, PhysicalName: s.eng.PhysicalName(id),
	}
}

// checkDefined reports a member of one of the fields of props that is
// undefined.
func (r *realm) checkDefined(props goja.Value, fields []string) error {
	obj, ok := props.(*goja.Object)
	if !ok || len(fields) == 0 {
		return nil
	}
	for _, field := range fields {
		inner, ok := obj.Get(field).(*goja.Object)
		if !ok {
			continue
		}
		for _, k := range inner.Keys() {
			if v := inner.Get(k); v == nil || goja.IsUndefined(v) {
				return &convertError{path: []string{field, k}, msg: "undefined (is an environment variable missing?)"}
			}
		}
	}
	return nil
}

func typeOf(v goja.Value) string {
	switch {
	case v == nil || goja.IsUndefined(v):
		return "undefined"
	case goja.IsNull(v):
		return "null"
	}
	if _, ok := v.(*goja.Object); ok {
		return "object"
	}
	return v.ExportType().String()
}
