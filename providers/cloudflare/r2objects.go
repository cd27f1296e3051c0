package cloudflare

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cloudflare/cloudflare-go/v6/option"
)

// BucketObjects reads and writes the objects of one R2 bucket through
// Cloudflare's REST object API (the head/get/put/delete/list methods of an
// R2Bucket output in the program, and emptying a bucket before deleting it).
type BucketObjects struct {
	Client       *Client
	Bucket       string
	Jurisdiction string
}

// ObjectInfo describes a stored object.
type ObjectInfo struct {
	Key          string    `json:"key"`
	ETag         string    `json:"etag"`
	Size         int64     `json:"size"`
	LastModified string    `json:"last_modified"`
	Uploaded     time.Time `json:"-"`
	ContentType  string    `json:"-"`
	Version      string    `json:"version,omitempty"`
}

// ObjectList is one page of a listing.
type ObjectList struct {
	Objects   []ObjectInfo
	Truncated bool
	Cursor    string
}

// ListOptions filter a listing.
type ListOptions struct {
	Prefix, Cursor, Delimiter, StartAfter string
	Limit                                 int
}

func (b *BucketObjects) path(ctx context.Context, key string) (string, error) {
	p := "r2/buckets/" + url.PathEscape(b.Bucket) + "/objects"
	if key != "" {
		p += "/" + escapeKey(key)
	}
	return b.Client.accountPath(ctx, p)
}

// escapeKey escapes each segment of an object key, keeping its slashes.
func escapeKey(key string) string {
	parts := strings.Split(key, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

// List returns one page of objects.
func (b *BucketObjects) List(ctx context.Context, opt ListOptions) (ObjectList, error) {
	p, err := b.path(ctx, "")
	if err != nil {
		return ObjectList{}, err
	}
	q := url.Values{}
	limit := opt.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	q.Set("per_page", strconv.Itoa(limit))
	for k, v := range map[string]string{"prefix": opt.Prefix, "cursor": opt.Cursor, "delimiter": opt.Delimiter, "start_after": opt.StartAfter} {
		if v != "" {
			q.Set(k, v)
		}
	}
	var objs []ObjectInfo
	raw, err := b.Client.Call(ctx, fmt.Sprintf("list objects of R2 bucket %q", b.Bucket), http.MethodGet, p+"?"+q.Encode(), nil, &objs,
		jurisdictionOption(b.Jurisdiction)...)
	if err != nil {
		return ObjectList{}, err
	}
	var info struct {
		Cursor      string `json:"cursor"`
		IsTruncated bool   `json:"is_truncated"`
	}
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &info)
	}
	for i := range objs {
		if t, err := time.Parse(time.RFC3339Nano, objs[i].LastModified); err == nil {
			objs[i].Uploaded = t
		}
	}
	return ObjectList{Objects: objs, Truncated: info.IsTruncated, Cursor: info.Cursor}, nil
}

// Empty deletes every object of the bucket, a page at a time.
func (b *BucketObjects) Empty(ctx context.Context) error {
	p, err := b.path(ctx, "")
	if err != nil {
		return err
	}
	for {
		page, err := b.List(ctx, ListOptions{Limit: 1000})
		if err != nil {
			return err
		}
		if len(page.Objects) == 0 {
			return nil
		}
		keys := make([]string, len(page.Objects))
		for i, o := range page.Objects {
			keys[i] = o.Key
		}
		if _, err := b.Client.Call(ctx, fmt.Sprintf("delete %d objects of R2 bucket %q", len(keys), b.Bucket), http.MethodDelete, p, keys, nil,
			jurisdictionOption(b.Jurisdiction)...); err != nil {
			return err
		}
	}
}

// Put stores an object.
func (b *BucketObjects) Put(ctx context.Context, key string, body []byte, contentType string) (ObjectInfo, error) {
	p, err := b.path(ctx, key)
	if err != nil {
		return ObjectInfo{}, err
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	var info ObjectInfo
	opts := append(jurisdictionOption(b.Jurisdiction), option.WithRequestBody(contentType, body))
	if _, err := b.Client.Call(ctx, fmt.Sprintf("put object %q into R2 bucket %q", key, b.Bucket), http.MethodPut, p, nil, &info, opts...); err != nil {
		return ObjectInfo{}, err
	}
	if info.Key == "" {
		info.Key = key
	}
	if info.Size == 0 {
		info.Size = int64(len(body))
	}
	return info, nil
}

// Get returns an object's content and description; a missing key gives
// found false.
func (b *BucketObjects) Get(ctx context.Context, key string) (content []byte, info ObjectInfo, found bool, err error) {
	return b.fetch(ctx, http.MethodGet, key)
}

// Head describes an object without its content.
func (b *BucketObjects) Head(ctx context.Context, key string) (ObjectInfo, bool, error) {
	_, info, found, err := b.fetch(ctx, http.MethodGet, key)
	return info, found, err
}

func (b *BucketObjects) fetch(ctx context.Context, method, key string) ([]byte, ObjectInfo, bool, error) {
	p, err := b.path(ctx, key)
	if err != nil {
		return nil, ObjectInfo{}, false, err
	}
	var content []byte
	info := ObjectInfo{Key: key}
	err = b.Client.Do(ctx, fmt.Sprintf("get object %q of R2 bucket %q", key, b.Bucket), func(ctx context.Context, more ...option.RequestOption) error {
		var res *http.Response
		opts := append(jurisdictionOption(b.Jurisdiction), option.WithResponseBodyInto(&res), option.WithHeader("Accept", "*/*"))
		if err := b.Client.cf.Execute(ctx, method, p, nil, nil, append(opts, more...)...); err != nil {
			return err
		}
		defer res.Body.Close()
		data, err := io.ReadAll(res.Body)
		if err != nil {
			return err
		}
		content = data
		info.ETag = strings.Trim(res.Header.Get("ETag"), `"`)
		info.ContentType = res.Header.Get("Content-Type")
		info.Size = int64(len(data))
		if t, err := http.ParseTime(res.Header.Get("Last-Modified")); err == nil {
			info.Uploaded = t
		}
		return nil
	})
	if IsNotFound(err) {
		return nil, ObjectInfo{}, false, nil
	}
	if err != nil {
		return nil, ObjectInfo{}, false, err
	}
	return bytes.Clone(content), info, true, nil
}

// Delete removes an object; a missing key is not an error.
func (b *BucketObjects) Delete(ctx context.Context, key string) error {
	p, err := b.path(ctx, key)
	if err != nil {
		return err
	}
	_, err = b.Client.Call(ctx, fmt.Sprintf("delete object %q of R2 bucket %q", key, b.Bucket), http.MethodDelete, p, nil, nil,
		jurisdictionOption(b.Jurisdiction)...)
	return ignoreNotFound(err)
}
