package worker_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/local/store"
	"github.com/alchemy-go/alchemy/local/worker"
	"github.com/alchemy-go/alchemy/runtime/runtimetest"
)

// workflowFetch is the fetch handler of the test Workers: it drives the
// WF binding from the query string and answers errors as "name: message".
const workflowFetch = `
export default {
  async fetch(req, env) {
    const u = new URL(req.url);
    const q = (k) => u.searchParams.get(k);
    const json = (k, d) => (q(k) === null ? d : JSON.parse(q(k)));
    try {
      switch (u.pathname) {
        case "/create": {
          const opts = q("id") === null ? { params: json("params") } : { id: q("id"), params: json("params") };
          return Response.json({ id: (await env.WF.create(opts)).id });
        }
        case "/batch": {
          const list = await env.WF.createBatch(json("ids").map((id) => ({ id, params: { n: id.length } })));
          return Response.json(list.map((i) => i.id));
        }
        case "/status":
          return Response.json(await (await env.WF.get(q("id"))).status());
        case "/event":
          await (await env.WF.get(q("id"))).sendEvent({ type: q("type"), payload: json("payload", null) });
          return new Response("ok");
        case "/pause": case "/resume": case "/terminate": case "/restart":
          await (await env.WF.get(q("id")))[u.pathname.slice(1)]();
          return new Response("ok");
      }
      return new Response("no route", { status: 404 });
    } catch (e) {
      return new Response(e.name + ": " + e.message, { status: 500 });
    }
  },
};
`

// deployWorkflow deploys the Worker "app" with a Workflow class "Flow"
// (its run method body given) bound as WF to the Workflow "flow".
func (e *env) deployWorkflow(run string) {
	e.t.Helper()
	if _, err := e.srv.Store().PutWorkflow(e.ctx, e.srv.AccountID(), "flow", "Flow", "app"); err != nil {
		e.t.Fatal(err)
	}
	e.deploy("app", script{
		bindings: []store.Binding{{"name": "WF", "type": "workflow", "workflow_name": "flow", "class_name": "Flow", "script_name": "app"}},
		modules: []store.Module{module("worker.js", `import { WorkflowEntrypoint } from "cloudflare:workers";
export class Flow extends WorkflowEntrypoint {
  async run(event, step) {
`+run+`
  }
}
`+workflowFetch)}})
}

// call sends a request to app's fetch handler and returns its answer.
func (e *env) call(path string, query ...string) (int, string) {
	e.t.Helper()
	v := url.Values{}
	for i := 0; i+1 < len(query); i += 2 {
		v.Set(query[i], query[i+1])
	}
	return e.get("app", path+"?"+v.Encode())
}

