package jsapi_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/jsapi"
	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/local/worker"
	"github.com/alchemy-go/alchemy/providers/cloudflare"
)

// sqlStoreProgram deploys a file, a resource with a secret and a nested
// scope into the store the stateStore expression makes.
func sqlStoreProgram(imports, store string) string {
	return `
import alchemy from "alchemy";
import { File } from "alchemy/fs";
import { Resource } from "alchemy";
import { ` + imports + ` } from "alchemy/state";
const Note = Resource("t::Note", async function (this: any, id: string, props: { key: unknown }) {
  if (this.phase === "delete") return this.destroy();
  return this({ key: props.key });
});
const app = await alchemy("app", { stateStore: (scope) => ` + store + ` });
await File("f", { path: "f.txt", content: "x" });
await Note("note", { key: alchemy.secret("sesame-v") });
await alchemy.run("inner", async () => {
  await File("g", { path: "g.txt", content: "y" });
});
await app.finalize();
`
}

// rows lists "scope id" of every record in a state database.
func rows(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rs, err := db.Query("SELECT scope || ' ' || id FROM resources ORDER BY length(scope), id")
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		var s string
		if err := rs.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func rawColumn(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	var s sql.NullString
	if err := db.QueryRow(q).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s.String
}

// checkSQLStoreLifecycle runs the program three times (deploy, no-op,
// destroy) and checks the rows of the store's database after each.
func checkSQLStoreLifecycle(t *testing.T, p *project, cf *cloudflare.Config, env []string, open func() *sql.DB) {
	t.Helper()
	d := jsapi.Defaults{Password: "pw"}
	o := p.runWithStateCF(d, cf, env)
	if !strings.Contains(o.lines, "[created]") {
		t.Errorf("first run:\n%s", o.lines)
	}
	db := open()
	want := `["app","dev"] f
["app","dev"] inner
["app","dev"] note
["app","dev","inner"] g`
	if got := strings.Join(rows(t, db), "\n"); got != want {
		t.Errorf("rows after deploy:\n%s\nwant\n%s", got, want)
	}
	props := rawColumn(t, db, `SELECT props FROM resources WHERE scope = '["app","dev"]' AND id = 'note'`)
	if strings.Contains(props, "sesame-v") || !strings.Contains(props, `{"key":{"@secret":{"version":"v1"`) {
		t.Errorf("props of the note: %s", props)
	}
	if n := rawColumn(t, db, `SELECT count(*) FROM alchemy_stage_locks`); n != "0" {
		t.Errorf("%s stage locks left after the run", n)
	}

	o = p.runWithStateCF(d, cf, env)
	if strings.Contains(o.lines, "[created]") || strings.Contains(o.lines, "[updated]") || !strings.Contains(o.lines, "[skipped]") {
		t.Errorf("second run changed something:\n%s", o.lines)
	}

	d.Phase = engine.PhaseDestroy
	o = p.runWithState("alchemy.run.ts", d, cf, env...)
	if o.failed || (o.Err != nil && !strings.Contains(o.Err.Error(), "exit status 0")) || !strings.Contains(o.lines, "[deleted]") {
		t.Errorf("destroy: %s\n%s", errText(o), o.lines)
	}
	if got := rows(t, db); len(got) != 0 {
		t.Errorf("rows after destroy: %v", got)
	}
	for _, f := range []string{"f.txt", "g.txt"} {
		if _, err := os.Stat(filepath.Join(p.dir, f)); !os.IsNotExist(err) {
			t.Errorf("%s after destroy: %v", f, err)
		}
	}
}

// A program with SQLiteStateStore keeps its state in .alchemy/state.sqlite:
// deploy, a run that changes nothing and destroy, which empties the table.
// No record file is written.
func TestSQLiteStateStoreProgram(t *testing.T) {
	p := newProject(t, map[string]string{"alchemy.run.ts": sqlStoreProgram("SQLiteStateStore", "new SQLiteStateStore(scope)")})
	checkSQLStoreLifecycle(t, p, nil, []string{"CI=true"}, func() *sql.DB {
		file := filepath.Join(p.dir, ".alchemy", "state.sqlite")
		db, err := sql.Open("sqlite", file+"?_pragma=busy_timeout(5000)")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
	if _, err := os.Stat(filepath.Join(p.dir, ".alchemy", "app")); !os.IsNotExist(err) {
		t.Errorf(".alchemy/app: %v", err)
	}
}

// SQLiteStateStore's filename is taken from the program's directory, and
// ALCHEMY_STATE_FILE applies when there is none.
func TestSQLiteStateStoreFile(t *testing.T) {
	for _, c := range []struct {
		name, store string
		env         []string
		want        string
	}{
		{"filename", `new SQLiteStateStore(scope, { filename: "db/st.sqlite" })`, nil, "db/st.sqlite"},
		{"url", `new SQLiteStateStore(scope, { engine: "libsql", url: "file:u.sqlite" })`, nil, "u.sqlite"},
		{"env", `new SQLiteStateStore(scope)`, []string{"ALCHEMY_STATE_FILE=env.sqlite"}, "env.sqlite"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := newProject(t, map[string]string{"alchemy.run.ts": sqlStoreProgram("SQLiteStateStore", c.store)})
			p.mustRunWithState("alchemy.run.ts", jsapi.Defaults{Password: "pw"}, c.env...)
			if _, err := os.Stat(filepath.Join(p.dir, c.want)); err != nil {
				t.Error(err)
			}
			if _, err := os.Stat(filepath.Join(p.dir, ".alchemy", "state.sqlite")); !os.IsNotExist(err) {
				t.Errorf(".alchemy/state.sqlite: %v", err)
			}
		})
	}
}

// A program with D1StateStore keeps its state in the account's
// alchemy-state D1 database, created on the first run; nothing is written
// under .alchemy.
func TestD1StateStoreProgram(t *testing.T) {
	srv, err := local.Start(context.Background(), local.Options{Token: "cf-token", Host: worker.New(worker.Options{})})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cf := &cloudflare.Config{BaseURL: srv.APIBaseURL(), APIToken: "cf-token"}
	p := newProject(t, map[string]string{"alchemy.run.ts": sqlStoreProgram("D1StateStore", "new D1StateStore(scope)")})
	checkSQLStoreLifecycle(t, p, cf, []string{"CI=true"}, func() *sql.DB {
		dbs, err := srv.Store().D1s(context.Background(), srv.AccountID(), cloudflare.DefaultStateDatabase)
		if err != nil || len(dbs) != 1 {
			t.Fatalf("D1 databases named %s: %v %v", cloudflare.DefaultStateDatabase, dbs, err)
		}
		db, err := srv.Store().D1Conn(dbs[0].UUID)
		if err != nil {
			t.Fatal(err)
		}
		return db
	})
	if _, err := os.Stat(filepath.Join(p.dir, ".alchemy")); err == nil {
		t.Errorf("state was written under .alchemy")
	}
}
