package cloudflare_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/providers/cloudflare"
	"github.com/alchemy-go/alchemy/value"
)

// benchLatency is added to every API request, about a real round trip to
// Cloudflare's API.
const benchLatency = 50 * time.Millisecond

func withLatency(d time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// benchProgram is 100 KV namespaces and 20 D1 databases made at once
// (Promise.all), then a Worker binding all of them.
func benchProgram(ctx context.Context, r *runner) error {
	s := r.app.Stage()
	var handles []*engine.Handle
	for i := range 100 {
		h, err := r.start(ctx, s, "cloudflare::KVNamespace", fmt.Sprintf("kv%d", i), nil)
		if err != nil {
			return err
		}
		handles = append(handles, h)
	}
	for i := range 20 {
		h, err := r.start(ctx, s, "cloudflare::D1Database", fmt.Sprintf("db%d", i), nil)
		if err != nil {
			return err
		}
		handles = append(handles, h)
	}
	bindings := value.NewObject(len(handles))
	for i, h := range handles {
		out, err := h.Wait(ctx)
		if err != nil {
			return err
		}
		name := fmt.Sprintf("KV%d", i)
		if i >= 100 {
			name = fmt.Sprintf("DB%d", i-100)
		}
		bindings.Set(name, out)
	}
	_, err := r.apply(ctx, "cloudflare::Worker", "api", obj("entrypoint", "src/worker.js", "bindings", bindings))
	return err
}

// BenchmarkProgram times the three phases of a 1 Worker + 100 KV + 20 D1
// program against a local Cloudflare answering each request after 50 ms:
// first deploy, a re-run with nothing changed, and destroy.
func BenchmarkProgram(b *testing.B) {
	var deploy, noop, destroy time.Duration
	var requests [3]int
	for range b.N {
		b.StopTimer()
		h := newHarness(b, local.Options{Middleware: withLatency(benchLatency)})
		// As the TypeScript Alchemy needs it, the account is configured.
		h.cfg = func(c *cloudflare.Config) { c.AccountID = h.srv.AccountID() }
		h.write("src/worker.js", "export default { async fetch(req, env) { return new Response(await env.KV0.get('k')) } };\n")
		b.StartTimer()
		phase := func(d *time.Duration, n *int, fn func()) {
			h.log.Reset()
			start := time.Now()
			fn()
			*d += time.Since(start)
			*n += len(h.requests())
		}
		phase(&deploy, &requests[0], func() { h.mustRun(benchProgram) })
		phase(&noop, &requests[1], func() { h.mustRun(benchProgram) })
		phase(&destroy, &requests[2], func() { h.destroy() })
		b.StopTimer()
		h.assertEmpty()
		h.srv.Close()
		b.StartTimer()
	}
	n := float64(b.N)
	b.ReportMetric(deploy.Seconds()/n, "deploy-s")
	b.ReportMetric(noop.Seconds()/n, "noop-s")
	b.ReportMetric(destroy.Seconds()/n, "destroy-s")
	b.ReportMetric(float64(requests[0])/n, "deploy-reqs")
	b.ReportMetric(float64(requests[1])/n, "noop-reqs")
	b.ReportMetric(float64(requests[2])/n, "destroy-reqs")
}
