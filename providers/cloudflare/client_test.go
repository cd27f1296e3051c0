package cloudflare

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// scripted answers each request with the next response of a script.
type scripted struct {
	mu        sync.Mutex
	responses []func(w http.ResponseWriter, r *http.Request)
	calls     int
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	i := s.calls
	s.calls++
	s.mu.Unlock()
	if i >= len(s.responses) {
		i = len(s.responses) - 1
	}
	s.responses[i](w, r)
}

func status(code int, body string, headers ...string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		w.Write([]byte(body))
	}
}

func drop(w http.ResponseWriter, r *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		conn.Close()
	}
}

const okBody = `{"success":true,"errors":[],"messages":[],"result":{"id":"x"}}`

func errBody(code int, msg string) string {
	return `{"success":false,"errors":[{"code":` + strconv.Itoa(code) + `,"message":"` + msg + `"}],"messages":[],"result":null}`
}

func TestRetryPolicy(t *testing.T) {
	cases := []struct {
		name      string
		responses []func(http.ResponseWriter, *http.Request)
		wantCalls int
		wantErr   string // "" for success
		wantWaits []time.Duration
	}{
		{"ok", []func(http.ResponseWriter, *http.Request){status(200, okBody)}, 1, "", nil},
		{"429 then ok honours Retry-After", []func(http.ResponseWriter, *http.Request){
			status(429, errBody(10429, "slow down"), "Retry-After", "3"), status(200, okBody)}, 2, "", []time.Duration{3 * time.Second}},
		{"Retry-After-Ms wins", []func(http.ResponseWriter, *http.Request){
			status(429, errBody(10429, "slow down"), "Retry-After-Ms", "250", "Retry-After", "9"), status(200, okBody)}, 2, "", []time.Duration{250 * time.Millisecond}},
		{"500 then ok", []func(http.ResponseWriter, *http.Request){status(500, errBody(10002, "oops")), status(200, okBody)}, 2, "", nil},
		{"502 with an HTML body", []func(http.ResponseWriter, *http.Request){status(502, "<html>bad gateway</html>"), status(200, okBody)}, 2, "", nil},
		{"dropped connection", []func(http.ResponseWriter, *http.Request){drop, status(200, okBody)}, 2, "", nil},
		{"409 is final", []func(http.ResponseWriter, *http.Request){status(409, errBody(10004, "exists")), status(200, okBody)}, 1,
			"HTTP 409, Cloudflare error 10004: exists (it exists already: use adopt: true or --adopt", nil},
		{"400 is final", []func(http.ResponseWriter, *http.Request){status(400, errBody(10021, "bad")), status(200, okBody)}, 1,
			"create thing: HTTP 400, Cloudflare error 10021: bad", nil},
		{"403 names the credentials", []func(http.ResponseWriter, *http.Request){status(403, errBody(10000, "Authentication error"))}, 1,
			"CLOUDFLARE_API_TOKEN", nil},
		{"gives up after five attempts", []func(http.ResponseWriter, *http.Request){status(503, errBody(10002, "down"))}, 5,
			"gave up after 5 attempts: create thing: HTTP 503", nil},
		{"success false in a 200", []func(http.ResponseWriter, *http.Request){status(200, errBody(7003, "No route for the URI"))}, 1,
			"Cloudflare error 7003", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &scripted{responses: c.responses}
			srv := httptest.NewServer(s)
			defer srv.Close()
			cl, err := NewClient(Config{BaseURL: srv.URL, APIToken: "t", AccountID: "acct"})
			if err != nil {
				t.Fatal(err)
			}
			var waits []time.Duration
			cl.sleep = func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil }
			var res struct {
				ID string `json:"id"`
			}
			_, err = cl.Call(context.Background(), "create thing", http.MethodPost, "accounts/acct/things", map[string]string{"a": "b"}, &res)
			if s.calls != c.wantCalls {
				t.Errorf("%d calls, want %d", s.calls, c.wantCalls)
			}
			switch {
			case c.wantErr == "" && err != nil:
				t.Fatalf("error %v", err)
			case c.wantErr == "" && res.ID != "x":
				t.Errorf("result %+v", res)
			case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
				t.Errorf("error %v, want %q", err, c.wantErr)
			}
			if c.wantWaits != nil && (len(waits) != len(c.wantWaits) || waits[0] != c.wantWaits[0]) {
				t.Errorf("waits %v, want %v", waits, c.wantWaits)
			}
			for _, w := range waits {
				if w > backoffMax && c.wantWaits == nil {
					t.Errorf("backoff %v above the cap", w)
				}
			}
		})
	}
}

