package cloudflare

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/value"
)

// d1Provider is cloudflare::D1Database. A new name replaces the database;
// primaryLocationHint and jurisdiction are fixed at creation.
type d1Provider struct{ cf *Cloudflare }

type d1Database struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

// Diff implements engine.Differ.
func (d *d1Provider) Diff(ctx context.Context, req *engine.Request) (engine.Change, error) {
	return replaceOnRename(req, "name")
}

// Create implements engine.Provider.
func (d *d1Provider) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	cl, p, name, err := d.cf.clientAndName(req, "name")
	if err != nil {
		return nil, err
	}
	if _, ok := p.get("clone"); ok {
		return nil, p.errorf("clone", "cloning a database is not supported yet; create it empty and use importFiles")
	}
	jurisdiction, _, err := p.str("jurisdiction")
	if err != nil {
		return nil, err
	}
	body := map[string]string{"name": name}
	if jurisdiction != "" && jurisdiction != "default" {
		body["jurisdiction"] = jurisdiction
	}
	if hint, ok, err := p.str("primaryLocationHint"); err != nil {
		return nil, err
	} else if ok {
		body["primary_location_hint"] = hint
	}
	path, err := cl.accountPath(ctx, "d1/database")
	if err != nil {
		return nil, wrap(req, err)
	}
	var db d1Database
	err = createOrAdopt(takeOver(req), func() error {
		_, err := cl.Call(ctx, fmt.Sprintf("create D1 database %q", name), http.MethodPost, path, body, &db)
		return err
	}, func() (bool, error) { return d.find(ctx, cl, name, &db) })
	if err != nil {
		return nil, wrap(req, err)
	}
	if err := d.setReadReplication(ctx, cl, p, db.UUID, false); err != nil {
		return nil, wrap(req, err)
	}
	if err := d.runSQL(ctx, cl, p, db.UUID); err != nil {
		return nil, wrap(req, err)
	}
	return d.output(req, p, db.UUID, name)
}

// find looks a database up by name.
func (d *d1Provider) find(ctx context.Context, cl *Client, name string, db *d1Database) (bool, error) {
	path, err := cl.accountPath(ctx, "d1/database?name="+url.QueryEscape(name))
	if err != nil {
		return false, err
	}
	var list []d1Database
	if _, err := cl.Call(ctx, fmt.Sprintf("find D1 database %q", name), http.MethodGet, path, nil, &list); err != nil {
		return false, err
	}
	for _, item := range list {
		if item.Name == name {
			*db = item
			return true, nil
		}
	}
	return false, nil
}

// setReadReplication sets the replication mode: on create only when given,
// on update always (off unless given), as the TypeScript library does.
func (d *d1Provider) setReadReplication(ctx context.Context, cl *Client, p props, id string, always bool) error {
	mode := "disabled"
	rr, ok, err := p.object("readReplication")
	if err != nil {
		return err
	}
	if ok {
		if m, ok := rr.GetString("mode"); ok {
			mode = m
		}
	} else if !always {
		return nil
	}
	path, err := cl.accountPath(ctx, "d1/database/"+id)
	if err != nil {
		return err
	}
	_, err = cl.Call(ctx, fmt.Sprintf("set read replication of D1 database %s", id), http.MethodPatch, path,
		map[string]any{"read_replication": map[string]string{"mode": mode}}, nil)
	return err
}

// runSQL applies pending migrations, then runs every import file.
func (d *d1Provider) runSQL(ctx context.Context, cl *Client, p props, id string) error {
	if dir, ok, err := p.str("migrationsDir"); err != nil {
		return err
	} else if ok {
		files, err := listSQLFiles(d.cf.resolve(dir))
		if err != nil {
			return p.errorf("migrationsDir", "%v", err)
		}
		table, _, err := p.str("migrationsTable")
		if err != nil {
			return err
		}
		if _, err := applyMigrations(ctx, cl, id, orDefault(table, DefaultMigrationsTable), files); err != nil {
			return err
		}
	}
	imports, _, err := p.array("importFiles")
	if err != nil {
		return err
	}
	for i, item := range imports {
		name := ""
		switch v := item.(type) {
		case value.String:
			name = string(v)
		case *value.Object:
			name, _ = v.GetString("id")
		}
		if name == "" {
			return p.errorf(fmt.Sprintf("importFiles[%d]", i), "must be a file path")
		}
		f, err := readSQLFile(d.cf.opts.Dir, name)
		if err != nil {
			return p.errorf(fmt.Sprintf("importFiles[%d]", i), "%v", err)
		}
		if _, err := d1Query(ctx, cl, id, f.SQL); err != nil {
			return fmt.Errorf("import %s: %w", name, err)
		}
	}
	return nil
}

// resolve makes a program path absolute against the run's directory.
func (c *Cloudflare) resolve(p string) string { return resolveIn(c.opts.Dir, p) }

// resolveIn makes p absolute against dir.
func resolveIn(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, filepath.FromSlash(p))
}

func (d *d1Provider) output(req *engine.Request, p props, id, name string) (*value.Object, error) {
	out := value.NewObject(10)
	out.Set("type", value.String("d1"))
	out.Set("id", value.String(id))
	out.Set("name", value.String(name))
	v, _ := p.get("readReplication")
	out.Set("readReplication", v)
	v, _ = p.get("primaryLocationHint")
	out.Set("primaryLocationHint", v)
	remote, err := devRemote(p)
	if err != nil {
		return nil, err
	}
	out.Set("dev", value.Obj("id", previousDevID(req.Output, "id", value.String(name)), "remote", value.Bool(remote)))
	v, _ = p.get("migrationsDir")
	out.Set("migrationsDir", v)
	table, _, _ := p.str("migrationsTable")
	out.Set("migrationsTable", value.String(orDefault(table, DefaultMigrationsTable)))
	j, _, _ := p.str("jurisdiction")
	out.Set("jurisdiction", value.String(orDefault(j, "default")))
	return out, nil
}

// Update implements engine.Provider.
func (d *d1Provider) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	cl, p, name, err := d.cf.clientAndFixedName(req, "name")
	if err != nil {
		return nil, err
	}
	for _, field := range []string{"primaryLocationHint", "jurisdiction"} {
		prev, _ := req.Output.Get(field)
		next, _ := p.get(field)
		if field == "jurisdiction" && next == nil {
			next = value.String("default")
		}
		if next != nil && prev != nil && !value.Equal(prev, next) {
			return nil, p.errorf(field, "cannot change from %s to %s after the database is created", jsonText(prev), jsonText(next))
		}
	}
	id, _ := req.Output.GetString("id")
	if id == "" {
		return d.Create(ctx, req)
	}
	if err := d.setReadReplication(ctx, cl, p, id, true); err != nil {
		return nil, wrap(req, err)
	}
	if err := d.runSQL(ctx, cl, p, id); err != nil {
		return nil, wrap(req, err)
	}
	return d.output(req, p, id, name)
}

func jsonText(v value.Value) string {
	raw, err := plainJSON(v)
	if err != nil {
		return value.TypeName(v)
	}
	return string(raw)
}

// Delete implements engine.Provider.
func (d *d1Provider) Delete(ctx context.Context, req *engine.Request) error {
	return d.cf.deleteByID(ctx, req, "id", "D1 database", "d1/database/")
}
