package worker

import (
	"context"
	"io"
	"testing"

	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/local/store"
)

// BenchmarkDispatch measures one request through an isolate without HTTP:
// the handoff to the isolate's loop, the Request and Response objects and
// the handler.
func BenchmarkDispatch(b *testing.B) {
	for name, code := range map[string]string{
		"hello": `export default { fetch() { return new Response("Hello World!"); } };`,
		"json": `export default {
  fetch(request) {
    const url = new URL(request.url);
    const items = [];
    for (let i = 0; i < 10; i++) items.push({ id: i, name: "item " + i, tags: ["a", "b"] });
    return Response.json({ path: url.pathname, method: request.method, items });
  },
};`,
	} {
		b.Run(name, func(b *testing.B) { benchmarkDispatch(b, code) })
	}
}

func benchmarkDispatch(b *testing.B, code string) {
	rt := New(Options{Log: io.Discard, Isolates: 1})
	srv, err := local.Start(context.Background(), local.Options{DataDir: b.TempDir(), Host: rt})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	_, err = srv.Store().PutScript(ctx, srv.AccountID(), "hello", store.ScriptUpload{MainModule: "worker.js",
		Modules:  []store.Module{{Name: "worker.js", ContentType: "application/javascript+module", Content: []byte(code)}},
		Settings: store.ScriptSettings{Bindings: []store.Binding{}}})
	if err != nil {
		b.Fatal(err)
	}
	w, _ := rt.worker(srv.AccountID(), "hello")
	v, err := w.acquire(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer v.release()
	iso, err := v.pick(ctx)
	if err != nil {
		b.Fatal(err)
	}
	req := httpRequest{method: "GET", url: "http://hello.local.workers.dev/", header: []string{"host", "hello.local.workers.dev", "user-agent", "bench"}}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res, err := iso.fetch(ctx, req)
			if err != nil || res.status != 200 {
				b.Fatal(err)
			}
		}
	})
}
