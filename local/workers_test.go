package local_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	cf "github.com/cloudflare/cloudflare-go/v6"
	"github.com/cloudflare/cloudflare-go/v6/durable_objects"
	"github.com/cloudflare/cloudflare-go/v6/kv"
	"github.com/cloudflare/cloudflare-go/v6/workers"
	"github.com/cloudflare/cloudflare-go/v6/workflows"
	"github.com/cloudflare/cloudflare-go/v6/zones"

	"github.com/alchemy-go/alchemy/local/store"
)

type storeStmt = store.D1Statement

type uploadOpts struct {
	bindings   []workers.ScriptUpdateParamsMetadataBinding
	migrations workers.ScriptUpdateParamsMetadataMigrationsUnion
	tags       []string
	source     string
}

const workerSource = `export class Counter { async fetch() { return new Response("1") } }
export default { async fetch(req, env) { return new Response("hi") }, async queue(batch) {} }`

func binding(name, typ string, set func(*workers.ScriptUpdateParamsMetadataBinding)) workers.ScriptUpdateParamsMetadataBinding {
	b := workers.ScriptUpdateParamsMetadataBinding{Name: cf.F(name), Type: cf.F(workers.ScriptUpdateParamsMetadataBindingsType(typ))}
	if set != nil {
		set(&b)
	}
	return b
}

// uploadErr uploads a module Worker through cloudflare-go.
func (e *env) uploadErr(name string, o uploadOpts) (*workers.ScriptUpdateResponse, error) {
	src := o.source
	if src == "" {
		src = workerSource
	}
	bindings := make([]workers.ScriptUpdateParamsMetadataBindingUnion, 0, len(o.bindings))
	for _, b := range o.bindings {
		bindings = append(bindings, b)
	}
	meta := workers.ScriptUpdateParamsMetadata{MainModule: cf.F("index.js"), CompatibilityDate: cf.F("2025-01-01"),
		Bindings: cf.F(bindings), Tags: cf.F(o.tags), Observability: cf.F(workers.ScriptUpdateParamsMetadataObservability{Enabled: cf.F(true)})}
	if o.migrations != nil {
		meta.Migrations = cf.F(o.migrations)
	}
	return e.cf.Workers.Scripts.Update(context.Background(), name, workers.ScriptUpdateParams{AccountID: cf.F(testAccount), Metadata: cf.F(meta),
		Files: cf.F([]io_Reader{cf.FileParam(strings.NewReader(src), "index.js", "application/javascript+module").Value})})
}

func (e *env) upload(t *testing.T, name string, o uploadOpts) *workers.ScriptUpdateResponse {
	t.Helper()
	res, err := e.uploadErr(name, o)
	if err != nil {
		t.Fatalf("upload %s: %v", name, err)
	}
	return res
}

