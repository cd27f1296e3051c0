package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Binding is one binding of a Worker in Cloudflare's JSON shape: "name",
// "type" and the type's own fields (see Cloudflare's script upload
// metadata). Secret values are plain in memory and sealed on disk.
type Binding map[string]any

// Name is the binding's variable name.
func (b Binding) Name() string { return b.Str("name") }

// Type is the binding's type ("kv_namespace", "r2_bucket", …).
func (b Binding) Type() string { return b.Str("type") }

// Str returns a string field ("" when absent or not a string).
func (b Binding) Str(field string) string {
	v, _ := b[field].(string)
	return v
}

// IsSecret reports whether the binding holds a write-only value.
func (b Binding) IsSecret() bool { return b.Type() == "secret_text" || b.Type() == "secret_key" }

// Redacted returns what the API shows of a binding: secrets lose their values.
func (b Binding) Redacted() Binding {
	if !b.IsSecret() {
		return b
	}
	return Binding{"name": b.Name(), "type": b.Type()}
}

// Module is one uploaded file of a Worker.
type Module struct {
	Name        string
	ContentType string
	Content     []byte
}

// Schedule is a cron trigger.
type Schedule struct {
	Cron       string `json:"cron"`
	CreatedOn  string `json:"created_on"`
	ModifiedOn string `json:"modified_on"`
}

// ScriptSettings are the settings Cloudflare round-trips through
// GET/PATCH …/settings. Fields the store does not interpret stay raw JSON.
type ScriptSettings struct {
	Bindings           []Binding       `json:"bindings"`
	CompatibilityDate  string          `json:"compatibility_date,omitempty"`
	CompatibilityFlags []string        `json:"compatibility_flags"`
	Tags               []string        `json:"tags"`
	Logpush            bool            `json:"logpush"`
	UsageModel         string          `json:"usage_model,omitempty"`
	Observability      json.RawMessage `json:"observability,omitempty"`
	Placement          json.RawMessage `json:"placement,omitempty"`
	Limits             json.RawMessage `json:"limits,omitempty"`
	TailConsumers      json.RawMessage `json:"tail_consumers,omitempty"`
}

// Assets is the static-asset manifest of a Worker (path → content hash)
// with its serving configuration.
type Assets struct {
	Manifest map[string]AssetEntry `json:"manifest"`
	Config   json.RawMessage       `json:"config,omitempty"`
}

// AssetEntry is one file of an asset manifest.
type AssetEntry struct {
	Hash string `json:"hash"`
	Size int64  `json:"size"`
}

// Script is a deployed Worker.
type Script struct {
	AccountID        string
	Name             string
	Tag              string // 32-hex id
	ETag             string
	MainModule       string // ES module entry ("" for service-worker syntax)
	BodyPart         string // service-worker entry part
	Modules          []Module
	Settings         ScriptSettings
	Handlers         []string
	MigrationTag     string
	SubdomainEnabled bool
	PreviewsEnabled  bool
	Schedules        []Schedule
	Assets           *Assets
	CreatedOn        string
	ModifiedOn       string
	VersionID        string // the latest version
}

// Entry returns the module that starts the Worker.
func (s *Script) Entry() (Module, bool) {
	want := s.MainModule
	if want == "" {
		want = s.BodyPart
	}
	for _, m := range s.Modules {
		if m.Name == want {
			return m, true
		}
	}
	return Module{}, false
}

// Migrations are Durable Object class migrations sent with an upload,
// either one step or several.
type Migrations struct {
	OldTag string          `json:"old_tag,omitempty"`
	NewTag string          `json:"new_tag,omitempty"`
	Steps  []MigrationStep `json:"steps,omitempty"`
	MigrationStep
}

// MigrationStep is one set of class changes.
type MigrationStep struct {
	NewClasses         []string           `json:"new_classes,omitempty"`
	NewSqliteClasses   []string           `json:"new_sqlite_classes,omitempty"`
	DeletedClasses     []string           `json:"deleted_classes,omitempty"`
	RenamedClasses     []RenamedClass     `json:"renamed_classes,omitempty"`
	TransferredClasses []TransferredClass `json:"transferred_classes,omitempty"`
}

// RenamedClass renames a class of the same script.
type RenamedClass struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// TransferredClass moves a class from another script.
type TransferredClass struct {
	From       string `json:"from"`
	FromScript string `json:"from_script"`
	To         string `json:"to"`
}

