package cloudflare

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	cf "github.com/cloudflare/cloudflare-go/v6"
	"github.com/cloudflare/cloudflare-go/v6/option"
	"golang.org/x/sync/singleflight"
)

// DefaultBaseURL is Cloudflare's v4 API.
const DefaultBaseURL = "https://api.cloudflare.com/client/v4"

// Config says how to reach Cloudflare.
type Config struct {
	// BaseURL of the API; "" means DefaultBaseURL.
	BaseURL string
	// APIToken authenticates with a bearer token. Otherwise APIKey and
	// Email (a global API key) are used.
	APIToken string
	APIKey   string
	Email    string
	// AccountID selects the account; "" means the credentials' only account.
	AccountID string
	// HTTPClient replaces http.DefaultClient.
	HTTPClient *http.Client
	// MaxAttempts bounds the attempts of one call (default 5).
	MaxAttempts int
	// Governor paces requests. Nil means Cloudflare's rate limit on the
	// real API and no pacing for a loopback address.
	Governor *Governor
	// NoGovernor turns pacing off whatever the address.
	NoGovernor bool
}

// ConfigFromEnv reads the variables cloudflare-go, the TypeScript Alchemy
// and wrangler read: CLOUDFLARE_BASE_URL (or wrangler's
// CLOUDFLARE_API_BASE_URL), CLOUDFLARE_API_TOKEN, CLOUDFLARE_API_KEY with
// CLOUDFLARE_EMAIL, and CLOUDFLARE_ACCOUNT_ID (or CF_ACCOUNT_ID).
func ConfigFromEnv(getenv func(string) string) Config {
	first := func(names ...string) string {
		for _, n := range names {
			if v := getenv(n); v != "" {
				return v
			}
		}
		return ""
	}
	return Config{
		BaseURL:   first("CLOUDFLARE_BASE_URL", "CLOUDFLARE_API_BASE_URL", "CF_API_BASE_URL"),
		APIToken:  getenv("CLOUDFLARE_API_TOKEN"),
		APIKey:    getenv("CLOUDFLARE_API_KEY"),
		Email:     getenv("CLOUDFLARE_EMAIL"),
		AccountID: first("CLOUDFLARE_ACCOUNT_ID", "CF_ACCOUNT_ID"),
	}
}

// key identifies the credentials and endpoint of a config.
func (c Config) key() string {
	return strings.Join([]string{c.BaseURL, c.APIToken, c.APIKey, c.Email, c.AccountID}, "\x00")
}

// Client is the one way providers talk to Cloudflare: cloudflare-go with
// its own retries off, a retry policy of its own, a rate governor, and
// per-run caches of lookups. It is safe for concurrent use.
type Client struct {
	// execute is cloudflare-go's Client.Execute. Only the method value is
	// kept: a *cf.Client field would make every service type of the SDK
	// reachable through this struct's type, and since goja looks methods up
	// by name, the linker would then keep all their methods (about 50 MB of
	// binary, and start-up time to map it).
	execute     func(ctx context.Context, method, path string, params, res any, opts ...option.RequestOption) error
	baseURL     string
	maxAttempts int
	gov         *Governor
	sleep       func(context.Context, time.Duration) error

	lookups   singleflight.Group // concurrent identical lookups share one request
	mu        sync.Mutex
	accountID string
	subdomain string
	zones     map[string]zoneLookup
}

type zoneLookup struct {
	id    string
	found bool
}

