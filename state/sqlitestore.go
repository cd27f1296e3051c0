package state

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/alchemy-go/alchemy/value"
)

// SQLDB runs statements on a SQLite-dialect database that holds the
// TypeScript library's resources table: a local file (OpenSQLite) or a
// remote database such as Cloudflare D1. The implementation creates or
// migrates the schema before its first statement runs.
type SQLDB interface {
	// Query runs one statement with positional ? parameters (strings,
	// int64s or nil) and returns its rows, columns in statement order, each
	// value a string, an int64, a float64, []byte or nil.
	Query(ctx context.Context, query string, args ...any) ([][]any, error)
}

// SQLStore is a Store over the table the TypeScript library's SQL state
// stores (SQLiteStateStore, D1StateStore) share:
//
//	resources(id, scope, status, kind, fqn, seq, data, props, oldProps, output)
//
// keyed by (scope, id), where scope is JSON.stringify of the scope's chain
// (["app","prod"]) and data, props, oldProps and output hold the compact JSON
// of the serialized fields, secrets encrypted by the codec. Fields the table
// has no column for (dependsOn, fields of newer versions) are not kept, as
// in the library. Stage locks live in a table of their own (see Lock).
type SQLStore struct {
	name  string
	db    SQLDB
	codec *Codec
	lock  lockTable
}

// NewSQLStore returns a store over db; name ("SQLiteStateStore") starts its
// error messages.
func NewSQLStore(name string, db SQLDB, codec *Codec) *SQLStore {
	return &SQLStore{name: name, db: db, codec: codec, lock: lockTable{db: db}}
}

// DB returns the database the store runs its statements on.
func (s *SQLStore) DB() SQLDB { return s.db }

// ScopeKey returns the value of the scope column for path p:
// JSON.stringify(chain).
func ScopeKey(p Path) string {
	arr := make(value.Array, len(p))
	for i, name := range p {
		arr[i] = value.String(name)
	}
	b, _ := value.Marshal(arr, value.EncodeOptions{}) // strings always encode
	return string(b)
}

func (s *SQLStore) fail(p Path, id string, err error) error {
	where := p.String()
	if id != "" {
		where = p.Child(id).String()
	}
	return fmt.Errorf("%s: state %s: %w", s.name, where, err)
}

const recordColumns = "id, status, kind, fqn, seq, data, props, oldProps, output"