// instance returns an instance of "flow" once cond holds for it.
func (e *env) instance(id string, cond func(store.WorkflowInstance) bool) store.WorkflowInstance {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		w, err := e.srv.Store().WorkflowInstance(e.ctx, e.srv.AccountID(), "flow", id)
		if err == nil && cond(w) {
			return w
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("instance %s: %+v, %v\nlog:\n%s", id, w, err, e.log.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func status(want string) func(store.WorkflowInstance) bool {
	return func(w store.WorkflowInstance) bool { return w.Status == want }
}

func finished(w store.WorkflowInstance) bool { return store.WorkflowFinished(w.Status) }

// lines counts the log lines of app that contain s.
func (e *env) lines(s string) int { return strings.Count(e.log.String(), "[app] "+s+"\n") }

func TestWorkflowRunsToCompletion(t *testing.T) {
	e := start(t, worker.Options{Isolates: 1})
	e.deployWorkflow(`
    const a = await step.do("add", async () => ({ n: event.payload.n + 1, at: new Date(0) }));
    const b = await step.do("double", { retries: { limit: 1, delay: "1 second" } }, async () => a.n * 2);
    return { a, b, id: event.instanceId, dated: event.timestamp instanceof Date && a.at instanceof Date };`)
	if code, body := e.call("/create", "id", "one", "params", `{"n":1}`); code != 200 || body != `{"id":"one"}` {
		t.Fatalf("create: %d %s", code, body)
	}
	w := e.instance("one", finished)
	if w.Status != store.WorkflowComplete || w.OutputJSON != `{"a":{"n":2,"at":"1970-01-01T00:00:00.000Z"},"b":4,"id":"one","dated":true}` {
		t.Fatalf("instance %+v\nlog:\n%s", w, e.log.String())
	}
	code, body := e.call("/status", "id", "one")
	if code != 200 || body != `{"status":"complete","output":{"a":{"n":2,"at":"1970-01-01T00:00:00.000Z"},"b":4,"id":"one","dated":true}}` {
		t.Fatalf("status: %d %s", code, body)
	}
	// A generated id, and a batch.
	code, body = e.call("/create", "params", `{"n":5}`)
	var made struct{ ID string }
	if err := json.Unmarshal([]byte(body), &made); code != 200 || err != nil || !store.ValidWorkflowInstanceID(made.ID) {
		t.Fatalf("create without id: %d %s", code, body)
	}
	if code, body := e.call("/batch", "ids", `["b1","b22"]`); code != 200 || body != `["b1","b22"]` {
		t.Fatalf("batch: %d %s", code, body)
	}
	for _, id := range []string{made.ID, "b1", "b22"} {
		if w := e.instance(id, finished); w.Status != store.WorkflowComplete {
			t.Errorf("instance %s: %+v", id, w)
		}
	}
	for _, tt := range []struct {
		name, path string
		query      []string
		want       string
	}{
		{"duplicate id", "/create", []string{"id", "one"}, "Error: instance.already_exists"},
		{"invalid id", "/create", []string{"id", "no spaces"}, "Error: Workflow instance has invalid id"},
		{"duplicate in a batch", "/batch", []string{"ids", `["b3","b1"]`}, "Error: instance.already_exists"},
		{"unknown instance", "/status", []string{"id", "nope"}, "Error: instance.not_found"},
		{"pause a complete instance", "/pause", []string{"id", "one"}, "Error: instance.invalid_status: cannot pause instance one, which is complete"},
		{"event to a complete instance", "/event", []string{"id", "one", "type", "x"}, "Error: instance.invalid_status"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if code, body := e.call(tt.path, tt.query...); code != 500 || !strings.HasPrefix(body, tt.want) {
				t.Fatalf("%d %s, want %s", code, body, tt.want)
			}
		})
	}
	// The failed batch created none of its instances.
	if _, err := e.srv.Store().WorkflowInstance(e.ctx, e.srv.AccountID(), "flow", "b3"); err == nil {
		t.Error("b3 of a failed batch exists")
	}
}

// startOn starts a local Cloudflare on a data directory that outlives it.
func startOn(t *testing.T, dir string) *env {
	t.Helper()
	e := &env{t: t, log: &runtimetest.Buffer{}, ctx: context.Background()}
	e.rt = worker.New(worker.Options{Log: e.log, CPULimit: 5 * time.Second, Isolates: 1})
	srv, err := local.Start(e.ctx, local.Options{DataDir: dir, Host: e.rt})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	t.Cleanup(func() { srv.Close() })
	return e
}

// Completed steps replay from storage after a restart of the process and
// a redeploy of the Worker: only the steps that never completed run.
func TestWorkflowReplaysStepsAfterRestartAndRedeploy(t *testing.T) {
	dir := t.TempDir()
	e := startOn(t, dir)
	e.deployWorkflow(`
    const first = await step.do("first", async () => { console.log("first ran"); return { v: 1, when: new Date(5) }; });
    const ev = await step.waitForEvent("approval", { type: "approved" });
    const second = await step.do("second", async () => { console.log("second ran v1"); return "v1"; });
    return [first, ev.payload, ev.type, second];`)
	if code, body := e.call("/create", "id", "r1"); code != 200 {
		t.Fatalf("create: %d %s", code, body)
	}
	e.instance("r1", status(store.WorkflowWaiting))
	if n := e.lines("first ran"); n != 1 {
		t.Fatalf("first ran %d times before the restart\n%s", n, e.log.String())
	}
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}

	e = startOn(t, dir)
	if w := e.instance("r1", func(store.WorkflowInstance) bool { return true }); w.Status != store.WorkflowWaiting {
		t.Fatalf("after the restart: %+v", w)
	}
	// A new version of the Worker: its second step differs.
	e.deployWorkflow(`
    const first = await step.do("first", async () => { console.log("first ran"); return { v: 1, when: new Date(5) }; });
    const ev = await step.waitForEvent("approval", { type: "approved" });
    const second = await step.do("second", async () => { console.log("second ran v2"); return "v2"; });
    return [first, ev.payload, ev.type, second];`)
	if code, body := e.call("/event", "id", "r1", "type", "approved", "payload", `{"ok":true}`); code != 200 {
		t.Fatalf("event: %d %s", code, body)
	}
	w := e.instance("r1", finished)
	if w.Status != store.WorkflowComplete || w.OutputJSON != `[{"v":1,"when":"1970-01-01T00:00:00.005Z"},{"ok":true},"approved","v2"]` {
		t.Fatalf("instance %+v\nlog:\n%s", w, e.log.String())
	}
	if e.lines("first ran") != 0 || e.lines("second ran v2") != 1 || e.lines("second ran v1") != 0 {
		t.Fatalf("after the restart, steps ran:\n%s", e.log.String())
	}
}

// A restart while an instance sleeps carries it on when the Worker loads.
func TestWorkflowSleepSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	e := startOn(t, dir)
	e.deployWorkflow(`
    await step.do("before", async () => console.log("before"));
    await step.sleep("nap", 300);
    await step.do("after", async () => console.log("after"));
    return "rested";`)
	e.call("/create", "id", "s1")
	e.instance("s1", status(store.WorkflowWaiting))
	e.srv.Close()

	e = startOn(t, dir)
	if err := e.rt.Load(e.ctx, e.srv.AccountID(), "app"); err != nil {
		t.Fatal(err)
	}
	w := e.instance("s1", finished)
	if w.Status != store.WorkflowComplete || w.OutputJSON != `"rested"` || e.lines("before") != 0 || e.lines("after") != 1 {
		t.Fatalf("instance %+v\nlog:\n%s", w, e.log.String())
	}
}