func TestWorkersLifecycle(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	acct := cf.F(testAccount)
	ns, err := e.cf.KV.Namespaces.New(ctx, kv.NamespaceNewParams{AccountID: acct, Title: cf.F("kv")})
	if err != nil {
		t.Fatal(err)
	}

	// Missing worker: Cloudflare's script_not_found everywhere.
	_, err = e.cf.Workers.Scripts.Get(ctx, "api", workers.ScriptGetParams{AccountID: acct})
	apiErr(t, err, http.StatusNotFound, 10007)
	_, err = e.cf.Workers.Scripts.ScriptAndVersionSettings.Get(ctx, "api", workers.ScriptScriptAndVersionSettingGetParams{AccountID: acct})
	apiErr(t, err, http.StatusNotFound, 10007)

	// Binding references are checked.
	_, err = e.uploadErr("api", uploadOpts{bindings: []workers.ScriptUpdateParamsMetadataBinding{
		binding("KV", "kv_namespace", func(b *workers.ScriptUpdateParamsMetadataBinding) {
			b.NamespaceID = cf.F("0000000000000000000000000000beef")
		})}})
	apiErr(t, err, http.StatusBadRequest, 10042)
	for _, bad := range []struct {
		b    workers.ScriptUpdateParamsMetadataBinding
		code int
	}{
		{binding("B", "r2_bucket", func(b *workers.ScriptUpdateParamsMetadataBinding) { b.BucketName = cf.F("nope") }), 10085},
		{binding("DB", "d1", func(b *workers.ScriptUpdateParamsMetadataBinding) {
			b.ID = cf.F("00000000-0000-0000-0000-000000000000")
		}), 10181},
		{binding("Q", "queue", func(b *workers.ScriptUpdateParamsMetadataBinding) { b.QueueName = cf.F("nope") }), 11000},
		{binding("S", "service", func(b *workers.ScriptUpdateParamsMetadataBinding) { b.Service = cf.F("nope") }), 10143},
		{binding("DO", "durable_object_namespace", func(b *workers.ScriptUpdateParamsMetadataBinding) { b.ClassName = cf.F("Counter") }), 10061},
	} {
		_, err = e.uploadErr("api", uploadOpts{bindings: []workers.ScriptUpdateParamsMetadataBinding{bad.b}})
		apiErr(t, err, http.StatusBadRequest, bad.code)
	}

	// A worker with KV, plain text, secret, JSON and a Durable Object created by its migration.
	res := e.upload(t, "api", uploadOpts{tags: []string{"alchemy:do:counter:COUNTER"},
		migrations: workers.SingleStepMigrationParam{NewTag: cf.F("v1"), NewSqliteClasses: cf.F([]string{"Counter"})},
		bindings: []workers.ScriptUpdateParamsMetadataBinding{
			binding("KV", "kv_namespace", func(b *workers.ScriptUpdateParamsMetadataBinding) { b.NamespaceID = cf.F(ns.ID) }),
			binding("GREETING", "plain_text", func(b *workers.ScriptUpdateParamsMetadataBinding) { b.Text = cf.F("hello") }),
			binding("API_KEY", "secret_text", func(b *workers.ScriptUpdateParamsMetadataBinding) { b.Text = cf.F("s3cr3t") }),
			binding("CONFIG", "json", func(b *workers.ScriptUpdateParamsMetadataBinding) { b.Json = cf.F[any](map[string]any{"debug": true}) }),
			binding("COUNTER", "durable_object_namespace", func(b *workers.ScriptUpdateParamsMetadataBinding) { b.ClassName = cf.F("Counter") }),
		}})
	if res.ID != "api" || res.Etag == "" || !slices.Contains(res.Handlers, "fetch") || !slices.Contains(res.Handlers, "queue") || res.MigrationTag != "v1" {
		t.Fatalf("upload = %+v", res)
	}
	content, err := e.cf.Workers.Scripts.Get(ctx, "api", workers.ScriptGetParams{AccountID: acct})
	if err != nil || *content != workerSource {
		t.Fatalf("content = %v, %v", content, err)
	}
	settings, err := e.cf.Workers.Scripts.ScriptAndVersionSettings.Get(ctx, "api", workers.ScriptScriptAndVersionSettingGetParams{AccountID: acct})
	if err != nil {
		t.Fatal(err)
	}
	raw := settings.JSON.RawJSON()
	for _, want := range []string{`"name":"GREETING","text":"hello","type":"plain_text"`, `"name":"API_KEY","type":"secret_text"}`, `"tags":["alchemy:do:counter:COUNTER"]`, `"json":{"debug":true}`} {
		if !contains(raw, want) {
			t.Errorf("settings lack %s: %s", want, raw)
		}
	}
	if contains(raw, "s3cr3t") {
		t.Fatalf("settings leak the secret: %s", raw)
	}
	sc, _ := e.srv.Store().Script(ctx, testAccount, "api")
	for _, b := range sc.Settings.Bindings {
		if b.Name() == "API_KEY" && b.Str("text") != "s3cr3t" {
			t.Fatalf("the runtime's view of the secret = %q", b.Str("text"))
		}
	}

	ons, err := e.cf.DurableObjects.Namespaces.List(ctx, durable_objects.NamespaceListParams{AccountID: acct})
	if err != nil || len(ons.Result) != 1 || ons.Result[0].Name != "api_Counter" || !ons.Result[0].UseSqlite || len(ons.Result[0].ID) != 32 {
		t.Fatalf("namespaces = %+v, %v", ons, err)
	}

	// Migrations: a stale old_tag is refused with 412, the right one applies.
	_, err = e.uploadErr("api", uploadOpts{migrations: workers.SingleStepMigrationParam{OldTag: cf.F("v0"), NewTag: cf.F("v2")}})
	apiErr(t, err, http.StatusPreconditionFailed, 10079)
	if !strings.Contains(err.Error(), "when expected tag is 'v1'") {
		t.Fatalf("412 message = %v", err)
	}
	e.upload(t, "api", uploadOpts{migrations: workers.SingleStepMigrationParam{OldTag: cf.F("v1"), NewTag: cf.F("v2"),
		RenamedClasses: cf.F([]workers.SingleStepMigrationRenamedClassParam{{From: cf.F("Counter"), To: cf.F("Tally")}})},
		bindings: []workers.ScriptUpdateParamsMetadataBinding{
			binding("TALLY", "durable_object_namespace", func(b *workers.ScriptUpdateParamsMetadataBinding) { b.ClassName = cf.F("Tally") }),
			binding("API_KEY", "secret_text", nil), // no text: keep the stored value
		}})
	sc, _ = e.srv.Store().Script(ctx, testAccount, "api")
	if sc.MigrationTag != "v2" || len(sc.Settings.Bindings) != 2 || sc.Settings.Bindings[1].Str("text") != "s3cr3t" {
		t.Fatalf("after rename: tag %q bindings %+v", sc.MigrationTag, sc.Settings.Bindings)
	}

	// Secrets API: write-only values, each write a new version.
	if _, err := e.cf.Workers.Scripts.Secrets.Update(ctx, "api", workers.ScriptSecretUpdateParams{AccountID: acct,
		Body: workers.ScriptSecretUpdateParamsBodyWorkersBindingKindSecretText{Name: cf.F("TOKEN"), Text: cf.F("t0k3n"),
			Type: cf.F(workers.ScriptSecretUpdateParamsBodyWorkersBindingKindSecretTextTypeSecretText)}}); err != nil {
		t.Fatal(err)
	}
	secrets, err := e.cf.Workers.Scripts.Secrets.List(ctx, "api", workers.ScriptSecretListParams{AccountID: acct})
	if err != nil || len(secrets.Result) != 2 {
		t.Fatalf("secrets = %+v, %v", secrets, err)
	}
	if _, err := e.cf.Workers.Scripts.Secrets.Delete(ctx, "api", "TOKEN", workers.ScriptSecretDeleteParams{AccountID: acct}); err != nil {
		t.Fatal(err)
	}
	versions, err := e.cf.Workers.Scripts.Versions.List(ctx, "api", workers.ScriptVersionListParams{AccountID: acct})
	if err != nil || len(versions.Result.Items) != 4 || versions.Result.Items[0].Number != 4 {
		t.Fatalf("versions = %+v, %v", versions, err)
	}

	// workers.dev, schedules, services view.
	if _, err := e.cf.Workers.Scripts.Subdomain.New(ctx, "api", workers.ScriptSubdomainNewParams{AccountID: acct, Enabled: cf.F(true)}); err != nil {
		t.Fatal(err)
	}
	sub, err := e.cf.Workers.Scripts.Subdomain.Get(ctx, "api", workers.ScriptSubdomainGetParams{AccountID: acct})
	if err != nil || !sub.Enabled {
		t.Fatalf("subdomain = %+v, %v", sub, err)
	}
	sched, err := e.cf.Workers.Scripts.Schedules.Update(ctx, "api", workers.ScriptScheduleUpdateParams{AccountID: acct,
		Body: []workers.ScriptScheduleUpdateParamsBody{{Cron: cf.F("*/5 * * * *")}, {Cron: cf.F("0 0 * * *")}}})
	if err != nil || len(sched.Schedules) != 2 {
		t.Fatalf("schedules = %+v, %v", sched, err)
	}
	var svc struct {
		Result struct {
			ID                 string `json:"id"`
			DefaultEnvironment struct {
				Environment string `json:"environment"`
			} `json:"default_environment"`
		} `json:"result"`
	}
	if err := e.cf.Get(ctx, "accounts/"+testAccount+"/workers/services/api", nil, &svc); err != nil || svc.Result.ID != "api" || svc.Result.DefaultEnvironment.Environment != "production" {
		t.Fatalf("service = %+v, %v", svc, err)
	}
	err = e.cf.Get(ctx, "accounts/"+testAccount+"/workers/services/nope", nil, &svc)
	apiErr(t, err, http.StatusNotFound, 10090)
	list, err := e.cf.Workers.Scripts.List(ctx, workers.ScriptListParams{AccountID: acct})
	if err != nil || len(list.Result) != 1 || list.Result[0].ID != "api" {
		t.Fatalf("list = %+v, %v", list, err)
	}

	// Settings PATCH round-trips tags (Alchemy keeps state there).
	patched, err := e.cf.Workers.Scripts.ScriptAndVersionSettings.Edit(ctx, "api", workers.ScriptScriptAndVersionSettingEditParams{AccountID: acct,
		Settings: cf.F(workers.ScriptScriptAndVersionSettingEditParamsSettings{Tags: cf.F([]string{"alchemy:migration-tag:v2"}), Logpush: cf.F(true)})})
	if err != nil || !slices.Equal(patched.Tags, []string{"alchemy:migration-tag:v2"}) || !patched.Logpush {
		t.Fatalf("patch = %+v, %v", patched, err)
	}

	// Without force a script owning Durable Objects stays; with force it goes with them.
	_, err = e.cf.Workers.Scripts.Delete(ctx, "api", workers.ScriptDeleteParams{AccountID: acct})
	apiErr(t, err, http.StatusBadRequest, 10064)
	if _, err := e.cf.Workers.Scripts.Delete(ctx, "api", workers.ScriptDeleteParams{AccountID: acct, Force: cf.F(true)}); err != nil {
		t.Fatal(err)
	}
	ons, _ = e.cf.DurableObjects.Namespaces.List(ctx, durable_objects.NamespaceListParams{AccountID: acct})
	if len(ons.Result) != 0 {
		t.Fatalf("namespaces after force delete = %+v", ons.Result)
	}
	_, err = e.cf.Workers.Scripts.Delete(ctx, "api", workers.ScriptDeleteParams{AccountID: acct})
	apiErr(t, err, http.StatusNotFound, 10007)
}

