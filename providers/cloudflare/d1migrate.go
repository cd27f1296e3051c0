package cloudflare

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// DefaultMigrationsTable is the table recording applied D1 migrations, as
// wrangler names it.
const DefaultMigrationsTable = "d1_migrations"

// sqlFile is a SQL file of a migrations directory or an import.
type sqlFile struct {
	ID   string // path relative to its directory, with forward slashes
	SQL  string
	Hash string // hex SHA-256 of SQL
}

func readSQLFile(dir, name string) (sqlFile, error) {
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		return sqlFile{}, err
	}
	sum := sha256.Sum256(data)
	return sqlFile{ID: name, SQL: string(data), Hash: hex.EncodeToString(sum[:])}, nil
}

// listSQLFiles returns the *.sql files under dir (recursively) in
// migration order: files whose name starts with a number (the digits
// before the first "_") by that number, then the others by name.
func listSQLFiles(dir string) ([]sqlFile, error) {
	var names []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".sql") {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		names = append(names, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(names, func(a, b string) int {
		an, aok := migrationNumber(a)
		bn, bok := migrationNumber(b)
		switch {
		case aok && bok:
			return an - bn
		case aok:
			return -1
		case bok:
			return 1
		}
		return strings.Compare(a, b)
	})
	files := make([]sqlFile, 0, len(names))
	for _, n := range names {
		f, err := readSQLFile(dir, n)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

var leadingDigits = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*[+-]?\d+`) })

// migrationNumber is parseInt of the text before the first "_" (leading
// digits count, as JavaScript's parseInt reads them).
func migrationNumber(name string) (int, bool) {
	prefix, _, _ := strings.Cut(name, "_")
	m := leadingDigits().FindString(prefix)
	if m == "" {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(m))
	return n, err == nil
}

// d1Result is the result of one statement of a D1 query.
type d1Result struct {
	Results []map[string]any `json:"results"`
	Success bool             `json:"success"`
}

// d1Query runs SQL (one or more statements) on a database.
func d1Query(ctx context.Context, cl *Client, dbID, sql string) ([]d1Result, error) {
	path, err := cl.accountPath(ctx, "d1/database/"+dbID+"/query")
	if err != nil {
		return nil, err
	}
	var res []d1Result
	if _, err := cl.Call(ctx, fmt.Sprintf("query D1 database %s", dbID), http.MethodPost, path, map[string]string{"sql": sql}, &res); err != nil {
		return nil, err
	}
	return res, nil
}

var tableName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

// applyMigrations runs the migrations not yet recorded in table, each in
// one request together with its record, in a table wrangler reads too:
// (id TEXT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL), ids
// "00001", "00002"… It returns the names applied.
func applyMigrations(ctx context.Context, cl *Client, dbID, table string, files []sqlFile) ([]string, error) {
	if len(files) == 0 {
		return nil, nil
	}
	if !tableName().MatchString(table) {
		return nil, fmt.Errorf("migrationsTable %q is not a plain SQL table name", table)
	}
	info, err := d1Query(ctx, cl, dbID, fmt.Sprintf("PRAGMA table_info(%s);", table))
	if err != nil {
		return nil, fmt.Errorf("read migrations table: %w", err)
	}
	var cols []map[string]any
	if len(info) > 0 {
		cols = info[0].Results
	}
	applied := map[string]bool{}
	next := 1
	if len(cols) == 0 {
		if _, err := d1Query(ctx, cl, dbID, createMigrationsTable(table)); err != nil {
			return nil, fmt.Errorf("create migrations table: %w", err)
		}
	} else {
		if !hasColumns(cols, "id", "name") {
			if err := upgradeMigrationsTable(ctx, cl, dbID, table, cols); err != nil {
				return nil, err
			}
		}
		rows, err := d1Query(ctx, cl, dbID, fmt.Sprintf("SELECT id, name FROM %s ORDER BY id;", table))
		if err != nil {
			return nil, fmt.Errorf("read applied migrations: %w", err)
		}
		if len(rows) > 0 {
			for _, r := range rows[0].Results {
				name, _ := r["name"].(string)
				applied[name] = true
				if id, ok := r["id"].(string); ok {
					if n, err := strconv.Atoi(id); err == nil && n >= next {
						next = n + 1
					}
				}
			}
		}
	}
	var done []string
	for _, f := range files {
		if applied[f.ID] {
			continue
		}
		sql := f.SQL + "\n" + fmt.Sprintf("INSERT INTO %s (id, name, applied_at) VALUES ('%05d', %s, datetime('now'));",
			table, next, sqlString(f.ID))
		if _, err := d1Query(ctx, cl, dbID, sql); err != nil {
			return done, fmt.Errorf("migration %s: %w", f.ID, err)
		}
		done = append(done, f.ID)
		next++
	}
	return done, nil
}

func createMigrationsTable(table string) string {
	return fmt.Sprintf("CREATE TABLE %s (\n      id TEXT PRIMARY KEY,\n      name TEXT NOT NULL,\n      applied_at TEXT NOT NULL\n    );", table)
}

func hasColumns(cols []map[string]any, names ...string) bool {
	for _, n := range names {
		if !slices.ContainsFunc(cols, func(c map[string]any) bool { return c["name"] == n }) {
			return false
		}
	}
	return true
}

// upgradeMigrationsTable rewrites an older two-column table (a name or id
// column and applied_at) into the three-column form, numbering the rows
// in the order they were applied.
func upgradeMigrationsTable(ctx context.Context, cl *Client, dbID, table string, cols []map[string]any) error {
	primary := ""
	for _, c := range cols {
		if pk, _ := c["pk"].(float64); pk == 1 {
			primary, _ = c["name"].(string)
		}
	}
	if primary == "" {
		primary, _ = cols[0]["name"].(string)
	}
	if !tableName().MatchString(primary) {
		return fmt.Errorf("migrations table %s: cannot upgrade column %q", table, primary)
	}
	tmp := table + "_temp_migration"
	stmts := []string{
		createMigrationsTable(tmp),
		fmt.Sprintf("INSERT INTO %s (id, name, applied_at) SELECT printf('%%05d', row_number() OVER (ORDER BY applied_at)), %s, applied_at FROM %s ORDER BY applied_at;", tmp, primary, table),
		fmt.Sprintf("DROP TABLE %s;", table),
		fmt.Sprintf("ALTER TABLE %s RENAME TO %s;", tmp, table),
	}
	for _, s := range stmts {
		if _, err := d1Query(ctx, cl, dbID, s); err != nil {
			d1Query(ctx, cl, dbID, fmt.Sprintf("DROP TABLE IF EXISTS %s;", tmp))
			return fmt.Errorf("upgrade migrations table %s: %w", table, err)
		}
	}
	return nil
}

// sqlString quotes s as a SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
