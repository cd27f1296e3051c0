// Package store is the on-disk storage of the local Cloudflare: control-plane
// records (accounts, zones, scripts, namespaces, buckets, databases, queues),
// KV entries, R2 objects and D1 databases.
//
// The REST handlers and the Worker runtime's bindings both use this package,
// so the two always see the same data. It knows nothing about HTTP.
//
// Layout of a data directory:
//
//	control.db        one SQLite database for every record and KV entry
//	secret.key        key sealing secret bindings at rest
//	r2/<blob id>      R2 object bodies, one file each
//	d1/<uuid>.sqlite  one SQLite file per D1 database
//	do/<namespace>/<object>.sqlite  one SQLite file per Durable Object
package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Sentinel errors. Store methods wrap them with the resource and its id, so
// callers test with errors.Is and show err.Error() to people.
var (
	ErrNotFound     = errors.New("not found")
	ErrExists       = errors.New("already exists")
	ErrNotEmpty     = errors.New("not empty")
	ErrInvalid      = errors.New("invalid")
	ErrPrecondition = errors.New("precondition failed")
)

// Store is one data directory. It is safe for concurrent use.
type Store struct {
	dir    string
	w      *sql.DB // the one writer connection; every transaction goes here
	writer *writer // runs the transactions on w, batching concurrent ones
	r      *sql.DB // readers (WAL lets them run beside the writer)
	sealer *sealer
	d1     *d1Pool
	events *eventBus
	now    func() time.Time

	r2mu sync.Mutex // serialises blob replacement of the same object

	// gen counts committed changes of control-plane records; data-plane
	// writes (KV entries, R2 objects, queue messages) leave it alone.
	gen atomic.Uint64
	// stmts are prepared statements of the hottest reads, by query.
	stmts sync.Map
}

// Open opens (creating if needed) the data directory dir.
func Open(ctx context.Context, dir string) (*Store, error) {
	for _, sub := range []string{"", "r2", "r2/tmp", "d1"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			return nil, fmt.Errorf("store %s: %w", dir, err)
		}
	}
	path := filepath.Join(dir, "control.db")
	w, err := openSQLite(path, 1, true)
	if err != nil {
		return nil, err
	}
	r, err := openSQLite(path, 4, false)
	if err != nil {
		w.Close()
		return nil, err
	}
	s := &Store{dir: dir, w: w, r: r, d1: newD1Pool(filepath.Join(dir, "d1")), events: &eventBus{}, now: func() time.Time { return time.Now().UTC() }}
	s.writer = newWriter(w, &s.gen)
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if s.sealer, err = loadSealer(filepath.Join(dir, "secret.key")); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// openSQLite opens a database file with WAL, a busy timeout and immediate
// transactions (so two writers never deadlock on a lock upgrade).
func openSQLite(path string, conns int, writer bool) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	if writer {
		q.Set("_txlock", "immediate")
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxLifetime(0)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// Dir is the data directory.
func (s *Store) Dir() string { return s.dir }

// Close closes every database. Pending readers of R2 bodies keep their files.
func (s *Store) Close() error {
	var errs []error
	if s.writer != nil {
		s.writer.close() // after the transaction in progress
	}
	s.stmts.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
	if s.d1 != nil {
		errs = append(errs, s.d1.closeAll())
	}
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		errs = append(errs, s.w.Close())
	}
	return errors.Join(errs...)
}

// Generation changes whenever a control-plane record (a script, route,
// custom domain, zone, subdomain, namespace, …) changes, so that callers can
// cache what they derive from them (the Server caches Worker routing).
func (s *Store) Generation() uint64 { return s.gen.Load() }

// tx runs fn in one write transaction of control-plane records. fn runs on
// the writer's goroutine with a context that carries ctx's values but is
// never cancelled (see writer.do); it must do its I/O through tx with that
// context.
func (s *Store) tx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return s.writer.do(ctx, true, fn)
}

// dataTx runs fn in one write transaction of data (KV entries, R2 objects,
// queue messages), which do not change the Generation.
func (s *Store) dataTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return s.writer.do(ctx, false, fn)
}

// NewID returns 32 lowercase hex characters, the id format of most
// Cloudflare objects.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b[:])
}

// NewUUID returns a random RFC 4122 UUID (D1 databases, versions).
func NewUUID() string { return uuid.NewString() }

// TimeFormat is how every timestamp is stored and served: RFC 3339 in UTC
// with microseconds.
const TimeFormat = "2006-01-02T15:04:05.000000Z"

func (s *Store) stamp() string { return s.now().Format(TimeFormat) }

// ParseTime reads a timestamp written by the store.
func ParseTime(v string) time.Time {
	t, _ := time.Parse(TimeFormat, v)
	return t
}

func (s *Store) migrate(ctx context.Context) error {
	var version int
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("store: schema version: %w", err)
	}
	for i := version; i < len(schema); i++ {
		err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, schema[i]); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1))
			return err
		})
		if err != nil {
			return fmt.Errorf("store: schema step %d: %w", i+1, err)
		}
	}
	return nil
}

