package cloudflare

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cloudflare/cloudflare-go/v6/option"

	"github.com/alchemy-go/alchemy/state"
	"github.com/alchemy-go/alchemy/value"
)

// DefaultStateScript is the Worker that serves CloudflareStateStore, as the
// TypeScript library names it.
const DefaultStateScript = "alchemy-state-service"

// stateServiceSource is the Worker this project deploys when the account
// has no state service. It speaks the protocol of the TypeScript library's
// service and keeps the same table, so either can serve the other's state.
//
//go:embed statestore.js
var stateServiceSource string

const (
	stateServiceModule = "cloudflare-state-store.js"
	// stateServiceTagPrefix starts the tag the library gives its service
	// ("cloudflare-state-store:<sha256 of the script>").
	stateServiceTagPrefix = "cloudflare-state-store:"
	// stateServiceOwnTag marks a service this project deployed, so that a
	// newer version of its script replaces an older one, while a service
	// the TypeScript library deployed is used as it is.
	stateServiceOwnTag     = "alchemy-go:state-service"
	stateServiceCompatDate = "2025-07-01"
	stateServiceBinding    = "STORE"
	stateServiceClass      = "Store"
	stateServiceTokenVar   = "STATE_TOKEN"
)

// stateServiceTag is the tag of this project's script.
func stateServiceTag() string {
	sum := sha256.Sum256([]byte(stateServiceSource))
	return stateServiceTagPrefix + hex.EncodeToString(sum[:])
}

// StateStoreOptions configure a CloudflareStateStore.
type StateStoreOptions struct {
	// API overrides parts of the run's Cloudflare connection (the store's
	// accountId, apiToken, apiKey, email and baseUrl options).
	API Config
	// ScriptName is the service Worker (DefaultStateScript when "").
	ScriptName string
	// Token authenticates the store's requests (ALCHEMY_STATE_TOKEN). Every
	// store of an account must use the same one.
	Token string
	// ForceUpdate deploys the service even when it exists, replacing its
	// token (the way to recover a lost one).
	ForceUpdate bool
	// Codec serializes records and encrypts their secrets, as the file
	// store does.
	Codec *state.Codec
	// Log receives progress lines ("deploying the state service"); nil
	// discards them.
	Log func(string)
}

// StateStore is a state.Store kept by a Worker with a Durable Object on
// Cloudflare: the TypeScript library's CloudflareStateStore. Records are
// keyed by their scope chain and id; the service is found, or deployed,
// on first use.
type StateStore struct {
	cf   *Cloudflare
	opts StateStoreOptions
	http *http.Client

	mu      sync.Mutex
	ready   bool
	target  *url.URL // where requests go
	host    string   // the Host they carry
	service string   // the service's workers.dev URL, for messages
}

// StateStore returns a CloudflareStateStore over the run's Cloudflare
// connection. Nothing is requested until the store is first used.
func (c *Cloudflare) StateStore(opts StateStoreOptions) (*StateStore, error) {
	if opts.ScriptName == "" {
		opts.ScriptName = DefaultStateScript
	}
	if opts.Token == "" {
		return nil, errors.New("CloudflareStateStore: missing token: set ALCHEMY_STATE_TOKEN or pass the stateToken option (the same token for every deployment on the account)")
	}
	if opts.Codec == nil {
		return nil, errors.New("CloudflareStateStore: no codec")
	}
	return &StateStore{cf: c, opts: opts, http: &http.Client{Timeout: attemptTimeout}}, nil
}

func (s *StateStore) name() string { return fmt.Sprintf("CloudflareStateStore %q", s.opts.ScriptName) }

// connection is the run's connection with the store's overrides laid over.
func (s *StateStore) connection() Config {
	cfg := s.cf.opts.API
	o := s.opts.API
	if o.BaseURL != "" {
		cfg.BaseURL = o.BaseURL
	}
	if o.APIToken != "" {
		cfg.APIToken, cfg.APIKey, cfg.Email = o.APIToken, "", ""
	}
	if o.APIKey != "" {
		cfg.APIKey, cfg.APIToken = o.APIKey, ""
	}
	if o.Email != "" {
		cfg.Email = o.Email
	}
	if o.AccountID != "" {
		cfg.AccountID = o.AccountID
	}
	return cfg
}

