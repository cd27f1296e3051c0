package state

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alchemy-go/alchemy/value"
)

func openRaw(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func secretThing(id string, seq int) *Record {
	r := NewRecord(LayoutFinal)
	r.Kind, r.ID, r.FQN, r.Seq, r.Status = "test::Thing", id, "app/dev/"+id, seq, StatusCreated
	r.Props = value.Obj("name", value.String(id), "key", &value.Secret{Value: value.String("hunter2")})
	r.Output = value.Obj("name", value.String(id), "at", value.Number(3))
	r.Data = value.Obj("n", value.Number(seq))
	return r
}

// Records go in and come back out per scope; props a later write lacks are
// cleared; a scope holding records cannot be removed; secrets never reach
// the file in plain text.
func TestSQLiteStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), ".alchemy", SQLiteFile)
	s := NewSQLiteStore(file, NewCodec("pw"))
	stage := Path{"app", "dev"}

	if r, err := s.Get(ctx, stage, "a"); err != nil || r != nil {
		t.Fatalf("Get of a missing record = %v, %v", r, err)
	}
	for _, c := range []struct {
		p  Path
		id string
	}{{stage, "a"}, {stage, "b/c"}, {stage.Child("nested"), "a"}, {Path{"app"}, "dev"}} {
		if err := s.Set(ctx, c.p, c.id, secretThing(c.id, 1)); err != nil {
			t.Fatal(err)
		}
	}
	ids, err := s.List(ctx, stage)
	slices.Sort(ids)
	if err != nil || !slices.Equal(ids, []string{"a", "b/c"}) {
		t.Fatalf("List = %v, %v", ids, err)
	}
	got, err := s.Get(ctx, stage, "b/c")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "b/c" || got.Kind != "test::Thing" || got.FQN != "app/dev/b/c" || got.Seq != 1 || got.Status != StatusCreated {
		t.Errorf("record fields = %+v", got)
	}
	sec, _ := got.Props.(*value.Object).Get("key")
	if s, ok := sec.(*value.Secret); !ok || s.Value != value.String("hunter2") {
		t.Errorf("props.key = %#v, want the secret hunter2", sec)
	}
	if n, _ := got.Data.Get("n"); n != value.Number(1) {
		t.Errorf("data.n = %v", n)
	}
	if got.OldProps != nil {
		t.Errorf("oldProps = %v, want absent", got.OldProps)
	}

	// An update in progress has oldProps; the final write has none and no props.
	upd := secretThing("a", 2)
	upd.Status = StatusUpdating
	upd.SetOldProps(value.Obj("name", value.String("old")))
	if err := s.Set(ctx, stage, "a", upd); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Get(ctx, stage, "a"); r == nil || r.OldProps == nil || r.Status != StatusUpdating || r.Seq != 2 {
		t.Fatalf("updating record = %+v", r)
	}
	final := secretThing("a", 2)
	final.Props = nil
	if err := s.Set(ctx, stage, "a", final); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Get(ctx, stage, "a"); r == nil || r.OldProps != nil || r.Props != nil || r.Status != StatusCreated {
		t.Fatalf("final record = %+v, want no props or oldProps", r)
	}

	if err := s.DeleteScope(ctx, stage); err == nil || !strings.Contains(err.Error(), "still holds 2 records") {
		t.Errorf("DeleteScope of a full scope: %v", err)
	}
	for _, id := range []string{"a", "b/c", "missing"} {
		if err := s.Delete(ctx, stage, id); err != nil {
			t.Fatal(err)
		}
	}
	if ids, _ := s.List(ctx, stage); len(ids) != 0 {
		t.Errorf("List after deletes = %v", ids)
	}
	if err := s.DeleteScope(ctx, stage); err != nil {
		t.Errorf("DeleteScope of an empty scope: %v", err)
	}
	if ids, _ := s.List(ctx, stage.Child("nested")); !slices.Equal(ids, []string{"a"}) {
		t.Errorf("the nested scope lost its record: %v", ids)
	}
	if err := s.Set(ctx, stage, "x:y", secretThing("x", 1)); err == nil {
		t.Error("an id with a colon was accepted")
	}

	// Every byte SQLite wrote: the file and its write-ahead log.
	var disk []byte
	for _, f := range []string{file, file + "-wal"} {
		b, _ := os.ReadFile(f)
		disk = append(disk, b...)
	}
	if bytes.Contains(disk, []byte("hunter2")) {
		t.Error("the secret is in the database file in plain text")
	}
	if !bytes.Contains(disk, []byte(`"@secret"`)) {
		t.Error("no encrypted secret in the database file")
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("database file mode: %v %v", fi, err)
	}
}