// NewClient builds a client. No request is made until the first call.
func NewClient(cfg Config) (*Client, error) {
	base := cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("cloudflare: base URL %q is not an absolute URL", base)
	}
	opts := []option.RequestOption{option.WithBaseURL(strings.TrimSuffix(base, "/")), option.WithMaxRetries(0),
		option.WithRequestTimeout(attemptTimeout)}
	switch {
	case cfg.APIToken != "":
		opts = append(opts, option.WithAPIToken(cfg.APIToken),
			option.WithHeaderDel("X-Auth-Key"), option.WithHeaderDel("X-Auth-Email"))
	case cfg.APIKey != "" && cfg.Email != "":
		opts = append(opts, option.WithAPIKey(cfg.APIKey), option.WithAPIEmail(cfg.Email),
			option.WithHeaderDel("Authorization"))
	default:
		return nil, errors.New("cloudflare: no credentials: set CLOUDFLARE_API_TOKEN, or CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL")
	}
	opts = append(opts, option.WithHeaderDel("X-Auth-User-Service-Key"))
	if cfg.HTTPClient != nil {
		opts = append(opts, option.WithHTTPClient(cfg.HTTPClient))
	}
	c := &Client{
		execute:     cf.NewClient(opts...).Execute,
		baseURL:     base,
		maxAttempts: cfg.MaxAttempts,
		accountID:   cfg.AccountID,
		zones:       map[string]zoneLookup{},
		sleep:       sleepCtx,
	}
	if c.maxAttempts <= 0 {
		c.maxAttempts = 5
	}
	switch {
	case cfg.NoGovernor || isLoopback(u.Hostname()):
	case cfg.Governor != nil:
		c.gov = cfg.Governor
	default:
		c.gov = newDefaultGovernor()
	}
	return c, nil
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// BaseURL is the API's base URL.
func (c *Client) BaseURL() string { return c.baseURL }

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Backoff bounds: short, because the real API's 429 says how long to wait
// and everything else is either over quickly or not worth waiting for.
const (
	backoffBase     = 100 * time.Millisecond
	backoffMax      = 2 * time.Second
	retryAfterLimit = 60 * time.Second
	// attemptTimeout bounds one attempt, so that a request that never
	// answers is tried again instead of hanging the run.
	attemptTimeout = 2 * time.Minute
)

// Do runs one API call under the retry policy: each attempt waits for the
// governor; 429 (after Retry-After), 5xx and connection failures are tried
// again a few times with jittered backoff; other 4xx, 409 included, are
// final. fn must make exactly one request per call and be safe to repeat.
// op names the call in errors ("create KV namespace \"x\"").
func (c *Client) Do(ctx context.Context, op string, fn func(ctx context.Context, opts ...option.RequestOption) error) error {
	dropped := false
	for attempt := 1; ; attempt++ {
		if err := c.gov.Wait(ctx); err != nil {
			return err
		}
		var resp *http.Response
		err := fn(ctx, option.WithResponseInto(&resp))
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var ae *APIError
		var cfe *cf.Error
		switch {
		case errors.As(err, &cfe):
			ae = newAPIError(op, cfe)
		case resp != nil && resp.StatusCode >= 400:
			// An error body that is not JSON (a proxy's HTML page).
			ae = &APIError{Op: op, Status: resp.StatusCode}
			ae.Hint = hintFor(ae)
		case errors.As(err, &ae):
		}
		retry, wait := false, time.Duration(0)
		switch {
		case ae != nil:
			ae.AfterDrop = dropped
			if ae.Status == http.StatusTooManyRequests || ae.Status >= 500 {
				retry = true
				if resp != nil {
					wait = retryAfter(resp.Header)
				}
			}
			err = ae
		case isTransient(err) || errors.Is(err, context.DeadlineExceeded):
			retry, dropped = true, true
			err = fmt.Errorf("%s: %w", op, err)
		default:
			return fmt.Errorf("%s: %w", op, err)
		}
		if !retry || attempt >= c.maxAttempts {
			if retry {
				return fmt.Errorf("gave up after %d attempts: %w", attempt, err)
			}
			return err
		}
		if wait <= 0 {
			wait = backoff(attempt)
		}
		if err := c.sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// backoff is the delay before attempt+1: exponential from backoffBase,
// capped at backoffMax, with up to half of it taken off at random so that
// concurrent callers spread out.
func backoff(attempt int) time.Duration {
	d := backoffBase << (attempt - 1)
	if d > backoffMax || d <= 0 {
		d = backoffMax
	}
	return d - time.Duration(rand.Int64N(int64(d)/2+1))
}

// retryAfter reads Retry-After-Ms or Retry-After (seconds or an HTTP date).
// An explicit zero means "at once"; 0 means absent, so that the caller
// falls back to its backoff.
func retryAfter(h http.Header) time.Duration {
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return min(time.Duration(ms*float64(time.Millisecond)), retryAfterLimit)
		}
	}
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
			if s == 0 {
				return time.Nanosecond
			}
			return min(time.Duration(s*float64(time.Second)), retryAfterLimit)
		}
		if t, err := http.ParseTime(v); err == nil {
			return min(max(time.Until(t), time.Nanosecond), retryAfterLimit)
		}
	}
	return 0
}

