package jsapi_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/jsapi"
	"github.com/alchemy-go/alchemy/runtime/runtimetest"
	"github.com/alchemy-go/alchemy/value"
)

// recorder is a Go provider that keeps the props it was called with and
// returns {got: props}.
type recorder struct {
	mu    sync.Mutex
	props map[string]value.Value
}

func (p *recorder) apply(req *engine.Request) (*value.Object, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.props[req.ID] = req.Props
	return value.Obj("type", value.String("box"), "name", value.String(req.PhysicalName())), nil
}

func (p *recorder) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return p.apply(req)
}
func (p *recorder) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return p.apply(req)
}
func (p *recorder) Delete(ctx context.Context, req *engine.Request) error { return nil }

// A provider module declared with Module: Go kinds with a props hook, an
// output hook, static members, factories, constants and guards. Resource
// outputs passed in props reach the provider with their identity keys.
func TestProviderModule(t *testing.T) {
	dir := t.TempDir()
	runtimetest.WriteFiles(t, dir, map[string]string{"alchemy.run.ts": `
import alchemy from "alchemy";
import { Box, Binder, Json, Later, isBox, VERSION } from "test/boxes";
await alchemy("mods", { stage: "dev", local: true });
const box = await Box("cache");
console.log(box.name, box.hello("you"), isBox(box), isBox({}), VERSION, Box.Self.type, JSON.stringify(Json({ a: 1 })));
console.log(JSON.stringify(await Later(2)));
await Binder("api", { bindings: { CACHE: box, PLAIN: "x", CONFIG: Json([1]) } });
for (const bad of [() => Binder("bad", { bindings: { TOKEN: process.env.NOT_SET } }), () => Binder("none")]) {
  await bad().catch((e) => console.log(e.message));
}
try { Json(10n) } catch (e) { console.log(e.message) }
`})
	kinds := engine.NewRegistry()
	rec := &recorder{props: map[string]value.Value{}}
	for _, k := range []string{"test::Box", "test::Binder"} {
		if err := kinds.Register(k, rec); err != nil {
			t.Fatal(err)
		}
	}
	// A local run (--dev), which the program's local: true agrees with.
	api := jsapi.New(jsapi.Config{Registry: kinds, Defaults: jsapi.Defaults{RootDir: dir, Local: true}})
	devForce := func(c *jsapi.Call, props value.Value) (value.Value, error) {
		o, ok := props.(*value.Object)
		if !ok {
			return nil, errors.New("props must be an object")
		}
		o = o.Clone()
		o.Set("dev", value.Obj("force", value.Bool(c.Local)))
		if c.Dir != dir || c.FQN != "mods/dev/"+c.ID {
			return nil, errors.New("wrong call: " + c.Dir + " " + c.FQN)
		}
		return o, nil
	}
	hello := func(o *jsapi.Output) error {
		name, _ := o.Value.GetString("name")
		return o.Object.Set("hello", func(call goja.FunctionCall) goja.Value {
			return o.Host.VM().ToValue(name + " says hello to " + call.Argument(0).String())
		})
	}
	isBox := func(v value.Value) bool {
		o, ok := v.(*value.Object)
		kind, _ := o.GetString(value.KeyKind)
		return ok && kind == "test::Box"
	}
	mod := api.Module(jsapi.Module{
		Name: "test/boxes",
		Resources: []jsapi.ResourceType{
			{Export: "Box", Kind: "test::Box", Missing: jsapi.PropsEmpty, Props: devForce, Output: hello,
				Members: []jsapi.Export{{Name: "Self", Value: value.Obj("type", value.String("self"))}}},
			{Export: "Binder", Kind: "test::Binder", Missing: jsapi.PropsRequired, NoUndefinedIn: []string{"bindings"}},
		},
		Values: []jsapi.Export{
			{Name: "Json", Func: func(args []value.Value) (value.Value, error) {
				return value.Obj("type", value.String("json"), "json", args[0]), nil
			}},
			{Name: "Later", Async: true, Func: func(args []value.Value) (value.Value, error) {
				return value.Obj("later", args[0]), nil
			}},
			{Name: "isBox", Guard: isBox},
			{Name: "VERSION", Value: value.String("v1")},
		},
	})
	res := runtimetest.RunDir(t, dir, runtimetest.Options{Modules: append(api.Modules(), mod)})
	api.Close()
	if res.Err != nil {
		t.Fatalf("%v\n%s", res.Err, res.Formatted)
	}
	want := `mods-cache-dev mods-cache-dev says hello to you true false v1 self {"type":"json","json":{"a":1}}
{"later":2}
Binder "bad": bad prop bindings.TOKEN: undefined (is an environment variable missing?)
Binder "none": props are required
Json: argument 1: a BigInt cannot be stored in state
`
	if res.Stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", res.Stdout, want)
	}
	if got := marshalPlain(t, rec.props["cache"]); got != `{"dev":{"force":true}}` {
		t.Errorf("Box props: %s", got)
	}
	bindings, _ := rec.props["api"].(*value.Object).GetObject("bindings")
	cache, _ := bindings.GetObject("CACHE")
	if ref, ok := value.RefOf(cache); !ok || ref.Kind != "test::Box" || ref.FQN != "mods/dev/cache" {
		t.Errorf("CACHE binding is not the box output: %s", marshalPlain(t, cache))
	}
	if s, _ := cache.Get(value.KeyScope); s != (value.ScopeRef{}) {
		t.Errorf("CACHE binding scope: %v", s)
	}
	if strings.Contains(marshalPlain(t, cache), "hello") {
		t.Errorf("the output's method reached the props: %s", marshalPlain(t, cache))
	}
}

func marshalPlain(t *testing.T, v value.Value) string {
	t.Helper()
	b, err := value.Marshal(v, value.EncodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
