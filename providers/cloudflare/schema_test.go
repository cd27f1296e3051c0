package cloudflare_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/providers/cloudflare"
	"github.com/alchemy-go/alchemy/providers/schema"
	"github.com/alchemy-go/alchemy/value"
)

// schemaCase is one resource applied in TestProvidersFollowTheirSchemas. props may use the outputs of
// the cases before it, by id.
type schemaCase struct {
	kind, id string
	props    func(h *harness, outs map[string]*value.Object) *value.Object
}

// notGivenProps are props no case gives, and why.
var notGivenProps = map[string]string{
	"apiKey": "key authentication: the local Cloudflare of these tests accepts its token only (the client tests cover keys)",
	"email":  "key authentication, as apiKey",
	"rpc":    "a type-only prop: the program passes a class or type<T>(), which never reaches the provider",
}

const schemaWorker = `export default { async fetch() { return new Response("ok"); } };
`

func schemaCases() []schemaCase {
	api := func(h *harness, o *value.Object) *value.Object {
		o.Set("baseUrl", value.String(h.srv.APIBaseURL()))
		o.Set("apiToken", &value.Secret{Value: value.String(testToken)})
		o.Set("accountId", value.String(h.srv.AccountID()))
		o.Set("profile", value.String("default"))
		return o
	}
	none := func(*harness, map[string]*value.Object) *value.Object { return nil }
	return []schemaCase{
		{cloudflare.KindKVNamespace, "kv-min", none},
		{cloudflare.KindKVNamespace, "kv-full", func(h *harness, _ map[string]*value.Object) *value.Object {
			return api(h, obj("title", "schema-kv", "values", []any{obj("key", "a", "value", "1"), obj("key", "b", "value", obj("n", 2))},
				"adopt", true, "delete", true, "dev", obj("remote", false)))
		}},
		{cloudflare.KindR2Bucket, "r2-min", none},
		{cloudflare.KindR2Bucket, "r2-full", func(h *harness, _ map[string]*value.Object) *value.Object {
			return api(h, obj("name", "schema-bucket", "locationHint", "wnam", "storageClass", "Standard", "jurisdiction", "default",
				"allowPublicAccess", false, "devDomain", true, "delete", true, "empty", true, "adopt", true, "dataCatalog", false,
				"cors", []any{obj("allowed", obj("methods", []string{"GET"}, "origins", []string{"*"}))},
				"lifecycle", []any{obj("id", "expire", "deleteObjectsTransition", obj("condition", obj("type", "Age", "maxAge", 86400)))},
				"lock", []any{obj("id", "keep", "condition", obj("type", "Age", "maxAgeSeconds", 3600))},
				"dev", obj("remote", false)))
		}},
		{cloudflare.KindD1Database, "d1-min", none},
		{cloudflare.KindD1Database, "d1-full", func(h *harness, _ map[string]*value.Object) *value.Object {
			return api(h, obj("name", "schema-db", "primaryLocationHint", "wnam", "readReplication", obj("mode", "disabled"),
				"delete", true, "adopt", true, "importFiles", []string{"seed.sql"}, "migrationsTable", "applied",
				"migrationsDir", "migrations", "dev", obj("remote", false), "jurisdiction", "default"))
		}},
		{cloudflare.KindQueue, "q-min", none},
		{cloudflare.KindQueue, "q-full", func(h *harness, outs map[string]*value.Object) *value.Object {
			return api(h, obj("name", "schema-queue", "settings", obj("deliveryDelay", 0, "messageRetentionPeriod", 3600),
				"dlq", outs["q-min"], "delete", true, "adopt", true, "dev", obj("remote", false)))
		}},
		{cloudflare.KindWorker, "w-min", func(*harness, map[string]*value.Object) *value.Object {
			return obj("script", schemaWorker)
		}},
		{cloudflare.KindWorker, "w-full", func(h *harness, outs map[string]*value.Object) *value.Object {
			return api(h, obj("entrypoint", "src/worker.ts", "name", "schema-worker", "format", "esm", "cwd", ".",
				"bundle", obj("define", obj("DEBUG", "false")), "sourceMap", true, "noBundle", false,
				"bindings", obj("KV", outs["kv-min"], "GREETING", "hello"), "env", obj("MODE", "test"),
				"url", true, "previewSubdomains", false, "observability", obj("enabled", true), "logpush", false,
				"delete", true, "adopt", true, "compatibilityDate", "2025-06-01", "compatibilityFlags", []string{"nodejs_als"},
				"compatibility", "node", "assets", obj("html_handling", "none"), "cache", obj("enabled", true),
				"crons", []string{"*/5 * * * *"}, "eventSources", []any{outs["q-full"]},
				"routes", []string{"example.com/api/*"}, "domains", []string{"app.example.com"},
				"dev", obj("port", 1337), "placement", obj("mode", "smart"), "limits", obj("cpu_ms", 50),
				"tailConsumers", []any{obj("service", str(outs["w-min"], "name"))}))
		}},
		{cloudflare.KindWorker, "w-files", func(*harness, map[string]*value.Object) *value.Object {
			return obj("entrypoint", "worker.js", "projectRoot", "plain", "noBundle", true, "rules", []any{obj("globs", []string{"**/*.js"})})
		}},
		{cloudflare.KindQueueConsumer, "consumer", func(h *harness, outs map[string]*value.Object) *value.Object {
			return api(h, obj("queue", outs["q-min"], "scriptName", str(outs["w-min"], "name"), "settings", obj("batchSize", 5),
				"delete", true, "adopt", true, "dev", false))
		}},
		{cloudflare.KindRoute, "route", func(h *harness, outs map[string]*value.Object) *value.Object {
			return api(h, obj("pattern", "example.com/min/*", "script", outs["w-min"], "adopt", true, "delete", true, "dev", false))
		}},
		{cloudflare.KindRoute, "route-zone", func(h *harness, outs map[string]*value.Object) *value.Object {
			return obj("pattern", "example.com/zone/*", "script", str(outs["w-min"], "name"), "zoneId", str(outs["route"], "zoneId"))
		}},
		{cloudflare.KindCustomDomain, "domain", func(h *harness, outs map[string]*value.Object) *value.Object {
			return api(h, obj("name", "min.example.com", "workerName", str(outs["w-min"], "name"), "zoneId", str(outs["route"], "zoneId"),
				"environment", "production", "adopt", true, "overrideExistingOrigin", false, "delete", true, "dev", false))
		}},
		{cloudflare.KindWorkerSubdomain, "subdomain", func(h *harness, outs map[string]*value.Object) *value.Object {
			return api(h, obj("scriptName", str(outs["w-min"], "name"), "previewVersionId", "v1", "previewsEnabled", false,
				"retain", true, "dev", false))
		}},
	}
}

