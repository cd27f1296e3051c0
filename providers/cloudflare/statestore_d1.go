package cloudflare

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/alchemy-go/alchemy/state"
)

// DefaultStateDatabase is the D1 database of D1StateStore, as the
// TypeScript library names it.
const DefaultStateDatabase = "alchemy-state"

// stateMigrationsTable records the schema migrations applied to the state
// database, as the library names it (in wrangler's three-column form).
const stateMigrationsTable = "migrations"

// D1StateStoreOptions configure a D1StateStore.
type D1StateStoreOptions struct {
	// API overrides parts of the run's Cloudflare connection (the store's
	// accountId, apiToken, apiKey, email and baseUrl options).
	API Config
	// DatabaseName is the D1 database (DefaultStateDatabase when "").
	DatabaseName string
	// Codec serializes records and encrypts their secrets.
	Codec *state.Codec
}

// D1StateStore returns the TypeScript library's D1StateStore: the resources
// table of its SQL stores in a D1 database, found by name or created (read
// replication off) on first use, its schema migrated as the library does
// (the library's migration files, recorded in the "migrations" table), and
// queried through the REST raw query endpoint. Nothing is requested until
// the store is first used.
func (c *Cloudflare) D1StateStore(opts D1StateStoreOptions) (*state.SQLStore, error) {
	if opts.DatabaseName == "" {
		opts.DatabaseName = DefaultStateDatabase
	}
	if opts.Codec == nil {
		return nil, errors.New("D1StateStore: no codec")
	}
	db := &d1StateDB{cf: c, opts: opts}
	return state.NewSQLStore(fmt.Sprintf("D1StateStore %q", opts.DatabaseName), db, opts.Codec), nil
}

// d1StateDB is a state.SQLDB over a D1 database.
type d1StateDB struct {
	cf   *Cloudflare
	opts D1StateStoreOptions

	mu sync.Mutex
	cl *Client
	id string // the database's UUID once provisioned
}

// connection is the run's connection with the store's overrides laid over,
// by the same rules as CloudflareStateStore's.
func (d *d1StateDB) connection() Config {
	return (&StateStore{cf: d.cf, opts: StateStoreOptions{API: d.opts.API}}).connection()
}

// provision finds or creates the database and migrates it. A failure is
// not remembered: the next statement tries again.
func (d *d1StateDB) provision(ctx context.Context) (*Client, string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.id != "" {
		return d.cl, d.id, nil
	}
	cl, err := d.cf.clientFor(d.connection())
	if err != nil {
		return nil, "", err
	}
	name := d.opts.DatabaseName
	var db d1Database
	found, err := (&d1Provider{d.cf}).find(ctx, cl, name, &db)
	if err != nil {
		return nil, "", err
	}
	if !found {
		path, err := cl.accountPath(ctx, "d1/database")
		if err != nil {
			return nil, "", err
		}
		_, err = cl.Call(ctx, fmt.Sprintf("create D1 database %q", name), http.MethodPost, path, map[string]string{"name": name}, &db)
		if ae, ok := asAPIError(err); ok && ae.HasCode(7502) {
			// Another run created it meanwhile.
			found, err = (&d1Provider{d.cf}).find(ctx, cl, name, &db)
			if err == nil && !found {
				err = fmt.Errorf("D1 database %q exists but cannot be found by name", name)
			}
		}
		if err != nil {
			return nil, "", err
		}
		if db.UUID == "" {
			return nil, "", fmt.Errorf("create D1 database %q: the response has no uuid", name)
		}
	}
	// Replicas could answer a read with a record older than the write
	// before it. Replication is turned off on every run, not only by the
	// run that created the database: that run may have failed in between.
	path, err := cl.accountPath(ctx, "d1/database/"+db.UUID)
	if err != nil {
		return nil, "", err
	}
	if _, err := cl.Call(ctx, fmt.Sprintf("turn off read replication of D1 database %q", name), http.MethodPatch, path,
		map[string]any{"read_replication": map[string]string{"mode": "disabled"}}, nil); err != nil {
		return nil, "", err
	}
	if _, err := applyMigrations(ctx, cl, db.UUID, stateMigrationsTable, stateMigrationFiles()); err != nil {
		return nil, "", fmt.Errorf("migrate D1 database %q: %w", name, err)
	}
	d.cl, d.id = cl, db.UUID
	return cl, db.UUID, nil
}

// stateMigrationFiles are the library's schema migrations as the files of
// its migrations directory, named as it records them.
func stateMigrationFiles() []sqlFile {
	var files []sqlFile
	for _, m := range state.SQLMigrations() {
		sum := sha256.Sum256([]byte(m.SQL))
		files = append(files, sqlFile{ID: m.Name + ".sql", SQL: m.SQL, Hash: hex.EncodeToString(sum[:])})
	}
	return files
}

// d1RawResult is the result of one statement at the raw query endpoint.
type d1RawResult struct {
	Results struct {
		Columns []string `json:"columns"`
		Rows    [][]any  `json:"rows"`
	} `json:"results"`
}

// Query implements state.SQLDB: POST …/d1/database/{id}/raw {sql, params}.
// Numbers come back as float64, as JSON has them.
func (d *d1StateDB) Query(ctx context.Context, query string, args ...any) ([][]any, error) {
	cl, id, err := d.provision(ctx)
	if err != nil {
		return nil, err
	}
	path, err := cl.accountPath(ctx, "d1/database/"+id+"/raw")
	if err != nil {
		return nil, err
	}
	params := args
	if params == nil {
		params = []any{}
	}
	var res []d1RawResult
	if _, err := cl.Call(ctx, fmt.Sprintf("query D1 database %q", d.opts.DatabaseName), http.MethodPost, path,
		map[string]any{"sql": query, "params": params}, &res); err != nil {
		return nil, err
	}
	if len(res) == 0 {
		return nil, fmt.Errorf("query D1 database %q: no result", d.opts.DatabaseName)
	}
	return res[0].Results.Rows, nil
}
