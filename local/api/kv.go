package api

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/alchemy-go/alchemy/local/store"
)

type kvNamespaceJSON struct {
	ID                  string `json:"id"`
	Title               string `json:"title"`
	SupportsURLEncoding bool   `json:"supports_url_encoding"`
}

func toKV(ns store.KVNamespace) kvNamespaceJSON {
	return kvNamespaceJSON{ID: ns.ID, Title: ns.Title, SupportsURLEncoding: true}
}

var kvFailures = map[error]failure{
	store.ErrNotFound: {http.StatusNotFound, 10013, "namespace not found"},
	store.ErrExists:   {http.StatusBadRequest, 10014, "a namespace with this account ID and title already exists"},
	store.ErrInvalid:  {http.StatusBadRequest, 10019, ""},
}

// kvns wraps a handler of one namespace: the namespace must exist in the
// account.
func (h *Handler) kvns(fn func(w http.ResponseWriter, r *http.Request, ns store.KVNamespace)) func(http.ResponseWriter, *http.Request, string) {
	return func(w http.ResponseWriter, r *http.Request, acct string) {
		id := r.PathValue("namespace_id")
		if !isHex32(id) {
			writeError(w, r, http.StatusBadRequest, 10011, "could not parse UUID from request's namespace_id: '"+id+"'")
			return
		}
		ns, err := h.st.KVNamespace(r.Context(), acct, id)
		if err != nil {
			fail(w, r, err, kvFailures)
			return
		}
		fn(w, r, ns)
	}
}

