package jsapi_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/jsapi"
	"github.com/alchemy-go/alchemy/runtime/runtimetest"
	"github.com/alchemy-go/alchemy/value"
)

// shelf is an object store behind the output methods of test::Shelf, as
// R2Bucket's are behind Cloudflare's object API.
type shelf struct {
	mu      sync.Mutex
	objects map[string][]byte
}

func (s *shelf) methods() []jsapi.OutputMethod {
	return []jsapi.OutputMethod{
		{Name: "put", Call: func(ctx context.Context, out *value.Object, args []value.Value) (value.Value, error) {
			name, _ := out.GetString("name")
			key, _ := args[0].(value.String)
			var body []byte
			switch v := args[1].(type) {
			case value.String:
				body = []byte(v)
			case value.Buffer:
				body = v
			default:
				return nil, fmt.Errorf("put %s: the value must be a string or bytes, got %s", key, value.TypeName(v))
			}
			s.mu.Lock()
			s.objects[name+"/"+string(key)] = body
			s.mu.Unlock()
			return value.Obj("key", key, "size", value.Number(len(body))), nil
		}},
		{Name: "get", Call: func(ctx context.Context, out *value.Object, args []value.Value) (value.Value, error) {
			name, _ := out.GetString("name")
			key, _ := args[0].(value.String)
			s.mu.Lock()
			body, ok := s.objects[name+"/"+string(key)]
			s.mu.Unlock()
			if !ok {
				return value.Null{}, nil
			}
			return value.Obj("key", key, "body", value.Buffer(body),
				"httpMetadata", value.Obj("contentType", value.String("application/json"))), nil
		}},
		{Name: "fail", Call: func(ctx context.Context, out *value.Object, args []value.Value) (value.Value, error) {
			return nil, errors.New("the shelf is closed")
		}},
	}
}

// Output methods: async, reading their output as stored, binary arguments
// in every web form, Workers body readers on results with a body, errors
// as rejections, not enumerable, never stored, and present on skipped
// resources' outputs too.
func TestOutputMethods(t *testing.T) {
	dir := t.TempDir()
	runtimetest.WriteFiles(t, dir, map[string]string{"alchemy.run.ts": `
import alchemy from "alchemy";
import { Shelf, Holder } from "test/shelves";
await alchemy("shelves", { stage: "dev" });
const s = await Shelf("books");
console.log(Object.keys(s).includes("put"), typeof s.put, s.put.name);
const puts = [
  ["string", "plain text"],
  ["arraybuffer", new TextEncoder().encode("from an ArrayBuffer").buffer],
  ["view", new Uint16Array([0x6968, 0x2121])],
  ["buffer", Buffer.from("from a Buffer")],
  ["blob", new Blob(["from ", "a Blob"])],
  ["stream", new Response("from a stream").body],
];
for (const [key, v] of puts) {
  const r = await s.put(key, v);
  const o = await s.get(key);
  console.log(key, r.size, await o.text());
}
await s.put("doc", JSON.stringify({ n: 7 }));
const doc = await s.get("doc");
console.log((await doc.json()).n, (await doc.arrayBuffer()).byteLength, (await doc.bytes())[0], (await doc.blob()).type);
console.log(await s.get("missing"));
await s.fail().catch((e) => console.log("rejected:", e.message));
await s.put("x", 42).catch((e) => console.log("rejected:", e.message));
await Holder("holder", { shelf: s });
`})
	kinds := engine.NewRegistry()
	rec := &recorder{props: map[string]value.Value{}}
	for _, k := range []string{"test::Shelf", "test::Holder"} {
		if err := kinds.Register(k, rec); err != nil {
			t.Fatal(err)
		}
	}
	store := &shelf{objects: map[string][]byte{}}
	want := `false function put
string 10 plain text
arraybuffer 19 from an ArrayBuffer
view 4 hi!!
buffer 13 from a Buffer
blob 11 from a Blob
stream 13 from a stream
7 7 123 application/json
null
rejected: the shelf is closed
rejected: put x: the value must be a string or bytes, got number
`
	for run := range 2 {
		api := jsapi.New(jsapi.Config{Registry: kinds, Defaults: jsapi.Defaults{RootDir: dir}})
		mod := api.Module(jsapi.Module{
			Name: "test/shelves",
			Resources: []jsapi.ResourceType{
				{Export: "Shelf", Kind: "test::Shelf", Missing: jsapi.PropsEmpty, Output: api.OutputMethods(store.methods())},
				{Export: "Holder", Kind: "test::Holder", Missing: jsapi.PropsRequired},
			},
		})
		res := runtimetest.RunDir(t, dir, runtimetest.Options{Modules: append(api.Modules(), mod)})
		api.Close()
		if res.Err != nil {
			t.Fatalf("run %d: %v\n%s", run+1, res.Err, res.Formatted)
		}
		// The second run skips both resources: the methods are on the
		// stored output too.
		if res.Stdout != want {
			t.Errorf("run %d stdout:\n%s\nwant:\n%s", run+1, res.Stdout, want)
		}
	}
	held, _ := rec.props["holder"].(*value.Object).GetObject("shelf")
	if got := marshalPlain(t, held); strings.Contains(got, "put") || !strings.Contains(got, `"name":"shelves-books-dev"`) {
		t.Errorf("the output passed as props: %s", got)
	}
}
