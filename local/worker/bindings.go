package worker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/local/store"
	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/webapi"
)

// binding is one binding of a version, resolved for the glue: kind names
// the JS object glue.js builds ("kv", "r2", "d1", "queue", "do", "service",
// "workflow", "text", "json", "version" or "unsupported"), ref what it
// addresses.
type binding struct {
	name, typ, kind string
	ref             any    // namespace id, bucket, database, queue name, or handle
	value           string // text and JSON values
	object          *objectBinding
	service         *serviceBinding
	workflow        *workflowBinding
}

// objectBinding is a Durable Object namespace binding.
type objectBinding struct {
	script, class string
}

// serviceBinding is a service binding to another Worker.
type serviceBinding struct {
	script, entrypoint string
}

func (v *version) describeBindings() ([]binding, error) {
	var out []binding
	for _, b := range v.script.Settings.Bindings {
		x := binding{name: b.Name(), typ: b.Type()}
		switch b.Type() {
		case "plain_text", "secret_text":
			x.kind, x.value = "text", b.Str("text")
		case "json":
			raw, err := json.Marshal(b["json"])
			if err != nil {
				return nil, fmt.Errorf("binding %s: json: %w", x.name, err)
			}
			x.kind, x.value = "json", string(raw)
		case "kv_namespace":
			x.kind, x.ref = "kv", b.Str("namespace_id")
		case "r2_bucket":
			x.kind, x.ref = "r2", b.Str("bucket_name")
		case "d1":
			id := b.Str("database_id")
			if id == "" {
				id = b.Str("id")
			}
			x.kind, x.ref = "d1", id
		case "queue":
			x.kind, x.ref = "queue", b.Str("queue_name")
		case "durable_object_namespace":
			script := b.Str("script_name")
			if script == "" {
				script = v.w.key.script
			}
			x.kind, x.object = "do", &objectBinding{script: script, class: b.Str("class_name")}
		case "service":
			x.kind, x.service = "service", &serviceBinding{script: b.Str("service"), entrypoint: b.Str("entrypoint")}
		case "workflow":
			x.kind, x.workflow = "workflow", &workflowBinding{name: b.Str("workflow_name")}
		case "assets":
			x.kind = "assets"
		case "version_metadata":
			meta, _ := json.Marshal(map[string]string{"id": v.script.VersionID, "tag": "", "timestamp": v.script.ModifiedOn})
			x.kind, x.value = "version", string(meta)
		default:
			x.kind = "unsupported"
		}
		if x.kind == "do" || x.kind == "service" || x.kind == "workflow" {
			x.ref = len(out) // the handle is the binding's index
		}
		out = append(out, x)
	}
	v.resumeWorkflowsOf(out)
	return out, nil
}

// processEnv is process.env under nodejs_compat: the text bindings.
func (v *version) processEnv() []string {
	var env []string
	for _, b := range v.bindings {
		if b.kind == "text" {
			env = append(env, b.name+"="+b.value)
		}
	}
	return env
}

func (iso *isolate) bindingDescriptions(vm *goja.Runtime) goja.Value {
	descs := make([]any, len(iso.v.bindings))
	for i, b := range iso.v.bindings {
		d := vm.NewObject()
		_ = d.Set("name", b.name)
		_ = d.Set("type", b.typ)
		_ = d.Set("kind", b.kind)
		_ = d.Set("ref", b.ref)
		if b.kind == "version" {
			var meta map[string]string
			_ = json.Unmarshal([]byte(b.value), &meta)
			_ = d.Set("value", meta)
		} else {
			_ = d.Set("value", b.value)
		}
		descs[i] = d
	}
	return vm.NewArray(descs...)
}

// goOp runs op off the loop and returns the promise of its outcome.
func (iso *isolate) goOp(op func(ctx context.Context, st *store.Store) runtime.Settle) goja.Value {
	return iso.host.VM().ToValue(iso.loop.Go(func(ctx context.Context) runtime.Settle {
		st, err := iso.v.w.rt.store()
		if err != nil {
			return runtime.Rejected(err)
		}
		return op(ctx, st)
	}))
}

