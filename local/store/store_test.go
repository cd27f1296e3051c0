package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func open(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSplitSQL(t *testing.T) {
	for _, c := range []struct {
		name string
		in   string
		want []string
	}{
		{"one", "SELECT 1", []string{"SELECT 1"}},
		{"two", "CREATE TABLE t (x); INSERT INTO t VALUES (1);", []string{"CREATE TABLE t (x)", "INSERT INTO t VALUES (1)"}},
		{"quoted semicolons", `INSERT INTO t VALUES ('a;b', "c;d", [e;f], ` + "`g;h`" + `); SELECT 2`, []string{`INSERT INTO t VALUES ('a;b', "c;d", [e;f], ` + "`g;h`" + `)`, "SELECT 2"}},
		{"escaped quote", `SELECT 'it''s; fine'; SELECT 3`, []string{`SELECT 'it''s; fine'`, "SELECT 3"}},
		{"comments", "-- first; not a split\nSELECT 1; /* a; b */ SELECT 2; -- trailing", []string{"-- first; not a split\nSELECT 1", "/* a; b */ SELECT 2"}},
		{"trigger body", "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET x = 1; DELETE FROM u; END; SELECT 1",
			[]string{"CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET x = 1; DELETE FROM u; END", "SELECT 1"}},
		{"temp trigger", "CREATE TEMP TRIGGER tr BEFORE DELETE ON t BEGIN SELECT 1; END;", []string{"CREATE TEMP TRIGGER tr BEFORE DELETE ON t BEGIN SELECT 1; END"}},
		{"empty", " ; ;; -- nothing\n", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := SplitSQL(c.in); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("SplitSQL(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestRouteMatches(t *testing.T) {
	for _, c := range []struct {
		pattern, host, path string
		want                bool
	}{
		{"example.com/*", "example.com", "/", true},
		{"example.com/*", "example.com", "/a/b", true},
		{"example.com/api/*", "example.com", "/api/x", true},
		{"example.com/api/*", "example.com", "/web", false},
		{"example.com/exact", "example.com", "/exact", true},
		{"example.com/exact", "example.com", "/exact/more", false},
		{"*.example.com/*", "a.example.com", "/", true},
		{"*example.com/*", "example.com", "/", true},
		{"*.example.com/*", "example.org", "/", false},
		{"https://Example.com/*", "example.com", "/x", true},
		{"example.com/*", "www.example.com", "/", false},
	} {
		if got := RouteMatches(c.pattern, c.host, c.path); got != c.want {
			t.Errorf("RouteMatches(%q, %q, %q) = %v, want %v", c.pattern, c.host, c.path, got, c.want)
		}
	}
}

func TestKVExpirationAndListing(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	now := time.Unix(1_700_000_000, 0)
	s.now = func() time.Time { return now }
	ns, err := s.CreateKVNamespace(ctx, "acct", "ns")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		if err := s.KVPut(ctx, ns.ID, KVEntry{Key: fmt.Sprintf("k%02d", i), Value: []byte("v")}); err != nil {
			t.Fatal(err)
		}
	}
	s.KVPut(ctx, ns.ID, KVEntry{Key: "temp", Value: []byte("x"), Expiration: now.Unix() + 60, Metadata: json.RawMessage(`{"m":true}`)})
	if e, err := s.KVGet(ctx, ns.ID, "temp"); err != nil || string(e.Metadata) != `{"m":true}` {
		t.Fatalf("before expiry: %+v, %v", e, err)
	}
	now = now.Add(61 * time.Second)
	if _, err := s.KVGet(ctx, ns.ID, "temp"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after expiry: %v", err)
	}
	var all []string
	cursor := ""
	for {
		keys, next, err := s.KVList(ctx, ns.ID, KVListOptions{Prefix: "k", Cursor: cursor, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			all = append(all, k.Name)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if len(all) != 12 || all[0] != "k00" || all[11] != "k11" {
		t.Fatalf("listed %v", all)
	}
	if _, err := s.CreateKVNamespace(ctx, "acct", "ns"); !errors.Is(err, ErrExists) {
		t.Fatalf("duplicate title: %v", err)
	}
	if _, err := s.CreateKVNamespace(ctx, "other", "ns"); err != nil {
		t.Fatalf("same title in another account: %v", err)
	}
}

func TestR2ObjectsAreFiles(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	if _, err := s.CreateBucket(ctx, Bucket{AccountID: "a", Name: "bk1"}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"a.txt", "dir/x", "dir/y", "dir/sub/z", "e.txt"} {
		if _, err := s.PutObject(ctx, "a", "bk1", k, strings.NewReader("data of "+k), PutOptions{CustomMetadata: map[string]string{"k": k}}); err != nil {
			t.Fatal(err)
		}
	}
	// Replacing an object swaps its file and removes the old one.
	first, _ := s.HeadObject(ctx, "a", "bk1", "a.txt")
	second, err := s.PutObject(ctx, "a", "bk1", "a.txt", strings.NewReader("new"), PutOptions{})
	if err != nil || second.Size != 3 || second.ETag == first.ETag {
		t.Fatalf("replace = %+v, %v", second, err)
	}
	if _, err := os.Stat(s.blobPath(first.blob)); !os.IsNotExist(err) {
		t.Fatalf("old blob still there: %v", err)
	}
	_, f, err := s.GetObject(ctx, "a", "bk1", "a.txt")
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 8)
	n, _ := f.Read(buf)
	f.Close()
	if string(buf[:n]) != "new" {
		t.Fatalf("body = %q", buf[:n])
	}

	for _, c := range []struct {
		name     string
		opt      ListObjectsOptions
		keys     []string
		prefixes []string
	}{
		{"all", ListObjectsOptions{}, []string{"a.txt", "dir/sub/z", "dir/x", "dir/y", "e.txt"}, nil},
		{"delimiter", ListObjectsOptions{Delimiter: "/"}, []string{"a.txt", "e.txt"}, []string{"dir/"}},
		{"prefix and delimiter", ListObjectsOptions{Prefix: "dir/", Delimiter: "/"}, []string{"dir/x", "dir/y"}, []string{"dir/sub/"}},
		{"start after", ListObjectsOptions{StartAfter: "dir/x"}, []string{"dir/y", "e.txt"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			l, err := s.ListObjects(ctx, "a", "bk1", c.opt)
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, o := range l.Objects {
				keys = append(keys, o.Key)
			}
			if !reflect.DeepEqual(keys, c.keys) || !reflect.DeepEqual(l.DelimitedPrefixes, c.prefixes) {
				t.Fatalf("keys %v prefixes %v", keys, l.DelimitedPrefixes)
			}
		})
	}
	page, err := s.ListObjects(ctx, "a", "bk1", ListObjectsOptions{Limit: 2})
	if err != nil || !page.Truncated || len(page.Objects) != 2 {
		t.Fatalf("page = %+v, %v", page, err)
	}
	rest, err := s.ListObjects(ctx, "a", "bk1", ListObjectsOptions{Limit: 10, Cursor: page.Cursor})
	if err != nil || rest.Truncated || len(rest.Objects) != 3 || rest.Objects[0].Key != "dir/x" {
		t.Fatalf("rest = %+v, %v", rest, err)
	}

	if err := s.DeleteBucket(ctx, "a", "bk1"); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("delete non-empty: %v", err)
	}
	s.DeleteObjects(ctx, "a", "bk1", "a.txt", "dir/x", "dir/y", "dir/sub/z", "e.txt")
	if err := s.DeleteBucket(ctx, "a", "bk1"); err != nil {
		t.Fatal(err)
	}
	left, _ := filepath.Glob(filepath.Join(s.dir, "r2", "*", "*"))
	if len(left) != 0 {
		t.Fatalf("blob files left: %v", left)
	}
}

func TestMigrations(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	mod := []Module{{Name: "m.js", ContentType: "application/javascript+module", Content: []byte("export default {}")}}
	put := func(name string, m *Migrations) error {
		_, err := s.PutScript(ctx, "a", name, ScriptUpload{MainModule: "m.js", Modules: mod, Migrations: m})
		return err
	}
	if err := put("w", &Migrations{NewTag: "v1", MigrationStep: MigrationStep{NewClasses: []string{"A", "B"}}}); err != nil {
		t.Fatal(err)
	}
	var tagErr *MigrationTagError
	if err := put("w", &Migrations{NewTag: "v2"}); !errors.As(err, &tagErr) || tagErr.Current != "v1" {
		t.Fatalf("missing old_tag: %v", err)
	}
	if err := put("w", &Migrations{OldTag: "v1", NewTag: "v2", Steps: []MigrationStep{
		{DeletedClasses: []string{"B"}}, {RenamedClasses: []RenamedClass{{From: "A", To: "C"}}}}}); err != nil {
		t.Fatal(err)
	}
	var be *BindingError
	if err := put("w", &Migrations{OldTag: "v2", NewTag: "v3", MigrationStep: MigrationStep{DeletedClasses: []string{"Nope"}}}); !errors.As(err, &be) {
		t.Fatalf("deleting an unknown class: %v", err)
	}
	ns, _ := s.DONamespaces(ctx, "a")
	if len(ns) != 1 || ns[0].Class != "C" || ns[0].Name() != "w_C" {
		t.Fatalf("namespaces = %+v", ns)
	}
	sc, _ := s.ScriptSummary(ctx, "a", "w")
	if sc.MigrationTag != "v2" {
		t.Fatalf("tag = %q, failed migrations must not move it", sc.MigrationTag)
	}
}

func TestMergeBindings(t *testing.T) {
	prev := []Binding{
		{"name": "S", "type": "secret_text", "text": "old"},
		{"name": "K", "type": "kv_namespace", "namespace_id": "n1"},
		{"name": "T", "type": "plain_text", "text": "t"},
	}
	got := MergeBindings(prev, []Binding{
		{"name": "S", "type": "secret_text"},               // no value: keep
		{"name": "K2", "type": "inherit", "old_name": "K"}, // copy under a new name
		{"name": "GONE", "type": "inherit"},                // nothing to inherit: dropped
	}, []string{"plain_text"})
	want := []Binding{
		{"name": "S", "type": "secret_text", "text": "old"},
		{"name": "K2", "type": "kv_namespace", "namespace_id": "n1"},
		{"name": "T", "type": "plain_text", "text": "t"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("merged = %v", got)
	}
}

func TestSecretsAreSealedOnDisk(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	_, err := s.PutScript(ctx, "a", "w", ScriptUpload{MainModule: "m.js", Modules: []Module{{Name: "m.js", Content: []byte("x")}},
		Settings: ScriptSettings{Bindings: []Binding{{"name": "K", "type": "secret_text", "text": "plain-secret-value"}}}})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, f := range []string{"control.db", "control.db-wal"} {
		data, _ := os.ReadFile(filepath.Join(s.dir, f))
		if strings.Contains(string(data), "plain-secret-value") {
			t.Fatalf("%s holds the secret in plain text", f)
		}
	}
	s2, err := Open(ctx, s.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	sc, err := s2.Script(ctx, "a", "w")
	if err != nil || sc.Settings.Bindings[0].Str("text") != "plain-secret-value" {
		t.Fatalf("reopened = %+v, %v", sc, err)
	}
}

func TestD1Values(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	db, err := s.CreateD1(ctx, "a", "db", "", "")
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.D1Exec(ctx, "a", db.UUID, []D1Statement{
		{SQL: "CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n)"},
		{SQL: "INSERT INTO t VALUES (?, ?, ?, x'0102', ?)", Params: []any{float64(7), 1.5, "str", nil}},
		{SQL: "SELECT i, r, s, b, n, i AS i FROM t"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res[1].Meta.Changes != 1 || res[1].Meta.LastRowID != 1 || res[1].Meta.RowsWritten != 1 {
		t.Fatalf("insert meta = %+v", res[1].Meta)
	}
	row := res[2].Rows[0]
	if row[0] != int64(7) || row[1] != 1.5 || row[2] != "str" || !reflect.DeepEqual(row[3], []int{1, 2}) || row[4] != nil {
		t.Fatalf("row = %#v", row)
	}
	if _, err := s.D1Exec(ctx, "a", db.UUID, []D1Statement{{SQL: "SELECT 1; SELECT ?", Params: []any{"x"}}}); err == nil {
		t.Fatal("parameters with several statements were accepted")
	}
	if err := s.DeleteD1(ctx, "a", db.UUID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.dir, "d1", db.UUID+".sqlite")); !os.IsNotExist(err) {
		t.Fatalf("database file left: %v", err)
	}
}
