package cloudflare_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/providers/cloudflare"
	"github.com/alchemy-go/alchemy/state"
	"github.com/alchemy-go/alchemy/value"
)

const stateToken = "state-token-1"

// stateStore returns a CloudflareStateStore on the harness's Cloudflare.
func (h *harness) stateStore(token string, force bool) *cloudflare.StateStore {
	h.t.Helper()
	cf := cloudflare.New(cloudflare.Options{API: h.config()})
	s, err := cf.StateStore(cloudflare.StateStoreOptions{Token: token, ForceUpdate: force, Codec: state.NewCodec(h.password)})
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

// stateDB opens the SQLite database of the state service's Durable Object.
func (h *harness) stateDB() *sql.DB {
	h.t.Helper()
	var nsID string
	for _, ns := range h.list("/workers/durable_objects/namespaces") {
		if ns["script"] == cloudflare.DefaultStateScript && ns["class"] == "Store" {
			nsID, _ = ns["id"].(string)
		}
	}
	if nsID == "" {
		h.t.Fatalf("no Durable Object namespace of %s", cloudflare.DefaultStateScript)
	}
	ids, err := h.srv.Store().DurableObjectIDs(nsID)
	if err != nil || len(ids) != 1 {
		h.t.Fatalf("objects of the state service: %v %v", ids, err)
	}
	db, err := h.srv.Store().DurableObjectDB(nsID, ids[0])
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { db.Close() })
	return db
}

func secretRecord(t *testing.T, id string, seq int) *state.Record {
	t.Helper()
	r := state.NewRecord(state.LayoutFinal)
	r.Kind, r.ID, r.FQN, r.Seq, r.Status = "test::Thing", id, "app/test/"+id, seq, state.StatusCreated
	r.Props = value.Obj("name", value.String(id), "key", &value.Secret{Value: value.String("hunter2")})
	r.Output = value.Obj("name", value.String(id))
	return r
}

// The store deploys its service Worker on first use, keeps records in the
// service's Durable Object (secrets encrypted), and a second store finds the
// service deployed and uploads nothing.
func TestStateStoreRoundTrip(t *testing.T) {
	h := newRuntimeHarness(t, local.Options{})
	ctx := context.Background()
	s := h.stateStore(stateToken, false)
	stage := state.Path{"app", "test"}

	if r, err := s.Get(ctx, stage, "a"); err != nil || r != nil {
		t.Fatalf("Get of a missing record = %v, %v", r, err)
	}
	if err := s.Set(ctx, stage, "a", secretRecord(t, "a", 1)); err != nil {
		t.Fatal(err)
	}
	if err := s.Set(ctx, stage.Child("nested"), "b", secretRecord(t, "b", 2)); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, stage, "a")
	if err != nil || got == nil {
		t.Fatalf("Get = %v, %v", got, err)
	}
	props := got.Props.(*value.Object)
	if key, _ := props.Get("key"); key.(*value.Secret).Value != value.String("hunter2") {
		t.Errorf("secret read back as %v", key)
	}
	if got.Kind != "test::Thing" || got.Seq != 1 || got.Status != state.StatusCreated {
		t.Errorf("record read back as %+v", got)
	}
	for _, c := range []struct {
		p    state.Path
		want []string
	}{{stage, []string{"a"}}, {stage.Child("nested"), []string{"b"}}, {state.Path{"other", "test"}, nil}} {
		ids, err := s.List(ctx, c.p)
		if err != nil || !slices.Equal(ids, c.want) {
			t.Errorf("List(%s) = %q, %v; want %q", c.p, ids, err, c.want)
		}
	}
	if err := s.DeleteScope(ctx, stage.Child("nested")); err == nil || !strings.Contains(err.Error(), "still holds 1 records") {
		t.Errorf("DeleteScope of a scope with a record: %v", err)
	}

	// The row as stored: the chain as JSON, the secret encrypted.
	db := h.stateDB()
	var scope, props2 string
	if err := db.QueryRow(`SELECT scope, props FROM resources WHERE id = 'a'`).Scan(&scope, &props2); err != nil {
		t.Fatal(err)
	}
	if scope != `["app","test"]` || strings.Contains(props2, "hunter2") || !strings.Contains(props2, `"@secret"`) {
		t.Errorf("stored row: scope %s props %s", scope, props2)
	}
	var migrated int
	if err := db.QueryRow(`SELECT count(*) FROM __drizzle_migrations WHERE hash = '' AND created_at = 1752097986271`).Scan(&migrated); err != nil || migrated != 1 {
		t.Errorf("migration bookkeeping rows = %d, %v", migrated, err)
	}

	uploads := count(h.requests(), http.MethodPut, "/workers/scripts/"+cloudflare.DefaultStateScript)
	if uploads != 1 {
		t.Errorf("%d uploads of the service, want 1", uploads)
	}
	again := h.stateStore(stateToken, false)
	if ids, err := again.List(ctx, stage); err != nil || !slices.Equal(ids, []string{"a"}) {
		t.Fatalf("second store lists %q, %v", ids, err)
	}
	if n := count(h.requests(), http.MethodPut, "/workers/scripts/"+cloudflare.DefaultStateScript); n != uploads {
		t.Errorf("a second store uploaded the service again (%d uploads)", n)
	}

	for _, p := range []struct {
		p  state.Path
		id string
	}{{stage, "a"}, {stage.Child("nested"), "b"}} {
		if err := s.Delete(ctx, p.p, p.id); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteScope(ctx, stage.Child("nested")); err != nil {
		t.Errorf("DeleteScope of an empty scope: %v", err)
	}
	var left int
	if err := db.QueryRow(`SELECT count(*) FROM resources`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d rows left after deleting every record (%v)", left, err)
	}
}