// MigrationTagError is the precondition failure of a migration: the script's
// current tag is not the one the upload expected.
type MigrationTagError struct {
	Current string // the script's tag, which old_tag must equal
	Sent    string // the old_tag of the upload
}

// Error names the tag the server expects last, in the wording clients
// parse to retry with the right old_tag.
func (e *MigrationTagError) Error() string {
	return fmt.Sprintf("Migration tag precondition failed; old_tag '%s' was sent; current tag is '%s' when expected tag is '%s'", e.Sent, e.Current, e.Current)
}

func (e *MigrationTagError) Unwrap() error { return ErrPrecondition }

// BindingError reports a binding that refers to something that does not
// exist.
type BindingError struct {
	Binding string // variable name
	Type    string
	Ref     string // the missing id or name
	Reason  string
}

func (e *BindingError) Error() string { return e.Reason }
func (e *BindingError) Unwrap() error { return ErrInvalid }

// ScriptUpload is everything a script upload carries.
type ScriptUpload struct {
	MainModule   string
	BodyPart     string
	Modules      []Module
	Settings     ScriptSettings
	Migrations   *Migrations
	KeepBindings []string // binding types to carry over from the previous version
	Assets       *Assets  // nil: none, unless KeepAssets
	KeepAssets   bool
	Source       string // who deployed ("api", "wrangler", …) for versions
	Annotations  json.RawMessage
}

// PutScript creates or replaces a Worker: modules, settings, migrations and
// binding checks in one transaction. It then emits ScriptUpdated.
func (s *Store) PutScript(ctx context.Context, account, name string, up ScriptUpload) (*Script, error) {
	if !validScriptName(name) {
		return nil, fmt.Errorf("script %q: %w: names are 1–63 characters of a-z, 0-9, - and _", name, ErrInvalid)
	}
	entry := up.MainModule
	if entry == "" {
		entry = up.BodyPart
	}
	if entry == "" {
		return nil, fmt.Errorf("script %q: %w: metadata names neither main_module nor body_part", name, ErrInvalid)
	}
	if !slices.ContainsFunc(up.Modules, func(m Module) bool { return m.Name == entry }) {
		return nil, fmt.Errorf("script %q: %w: no module named %q was uploaded", name, ErrInvalid, entry)
	}
	now := s.stamp()
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		prev, err := s.scriptTx(ctx, tx, account, name)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		set := up.Settings
		var prevBindings []Binding
		if prev != nil {
			prevBindings = prev.Settings.Bindings
		}
		set.Bindings = MergeBindings(prevBindings, set.Bindings, up.KeepBindings)
		tag := ""
		if prev != nil {
			tag = prev.MigrationTag
		}
		if tag, err = s.applyMigrations(ctx, tx, account, name, tag, up.Migrations); err != nil {
			return err
		}
		if err := s.checkBindings(ctx, tx, account, name, set.Bindings); err != nil {
			return err
		}
		assets := up.Assets
		if assets == nil && up.KeepAssets && prev != nil {
			assets = prev.Assets
		}
		sc := &Script{AccountID: account, Name: name, Tag: NewID(), MainModule: up.MainModule, BodyPart: up.BodyPart, Modules: up.Modules,
			Settings: set, MigrationTag: tag, Assets: assets, CreatedOn: now, ModifiedOn: now, Schedules: []Schedule{}}
		if prev != nil {
			sc.Tag, sc.CreatedOn = prev.Tag, prev.CreatedOn
			sc.SubdomainEnabled, sc.PreviewsEnabled, sc.Schedules = prev.SubdomainEnabled, prev.PreviewsEnabled, prev.Schedules
		}
		sc.ETag = scriptETag(sc.Modules)
		sc.Handlers = DetectHandlers(sc)
		if err := s.writeScript(ctx, tx, sc, true); err != nil {
			return err
		}
		return s.newVersion(ctx, tx, account, name, up.Source, up.Annotations)
	})
	if err != nil {
		return nil, fmt.Errorf("script %q: upload: %w", name, err)
	}
	s.emit(Event{Kind: ScriptUpdated, AccountID: account, Name: name})
	return s.Script(ctx, account, name)
}

