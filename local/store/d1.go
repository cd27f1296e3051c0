package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

// D1Database is a D1 database record; its data is a SQLite file of its own.
type D1Database struct {
	UUID            string
	AccountID       string
	Name            string
	CreatedAt       string
	Jurisdiction    string
	Location        string
	ReadReplication string // "auto" or "disabled"
	FileSize        int64
	NumTables       int
}

// CreateD1 creates an empty database; names are unique per account.
func (s *Store) CreateD1(ctx context.Context, account, name, location, jurisdiction string) (D1Database, error) {
	if strings.TrimSpace(name) == "" {
		return D1Database{}, fmt.Errorf("d1: create: %w: empty name", ErrInvalid)
	}
	db := D1Database{UUID: NewUUID(), AccountID: account, Name: name, CreatedAt: s.stamp(), Jurisdiction: jurisdiction, Location: location, ReadReplication: "disabled"}
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		taken, err := s.writer.stmt(ctx, tx, `SELECT count(*) FROM d1_databases WHERE account_id = ? AND name = ?`)
		if err != nil {
			return err
		}
		var n int
		if err := taken.QueryRowContext(ctx, account, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrExists
		}
		_, err = s.writer.exec(ctx, tx, `INSERT INTO d1_databases (uuid, account_id, name, created_at, jurisdiction, location, read_replication) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			db.UUID, account, name, db.CreatedAt, jurisdiction, location, db.ReadReplication)
		return err
	})
	if err != nil {
		return D1Database{}, fmt.Errorf("d1 %q: create: %w", name, err)
	}
	// Its file does not exist yet: the record is all there is to read back.
	return db, nil
}

const d1Cols = `uuid, account_id, name, created_at, jurisdiction, location, read_replication`

func scanD1(sc interface{ Scan(...any) error }) (D1Database, error) {
	var d D1Database
	err := sc.Scan(&d.UUID, &d.AccountID, &d.Name, &d.CreatedAt, &d.Jurisdiction, &d.Location, &d.ReadReplication)
	return d, err
}

// D1 returns one database with its current file size and table count.
func (s *Store) D1(ctx context.Context, account, id string) (D1Database, error) {
	st, err := s.prepared(ctx, `SELECT `+d1Cols+` FROM d1_databases WHERE account_id = ? AND uuid = ?`)
	if err != nil {
		return D1Database{}, fmt.Errorf("d1 %s: %w", id, err)
	}
	d, err := scanD1(st.QueryRowContext(ctx, account, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("d1 %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("d1 %s: %w", id, err)
	}
	s.d1Stats(ctx, &d)
	return d, nil
}

func (s *Store) d1Stats(ctx context.Context, d *D1Database) {
	fi, err := os.Stat(s.d1.path(d.UUID))
	if err != nil {
		// Not opened yet: an empty database. Opening it here would create
		// its file for nothing, which costs a create most of its time.
		return
	}
	d.FileSize = fi.Size()
	if conn, err := s.d1.get(d.UUID); err == nil {
		conn.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'`).Scan(&d.NumTables)
	}
}

// D1s lists an account's databases ordered by name, optionally only the one named name.
func (s *Store) D1s(ctx context.Context, account, name string) ([]D1Database, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+d1Cols+` FROM d1_databases WHERE account_id = ? AND (? = '' OR name = ?) ORDER BY name`, account, name, name)
	if err != nil {
		return nil, fmt.Errorf("d1 list: %w", err)
	}
	var out []D1Database
	for rows.Next() {
		d, err := scanD1(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("d1 list: %w", err)
		}
		out = append(out, d)
	}
	rows.Close()
	for i := range out {
		s.d1Stats(ctx, &out[i])
	}
	return out, rows.Err()
}

