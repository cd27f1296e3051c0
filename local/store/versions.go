package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// Version is one uploaded version of a Worker.
type Version struct {
	ID          string
	Number      int
	CreatedOn   string
	Source      string
	Annotations json.RawMessage
}

// Deployment puts versions of a Worker live.
type Deployment struct {
	ID          string
	CreatedOn   string
	Source      string
	Strategy    string
	Versions    []DeploymentVersion
	Annotations json.RawMessage
}

// DeploymentVersion is a version's share of traffic.
type DeploymentVersion struct {
	VersionID  string  `json:"version_id"`
	Percentage float64 `json:"percentage"`
}

// newVersion records a version and deploys it at 100%.
func (s *Store) newVersion(ctx context.Context, tx *sql.Tx, account, script, source string, annotations json.RawMessage) error {
	if source == "" {
		source = "api"
	}
	if annotations == nil {
		annotations = json.RawMessage("{}")
	}
	var n int
	tx.QueryRowContext(ctx, `SELECT coalesce(max(number), 0) FROM script_versions WHERE account_id = ? AND script = ?`, account, script).Scan(&n)
	id := NewUUID()
	now := s.stamp()
	if _, err := tx.ExecContext(ctx, `INSERT INTO script_versions (id, account_id, script, number, created_on, source, annotations) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, account, script, n+1, now, source, string(annotations)); err != nil {
		return fmt.Errorf("version: %w", err)
	}
	versions, _ := json.Marshal([]DeploymentVersion{{VersionID: id, Percentage: 100}})
	if _, err := tx.ExecContext(ctx, `INSERT INTO script_deployments (id, account_id, script, created_on, source, versions, annotations) VALUES (?, ?, ?, ?, ?, ?, '{}')`,
		NewUUID(), account, script, now, source, string(versions)); err != nil {
		return fmt.Errorf("deployment: %w", err)
	}
	return nil
}

// Versions lists a Worker's versions, newest first.
func (s *Store) Versions(ctx context.Context, account, script string) ([]Version, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, number, created_on, source, annotations FROM script_versions WHERE account_id = ? AND script = ? ORDER BY number DESC`, account, script)
	if err != nil {
		return nil, fmt.Errorf("script %q: versions: %w", script, err)
	}
	defer rows.Close()
	out := []Version{}
	for rows.Next() {
		var v Version
		var ann string
		if err := rows.Scan(&v.ID, &v.Number, &v.CreatedOn, &v.Source, &ann); err != nil {
			return nil, fmt.Errorf("script %q: versions: %w", script, err)
		}
		v.Annotations = json.RawMessage(ann)
		out = append(out, v)
	}
	return out, rows.Err()
}

// Version returns one version.
func (s *Store) Version(ctx context.Context, account, script, id string) (Version, error) {
	vs, err := s.Versions(ctx, account, script)
	if err != nil {
		return Version{}, err
	}
	for _, v := range vs {
		if v.ID == id {
			return v, nil
		}
	}
	return Version{}, fmt.Errorf("script %q: version %s: %w", script, id, ErrNotFound)
}