func TestServiceBindingsAndTransfers(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	e.upload(t, "backend", uploadOpts{migrations: workers.SingleStepMigrationParam{NewClasses: cf.F([]string{"Room"})},
		bindings: []workers.ScriptUpdateParamsMetadataBinding{binding("ROOM", "durable_object_namespace", func(b *workers.ScriptUpdateParamsMetadataBinding) { b.ClassName = cf.F("Room") })}})
	e.upload(t, "frontend", uploadOpts{bindings: []workers.ScriptUpdateParamsMetadataBinding{
		binding("BACKEND", "service", func(b *workers.ScriptUpdateParamsMetadataBinding) { b.Service = cf.F("backend") }),
		binding("ROOM", "durable_object_namespace", func(b *workers.ScriptUpdateParamsMetadataBinding) {
			b.ClassName = cf.F("Room")
			b.ScriptName = cf.F("backend")
		}),
	}})
	// Move the class to a third script.
	e.upload(t, "rooms", uploadOpts{migrations: workers.SingleStepMigrationParam{NewTag: cf.F("v1"),
		TransferredClasses: cf.F([]workers.SingleStepMigrationTransferredClassParam{{From: cf.F("Room"), FromScript: cf.F("backend"), To: cf.F("Room")}})}})
	ns, err := e.srv.Store().DONamespaceOf(ctx, testAccount, "rooms", "Room")
	if err != nil || !strings.HasPrefix(ns.Name(), "rooms_") {
		t.Fatalf("transferred namespace = %+v, %v", ns, err)
	}
}

