package store

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// SealToken turns v into an opaque token that only this data directory can
// open: authenticated encryption with the store's key. The API uses it for
// asset upload sessions, so they survive restarts without a table.
func (s *Store) SealToken(v any) (string, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("seal token: %w", err)
	}
	sealed := s.sealer.seal(string(raw))
	return base64.RawURLEncoding.EncodeToString([]byte(strings.TrimPrefix(sealed, sealedPrefix))), nil
}

// OpenToken reverses SealToken into v.
func (s *Store) OpenToken(tok string, v any) error {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return fmt.Errorf("token: %w", ErrInvalid)
	}
	plain, err := s.sealer.open(sealedPrefix + string(raw))
	if err != nil {
		return fmt.Errorf("token: %w", ErrInvalid)
	}
	if err := json.Unmarshal([]byte(plain), v); err != nil {
		return fmt.Errorf("token: %w", ErrInvalid)
	}
	return nil
}
