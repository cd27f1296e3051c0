package worker_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alchemy-go/alchemy/local/store"
	"github.com/alchemy-go/alchemy/local/worker"
)

// invocations counts the log lines a Worker wrote with marker.
func (e *env) invocations(marker string) int {
	n := 0
	for _, line := range strings.Split(e.log.String(), "\n") {
		if strings.HasSuffix(line, "] "+marker) {
			n++
		}
	}
	return n
}

// expectDepthError checks a request chain that recursed without end: it
// failed with Cloudflare's error, and the log stays small.
func (e *env) expectDepthError(status int, body string) {
	e.t.Helper()
	if status < 500 || !strings.Contains(body, "Subrequest depth limit exceeded") || !strings.Contains(body, fmt.Sprint(worker.MaxDepth)) {
		e.t.Fatalf("got %d %q, want the subrequest depth error naming the limit\nlog:\n%s", status, body, e.log.String())
	}
	// A line or two per invocation, not an error that grows at each.
	if n := len(e.log.String()); n > worker.MaxDepth<<10 {
		e.t.Errorf("one failing request logged %d bytes:\n%s", n, e.log.String())
	}
	for _, line := range strings.Split(e.log.String(), "\n") {
		if strings.Count(line, "Error: ") > 1 {
			e.t.Errorf("an error wraps the errors of the Workers it called: %s", line)
			break
		}
	}
}

func TestSelfServiceBindingStopsAtTheDepthLimit(t *testing.T) {
	for _, tc := range []struct{ name, call string }{
		{"fetch", "return env.SELF.fetch(request);"},
		{"rpc", "return new Response(await env.SELF.again());"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t, worker.Options{})
			e.deploy("loop", script{
				bindings: []store.Binding{{"name": "SELF", "type": "service", "service": "loop"}},
				modules: []store.Module{module("worker.js", `
import { WorkerEntrypoint } from "cloudflare:workers";
export default class extends WorkerEntrypoint {
  async fetch(request) {
    console.log("invoked");
    const env = this.env;
    `+tc.call+`
  }
  async again() {
    console.log("invoked");
    return this.env.SELF.again();
  }
}
`)}})
			status, body := e.get("loop", "/")
			e.expectDepthError(status, body)
			if n := e.invocations("invoked"); n != worker.MaxDepth {
				t.Errorf("the Worker ran %d times, want %d\nlog:\n%s", n, worker.MaxDepth, e.log.String())
			}
		})
	}
}

func TestServiceBindingCycleStopsAtTheDepthLimit(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("b", script{modules: []store.Module{module("worker.js", `export default { fetch() { return new Response("not yet"); } };`)}})
	for _, pair := range [][2]string{{"a", "b"}, {"b", "a"}} {
		e.deploy(pair[0], script{
			bindings: []store.Binding{{"name": "NEXT", "type": "service", "service": pair[1]}},
			modules: []store.Module{module("worker.js", `
export default {
  async fetch(request, env) {
    console.log("invoked `+pair[0]+`");
    return env.NEXT.fetch(request);
  },
};
`)}})
	}
	status, body := e.get("a", "/")
	e.expectDepthError(status, body)
	a, b := e.invocations("invoked a"), e.invocations("invoked b")
	if a+b != worker.MaxDepth || a != b {
		t.Errorf("a ran %d times and b %d times, want %d in all, half each\nlog:\n%s", a, b, worker.MaxDepth, e.log.String())
	}
}

func TestDurableObjectCallingItselfStopsAtTheDepthLimit(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("objects", script{
		migrations: &store.Migrations{MigrationStep: store.MigrationStep{NewSqliteClasses: []string{"Echo"}}},
		bindings:   []store.Binding{{"name": "ECHO", "type": "durable_object_namespace", "class_name": "Echo"}},
		modules: []store.Module{module("worker.js", `
import { DurableObject } from "cloudflare:workers";
export class Echo extends DurableObject {
  async fetch(request) {
    console.log("invoked");
    return this.env.ECHO.getByName("me").fetch(request);
  }
}
export default {
  fetch(request, env) {
    console.log("invoked");
    return env.ECHO.getByName("me").fetch(request);
  },
};
`)}})
	status, body := e.get("objects", "/")
	e.expectDepthError(status, body)
	if n := e.invocations("invoked"); n != worker.MaxDepth {
		t.Errorf("the Worker and its object ran %d times, want %d\nlog:\n%s", n, worker.MaxDepth, e.log.String())
	}
}

