package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// KVNamespace is a Workers KV namespace.
type KVNamespace struct {
	ID        string
	AccountID string
	Title     string
	CreatedOn string
}

// CreateKVNamespace creates a namespace; the title is unique per account.
func (s *Store) CreateKVNamespace(ctx context.Context, account, title string) (KVNamespace, error) {
	if strings.TrimSpace(title) == "" {
		return KVNamespace{}, fmt.Errorf("kv namespace: %w: empty title", ErrInvalid)
	}
	ns := KVNamespace{ID: NewID(), AccountID: account, Title: title, CreatedOn: s.stamp()}
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := s.kvTitleFree(ctx, tx, account, title, ""); err != nil {
			return err
		}
		_, err := s.writer.exec(ctx, tx, `INSERT INTO kv_namespaces (id, account_id, title, created_on) VALUES (?, ?, ?, ?)`, ns.ID, account, title, ns.CreatedOn)
		return err
	})
	if err != nil {
		return KVNamespace{}, fmt.Errorf("kv namespace %q: create: %w", title, err)
	}
	return ns, nil
}

func (s *Store) kvTitleFree(ctx context.Context, tx *sql.Tx, account, title, except string) error {
	st, err := s.writer.stmt(ctx, tx, `SELECT count(*) FROM kv_namespaces WHERE account_id = ? AND title = ? AND id != ?`)
	if err != nil {
		return err
	}
	var n int
	if err := st.QueryRowContext(ctx, account, title, except).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("title %q: %w", title, ErrExists)
	}
	return nil
}

// KVNamespaces lists an account's namespaces ordered by title.
func (s *Store) KVNamespaces(ctx context.Context, account string) ([]KVNamespace, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, account_id, title, created_on FROM kv_namespaces WHERE account_id = ? ORDER BY title, id`, account)
	if err != nil {
		return nil, fmt.Errorf("kv namespaces: %w", err)
	}
	defer rows.Close()
	var out []KVNamespace
	for rows.Next() {
		var ns KVNamespace
		if err := rows.Scan(&ns.ID, &ns.AccountID, &ns.Title, &ns.CreatedOn); err != nil {
			return nil, fmt.Errorf("kv namespaces: %w", err)
		}
		out = append(out, ns)
	}
	return out, rows.Err()
}

// KVNamespace returns one namespace of the account.
func (s *Store) KVNamespace(ctx context.Context, account, id string) (KVNamespace, error) {
	var ns KVNamespace
	st, err := s.prepared(ctx, `SELECT id, account_id, title, created_on FROM kv_namespaces WHERE account_id = ? AND id = ?`)
	if err != nil {
		return ns, fmt.Errorf("kv namespace %s: %w", id, err)
	}
	err = st.QueryRowContext(ctx, account, id).Scan(&ns.ID, &ns.AccountID, &ns.Title, &ns.CreatedOn)
	if errors.Is(err, sql.ErrNoRows) {
		return ns, fmt.Errorf("kv namespace %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return ns, fmt.Errorf("kv namespace %s: %w", id, err)
	}
	return ns, nil
}

// RenameKVNamespace changes a namespace's title.
func (s *Store) RenameKVNamespace(ctx context.Context, account, id, title string) (KVNamespace, error) {
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := s.kvTitleFree(ctx, tx, account, title, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE kv_namespaces SET title = ? WHERE account_id = ? AND id = ?`, title, account, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return KVNamespace{}, fmt.Errorf("kv namespace %s: rename: %w", id, err)
	}
	return s.KVNamespace(ctx, account, id)
}

// DeleteKVNamespace removes a namespace and its entries.
func (s *Store) DeleteKVNamespace(ctx context.Context, account, id string) error {
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := s.writer.exec(ctx, tx, `DELETE FROM kv_namespaces WHERE account_id = ? AND id = ?`, account, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("kv namespace %s: delete: %w", id, err)
	}
	return nil
}

// KVEntry is one stored value.
type KVEntry struct {
	Key        string
	Value      []byte
	Expiration int64           // unix seconds; 0 = never
	Metadata   json.RawMessage // nil when none
}

// KVKey is a listed key (no value).
type KVKey struct {
	Name       string
	Expiration int64
	Metadata   json.RawMessage
}

// KVPut stores a value. expiration is absolute unix seconds (0 = never).
func (s *Store) KVPut(ctx context.Context, namespace string, e KVEntry) error {
	return s.KVPutMany(ctx, namespace, []KVEntry{e})
}