// TestProvidersFollowTheirSchemas applies every resource kind against a local Cloudflare, with no props
// and with every prop of its schema, and checks the outputs against the schema: each output field is
// listed (or an echoed prop), each required one is always there, and each listed one shows up in some
// case. The declarations in types/ are tested against the same schemas.
func TestProvidersFollowTheirSchemas(t *testing.T) {
	h := newHarness(t, local.Options{Zones: []string{"example.com"}})
	h.write("src/worker.ts", `declare const DEBUG: string;
export default { async fetch() { return new Response("debug " + DEBUG); } };
`)
	h.write("plain/worker.js", "import { answer } from \"./lib.js\";\nexport default { async fetch() { return new Response(answer); } };\n")
	h.write("plain/lib.js", "export const answer = \"42\";\n")
	h.write("seed.sql", "CREATE TABLE seeds (id INTEGER PRIMARY KEY);\n")
	h.write("migrations/0001_init.sql", "CREATE TABLE things (id INTEGER PRIMARY KEY);\n")

	cases := schemaCases()
	outs := map[string]*value.Object{}
	given := map[string][]*value.Object{}
	h.mustRun(func(ctx context.Context, r *runner) error {
		for _, c := range cases {
			props := c.props(h, outs)
			out, err := r.apply(ctx, c.kind, c.id, props)
			if err != nil {
				t.Fatalf("%s %s: %v", c.kind, c.id, err)
			}
			outs[c.id] = out
			given[c.kind] = append(given[c.kind], props)
		}
		return nil
	})

	for _, s := range cloudflare.Schemas() {
		t.Run(s.Kind, func(t *testing.T) {
			var props []*value.Object
			var produced []*value.Object
			for _, c := range cases {
				if c.kind == s.Kind {
					props = append(props, given[s.Kind][len(props)])
					produced = append(produced, outs[c.id])
				}
			}
			if len(produced) == 0 {
				t.Fatal("no case applies this kind")
			}
			checkOutputs(t, s, props, produced)
			var missing []string
			for _, f := range s.Props {
				if f.Unsupported != "" || notGivenProps[f.Name] != "" {
					continue
				}
				if !slices.ContainsFunc(props, func(p *value.Object) bool { return p.Has(f.Name) }) {
					missing = append(missing, f.Name)
				}
			}
			if len(missing) > 0 {
				t.Errorf("no case gives the props %v: give them in schemaCases, so that the provider is seen to accept them", missing)
			}
		})
	}
	h.destroy()
	h.assertEmpty()
}

