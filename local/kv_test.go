package local_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"

	cf "github.com/cloudflare/cloudflare-go/v6"
	"github.com/cloudflare/cloudflare-go/v6/kv"
	"github.com/cloudflare/cloudflare-go/v6/shared"

	"github.com/alchemy-go/alchemy/local/internal/oacheck"
)

func asError(err error, target **cf.Error) bool { return errors.As(err, target) }

func TestKVLifecycle(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	acct := cf.F(testAccount)

	ns, err := e.cf.KV.Namespaces.New(ctx, kv.NamespaceNewParams{AccountID: acct, Title: cf.F("cache")})
	if err != nil {
		t.Fatal(err)
	}
	if len(ns.ID) != 32 || ns.Title != "cache" || !ns.SupportsURLEncoding {
		t.Fatalf("namespace = %+v", ns)
	}
	_, err = e.cf.KV.Namespaces.New(ctx, kv.NamespaceNewParams{AccountID: acct, Title: cf.F("cache")})
	apiErr(t, err, http.StatusBadRequest, 10014)

	got, err := e.cf.KV.Namespaces.Get(ctx, ns.ID, kv.NamespaceGetParams{AccountID: acct})
	if err != nil || got.Title != "cache" {
		t.Fatalf("get = %+v, %v", got, err)
	}
	renamed, err := e.cf.KV.Namespaces.Update(ctx, ns.ID, kv.NamespaceUpdateParams{AccountID: acct, Title: cf.F("cache-2")})
	if err != nil || renamed.Title != "cache-2" {
		t.Fatalf("rename = %+v, %v", renamed, err)
	}

	// Values: plain string through cloudflare-go's multipart form, raw bytes, metadata.
	if _, err := e.cf.KV.Namespaces.Values.Update(ctx, ns.ID, "greeting", kv.NamespaceValueUpdateParams{AccountID: acct,
		Value: cf.F[kv.NamespaceValueUpdateParamsValueUnion](shared.UnionString("hello")), Metadata: cf.F[any](map[string]any{"lang": "en"})}); err != nil {
		t.Fatal(err)
	}
	resp, err := e.cf.KV.Namespaces.Values.Get(ctx, ns.ID, "greeting", kv.NamespaceValueGetParams{AccountID: acct})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "hello" {
		t.Fatalf("value = %q", body)
	}
	md, err := e.cf.KV.Namespaces.Metadata.Get(ctx, ns.ID, "greeting", kv.NamespaceMetadataGetParams{AccountID: acct})
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := (*md).(map[string]any); !ok || m["lang"] != "en" {
		t.Fatalf("metadata = %#v", *md)
	}
	status, raw := e.rawBytes(http.MethodPut, "/accounts/"+testAccount+"/storage/kv/namespaces/"+ns.ID+"/values/path%2Fwith%2Fslashes", []byte{0, 1, 2}, "Content-Type", "application/octet-stream")
	if status != 200 {
		t.Fatalf("raw put: %d %s", status, raw)
	}
	status, raw = e.rawBytes(http.MethodGet, "/accounts/"+testAccount+"/storage/kv/namespaces/"+ns.ID+"/values/path%2Fwith%2Fslashes", nil)
	if status != 200 || string(raw) != "\x00\x01\x02" {
		t.Fatalf("raw get: %d %q", status, raw)
	}
	_, err = e.cf.KV.Namespaces.Values.Get(ctx, ns.ID, "missing", kv.NamespaceValueGetParams{AccountID: acct})
	apiErr(t, err, http.StatusNotFound, 10009)

	// Bulk write 25 keys, then page through them with a cursor.
	var items []kv.NamespaceBulkUpdateParamsBody
	for i := range 25 {
		items = append(items, kv.NamespaceBulkUpdateParamsBody{Key: cf.F(fmt.Sprintf("item-%02d", i)), Value: cf.F(fmt.Sprint(i))})
	}
	bulk, err := e.cf.KV.Namespaces.BulkUpdate(ctx, ns.ID, kv.NamespaceBulkUpdateParams{AccountID: acct, Body: items})
	if err != nil || bulk.SuccessfulKeyCount != 25 {
		t.Fatalf("bulk = %+v, %v", bulk, err)
	}
	var names []string
	pager := e.cf.KV.Namespaces.Keys.ListAutoPaging(ctx, ns.ID, kv.NamespaceKeyListParams{AccountID: acct, Prefix: cf.F("item-"), Limit: cf.F(10.0)})
	for pager.Next() {
		names = append(names, pager.Current().Name)
	}
	if err := pager.Err(); err != nil {
		t.Fatal(err)
	}
	if len(names) != 25 || names[0] != "item-00" || names[24] != "item-24" {
		t.Fatalf("listed %d keys: %v", len(names), names)
	}
	page, err := e.cf.KV.Namespaces.Keys.List(ctx, ns.ID, kv.NamespaceKeyListParams{AccountID: acct, Limit: cf.F(10.0)})
	if err != nil || len(page.Result) != 10 || page.ResultInfo.Cursor == "" {
		t.Fatalf("first page = %+v, %v", page, err)
	}

	bulkGet, err := e.cf.KV.Namespaces.BulkGet(ctx, ns.ID, kv.NamespaceBulkGetParams{AccountID: acct, Keys: cf.F([]string{"item-01", "nope"})})
	if err != nil {
		t.Fatal(err)
	}
	if raw := bulkGet.JSON.RawJSON(); !contains(raw, `"item-01":"1"`) || !contains(raw, `"nope":null`) {
		t.Fatalf("bulk get = %s", raw)
	}
	if _, err := e.cf.KV.Namespaces.BulkDelete(ctx, ns.ID, kv.NamespaceBulkDeleteParams{AccountID: acct, Body: []string{"item-00", "item-01"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cf.KV.Namespaces.Values.Delete(ctx, ns.ID, "greeting", kv.NamespaceValueDeleteParams{AccountID: acct}); err != nil {
		t.Fatal(err)
	}
	n, _ := e.srv.Store().KVCount(ctx, ns.ID)
	if n != 24 {
		t.Fatalf("keys left = %d, want 24", n)
	}

	// Expiration below 60 s is refused; TTLs are kept.
	status, env := e.raw(http.MethodPut, "/accounts/"+testAccount+"/storage/kv/namespaces/"+ns.ID+"/values/short?expiration_ttl=5", "x", "Content-Type", "application/octet-stream")
	if status != 400 {
		t.Fatalf("short ttl: %d %+v", status, env)
	}

	if _, err := e.cf.KV.Namespaces.Delete(ctx, ns.ID, kv.NamespaceDeleteParams{AccountID: acct}); err != nil {
		t.Fatal(err)
	}
	_, err = e.cf.KV.Namespaces.Get(ctx, ns.ID, kv.NamespaceGetParams{AccountID: acct})
	apiErr(t, err, http.StatusNotFound, 10013)
	status, env = e.raw(http.MethodGet, "/accounts/"+testAccount+"/storage/kv/namespaces/not-an-id", nil)
	if status != 400 || env.code() != 10011 {
		t.Fatalf("bad id: %d %+v", status, env)
	}
}

func TestKVNamespacePagination(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	acct := cf.F(testAccount)
	for i := range 45 {
		if _, err := e.cf.KV.Namespaces.New(ctx, kv.NamespaceNewParams{AccountID: acct, Title: cf.F(fmt.Sprintf("ns-%02d", i))}); err != nil {
			t.Fatal(err)
		}
	}
	var titles []string
	pager := e.cf.KV.Namespaces.ListAutoPaging(ctx, kv.NamespaceListParams{AccountID: acct, PerPage: cf.F(20.0)})
	for pager.Next() {
		titles = append(titles, pager.Current().Title)
	}
	if err := pager.Err(); err != nil {
		t.Fatal(err)
	}
	if len(titles) != 45 || titles[0] != "ns-00" || titles[44] != "ns-44" {
		t.Fatalf("auto-paged %d titles", len(titles))
	}
	// Past the end: an empty page. Oversized per_page is clamped and echoed.
	page, err := e.cf.KV.Namespaces.List(ctx, kv.NamespaceListParams{AccountID: acct, Page: cf.F(9.0), PerPage: cf.F(20.0)})
	if err != nil || len(page.Result) != 0 || page.ResultInfo.Page != 9 {
		t.Fatalf("page 9 = %+v, %v", page, err)
	}
	status, env := e.raw(http.MethodGet, "/accounts/"+testAccount+"/storage/kv/namespaces?per_page=5000&order=title&direction=desc", nil,
		oacheck.OutsideSpecHeader, "per_page above the maximum, as wrangler sends it")
	if status != 200 || !jsonContains(env.ResultInfo, `"per_page":1000`) || !jsonContains(env.Result, `"title":"ns-44"`) {
		t.Fatalf("clamped list: %d %s %s", status, env.ResultInfo, env.Result[:min(80, len(env.Result))])
	}
}

func jsonContains(raw []byte, s string) bool { return len(raw) > 0 && contains(string(raw), s) }