func TestAccountsZonesRoutesDomains(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	acct := cf.F(testAccount)

	verify, err := e.cf.User.Tokens.Verify(ctx)
	if err != nil || verify.Status != "active" {
		t.Fatalf("verify = %+v, %v", verify, err)
	}
	accts, err := e.cf.Accounts.List(ctx, accountsListParams())
	if err != nil || len(accts.Result) != 1 || accts.Result[0].ID != testAccount {
		t.Fatalf("accounts = %+v, %v", accts, err)
	}
	sub, err := e.cf.Workers.Subdomains.Update(ctx, workers.SubdomainUpdateParams{AccountID: acct, Subdomain: cf.F("acme")})
	if err != nil || sub.Subdomain != "acme" {
		t.Fatalf("subdomain = %+v, %v", sub, err)
	}

	zl, err := e.cf.Zones.List(ctx, zones.ZoneListParams{Name: cf.F("example.com")})
	if err != nil || len(zl.Result) != 1 {
		t.Fatalf("zones = %+v, %v", zl, err)
	}
	zone := zl.Result[0]
	e.upload(t, "site", uploadOpts{})
	route, err := e.cf.Workers.Routes.New(ctx, workers.RouteNewParams{ZoneID: cf.F(zone.ID), Pattern: cf.F("example.com/api/*"), Script: cf.F("site")})
	if err != nil || len(route.ID) != 32 {
		t.Fatalf("route = %+v, %v", route, err)
	}
	_, err = e.cf.Workers.Routes.New(ctx, workers.RouteNewParams{ZoneID: cf.F(zone.ID), Pattern: cf.F("example.com/api/*"), Script: cf.F("site")})
	apiErr(t, err, http.StatusConflict, 10020)
	routes, err := e.cf.Workers.Routes.List(ctx, workers.RouteListParams{ZoneID: cf.F(zone.ID)})
	if err != nil || len(routes.Result) != 1 {
		t.Fatalf("routes = %+v, %v", routes, err)
	}
	dom, err := e.cf.Workers.Domains.Update(ctx, workers.DomainUpdateParams{AccountID: acct, Hostname: cf.F("app.example.com"), Service: cf.F("site")})
	if err != nil || dom.ZoneID != zone.ID || dom.ZoneName != "example.com" {
		t.Fatalf("domain = %+v, %v", dom, err)
	}
	_, err = e.cf.Workers.Domains.Update(ctx, workers.DomainUpdateParams{AccountID: acct, Hostname: cf.F("app.other.org"), Service: cf.F("site")})
	if err == nil {
		t.Fatal("a hostname outside every zone was accepted")
	}

	// Requests are routed to the Worker by Host: routes, custom domains, workers.dev.
	for _, c := range []struct{ host, path, via string }{
		{"example.com", "/api/users", "route"},
		{"app.example.com", "/", "custom_domain"},
	} {
		status, body := e.hostGet(c.host, c.path)
		if status != 503 || !contains(string(body), `"site" (via `+c.via+`)`) {
			t.Errorf("%s%s: %d %s", c.host, c.path, status, body)
		}
	}
	status, body := e.hostGet("site.acme.workers.dev", "/")
	if status != 404 {
		t.Errorf("workers.dev before enabling: %d %s", status, body)
	}
	e.cf.Workers.Scripts.Subdomain.New(ctx, "site", workers.ScriptSubdomainNewParams{AccountID: acct, Enabled: cf.F(true)})
	status, body = e.hostGet("site.acme.workers.dev:8080", "/")
	if status != 503 || !contains(string(body), "no Worker runtime") {
		t.Errorf("workers.dev: %d %s", status, body)
	}

	if _, err := e.cf.Workers.Routes.Delete(ctx, route.ID, workers.RouteDeleteParams{ZoneID: cf.F(zone.ID)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cf.Workers.Domains.Delete(ctx, dom.ID, workers.DomainDeleteParams{AccountID: acct}); err != nil {
		t.Fatal(err)
	}
	_, err = e.cf.Workers.Domains.Get(ctx, dom.ID, workers.DomainGetParams{AccountID: acct})
	apiErr(t, err, http.StatusNotFound, 100114)

	// Workflows.
	if _, err := e.cf.Workflows.Update(ctx, "signup", workflows.WorkflowUpdateParams{AccountID: acct, ClassName: cf.F("Signup"), ScriptName: cf.F("site")}); err != nil {
		t.Fatal(err)
	}
	wf, err := e.cf.Workflows.Get(ctx, "signup", workflows.WorkflowGetParams{AccountID: acct})
	if err != nil || wf.ClassName != "Signup" {
		t.Fatalf("workflow = %+v, %v", wf, err)
	}
	if _, err := e.cf.Workflows.Delete(ctx, "signup", workflows.WorkflowDeleteParams{AccountID: acct}); err != nil {
		t.Fatal(err)
	}
	_, err = e.cf.Workflows.Get(ctx, "signup", workflows.WorkflowGetParams{AccountID: acct})
	apiErr(t, err, http.StatusNotFound, 10200)
}