// SetD1ReadReplication sets the read replication mode ("auto" or "disabled").
func (s *Store) SetD1ReadReplication(ctx context.Context, account, id, mode string) (D1Database, error) {
	if mode != "auto" && mode != "disabled" {
		return D1Database{}, fmt.Errorf("d1 %s: read_replication.mode %q: %w: want auto or disabled", id, mode, ErrInvalid)
	}
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE d1_databases SET read_replication = ? WHERE account_id = ? AND uuid = ?`, mode, account, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return D1Database{}, fmt.Errorf("d1 %s: edit: %w", id, err)
	}
	return s.D1(ctx, account, id)
}

// DeleteD1 removes a database and its file.
func (s *Store) DeleteD1(ctx context.Context, account, id string) error {
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := s.writer.exec(ctx, tx, `DELETE FROM d1_databases WHERE account_id = ? AND uuid = ?`, account, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("d1 %s: delete: %w", id, err)
	}
	return s.d1.remove(id)
}

// D1Statement is one SQL text (possibly several statements) with its
// positional parameters.
type D1Statement struct {
	SQL    string
	Params []any
}

// D1Meta reports what a statement did.
type D1Meta struct {
	ChangedDB   bool
	Changes     int64
	Duration    float64 // milliseconds
	LastRowID   int64
	RowsRead    int64
	RowsWritten int64
	SizeAfter   int64
}

// D1Result is the outcome of one statement: column names and rows in order.
type D1Result struct {
	Columns []string
	Rows    [][]any
	Meta    D1Meta
}

// D1Error is a SQL error, reported to clients with its message.
type D1Error struct {
	Statement string
	Err       error
}

func (e *D1Error) Error() string { return e.Err.Error() }

var sqliteDecoration = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?:SQL logic error|constraint failed|.*?): (.*?) \(\d+\)$`)
})

// Message renders the error the way D1 reports it: "<message>: SQLITE_ERROR"
// (or SQLITE_CONSTRAINT for a constraint violation).
func (e *D1Error) Message() string {
	kind := "SQLITE_ERROR"
	if strings.Contains(e.Err.Error(), "constraint failed") {
		kind = "SQLITE_CONSTRAINT"
	}
	return SQLiteMessage(e.Err) + ": " + kind
}

// SQLiteMessage is a SQLite error without the driver's decoration:
// "no such table: x" rather than "SQL logic error: no such table: x (1)".
func SQLiteMessage(err error) string {
	msg := err.Error()
	if m := sqliteDecoration().FindStringSubmatch(msg); m != nil {
		msg = m[1]
	}
	return msg
}
func (e *D1Error) Unwrap() error { return e.Err }

// D1Exec runs statements against a database, one result per SQL statement.
// When there is more than one statement they run in one transaction: all
// apply or none (D1's batch semantics).
func (s *Store) D1Exec(ctx context.Context, account, id string, stmts []D1Statement) ([]D1Result, error) {
	if _, err := s.D1(ctx, account, id); err != nil {
		return nil, err
	}
	return s.D1ExecByID(ctx, id, stmts)
}

// D1ExecByID is D1Exec for a caller that already resolved the database
// (a Worker binding).
func (s *Store) D1ExecByID(ctx context.Context, id string, stmts []D1Statement) ([]D1Result, error) {
	db, err := s.d1.get(id)
	if err != nil {
		return nil, err
	}
	type unit struct {
		sql    string
		params []any
	}
	var units []unit
	for _, st := range stmts {
		parts := SplitSQL(st.SQL)
		if len(parts) == 0 {
			return nil, &D1Error{Statement: st.SQL, Err: errors.New("No SQL statements detected.")}
		}
		if len(parts) > 1 && len(st.Params) > 0 {
			return nil, &D1Error{Statement: st.SQL, Err: errors.New("parameters are only allowed with a single statement")}
		}
		for _, p := range parts {
			units = append(units, unit{sql: p, params: st.Params})
		}
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("d1 %s: %w", id, err)
	}
	defer conn.Close()
	multi := len(units) > 1
	if multi {
		if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
			return nil, fmt.Errorf("d1 %s: begin: %w", id, err)
		}
	}
	var results []D1Result
	for _, u := range units {
		res, err := d1Run(ctx, conn, u.sql, u.params)
		if err != nil {
			if multi {
				conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
			}
			return nil, &D1Error{Statement: u.sql, Err: err}
		}
		results = append(results, res)
	}
	if multi {
		if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
			conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
			return nil, &D1Error{Err: err}
		}
	}
	if fi, err := os.Stat(s.d1.path(id)); err == nil {
		for i := range results {
			results[i].Meta.SizeAfter = fi.Size()
		}
	}
	return results, nil
}