func TestWorkflowRetries(t *testing.T) {
	e := start(t, worker.Options{Isolates: 1})
	e.deployWorkflow(`
    class NonRetryableError extends Error { constructor(m) { super(m); this.name = "NonRetryableError"; } }
    switch (event.payload.kind) {
      case "flaky": {
        let n = 0;
        const v = await step.do("flaky", { retries: { limit: 3, delay: 2, backoff: "exponential" } }, async () => {
          n = (globalThis.flaky = (globalThis.flaky || 0) + 1);
          console.log("flaky attempt " + n);
          if (n < 3) throw new Error("not yet " + n);
          return "took " + n;
        });
        return v;
      }
      case "broken":
        await step.do("broken", { retries: { limit: 2, delay: 1, backoff: "linear" } }, async () => {
          console.log("broken attempt");
          throw new TypeError("always");
        });
        return "unreachable";
      case "fatal":
        await step.do("fatal", { retries: { limit: 5, delay: 1, backoff: "constant" } }, async () => {
          console.log("fatal attempt");
          throw new NonRetryableError("give up");
        });
        return "unreachable";
      case "caught":
        try {
          await step.do("caught", { retries: { limit: 1, delay: 1 } }, async () => { console.log("caught attempt"); throw new Error("nope"); });
        } catch (e) {
          return "recovered from " + e.message;
        }
      case "slow":
        await step.do("slow", { retries: { limit: 0, delay: 1 }, timeout: 20 }, () => new Promise((r) => setTimeout(r, 2000)));
        return "unreachable";
    }`)
	for _, tt := range []struct {
		kind, status, output, error, line string
		attempts                          int
	}{
		{"flaky", store.WorkflowComplete, `"took 3"`, "", "flaky attempt", 3},
		{"broken", store.WorkflowErrored, "null", `{"message":"always","name":"TypeError"}`, "broken attempt", 3},
		{"fatal", store.WorkflowErrored, "null", `{"message":"give up","name":"NonRetryableError"}`, "fatal attempt", 1},
		{"caught", store.WorkflowComplete, `"recovered from nope"`, "", "caught attempt", 2},
		{"slow", store.WorkflowErrored, "null", `{"message":"Execution timed out after 20ms","name":"WorkflowTimeoutError"}`, "", 0},
	} {
		t.Run(tt.kind, func(t *testing.T) {
			if code, body := e.call("/create", "id", tt.kind, "params", `{"kind":"`+tt.kind+`"}`); code != 200 {
				t.Fatalf("create: %d %s", code, body)
			}
			w := e.instance(tt.kind, finished)
			if w.Status != tt.status || w.OutputJSON != tt.output || w.Error != tt.error {
				t.Fatalf("instance %+v\nlog:\n%s", w, e.log.String())
			}
			if tt.line == "" {
				return
			}
			if n := e.lines(tt.line) + e.lines(tt.line+" 1") + e.lines(tt.line+" 2") + e.lines(tt.line+" 3"); n != tt.attempts {
				t.Fatalf("%d attempts, want %d\nlog:\n%s", n, tt.attempts, e.log.String())
			}
		})
	}
	// The attempts of the flaky step ran in order.
	log := e.log.String()
	if i1, i2, i3 := strings.Index(log, "flaky attempt 1"), strings.Index(log, "flaky attempt 2"), strings.Index(log, "flaky attempt 3"); !(i1 >= 0 && i1 < i2 && i2 < i3) {
		t.Fatalf("flaky attempts out of order:\n%s", log)
	}
}

