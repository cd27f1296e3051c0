package local_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	cf "github.com/cloudflare/cloudflare-go/v6"
	"github.com/cloudflare/cloudflare-go/v6/d1"
	"github.com/cloudflare/cloudflare-go/v6/option"
	"github.com/cloudflare/cloudflare-go/v6/queues"
	"github.com/cloudflare/cloudflare-go/v6/r2"

	"github.com/alchemy-go/alchemy/local/internal/oacheck"
)

func TestR2Lifecycle(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	acct := cf.F(testAccount)

	b, err := e.cf.R2.Buckets.New(ctx, r2.BucketNewParams{AccountID: acct, Name: cf.F("assets"), LocationHint: cf.F(r2.BucketNewParamsLocationHintWeur)})
	if err != nil {
		t.Fatal(err)
	}
	if b.Name != "assets" || b.Location != "weur" || b.CreationDate == "" {
		t.Fatalf("bucket = %+v", b)
	}
	_, err = e.cf.R2.Buckets.New(ctx, r2.BucketNewParams{AccountID: acct, Name: cf.F("assets")})
	apiErr(t, err, http.StatusConflict, 10004)
	_, err = e.cf.R2.Buckets.New(ctx, r2.BucketNewParams{AccountID: acct, Name: cf.F("Bad_Name")}, option.WithHeader(oacheck.OutsideSpecHeader, "invalid name on purpose"))
	apiErr(t, err, http.StatusBadRequest, 10005)
	_, err = e.cf.R2.Buckets.Get(ctx, "nope", r2.BucketGetParams{AccountID: acct})
	apiErr(t, err, http.StatusNotFound, 10006)
	for _, n := range []string{"b-one", "b-two", "b-three"} {
		if _, err := e.cf.R2.Buckets.New(ctx, r2.BucketNewParams{AccountID: acct, Name: cf.F(n)}); err != nil {
			t.Fatal(err)
		}
	}
	// Manual cursor paging, two at a time.
	var names []string
	cursor := ""
	for range 5 {
		params := r2.BucketListParams{AccountID: acct, PerPage: cf.F(2.0)}
		if cursor != "" {
			params.Cursor = cf.F(cursor)
		}
		var page struct {
			Result struct {
				Buckets []struct{ Name string } `json:"buckets"`
			} `json:"result"`
			ResultInfo struct {
				Cursor string `json:"cursor"`
			} `json:"result_info"`
		}
		q := "per_page=2"
		if cursor != "" {
			q += "&cursor=" + cursor
		}
		if err := e.cf.Get(ctx, "accounts/"+testAccount+"/r2/buckets?"+q, nil, &page); err != nil {
			t.Fatal(err)
		}
		for _, b := range page.Result.Buckets {
			names = append(names, b.Name)
		}
		if cursor = page.ResultInfo.Cursor; cursor == "" {
			break
		}
	}
	if strings.Join(names, ",") != "assets,b-one,b-three,b-two" {
		t.Fatalf("paged buckets = %v", names)
	}
	list, err := e.cf.R2.Buckets.List(ctx, r2.BucketListParams{AccountID: acct, NameContains: cf.F("b-t")})
	if err != nil || len(list.Buckets) != 2 {
		t.Fatalf("name_contains = %+v, %v", list, err)
	}

	// Objects through the REST object API (what Alchemy and wrangler use).
	base := "/accounts/" + testAccount + "/r2/buckets/assets/objects/"
	for i := range 3 {
		status, body := e.rawBytes(http.MethodPut, base+fmt.Sprintf("dir/file-%d.txt", i), fmt.Sprintf("content %d", i), "Content-Type", "text/plain", "X-Amz-Meta-Owner", "me")
		if status != 200 {
			t.Fatalf("put object: %d %s", status, body)
		}
	}
	e.rawBytes(http.MethodPut, base+"top.bin", []byte{1, 2, 3}, "Content-Type", "application/octet-stream")
	status, body := e.rawBytes(http.MethodGet, base+"dir/file-1.txt", nil)
	if status != 200 || string(body) != "content 1" {
		t.Fatalf("get object: %d %q", status, body)
	}
	status, body = e.rawBytes(http.MethodGet, base+"dir/missing", nil)
	if status != 404 {
		t.Fatalf("missing object: %d %s", status, body)
	}
	o, err := e.srv.Store().HeadObject(ctx, testAccount, "assets", "dir/file-0.txt")
	if err != nil || o.HTTPMetadata.ContentType != "text/plain" || o.CustomMetadata["owner"] != "me" || o.Size != 9 {
		t.Fatalf("head = %+v, %v", o, err)
	}
	status, env := e.raw(http.MethodGet, "/accounts/"+testAccount+"/r2/buckets/assets/objects?per_page=2&delimiter=/", nil)
	if status != 200 || !jsonContains(env.Result, `"key":"top.bin"`) || !jsonContains(env.ResultInfo, `"delimited":["dir/"]`) {
		t.Fatalf("delimited list: %s %s", env.Result, env.ResultInfo)
	}
	status, env = e.raw(http.MethodGet, "/accounts/"+testAccount+"/r2/buckets/assets/objects?per_page=2&prefix=dir/", nil)
	if status != 200 || !jsonContains(env.ResultInfo, `"is_truncated":true`) {
		t.Fatalf("truncated list: %s %s", env.Result, env.ResultInfo)
	}

	// Bucket settings documents round-trip; the managed r2.dev domain toggles.
	status, env = e.raw(http.MethodPut, "/accounts/"+testAccount+"/r2/buckets/assets/domains/managed", map[string]bool{"enabled": true})
	if status != 200 || !jsonContains(env.Result, `"enabled":true`) || !jsonContains(env.Result, `.r2.dev"`) {
		t.Fatalf("managed domain: %d %s", status, env.Result)
	}
	rules := map[string]any{"rules": []any{map[string]any{"id": "expire", "enabled": true, "conditions": map[string]string{"prefix": "tmp/"}}}}
	if status, env = e.raw(http.MethodPut, "/accounts/"+testAccount+"/r2/buckets/assets/lifecycle", rules); status != 200 {
		t.Fatalf("put lifecycle: %d %+v", status, env)
	}
	if status, env = e.raw(http.MethodGet, "/accounts/"+testAccount+"/r2/buckets/assets/lifecycle", nil); status != 200 || !jsonContains(env.Result, `"id":"expire"`) {
		t.Fatalf("get lifecycle: %d %s", status, env.Result)
	}

	_, err = e.cf.R2.Buckets.Delete(ctx, "assets", r2.BucketDeleteParams{AccountID: acct})
	apiErr(t, err, http.StatusConflict, 10008)
	status, env = e.raw(http.MethodDelete, "/accounts/"+testAccount+"/r2/buckets/assets/objects", []string{"dir/file-0.txt", "dir/file-1.txt", "dir/file-2.txt", "top.bin"})
	if status != 200 {
		t.Fatalf("bulk delete: %d %+v", status, env)
	}
	if _, err := e.cf.R2.Buckets.Delete(ctx, "assets", r2.BucketDeleteParams{AccountID: acct}); err != nil {
		t.Fatal(err)
	}
	_, err = e.cf.R2.Buckets.Delete(ctx, "assets", r2.BucketDeleteParams{AccountID: acct})
	apiErr(t, err, http.StatusNotFound, 10006)
}