// ScanRows reads every row of rows, as the driver's values, and closes it.
func ScanRows(rows *sql.Rows) (cols []string, out [][]any, err error) {
	defer func() {
		if cerr := rows.Close(); err == nil {
			err = cerr
		}
	}()
	if cols, err = rows.Columns(); err != nil {
		return nil, nil, err
	}
	out = [][]any{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		out = append(out, vals)
	}
	return cols, out, rows.Err()
}

func d1Run(ctx context.Context, conn *sql.Conn, query string, params []any) (D1Result, error) {
	start := time.Now()
	var res D1Result
	var before int64
	conn.QueryRowContext(ctx, "SELECT total_changes()").Scan(&before)
	rows, err := conn.QueryContext(ctx, query, d1Params(params)...)
	if err != nil {
		return res, err
	}
	if res.Columns, res.Rows, err = ScanRows(rows); err != nil {
		return res, err
	}
	for _, vals := range res.Rows {
		for i, v := range vals {
			vals[i] = d1Value(v)
		}
	}
	var after int64
	conn.QueryRowContext(ctx, "SELECT total_changes()").Scan(&after)
	res.Meta.Changes = after - before
	conn.QueryRowContext(ctx, "SELECT last_insert_rowid()").Scan(&res.Meta.LastRowID)
	res.Meta.ChangedDB = res.Meta.Changes > 0 || isSchemaChange(query)
	res.Meta.RowsRead = int64(len(res.Rows))
	res.Meta.RowsWritten = res.Meta.Changes
	res.Meta.Duration = float64(time.Since(start).Microseconds()) / 1000
	return res, nil
}

func isSchemaChange(q string) bool {
	q = strings.ToUpper(strings.TrimSpace(q))
	for _, p := range []string{"CREATE", "DROP", "ALTER"} {
		if strings.HasPrefix(q, p) {
			return true
		}
	}
	return false
}

// d1Params turns JSON-decoded parameters into SQLite values: integral
// numbers bind as integers, booleans as 0/1.
func d1Params(params []any) []any {
	out := make([]any, len(params))
	for i, p := range params {
		switch v := p.(type) {
		case float64:
			if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
				out[i] = int64(v)
			} else {
				out[i] = v
			}
		case bool:
			if v {
				out[i] = int64(1)
			} else {
				out[i] = int64(0)
			}
		default:
			out[i] = v
		}
	}
	return out
}

// d1Value converts a scanned SQLite value to its JSON form (blobs become
// arrays of byte values, as D1 returns them).
func d1Value(v any) any {
	switch x := v.(type) {
	case []byte:
		out := make([]int, len(x))
		for i, b := range x {
			out[i] = int(b)
		}
		return out
	case time.Time:
		return x.Format(time.RFC3339Nano)
	default:
		return x
	}
}

// D1Conn returns the database handle of a D1 database for direct use by
// a Worker binding (prepared statements, sessions). The store owns it.
func (s *Store) D1Conn(id string) (*sql.DB, error) { return s.d1.get(id) }

// d1Pool keeps one handle per D1 database file, each with one connection:
// D1 runs one query at a time per database.
type d1Pool struct {
	dir string
	mu  sync.Mutex
	dbs map[string]*sql.DB
}

func newD1Pool(dir string) *d1Pool { return &d1Pool{dir: dir, dbs: map[string]*sql.DB{}} }

func (p *d1Pool) path(id string) string { return filepath.Join(p.dir, id+".sqlite") }

func (p *d1Pool) get(id string) (*sql.DB, error) {
	if !validUUID(id) {
		return nil, fmt.Errorf("d1 %s: %w", id, ErrNotFound)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if db, ok := p.dbs[id]; ok {
		return db, nil
	}
	db, err := openSQLite(p.path(id), 1, false)
	if err != nil {
		return nil, fmt.Errorf("d1 %s: %w", id, err)
	}
	p.dbs[id] = db
	return db, nil
}

func (p *d1Pool) remove(id string) error {
	p.mu.Lock()
	if db, ok := p.dbs[id]; ok {
		db.Close()
		delete(p.dbs, id)
	}
	p.mu.Unlock()
	var errs []error
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(p.path(id) + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (p *d1Pool) closeAll() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for id, db := range p.dbs {
		errs = append(errs, db.Close())
		delete(p.dbs, id)
	}
	return errors.Join(errs...)
}

func validUUID(id string) bool {
	if len(id) != 36 {
		return false
	}
	for i, c := range id {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}