// KVPutMany stores several values in one transaction.
func (s *Store) KVPutMany(ctx context.Context, namespace string, entries []KVEntry) error {
	for _, e := range entries {
		if e.Key == "" || len(e.Key) > 512 {
			return fmt.Errorf("kv %s: put %q: %w: key must be 1–512 bytes", namespace, e.Key, ErrInvalid)
		}
		if e.Metadata != nil && !json.Valid(e.Metadata) {
			return fmt.Errorf("kv %s: put %q: %w: metadata is not JSON", namespace, e.Key, ErrInvalid)
		}
	}
	err := s.dataTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, e := range entries {
			var md any
			if e.Metadata != nil {
				md = string(e.Metadata)
			}
			value := e.Value
			if value == nil {
				value = []byte{}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO kv_entries (namespace_id, key, value, expiration, metadata) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (namespace_id, key) DO UPDATE SET value = excluded.value, expiration = excluded.expiration, metadata = excluded.metadata`,
				namespace, e.Key, value, e.Expiration, md)
			if err != nil {
				return kvNamespaceErr(err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("kv %s: put: %w", namespace, err)
	}
	return nil
}

func kvNamespaceErr(err error) error {
	if err != nil && strings.Contains(err.Error(), "FOREIGN KEY") {
		return fmt.Errorf("namespace: %w", ErrNotFound)
	}
	return err
}

// KVGet reads one value; an expired or missing key is ErrNotFound.
func (s *Store) KVGet(ctx context.Context, namespace, key string) (KVEntry, error) {
	e := KVEntry{Key: key}
	var md sql.NullString
	st, err := s.prepared(ctx, `SELECT value, expiration, metadata FROM kv_entries WHERE namespace_id = ? AND key = ? AND (expiration = 0 OR expiration > ?)`)
	if err != nil {
		return e, fmt.Errorf("kv %s: get %q: %w", namespace, key, err)
	}
	err = st.QueryRowContext(ctx, namespace, key, s.now().Unix()).Scan(&e.Value, &e.Expiration, &md)
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("kv %s: key %q: %w", namespace, key, ErrNotFound)
	}
	if err != nil {
		return e, fmt.Errorf("kv %s: get %q: %w", namespace, key, err)
	}
	if md.Valid {
		e.Metadata = json.RawMessage(md.String)
	}
	return e, nil
}

// KVDelete removes keys; missing keys are not an error.
func (s *Store) KVDelete(ctx context.Context, namespace string, keys ...string) error {
	err := s.dataTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `DELETE FROM kv_entries WHERE namespace_id = ? AND key = ?`, namespace, k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("kv %s: delete: %w", namespace, err)
	}
	return nil
}

// KVListOptions selects keys to list.
type KVListOptions struct {
	Prefix string
	Cursor string // from a previous KVList; "" to start
	Limit  int    // 1–1000; 0 means 1000
}

// KVList lists live keys in byte order. cursor is "" when nothing follows.
func (s *Store) KVList(ctx context.Context, namespace string, opt KVListOptions) (keys []KVKey, cursor string, err error) {
	limit := opt.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	after := ""
	if opt.Cursor != "" {
		b, err := base64.RawURLEncoding.DecodeString(opt.Cursor)
		if err != nil {
			return nil, "", fmt.Errorf("kv %s: list: %w: bad cursor", namespace, ErrInvalid)
		}
		after = string(b)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT key, expiration, metadata FROM kv_entries
		WHERE namespace_id = ? AND key > ? AND substr(key, 1, length(?)) = ? AND (expiration = 0 OR expiration > ?)
		ORDER BY key LIMIT ?`, namespace, after, opt.Prefix, opt.Prefix, s.now().Unix(), limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("kv %s: list: %w", namespace, err)
	}
	defer rows.Close()
	for rows.Next() {
		var k KVKey
		var md sql.NullString
		if err := rows.Scan(&k.Name, &k.Expiration, &md); err != nil {
			return nil, "", fmt.Errorf("kv %s: list: %w", namespace, err)
		}
		if md.Valid {
			k.Metadata = json.RawMessage(md.String)
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("kv %s: list: %w", namespace, err)
	}
	if len(keys) > limit {
		keys = keys[:limit]
		cursor = base64.RawURLEncoding.EncodeToString([]byte(keys[limit-1].Name))
	}
	return keys, cursor, nil
}

// KVCount returns the number of live keys of a namespace.
func (s *Store) KVCount(ctx context.Context, namespace string) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM kv_entries WHERE namespace_id = ? AND (expiration = 0 OR expiration > ?)`, namespace, s.now().Unix()).Scan(&n)
	return n, err
}