func TestAfterDropConflictIsMarked(t *testing.T) {
	s := &scripted{responses: []func(http.ResponseWriter, *http.Request){drop, status(400, errBody(10014, "a namespace with this account ID and title already exists"))}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	cl, _ := NewClient(Config{BaseURL: srv.URL, APIToken: "t", AccountID: "acct"})
	cl.sleep = func(context.Context, time.Duration) error { return nil }
	_, err := cl.Call(context.Background(), "create", http.MethodPost, "x", nil, nil)
	ae, ok := asAPIError(err)
	if !ok || !ae.AfterDrop || !ae.IsConflict() {
		t.Fatalf("error %v: want a conflict marked as following a dropped attempt", err)
	}
}

func TestAccountDiscovery(t *testing.T) {
	cases := []struct {
		body, want, wantErr string
	}{
		{`{"success":true,"errors":[],"result":[{"id":"a1","name":"One"}],"result_info":{"page":1,"per_page":50,"total_count":1,"total_pages":1}}`, "a1", ""},
		{`{"success":true,"errors":[],"result":[{"id":"a1","name":"One"},{"id":"a2","name":"Two"}],"result_info":{"page":1,"per_page":50,"total_count":2,"total_pages":1}}`, "",
			"set CLOUDFLARE_ACCOUNT_ID to one of: One (a1), Two (a2)"},
		{`{"success":true,"errors":[],"result":[],"result_info":{"page":1,"per_page":50,"total_count":0,"total_pages":0}}`, "", "no account"},
	}
	for _, c := range cases {
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			status(200, c.body)(w, r)
		}))
		cl, _ := NewClient(Config{BaseURL: srv.URL, APIToken: "t"})
		var wg sync.WaitGroup
		ids := make([]string, 8)
		errs := make([]error, 8)
		for i := range 8 {
			wg.Go(func() { ids[i], errs[i] = cl.AccountID(context.Background()) })
		}
		wg.Wait()
		srv.Close()
		if c.wantErr != "" {
			if errs[0] == nil || !strings.Contains(errs[0].Error(), c.wantErr) {
				t.Errorf("error %v, want %q", errs[0], c.wantErr)
			}
			continue
		}
		if ids[0] != c.want || errs[0] != nil {
			t.Errorf("account %q %v", ids[0], errs[0])
		}
		if n := calls.Load(); n != 1 {
			t.Errorf("8 concurrent lookups made %d requests, want 1", n)
		}
	}
}

func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{"CLOUDFLARE_API_BASE_URL": "http://127.0.0.1:9/client/v4", "CLOUDFLARE_API_TOKEN": "tok", "CF_ACCOUNT_ID": "acct"}
	cfg := ConfigFromEnv(func(k string) string { return env[k] })
	if cfg.BaseURL != env["CLOUDFLARE_API_BASE_URL"] || cfg.APIToken != "tok" || cfg.AccountID != "acct" {
		t.Errorf("config %+v", cfg)
	}
	env["CLOUDFLARE_BASE_URL"] = "http://127.0.0.1:8/client/v4"
	if cfg := ConfigFromEnv(func(k string) string { return env[k] }); cfg.BaseURL != env["CLOUDFLARE_BASE_URL"] {
		t.Errorf("CLOUDFLARE_BASE_URL should win: %q", cfg.BaseURL)
	}
	if _, err := NewClient(Config{BaseURL: "http://x"}); err == nil || !strings.Contains(err.Error(), "CLOUDFLARE_API_TOKEN") {
		t.Errorf("no credentials: %v", err)
	}
}