func TestD1Lifecycle(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	acct := cf.F(testAccount)

	db, err := e.cf.D1.Database.New(ctx, d1.DatabaseNewParams{AccountID: acct, Name: cf.F("app")})
	if err != nil {
		t.Fatal(err)
	}
	if len(db.UUID) != 36 || db.Name != "app" {
		t.Fatalf("db = %+v", db)
	}
	_, err = e.cf.D1.Database.New(ctx, d1.DatabaseNewParams{AccountID: acct, Name: cf.F("app")})
	apiErr(t, err, http.StatusBadRequest, 7502)

	res, err := e.cf.D1.Database.Query(ctx, db.UUID, d1.DatabaseQueryParams{AccountID: acct, Body: d1.DatabaseQueryParamsBodyD1SingleQuery{
		Sql: cf.F("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL); INSERT INTO users (name, score) VALUES ('ada', 1.5), ('bob', 2);")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Result) != 2 || res.Result[1].Meta.Changes != 2 || res.Result[1].Meta.LastRowID != 2 || !res.Result[1].Meta.ChangedDB {
		t.Fatalf("multi-statement query = %+v", res.Result)
	}
	res, err = e.cf.D1.Database.Query(ctx, db.UUID, d1.DatabaseQueryParams{AccountID: acct, Body: d1.DatabaseQueryParamsBodyD1SingleQuery{
		Sql: cf.F("SELECT id, name, score FROM users WHERE name = ?"), Params: cf.F([]string{"bob"})}})
	if err != nil {
		t.Fatal(err)
	}
	if raw := res.Result[0].JSON.RawJSON(); !contains(raw, `"results":[{"id":2,"name":"bob","score":2}]`) {
		t.Fatalf("select = %s", raw)
	}
	raw, err := e.cf.D1.Database.Raw(ctx, db.UUID, d1.DatabaseRawParams{AccountID: acct, Body: d1.DatabaseRawParamsBodyD1SingleQuery{Sql: cf.F("SELECT name FROM users ORDER BY id")}})
	if err != nil {
		t.Fatal(err)
	}
	if got := raw.Result[0].Results; strings.Join(got.Columns, ",") != "name" || len(got.Rows) != 2 {
		t.Fatalf("raw = %+v", got)
	}

	// A batch is atomic: a failing statement rolls back the ones before it.
	_, err = e.cf.D1.Database.Query(ctx, db.UUID, d1.DatabaseQueryParams{AccountID: acct, Body: d1.DatabaseQueryParamsBodyMultipleQueries{
		Batch: cf.F([]d1.DatabaseQueryParamsBodyMultipleQueriesBatch{
			{Sql: cf.F("INSERT INTO users (name) VALUES ('cy')")},
			{Sql: cf.F("INSERT INTO nowhere VALUES (1)")},
		})}})
	apiErr(t, err, http.StatusBadRequest, 7500)
	if !strings.Contains(err.Error(), "no such table: nowhere") {
		t.Fatalf("error = %v", err)
	}
	count, err := e.srv.Store().D1Exec(ctx, testAccount, db.UUID, []storeStmt{{SQL: "SELECT count(*) AS n FROM users"}})
	if err != nil || count[0].Rows[0][0] != int64(2) {
		t.Fatalf("rows after failed batch = %+v, %v", count, err)
	}

	got, err := e.cf.D1.Database.Get(ctx, db.UUID, d1.DatabaseGetParams{AccountID: acct})
	if err != nil || got.NumTables != 1 || got.FileSize == 0 {
		t.Fatalf("get = %+v, %v", got, err)
	}
	edited, err := e.cf.D1.Database.Edit(ctx, db.UUID, d1.DatabaseEditParams{AccountID: acct, ReadReplication: cf.F(d1.DatabaseEditParamsReadReplication{Mode: cf.F(d1.DatabaseEditParamsReadReplicationModeAuto)})})
	if err != nil || edited.ReadReplication.Mode != "auto" {
		t.Fatalf("edit = %+v, %v", edited, err)
	}
	list, err := e.cf.D1.Database.List(ctx, d1.DatabaseListParams{AccountID: acct, Name: cf.F("app")})
	if err != nil || len(list.Result) != 1 {
		t.Fatalf("list = %+v, %v", list, err)
	}
	if _, err := e.cf.D1.Database.Delete(ctx, db.UUID, d1.DatabaseDeleteParams{AccountID: acct}); err != nil {
		t.Fatal(err)
	}
	_, err = e.cf.D1.Database.Get(ctx, db.UUID, d1.DatabaseGetParams{AccountID: acct})
	apiErr(t, err, http.StatusNotFound, 7404)
	_, err = e.cf.D1.Database.Query(ctx, db.UUID, d1.DatabaseQueryParams{AccountID: acct, Body: d1.DatabaseQueryParamsBodyD1SingleQuery{Sql: cf.F("SELECT 1")}})
	apiErr(t, err, http.StatusNotFound, 7404)
}

func TestQueuesLifecycle(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	acct := cf.F(testAccount)

	q, err := e.cf.Queues.New(ctx, queues.QueueNewParams{AccountID: acct, QueueName: cf.F("jobs")})
	if err != nil {
		t.Fatal(err)
	}
	if len(q.QueueID) != 32 || q.QueueName != "jobs" {
		t.Fatalf("queue = %+v", q)
	}
	_, err = e.cf.Queues.New(ctx, queues.QueueNewParams{AccountID: acct, QueueName: cf.F("jobs")})
	apiErr(t, err, http.StatusConflict, 11009)
	dlq, err := e.cf.Queues.New(ctx, queues.QueueNewParams{AccountID: acct, QueueName: cf.F("jobs-dlq")})
	if err != nil {
		t.Fatal(err)
	}
	edited, err := e.cf.Queues.Edit(ctx, q.QueueID, queues.QueueEditParams{AccountID: acct, Queue: queues.QueueParam{Settings: cf.F(queues.QueueSettingsParam{DeliveryDelay: cf.F(5.0)})}})
	if err != nil || edited.Settings.DeliveryDelay != 5 {
		t.Fatalf("edit = %+v, %v", edited, err)
	}

	// A consumer needs its Worker.
	_, err = e.cf.Queues.Consumers.New(ctx, q.QueueID, queues.ConsumerNewParams{AccountID: acct, Body: queues.ConsumerNewParamsBodyMqWorkerConsumerRequest{
		ScriptName: cf.F("consumer"), Type: cf.F(queues.ConsumerNewParamsBodyMqWorkerConsumerRequestTypeWorker)}})
	apiErr(t, err, http.StatusNotFound, 10007)
	e.upload(t, "consumer", uploadOpts{})
	c, err := e.cf.Queues.Consumers.New(ctx, q.QueueID, queues.ConsumerNewParams{AccountID: acct, Body: queues.ConsumerNewParamsBodyMqWorkerConsumerRequest{
		ScriptName: cf.F("consumer"), Type: cf.F(queues.ConsumerNewParamsBodyMqWorkerConsumerRequestTypeWorker), DeadLetterQueue: cf.F("jobs-dlq"),
		Settings: cf.F(queues.ConsumerNewParamsBodyMqWorkerConsumerRequestSettings{BatchSize: cf.F(5.0), MaxRetries: cf.F(2.0)})}})
	if err != nil {
		t.Fatal(err)
	}
	consumers, err := e.cf.Queues.Consumers.List(ctx, q.QueueID, queues.ConsumerListParams{AccountID: acct})
	if err != nil || len(consumers.Result) != 1 || consumers.Result[0].ConsumerID != c.ConsumerID {
		t.Fatalf("consumers = %+v, %v", consumers, err)
	}
	var byScript []map[string]any
	if err := e.cf.Get(ctx, "accounts/"+testAccount+"/workers/scripts/consumer/queue-consumers?perPage=100", nil, &struct {
		Result *[]map[string]any `json:"result"`
	}{&byScript}); err != nil || len(byScript) != 1 || byScript[0]["queue_name"] != "jobs" {
		t.Fatalf("queue-consumers = %+v, %v", byScript, err)
	}

	// Messages: push, pull under a lease, ack one, retry the other.
	for _, body := range []string{"one", "two"} {
		if _, err := e.cf.Queues.Messages.Push(ctx, dlq.QueueID, queues.MessagePushParams{AccountID: acct,
			Body: queues.MessagePushParamsBodyMqQueueMessageText{Body: cf.F(body), ContentType: cf.F(queues.MessagePushParamsBodyMqQueueMessageTextContentTypeText)}}); err != nil {
			t.Fatal(err)
		}
	}
	pulled, err := e.cf.Queues.Messages.Pull(ctx, dlq.QueueID, queues.MessagePullParams{AccountID: acct, BatchSize: cf.F(10.0)})
	if err != nil || len(pulled.Messages) != 2 {
		t.Fatalf("pull = %+v, %v", pulled, err)
	}
	again, _ := e.cf.Queues.Messages.Pull(ctx, dlq.QueueID, queues.MessagePullParams{AccountID: acct})
	if len(again.Messages) != 0 {
		t.Fatalf("leased messages were pulled again: %+v", again.Messages)
	}
	ack, err := e.cf.Queues.Messages.Ack(ctx, dlq.QueueID, queues.MessageAckParams{AccountID: acct,
		Acks:    cf.F([]queues.MessageAckParamsAck{{LeaseID: cf.F(pulled.Messages[0].LeaseID)}}),
		Retries: cf.F([]queues.MessageAckParamsRetry{{LeaseID: cf.F(pulled.Messages[1].LeaseID)}})})
	if err != nil || ack.AckCount != 1 || ack.RetryCount != 1 {
		t.Fatalf("ack = %+v, %v", ack, err)
	}
	retried, _ := e.cf.Queues.Messages.Pull(ctx, dlq.QueueID, queues.MessagePullParams{AccountID: acct})
	if len(retried.Messages) != 1 || retried.Messages[0].Attempts != 2 {
		t.Fatalf("retried = %+v", retried.Messages)
	}

	if _, err := e.cf.Queues.Consumers.Delete(ctx, q.QueueID, c.ConsumerID, queues.ConsumerDeleteParams{AccountID: acct}); err != nil {
		t.Fatal(err)
	}
	list, err := e.cf.Queues.List(ctx, queues.QueueListParams{AccountID: acct})
	if err != nil || len(list.Result) != 2 {
		t.Fatalf("list = %+v, %v", list, err)
	}
	if _, err := e.cf.Queues.Delete(ctx, q.QueueID, queues.QueueDeleteParams{AccountID: acct}); err != nil {
		t.Fatal(err)
	}
	_, err = e.cf.Queues.Get(ctx, q.QueueID, queues.QueueGetParams{AccountID: acct})
	apiErr(t, err, http.StatusNotFound, 11000)
}
