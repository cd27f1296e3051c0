package local_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cf "github.com/cloudflare/cloudflare-go/v6"
	"github.com/cloudflare/cloudflare-go/v6/kv"
	"github.com/cloudflare/cloudflare-go/v6/option"

	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/local/store"
)

func TestRestartKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	srv, err := local.Start(ctx, local.Options{DataDir: dir, Subdomain: "keep"})
	if err != nil {
		t.Fatal(err)
	}
	acct := srv.AccountID()
	st := srv.Store()
	ns, err := st.CreateKVNamespace(ctx, acct, "cache")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.KVPut(ctx, ns.ID, store.KVEntry{Key: "k", Value: []byte("v"), Metadata: json.RawMessage(`{"a":1}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateBucket(ctx, store.Bucket{AccountID: acct, Name: "files"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutObject(ctx, acct, "files", "a/b.txt", strings.NewReader("body"), store.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	db, err := st.CreateD1(ctx, acct, "app", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.D1Exec(ctx, acct, db.UUID, []store.D1Statement{{SQL: "CREATE TABLE t (x); INSERT INTO t VALUES (42)"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutScript(ctx, acct, "w", store.ScriptUpload{MainModule: "w.js", Modules: []store.Module{{Name: "w.js", ContentType: "application/javascript+module", Content: []byte("export default {}")}},
		Settings: store.ScriptSettings{Bindings: []store.Binding{{"name": "S", "type": "secret_text", "text": "hush"}}}}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}

	srv, err = local.Start(ctx, local.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	st = srv.Store()
	if srv.AccountID() != acct || srv.Subdomain() != "keep" {
		t.Fatalf("account %s subdomain %s after restart, want %s keep", srv.AccountID(), srv.Subdomain(), acct)
	}
	if e, err := st.KVGet(ctx, ns.ID, "k"); err != nil || string(e.Value) != "v" || string(e.Metadata) != `{"a":1}` {
		t.Fatalf("kv after restart = %+v, %v", e, err)
	}
	if _, f, err := st.GetObject(ctx, acct, "files", "a/b.txt"); err != nil {
		t.Fatalf("r2 after restart: %v", err)
	} else {
		f.Close()
	}
	res, err := st.D1Exec(ctx, acct, db.UUID, []store.D1Statement{{SQL: "SELECT x FROM t"}})
	if err != nil || res[0].Rows[0][0] != int64(42) {
		t.Fatalf("d1 after restart = %+v, %v", res, err)
	}
	sc, err := st.Script(ctx, acct, "w")
	if err != nil || sc.Settings.Bindings[0].Str("text") != "hush" {
		t.Fatalf("script after restart = %+v, %v", sc, err)
	}
}

func TestConcurrentRequests(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	ns, err := e.cf.KV.Namespaces.New(ctx, kv.NamespaceNewParams{AccountID: cf.F(testAccount), Title: cf.F("busy")})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 8 {
				key := fmt.Sprintf("w%d-%d", w, i)
				if _, err := e.cf.KV.Namespaces.Values.Update(ctx, ns.ID, key, kv.NamespaceValueUpdateParams{AccountID: cf.F(testAccount),
					Value: cf.F[kv.NamespaceValueUpdateParamsValueUnion](sharedString(key))}); err != nil {
					errs <- err
					return
				}
				if _, err := e.cf.KV.Namespaces.Keys.List(ctx, ns.ID, kv.NamespaceKeyListParams{AccountID: cf.F(testAccount)}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n, _ := e.srv.Store().KVCount(ctx, ns.ID); n != 64 {
		t.Fatalf("keys = %d, want 64", n)
	}
}

func TestFaultsAndRequestLog(t *testing.T) {
	e := start(t, func(o *local.Options) {
		o.Faults = []local.FaultRule{{Kind: local.Fault429, Path: "/storage/kv/namespaces$", Method: "POST", Count: 2}}
	})
	ctx := context.Background()
	// cloudflare-go retries the two injected 429s (Retry-After: 0) and succeeds.
	client := e.client("")
	if _, err := client.KV.Namespaces.New(ctx, kv.NamespaceNewParams{AccountID: cf.F(testAccount), Title: cf.F("retried")}, option.WithMaxRetries(3)); err != nil {
		t.Fatal(err)
	}
	// A 500 fault without retries surfaces as an API error.
	if err := e.srv.SetFaults([]local.FaultRule{{Kind: local.Fault500, Path: "/r2/"}}); err != nil {
		t.Fatal(err)
	}
	status, env := e.raw(http.MethodGet, "/accounts/"+testAccount+"/r2/buckets", nil)
	if status != 500 || env.code() != 10002 {
		t.Fatalf("500 fault: %d %+v", status, env)
	}
	// A dropped connection is a transport error.
	if err := e.srv.SetFaults([]local.FaultRule{{Kind: local.FaultDrop, Path: "/d1/"}}); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, e.srv.APIBaseURL()+"/accounts/"+testAccount+"/d1/database", nil)
	req.Header.Set("Authorization", "Bearer t")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped request answered %d", resp.StatusCode)
	}
	// Half the requests fail with fraction 0.5 (seeded dice).
	if err := e.srv.SetFaults([]local.FaultRule{{Kind: local.Fault429, Fraction: 0.5, Path: "/workers/scripts$"}}); err != nil {
		t.Fatal(err)
	}
	failed := 0
	for range 40 {
		if status, _ := e.raw(http.MethodGet, "/accounts/"+testAccount+"/workers/scripts", nil); status == 429 {
			failed++
		}
	}
	if failed < 8 || failed > 32 {
		t.Fatalf("fraction 0.5 failed %d of 40", failed)
	}
	e.srv.SetFaults(nil)
	e.raw(http.MethodGet, "/accounts/"+testAccount+"/storage/kv/namespaces/0123456789abcdef0123456789abcdef", nil)

	// The request log has one JSON line per request, with status, account and code.
	lines := strings.Split(strings.TrimSpace(e.log.String()), "\n")
	var entries []local.LogEntry
	for _, l := range lines {
		var le local.LogEntry
		if err := json.Unmarshal([]byte(l), &le); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		entries = append(entries, le)
	}
	first := entries[0]
	if first.Method != "POST" || first.Status != 429 || first.Fault != "429" || first.Path != "/accounts/"+testAccount+"/storage/kv/namespaces" {
		t.Fatalf("first log entry = %+v", first)
	}
	last := entries[len(entries)-1]
	if last.Status != 404 || last.Code != 10013 || last.Account != testAccount {
		t.Fatalf("last log entry = %+v", last)
	}
}

func TestTokenAndAccountIsolation(t *testing.T) {
	e := start(t, func(o *local.Options) {
		o.Token = "right"
		o.Accounts = []local.Account{{ID: "fedcba9876543210fedcba9876543210", Name: "Other", Token: "other"}}
	})
	ctx := context.Background()
	_, err := e.client("wrong").KV.Namespaces.List(ctx, kv.NamespaceListParams{AccountID: cf.F(testAccount)})
	apiErr(t, err, http.StatusForbidden, 10000)
	right := e.client("right")
	if _, err := right.KV.Namespaces.New(ctx, kv.NamespaceNewParams{AccountID: cf.F(testAccount), Title: cf.F("mine")}); err != nil {
		t.Fatal(err)
	}
	other := e.client("other")
	_, err = other.KV.Namespaces.List(ctx, kv.NamespaceListParams{AccountID: cf.F(testAccount)})
	apiErr(t, err, http.StatusForbidden, 9109)
	list, err := other.KV.Namespaces.List(ctx, kv.NamespaceListParams{AccountID: cf.F("fedcba9876543210fedcba9876543210")})
	if err != nil || len(list.Result) != 0 {
		t.Fatalf("other account's namespaces = %+v, %v", list, err)
	}
	accts, err := other.Accounts.List(ctx, accountsListParams())
	if err != nil || len(accts.Result) != 1 || accts.Result[0].ID != "fedcba9876543210fedcba9876543210" {
		t.Fatalf("other's accounts = %+v, %v", accts, err)
	}
}

// recordingHost is a WorkerHost that records notifications and consumes
// queues, standing in for the Worker runtime.
type recordingHost struct {
	mu      sync.Mutex
	events  []string
	batches chan local.QueueBatch
	fail    atomic.Bool
}

func (h *recordingHost) ServeWorker(w http.ResponseWriter, r *http.Request, t local.WorkerTarget) {
	fmt.Fprintf(w, "ran %s via %s", t.Script, t.Via)
}
func (h *recordingHost) ScriptChanged(account, script string) { h.note("changed " + script) }
func (h *recordingHost) ScriptDeleted(account, script string) { h.note("deleted " + script) }
func (h *recordingHost) note(s string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, s)
}
func (h *recordingHost) DeliverQueue(ctx context.Context, b local.QueueBatch) local.QueueOutcome {
	h.batches <- b
	if h.fail.Load() {
		return local.QueueOutcome{Err: errors.New("handler threw")}
	}
	return local.QueueOutcome{}
}

func TestWorkerHostHooks(t *testing.T) {
	host := &recordingHost{batches: make(chan local.QueueBatch, 16)}
	e := start(t, func(o *local.Options) { o.Host = host })
	ctx := context.Background()
	st := e.srv.Store()
	e.upload(t, "consumer", uploadOpts{})
	if _, err := st.SetSchedules(ctx, testAccount, "consumer", []string{"* * * * *"}); err != nil {
		t.Fatal(err)
	}
	st.SetScriptSubdomain(ctx, testAccount, "consumer", true, true)
	status, body := e.hostGet("consumer.local.workers.dev", "/")
	if status != 200 || body != "ran consumer via workers.dev" {
		t.Fatalf("worker request: %d %s", status, body)
	}

	q, err := st.CreateQueue(ctx, testAccount, "jobs", nil)
	if err != nil {
		t.Fatal(err)
	}
	dlq, _ := st.CreateQueue(ctx, testAccount, "jobs-dlq", nil)
	if _, err := st.CreateConsumer(ctx, testAccount, q.ID, store.Consumer{Type: "worker", Script: "consumer", DeadLetterQueue: "jobs-dlq",
		Settings: store.ConsumerSettings{BatchSize: 2, MaxRetries: 1}}); err != nil {
		t.Fatal(err)
	}
	if err := st.SendMessages(ctx, testAccount, q.ID, []store.OutgoingMessage{{Body: []byte(`"a"`)}, {Body: []byte(`"b"`)}, {Body: []byte(`"c"`)}}); err != nil {
		t.Fatal(err)
	}
	got := 0
	for got < 3 {
		select {
		case b := <-host.batches:
			if b.Script != "consumer" || b.Queue.Name != "jobs" || len(b.Messages) > 2 {
				t.Fatalf("batch = %+v", b)
			}
			got += len(b.Messages)
		case <-time.After(5 * time.Second):
			t.Fatalf("delivered %d of 3 messages", got)
		}
	}
	waitFor(t, func() bool { n, _ := st.QueueBacklog(ctx, q.ID); return n == 0 })

	// A throwing handler retries, then the message goes to the dead letter queue.
	host.fail.Store(true)
	st.SendMessages(ctx, testAccount, q.ID, []store.OutgoingMessage{{Body: []byte(`"d"`)}})
	for range 2 {
		select {
		case <-host.batches:
		case <-time.After(5 * time.Second):
			t.Fatal("no redelivery")
		}
	}
	waitFor(t, func() bool { n, _ := st.QueueBacklog(ctx, dlq.ID); return n == 1 })

	e.cf.Workers.Scripts.Delete(ctx, "consumer", workersDeleteParams(true))
	host.mu.Lock()
	defer host.mu.Unlock()
	joined := strings.Join(host.events, ",")
	if !strings.HasPrefix(joined, "changed consumer,changed consumer,changed consumer") || !strings.HasSuffix(joined, "deleted consumer") {
		t.Fatalf("host events = %s", joined)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