// Rows written the way the TypeScript library's service writes them (null
// props, fields in its column order) read back as records, and a later write
// of a record without oldProps clears the stale ones.
func TestStateStoreReadsLibraryRows(t *testing.T) {
	h := newRuntimeHarness(t, local.Options{})
	ctx := context.Background()
	s := h.stateStore(stateToken, false)
	stage := state.Path{"app", "test"}
	if _, err := s.List(ctx, stage); err != nil {
		t.Fatal(err)
	}
	db := h.stateDB()
	_, err := db.Exec(`INSERT INTO resources (id, scope, status, kind, fqn, seq, data, props, oldProps, output) VALUES
		('ts', '["app","test"]', 'updated', 'test::Thing', 'app/test/ts', 3, '{}', NULL, '{"name":"old"}',
		 '{"Symbol(alchemy::ResourceKind)":"test::Thing","Symbol(alchemy::ResourceScope)":{"@scope":null},"name":"ts"}')`)
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Get(ctx, stage, "ts")
	if err != nil || r == nil {
		t.Fatalf("Get = %v, %v", r, err)
	}
	if r.Props != nil || r.Status != state.StatusUpdated || r.Seq != 3 {
		t.Errorf("record: props %v status %s seq %d", r.Props, r.Status, r.Seq)
	}
	if name, _ := r.Output.GetString("name"); name != "ts" {
		t.Errorf("output %v", r.Output)
	}
	r.OldProps = nil
	if err := s.Set(ctx, stage, "ts", r); err != nil {
		t.Fatal(err)
	}
	var old sql.NullString
	if err := db.QueryRow(`SELECT oldProps FROM resources WHERE id = 'ts'`).Scan(&old); err != nil {
		t.Fatal(err)
	}
	if old.Valid && old.String != "null" {
		t.Errorf("oldProps after a write without them: %q", old.String)
	}
}

// A service deployed with another token refuses the store with a message
// saying what to do; forceUpdate redeploys it with the store's token.
func TestStateStoreToken(t *testing.T) {
	h := newRuntimeHarness(t, local.Options{})
	ctx := context.Background()
	if _, err := h.stateStore(stateToken, false).List(ctx, state.Path{"app", "test"}); err != nil {
		t.Fatal(err)
	}
	_, err := h.stateStore("another-token", false).List(ctx, state.Path{"app", "test"})
	if err == nil || !strings.Contains(err.Error(), `CloudflareStateStore "alchemy-state-service"`) ||
		!strings.Contains(err.Error(), "refuses the token") {
		t.Fatalf("wrong token: %v", err)
	}
	if _, err := h.stateStore("another-token", true).List(ctx, state.Path{"app", "test"}); err != nil {
		t.Fatalf("forceUpdate: %v", err)
	}
	cf := cloudflare.New(cloudflare.Options{API: h.config()})
	if _, err := cf.StateStore(cloudflare.StateStoreOptions{Codec: state.NewCodec("")}); err == nil || !strings.Contains(err.Error(), "ALCHEMY_STATE_TOKEN") {
		t.Errorf("no token: %v", err)
	}
}

// A service Worker that this project did not deploy (the TypeScript
// library's, which carries only its own tag) is used as it is, never
// replaced.
func TestStateStoreKeepsForeignService(t *testing.T) {
	h := newRuntimeHarness(t, local.Options{})
	ctx := context.Background()
	if _, err := h.stateStore(stateToken, false).List(ctx, state.Path{"app", "test"}); err != nil {
		t.Fatal(err)
	}
	// Re-tag the deployed service as the library tags its own.
	raw, status := h.api(http.MethodPatch, "/workers/scripts/"+cloudflare.DefaultStateScript+"/script-settings",
		map[string]any{"tags": []string{"cloudflare-state-store:0123"}})
	if status != http.StatusOK {
		t.Fatalf("re-tag the service: %d %s", status, raw)
	}
	before := count(h.requests(), http.MethodPut, "/workers/scripts/"+cloudflare.DefaultStateScript)
	if _, err := h.stateStore(stateToken, false).List(ctx, state.Path{"app", "test"}); err != nil {
		t.Fatal(err)
	}
	if n := count(h.requests(), http.MethodPut, "/workers/scripts/"+cloudflare.DefaultStateScript); n != before {
		t.Errorf("the foreign service was replaced (%d uploads, %d before)", n, before)
	}
	raw, _ = h.api(http.MethodGet, "/workers/scripts/"+cloudflare.DefaultStateScript+"/settings", nil)
	var settings struct {
		Tags []string `json:"tags"`
	}
	if err := json.Unmarshal(raw, &settings); err != nil || !slices.Equal(settings.Tags, []string{"cloudflare-state-store:0123"}) {
		t.Errorf("the service's tags are now %q (%v)", settings.Tags, err)
	}
}