// isTransient reports whether err is a connection failure worth retrying.
func isTransient(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var ue *url.Error
	return errors.As(err, &ue)
}

// envelope is Cloudflare's response wrapper.
type envelope struct {
	Success    *bool           `json:"success"`
	Errors     []apiErrorJSON  `json:"errors"`
	Result     json.RawMessage `json:"result"`
	ResultInfo json.RawMessage `json:"result_info"`
}

type apiErrorJSON struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// Call makes one raw API call through Do: path is relative to the base URL
// ("accounts/…"), body is JSON-encoded (a []byte is sent as it is, as
// JSON), and the envelope's result is decoded into result when non-nil.
// It returns the envelope's result_info.
func (c *Client) Call(ctx context.Context, op, method, path string, body, result any, opts ...option.RequestOption) (json.RawMessage, error) {
	var info json.RawMessage
	err := c.Do(ctx, op, func(ctx context.Context, more ...option.RequestOption) error {
		var env envelope
		if err := c.execute(ctx, method, path, body, &env, append(opts, more...)...); err != nil {
			return err
		}
		if env.Success != nil && !*env.Success {
			ae := &APIError{Op: op, Status: http.StatusOK}
			for _, e := range env.Errors {
				ae.Errors = append(ae.Errors, ErrorDetail{Code: e.Code, Message: e.Message})
			}
			ae.Hint = hintFor(ae)
			return ae
		}
		info = env.ResultInfo
		if result == nil || len(env.Result) == 0 || string(env.Result) == "null" {
			return nil
		}
		if err := json.Unmarshal(env.Result, result); err != nil {
			return fmt.Errorf("decode result: %w", err)
		}
		return nil
	})
	return info, err
}

// AccountID returns the account every call acts on: the configured one,
// else the only account the credentials can see. Several accounts are an
// error listing them.
func (c *Client) AccountID(ctx context.Context) (string, error) {
	c.mu.Lock()
	id := c.accountID
	c.mu.Unlock()
	if id != "" {
		return id, nil
	}
	v, err, _ := c.lookups.Do("account", func() (any, error) { return c.discoverAccount(ctx) })
	if err != nil {
		return "", err
	}
	return v.(string), nil
}

// discoverAccount finds the only account the credentials can see.
func (c *Client) discoverAccount(ctx context.Context) (string, error) {
	type account struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	var all []account
	for page := 1; ; page++ {
		var batch []account
		info, err := c.Call(ctx, "list accounts", http.MethodGet, fmt.Sprintf("accounts?page=%d&per_page=50", page), nil, &batch)
		if err != nil {
			return "", err
		}
		all = append(all, batch...)
		if len(batch) == 0 || lastPage(info, page, len(all)) {
			break
		}
	}
	switch len(all) {
	case 0:
		return "", errors.New("cloudflare: the credentials can see no account; set CLOUDFLARE_ACCOUNT_ID")
	case 1:
		c.mu.Lock()
		c.accountID = all[0].ID
		c.mu.Unlock()
		return all[0].ID, nil
	}
	names := make([]string, len(all))
	for i, a := range all {
		names[i] = fmt.Sprintf("%s (%s)", a.Name, a.ID)
	}
	return "", fmt.Errorf("cloudflare: the credentials can see %d accounts; set CLOUDFLARE_ACCOUNT_ID to one of: %s", len(all), strings.Join(names, ", "))
}

// pageInfo is a V4 page result_info.
type pageInfo struct {
	Page       int `json:"page"`
	PerPage    int `json:"per_page"`
	TotalCount int `json:"total_count"`
	TotalPages int `json:"total_pages"`
}

