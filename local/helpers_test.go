package local_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"

	cf "github.com/cloudflare/cloudflare-go/v6"
	"github.com/cloudflare/cloudflare-go/v6/accounts"
	"github.com/cloudflare/cloudflare-go/v6/option"
	"github.com/cloudflare/cloudflare-go/v6/shared"
	"github.com/cloudflare/cloudflare-go/v6/workers"

	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/local/internal/oacheck"
	"github.com/alchemy-go/alchemy/runtime/runtimetest"
)

const testAccount = "0123456789abcdef0123456789abcdef"

// spec is Cloudflare's OpenAPI description, loaded once for the package's
// tests (it takes over a second).
var spec = sync.OnceValues(func() (*oacheck.Spec, error) { return oacheck.Load("testdata/openapi-2024-08-07.json") })

// env is one local Cloudflare under test with a cloudflare-go client.
type env struct {
	t       *testing.T
	srv     *local.Server
	cf      *cf.Client
	checker *oacheck.Checker
	log     *runtimetest.Buffer
}

// start runs a server whose API traffic is validated against the OpenAPI
// description; violations fail the test at cleanup.
func start(t *testing.T, mutate ...func(*local.Options)) *env {
	t.Helper()
	sp, err := spec()
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, checker: sp.NewChecker(), log: &runtimetest.Buffer{}}
	e.checker.Skip = knownDivergence
	opt := local.Options{DataDir: t.TempDir(), AccountID: testAccount, Zones: []string{"example.com"}, FaultSeed: 1,
		Middleware: e.checker.Middleware, RequestLog: e.log}
	for _, m := range mutate {
		m(&opt)
	}
	e.srv, err = local.Start(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := e.srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		for _, v := range e.checker.Violations() {
			t.Errorf("OpenAPI violation: %s", unexplained(v))
		}
		checked, n := e.checker.Checked(), 0
		for _, c := range checked {
			n += c
		}
		t.Logf("OpenAPI: validated %d exchanges on %d described routes", n, len(checked))
	})
	e.cf = e.client(opt.Token)
	return e
}

func (e *env) client(token string) *cf.Client {
	if token == "" {
		token = "test-token"
	}
	return cf.NewClient(option.WithBaseURL(e.srv.APIBaseURL()), option.WithAPIToken(token), option.WithMaxRetries(0),
		option.WithHeaderDel("X-Auth-Key"), option.WithHeaderDel("X-Auth-Email"))
}

// raw sends a request outside cloudflare-go and decodes the envelope.
func (e *env) raw(method, path string, body any, headers ...string) (int, envelope) {
	e.t.Helper()
	status, data := e.rawBytes(method, path, body, headers...)
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil {
		e.t.Fatalf("%s %s: status %d, body is not an envelope: %s", method, path, status, data)
	}
	return status, env
}

func (e *env) rawBytes(method, path string, body any, headers ...string) (int, []byte) {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, _ := json.Marshal(b)
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, e.srv.APIBaseURL()+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer test-token")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "Host" {
			req.Host = headers[i+1]
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

type envelope struct {
	Success bool `json:"success"`
	Errors  []struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"errors"`
	Result     json.RawMessage `json:"result"`
	ResultInfo json.RawMessage `json:"result_info"`
}

func (v envelope) code() int {
	if len(v.Errors) == 0 {
		return 0
	}
	return v.Errors[0].Code
}

// apiErr asserts err is a Cloudflare API error with this status and code.
func apiErr(t *testing.T, err error, status, code int) {
	t.Helper()
	var ae *cf.Error
	if err == nil {
		t.Fatalf("want error %d/%d, got success", status, code)
	}
	if !asError(err, &ae) {
		t.Fatalf("want a *cloudflare.Error %d/%d, got %T: %v", status, code, err, err)
	}
	if ae.StatusCode != status || len(ae.Errors) == 0 || int(ae.Errors[0].Code) != code {
		t.Fatalf("want %d/%d, got %d %+v", status, code, ae.StatusCode, ae.Errors)
	}
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

type io_Reader = io.Reader

func accountsListParams() accounts.AccountListParams { return accounts.AccountListParams{} }

// hostGet requests path at the server's root with a Host header, the way a
// browser reaches a Worker.
func (e *env) hostGet(host, path string) (int, string) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.srv.URL()+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("GET %s%s: %v", host, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// unexplained shortens a violation to its parts that no known divergence
// explains.
func unexplained(v string) string {
	method, rest, _ := strings.Cut(v, " ")
	route, msg, _ := strings.Cut(rest, ": ")
	var out []string
	for _, p := range violationParts(msg) {
		if !matchesDivergence(method, route, p) {
			if len(p) > 600 {
				p = p[:600] + "…"
			}
			out = append(out, p)
		}
	}
	return method + " " + route + ": " + strings.Join(out, " | ")
}

func sharedString(s string) shared.UnionString { return shared.UnionString(s) }

func workersDeleteParams(force bool) workers.ScriptDeleteParams {
	return workers.ScriptDeleteParams{AccountID: cf.F(testAccount), Force: cf.F(force)}
}
