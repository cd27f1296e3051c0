package state

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// SQLiteFile is the file name of the SQLite state database in the .alchemy
// directory, as the TypeScript library names it.
const SQLiteFile = "state.sqlite"

// sqliteBusyTimeout is how long a statement waits for another connection's
// write, in milliseconds (the library's busy_timeout).
const sqliteBusyTimeout = 5000

// NewSQLiteStore returns the TypeScript library's SQLiteStateStore: the
// resources table in the SQLite file at path, in WAL mode, migrated with
// drizzle's bookkeeping (__drizzle_migrations) so that either can open the
// other's file. The file and its directory are created on first use.
func NewSQLiteStore(path string, codec *Codec) *SQLStore {
	return NewSQLStore("SQLiteStateStore", &sqliteDB{path: path}, codec)
}

// sqliteDB is a SQLDB over a local file, opened on first use.
type sqliteDB struct {
	path string

	mu sync.RWMutex
	db *sql.DB
}

func (d *sqliteDB) Query(ctx context.Context, query string, args ...any) ([][]any, error) {
	d.mu.RLock()
	db := d.db
	if db == nil {
		d.mu.RUnlock()
		if err := d.open(ctx); err != nil {
			return nil, err
		}
		d.mu.RLock()
		db = d.db
	}
	defer d.mu.RUnlock()
	if db == nil {
		return nil, errors.New("database closed while opening it")
	}
	return queryRows(ctx, db, query, args...)
}

// release closes the database; the next statement opens it again.
func (d *sqliteDB) release() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.db == nil {
		return nil
	}
	err := d.db.Close()
	d.db = nil
	return err
}

func (d *sqliteDB) open(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.db != nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(d.path), 0o700); err != nil {
		return fmt.Errorf("open %s: %w", d.path, err)
	}
	// Create the file private before SQLite opens it: it holds encrypted
	// secrets and everything else in plain text.
	if f, err := os.OpenFile(d.path, os.O_RDWR|os.O_CREATE, 0o600); err == nil {
		f.Close()
	}
	dsn := fmt.Sprintf("%s?_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)", d.path, sqliteBusyTimeout)
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("open %s: %w", d.path, err)
	}
	if err := migrateSQLite(ctx, db); err != nil {
		db.Close()
		return fmt.Errorf("open %s: %w", d.path, err)
	}
	d.db = db
	return nil
}

// migrateSQLite applies the migrations drizzle has not recorded, as
// drizzle's SQLite migrator does: a migration runs when the newest
// created_at is older than its journal time, statement by statement, and
// is recorded with the SHA-256 of its text. The check and the migrations
// share one write transaction, so concurrent openers migrate once.
func migrateSQLite(ctx context.Context, db *sql.DB) (err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (
	id SERIAL PRIMARY KEY,
	hash text NOT NULL,
	created_at numeric
)`); err != nil {
		return fmt.Errorf("create __drizzle_migrations: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer func() {
		if err != nil {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
			return
		}
		if _, cerr := conn.ExecContext(ctx, "COMMIT"); cerr != nil {
			err = fmt.Errorf("migrate: %w", cerr)
		}
	}()
	var last sql.NullFloat64
	err = conn.QueryRowContext(ctx, `SELECT created_at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1`).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read __drizzle_migrations: %w", err)
	}
	hasLast := err == nil && last.Valid
	for _, m := range SQLMigrations() {
		if hasLast && int64(last.Float64) >= m.When {
			continue
		}
		for _, stmt := range strings.Split(m.SQL, sqlBreakpoint) {
			if strings.TrimSpace(stmt) == "" {
				continue
			}
			if _, err := conn.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
		}
		sum := sha256.Sum256([]byte(m.SQL))
		if _, err := conn.ExecContext(ctx, `INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (?, ?)`,
			hex.EncodeToString(sum[:]), m.When); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// queryRows runs a statement and reads every row.
func queryRows(ctx context.Context, db *sql.DB, query string, args ...any) ([][]any, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]any
	for rows.Next() {
		row := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, rows.Err()
}
