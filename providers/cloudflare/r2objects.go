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

	"github.com/alchemy-go/alchemy/value"
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
	UploadedAt   string    `json:"uploaded"`
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
	if t, err := time.Parse(time.RFC3339Nano, info.UploadedAt); err == nil {
		info.Uploaded = t
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
		if err := b.Client.execute(ctx, method, p, nil, nil, append(opts, more...)...); err != nil {
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

// Method is a function the program finds on a resource's output (never
// stored): the JS bridge calls Call, off the event loop, with the output
// and the arguments converted to values, and resolves the promise it
// returns with the result (nil is undefined).
type Method struct {
	Name string
	Call func(ctx context.Context, c *Cloudflare, output *value.Object, args []value.Value) (value.Value, error)
}

// bucketMethods are the object methods of an R2Bucket output: head, get,
// put, delete and list, through Cloudflare's REST object API.
//
//   - head(key) → {key, etag, uploaded (date), size, httpMetadata} or null
//   - get(key) → the same plus body (a buffer), or null; the bridge adds
//     arrayBuffer(), bytes(), text(), json() and blob() reading body
//   - put(key, value, {httpMetadata: {contentType}}?) → {key, etag,
//     uploaded, version, size}; the bridge passes value as a string or a
//     buffer (null is empty)
//   - delete(key) → undefined
//   - list({prefix, cursor, limit, delimiter, startAfter}?) → {objects,
//     truncated, cursor?}
func bucketMethods() []Method {
	return []Method{
		{Name: "head", Call: func(ctx context.Context, c *Cloudflare, out *value.Object, args []value.Value) (value.Value, error) {
			b, key, err := c.bucketCall(out, args)
			if err != nil {
				return nil, err
			}
			info, found, err := b.Head(ctx, key)
			if err != nil || !found {
				return value.Null{}, err
			}
			return objectInfoValue(info, false), nil
		}},
		{Name: "get", Call: func(ctx context.Context, c *Cloudflare, out *value.Object, args []value.Value) (value.Value, error) {
			b, key, err := c.bucketCall(out, args)
			if err != nil {
				return nil, err
			}
			body, info, found, err := b.Get(ctx, key)
			if err != nil || !found {
				return value.Null{}, err
			}
			o := objectInfoValue(info, false)
			o.Set("body", value.Buffer(body))
			return o, nil
		}},
		{Name: "put", Call: func(ctx context.Context, c *Cloudflare, out *value.Object, args []value.Value) (value.Value, error) {
			b, key, err := c.bucketCall(out, args)
			if err != nil {
				return nil, err
			}
			var body []byte
			switch v := arg(args, 1).(type) {
			case value.String:
				body = []byte(v)
			case value.Buffer:
				body = v
			case nil, value.Null:
			default:
				return nil, fmt.Errorf("R2Bucket.put(%q): the value must be a string or bytes, got %s", key, value.TypeName(v))
			}
			contentType := ""
			if opts, ok := arg(args, 2).(*value.Object); ok {
				if md, ok := opts.GetObject("httpMetadata"); ok {
					contentType, _ = md.GetString("contentType")
				}
			}
			info, err := b.Put(ctx, key, body, contentType)
			if err != nil {
				return nil, err
			}
			return objectInfoValue(info, true), nil
		}},
		{Name: "delete", Call: func(ctx context.Context, c *Cloudflare, out *value.Object, args []value.Value) (value.Value, error) {
			b, key, err := c.bucketCall(out, args)
			if err != nil {
				return nil, err
			}
			return nil, b.Delete(ctx, key)
		}},
		{Name: "list", Call: func(ctx context.Context, c *Cloudflare, out *value.Object, args []value.Value) (value.Value, error) {
			b, err := c.bucketOf(out)
			if err != nil {
				return nil, err
			}
			var opt ListOptions
			if o, ok := arg(args, 0).(*value.Object); ok {
				opt.Prefix, _ = o.GetString("prefix")
				opt.Cursor, _ = o.GetString("cursor")
				opt.Delimiter, _ = o.GetString("delimiter")
				opt.StartAfter, _ = o.GetString("startAfter")
				if n, ok := o.GetNumber("limit"); ok {
					opt.Limit = int(n)
				}
			}
			page, err := b.List(ctx, opt)
			if err != nil {
				return nil, err
			}
			objs := make(value.Array, len(page.Objects))
			for i, info := range page.Objects {
				o := objectInfoValue(info, false)
				o.Delete("httpMetadata")
				objs[i] = o
			}
			res := value.Obj("objects", objs, "truncated", value.Bool(page.Truncated))
			if page.Truncated {
				res.Set("cursor", value.String(page.Cursor))
			}
			return res, nil
		}},
	}
}

// bucketOf is the object client of an R2Bucket output, on the run's
// default connection and the bucket's account.
func (c *Cloudflare) bucketOf(out *value.Object) (*BucketObjects, error) {
	name, _ := out.GetString("name")
	if name == "" {
		return nil, fmt.Errorf("R2Bucket: the output has no bucket name")
	}
	cfg := c.opts.API
	if acct, _ := out.GetString("accountId"); acct != "" {
		cfg.AccountID = acct
	}
	cl, err := c.clientFor(cfg)
	if err != nil {
		return nil, err
	}
	j, _ := out.GetString("jurisdiction")
	return &BucketObjects{Client: cl, Bucket: name, Jurisdiction: j}, nil
}

func (c *Cloudflare) bucketCall(out *value.Object, args []value.Value) (*BucketObjects, string, error) {
	b, err := c.bucketOf(out)
	if err != nil {
		return nil, "", err
	}
	key, ok := arg(args, 0).(value.String)
	if !ok || key == "" {
		return nil, "", fmt.Errorf("R2Bucket %q: the first argument must be an object key", b.Bucket)
	}
	return b, string(key), nil
}

func objectInfoValue(info ObjectInfo, withVersion bool) *value.Object {
	o := value.Obj("key", value.String(info.Key), "etag", value.String(info.ETag))
	uploaded := info.Uploaded
	if uploaded.IsZero() {
		uploaded = timeNow()
	}
	o.Set("uploaded", value.DateOf(uploaded))
	if withVersion {
		o.Set("version", value.String(info.Version))
	}
	o.Set("size", value.Number(info.Size))
	if !withVersion && info.ContentType != "" {
		o.Set("httpMetadata", value.Obj("contentType", value.String(info.ContentType)))
	}
	return o
}