func isHex32(s string) bool {
	if len(s) != 32 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func (h *Handler) listKV(w http.ResponseWriter, r *http.Request, acct string) {
	nss, err := h.st.KVNamespaces(r.Context(), acct)
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	q := r.URL.Query()
	if q.Get("order") == "id" {
		sort.SliceStable(nss, func(i, j int) bool { return nss[i].ID < nss[j].ID })
	}
	if q.Get("direction") == "desc" {
		for i, j := 0, len(nss)-1; i < j; i, j = i+1, j-1 {
			nss[i], nss[j] = nss[j], nss[i]
		}
	}
	items := make([]kvNamespaceJSON, 0, len(nss))
	for _, ns := range nss {
		items = append(items, toKV(ns))
	}
	page, info := pageOf(r, items, 20, 1000)
	okInfo(w, page, info)
}

func (h *Handler) createKV(w http.ResponseWriter, r *http.Request, acct string) {
	var body struct {
		Title string `json:"title"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	ns, err := h.st.CreateKVNamespace(r.Context(), acct, body.Title)
	if err != nil {
		fail(w, r, err, kvFailures)
		return
	}
	ok(w, toKV(ns))
}

func (h *Handler) getKV(w http.ResponseWriter, r *http.Request, ns store.KVNamespace) {
	ok(w, toKV(ns))
}

func (h *Handler) renameKV(w http.ResponseWriter, r *http.Request, ns store.KVNamespace) {
	var body struct {
		Title string `json:"title"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	ns, err := h.st.RenameKVNamespace(r.Context(), ns.AccountID, ns.ID, body.Title)
	if err != nil {
		fail(w, r, err, kvFailures)
		return
	}
	ok(w, toKV(ns))
}

func (h *Handler) deleteKV(w http.ResponseWriter, r *http.Request, ns store.KVNamespace) {
	if err := h.st.DeleteKVNamespace(r.Context(), ns.AccountID, ns.ID); err != nil {
		fail(w, r, err, kvFailures)
		return
	}
	ok(w, map[string]any{})
}

type kvKeyJSON struct {
	Name       string          `json:"name"`
	Expiration int64           `json:"expiration,omitempty"`
	Metadata   json.RawMessage `json:"metadata,omitempty"`
}

func (h *Handler) listKVKeys(w http.ResponseWriter, r *http.Request, ns store.KVNamespace) {
	q := r.URL.Query()
	limit := queryInt(r, "limit", 1000)
	limit = max(10, min(limit, 1000))
	keys, cursor, err := h.st.KVList(r.Context(), ns.ID, store.KVListOptions{Prefix: q.Get("prefix"), Cursor: q.Get("cursor"), Limit: limit})
	if err != nil {
		fail(w, r, err, map[error]failure{store.ErrInvalid: {http.StatusBadRequest, 10019, "Invalid cursor"}})
		return
	}
	out := make([]kvKeyJSON, 0, len(keys))
	for _, k := range keys {
		out = append(out, kvKeyJSON{Name: k.Name, Expiration: k.Expiration, Metadata: k.Metadata})
	}
	okInfo(w, out, map[string]any{"count": len(out), "cursor": cursor})
}

func (h *Handler) getKVValue(w http.ResponseWriter, r *http.Request, ns store.KVNamespace) {
	e, err := h.st.KVGet(r.Context(), ns.ID, r.PathValue("key_name"))
	if err != nil {
		fail(w, r, err, map[error]failure{store.ErrNotFound: {http.StatusNotFound, 10009, "get: 'key not found'"}})
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	if e.Expiration > 0 {
		w.Header().Set("Expiration", strconv.FormatInt(e.Expiration, 10))
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(e.Value)))
	w.WriteHeader(http.StatusOK)
	w.Write(e.Value)
}

func (h *Handler) getKVMetadata(w http.ResponseWriter, r *http.Request, ns store.KVNamespace) {
	e, err := h.st.KVGet(r.Context(), ns.ID, r.PathValue("key_name"))
	if err != nil {
		fail(w, r, err, map[error]failure{store.ErrNotFound: {http.StatusNotFound, 10009, "get: 'key not found'"}})
		return
	}
	if e.Metadata == nil {
		ok(w, nil)
		return
	}
	ok(w, e.Metadata)
}

// kvExpiration resolves expiration / expiration_ttl (seconds) to an
// absolute unix time.
func (h *Handler) kvExpiration(exp, ttl int64) (int64, string) {
	now := time.Now().Unix()
	switch {
	case ttl != 0:
		if ttl < 60 {
			return 0, "Invalid expiration_ttl of " + strconv.FormatInt(ttl, 10) + ". Expiration TTL must be at least 60."
		}
		return now + ttl, ""
	case exp != 0:
		if exp < now+60 {
			return 0, "Invalid expiration of " + strconv.FormatInt(exp, 10) + ". Please specify integer greater than the current number of seconds since the UNIX epoch + 60."
		}
		return exp, ""
	}
	return 0, ""
}

func (h *Handler) putKVValue(w http.ResponseWriter, r *http.Request, ns store.KVNamespace) {
	key := r.PathValue("key_name")
	exp, msg := h.kvExpiration(int64(queryInt(r, "expiration", 0)), int64(queryInt(r, "expiration_ttl", 0)))
	if msg != "" {
		writeError(w, r, http.StatusBadRequest, 10032, msg)
		return
	}
	entry := store.KVEntry{Key: key, Expiration: exp}
	mediaType, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType == "multipart/form-data" {
		value, md, err := readKVMultipart(multipart.NewReader(r.Body, params["boundary"]))
		if err != nil {
			writeError(w, r, http.StatusBadRequest, 10001, "could not parse multipart body: "+err.Error())
			return
		}
		entry.Value, entry.Metadata = value, md
	} else {
		value, err := io.ReadAll(io.LimitReader(r.Body, 25<<20+1))
		if err != nil {
			writeError(w, r, http.StatusBadRequest, 10001, "could not read value: "+err.Error())
			return
		}
		if len(value) > 25<<20 {
			writeError(w, r, http.StatusRequestEntityTooLarge, 10033, "Value length of 26214401 exceeds limit of 26214400.")
			return
		}
		entry.Value = value
	}
	if entry.Metadata != nil && !json.Valid(entry.Metadata) {
		writeError(w, r, http.StatusBadRequest, 10026, "metadata must be valid JSON")
		return
	}
	if err := h.st.KVPut(r.Context(), ns.ID, entry); err != nil {
		fail(w, r, err, kvFailures)
		return
	}
	ok(w, map[string]any{})
}

// readKVMultipart reads the value and metadata of a multipart KV write.
// Metadata comes as one JSON part, or (cloudflare-go's form encoding) as
// dotted fields "metadata.a.b".
func readKVMultipart(mr *multipart.Reader) ([]byte, json.RawMessage, error) {
	var value []byte
	var metadata json.RawMessage
	dotted := map[string]any{}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		data, err := io.ReadAll(io.LimitReader(p, 25<<20))
		if err != nil {
			return nil, nil, err
		}
		name := p.FormName()
		switch {
		case name == "value":
			value = data
		case name == "metadata":
			metadata = json.RawMessage(data)
		case strings.HasPrefix(name, "metadata."):
			setDotted(dotted, strings.Split(strings.TrimPrefix(name, "metadata."), "."), string(data))
		}
	}
	if metadata == nil && len(dotted) > 0 {
		metadata, _ = json.Marshal(dotted)
	}
	if value == nil {
		value = []byte{}
	}
	return value, metadata, nil
}

func setDotted(m map[string]any, path []string, v string) {
	for len(path) > 1 {
		next, ok := m[path[0]].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[path[0]] = next
		}
		m, path = next, path[1:]
	}
	m[path[0]] = v
}