// The schema is the library's, with drizzle's bookkeeping: a second opener
// migrates nothing, and a file an older library version left at the first
// migration is brought up to date.
func TestSQLiteStoreSchema(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, SQLiteFile)
	for range 2 {
		s := NewSQLiteStore(file, NewCodec(""))
		if _, err := s.List(ctx, Path{"app", "dev"}); err != nil {
			t.Fatal(err)
		}
		if err := s.db.(*sqliteDB).release(); err != nil {
			t.Fatal(err)
		}
	}
	db := openRaw(t, file)
	var hashes []string
	rows, err := db.Query(`SELECT hash, created_at FROM "__drizzle_migrations" ORDER BY created_at`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var h string
		var at int64
		if err := rows.Scan(&h, &at); err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, h+"@"+strconv.FormatInt(at, 10))
	}
	rows.Close()
	// The hashes drizzle records for the library's two migration files.
	want := []string{
		"a8415f2b55bb07d174c556760332a4316446b8edcc7ae662385fc2a6e9b13136@1751858205551",
		"8cf47dc2de6c138cd5a149e1de7902ddc0fe76dfb4577325f42654178ba3ed33@1751942782611",
	}
	if !slices.Equal(hashes, want) {
		t.Errorf("__drizzle_migrations = %v, want %v", hashes, want)
	}
	if got := tableColumns(t, db, "resources"); got != "id,scope,status,kind,fqn,seq,data,props,oldProps,output" {
		t.Errorf("resources columns = %s", got)
	}
	if got := tableColumns(t, db, "scopes"); got != "" {
		t.Errorf("the scopes table is still there: %s", got)
	}
	var mode string
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v", mode, err)
	}

	// A file at the first migration: resources with a foreign key, scopes.
	old := filepath.Join(dir, "old.sqlite")
	odb := openRaw(t, old)
	m0 := SQLMigrations()[0]
	for _, stmt := range strings.Split(m0.SQL, sqlBreakpoint) {
		if _, err := odb.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	sum := sha256.Sum256([]byte(m0.SQL))
	for _, stmt := range []string{
		`CREATE TABLE "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
		`INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES ('` + hex.EncodeToString(sum[:]) + `', 1751858205551)`,
		`INSERT INTO resources VALUES ('a', '["app","dev"]', 'created', 'k', 'app/dev/a', 1, '{}', NULL, NULL, '{}')`,
	} {
		if _, err := odb.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	s := NewSQLiteStore(old, NewCodec(""))
	if r, err := s.Get(ctx, Path{"app", "dev"}, "a"); err != nil || r == nil || r.FQN != "app/dev/a" {
		t.Fatalf("record of the old file = %+v, %v", r, err)
	}
	if got := tableColumns(t, odb, "scopes"); got != "" {
		t.Errorf("the old file still has scopes: %s", got)
	}
}

func tableColumns(t *testing.T, db *sql.DB, table string) string {
	t.Helper()
	rows, err := db.Query("SELECT name FROM pragma_table_info(?)", table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	return strings.Join(cols, ",")
}

// libraryRow is the row the library's SQL stores write for a record file:
// the scope's chain as JSON and JSON.stringify of each serialized field.
type libraryRow struct {
	scope, id, status, kind, fqn string
	seq                          int64
	data, output                 string
	props, oldProps              any
}

func libraryRowOf(t *testing.T, chain Path, file []byte) libraryRow {
	t.Helper()
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(file, &fields); err != nil {
		t.Fatal(err)
	}
	str := func(k string) string {
		var s string
		if err := json.Unmarshal(fields[k], &s); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		return s
	}
	compact := func(k string) any {
		raw, ok := fields[k]
		if !ok {
			return nil
		}
		var b bytes.Buffer
		if err := json.Compact(&b, raw); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	var seq int64
	if err := json.Unmarshal(fields["seq"], &seq); err != nil {
		t.Fatal(err)
	}
	chainJSON, _ := json.Marshal([]string(chain))
	return libraryRow{scope: string(chainJSON), id: str("id"), status: str("status"), kind: str("kind"), fqn: str("fqn"),
		seq: seq, data: compact("data").(string), output: compact("output").(string), props: compact("props"), oldProps: compact("oldProps")}
}

// Rows in the library's exact shape, made from record files the library
// wrote (with encrypted secrets), read back as the files read; and the rows
// this store writes for those records are the library's rows byte for byte.
func TestSQLiteStoreLibraryRows(t *testing.T) {
	ctx := context.Background()
	codec := NewCodec(fixturePassword)
	files := NewFileStore(filepath.Join(fixtureDir), codec)
	cases := []struct {
		chain Path
		id    string
	}{
		{Path{"fixture-app", "prod"}, "api"},
		{Path{"fixture-app", "prod", "backend"}, "inner"},
		{Path{"fixture-app", "prod"}, "backend"},
	}
	file := filepath.Join(t.TempDir(), SQLiteFile)
	s := NewSQLiteStore(file, codec)
	if _, err := s.List(ctx, Path{"x"}); err != nil { // creates the schema
		t.Fatal(err)
	}
	db := openRaw(t, file)
	insert := func(r libraryRow) {
		t.Helper()
		if _, err := db.Exec(`INSERT INTO resources (id, scope, status, kind, fqn, seq, data, props, oldProps, output) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.id, r.scope, r.status, r.kind, r.fqn, r.seq, r.data, r.props, r.oldProps, r.output); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range cases {
		path, _ := files.File(c.chain, c.id)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		row := libraryRowOf(t, c.chain, data)
		insert(row)
		want, err := files.Get(ctx, c.chain, c.id)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, c.chain, c.id)
		if err != nil || got == nil {
			t.Fatalf("%s: %v %v", c.chain.Child(c.id), got, err)
		}
		for _, field := range []string{FieldProps, FieldOutput, FieldData, FieldOldProps} {
			a, b := fieldJSON(t, codec, want, field), fieldJSON(t, codec, got, field)
			if a != b {
				t.Errorf("%s %s:\n got %s\nwant %s", c.chain.Child(c.id), field, b, a)
			}
		}
		if got.Kind != want.Kind || got.FQN != want.FQN || got.Seq != want.Seq || got.Status != want.Status {
			t.Errorf("%s: %+v, want %+v", c.chain.Child(c.id), got, want)
		}

		// Written back, the row is the library's row again.
		if _, err := db.Exec(`DELETE FROM resources`); err != nil {
			t.Fatal(err)
		}
		if err := s.Set(ctx, c.chain, c.id, got); err != nil {
			t.Fatal(err)
		}
		var back libraryRow
		if err := db.QueryRow(`SELECT scope, id, status, kind, fqn, seq, data, props, oldProps, output FROM resources`).Scan(
			&back.scope, &back.id, &back.status, &back.kind, &back.fqn, &back.seq, &back.data, &back.props, &back.oldProps, &back.output); err != nil {
			t.Fatal(err)
		}
		if props, _ := back.props.(string); strings.Contains(props, "s3cr3t-token") || strings.Contains(props, "hush-hush") ||
			(c.id != "backend" && !strings.Contains(props, `"@secret"`)) {
			t.Errorf("%s: props column %s", c.chain.Child(c.id), props)
		}
		if back != row {
			t.Errorf("%s: written row\n%+v\nwant the library's\n%+v", c.chain.Child(c.id), back, row)
		}
	}
}