// Deployments lists a Worker's deployments, newest first.
func (s *Store) Deployments(ctx context.Context, account, script string) ([]Deployment, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, created_on, source, versions, annotations FROM script_deployments WHERE account_id = ? AND script = ? ORDER BY rowid DESC`, account, script)
	if err != nil {
		return nil, fmt.Errorf("script %q: deployments: %w", script, err)
	}
	defer rows.Close()
	out := []Deployment{}
	for rows.Next() {
		d := Deployment{Strategy: "percentage"}
		var vs, ann string
		if err := rows.Scan(&d.ID, &d.CreatedOn, &d.Source, &vs, &ann); err != nil {
			return nil, fmt.Errorf("script %q: deployments: %w", script, err)
		}
		json.Unmarshal([]byte(vs), &d.Versions)
		d.Annotations = json.RawMessage(ann)
		out = append(out, d)
	}
	return out, rows.Err()
}

// Deploy records a deployment of existing versions.
func (s *Store) Deploy(ctx context.Context, account, script string, versions []DeploymentVersion, annotations json.RawMessage) (Deployment, error) {
	if annotations == nil {
		annotations = json.RawMessage("{}")
	}
	d := Deployment{ID: NewUUID(), CreatedOn: s.stamp(), Source: "api", Strategy: "percentage", Versions: versions, Annotations: annotations}
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		total := 0.0
		for _, v := range versions {
			var n int
			tx.QueryRowContext(ctx, `SELECT count(*) FROM script_versions WHERE account_id = ? AND script = ? AND id = ?`, account, script, v.VersionID).Scan(&n)
			if n == 0 {
				return fmt.Errorf("version %s: %w", v.VersionID, ErrNotFound)
			}
			total += v.Percentage
		}
		if len(versions) == 0 || total != 100 {
			return fmt.Errorf("%w: percentages must add up to 100", ErrInvalid)
		}
		raw, _ := json.Marshal(versions)
		_, err := tx.ExecContext(ctx, `INSERT INTO script_deployments (id, account_id, script, created_on, source, versions, annotations) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			d.ID, account, script, d.CreatedOn, d.Source, string(raw), string(annotations))
		return err
	})
	if err != nil {
		return Deployment{}, fmt.Errorf("script %q: deploy: %w", script, err)
	}
	return d, nil
}

// DONamespace is a Durable Object namespace, created by a migration.
type DONamespace struct {
	ID        string
	AccountID string
	Script    string
	Class     string
	UseSQLite bool
}

// Name is Cloudflare's name of the namespace: "<script>_<Class>".
func (n DONamespace) Name() string { return n.Script + "_" + n.Class }

// DONamespaces lists an account's Durable Object namespaces.
func (s *Store) DONamespaces(ctx context.Context, account string) ([]DONamespace, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, account_id, script, class, use_sqlite FROM do_namespaces WHERE account_id = ? ORDER BY script, class`, account)
	if err != nil {
		return nil, fmt.Errorf("durable object namespaces: %w", err)
	}
	defer rows.Close()
	out := []DONamespace{}
	for rows.Next() {
		var n DONamespace
		if err := rows.Scan(&n.ID, &n.AccountID, &n.Script, &n.Class, &n.UseSQLite); err != nil {
			return nil, fmt.Errorf("durable object namespaces: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// DONamespaceOf returns the namespace of a class of a script.
func (s *Store) DONamespaceOf(ctx context.Context, account, script, class string) (DONamespace, error) {
	var n DONamespace
	err := s.r.QueryRowContext(ctx, `SELECT id, account_id, script, class, use_sqlite FROM do_namespaces WHERE account_id = ? AND script = ? AND class = ?`, account, script, class).
		Scan(&n.ID, &n.AccountID, &n.Script, &n.Class, &n.UseSQLite)
	if errors.Is(err, sql.ErrNoRows) {
		return n, fmt.Errorf("durable object class %s of %q: %w", class, script, ErrNotFound)
	}
	return n, err
}

// RecordVersion records an uploaded, undeployed version of a Worker.
func (s *Store) RecordVersion(ctx context.Context, account, script, source string, annotations json.RawMessage) (Version, error) {
	if annotations == nil {
		annotations = json.RawMessage("{}")
	}
	v := Version{ID: NewUUID(), CreatedOn: s.stamp(), Source: source, Annotations: annotations}
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		tx.QueryRowContext(ctx, `SELECT coalesce(max(number), 0) + 1 FROM script_versions WHERE account_id = ? AND script = ?`, account, script).Scan(&v.Number)
		_, err := tx.ExecContext(ctx, `INSERT INTO script_versions (id, account_id, script, number, created_on, source, annotations) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			v.ID, account, script, v.Number, v.CreatedOn, source, string(annotations))
		return err
	})
	if err != nil {
		return Version{}, fmt.Errorf("script %q: version: %w", script, err)
	}
	return v, nil
}