func TestWorkflowSleepEventsAndControl(t *testing.T) {
	e := start(t, worker.Options{Isolates: 1})
	e.deployWorkflow(`
    await step.do("start", async () => console.log("start " + event.instanceId));
    switch (event.payload.kind) {
      case "nap":
        await step.sleep("nap", 20);
        await step.sleepUntil("until", new Date(Date.now() + 10));
        await step.do("woke", async () => console.log("woke"));
        return "napped";
      case "long":
        await step.sleep("long", "1 hour");
        return "unreachable";
      case "wait": {
        const ev = await step.waitForEvent("first", { type: "go", timeout: "1 hour" });
        const ev2 = await step.waitForEvent("second", { type: "go" });
        return [ev.payload, ev2.payload, ev.timestamp instanceof Date];
      }
      case "timeout":
        try {
          await step.waitForEvent("never", { type: "never", timeout: 10 });
        } catch (e) {
          return e.name + ": " + e.message;
        }
    }`)
	e.call("/create", "id", "nap", "params", `{"kind":"nap"}`)
	if w := e.instance("nap", finished); w.Status != store.WorkflowComplete || w.OutputJSON != `"napped"` || e.lines("woke") != 1 || e.lines("start nap") != 1 {
		t.Fatalf("nap: %+v\nlog:\n%s", w, e.log.String())
	}

	e.call("/create", "id", "timeout", "params", `{"kind":"timeout"}`)
	if w := e.instance("timeout", finished); w.OutputJSON != `"WorkflowTimeoutError: Execution timed out after 10ms"` {
		t.Fatalf("timeout: %+v\nlog:\n%s", w, e.log.String())
	}

	// Events sent before and after the instance waits are both taken, in
	// order.
	e.call("/create", "id", "wait", "params", `{"kind":"wait"}`)
	if code, body := e.call("/event", "id", "wait", "type", "go", "payload", `"one"`); code != 200 {
		t.Fatalf("event: %d %s", code, body)
	}
	e.instance("wait", func(w store.WorkflowInstance) bool { return w.Status == store.WorkflowWaiting && w.WaitingFor == "go" })
	if code, _ := e.call("/status", "id", "wait"); code != 200 {
		t.Fatal("status of a waiting instance")
	}
	e.call("/event", "id", "wait", "type", "go", "payload", `"two"`)
	if w := e.instance("wait", finished); w.OutputJSON != `["one","two",true]` {
		t.Fatalf("wait: %+v\nlog:\n%s", w, e.log.String())
	}

	// A sleeping instance pauses, resumes (to sleep on), terminates and
	// restarts from the top.
	e.call("/create", "id", "long", "params", `{"kind":"long"}`)
	e.instance("long", status(store.WorkflowWaiting))
	for _, step := range []struct{ action, status string }{
		{"/pause", store.WorkflowPaused},
		{"/resume", store.WorkflowWaiting},
		{"/terminate", store.WorkflowTerminated},
	} {
		if code, body := e.call(step.action, "id", "long"); code != 200 {
			t.Fatalf("%s: %d %s", step.action, code, body)
		}
		e.instance("long", status(step.status))
	}
	if code, body := e.call("/status", "id", "long"); body != `{"status":"terminated"}` {
		t.Fatalf("status: %d %s", code, body)
	}
	if code, body := e.call("/event", "id", "long", "type", "go"); code != 500 || !strings.Contains(body, "instance.invalid_status") {
		t.Fatalf("event to a terminated instance: %d %s", code, body)
	}
	if code, body := e.call("/restart", "id", "long"); code != 200 {
		t.Fatalf("restart: %d %s", code, body)
	}
	e.instance("long", func(w store.WorkflowInstance) bool {
		return w.Status == store.WorkflowWaiting && e.lines("start long") == 2
	})
}