// fieldJSON is the serialized JSON of one field of a record ("" when
// absent).
func fieldJSON(t *testing.T, c *Codec, r *Record, field string) string {
	t.Helper()
	var v value.Value
	switch field {
	case FieldData:
		v = r.Data
	case FieldOldProps:
		v = r.OldProps
	default:
		v = recordField(r, field)
	}
	if v == nil {
		return ""
	}
	b, err := c.Encode(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// A stage lock keeps a second run out and names its holder; it is taken
// over from a dead process of this host and from a holder whose lease ran
// out, and released for the next run.
func TestSQLiteStoreLock(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), SQLiteFile)
	a := NewSQLiteStore(file, NewCodec(""))
	b := NewSQLiteStore(file, NewCodec(""))
	l, err := a.Lock(ctx, "app", "dev", 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Lock(ctx, "app", "dev", 300*time.Millisecond)
	var locked *LockedError
	if !errors.As(err, &locked) || locked.Holder.PID != os.Getpid() {
		t.Fatalf("second lock: %v", err)
	}
	other, err := b.Lock(ctx, "app", "prod", 0)
	if err != nil {
		t.Fatalf("another stage: %v", err)
	}
	if err := other.Unlock(); err != nil {
		t.Fatal(err)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	l2, err := b.Lock(ctx, "app", "dev", 0)
	if err != nil || l2.TookOver != nil {
		t.Fatalf("lock after release: %v %v", l2, err)
	}
	if err := l2.Unlock(); err != nil {
		t.Fatal(err)
	}

	// A process that has exited, on this host.
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	db := openRaw(t, file)
	far := time.Now().Add(time.Hour).UnixMilli()
	for _, c := range []struct {
		name    string
		holder  Holder
		expires int64
	}{
		{"dead process", Holder{PID: cmd.ProcessState.Pid(), Host: host, Started: time.Now().UTC()}, far},
		{"lease ran out", Holder{PID: 1, Host: "elsewhere", Started: time.Now().UTC()}, time.Now().Add(-time.Second).UnixMilli()},
	} {
		hj, _ := json.Marshal(c.holder)
		if _, err := db.Exec(`INSERT OR REPLACE INTO alchemy_stage_locks VALUES ('app', 'dev', ?, ?)`, string(hj), c.expires); err != nil {
			t.Fatal(err)
		}
		l, err := a.Lock(ctx, "app", "dev", 0)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if l.TookOver == nil || l.TookOver.PID != c.holder.PID {
			t.Errorf("%s: TookOver = %v", c.name, l.TookOver)
		}
		if err := l.Unlock(); err != nil {
			t.Fatal(err)
		}
	}
	// A live holder elsewhere keeps the stage.
	hj, _ := json.Marshal(Holder{PID: 1, Host: "elsewhere", Started: time.Now().UTC()})
	if _, err := db.Exec(`INSERT INTO alchemy_stage_locks VALUES ('app', 'dev', ?, ?)`, string(hj), far); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Lock(ctx, "app", "dev", 0); !errors.As(err, &locked) || locked.Holder.Host != "elsewhere" {
		t.Errorf("lock held elsewhere: %v", err)
	}
}

// Two stores on one file write at once (two runs of different stages):
// WAL and the busy timeout keep every write.
func TestSQLiteStoreConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), SQLiteFile)
	stores := []*SQLStore{NewSQLiteStore(file, NewCodec("pw")), NewSQLiteStore(file, NewCodec("pw"))}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i, s := range stores {
		for j := range 25 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id := fmt.Sprintf("%c%d", 'a'+i, j)
				errs <- s.Set(ctx, Path{"app", "dev"}, id, secretThing(id, j))
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	ids, err := stores[0].List(ctx, Path{"app", "dev"})
	if err != nil || len(ids) != 50 {
		t.Errorf("List = %d ids, %v", len(ids), err)
	}
}