// checkOutputs checks the outputs of a kind, each made from the props at the same index.
func checkOutputs(t *testing.T, s schema.Kind, props, outs []*value.Object) {
	t.Helper()
	seen := map[string]bool{}
	for i, out := range outs {
		for _, key := range out.Keys() {
			if value.IsSymbolKey(key) {
				continue
			}
			seen[key] = true
			if _, ok := s.OutputField(key); ok {
				continue
			}
			if s.EchoesProps && props[i].Has(key) {
				continue
			}
			t.Errorf("output %d has field %q, which the schema does not list", i, key)
		}
		for _, f := range s.Output {
			if f.Required && !out.Has(f.Name) {
				t.Errorf("output %d lacks the required field %q (it has %v)", i, f.Name, out.Keys())
			}
		}
	}
	for _, f := range s.Output {
		if !seen[f.Name] {
			t.Errorf("no case produced the output field %q: drop it from the schema or add a case that makes it", f.Name)
		}
	}
}

// TestProvidersRefuseUnsupportedProps gives each prop the schemas mark unsupported and expects the
// provider's error naming it.
func TestProvidersRefuseUnsupportedProps(t *testing.T) {
	values := map[string]any{"namespace": "dispatch", "version": "v1", "domains": []string{"files.example.com"},
		"dataCatalog": true, "clone": obj("name", "other")}
	for _, s := range cloudflare.Schemas() {
		for _, f := range s.Props {
			if f.Unsupported == "" {
				continue
			}
			t.Run(s.Kind+"."+f.Name, func(t *testing.T) {
				v, ok := values[f.Name]
				if !ok {
					t.Fatalf("no value to give %s: add one to this test", f.Name)
				}
				h := newHarness(t, local.Options{})
				h.write("w.js", schemaWorker)
				props := obj(f.Name, v)
				if s.Kind == cloudflare.KindWorker {
					props.Set("entrypoint", value.String("w.js"))
				}
				_, err := h.run(engine.AppOptions{}, func(ctx context.Context, r *runner) error {
					_, err := r.apply(ctx, s.Kind, "it", props)
					return err
				})
				errorContains(t, err, "prop "+f.Name)
			})
		}
	}
}

// TestNormalizeChecksProps: a prop a kind does not have, or a missing required prop, fails before any
// API call, naming the resource and the field.
func TestNormalizeChecksProps(t *testing.T) {
	for _, s := range cloudflare.Schemas() {
		e := exports[s.Kind]
		_, err := e.Normalize(cloudflare.NormalizeContext{}, "it", obj("colour", "blue"))
		errorContains(t, err, `"it"`, "prop colour: unknown")
		for _, f := range s.Props {
			if f.Required {
				_, err := e.Normalize(cloudflare.NormalizeContext{}, "it", value.NewObject(0))
				if err == nil || !strings.Contains(err.Error(), "is required") {
					t.Errorf("%s without props: %v, want a required prop named", s.Kind, err)
				}
				break
			}
		}
	}
	_, err := exports[cloudflare.KindKVNamespace].Normalize(cloudflare.NormalizeContext{}, "cache", obj("titel", "x"))
	errorContains(t, err, `KVNamespace "cache": prop titel: unknown (did you mean title?)`)
}