// bytesArg copies the bytes of an ArrayBuffer or view argument.
func bytesArg(vm *goja.Runtime, v goja.Value) []byte {
	b, _ := webapi.Bytes(vm, v)
	return append([]byte{}, b...)
}

func (iso *isolate) bindingNatives(vm *goja.Runtime, set func(string, func(goja.FunctionCall) goja.Value)) {
	account := iso.v.w.key.account

	// KV
	set("kvGet", func(c goja.FunctionCall) goja.Value {
		ns, key, typ := c.Argument(0).String(), c.Argument(1).String(), c.Argument(2).String()
		return iso.goOp(func(ctx context.Context, st *store.Store) runtime.Settle {
			e, err := st.KVGet(ctx, ns, key)
			if errors.Is(err, store.ErrNotFound) {
				return runtime.Resolved(nil)
			}
			if err != nil {
				return runtime.Rejected(fmt.Errorf("KV GET failed: %w", err))
			}
			return func(vm *goja.Runtime) (goja.Value, error) {
				var value goja.Value
				if typ == "arrayBuffer" || typ == "stream" {
					value = vm.ToValue(vm.NewArrayBuffer(e.Value))
				} else {
					value = vm.ToValue(string(e.Value))
				}
				var md goja.Value = goja.Null()
				if e.Metadata != nil {
					md = vm.ToValue(string(e.Metadata))
				}
				return vm.NewArray(value, md), nil
			}
		})
	})
	set("kvPut", func(c goja.FunctionCall) goja.Value {
		ns := c.Argument(0).String()
		e := store.KVEntry{Key: c.Argument(1).String(), Value: bytesArg(vm, c.Argument(2)), Expiration: c.Argument(3).ToInteger()}
		if md := c.Argument(4); !goja.IsUndefined(md) {
			e.Metadata = json.RawMessage(md.String())
		}
		return iso.goOp(func(ctx context.Context, st *store.Store) runtime.Settle {
			if err := st.KVPut(ctx, ns, e); err != nil {
				return runtime.Rejected(fmt.Errorf("KV PUT failed: %w", err))
			}
			return nil
		})
	})
	set("kvDelete", func(c goja.FunctionCall) goja.Value {
		ns, key := c.Argument(0).String(), c.Argument(1).String()
		return iso.goOp(func(ctx context.Context, st *store.Store) runtime.Settle {
			if err := st.KVDelete(ctx, ns, key); err != nil {
				return runtime.Rejected(fmt.Errorf("KV DELETE failed: %w", err))
			}
			return nil
		})
	})
	set("kvList", func(c goja.FunctionCall) goja.Value {
		ns := c.Argument(0).String()
		opt := store.KVListOptions{Prefix: c.Argument(1).String(), Cursor: c.Argument(2).String(), Limit: int(c.Argument(3).ToInteger())}
		return iso.goOp(func(ctx context.Context, st *store.Store) runtime.Settle {
			keys, cursor, err := st.KVList(ctx, ns, opt)
			if err != nil {
				return runtime.Rejected(fmt.Errorf("KV LIST failed: %w", err))
			}
			return func(vm *goja.Runtime) (goja.Value, error) {
				list := make([]any, len(keys))
				for i, k := range keys {
					o := vm.NewObject()
					_ = o.Set("name", k.Name)
					_ = o.Set("expiration", k.Expiration)
					if k.Metadata != nil {
						_ = o.Set("metadata", string(k.Metadata))
					} else {
						_ = o.Set("metadata", goja.Null())
					}
					list[i] = o
				}
				res := vm.NewObject()
				_ = res.Set("keys", vm.NewArray(list...))
				_ = res.Set("cursor", cursor)
				return res, nil
			}
		})
	})

	// R2
	set("r2Head", func(c goja.FunctionCall) goja.Value {
		bucket, key := c.Argument(0).String(), c.Argument(1).String()
		return iso.goOp(func(ctx context.Context, st *store.Store) runtime.Settle {
			o, err := st.HeadObject(ctx, account, bucket, key)
			if errors.Is(err, store.ErrNotFound) {
				return runtime.Resolved(nil)
			}
			if err != nil {
				return runtime.Rejected(fmt.Errorf("head: %w", err))
			}
			return func(vm *goja.Runtime) (goja.Value, error) { return r2Info(vm, o, nil), nil }
		})
	})
	set("r2Get", func(c goja.FunctionCall) goja.Value {
		bucket, key := c.Argument(0).String(), c.Argument(1).String()
		var rng *r2Range
		if r, ok := c.Argument(2).(*goja.Object); ok {
			rng = &r2Range{offset: r.Get("offset").ToInteger(), length: r.Get("length").ToInteger(), suffix: r.Get("suffix").ToInteger()}
		}
		return iso.goOp(func(ctx context.Context, st *store.Store) runtime.Settle {
			o, f, err := st.GetObject(ctx, account, bucket, key)
			if errors.Is(err, store.ErrNotFound) {
				return runtime.Resolved(nil)
			}
			if err != nil {
				return runtime.Rejected(fmt.Errorf("get: %w", err))
			}
			defer f.Close()
			data, err := io.ReadAll(f)
			if err != nil {
				return runtime.Rejected(fmt.Errorf("get: %w", err))
			}
			var applied *r2Range
			if rng != nil {
				data, applied = rng.apply(data)
			}
			return func(vm *goja.Runtime) (goja.Value, error) {
				return vm.NewArray(r2Info(vm, o, applied), vm.NewArrayBuffer(data)), nil
			}
		})
	})
	set("r2Put", func(c goja.FunctionCall) goja.Value {
		bucket, key := c.Argument(0).String(), c.Argument(1).String()
		body := bytesArg(vm, c.Argument(2))
		var opt store.PutOptions
		_ = json.Unmarshal([]byte(c.Argument(3).String()), &opt.HTTPMetadata)
		_ = json.Unmarshal([]byte(c.Argument(4).String()), &opt.CustomMetadata)
		return iso.goOp(func(ctx context.Context, st *store.Store) runtime.Settle {
			o, err := st.PutObject(ctx, account, bucket, key, bytes.NewReader(body), opt)
			if err != nil {
				return runtime.Rejected(fmt.Errorf("put: %w", err))
			}
			return func(vm *goja.Runtime) (goja.Value, error) { return r2Info(vm, o, nil), nil }
		})
	})
	set("r2Delete", func(c goja.FunctionCall) goja.Value {
		bucket := c.Argument(0).String()
		keys := stringList(vm, c.Argument(1))
		return iso.goOp(func(ctx context.Context, st *store.Store) runtime.Settle {
			if err := st.DeleteObjects(ctx, account, bucket, keys...); err != nil {
				return runtime.Rejected(fmt.Errorf("delete: %w", err))
			}
			return nil
		})
	})
	set("r2List", func(c goja.FunctionCall) goja.Value {
		bucket := c.Argument(0).String()
		o := c.Argument(1).ToObject(vm)
		opt := store.ListObjectsOptions{Prefix: o.Get("prefix").String(), Delimiter: o.Get("delimiter").String(),
			Cursor: o.Get("cursor").String(), StartAfter: o.Get("startAfter").String(), Limit: int(o.Get("limit").ToInteger())}
		return iso.goOp(func(ctx context.Context, st *store.Store) runtime.Settle {
			l, err := st.ListObjects(ctx, account, bucket, opt)
			if err != nil {
				return runtime.Rejected(fmt.Errorf("list: %w", err))
			}
			return func(vm *goja.Runtime) (goja.Value, error) {
				objs := make([]any, len(l.Objects))
				for i, ob := range l.Objects {
					objs[i] = r2Info(vm, ob, nil)
				}
				prefixes := make([]any, len(l.DelimitedPrefixes))
				for i, p := range l.DelimitedPrefixes {
					prefixes[i] = p
				}
				res := vm.NewObject()
				_ = res.Set("objects", vm.NewArray(objs...))
				_ = res.Set("truncated", l.Truncated)
				_ = res.Set("cursor", l.Cursor)
				_ = res.Set("delimitedPrefixes", vm.NewArray(prefixes...))
				return res, nil
			}
		})
	})

	// D1
	set("d1", func(c goja.FunctionCall) goja.Value {
		db := c.Argument(0).String()
		var stmts []store.D1Statement
		list := c.Argument(1).ToObject(vm)
		vm.ForOf(list, func(item goja.Value) bool {
			pair := item.ToObject(vm)
			st := store.D1Statement{SQL: pair.Get("0").String()}
			if params, ok := pair.Get("1").(*goja.Object); ok {
				vm.ForOf(params, func(p goja.Value) bool {
					st.Params = append(st.Params, d1Param(vm, p))
					return true
				})
			}
			stmts = append(stmts, st)
			return true
		})
		return iso.goOp(func(ctx context.Context, st *store.Store) runtime.Settle {
			results, err := st.D1ExecByID(ctx, db, stmts)
			var de *store.D1Error
			if errors.As(err, &de) {
				return runtime.Rejected(fmt.Errorf("D1_ERROR: %s", de.Message()))
			}
			if err != nil {
				return runtime.Rejected(fmt.Errorf("D1_ERROR: %w", err))
			}
			return func(vm *goja.Runtime) (goja.Value, error) {
				out := make([]any, len(results))
				for i, r := range results {
					o := vm.NewObject()
					cols := make([]any, len(r.Columns))
					for j, col := range r.Columns {
						cols[j] = col
					}
					rows := make([]any, len(r.Rows))
					for j, row := range r.Rows {
						rows[j] = vm.NewArray(row...)
					}
					_ = o.Set("columns", vm.NewArray(cols...))
					_ = o.Set("rows", vm.NewArray(rows...))
					meta := vm.NewObject()
					_ = meta.Set("duration", r.Meta.Duration)
					_ = meta.Set("changes", r.Meta.Changes)
					_ = meta.Set("last_row_id", r.Meta.LastRowID)
					_ = meta.Set("changed_db", r.Meta.ChangedDB)
					_ = meta.Set("size_after", r.Meta.SizeAfter)
					_ = meta.Set("rows_read", r.Meta.RowsRead)
					_ = meta.Set("rows_written", r.Meta.RowsWritten)
					_ = o.Set("meta", meta)
					out[i] = o
				}
				return vm.NewArray(out...), nil
			}
		})
	})

	// Queues
	set("queueSend", func(c goja.FunctionCall) goja.Value {
		name := c.Argument(0).String()
		var msgs []store.OutgoingMessage
		var encErr error
		vm.ForOf(c.Argument(1).ToObject(vm), func(item goja.Value) bool {
			m := item.ToObject(vm)
			body, ct := m.Get("0"), m.Get("1").String()
			out := store.OutgoingMessage{ContentType: ct}
			switch ct {
			case "json", "text":
				out.Body = []byte(body.String())
			case "bytes":
				out.Body = bytesArg(vm, body)
			default:
				out.Body, encErr = webapi.Serialize(vm, body)
			}
			if d := m.Get("2").ToFloat(); d >= 0 && !math.IsNaN(d) {
				out.Delay = time.Duration(d * float64(time.Second))
			}
			msgs = append(msgs, out)
			return encErr == nil
		})
		if encErr != nil {
			panic(runtime.ErrorValue(vm, fmt.Errorf("Queue send: %w", encErr), nil))
		}
		return iso.goOp(func(ctx context.Context, st *store.Store) runtime.Settle {
			q, err := st.QueueByName(ctx, account, name)
			if err != nil {
				return runtime.Rejected(fmt.Errorf("Queue send failed: queue %q: %w", name, err))
			}
			if err := st.SendMessages(ctx, account, q.ID, msgs); err != nil {
				return runtime.Rejected(fmt.Errorf("Queue send failed: %w", err))
			}
			return nil
		})
	})

	// Static assets
	set("assetFetch", func(c goja.FunctionCall) goja.Value {
		req := exportRequest(vm, c.Argument(0))
		assets := iso.v.assets
		return iso.goOp(func(ctx context.Context, st *store.Store) runtime.Settle {
			res, err := assets.fetchAsset(ctx, st, req)
			if err != nil {
				return runtime.Rejected(err)
			}
			return res.toParts
		})
	})

	// Service bindings
	set("svcFetch", func(c goja.FunctionCall) goja.Value {
		sb := iso.v.bindings[c.Argument(0).ToInteger()].service
		req := exportRequest(vm, c.Argument(1))
		return iso.subrequest(func(ctx context.Context) runtime.Settle {
			res, err := iso.v.w.rt.serviceFetch(ctx, account, sb, req)
			if err != nil {
				return runtime.Rejected(err)
			}
			return res.toParts
		})
	})
	set("svcRPC", func(c goja.FunctionCall) goja.Value {
		sb := iso.v.bindings[c.Argument(0).ToInteger()].service
		method := c.Argument(1).String()
		args, err := webapi.Serialize(vm, c.Argument(2))
		if err != nil {
			panic(runtime.ErrorValue(vm, fmt.Errorf("RPC %s(): %w", method, err), nil))
		}
		return iso.subrequest(func(ctx context.Context) runtime.Settle {
			res, err := iso.v.w.rt.serviceRPC(ctx, account, sb, method, args)
			if err != nil {
				return runtime.Rejected(err)
			}
			return res.settle
		})
	})

	iso.workflowNatives(vm, set)
}

