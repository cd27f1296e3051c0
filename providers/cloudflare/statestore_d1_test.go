package cloudflare_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/providers/cloudflare"
	"github.com/alchemy-go/alchemy/state"
	"github.com/alchemy-go/alchemy/value"
)

// d1StateStore returns a D1StateStore on the harness's Cloudflare, through
// a Cloudflare of its own (as a new run would have).
func (h *harness) d1StateStore(name string) *state.SQLStore {
	h.t.Helper()
	cf := cloudflare.New(cloudflare.Options{API: h.config()})
	s, err := cf.D1StateStore(cloudflare.D1StateStoreOptions{DatabaseName: name, Codec: state.NewCodec(h.password)})
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

// d1DB opens the local Cloudflare's SQLite file of the D1 database name.
func (h *harness) d1DB(name string) (*sql.DB, map[string]any) {
	h.t.Helper()
	for _, d := range h.list("/d1/database") {
		if d["name"] == name {
			db, err := h.srv.Store().D1Conn(d["uuid"].(string))
			if err != nil {
				h.t.Fatal(err)
			}
			return db, d
		}
	}
	h.t.Fatalf("no D1 database %q", name)
	return nil, nil
}

func queryStrings(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// The store creates its database on first use (read replication off) with
// the library's schema and migration records; records round-trip per scope
// with secrets encrypted in the rows; a second store finds the database and
// migrates nothing again.
func TestD1StateStoreRoundTrip(t *testing.T) {
	h := newHarness(t, local.Options{})
	h.password = "pw"
	ctx := context.Background()
	s := h.d1StateStore("")
	stage := state.Path{"app", "test"}

	if r, err := s.Get(ctx, stage, "a"); err != nil || r != nil {
		t.Fatalf("Get of a missing record = %v, %v", r, err)
	}
	for _, c := range []struct {
		p  state.Path
		id string
	}{{stage, "a"}, {stage, "b/c"}, {stage.Child("nested"), "a"}} {
		if err := s.Set(ctx, c.p, c.id, secretRecord(t, c.id, 1)); err != nil {
			t.Fatal(err)
		}
	}
	db, info := h.d1DB(cloudflare.DefaultStateDatabase)
	if rr, _ := info["read_replication"].(map[string]any); rr["mode"] != "disabled" {
		t.Errorf("read replication = %v", info["read_replication"])
	}
	if got := queryStrings(t, db, "SELECT id || ' ' || name FROM migrations ORDER BY id"); !slices.Equal(got,
		[]string{"00001 0000_busy_mauler.sql", "00002 0001_concerned_iceman.sql"}) {
		t.Errorf("migrations = %v", got)
	}
	if got := queryStrings(t, db, "SELECT name FROM pragma_table_info('resources')"); strings.Join(got, ",") != "id,scope,status,kind,fqn,seq,data,props,oldProps,output" {
		t.Errorf("resources columns = %v", got)
	}
	got := queryStrings(t, db, "SELECT scope || ' ' || id || ' ' || props FROM resources ORDER BY length(scope), id")
	if len(got) != 3 || !strings.HasPrefix(got[0], `["app","test"] a {"name":"a","key":{"@secret":{"version":"v1","ciphertext":`) ||
		!strings.HasPrefix(got[2], `["app","test","nested"] a `) || strings.Contains(strings.Join(got, "\n"), "hunter2") {
		t.Errorf("rows:\n%s", strings.Join(got, "\n"))
	}

	again := h.d1StateStore(cloudflare.DefaultStateDatabase)
	r, err := again.Get(ctx, stage, "b/c")
	if err != nil || r == nil || r.FQN != "app/test/b/c" || r.Seq != 1 || r.Status != state.StatusCreated {
		t.Fatalf("Get = %+v, %v", r, err)
	}
	if key, _ := r.Props.(*value.Object).Get("key"); key.(*value.Secret).Value != value.String("hunter2") {
		t.Errorf("props.key = %v", key)
	}
	if n := len(h.list("/d1/database")); n != 1 {
		t.Errorf("%d D1 databases, want 1", n)
	}
	if got := queryStrings(t, db, "SELECT name FROM migrations"); len(got) != 2 {
		t.Errorf("migrations after a second store: %v", got)
	}
	ids, err := again.List(ctx, stage)
	slices.Sort(ids)
	if err != nil || !slices.Equal(ids, []string{"a", "b/c"}) {
		t.Fatalf("List = %v, %v", ids, err)
	}
	if err := again.DeleteScope(ctx, stage); err == nil || !strings.Contains(err.Error(), `D1StateStore "alchemy-state"`) {
		t.Errorf("DeleteScope of a full scope: %v", err)
	}
	for _, id := range ids {
		if err := again.Delete(ctx, stage, id); err != nil {
			t.Fatal(err)
		}
	}
	if ids, _ := s.List(ctx, stage); len(ids) != 0 {
		t.Errorf("List after deletes = %v", ids)
	}
	if err := s.DeleteScope(ctx, stage); err != nil {
		t.Error(err)
	}
}

// A row in the library's shape, inserted through the query endpoint the
// way its store writes it, reads back with its secret; a record this store
// writes has the same columns.
func TestD1StateStoreLibraryRow(t *testing.T) {
	h := newHarness(t, local.Options{})
	h.password = "pw"
	ctx := context.Background()
	s := h.d1StateStore("team-state")
	if _, err := s.List(ctx, state.Path{"x"}); err != nil { // provisions
		t.Fatal(err)
	}
	_, info := h.d1DB("team-state")
	codec := state.NewCodec("pw")
	sealed, err := codec.Encode(value.Obj("name", value.String("n"), "key", &value.Secret{Value: value.String("hunter2")}))
	if err != nil {
		t.Fatal(err)
	}
	var props bytes.Buffer
	if err := json.Compact(&props, sealed); err != nil {
		t.Fatal(err)
	}
	raw, status := h.api(http.MethodPost, "/d1/database/"+info["uuid"].(string)+"/query", map[string]any{
		"sql": `insert into "resources" ("id", "scope", "status", "kind", "fqn", "seq", "data", "props", "oldProps", "output") values (?, ?, ?, ?, ?, ?, ?, ?, null, ?)`,
		"params": []any{"n", `["app","prod"]`, "created", "test::Thing", "app/prod/n", 3, `{"k":[1,2]}`, props.String(),
			`{"Symbol(alchemy::ResourceKind)":"test::Thing","name":"n"}`},
	})
	if status != http.StatusOK {
		t.Fatalf("insert: %d %s", status, raw)
	}
	r, err := s.Get(ctx, state.Path{"app", "prod"}, "n")
	if err != nil || r == nil {
		t.Fatalf("Get = %v, %v", r, err)
	}
	if key, _ := r.Props.(*value.Object).Get("key"); key.(*value.Secret).Value != value.String("hunter2") {
		t.Errorf("props.key = %v", key)
	}
	if r.Seq != 3 || r.OldProps != nil || r.Kind != "test::Thing" {
		t.Errorf("record = %+v", r)
	}
	out, _ := value.Marshal(r.Output, value.EncodeOptions{})
	if string(out) != `{"Symbol(alchemy::ResourceKind)":"test::Thing","name":"n"}` {
		t.Errorf("output = %s", out)
	}
	if err := s.Set(ctx, state.Path{"app", "prod"}, "n", r); err != nil {
		t.Fatal(err)
	}
	db, _ := h.d1DB("team-state")
	if got := queryStrings(t, db, `SELECT data || ' ' || props || ' ' || output FROM resources`); len(got) != 1 ||
		got[0] != `{"k":[1,2]} `+props.String()+` {"Symbol(alchemy::ResourceKind)":"test::Thing","name":"n"}` {
		t.Errorf("row written back: %v", got)
	}
}

// The stage lock is a row of the database: a second run is kept out until
// the first lets go.
func TestD1StateStoreLock(t *testing.T) {
	h := newHarness(t, local.Options{})
	ctx := context.Background()
	a, b := h.d1StateStore(""), h.d1StateStore("")
	l, err := a.Lock(ctx, "app", "prod", 0)
	if err != nil {
		t.Fatal(err)
	}
	var locked *state.LockedError
	if _, err := b.Lock(ctx, "app", "prod", 100*time.Millisecond); !errors.As(err, &locked) || locked.Holder.PID == 0 {
		t.Fatalf("second lock: %v", err)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	l, err = b.Lock(ctx, "app", "prod", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
}

// A state database left with read replication on (the run that created it
// failed before turning it off) has it turned off by the next store.
func TestD1StateStoreTurnsOffReplicationOfAnExistingDatabase(t *testing.T) {
	h := newHarness(t, local.Options{})
	h.password = "pw"
	raw, code := h.api(http.MethodPost, "/d1/database", map[string]string{"name": cloudflare.DefaultStateDatabase})
	if code != http.StatusOK {
		t.Fatalf("create: %d %s", code, raw)
	}
	var db struct {
		UUID string `json:"uuid"`
	}
	if err := json.Unmarshal(raw, &db); err != nil {
		t.Fatal(err)
	}
	if raw, code := h.api(http.MethodPatch, "/d1/database/"+db.UUID, map[string]any{"read_replication": map[string]string{"mode": "auto"}}); code != http.StatusOK {
		t.Fatalf("turn replication on: %d %s", code, raw)
	}
	s := h.d1StateStore("")
	if err := s.Set(context.Background(), state.Path{"app", "test"}, "a", secretRecord(t, "a", 1)); err != nil {
		t.Fatal(err)
	}
	_, info := h.d1DB(cloudflare.DefaultStateDatabase)
	if rr, _ := info["read_replication"].(map[string]any); rr["mode"] != "disabled" {
		t.Errorf("read replication = %v, want mode disabled", info["read_replication"])
	}
}
