package store

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// DurableObjectDB opens the SQLite database of one Durable Object, which
// holds its storage API entries and the tables of its SQL API, creating it
// on first use. The caller owns the handle (one connection: an object runs
// one operation at a time) and closes it.
func (s *Store) DurableObjectDB(namespaceID, objectID string) (*sql.DB, error) {
	if !isHex(namespaceID) || !isHex(objectID) {
		return nil, fmt.Errorf("durable object %s/%s: %w: ids must be hexadecimal", namespaceID, objectID, ErrInvalid)
	}
	dir := filepath.Join(s.dir, "do", namespaceID)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("durable object %s: %w", objectID, err)
	}
	db, err := openSQLite(filepath.Join(dir, objectID+".sqlite"), 1, false)
	if err != nil {
		return nil, fmt.Errorf("durable object %s: %w", objectID, err)
	}
	return db, nil
}

// DurableObjectIDs lists the objects of a namespace that have storage,
// sorted.
func (s *Store) DurableObjectIDs(namespaceID string) ([]string, error) {
	if !isHex(namespaceID) {
		return nil, fmt.Errorf("durable object namespace %s: %w", namespaceID, ErrInvalid)
	}
	entries, err := os.ReadDir(filepath.Join(s.dir, "do", namespaceID))
	if os.IsNotExist(err) {
		return []string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("durable object namespace %s: %w", namespaceID, err)
	}
	ids := []string{}
	for _, e := range entries {
		if id, ok := strings.CutSuffix(e.Name(), ".sqlite"); ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids, nil
}

func isHex(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
