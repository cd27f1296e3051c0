package worker_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/alchemy-go/alchemy/local/store"
	"github.com/alchemy-go/alchemy/local/worker"
)

// BenchmarkServe measures requests to a hello-world and a KV-read Worker,
// through the local Cloudflare's Host routing and on a Worker's own port
// (Runtime.Handler, as in dev mode), with parallel loopback clients.
func BenchmarkServe(b *testing.B) {
	t := &testing.T{}
	e := start(t, worker.Options{Log: io.Discard})
	defer e.srv.Close()
	ns, err := e.srv.Store().CreateKVNamespace(e.ctx, e.srv.AccountID(), "bench")
	if err != nil {
		b.Fatal(err)
	}
	if err := e.srv.Store().KVPut(e.ctx, ns.ID, store.KVEntry{Key: "greeting", Value: []byte("Hello from KV")}); err != nil {
		b.Fatal(err)
	}
	e.t = t
	e.deploy("hello", script{modules: []store.Module{module("worker.js", `export default { fetch() { return new Response("Hello World!"); } };`)}})
	e.deploy("kv", script{bindings: []store.Binding{{"name": "KV", "type": "kv_namespace", "namespace_id": ns.ID}},
		modules: []store.Module{module("worker.js", `export default { async fetch(r, env) { return new Response(await env.KV.get("greeting")); } };`)}})
	for _, name := range []string{"hello", "kv"} {
		dev := httptest.NewServer(e.rt.Handler(e.srv.AccountID(), name))
		defer dev.Close()
		for _, via := range []struct {
			name, url, host string
		}{
			{"host", e.srv.URL() + "/", e.srv.WorkerHostname(name)},
			{"port", dev.URL + "/", ""},
		} {
			b.Run(name+"/"+via.name, func(b *testing.B) {
				client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						req, _ := http.NewRequest("GET", via.url, nil)
						if via.host != "" {
							req.Host = via.host
						}
						res, err := client.Do(req)
						if err != nil {
							b.Error(err)
							return
						}
						io.Copy(io.Discard, res.Body)
						res.Body.Close()
						if res.StatusCode != 200 {
							b.Errorf("status %d", res.StatusCode)
							return
						}
					}
				})
			})
		}
	}
}