func TestFetchToOwnHostnameStopsAtTheDepthLimit(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("loop", script{modules: []store.Module{module("worker.js", `
export default {
  async fetch(request) {
    console.log("invoked");
    for (const h of ["x-alchemy-hop", "x-alchemy-call"]) if (request.headers.has(h)) console.log("saw " + h);
    return fetch(request.url);
  },
};
`)}})
	// A hop header from outside, genuine-looking or not, starts no deeper.
	status, body, _ := e.do("GET", "loop", "/", "", "X-Alchemy-Hop", "15.00000000000000000000000000000000", "X-Alchemy-Call", "15 1")
	e.expectDepthError(status, body)
	if n := e.invocations("invoked"); n != worker.MaxDepth {
		t.Errorf("the Worker ran %d times, want %d\nlog:\n%s", n, worker.MaxDepth, e.log.String())
	}
	if strings.Contains(e.log.String(), "saw x-alchemy") {
		t.Errorf("the Worker saw the runtime's own headers\nlog:\n%s", e.log.String())
	}
}

func TestFetchToOwnDevPortStopsAtTheDepthLimit(t *testing.T) {
	e := start(t, worker.Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: e.rt.Handler(e.srv.AccountID(), "loop")}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	e.deploy("loop", script{modules: []store.Module{module("worker.js", `
export default {
  async fetch(request) {
    console.log("invoked");
    return fetch(request.url);
  },
};
`)}})
	res, err := http.Get("http://" + ln.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	e.expectDepthError(res.StatusCode, string(data))
	if n := e.invocations("invoked"); n != worker.MaxDepth {
		t.Errorf("the Worker ran %d times, want %d\nlog:\n%s", n, worker.MaxDepth, e.log.String())
	}
}

// TestAbandonedRequestCancelsSubrequests: a client that gives up cancels
// the fetch its Worker's service binding's Worker is waiting for.
func TestAbandonedRequestCancelsSubrequests(t *testing.T) {
	arrived, cancelled := make(chan struct{}), make(chan struct{})
	addr := serveOrigin(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
		close(cancelled)
	}))

	e := start(t, worker.Options{})
	e.deploy("back", script{modules: []store.Module{module("worker.js", fmt.Sprintf(`
export default { fetch() { return fetch("http://%s/slow"); } };
`, addr))}})
	e.deploy("front", script{
		bindings: []store.Binding{{"name": "BACK", "type": "service", "service": "back"}},
		modules:  []store.Module{module("worker.js", `export default { fetch(request, env) { return env.BACK.fetch(request); } };`)},
	})

	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", e.srv.URL()+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = e.srv.WorkerHostname("front")
	failed := make(chan error, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
		}
		failed <- err
	}()
	<-arrived
	cancel()
	if err := <-failed; err == nil {
		t.Fatal("the request succeeded")
	}
	// A guard against hanging, not a speed target.
	select {
	case <-cancelled:
	case <-time.After(time.Minute):
		t.Fatalf("the origin's request was not cancelled\nlog:\n%s", e.log.String())
	}
}

// TestWaitUntilSubrequestOutlivesTheResponse: a subrequest the Worker
// leaves running after it answered (ctx.waitUntil), here a service
// binding's Worker fetching an origin, is not cancelled when the client's
// request ends.
func TestWaitUntilSubrequestOutlivesTheResponse(t *testing.T) {
	arrived, release, verdict := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	addr := serveOrigin(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/later" {
			return
		}
		close(arrived)
		<-release
		verdict <- r.Context().Err()
	}))

	e := start(t, worker.Options{})
	e.deploy("back", script{modules: []store.Module{module("worker.js", fmt.Sprintf(`
export default { fetch() { return fetch("http://%s/later"); } };
`, addr))}})
	e.deploy("later", script{
		bindings: []store.Binding{{"name": "BACK", "type": "service", "service": "back"}},
		modules: []store.Module{module("worker.js", `
let sent = false;
export default {
  fetch(request, env, ctx) {
    if (!sent) {
      sent = true;
      ctx.waitUntil(env.BACK.fetch("https://back/"));
    }
    return new Response("ok");
  },
};
`)}})
	e.expect("later", "/", 200, "ok")
	// A guard against hanging, not a speed target.
	select {
	case <-arrived:
	case <-time.After(time.Minute):
		t.Fatalf("the waitUntil fetch never reached the origin\nlog:\n%s", e.log.String())
	}
	// The server ends a request's context before it reads the next one
	// from the connection.
	e.expect("later", "/", 200, "ok")
	close(release)
	if err := <-verdict; err != nil {
		t.Fatalf("the waitUntil fetch was cancelled: %v", err)
	}
}

// serveOrigin serves h on a free 127.0.0.1 port until the test ends and
// returns its address.
func serveOrigin(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}
