package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Account is a Cloudflare account.
type Account struct {
	ID        string
	Name      string
	CreatedOn string
}

// DefaultAccountID returns the account id this data directory was created
// with, creating and remembering a random one on first use.
func (s *Store) DefaultAccountID(ctx context.Context) (string, error) {
	var id string
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'default_account'`).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			id = NewID()
			_, err = tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('default_account', ?)`, id)
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("default account: %w", err)
	}
	return id, nil
}

// SetDefaultAccountID makes id the account this data directory serves when
// no account is named.
func (s *Store) SetDefaultAccountID(ctx context.Context, id string) error {
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('default_account', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("default account: %w", err)
	}
	return nil
}

// EnsureAccount creates the account if it does not exist yet.
func (s *Store) EnsureAccount(ctx context.Context, id, name string) (Account, error) {
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO accounts (id, name, created_on) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`, id, name, s.stamp())
		return err
	})
	if err != nil {
		return Account{}, fmt.Errorf("account %s: create: %w", id, err)
	}
	return s.Account(ctx, id)
}

// Account returns one account.
func (s *Store) Account(ctx context.Context, id string) (Account, error) {
	var a Account
	err := s.r.QueryRowContext(ctx, `SELECT id, name, created_on FROM accounts WHERE id = ?`, id).Scan(&a.ID, &a.Name, &a.CreatedOn)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("account %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("account %s: %w", id, err)
	}
	return a, nil
}

// Accounts lists every account, ordered by name.
func (s *Store) Accounts(ctx context.Context) ([]Account, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, name, created_on FROM accounts ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		var a Account
		if err := rows.Scan(&a.ID, &a.Name, &a.CreatedOn); err != nil {
			return nil, fmt.Errorf("accounts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Subdomain returns the account's workers.dev subdomain.
func (s *Store) Subdomain(ctx context.Context, account string) (string, error) {
	var sub string
	err := s.r.QueryRowContext(ctx, `SELECT subdomain FROM subdomains WHERE account_id = ?`, account).Scan(&sub)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("workers.dev subdomain of %s: %w", account, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("workers.dev subdomain of %s: %w", account, err)
	}
	return sub, nil
}

// SetSubdomain registers (or changes) the account's workers.dev subdomain.
func (s *Store) SetSubdomain(ctx context.Context, account, sub string) error {
	sub = strings.ToLower(sub)
	if !validLabel(sub) {
		return fmt.Errorf("workers.dev subdomain %q: %w: want letters, digits and dashes", sub, ErrInvalid)
	}
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var owner string
		err := tx.QueryRowContext(ctx, `SELECT account_id FROM subdomains WHERE subdomain = ?`, sub).Scan(&owner)
		if err == nil && owner != account {
			return fmt.Errorf("workers.dev subdomain %q: %w", sub, ErrExists)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO subdomains (account_id, subdomain) VALUES (?, ?) ON CONFLICT (account_id) DO UPDATE SET subdomain = excluded.subdomain`, account, sub)
		return err
	})
	if err != nil {
		return fmt.Errorf("set workers.dev subdomain: %w", err)
	}
	return nil
}