func validScriptName(n string) bool {
	if n == "" || len(n) > 63 {
		return false
	}
	for _, c := range n {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// MergeBindings resolves "inherit" bindings, secrets sent without a value
// and keep_bindings against the previous version's bindings.
func MergeBindings(prev, next []Binding, keepTypes []string) []Binding {
	byName := map[string]Binding{}
	for _, b := range prev {
		byName[b.Name()] = b
	}
	out := make([]Binding, 0, len(next))
	have := map[string]bool{}
	for _, b := range next {
		switch {
		case b.Type() == "inherit":
			from := b.Str("old_name")
			if from == "" {
				from = b.Name()
			}
			if old, ok := byName[from]; ok {
				nb := Binding{}
				for k, v := range old {
					nb[k] = v
				}
				nb["name"] = b.Name()
				b = nb
			} else {
				continue
			}
		case b.IsSecret() && b["text"] == nil && b["key_base64"] == nil && b["key_jwk"] == nil:
			if old, ok := byName[b.Name()]; ok && old.Type() == b.Type() {
				b = old
			}
		}
		have[b.Name()] = true
		out = append(out, b)
	}
	for _, b := range prev {
		if !have[b.Name()] && slices.Contains(keepTypes, b.Type()) {
			out = append(out, b)
			have[b.Name()] = true
		}
	}
	return out
}

func scriptETag(mods []Module) string {
	h := sha256.New()
	for _, m := range mods {
		fmt.Fprintf(h, "%s\x00%s\x00%d\x00", m.Name, m.ContentType, len(m.Content))
		h.Write(m.Content)
	}
	return hex.EncodeToString(h.Sum(nil))
}

var handlerPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\b(fetch|scheduled|queue|email|tail|trace|tailStream)\s*(?:\(|:|=\s*(?:async\s*)?(?:function|\())`)
})

// DetectHandlers guesses which event handlers the entry module exports by
// looking for handler methods in its source. A Worker runtime replaces the
// guess with what the module really exports.
func DetectHandlers(sc *Script) []string {
	m, ok := sc.Entry()
	if !ok {
		return []string{}
	}
	seen := map[string]bool{}
	for _, g := range handlerPattern().FindAllStringSubmatch(string(m.Content), -1) {
		seen[g[1]] = true
	}
	if sc.MainModule == "" && strings.Contains(string(m.Content), "addEventListener") {
		seen["fetch"] = true
	}
	out := []string{}
	for h := range seen {
		out = append(out, h)
	}
	sort.Strings(out)
	return out
}

func (s *Store) applyMigrations(ctx context.Context, tx *sql.Tx, account, script, current string, m *Migrations) (string, error) {
	if m == nil {
		return current, nil
	}
	if m.OldTag != current {
		return current, &MigrationTagError{Current: current, Sent: m.OldTag}
	}
	steps := m.Steps
	if len(steps) == 0 {
		steps = []MigrationStep{m.MigrationStep}
	}
	for _, st := range steps {
		if err := s.applyStep(ctx, tx, account, script, st); err != nil {
			return current, err
		}
	}
	if m.NewTag != "" {
		return m.NewTag, nil
	}
	return current, nil
}

func (s *Store) applyStep(ctx context.Context, tx *sql.Tx, account, script string, st MigrationStep) error {
	create := func(class string, sqlite bool) error {
		var n int
		tx.QueryRowContext(ctx, `SELECT count(*) FROM do_namespaces WHERE account_id = ? AND script = ? AND class = ?`, account, script, class).Scan(&n)
		if n > 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO do_namespaces (id, account_id, script, class, use_sqlite) VALUES (?, ?, ?, ?, ?)`, NewID(), account, script, class, sqlite)
		return err
	}
	for _, c := range st.NewClasses {
		if err := create(c, false); err != nil {
			return fmt.Errorf("migration new class %q: %w", c, err)
		}
	}
	for _, c := range st.NewSqliteClasses {
		if err := create(c, true); err != nil {
			return fmt.Errorf("migration new sqlite class %q: %w", c, err)
		}
	}
	for _, c := range st.DeletedClasses {
		res, err := tx.ExecContext(ctx, `DELETE FROM do_namespaces WHERE account_id = ? AND script = ? AND class = ?`, account, script, c)
		if err != nil {
			return fmt.Errorf("migration delete class %q: %w", c, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &BindingError{Type: "durable_object_namespace", Ref: c, Reason: fmt.Sprintf("Cannot apply deleted_classes migration to class '%s' that is not in the script", c)}
		}
	}
	for _, r := range st.RenamedClasses {
		res, err := tx.ExecContext(ctx, `UPDATE do_namespaces SET class = ? WHERE account_id = ? AND script = ? AND class = ?`, r.To, account, script, r.From)
		if err != nil {
			return fmt.Errorf("migration rename class %q: %w", r.From, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &BindingError{Type: "durable_object_namespace", Ref: r.From, Reason: fmt.Sprintf("Cannot apply renamed_classes migration to class '%s' that is not in the script", r.From)}
		}
	}
	for _, t := range st.TransferredClasses {
		res, err := tx.ExecContext(ctx, `UPDATE do_namespaces SET script = ?, class = ? WHERE account_id = ? AND script = ? AND class = ?`, script, t.To, account, t.FromScript, t.From)
		if err != nil {
			return fmt.Errorf("migration transfer class %q: %w", t.From, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &BindingError{Type: "durable_object_namespace", Ref: t.From, Reason: fmt.Sprintf("Cannot apply transferred_classes migration: class '%s' of script '%s' does not exist", t.From, t.FromScript)}
		}
	}
	return nil
}

// checkBindings verifies that every binding refers to something that exists.
func (s *Store) checkBindings(ctx context.Context, tx *sql.Tx, account, script string, bindings []Binding) error {
	exists := func(q string, args ...any) bool {
		var n int
		tx.QueryRowContext(ctx, q, args...).Scan(&n)
		return n > 0
	}
	seen := map[string]bool{}
	for _, b := range bindings {
		name, typ := b.Name(), b.Type()
		if name == "" || typ == "" {
			return &BindingError{Binding: name, Type: typ, Reason: "Binding is missing its name or type"}
		}
		if seen[name] {
			return &BindingError{Binding: name, Type: typ, Reason: fmt.Sprintf("Binding name '%s' is used more than once", name)}
		}
		seen[name] = true
		switch typ {
		case "kv_namespace":
			id := b.Str("namespace_id")
			if !exists(`SELECT count(*) FROM kv_namespaces WHERE account_id = ? AND id = ?`, account, id) {
				return &BindingError{Binding: name, Type: typ, Ref: id, Reason: fmt.Sprintf("KV namespace '%s' is not valid. [code: 10042]", id)}
			}
		case "r2_bucket":
			bucket := b.Str("bucket_name")
			if !exists(`SELECT count(*) FROM r2_buckets WHERE account_id = ? AND name = ?`, account, bucket) {
				return &BindingError{Binding: name, Type: typ, Ref: bucket, Reason: fmt.Sprintf("R2 bucket '%s' cannot be found for binding '%s'", bucket, name)}
			}
		case "d1":
			id := b.Str("database_id")
			if id == "" {
				id = b.Str("id")
			}
			if !exists(`SELECT count(*) FROM d1_databases WHERE account_id = ? AND uuid = ?`, account, id) {
				return &BindingError{Binding: name, Type: typ, Ref: id, Reason: fmt.Sprintf("D1 database '%s' cannot be found for binding '%s'", id, name)}
			}
		case "queue":
			q := b.Str("queue_name")
			if !exists(`SELECT count(*) FROM queues WHERE account_id = ? AND name = ?`, account, q) {
				return &BindingError{Binding: name, Type: typ, Ref: q, Reason: fmt.Sprintf("Queue '%s' does not exist for binding '%s'", q, name)}
			}
		case "service":
			svc := b.Str("service")
			if svc != script && !exists(`SELECT count(*) FROM scripts WHERE account_id = ? AND name = ?`, account, svc) {
				return &BindingError{Binding: name, Type: typ, Ref: svc, Reason: fmt.Sprintf("Could not resolve service binding '%s'. Target script '%s' not found.", name, svc)}
			}
		case "durable_object_namespace":
			class := b.Str("class_name")
			owner := b.Str("script_name")
			if owner == "" {
				owner = script
			}
			if !exists(`SELECT count(*) FROM do_namespaces WHERE account_id = ? AND script = ? AND class = ?`, account, owner, class) {
				return &BindingError{Binding: name, Type: typ, Ref: class, Reason: fmt.Sprintf(
					"Cannot create binding for class '%s' of script '%s': no Durable Object namespace exists; add a migration with new_classes or new_sqlite_classes", class, owner)}
			}
		}
	}
	return nil
}

// writeScript upserts the script row (sealing secrets); with modules it also
// replaces the modules and reference index.
func (s *Store) writeScript(ctx context.Context, tx *sql.Tx, sc *Script, withModules bool) error {
	sealed := make([]Binding, len(sc.Settings.Bindings))
	for i, b := range sc.Settings.Bindings {
		sealed[i] = s.sealBinding(b)
	}
	set := sc.Settings
	set.Bindings = sealed
	if set.CompatibilityFlags == nil {
		set.CompatibilityFlags = []string{}
	}
	if set.Tags == nil {
		set.Tags = []string{}
	}
	setJSON, err := json.Marshal(set)
	if err != nil {
		return err
	}
	handlers, _ := json.Marshal(sc.Handlers)
	schedules, _ := json.Marshal(sc.Schedules)
	assets := ""
	if sc.Assets != nil {
		raw, _ := json.Marshal(sc.Assets)
		assets = string(raw)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO scripts (account_id, name, tag, etag, main_module, body_part, settings, handlers, migration_tag, subdomain_enabled, previews_enabled, schedules, assets, created_on, modified_on)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account_id, name) DO UPDATE SET tag = excluded.tag, etag = excluded.etag, main_module = excluded.main_module, body_part = excluded.body_part,
		settings = excluded.settings, handlers = excluded.handlers, migration_tag = excluded.migration_tag, subdomain_enabled = excluded.subdomain_enabled,
		previews_enabled = excluded.previews_enabled, schedules = excluded.schedules, assets = excluded.assets, modified_on = excluded.modified_on`,
		sc.AccountID, sc.Name, sc.Tag, sc.ETag, sc.MainModule, sc.BodyPart, string(setJSON), string(handlers), sc.MigrationTag,
		sc.SubdomainEnabled, sc.PreviewsEnabled, string(schedules), assets, sc.CreatedOn, sc.ModifiedOn)
	if err != nil {
		return fmt.Errorf("write: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM script_refs WHERE account_id = ? AND script = ?`, sc.AccountID, sc.Name); err != nil {
		return err
	}
	for _, b := range sc.Settings.Bindings {
		ref := bindingRef(b)
		if ref == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO script_refs (account_id, script, binding, type, ref) VALUES (?, ?, ?, ?, ?)`, sc.AccountID, sc.Name, b.Name(), b.Type(), ref); err != nil {
			return err
		}
	}
	if !withModules {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM script_modules WHERE account_id = ? AND script = ?`, sc.AccountID, sc.Name); err != nil {
		return err
	}
	for i, m := range sc.Modules {
		if _, err := tx.ExecContext(ctx, `INSERT INTO script_modules (account_id, script, position, name, content_type, content) VALUES (?, ?, ?, ?, ?, ?)`,
			sc.AccountID, sc.Name, i, m.Name, m.ContentType, m.Content); err != nil {
			return fmt.Errorf("write module %q: %w", m.Name, err)
		}
	}
	return nil
}

// bindingRef is what a binding points at, for reverse lookups.
func bindingRef(b Binding) string {
	switch b.Type() {
	case "kv_namespace":
		return b.Str("namespace_id")
	case "r2_bucket":
		return b.Str("bucket_name")
	case "d1":
		if id := b.Str("database_id"); id != "" {
			return id
		}
		return b.Str("id")
	case "queue":
		return b.Str("queue_name")
	case "service":
		return b.Str("service")
	case "workflow":
		return b.Str("workflow_name")
	case "durable_object_namespace":
		return b.Str("script_name") + "/" + b.Str("class_name")
	}
	return ""
}

func (s *Store) sealBinding(b Binding) Binding {
	if !b.IsSecret() {
		return b
	}
	out := Binding{}
	for k, v := range b {
		out[k] = v
	}
	for _, f := range []string{"text", "key_base64", "key_jwk"} {
		v, ok := out[f]
		if !ok || v == nil {
			continue
		}
		raw, _ := json.Marshal(v)
		out[f] = s.sealer.seal(string(raw))
	}
	return out
}

func (s *Store) openBinding(b Binding) (Binding, error) {
	if !b.IsSecret() {
		return b, nil
	}
	for _, f := range []string{"text", "key_base64", "key_jwk"} {
		v, ok := b[f].(string)
		if !ok {
			continue
		}
		plain, err := s.sealer.open(v)
		if err != nil {
			return nil, fmt.Errorf("binding %q: %w", b.Name(), err)
		}
		var val any
		if err := json.Unmarshal([]byte(plain), &val); err != nil {
			return nil, fmt.Errorf("binding %q: %w", b.Name(), err)
		}
		b[f] = val
	}
	return b, nil
}

const scriptCols = `account_id, name, tag, etag, main_module, body_part, settings, handlers, migration_tag, subdomain_enabled, previews_enabled, schedules, assets, created_on, modified_on,
	coalesce((SELECT v.id FROM script_versions v WHERE v.account_id = scripts.account_id AND v.script = scripts.name ORDER BY v.number DESC LIMIT 1), '')`

type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (s *Store) scanScript(sc interface{ Scan(...any) error }) (*Script, error) {
	var x Script
	var set, handlers, schedules, assets string
	if err := sc.Scan(&x.AccountID, &x.Name, &x.Tag, &x.ETag, &x.MainModule, &x.BodyPart, &set, &handlers, &x.MigrationTag,
		&x.SubdomainEnabled, &x.PreviewsEnabled, &schedules, &assets, &x.CreatedOn, &x.ModifiedOn, &x.VersionID); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(set), &x.Settings); err != nil {
		return nil, fmt.Errorf("script %q: settings: %w", x.Name, err)
	}
	for i, b := range x.Settings.Bindings {
		ob, err := s.openBinding(b)
		if err != nil {
			return nil, fmt.Errorf("script %q: %w", x.Name, err)
		}
		x.Settings.Bindings[i] = ob
	}
	if x.Settings.Bindings == nil {
		x.Settings.Bindings = []Binding{}
	}
	json.Unmarshal([]byte(handlers), &x.Handlers)
	json.Unmarshal([]byte(schedules), &x.Schedules)
	if assets != "" {
		x.Assets = &Assets{}
		json.Unmarshal([]byte(assets), x.Assets)
	}
	return &x, nil
}

func (s *Store) loadScript(ctx context.Context, q rowQuerier, account, name string, modules bool) (*Script, error) {
	sc, err := s.scanScript(q.QueryRowContext(ctx, `SELECT `+scriptCols+` FROM scripts WHERE account_id = ? AND name = ?`, account, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("script %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("script %q: %w", name, err)
	}
	if !modules {
		return sc, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT name, content_type, content FROM script_modules WHERE account_id = ? AND script = ? ORDER BY position`, account, name)
	if err != nil {
		return nil, fmt.Errorf("script %q: modules: %w", name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var m Module
		if err := rows.Scan(&m.Name, &m.ContentType, &m.Content); err != nil {
			return nil, fmt.Errorf("script %q: modules: %w", name, err)
		}
		sc.Modules = append(sc.Modules, m)
	}
	return sc, rows.Err()
}

func (s *Store) scriptTx(ctx context.Context, tx *sql.Tx, account, name string) (*Script, error) {
	return s.loadScript(ctx, tx, account, name, false)
}

// Script returns a Worker with its modules and (unsealed) settings.
func (s *Store) Script(ctx context.Context, account, name string) (*Script, error) {
	return s.loadScript(ctx, s.r, account, name, true)
}

// ScriptSummary returns a Worker without its modules.
func (s *Store) ScriptSummary(ctx context.Context, account, name string) (*Script, error) {
	return s.loadScript(ctx, s.r, account, name, false)
}

// Scripts lists an account's Workers (without modules) ordered by name.
func (s *Store) Scripts(ctx context.Context, account string) ([]*Script, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+scriptCols+` FROM scripts WHERE account_id = ? ORDER BY name`, account)
	if err != nil {
		return nil, fmt.Errorf("scripts: %w", err)
	}
	defer rows.Close()
	var out []*Script
	for rows.Next() {
		sc, err := s.scanScript(rows)
		if err != nil {
			return nil, fmt.Errorf("scripts: %w", err)
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}

// ScriptDependencyError reports why a script cannot be deleted without force.
type ScriptDependencyError struct{ Reason string }

func (e *ScriptDependencyError) Error() string { return e.Reason }
func (e *ScriptDependencyError) Unwrap() error { return ErrPrecondition }

// DeleteScript removes a Worker. Without force it refuses while the script
// owns Durable Object namespaces; with force those go too, with the
// script's queue consumers and custom domains.
func (s *Store) DeleteScript(ctx context.Context, account, name string, force bool) error {
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM scripts WHERE account_id = ? AND name = ?`, account, name).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		tx.QueryRowContext(ctx, `SELECT count(*) FROM do_namespaces WHERE account_id = ? AND script = ?`, account, name).Scan(&n)
		if n > 0 && !force {
			return &ScriptDependencyError{Reason: fmt.Sprintf("Script '%s' owns %d Durable Object namespace(s); delete it with force=true to remove them", name, n)}
		}
		stmts := []string{
			`DELETE FROM scripts WHERE account_id = ? AND name = ?`,
			`DELETE FROM script_refs WHERE account_id = ? AND script = ?`,
			`DELETE FROM script_versions WHERE account_id = ? AND script = ?`,
			`DELETE FROM script_deployments WHERE account_id = ? AND script = ?`,
			`DELETE FROM do_namespaces WHERE account_id = ? AND script = ?`,
		}
		if force {
			stmts = append(stmts,
				`DELETE FROM queue_consumers WHERE type = 'worker' AND queue_id IN (SELECT id FROM queues WHERE account_id = ?) AND script = ?`,
				`DELETE FROM custom_domains WHERE account_id = ? AND service = ?`)
		}
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q, account, name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("script %q: delete: %w", name, err)
	}
	s.emit(Event{Kind: ScriptDeleted, AccountID: account, Name: name})
	return nil
}

// SettingsPatch changes some settings of a script; nil fields stay.
type SettingsPatch struct {
	Bindings           *[]Binding
	CompatibilityDate  *string
	CompatibilityFlags *[]string
	Tags               *[]string
	Logpush            *bool
	UsageModel         *string
	Observability      json.RawMessage
	Placement          json.RawMessage
	Limits             json.RawMessage
	TailConsumers      json.RawMessage
}

// PatchScriptSettings applies a settings change as a new version.
func (s *Store) PatchScriptSettings(ctx context.Context, account, name string, p SettingsPatch) (*Script, error) {
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		sc, err := s.scriptTx(ctx, tx, account, name)
		if err != nil {
			return err
		}
		set := &sc.Settings
		if p.Bindings != nil {
			set.Bindings = MergeBindings(set.Bindings, *p.Bindings, nil)
			if err := s.checkBindings(ctx, tx, account, name, set.Bindings); err != nil {
				return err
			}
		}
		if p.CompatibilityDate != nil {
			set.CompatibilityDate = *p.CompatibilityDate
		}
		if p.CompatibilityFlags != nil {
			set.CompatibilityFlags = *p.CompatibilityFlags
		}
		if p.Tags != nil {
			set.Tags = *p.Tags
		}
		if p.Logpush != nil {
			set.Logpush = *p.Logpush
		}
		if p.UsageModel != nil {
			set.UsageModel = *p.UsageModel
		}
		for _, f := range []struct {
			src json.RawMessage
			dst *json.RawMessage
		}{{p.Observability, &set.Observability}, {p.Placement, &set.Placement}, {p.Limits, &set.Limits}, {p.TailConsumers, &set.TailConsumers}} {
			if f.src != nil {
				*f.dst = f.src
			}
		}
		sc.ModifiedOn = s.stamp()
		if err := s.writeScript(ctx, tx, sc, false); err != nil {
			return err
		}
		if p.Bindings != nil {
			return s.newVersion(ctx, tx, account, name, "api", nil)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("script %q: settings: %w", name, err)
	}
	s.emit(Event{Kind: ScriptUpdated, AccountID: account, Name: name})
	return s.Script(ctx, account, name)
}

// UpdateScriptContent replaces a Worker's modules, keeping its settings.
func (s *Store) UpdateScriptContent(ctx context.Context, account, name, mainModule, bodyPart string, modules []Module) (*Script, error) {
	entry := mainModule
	if entry == "" {
		entry = bodyPart
	}
	if entry == "" || !slices.ContainsFunc(modules, func(m Module) bool { return m.Name == entry }) {
		return nil, fmt.Errorf("script %q: content: %w: no entry module %q among the parts", name, ErrInvalid, entry)
	}
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		sc, err := s.scriptTx(ctx, tx, account, name)
		if err != nil {
			return err
		}
		sc.MainModule, sc.BodyPart, sc.Modules = mainModule, bodyPart, modules
		sc.ETag = scriptETag(modules)
		sc.Handlers = DetectHandlers(sc)
		sc.ModifiedOn = s.stamp()
		if err := s.writeScript(ctx, tx, sc, true); err != nil {
			return err
		}
		return s.newVersion(ctx, tx, account, name, "api", nil)
	})
	if err != nil {
		return nil, fmt.Errorf("script %q: content: %w", name, err)
	}
	s.emit(Event{Kind: ScriptUpdated, AccountID: account, Name: name})
	return s.Script(ctx, account, name)
}

// PutSecret adds or replaces one secret binding (a new version).
func (s *Store) PutSecret(ctx context.Context, account, script string, secret Binding) error {
	if !secret.IsSecret() || secret.Name() == "" {
		return fmt.Errorf("script %q: secret: %w: want a named secret_text or secret_key", script, ErrInvalid)
	}
	bs := []Binding{}
	sc, err := s.ScriptSummary(ctx, account, script)
	if err != nil {
		return err
	}
	for _, b := range sc.Settings.Bindings {
		if b.Name() != secret.Name() {
			bs = append(bs, b)
		}
	}
	bs = append(bs, secret)
	_, err = s.PatchScriptSettings(ctx, account, script, SettingsPatch{Bindings: &bs})
	return err
}

// DeleteSecret removes a secret binding.
func (s *Store) DeleteSecret(ctx context.Context, account, script, name string) error {
	sc, err := s.ScriptSummary(ctx, account, script)
	if err != nil {
		return err
	}
	bs := []Binding{}
	found := false
	for _, b := range sc.Settings.Bindings {
		if b.Name() == name && b.IsSecret() {
			found = true
			continue
		}
		bs = append(bs, b)
	}
	if !found {
		return fmt.Errorf("script %q: secret %q: %w", script, name, ErrNotFound)
	}
	_, err = s.PatchScriptSettings(ctx, account, script, SettingsPatch{Bindings: &bs})
	return err
}

// SetScriptSubdomain turns the workers.dev route of a script on or off.
func (s *Store) SetScriptSubdomain(ctx context.Context, account, script string, enabled, previews bool) error {
	err := s.updateScriptRow(ctx, account, script, `subdomain_enabled = ?, previews_enabled = ?`, enabled, previews)
	if err == nil {
		s.emit(Event{Kind: ScriptUpdated, AccountID: account, Name: script})
	}
	return err
}

// SetSchedules replaces a script's cron triggers.
func (s *Store) SetSchedules(ctx context.Context, account, script string, crons []string) ([]Schedule, error) {
	sc, err := s.ScriptSummary(ctx, account, script)
	if err != nil {
		return nil, err
	}
	prev := map[string]Schedule{}
	for _, x := range sc.Schedules {
		prev[x.Cron] = x
	}
	now := s.stamp()
	out := []Schedule{}
	for _, c := range crons {
		if n := len(strings.Fields(c)); n < 5 || n > 6 {
			return nil, fmt.Errorf("script %q: cron %q: %w: want 5 fields", script, c, ErrInvalid)
		}
		if old, ok := prev[c]; ok {
			out = append(out, old)
			continue
		}
		out = append(out, Schedule{Cron: c, CreatedOn: now, ModifiedOn: now})
	}
	raw, _ := json.Marshal(out)
	if err := s.updateScriptRow(ctx, account, script, `schedules = ?`, string(raw)); err != nil {
		return nil, err
	}
	s.emit(Event{Kind: ScriptUpdated, AccountID: account, Name: script})
	return out, nil
}

func (s *Store) updateScriptRow(ctx context.Context, account, script, set string, args ...any) error {
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE scripts SET `+set+` WHERE account_id = ? AND name = ?`, append(args, account, script)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("script %q: %w", script, err)
	}
	return nil
}

// ScriptsReferencing lists scripts with a binding of type typ pointing at ref.
func (s *Store) ScriptsReferencing(ctx context.Context, account, typ, ref string) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT script FROM script_refs WHERE account_id = ? AND type = ? AND ref = ? ORDER BY script`, account, typ, ref)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		out = append(out, n)
	}
	return out, rows.Err()
}