func (h *Handler) deleteKVValue(w http.ResponseWriter, r *http.Request, ns store.KVNamespace) {
	if err := h.st.KVDelete(r.Context(), ns.ID, r.PathValue("key_name")); err != nil {
		fail(w, r, err, kvFailures)
		return
	}
	ok(w, map[string]any{})
}

func (h *Handler) bulkPutKV(w http.ResponseWriter, r *http.Request, ns store.KVNamespace) {
	var items []struct {
		Key           string          `json:"key"`
		Value         string          `json:"value"`
		Base64        bool            `json:"base64"`
		Expiration    int64           `json:"expiration"`
		ExpirationTTL int64           `json:"expiration_ttl"`
		Metadata      json.RawMessage `json:"metadata"`
	}
	if !decodeJSON(w, r, &items) {
		return
	}
	if len(items) > 10000 {
		writeError(w, r, http.StatusBadRequest, 10028, "bulk writes are limited to 10,000 pairs")
		return
	}
	entries := make([]store.KVEntry, 0, len(items))
	for _, it := range items {
		val := []byte(it.Value)
		if it.Base64 {
			dec, err := base64.StdEncoding.DecodeString(it.Value)
			if err != nil {
				writeError(w, r, http.StatusBadRequest, 10021, "value of key "+strconv.Quote(it.Key)+" is not valid base64")
				return
			}
			val = dec
		}
		exp, msg := h.kvExpiration(it.Expiration, it.ExpirationTTL)
		if msg != "" {
			writeError(w, r, http.StatusBadRequest, 10032, msg)
			return
		}
		md := it.Metadata
		if string(md) == "null" {
			md = nil
		}
		entries = append(entries, store.KVEntry{Key: it.Key, Value: val, Expiration: exp, Metadata: md})
	}
	if err := h.st.KVPutMany(r.Context(), ns.ID, entries); err != nil {
		fail(w, r, err, kvFailures)
		return
	}
	ok(w, map[string]any{"successful_key_count": len(entries), "unsuccessful_keys": []string{}})
}

func (h *Handler) bulkDeleteKV(w http.ResponseWriter, r *http.Request, ns store.KVNamespace) {
	var keys []string
	if !decodeJSON(w, r, &keys) {
		return
	}
	if err := h.st.KVDelete(r.Context(), ns.ID, keys...); err != nil {
		fail(w, r, err, kvFailures)
		return
	}
	ok(w, map[string]any{"successful_key_count": len(keys), "unsuccessful_keys": []string{}})
}

func (h *Handler) bulkGetKV(w http.ResponseWriter, r *http.Request, ns store.KVNamespace) {
	var body struct {
		Keys         []string `json:"keys"`
		Type         string   `json:"type"`
		WithMetadata bool     `json:"withMetadata"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	if len(body.Keys) > 100 {
		writeError(w, r, http.StatusBadRequest, 10029, "bulk get is limited to 100 keys")
		return
	}
	values := map[string]any{}
	for _, k := range body.Keys {
		e, err := h.st.KVGet(r.Context(), ns.ID, k)
		if err != nil {
			values[k] = nil
			continue
		}
		var v any = string(e.Value)
		if body.Type == "json" {
			var parsed any
			if json.Unmarshal(e.Value, &parsed) != nil {
				writeError(w, r, http.StatusBadRequest, 10030, "value of key "+strconv.Quote(k)+" is not JSON")
				return
			}
			v = parsed
		}
		if body.WithMetadata {
			var md any
			if e.Metadata != nil {
				json.Unmarshal(e.Metadata, &md)
			}
			v = map[string]any{"value": v, "metadata": md, "expiration": e.Expiration}
		}
		values[k] = v
	}
	ok(w, map[string]any{"values": values})
}