// d1Param converts a bound value to what the store binds.
func d1Param(vm *goja.Runtime, v goja.Value) any {
	if v == nil || goja.IsNull(v) || goja.IsUndefined(v) {
		return nil
	}
	if b, ok := webapi.Bytes(vm, v); ok {
		return append([]byte{}, b...)
	}
	switch x := v.Export().(type) {
	case int64:
		return float64(x)
	case float64, string, bool:
		return x
	}
	return v.String()
}

// r2Range is a ranged read: offset and length, or the last suffix bytes
// (-1 when unset).
type r2Range struct{ offset, length, suffix int64 }

func (r *r2Range) apply(data []byte) ([]byte, *r2Range) {
	n := int64(len(data))
	start, end := int64(0), n
	if r.suffix >= 0 {
		start = max(n-r.suffix, 0)
	} else {
		if r.offset >= 0 {
			start = min(r.offset, n)
		}
		if r.length >= 0 {
			end = min(start+r.length, n)
		}
	}
	return data[start:end], &r2Range{offset: start, length: end - start, suffix: -1}
}

func r2Info(vm *goja.Runtime, o store.Object, rng *r2Range) *goja.Object {
	info := vm.NewObject()
	_ = info.Set("key", o.Key)
	_ = info.Set("version", o.Version)
	_ = info.Set("size", o.Size)
	_ = info.Set("etag", o.ETag)
	_ = info.Set("uploaded", store.ParseTime(o.Uploaded).UnixMilli())
	md := vm.NewObject()
	h := o.HTTPMetadata
	for k, v := range map[string]string{"contentType": h.ContentType, "contentLanguage": h.ContentLanguage,
		"contentDisposition": h.ContentDisposition, "contentEncoding": h.ContentEncoding, "cacheControl": h.CacheControl, "cacheExpiry": h.CacheExpiry} {
		if v != "" {
			_ = md.Set(k, v)
		}
	}
	_ = info.Set("httpMetadata", md)
	custom := vm.NewObject()
	for k, v := range o.CustomMetadata {
		_ = custom.Set(k, v)
	}
	_ = info.Set("customMetadata", custom)
	if rng != nil {
		r := vm.NewObject()
		_ = r.Set("offset", rng.offset)
		_ = r.Set("length", rng.length)
		_ = info.Set("range", r)
	}
	return info
}

// exportRequest reads the [method, url, headers, body bytes] a stub made.
func exportRequest(vm *goja.Runtime, v goja.Value) httpRequest {
	parts := v.ToObject(vm)
	req := httpRequest{method: parts.Get("0").String(), url: parts.Get("1").String(), header: stringList(vm, parts.Get("2"))}
	if b := parts.Get("3"); b != nil && !goja.IsNull(b) && !goja.IsUndefined(b) {
		req.body = bytesArg(vm, b)
	}
	return req
}

// toParts makes the [status, statusText, headers, body] glue.js turns
// into a Response.
func (res *httpResponse) toParts(vm *goja.Runtime) (goja.Value, error) {
	flat := make([]any, len(res.header))
	for i, h := range res.header {
		flat[i] = h
	}
	var body goja.Value = goja.Null()
	if res.body != nil {
		body = webapi.NewUint8Array(vm, res.body)
	}
	return vm.NewArray(res.status, res.statusText, vm.NewArray(flat...), body), nil
}