// provision finds the service, deploys it when it is missing (or
// ForceUpdate), turns its workers.dev route on and waits until it answers
// with the token. A failure is not remembered: the next call tries again.
func (s *StateStore) provision(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ready {
		return nil
	}
	if err := s.provisionLocked(ctx); err != nil {
		return fmt.Errorf("%s: %w", s.name(), err)
	}
	s.ready = true
	return nil
}

func (s *StateStore) provisionLocked(ctx context.Context) error {
	cl, err := s.cf.clientFor(s.connection())
	if err != nil {
		return err
	}
	name := s.opts.ScriptName
	settings, err := (&workerProvider{s.cf}).settings(ctx, cl, name)
	if err != nil {
		return err
	}
	if s.needsDeploy(settings) {
		if err := s.deploy(ctx, cl, settings); err != nil {
			return err
		}
	}
	if err := enableSubdomain(ctx, cl, name); err != nil {
		return err
	}
	sub, err := cl.AccountSubdomain(ctx)
	if err != nil {
		return err
	}
	s.host = name + "." + sub + ".workers.dev"
	s.service = "https://" + s.host
	s.target = &url.URL{Scheme: "https", Host: s.host}
	// The local Cloudflare serves its Workers on the API's own address,
	// routed by Host.
	if base, err := url.Parse(cl.BaseURL()); err == nil && isLoopback(base.Hostname()) {
		s.target = &url.URL{Scheme: base.Scheme, Host: base.Host}
	}
	return s.waitReady(ctx)
}

// needsDeploy: a missing service is deployed; one of this project's with
// an older script is replaced; one the TypeScript library deployed is used
// as it is (it speaks the same protocol), unless ForceUpdate.
func (s *StateStore) needsDeploy(settings *scriptSettings) bool {
	if settings == nil || s.opts.ForceUpdate {
		return true
	}
	tags := settings.allTags()
	return slices.Contains(tags, stateServiceOwnTag) && !slices.Contains(tags, stateServiceTag())
}

// deploy uploads the service: one ES module, the Durable Object namespace
// (SQLite-backed, created by a migration the first time) and the token as
// a secret.
func (s *StateStore) deploy(ctx context.Context, cl *Client, settings *scriptSettings) error {
	name := s.opts.ScriptName
	if s.opts.Log != nil {
		verb := "creating"
		if settings != nil {
			verb = "updating"
		}
		s.opts.Log(fmt.Sprintf("[CloudflareStateStore] %s the state service Worker %q", verb, name))
	}
	do := doBinding{name: stateServiceBinding, stableID: name, className: stateServiceClass, sqlite: true, own: true}
	mig := planMigrations(settings, []doBinding{do}, name, true)
	err := s.upload(ctx, cl, mig)
	if ae, ok := asAPIError(err); ok && (ae.Status == http.StatusPreconditionFailed || ae.HasCode(10079)) {
		for _, d := range ae.Errors {
			if tag, found := tagFromPreconditionError(d.Message); found {
				mig.oldTag, mig.newTag = tag, bumpMigrationTag(tag)
				return s.upload(ctx, cl, mig)
			}
		}
	}
	return err
}

func (s *StateStore) upload(ctx context.Context, cl *Client, mig doMigration) error {
	name := s.opts.ScriptName
	tags := append(slices.Clone(mig.tags), stateServiceTag(), stateServiceOwnTag)
	meta := value.NewObject(8)
	meta.Set("compatibility_date", value.String(stateServiceCompatDate))
	meta.Set("compatibility_flags", value.Array{})
	meta.Set("bindings", value.Array{
		value.Obj("type", value.String(TypeDurableObject), "name", value.String(stateServiceBinding),
			"class_name", value.String(stateServiceClass)),
		value.Obj("type", value.String("secret_text"), "name", value.String(stateServiceTokenVar),
			"text", value.String(s.opts.Token)),
	})
	meta.Set("observability", value.Obj("enabled", value.Bool(true)))
	meta.Set("tags", stringArray(tags))
	meta.Set("migrations", mig.object())
	meta.Set("main_module", value.String(stateServiceModule))
	metaJSON, err := plainJSON(meta)
	if err != nil {
		return err
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range []struct {
		name, file, contentType string
		data                    []byte
	}{
		{stateServiceModule, stateServiceModule, contentESModule, []byte(stateServiceSource)},
		{"metadata", "blob", "application/json", metaJSON},
	} {
		hdr := textproto.MIMEHeader{}
		hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p.name, p.file))
		hdr.Set("Content-Type", p.contentType)
		pw, err := mw.CreatePart(hdr)
		if err != nil {
			return err
		}
		if _, err := pw.Write(p.data); err != nil {
			return err
		}
	}
	if err := mw.Close(); err != nil {
		return err
	}
	path, err := cl.accountPath(ctx, "workers/scripts/"+name)
	if err != nil {
		return err
	}
	_, err = cl.Call(ctx, fmt.Sprintf("upload Worker %q", name), http.MethodPut, path, nil, nil,
		option.WithRequestBody(mw.FormDataContentType(), body.Bytes()))
	return err
}