// Get implements Store.
func (s *SQLStore) Get(ctx context.Context, p Path, id string) (*Record, error) {
	rows, err := s.db.Query(ctx, "SELECT "+recordColumns+" FROM resources WHERE scope = ? AND id = ?", ScopeKey(p), id)
	if err != nil {
		return nil, s.fail(p, id, err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	r, err := s.decodeRow(rows[0])
	if err != nil {
		return nil, fmt.Errorf("%s: state of resource %q: %w", s.name, p.Child(id).String(), err)
	}
	return r, nil
}

// List implements Store.
func (s *SQLStore) List(ctx context.Context, p Path) ([]string, error) {
	rows, err := s.db.Query(ctx, "SELECT id FROM resources WHERE scope = ?", ScopeKey(p))
	if err != nil {
		return nil, s.fail(p, "", err)
	}
	ids := make([]string, 0, len(rows))
	for _, row := range rows {
		id, err := text(row, 0)
		if err != nil {
			return nil, s.fail(p, "", fmt.Errorf("list: %w", err))
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// Set implements Store: an upsert of every column, so that props or
// oldProps the record no longer has are cleared (stored NULL, read back as
// absent) rather than kept from an earlier write.
func (s *SQLStore) Set(ctx context.Context, p Path, id string, r *Record) error {
	if id == "" {
		return s.fail(p, id, errors.New("empty id"))
	}
	if strings.Contains(id, ":") {
		return s.fail(p, id, fmt.Errorf("id cannot include colons: %q", id))
	}
	cols, err := s.encodeColumns(r)
	if err != nil {
		return fmt.Errorf("%s: state of resource %q: %w", s.name, p.Child(id).String(), err)
	}
	_, err = s.db.Query(ctx, `INSERT INTO resources (id, scope, status, kind, fqn, seq, data, props, oldProps, output)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (scope, id) DO UPDATE SET status = excluded.status, kind = excluded.kind, fqn = excluded.fqn,
seq = excluded.seq, data = excluded.data, props = excluded.props, oldProps = excluded.oldProps, output = excluded.output`,
		id, ScopeKey(p), string(r.Status), r.Kind, r.FQN, int64(r.Seq), cols.data, cols.props, cols.oldProps, cols.output)
	if err != nil {
		return s.fail(p, id, err)
	}
	return nil
}

// Delete implements Store.
func (s *SQLStore) Delete(ctx context.Context, p Path, id string) error {
	if _, err := s.db.Query(ctx, "DELETE FROM resources WHERE scope = ? AND id = ?", ScopeKey(p), id); err != nil {
		return s.fail(p, id, err)
	}
	return nil
}

// DeleteScope implements Store. A scope is only a key prefix in the table,
// so there is nothing to remove, but one that still holds records is
// refused, as the file store refuses it.
func (s *SQLStore) DeleteScope(ctx context.Context, p Path) error {
	rows, err := s.db.Query(ctx, "SELECT count(*) FROM resources WHERE scope = ?", ScopeKey(p))
	if err != nil {
		return s.fail(p, "", err)
	}
	var n int64
	if len(rows) > 0 {
		if n, err = integer(rows[0], 0); err != nil {
			return s.fail(p, "", fmt.Errorf("count: %w", err))
		}
	}
	if n > 0 {
		return s.fail(p, "", fmt.Errorf("cannot remove the scope: it still holds %d records", n))
	}
	return nil
}

// sqlColumns are the JSON columns of a row; nil is NULL.
type sqlColumns struct {
	data, output    string
	props, oldProps any
}

// encodeColumns serializes a record as the library's proxy does before an
// insert: serialize(scope, state), then JSON.stringify of each column.
func (s *SQLStore) encodeColumns(r *Record) (sqlColumns, error) {
	doc, err := value.Marshal(r.toObject(), value.EncodeOptions{Secret: s.codec.Seal})
	if err != nil {
		return sqlColumns{}, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(doc, &fields); err != nil {
		return sqlColumns{}, err
	}
	cols := sqlColumns{data: string(fields[FieldData]), output: string(fields[FieldOutput])}
	if v, ok := fields[FieldProps]; ok {
		cols.props = string(v)
	}
	if v, ok := fields[FieldOldProps]; ok {
		cols.oldProps = string(v)
	}
	return cols, nil
}

// decodeRow reads a row of recordColumns: the columns are laid out as the
// library's final record and decoded by the codec, secrets decrypted. NULL
// props and oldProps are absent, as the library reads them.
func (s *SQLStore) decodeRow(row []any) (*Record, error) {
	if len(row) != 9 {
		return nil, fmt.Errorf("row has %d columns, want 9", len(row))
	}
	var str [4]string // id, status, kind, fqn
	for i := range str {
		v, err := text(row, i)
		if err != nil {
			return nil, err
		}
		str[i] = v
	}
	seq, err := integer(row, 4)
	if err != nil {
		return nil, err
	}
	var js [4]string // data, props, oldProps, output
	var present [4]bool
	for i := range js {
		if row[5+i] == nil {
			continue
		}
		v, err := text(row, 5+i)
		if err != nil {
			return nil, err
		}
		js[i], present[i] = v, true
	}
	if !present[0] || !present[3] {
		return nil, errors.New("data or output is NULL")
	}
	doc := make([]byte, 0, 128+len(js[0])+len(js[1])+len(js[2])+len(js[3]))
	field := func(name string, raw []byte) {
		if len(doc) > 1 {
			doc = append(doc, ',')
		}
		doc = value.AppendQuoted(doc, name)
		doc = append(doc, ':')
		doc = append(doc, raw...)
	}
	doc = append(doc, '{')
	field(FieldKind, value.AppendQuoted(nil, str[2]))
	field(FieldID, value.AppendQuoted(nil, str[0]))
	field(FieldFQN, value.AppendQuoted(nil, str[3]))
	field(FieldSeq, strconv.AppendInt(nil, seq, 10))
	field(FieldData, []byte(js[0]))
	field(FieldStatus, value.AppendQuoted(nil, str[1]))
	field(FieldOutput, []byte(js[3]))
	if present[1] {
		field(FieldProps, []byte(js[1]))
	}
	if present[2] {
		field(FieldOldProps, []byte(js[2]))
	}
	doc = append(doc, '}')
	return s.codec.DecodeRecord(doc)
}

// text reads a text column.
func text(row []any, i int) (string, error) {
	switch v := row[i].(type) {
	case string:
		return v, nil
	case []byte:
		return string(v), nil
	}
	return "", fmt.Errorf("column %d: want text, got %T", i, row[i])
}

// integer reads an integer column (a float64 when it came through JSON).
func integer(row []any, i int) (int64, error) {
	switch v := row[i].(type) {
	case int64:
		return v, nil
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
			return int64(v), nil
		}
	case string:
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n, nil
		}
	}
	return 0, fmt.Errorf("column %d: want an integer, got %v", i, row[i])
}
