package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alchemy-go/alchemy/local/store"
)

type bucketJSON struct {
	Name         string `json:"name"`
	CreationDate string `json:"creation_date"`
	Location     string `json:"location"`
	Jurisdiction string `json:"jurisdiction"`
	StorageClass string `json:"storage_class"`
}

func toBucket(b store.Bucket) bucketJSON {
	return bucketJSON{Name: b.Name, CreationDate: b.CreationDate, Location: b.Location, Jurisdiction: b.Jurisdiction, StorageClass: b.StorageClass}
}

var bucketFailures = map[error]failure{
	store.ErrNotFound: {http.StatusNotFound, 10006, "The specified bucket does not exist."},
	store.ErrExists:   {http.StatusConflict, 10004, "The bucket you tried to create already exists, and you own it."},
	store.ErrNotEmpty: {http.StatusConflict, 10008, "The bucket you tried to delete is not empty."},
	store.ErrInvalid:  {http.StatusBadRequest, 10005, ""},
}

var objectFailures = map[error]failure{
	store.ErrNotFound: {http.StatusNotFound, 10007, "The specified key does not exist."},
	store.ErrInvalid:  {http.StatusBadRequest, 10020, ""},
}

func jurisdictionOf(r *http.Request) string {
	j := strings.ToLower(r.Header.Get("cf-r2-jurisdiction"))
	if j == "" {
		return "default"
	}
	return j
}

func (h *Handler) listBuckets(w http.ResponseWriter, r *http.Request, acct string) {
	bs, err := h.st.Buckets(r.Context(), acct)
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	q := r.URL.Query()
	contains, startAfter := q.Get("name_contains"), q.Get("start_after")
	if c := q.Get("cursor"); c != "" {
		startAfter = c
	}
	per := max(1, min(queryInt(r, "per_page", 20), 1000))
	desc := q.Get("direction") == "desc"
	if desc {
		for i, j := 0, len(bs)-1; i < j; i, j = i+1, j-1 {
			bs[i], bs[j] = bs[j], bs[i]
		}
	}
	out := []bucketJSON{}
	cursor := ""
	for _, b := range bs {
		if contains != "" && !strings.Contains(b.Name, contains) {
			continue
		}
		if startAfter != "" && ((!desc && b.Name <= startAfter) || (desc && b.Name >= startAfter)) {
			continue
		}
		if len(out) == per {
			cursor = out[len(out)-1].Name
			break
		}
		out = append(out, toBucket(b))
	}
	okInfo(w, map[string]any{"buckets": out}, map[string]any{"cursor": cursor, "per_page": per})
}