// schema holds the migration steps of control.db; append, never edit.
var schema = []string{`
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE accounts (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_on TEXT NOT NULL);
CREATE TABLE subdomains (account_id TEXT PRIMARY KEY, subdomain TEXT NOT NULL UNIQUE);
CREATE TABLE zones (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, name TEXT NOT NULL UNIQUE, status TEXT NOT NULL, created_on TEXT NOT NULL, modified_on TEXT NOT NULL);
CREATE TABLE kv_namespaces (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, title TEXT NOT NULL, created_on TEXT NOT NULL, UNIQUE (account_id, title));
CREATE TABLE kv_entries (namespace_id TEXT NOT NULL REFERENCES kv_namespaces(id) ON DELETE CASCADE, key TEXT NOT NULL, value BLOB NOT NULL, expiration INTEGER NOT NULL DEFAULT 0, metadata TEXT, PRIMARY KEY (namespace_id, key)) WITHOUT ROWID;
CREATE TABLE r2_buckets (account_id TEXT NOT NULL, name TEXT NOT NULL, jurisdiction TEXT NOT NULL, location TEXT NOT NULL, storage_class TEXT NOT NULL, creation_date TEXT NOT NULL, PRIMARY KEY (account_id, name));
CREATE TABLE r2_objects (account_id TEXT NOT NULL, bucket TEXT NOT NULL, key TEXT NOT NULL, blob TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL, version TEXT NOT NULL, uploaded TEXT NOT NULL, http_metadata TEXT NOT NULL, custom_metadata TEXT NOT NULL,
  PRIMARY KEY (account_id, bucket, key), FOREIGN KEY (account_id, bucket) REFERENCES r2_buckets(account_id, name) ON DELETE CASCADE) WITHOUT ROWID;
CREATE TABLE d1_databases (uuid TEXT PRIMARY KEY, account_id TEXT NOT NULL, name TEXT NOT NULL, created_at TEXT NOT NULL, jurisdiction TEXT NOT NULL, location TEXT NOT NULL, read_replication TEXT NOT NULL, UNIQUE (account_id, name));
CREATE TABLE queues (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, name TEXT NOT NULL, created_on TEXT NOT NULL, modified_on TEXT NOT NULL, settings TEXT NOT NULL, UNIQUE (account_id, name));
CREATE TABLE queue_consumers (id TEXT PRIMARY KEY, queue_id TEXT NOT NULL REFERENCES queues(id) ON DELETE CASCADE, type TEXT NOT NULL, script TEXT NOT NULL, dead_letter_queue TEXT NOT NULL, settings TEXT NOT NULL, created_on TEXT NOT NULL);
CREATE TABLE queue_messages (id TEXT PRIMARY KEY, queue_id TEXT NOT NULL REFERENCES queues(id) ON DELETE CASCADE, body BLOB NOT NULL, content_type TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, enqueued_at TEXT NOT NULL, visible_at INTEGER NOT NULL, lease_id TEXT NOT NULL DEFAULT '');
CREATE INDEX queue_messages_visible ON queue_messages (queue_id, visible_at);
CREATE TABLE scripts (account_id TEXT NOT NULL, name TEXT NOT NULL, tag TEXT NOT NULL, etag TEXT NOT NULL, main_module TEXT NOT NULL, body_part TEXT NOT NULL, settings TEXT NOT NULL, handlers TEXT NOT NULL, migration_tag TEXT NOT NULL,
  subdomain_enabled INTEGER NOT NULL DEFAULT 0, previews_enabled INTEGER NOT NULL DEFAULT 0, schedules TEXT NOT NULL DEFAULT '[]', assets TEXT NOT NULL DEFAULT '', created_on TEXT NOT NULL, modified_on TEXT NOT NULL, PRIMARY KEY (account_id, name));
CREATE TABLE script_modules (account_id TEXT NOT NULL, script TEXT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, content_type TEXT NOT NULL, content BLOB NOT NULL, PRIMARY KEY (account_id, script, position),
  FOREIGN KEY (account_id, script) REFERENCES scripts(account_id, name) ON DELETE CASCADE);
CREATE TABLE script_versions (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, script TEXT NOT NULL, number INTEGER NOT NULL, created_on TEXT NOT NULL, source TEXT NOT NULL, annotations TEXT NOT NULL);
CREATE TABLE script_deployments (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, script TEXT NOT NULL, created_on TEXT NOT NULL, source TEXT NOT NULL, versions TEXT NOT NULL, annotations TEXT NOT NULL);
CREATE TABLE script_refs (account_id TEXT NOT NULL, script TEXT NOT NULL, binding TEXT NOT NULL, type TEXT NOT NULL, ref TEXT NOT NULL);
CREATE INDEX script_refs_by_ref ON script_refs (account_id, type, ref);
CREATE TABLE do_namespaces (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, script TEXT NOT NULL, class TEXT NOT NULL, use_sqlite INTEGER NOT NULL, UNIQUE (account_id, script, class));
CREATE TABLE routes (id TEXT PRIMARY KEY, zone_id TEXT NOT NULL REFERENCES zones(id) ON DELETE CASCADE, pattern TEXT NOT NULL, script TEXT NOT NULL, UNIQUE (zone_id, pattern));
CREATE TABLE custom_domains (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, hostname TEXT NOT NULL UNIQUE, service TEXT NOT NULL, environment TEXT NOT NULL, zone_id TEXT NOT NULL, zone_name TEXT NOT NULL, cert_id TEXT NOT NULL);
CREATE TABLE workflows (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, name TEXT NOT NULL, class_name TEXT NOT NULL, script_name TEXT NOT NULL, created_on TEXT NOT NULL, modified_on TEXT NOT NULL, UNIQUE (account_id, name));
CREATE TABLE assets (hash TEXT PRIMARY KEY, content_type TEXT NOT NULL, content BLOB NOT NULL);
`, `
CREATE TABLE r2_bucket_config (account_id TEXT NOT NULL, bucket TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (account_id, bucket, kind),
  FOREIGN KEY (account_id, bucket) REFERENCES r2_buckets(account_id, name) ON DELETE CASCADE);
`, workflowInstancesSchema}

// HashID derives a stable 32-hex id from s (for objects that have no
// record of their own, such as the caller's token).
func HashID(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:16])
}

// prepared returns a prepared statement of a read query on the readers,
// prepared once.
func (s *Store) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := s.stmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.r.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}