// The class of a Workflow may live in another Worker than the one bound
// to it; a class that does not exist fails the instance.
func TestWorkflowClassInAnotherWorker(t *testing.T) {
	e := start(t, worker.Options{Isolates: 1})
	st, acct := e.srv.Store(), e.srv.AccountID()
	if _, err := st.PutWorkflow(e.ctx, acct, "flow", "Remote", "engine"); err != nil {
		t.Fatal(err)
	}
	e.deploy("engine", script{modules: []store.Module{module("worker.js", `import { WorkflowEntrypoint } from "cloudflare:workers";
export class Remote extends WorkflowEntrypoint {
  async run(event, step) {
    return step.do("where", async () => "engine got " + event.payload.n + " " + this.env.TAG);
  }
}
export default { fetch() { return new Response("engine") } };
`)}, bindings: []store.Binding{{"name": "TAG", "type": "plain_text", "text": "tagged"}}})
	e.deploy("app", script{
		bindings: []store.Binding{{"name": "WF", "type": "workflow", "workflow_name": "flow", "class_name": "Remote", "script_name": "engine"}},
		modules:  []store.Module{module("worker.js", workflowFetch)}})
	e.call("/create", "id", "x", "params", `{"n":7}`)
	if w := e.instance("x", finished); w.OutputJSON != `"engine got 7 tagged"` {
		t.Fatalf("instance %+v\nlog:\n%s", w, e.log.String())
	}
	if _, err := st.PutWorkflow(e.ctx, acct, "flow", "Missing", "engine"); err != nil {
		t.Fatal(err)
	}
	e.call("/create", "id", "y")
	if w := e.instance("y", finished); w.Status != store.WorkflowErrored || !strings.Contains(w.Error, `The Worker does not export a Workflow class named \"Missing\"`) {
		t.Fatalf("instance %+v", w)
	}
}