// DeleteSubdomain unregisters the account's workers.dev subdomain.
func (s *Store) DeleteSubdomain(ctx context.Context, account string) error {
	return s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM subdomains WHERE account_id = ?`, account)
		return err
	})
}

// AccountBySubdomain finds the account owning a workers.dev subdomain.
func (s *Store) AccountBySubdomain(ctx context.Context, sub string) (string, error) {
	var id string
	err := s.r.QueryRowContext(ctx, `SELECT account_id FROM subdomains WHERE subdomain = ?`, strings.ToLower(sub)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("workers.dev subdomain %q: %w", sub, ErrNotFound)
	}
	return id, err
}

func validLabel(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Zone is a DNS zone of an account, needed by routes and custom domains.
type Zone struct {
	ID         string
	AccountID  string
	Name       string
	Status     string
	CreatedOn  string
	ModifiedOn string
}

// CreateZone adds a zone (active at once: there is no DNS to wait for).
func (s *Store) CreateZone(ctx context.Context, account, name string) (Zone, error) {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if !validHostname(name) {
		return Zone{}, fmt.Errorf("zone %q: %w: not a domain name", name, ErrInvalid)
	}
	z := Zone{ID: NewID(), AccountID: account, Name: name, Status: "active", CreatedOn: s.stamp()}
	z.ModifiedOn = z.CreatedOn
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var n int
		tx.QueryRowContext(ctx, `SELECT count(*) FROM zones WHERE name = ?`, name).Scan(&n)
		if n > 0 {
			return fmt.Errorf("zone %q: %w", name, ErrExists)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO zones (id, account_id, name, status, created_on, modified_on) VALUES (?, ?, ?, ?, ?, ?)`,
			z.ID, z.AccountID, z.Name, z.Status, z.CreatedOn, z.ModifiedOn)
		return err
	})
	if err != nil {
		return Zone{}, fmt.Errorf("create zone: %w", err)
	}
	return z, nil
}

// EnsureZone returns the zone named name, creating it for account if absent.
func (s *Store) EnsureZone(ctx context.Context, account, name string) (Zone, error) {
	zs, err := s.Zones(ctx, account, name)
	if err != nil {
		return Zone{}, err
	}
	if len(zs) > 0 {
		return zs[0], nil
	}
	return s.CreateZone(ctx, account, name)
}

const zoneCols = `id, account_id, name, status, created_on, modified_on`

func scanZone(sc interface{ Scan(...any) error }) (Zone, error) {
	var z Zone
	err := sc.Scan(&z.ID, &z.AccountID, &z.Name, &z.Status, &z.CreatedOn, &z.ModifiedOn)
	return z, err
}

// Zones lists the zones of an account ("" for all accounts), optionally only
// the one named name.
func (s *Store) Zones(ctx context.Context, account, name string) ([]Zone, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+zoneCols+` FROM zones WHERE (? = '' OR account_id = ?) AND (? = '' OR name = ?) ORDER BY name`,
		account, account, strings.ToLower(name), strings.ToLower(name))
	if err != nil {
		return nil, fmt.Errorf("zones: %w", err)
	}
	defer rows.Close()
	var out []Zone
	for rows.Next() {
		z, err := scanZone(rows)
		if err != nil {
			return nil, fmt.Errorf("zones: %w", err)
		}
		out = append(out, z)
	}
	return out, rows.Err()
}

// Zone returns one zone by id.
func (s *Store) Zone(ctx context.Context, id string) (Zone, error) {
	z, err := scanZone(s.r.QueryRowContext(ctx, `SELECT `+zoneCols+` FROM zones WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return z, fmt.Errorf("zone %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return z, fmt.Errorf("zone %s: %w", id, err)
	}
	return z, nil
}

// ZoneForHost returns the zone with the longest name that hostname falls in.
func (s *Store) ZoneForHost(ctx context.Context, hostname string) (Zone, error) {
	hostname = strings.ToLower(hostname)
	for h := hostname; h != ""; {
		z, err := scanZone(s.r.QueryRowContext(ctx, `SELECT `+zoneCols+` FROM zones WHERE name = ?`, h))
		if err == nil {
			return z, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return z, fmt.Errorf("zone of %s: %w", hostname, err)
		}
		_, rest, ok := strings.Cut(h, ".")
		if !ok {
			break
		}
		h = rest
	}
	return Zone{}, fmt.Errorf("zone of %s: %w", hostname, ErrNotFound)
}

// DeleteZone removes a zone with its routes.
func (s *Store) DeleteZone(ctx context.Context, id string) error {
	return s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM zones WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("zone %s: delete: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("zone %s: %w", id, ErrNotFound)
		}
		return nil
	})
}

func validHostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, l := range strings.Split(h, ".") {
		if !validLabel(l) && l != "*" {
			return false
		}
	}
	return true
}
