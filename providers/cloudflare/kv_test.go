package cloudflare_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/value"
)

func TestKVNamespaceLifecycle(t *testing.T) {
	h := newHarness(t, local.Options{})
	var out *value.Object
	deploy := func(props *value.Object) []engine.Event {
		t.Helper()
		return h.mustRun(func(ctx context.Context, r *runner) error {
			var err error
			out, err = r.apply(ctx, "cloudflare::KVNamespace", "cache", props)
			return err
		})
	}

	// Create: the title defaults to the physical name; values are written.
	ev := deploy(obj("values", []any{obj("key", "a", "value", "1"), obj("key", "b", "value", obj("x", 1))}))
	if got := actions(ev)["app/test/cache"]; !slices.Equal(got, []engine.Action{engine.ActionCreating, engine.ActionCreated}) {
		t.Fatalf("create: actions %v", got)
	}
	id := str(out, "namespaceId")
	if str(out, "title") != "app-cache-test" || len(id) != 32 {
		t.Fatalf("output %s %s", str(out, "title"), id)
	}
	wantKeys := []string{"Symbol(alchemy::ResourceKind)", "Symbol(alchemy::ResourceID)", "Symbol(alchemy::ResourceFQN)",
		"Symbol(alchemy::ResourceScope)", "Symbol(alchemy::ResourceSeq)", "type", "namespaceId", "title", "values", "dev", "createdAt", "modifiedAt"}
	if !slices.Equal(out.Keys(), wantKeys) {
		t.Errorf("output keys %v, want %v", out.Keys(), wantKeys)
	}
	dev, _ := out.GetObject("dev")
	if str(dev, "id") != "cache" {
		t.Errorf("dev.id = %q, want the logical id", str(dev, "id"))
	}
	raw, status := h.rawGet("/storage/kv/namespaces/" + id + "/values/b")
	if status != http.StatusOK || string(raw) != `{"x":1}` {
		t.Errorf("value b = %d %s, want the JSON text", status, raw)
	}
	var props struct {
		Dev map[string]bool `json:"dev"`
	}
	var rec struct {
		Props json.RawMessage `json:"props"`
	}
	json.Unmarshal(h.stateFile("cache.json"), &rec)
	json.Unmarshal(rec.Props, &props)
	if force, ok := props.Dev["force"]; !ok || force {
		t.Errorf("stored props %s: want dev.force false", rec.Props)
	}

	// No change: skipped without a request.
	h.log.Reset()
	ev = deploy(obj("values", []any{obj("key", "a", "value", "1"), obj("key", "b", "value", obj("x", 1))}))
	if got := actions(ev)["app/test/cache"]; !slices.Equal(got, []engine.Action{engine.ActionSkipped}) {
		t.Fatalf("re-run: actions %v", got)
	}
	if n := len(h.requests()); n != 0 {
		t.Errorf("re-run made %d requests, want none", n)
	}

	// A new title renames the namespace in place.
	created, _ := out.Get("createdAt")
	h.log.Reset()
	ev = deploy(obj("title", "renamed"))
	if got := actions(ev)["app/test/cache"]; !slices.Equal(got, []engine.Action{engine.ActionUpdating, engine.ActionUpdated}) {
		t.Fatalf("rename: actions %v", got)
	}
	if str(out, "namespaceId") != id || str(out, "title") != "renamed" {
		t.Errorf("rename: %s %s", str(out, "namespaceId"), str(out, "title"))
	}
	if c, _ := out.Get("createdAt"); !value.Equal(c, created) {
		t.Errorf("createdAt changed on update: %v → %v", created, c)
	}
	if n := count(h.requests(), http.MethodPut, "/storage/kv/namespaces/"+id); n != 1 {
		t.Errorf("rename made %d PUTs", n)
	}

	h.destroy()
	h.assertEmpty()
}

func TestKVNamespaceConflictNeedsAdopt(t *testing.T) {
	h := newHarness(t, local.Options{})
	if _, status := h.api(http.MethodPost, "/storage/kv/namespaces", map[string]string{"title": "taken"}); status != http.StatusOK {
		t.Fatal(status)
	}
	_, err := h.run(engine.AppOptions{}, func(ctx context.Context, r *runner) error {
		_, err := r.apply(ctx, "cloudflare::KVNamespace", "kv", obj("title", "taken"))
		return err
	})
	errorContains(t, err, `"kv"`, "10014", "already exists", "adopt")

	var out *value.Object
	h.mustRun(func(ctx context.Context, r *runner) error {
		var err error
		out, err = r.apply(ctx, "cloudflare::KVNamespace", "kv", obj("title", "taken", "adopt", true))
		return err
	})
	if len(h.list("/storage/kv/namespaces")) != 1 || str(out, "namespaceId") == "" {
		t.Fatalf("adopt made another namespace or lost the id: %v", out)
	}
	h.destroy()
	h.assertEmpty()
}
