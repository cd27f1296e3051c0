package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// ImportKVNamespace creates a namespace with a given id, as if it had been
// created elsewhere: seeding a local Cloudflare with the resources that
// existing state (written against another Cloudflare) refers to. The id is
// 32 lowercase hex characters; it and the title must both be free.
func (s *Store) ImportKVNamespace(ctx context.Context, account, id, title string) (KVNamespace, error) {
	if strings.TrimSpace(title) == "" {
		return KVNamespace{}, fmt.Errorf("kv namespace: %w: empty title", ErrInvalid)
	}
	if !isNamespaceID(id) {
		return KVNamespace{}, fmt.Errorf("kv namespace %q: %w: the id must be 32 lowercase hex characters", id, ErrInvalid)
	}
	ns := KVNamespace{ID: id, AccountID: account, Title: title, CreatedOn: s.stamp()}
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM kv_namespaces WHERE id = ?`, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("id %s: %w", id, ErrExists)
		}
		if err := s.kvTitleFree(ctx, tx, account, title, ""); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO kv_namespaces (id, account_id, title, created_on) VALUES (?, ?, ?, ?)`, ns.ID, account, title, ns.CreatedOn)
		return err
	})
	if err != nil {
		return KVNamespace{}, fmt.Errorf("kv namespace %q: import: %w", title, err)
	}
	return ns, nil
}

func isNamespaceID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for _, c := range id {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