func TestAuthHeaders(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		status(200, okBody)(w, r)
	}))
	defer srv.Close()
	t.Setenv("CLOUDFLARE_API_KEY", "env-key")
	t.Setenv("CLOUDFLARE_EMAIL", "env@example.com")
	cl, _ := NewClient(Config{BaseURL: srv.URL, APIToken: "tok", AccountID: "a"})
	cl.Call(context.Background(), "x", http.MethodGet, "x", nil, nil)
	if got.Get("Authorization") != "Bearer tok" || got.Get("X-Auth-Key") != "" {
		t.Errorf("token auth sent %v", got)
	}
	cl, _ = NewClient(Config{BaseURL: srv.URL, APIKey: "key", Email: "me@example.com", AccountID: "a"})
	cl.Call(context.Background(), "x", http.MethodGet, "x", nil, nil)
	if got.Get("X-Auth-Key") != "key" || got.Get("X-Auth-Email") != "me@example.com" || got.Get("Authorization") != "" {
		t.Errorf("key auth sent %v", got)
	}
}

func TestGovernor(t *testing.T) {
	now := time.Unix(0, 0)
	g := NewGovernor(1200, 5*time.Minute, 300)
	g.now = func() time.Time { return now }
	for i := range 300 {
		if d := g.reserve(); d != 0 {
			t.Fatalf("request %d of the burst waits %v", i, d)
		}
	}
	d := g.reserve()
	if d <= 0 || d > time.Second {
		t.Fatalf("after the burst, wait %v, want about a third of a second", d)
	}
	// Over any five minutes, no more than 1,200 requests get through.
	sent := 300
	for step := 0; step < 3000; step++ {
		now = now.Add(100 * time.Millisecond)
		for g.reserve() == 0 {
			sent++
		}
	}
	if sent > 1200 {
		t.Errorf("%d requests in five minutes", sent)
	}
	if sent < 1100 {
		t.Errorf("only %d requests in five minutes", sent)
	}
	var nilGov *Governor
	if err := nilGov.Wait(context.Background()); err != nil {
		t.Error(err)
	}
}

func TestGovernorOffForLoopback(t *testing.T) {
	for host, want := range map[string]bool{"http://127.0.0.1:1": false, "http://localhost:1": false, "http://[::1]:1": false, "https://api.cloudflare.com/client/v4": true} {
		cl, err := NewClient(Config{BaseURL: host, APIToken: "t"})
		if err != nil {
			t.Fatal(err)
		}
		if (cl.gov != nil) != want {
			t.Errorf("%s: governor %v, want %v", host, cl.gov != nil, want)
		}
	}
}

func TestTransient(t *testing.T) {
	if !isTransient(&net.OpError{Op: "read", Err: errors.New("reset")}) {
		t.Error("a net error is transient")
	}
	if isTransient(context.Canceled) {
		t.Error("cancel is not transient")
	}
}

func TestPrefetchLooksUpTheAccountOnce(t *testing.T) {
	const accounts = `{"success":true,"errors":[],"result":[{"id":"a1","name":"One"}],"result_info":{"page":1,"per_page":50,"total_count":1,"total_pages":1}}`
	cases := []struct {
		name      string
		accountID string
		wantCalls int32
	}{
		{"account discovered", "", 1},
		{"account configured", "a1", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			requested := make(chan struct{}, 1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				status(200, accounts)(w, r)
				requested <- struct{}{}
			}))
			defer srv.Close()
			cf := New(Options{API: Config{BaseURL: srv.URL, APIToken: "t", AccountID: tc.accountID}})
			cf.Prefetch(context.Background())
			if tc.wantCalls > 0 {
				select {
				case <-requested:
				case <-time.After(10 * time.Second):
					t.Fatal("Prefetch made no request")
				}
			}
			cl, err := cf.client(props{})
			if err != nil {
				t.Fatal(err)
			}
			id, err := cl.AccountID(context.Background())
			if err != nil || id != "a1" {
				t.Fatalf("AccountID = %q, %v", id, err)
			}
			if n := calls.Load(); n != tc.wantCalls {
				t.Errorf("%d requests to /accounts, want %d", n, tc.wantCalls)
			}
		})
	}
}

func TestPrefetchWithoutCredentialsDoesNothing(t *testing.T) {
	cf := New(Options{API: Config{BaseURL: "http://127.0.0.1:9/client/v4"}})
	cf.Prefetch(context.Background()) // no client can be built: nothing to start, nothing to panic
	if _, err := cf.client(props{}); err == nil || !strings.Contains(err.Error(), "no credentials") {
		t.Errorf("client without credentials: %v", err)
	}
}