func (h *Handler) createBucket(w http.ResponseWriter, r *http.Request, acct string) {
	var body struct {
		Name         string `json:"name"`
		LocationHint string `json:"locationHint"`
		StorageClass string `json:"storageClass"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	b, err := h.st.CreateBucket(r.Context(), store.Bucket{AccountID: acct, Name: body.Name, Jurisdiction: jurisdictionOf(r),
		Location: strings.ToLower(body.LocationHint), StorageClass: body.StorageClass})
	if err != nil {
		fail(w, r, err, bucketFailures)
		return
	}
	ok(w, toBucket(b))
}

func (h *Handler) getBucket(w http.ResponseWriter, r *http.Request, acct string) {
	b, err := h.st.Bucket(r.Context(), acct, r.PathValue("bucket_name"))
	if err != nil {
		fail(w, r, err, bucketFailures)
		return
	}
	ok(w, toBucket(b))
}

func (h *Handler) patchBucket(w http.ResponseWriter, r *http.Request, acct string) {
	class := r.Header.Get("cf-r2-storage-class")
	if class != "Standard" && class != "InfrequentAccess" {
		writeError(w, r, http.StatusBadRequest, 10040, "cf-r2-storage-class must be Standard or InfrequentAccess")
		return
	}
	b, err := h.st.SetBucketStorageClass(r.Context(), acct, r.PathValue("bucket_name"), class)
	if err != nil {
		fail(w, r, err, bucketFailures)
		return
	}
	ok(w, toBucket(b))
}

func (h *Handler) deleteBucket(w http.ResponseWriter, r *http.Request, acct string) {
	if err := h.st.DeleteBucket(r.Context(), acct, r.PathValue("bucket_name")); err != nil {
		fail(w, r, err, bucketFailures)
		return
	}
	ok(w, map[string]any{})
}

type objectJSON struct {
	Key            string             `json:"key"`
	ETag           string             `json:"etag"`
	LastModified   string             `json:"last_modified"`
	Size           int64              `json:"size"`
	StorageClass   string             `json:"storage_class"`
	HTTPMetadata   store.HTTPMetadata `json:"http_metadata"`
	CustomMetadata map[string]string  `json:"custom_metadata"`
}

func toObject(o store.Object) objectJSON {
	md := o.CustomMetadata
	if md == nil {
		md = map[string]string{}
	}
	return objectJSON{Key: o.Key, ETag: o.ETag, LastModified: o.Uploaded, Size: o.Size, StorageClass: "Standard", HTTPMetadata: o.HTTPMetadata, CustomMetadata: md}
}

func (h *Handler) listObjects(w http.ResponseWriter, r *http.Request, acct string) {
	q := r.URL.Query()
	per := max(1, min(queryInt(r, "per_page", 1000), 1000))
	l, err := h.st.ListObjects(r.Context(), acct, r.PathValue("bucket_name"), store.ListObjectsOptions{
		Prefix: q.Get("prefix"), Delimiter: q.Get("delimiter"), StartAfter: q.Get("start_after"), Cursor: q.Get("cursor"), Limit: per})
	if err != nil {
		fail(w, r, err, bucketFailures)
		return
	}
	out := make([]objectJSON, 0, len(l.Objects))
	for _, o := range l.Objects {
		out = append(out, toObject(o))
	}
	prefixes := l.DelimitedPrefixes
	if prefixes == nil {
		prefixes = []string{}
	}
	okInfo(w, out, map[string]any{"cursor": l.Cursor, "is_truncated": l.Truncated, "per_page": per, "delimited": prefixes})
}

func (h *Handler) getObject(w http.ResponseWriter, r *http.Request, acct string) {
	bucket, key := r.PathValue("bucket_name"), r.PathValue("key")
	if _, err := h.st.Bucket(r.Context(), acct, bucket); err != nil {
		fail(w, r, err, bucketFailures)
		return
	}
	o, f, err := h.st.GetObject(r.Context(), acct, bucket, key)
	if err != nil {
		fail(w, r, err, objectFailures)
		return
	}
	defer f.Close()
	hd := w.Header()
	md := o.HTTPMetadata
	ct := md.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	hd.Set("Content-Type", ct)
	for k, v := range map[string]string{"Content-Language": md.ContentLanguage, "Content-Disposition": md.ContentDisposition,
		"Content-Encoding": md.ContentEncoding, "Cache-Control": md.CacheControl, "Expires": md.CacheExpiry} {
		if v != "" {
			hd.Set(k, v)
		}
	}
	for k, v := range o.CustomMetadata {
		hd.Set("X-Amz-Meta-"+k, v)
	}
	hd.Set("ETag", strconv.Quote(o.ETag))
	http.ServeContent(w, r, "", store.ParseTime(o.Uploaded).Truncate(time.Second), f)
}

func (h *Handler) putObject(w http.ResponseWriter, r *http.Request, acct string) {
	bucket, key := r.PathValue("bucket_name"), r.PathValue("key")
	if _, err := h.st.Bucket(r.Context(), acct, bucket); err != nil {
		fail(w, r, err, bucketFailures)
		return
	}
	hd := r.Header
	opt := store.PutOptions{HTTPMetadata: store.HTTPMetadata{ContentType: hd.Get("Content-Type"), ContentLanguage: hd.Get("Content-Language"),
		ContentDisposition: hd.Get("Content-Disposition"), ContentEncoding: hd.Get("Content-Encoding"), CacheControl: hd.Get("Cache-Control"),
		CacheExpiry: hd.Get("Expires")}, CustomMetadata: map[string]string{}}
	for k, vs := range hd {
		lk := strings.ToLower(k)
		if name, ok := strings.CutPrefix(lk, "x-amz-meta-"); ok && len(vs) > 0 {
			opt.CustomMetadata[name] = vs[0]
		}
	}
	if raw := hd.Get("Cf-R2-Custom-Metadata"); raw != "" {
		json.Unmarshal([]byte(raw), &opt.CustomMetadata)
	}
	o, err := h.st.PutObject(r.Context(), acct, bucket, key, r.Body, opt)
	if err != nil {
		fail(w, r, err, objectFailures)
		return
	}
	ok(w, map[string]any{"key": o.Key, "size": o.Size, "etag": o.ETag, "version": o.Version, "uploaded": o.Uploaded,
		"http_metadata": o.HTTPMetadata, "custom_metadata": o.CustomMetadata, "storage_class": "Standard"})
}

func (h *Handler) deleteObject(w http.ResponseWriter, r *http.Request, acct string) {
	bucket := r.PathValue("bucket_name")
	if _, err := h.st.Bucket(r.Context(), acct, bucket); err != nil {
		fail(w, r, err, bucketFailures)
		return
	}
	if err := h.st.DeleteObjects(r.Context(), acct, bucket, r.PathValue("key")); err != nil {
		fail(w, r, err, objectFailures)
		return
	}
	ok(w, map[string]any{})
}

func (h *Handler) deleteObjects(w http.ResponseWriter, r *http.Request, acct string) {
	bucket := r.PathValue("bucket_name")
	if _, err := h.st.Bucket(r.Context(), acct, bucket); err != nil {
		fail(w, r, err, bucketFailures)
		return
	}
	var keys []string
	if !decodeJSON(w, r, &keys) {
		return
	}
	if err := h.st.DeleteObjects(r.Context(), acct, bucket, keys...); err != nil {
		fail(w, r, err, objectFailures)
		return
	}
	out := make([]map[string]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, map[string]string{"key": k})
	}
	ok(w, out)
}

// Bucket settings documents are stored as sent and answered back; the
// managed (r2.dev) domain answers its generated hostname.

func (h *Handler) bucketConfigDefault(acct, bucket, kind string, stored json.RawMessage) any {
	if kind == "domains/managed" {
		id := store.HashID("r2.dev:" + acct + "/" + bucket)
		out := map[string]any{"bucketId": id, "domain": "pub-" + id + ".r2.dev", "enabled": false}
		if stored != nil {
			var v struct {
				Enabled bool `json:"enabled"`
			}
			json.Unmarshal(stored, &v)
			out["enabled"] = v.Enabled
		}
		return out
	}
	if stored != nil {
		return stored
	}
	return map[string]any{"rules": []any{}}
}

func (h *Handler) getBucketConfig(kind string) func(http.ResponseWriter, *http.Request, string) {
	return func(w http.ResponseWriter, r *http.Request, acct string) {
		bucket := r.PathValue("bucket_name")
		v, err := h.st.BucketConfig(r.Context(), acct, bucket, kind)
		if err != nil {
			fail(w, r, err, bucketFailures)
			return
		}
		ok(w, h.bucketConfigDefault(acct, bucket, kind, v))
	}
}

func (h *Handler) putBucketConfig(kind string) func(http.ResponseWriter, *http.Request, string) {
	return func(w http.ResponseWriter, r *http.Request, acct string) {
		var body json.RawMessage
		if !decodeJSON(w, r, &body) {
			return
		}
		bucket := r.PathValue("bucket_name")
		if err := h.st.SetBucketConfig(r.Context(), acct, bucket, kind, body); err != nil {
			fail(w, r, err, bucketFailures)
			return
		}
		if kind == "domains/managed" {
			ok(w, h.bucketConfigDefault(acct, bucket, kind, body))
			return
		}
		ok(w, map[string]any{})
	}
}

func (h *Handler) deleteBucketCORS(w http.ResponseWriter, r *http.Request, acct string) {
	if err := h.st.SetBucketConfig(r.Context(), acct, r.PathValue("bucket_name"), "cors", nil); err != nil {
		fail(w, r, err, bucketFailures)
		return
	}
	ok(w, map[string]any{})
}