// enableSubdomain turns the script's workers.dev route on unless it is.
func enableSubdomain(ctx context.Context, cl *Client, name string) error {
	path, err := cl.accountPath(ctx, "workers/scripts/"+name+"/subdomain")
	if err != nil {
		return err
	}
	var cur struct {
		Enabled bool `json:"enabled"`
	}
	if _, err := cl.Call(ctx, fmt.Sprintf("read the workers.dev route of Worker %q", name), http.MethodGet, path, nil, &cur); err == nil && cur.Enabled {
		return nil
	}
	_, err = cl.Call(ctx, fmt.Sprintf("turn on the workers.dev route of Worker %q", name), http.MethodPost, path,
		map[string]any{"enabled": true}, nil)
	return err
}

// Readiness polling: a new Worker may take a few seconds to answer on
// workers.dev.
const (
	readyAttempts = 20
	readyFirst    = 250 * time.Millisecond
	readyMax      = 5 * time.Second
)

// waitReady sends HEAD with the token until the service answers 200. 401
// means the service holds another token.
func (s *StateStore) waitReady(ctx context.Context) error {
	delay := readyFirst
	var last string
	for range readyAttempts {
		res, err := s.send(ctx, http.MethodHead, nil)
		if err == nil {
			res.Body.Close()
			switch {
			case res.StatusCode == http.StatusOK:
				return nil
			case res.StatusCode == http.StatusUnauthorized:
				return fmt.Errorf("the service at %s refuses the token: check ALCHEMY_STATE_TOKEN (or the stateToken option), or pass forceUpdate: true to redeploy the service with this token", s.service)
			}
			last = res.Status
		} else {
			last = err.Error()
		}
		if err := sleepCtx(ctx, delay); err != nil {
			return err
		}
		delay = min(delay*3/2, readyMax)
	}
	return fmt.Errorf("the service at %s is not answering: %s", s.service, last)
}

// send makes one request to the service.
func (s *StateStore) send(ctx context.Context, method string, body []byte) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.target.String()+"/", rd)
	if err != nil {
		return nil, err
	}
	req.Host = s.host
	req.Header.Set("Authorization", "Bearer "+s.opts.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return s.http.Do(req)
}

// serviceRequest is the body of a call.
type serviceRequest struct {
	Method  string `json:"method"`
	Params  []any  `json:"params"`
	Context struct {
		Chain []string `json:"chain"`
	} `json:"context"`
}

type serviceResponse struct {
	Success bool            `json:"success"`
	Status  int             `json:"status"`
	Result  json.RawMessage `json:"result"`
	Error   string          `json:"error"`
}

// callAttempts bounds the attempts of one call when the service is
// unreachable or overloaded.
const callAttempts = 5

// call runs method with params in scope p and returns its raw result (nil
// when the service answered none).
func (s *StateStore) call(ctx context.Context, p state.Path, method string, params ...any) (json.RawMessage, error) {
	if err := s.provision(ctx); err != nil {
		return nil, err
	}
	req := serviceRequest{Method: method, Params: params}
	req.Context.Chain = append([]string{}, p...)
	if params == nil {
		req.Params = []any{}
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		raw, retry, err := s.callOnce(ctx, method, body)
		if err == nil || !retry || attempt >= callAttempts || ctx.Err() != nil {
			return raw, err
		}
		if err := sleepCtx(ctx, backoff(attempt)); err != nil {
			return nil, err
		}
	}
}

func (s *StateStore) callOnce(ctx context.Context, method string, body []byte) (json.RawMessage, bool, error) {
	res, err := s.send(ctx, http.MethodPost, body)
	if err != nil {
		return nil, isTransient(err), fmt.Errorf("%q request: %w", method, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, true, fmt.Errorf("%q request: %w", method, err)
	}
	retry := res.StatusCode == http.StatusTooManyRequests || res.StatusCode >= 502
	if !strings.Contains(res.Header.Get("Content-Type"), "application/json") {
		return nil, retry, fmt.Errorf("%q request failed with status %d: expected a JSON response, got %q", method, res.StatusCode, res.Header.Get("Content-Type"))
	}
	var out serviceResponse
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, retry, fmt.Errorf("%q request: status %d: %w", method, res.StatusCode, err)
	}
	if !out.Success {
		return nil, retry, fmt.Errorf("%q request failed with status %d: %s", method, res.StatusCode, out.Error)
	}
	if len(out.Result) == 0 || string(out.Result) == "null" {
		return nil, false, nil
	}
	return out.Result, false, nil
}

