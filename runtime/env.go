package runtime

import (
	"sort"
	"strings"
	"sync"

	"github.com/dop251/goja"
)

// Env is a program's environment: process.env in JS, readable and writable
// from Go on any goroutine.
type Env struct {
	mu   sync.RWMutex
	vars map[string]string
}

// NewEnv returns an environment holding the KEY=VALUE entries of environ.
func NewEnv(environ []string) *Env {
	e := &Env{vars: make(map[string]string, len(environ))}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			e.vars[k] = v
		}
	}
	return e
}

// Get returns a variable's value.
func (e *Env) Get(key string) (string, bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	v, ok := e.vars[key]
	return v, ok
}

// Set sets a variable.
func (e *Env) Set(key, value string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.vars[key] = value
}

// Delete removes a variable.
func (e *Env) Delete(key string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.vars, key)
}

// Keys returns the variable names, sorted.
func (e *Env) Keys() []string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	keys := make([]string, 0, len(e.vars))
	for k := range e.vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Environ returns the variables as KEY=VALUE entries, sorted.
func (e *Env) Environ() []string {
	keys := e.Keys()
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + "=" + e.vars[k]
	}
	return out
}

// envObject exposes an Env as a JS object whose values are strings.
type envObject struct {
	vm  *goja.Runtime
	env *Env
}

func (o *envObject) Get(key string) goja.Value {
	if v, ok := o.env.Get(key); ok {
		return o.vm.ToValue(v)
	}
	return nil
}

func (o *envObject) Set(key string, val goja.Value) bool {
	o.env.Set(key, val.String())
	return true
}

func (o *envObject) Has(key string) bool {
	_, ok := o.env.Get(key)
	return ok
}

func (o *envObject) Delete(key string) bool {
	o.env.Delete(key)
	return true
}

func (o *envObject) Keys() []string { return o.env.Keys() }
