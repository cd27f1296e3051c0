package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Route sends requests matching a zone pattern to a Worker.
type Route struct {
	ID      string
	ZoneID  string
	Pattern string
	Script  string
}

// CreateRoute adds a route; a pattern is unique within its zone.
func (s *Store) CreateRoute(ctx context.Context, zoneID, pattern, script string) (Route, error) {
	r := Route{ID: NewID(), ZoneID: zoneID, Pattern: pattern, Script: script}
	if strings.TrimSpace(pattern) == "" {
		return r, fmt.Errorf("route: %w: empty pattern", ErrInvalid)
	}
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var n int
		tx.QueryRowContext(ctx, `SELECT count(*) FROM routes WHERE zone_id = ? AND pattern = ?`, zoneID, pattern).Scan(&n)
		if n > 0 {
			return ErrExists
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO routes (id, zone_id, pattern, script) VALUES (?, ?, ?, ?)`, r.ID, zoneID, pattern, script)
		return err
	})
	if err != nil {
		return r, fmt.Errorf("route %q: create: %w", pattern, err)
	}
	return r, nil
}

// Routes lists a zone's routes ("" for every zone).
func (s *Store) Routes(ctx context.Context, zoneID string) ([]Route, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, zone_id, pattern, script FROM routes WHERE ? = '' OR zone_id = ? ORDER BY pattern`, zoneID, zoneID)
	if err != nil {
		return nil, fmt.Errorf("routes: %w", err)
	}
	defer rows.Close()
	out := []Route{}
	for rows.Next() {
		var r Route
		if err := rows.Scan(&r.ID, &r.ZoneID, &r.Pattern, &r.Script); err != nil {
			return nil, fmt.Errorf("routes: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Route returns one route of a zone.
func (s *Store) Route(ctx context.Context, zoneID, id string) (Route, error) {
	var r Route
	err := s.r.QueryRowContext(ctx, `SELECT id, zone_id, pattern, script FROM routes WHERE zone_id = ? AND id = ?`, zoneID, id).Scan(&r.ID, &r.ZoneID, &r.Pattern, &r.Script)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("route %s: %w", id, ErrNotFound)
	}
	return r, err
}

// UpdateRoute changes a route's pattern and script.
func (s *Store) UpdateRoute(ctx context.Context, zoneID, id, pattern, script string) (Route, error) {
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var n int
		tx.QueryRowContext(ctx, `SELECT count(*) FROM routes WHERE zone_id = ? AND pattern = ? AND id != ?`, zoneID, pattern, id).Scan(&n)
		if n > 0 {
			return ErrExists
		}
		res, err := tx.ExecContext(ctx, `UPDATE routes SET pattern = ?, script = ? WHERE zone_id = ? AND id = ?`, pattern, script, zoneID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return Route{}, fmt.Errorf("route %s: update: %w", id, err)
	}
	return s.Route(ctx, zoneID, id)
}

// DeleteRoute removes a route.
func (s *Store) DeleteRoute(ctx context.Context, zoneID, id string) error {
	return s.deleteOne(ctx, fmt.Sprintf("route %s", id), `DELETE FROM routes WHERE zone_id = ? AND id = ?`, zoneID, id)
}

func (s *Store) deleteOne(ctx context.Context, what, q string, args ...any) error {
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: delete: %w", what, err)
	}
	return nil
}

// MatchRoute finds the route whose pattern matches host+path best (the
// longest pattern wins), for serving Workers on zone hostnames.
func (s *Store) MatchRoute(ctx context.Context, host, path string) (Route, Zone, bool) {
	z, err := s.ZoneForHost(ctx, host)
	if err != nil {
		return Route{}, Zone{}, false
	}
	routes, err := s.Routes(ctx, z.ID)
	if err != nil {
		return Route{}, Zone{}, false
	}
	best := -1
	for i, r := range routes {
		if r.Script != "" && RouteMatches(r.Pattern, host, path) && (best < 0 || len(r.Pattern) > len(routes[best].Pattern)) {
			best = i
		}
	}
	if best < 0 {
		return Route{}, Zone{}, false
	}
	return routes[best], z, true
}

// RouteMatches reports whether a route pattern ("*.example.com/api/*")
// matches a request host and path. A leading "*" in the host matches any
// prefix; a trailing "*" in the path matches any suffix.
func RouteMatches(pattern, host, path string) bool {
	pattern = strings.TrimPrefix(strings.TrimPrefix(pattern, "https://"), "http://")
	ph, pp, _ := strings.Cut(pattern, "/")
	pp = "/" + pp
	host = strings.ToLower(host)
	ph = strings.ToLower(ph)
	switch {
	case strings.HasPrefix(ph, "*"):
		if !strings.HasSuffix(host, ph[1:]) {
			return false
		}
	case ph != host:
		return false
	}
	if strings.HasSuffix(pp, "*") {
		return strings.HasPrefix(path, pp[:len(pp)-1])
	}
	return path == pp
}

// CustomDomain attaches a hostname to a Worker.
type CustomDomain struct {
	ID          string
	AccountID   string
	Hostname    string
	Service     string
	Environment string
	ZoneID      string
	ZoneName    string
	CertID      string
}

// PutCustomDomain attaches (or re-attaches) a hostname. The zone comes from
// zoneID, zoneName or the hostname itself.
func (s *Store) PutCustomDomain(ctx context.Context, d CustomDomain) (CustomDomain, error) {
	d.Hostname = strings.ToLower(d.Hostname)
	if !validHostname(d.Hostname) {
		return d, fmt.Errorf("custom domain %q: %w: not a hostname", d.Hostname, ErrInvalid)
	}
	var z Zone
	var err error
	switch {
	case d.ZoneID != "":
		z, err = s.Zone(ctx, d.ZoneID)
	case d.ZoneName != "":
		var zs []Zone
		zs, err = s.Zones(ctx, d.AccountID, d.ZoneName)
		if err == nil && len(zs) == 0 {
			err = fmt.Errorf("zone %q: %w", d.ZoneName, ErrNotFound)
		} else if err == nil {
			z = zs[0]
		}
	default:
		z, err = s.ZoneForHost(ctx, d.Hostname)
	}
	if err != nil {
		return d, fmt.Errorf("custom domain %q: %w", d.Hostname, err)
	}
	if z.AccountID != d.AccountID || (d.Hostname != z.Name && !strings.HasSuffix(d.Hostname, "."+z.Name)) {
		return d, fmt.Errorf("custom domain %q: zone %q: %w: hostname is not in the zone", d.Hostname, z.Name, ErrInvalid)
	}
	if _, err := s.ScriptSummary(ctx, d.AccountID, d.Service); err != nil {
		return d, fmt.Errorf("custom domain %q: service: %w", d.Hostname, err)
	}
	d.ZoneID, d.ZoneName = z.ID, z.Name
	if d.Environment == "" {
		d.Environment = "production"
	}
	err = s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var id, owner, cert string
		err := tx.QueryRowContext(ctx, `SELECT id, account_id, cert_id FROM custom_domains WHERE hostname = ?`, d.Hostname).Scan(&id, &owner, &cert)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			d.ID, d.CertID = NewID(), NewID()
		case err != nil:
			return err
		case owner != d.AccountID:
			return ErrExists
		default:
			d.ID, d.CertID = id, cert
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO custom_domains (id, account_id, hostname, service, environment, zone_id, zone_name, cert_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (hostname) DO UPDATE SET service = excluded.service, environment = excluded.environment, zone_id = excluded.zone_id, zone_name = excluded.zone_name`,
			d.ID, d.AccountID, d.Hostname, d.Service, d.Environment, d.ZoneID, d.ZoneName, d.CertID)
		return err
	})
	if err != nil {
		return d, fmt.Errorf("custom domain %q: %w", d.Hostname, err)
	}
	return d, nil
}

const domainCols = `id, account_id, hostname, service, environment, zone_id, zone_name, cert_id`

// CustomDomainFilter selects custom domains; empty fields match all.
type CustomDomainFilter struct {
	Hostname, Service, ZoneID, ZoneName, Environment string
}

// CustomDomains lists an account's custom domains.
func (s *Store) CustomDomains(ctx context.Context, account string, f CustomDomainFilter) ([]CustomDomain, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+domainCols+` FROM custom_domains WHERE account_id = ?
		AND (? = '' OR hostname = ?) AND (? = '' OR service = ?) AND (? = '' OR zone_id = ?) AND (? = '' OR zone_name = ?) AND (? = '' OR environment = ?) ORDER BY hostname`,
		account, f.Hostname, strings.ToLower(f.Hostname), f.Service, f.Service, f.ZoneID, f.ZoneID, f.ZoneName, f.ZoneName, f.Environment, f.Environment)
	if err != nil {
		return nil, fmt.Errorf("custom domains: %w", err)
	}
	defer rows.Close()
	out := []CustomDomain{}
	for rows.Next() {
		var d CustomDomain
		if err := rows.Scan(&d.ID, &d.AccountID, &d.Hostname, &d.Service, &d.Environment, &d.ZoneID, &d.ZoneName, &d.CertID); err != nil {
			return nil, fmt.Errorf("custom domains: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// CustomDomain returns one custom domain by id.
func (s *Store) CustomDomain(ctx context.Context, account, id string) (CustomDomain, error) {
	var d CustomDomain
	err := s.r.QueryRowContext(ctx, `SELECT `+domainCols+` FROM custom_domains WHERE account_id = ? AND id = ?`, account, id).
		Scan(&d.ID, &d.AccountID, &d.Hostname, &d.Service, &d.Environment, &d.ZoneID, &d.ZoneName, &d.CertID)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("custom domain %s: %w", id, ErrNotFound)
	}
	return d, err
}

// CustomDomainByHost returns the custom domain for a hostname.
func (s *Store) CustomDomainByHost(ctx context.Context, host string) (CustomDomain, error) {
	var d CustomDomain
	err := s.r.QueryRowContext(ctx, `SELECT `+domainCols+` FROM custom_domains WHERE hostname = ?`, strings.ToLower(host)).
		Scan(&d.ID, &d.AccountID, &d.Hostname, &d.Service, &d.Environment, &d.ZoneID, &d.ZoneName, &d.CertID)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("custom domain %s: %w", host, ErrNotFound)
	}
	return d, err
}

// DeleteCustomDomain detaches a hostname.
func (s *Store) DeleteCustomDomain(ctx context.Context, account, id string) error {
	return s.deleteOne(ctx, fmt.Sprintf("custom domain %s", id), `DELETE FROM custom_domains WHERE account_id = ? AND id = ?`, account, id)
}

// Workflow is a Workflows definition backed by a Worker class.
type Workflow struct {
	ID         string
	AccountID  string
	Name       string
	ClassName  string
	ScriptName string
	CreatedOn  string
	ModifiedOn string
}

// PutWorkflow creates or updates a workflow by name.
func (s *Store) PutWorkflow(ctx context.Context, account, name, className, scriptName string) (Workflow, error) {
	if !validQueueName(name) {
		return Workflow{}, fmt.Errorf("workflow %q: %w: names are 1–63 characters of a-z, 0-9, - and _", name, ErrInvalid)
	}
	now := s.stamp()
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO workflows (id, account_id, name, class_name, script_name, created_on, modified_on) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (account_id, name) DO UPDATE SET class_name = excluded.class_name, script_name = excluded.script_name, modified_on = excluded.modified_on`,
			NewUUID(), account, name, className, scriptName, now, now)
		return err
	})
	if err != nil {
		return Workflow{}, fmt.Errorf("workflow %q: put: %w", name, err)
	}
	return s.Workflow(ctx, account, name)
}