func (s *StateStore) fail(p state.Path, id string, err error) error {
	if strings.HasPrefix(err.Error(), s.name()) {
		return err
	}
	where := p.String()
	if id != "" {
		where = p.Child(id).String()
	}
	return fmt.Errorf("%s: state %s: %w", s.name(), where, err)
}

// Get implements state.Store.
func (s *StateStore) Get(ctx context.Context, p state.Path, id string) (*state.Record, error) {
	raw, err := s.call(ctx, p, "get", id)
	if err != nil {
		return nil, s.fail(p, id, err)
	}
	if raw == nil {
		return nil, nil
	}
	r, err := s.opts.Codec.DecodeRecord(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: state of resource %q: %w", s.name(), p.Child(id).String(), err)
	}
	return r, nil
}

// List implements state.Store.
func (s *StateStore) List(ctx context.Context, p state.Path) ([]string, error) {
	raw, err := s.call(ctx, p, "list")
	if err != nil {
		return nil, s.fail(p, "", err)
	}
	var ids []string
	if raw != nil {
		if err := json.Unmarshal(raw, &ids); err != nil {
			return nil, s.fail(p, "", fmt.Errorf("list: %w", err))
		}
	}
	return ids, nil
}

// Set implements state.Store. Fields the record does not have (props of a
// resource called without any, oldProps outside an update) are sent as
// null, so that the service clears what an earlier write left there.
func (s *StateStore) Set(ctx context.Context, p state.Path, id string, r *state.Record) error {
	if strings.Contains(id, ":") {
		return s.fail(p, id, fmt.Errorf("id cannot include colons: %q", id))
	}
	data, err := s.opts.Codec.EncodeRecord(r)
	if err != nil {
		return fmt.Errorf("%s: state of resource %q: %w", s.name(), p.Child(id).String(), err)
	}
	rec, err := withNulls(data, state.FieldProps, state.FieldOldProps)
	if err != nil {
		return s.fail(p, id, err)
	}
	if _, err := s.call(ctx, p, "set", id, rec); err != nil {
		return s.fail(p, id, err)
	}
	return nil
}

// withNulls adds "field": null to a JSON object for each field it lacks.
func withNulls(obj []byte, fields ...string) (json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(obj, &m); err != nil {
		return nil, err
	}
	out := bytes.TrimRight(bytes.TrimSpace(obj), "}")
	for _, f := range fields {
		if _, ok := m[f]; !ok {
			if len(m) > 0 {
				out = append(out, ',')
			}
			out = append(out, fmt.Sprintf("%q:null", f)...)
			m[f] = nil
		}
	}
	return append(out, '}'), nil
}

// Delete implements state.Store.
func (s *StateStore) Delete(ctx context.Context, p state.Path, id string) error {
	if _, err := s.call(ctx, p, "delete", id); err != nil {
		return s.fail(p, id, err)
	}
	return nil
}

// DeleteScope implements state.Store. Scopes have no container of their
// own in the service (as the library's deinit, it does nothing), but one
// that still holds records is refused, as the file store refuses it.
func (s *StateStore) DeleteScope(ctx context.Context, p state.Path) error {
	raw, err := s.call(ctx, p, "count")
	if err != nil {
		return s.fail(p, "", err)
	}
	var n int
	if raw != nil {
		if err := json.Unmarshal(raw, &n); err != nil {
			return s.fail(p, "", fmt.Errorf("count: %w", err))
		}
	}
	if n > 0 {
		return s.fail(p, "", fmt.Errorf("cannot remove the scope: it still holds %d records", n))
	}
	return nil
}

// Lock implements state.Store. The service's protocol has no lock, so the
// stage is not locked: two runs of one stage at once are not kept apart.
func (s *StateStore) Lock(ctx context.Context, app, stage string, wait time.Duration) (*state.Lock, error) {
	if err := s.provision(ctx); err != nil {
		return nil, err
	}
	return state.NewLock(nil), nil
}