// lastPage reports whether page was the last one, by the echoed
// result_info.
func lastPage(raw json.RawMessage, page, seen int) bool {
	var pi pageInfo
	if len(raw) == 0 || json.Unmarshal(raw, &pi) != nil {
		return false
	}
	switch {
	case pi.TotalPages > 0:
		return page >= pi.TotalPages
	case pi.TotalCount > 0:
		return seen >= pi.TotalCount
	}
	return false
}

// accountPath returns "accounts/<id>/" + rest.
func (c *Client) accountPath(ctx context.Context, rest string) (string, error) {
	id, err := c.AccountID(ctx)
	if err != nil {
		return "", err
	}
	return "accounts/" + id + "/" + rest, nil
}

// AccountSubdomain returns the account's workers.dev subdomain, looked up
// once per client.
func (c *Client) AccountSubdomain(ctx context.Context) (string, error) {
	c.mu.Lock()
	sub := c.subdomain
	c.mu.Unlock()
	if sub != "" {
		return sub, nil
	}
	v, err, _ := c.lookups.Do("subdomain", func() (any, error) { return c.lookupSubdomain(ctx) })
	if err != nil {
		return "", err
	}
	return v.(string), nil
}

func (c *Client) lookupSubdomain(ctx context.Context) (string, error) {
	p, err := c.accountPath(ctx, "workers/subdomain")
	if err != nil {
		return "", err
	}
	var res struct {
		Subdomain string `json:"subdomain"`
	}
	if _, err := c.Call(ctx, "get the account's workers.dev subdomain", http.MethodGet, p, nil, &res); err != nil {
		return "", err
	}
	if res.Subdomain == "" {
		return "", errors.New("cloudflare: the account has no workers.dev subdomain; register one in the dashboard")
	}
	c.mu.Lock()
	c.subdomain = res.Subdomain
	c.mu.Unlock()
	return res.Subdomain, nil
}

// zoneID looks up the zone named exactly name, once per client.
func (c *Client) zoneID(ctx context.Context, name string) (string, bool, error) {
	c.mu.Lock()
	z, ok := c.zones[name]
	c.mu.Unlock()
	if ok {
		return z.id, z.found, nil
	}
	v, err, _ := c.lookups.Do("zone:"+name, func() (any, error) { return c.lookupZone(ctx, name) })
	if err != nil {
		return "", false, err
	}
	z = v.(zoneLookup)
	return z.id, z.found, nil
}

func (c *Client) lookupZone(ctx context.Context, name string) (zoneLookup, error) {
	acct, err := c.AccountID(ctx)
	if err != nil {
		return zoneLookup{}, err
	}
	var zones []struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Account struct {
			ID string `json:"id"`
		} `json:"account"`
	}
	q := url.Values{"name": {name}, "account.id": {acct}}
	if _, err := c.Call(ctx, fmt.Sprintf("look up zone %q", name), http.MethodGet, "zones?"+q.Encode(), nil, &zones); err != nil {
		return zoneLookup{}, err
	}
	z := zoneLookup{}
	for _, zone := range zones {
		if zone.Name == name {
			z = zoneLookup{id: zone.ID, found: true}
			break
		}
	}
	c.mu.Lock()
	c.zones[name] = z
	c.mu.Unlock()
	return z, nil
}

// InferZone finds the zone of a hostname or route pattern: scheme, path,
// port and a leading "*." are dropped, then the host and each parent domain
// (never a bare top-level domain) are looked up, nearest first.
func (c *Client) InferZone(ctx context.Context, pattern string) (string, error) {
	host := pattern
	if i := strings.Index(host, "://"); i >= 0 {
		host = host[i+3:]
	}
	if i := strings.IndexByte(host, '/'); i >= 0 {
		host = host[:i]
	}
	if i := strings.IndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	host = strings.TrimPrefix(host, "*.")
	host = strings.TrimPrefix(host, "*")
	labels := strings.Split(host, ".")
	for i := 0; i+1 < len(labels); i++ {
		id, found, err := c.zoneID(ctx, strings.Join(labels[i:], "."))
		if err != nil {
			return "", err
		}
		if found {
			return id, nil
		}
	}
	return "", fmt.Errorf("could not infer the zone of %q: make sure the domain is a zone of this Cloudflare account, or give zoneId", pattern)
}