const workflowCols = `id, account_id, name, class_name, script_name, created_on, modified_on`

// Workflow returns a workflow by name.
func (s *Store) Workflow(ctx context.Context, account, name string) (Workflow, error) {
	var w Workflow
	err := s.r.QueryRowContext(ctx, `SELECT `+workflowCols+` FROM workflows WHERE account_id = ? AND name = ?`, account, name).
		Scan(&w.ID, &w.AccountID, &w.Name, &w.ClassName, &w.ScriptName, &w.CreatedOn, &w.ModifiedOn)
	if errors.Is(err, sql.ErrNoRows) {
		return w, fmt.Errorf("workflow %q: %w", name, ErrNotFound)
	}
	return w, err
}

// Workflows lists an account's workflows by name.
func (s *Store) Workflows(ctx context.Context, account string) ([]Workflow, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+workflowCols+` FROM workflows WHERE account_id = ? ORDER BY name`, account)
	if err != nil {
		return nil, fmt.Errorf("workflows: %w", err)
	}
	defer rows.Close()
	out := []Workflow{}
	for rows.Next() {
		var w Workflow
		if err := rows.Scan(&w.ID, &w.AccountID, &w.Name, &w.ClassName, &w.ScriptName, &w.CreatedOn, &w.ModifiedOn); err != nil {
			return nil, fmt.Errorf("workflows: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// DeleteWorkflow removes a workflow.
func (s *Store) DeleteWorkflow(ctx context.Context, account, name string) error {
	return s.deleteOne(ctx, fmt.Sprintf("workflow %q", name), `DELETE FROM workflows WHERE account_id = ? AND name = ?`, account, name)
}

// PutAsset stores a static asset by its content hash.
func (s *Store) PutAsset(ctx context.Context, hash, contentType string, content []byte) error {
	return s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO assets (hash, content_type, content) VALUES (?, ?, ?) ON CONFLICT (hash) DO UPDATE SET content_type = excluded.content_type, content = excluded.content`,
			hash, contentType, content)
		return err
	})
}

// Asset returns a static asset by hash.
func (s *Store) Asset(ctx context.Context, hash string) (contentType string, content []byte, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT content_type, content FROM assets WHERE hash = ?`, hash).Scan(&contentType, &content)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, fmt.Errorf("asset %s: %w", hash, ErrNotFound)
	}
	return contentType, content, err
}

// MissingAssets returns the hashes among hashes that are not stored yet.
func (s *Store) MissingAssets(ctx context.Context, hashes []string) ([]string, error) {
	var out []string
	for _, h := range hashes {
		var n int
		if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM assets WHERE hash = ?`, h).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			out = append(out, h)
		}
	}
	return out, nil
}
