package cloudflare

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/value"
)

// kvProvider is cloudflare::KVNamespace.
type kvProvider struct{ cf *Cloudflare }

type kvNamespace struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	CreatedOn string `json:"created_on"`
}

// Create implements engine.Provider.
func (k *kvProvider) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	cl, p, title, err := k.cf.clientAndName(req, "title")
	if err != nil {
		return nil, err
	}
	ns, err := createKV(ctx, cl, title, takeOver(req))
	if err != nil {
		return nil, wrap(req, err)
	}
	created := nowMillis()
	if ns.CreatedOn != "" {
		if t, err := time.Parse(time.RFC3339Nano, ns.CreatedOn); err == nil {
			created = value.Number(t.UnixMilli())
		}
	}
	return k.finish(ctx, req, cl, p, ns.ID, title, created)
}

// createKV creates a namespace, or finds the existing one of that title
// when a conflict may be taken over.
func createKV(ctx context.Context, cl *Client, title string, takeOver bool) (kvNamespace, error) {
	p, err := cl.accountPath(ctx, "storage/kv/namespaces")
	if err != nil {
		return kvNamespace{}, err
	}
	var ns kvNamespace
	err = createOrAdopt(takeOver, func() error {
		_, err := cl.Call(ctx, fmt.Sprintf("create KV namespace %q", title), http.MethodPost, p, map[string]string{"title": title}, &ns)
		return err
	}, func() (found bool, err error) {
		ns, found, err = findPaged(ctx, cl, "list KV namespaces", "storage/kv/namespaces", func(ns kvNamespace) bool { return ns.Title == title })
		return found, err
	})
	return ns, err
}

// Update implements engine.Provider: a new title renames the namespace.
func (k *kvProvider) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	cl, p, title, err := k.cf.clientAndName(req, "title")
	if err != nil {
		return nil, err
	}
	id, _ := req.Output.GetString("namespaceId")
	if id == "" {
		// Made under --dev without a namespace on Cloudflare.
		return k.Create(ctx, req)
	}
	if prev, _ := req.Output.GetString("title"); prev != title {
		path, err := cl.accountPath(ctx, "storage/kv/namespaces/"+id)
		if err != nil {
			return nil, wrap(req, err)
		}
		if _, err := cl.Call(ctx, fmt.Sprintf("rename KV namespace %s to %q", id, title), http.MethodPut, path, map[string]string{"title": title}, nil); err != nil {
			return nil, wrap(req, err)
		}
	}
	return k.finish(ctx, req, cl, p, id, title, previousOr(req, "createdAt", nowMillis()))
}

// finish writes the values and builds the output.
func (k *kvProvider) finish(ctx context.Context, req *engine.Request, cl *Client, p props, id, title string, created value.Value) (*value.Object, error) {
	values, _, err := p.array("values")
	if err != nil {
		return nil, err
	}
	if err := putKVValues(ctx, cl, p, id, values); err != nil {
		return nil, wrap(req, err)
	}
	out := value.NewObject(7)
	out.Set("type", value.String("kv_namespace"))
	out.Set("namespaceId", value.String(id))
	out.Set("title", value.String(title))
	if v, ok := p.get("values"); ok {
		out.Set("values", v)
	}
	devID := previousDevID(req.Output, "namespaceId", value.String(req.ID))
	remote, err := devRemote(p)
	if err != nil {
		return nil, err
	}
	out.Set("dev", value.Obj("id", devID, "remote", value.Bool(remote)))
	out.Set("createdAt", created)
	out.Set("modifiedAt", nowMillis())
	return out, nil
}

// previousDevID is output.dev.id ?? output[field] ?? def: the id a
// resource had under --dev is kept across deploys.
func previousDevID(out *value.Object, field string, def value.Value) value.Value {
	if dev, ok := out.GetObject("dev"); ok {
		if v, ok := dev.Get("id"); ok && v != (value.Null{}) {
			return v
		}
	}
	if field != "" {
		if v, ok := out.Get(field); ok && v != (value.Null{}) {
			return v
		}
	}
	return def
}

// devRemote reads props.dev.remote (default false).
func devRemote(p props) (bool, error) {
	dev, ok, err := p.object("dev")
	if err != nil || !ok {
		return false, err
	}
	b, _ := dev.GetBool("remote")
	return b, nil
}

// kvBulkBatch is the most pairs one bulk write takes.
const kvBulkBatch = 10000

type kvPair struct {
	Key           string          `json:"key"`
	Value         string          `json:"value"`
	Expiration    *float64        `json:"expiration,omitempty"`
	ExpirationTTL *float64        `json:"expiration_ttl,omitempty"`
	Metadata      json.RawMessage `json:"metadata,omitempty"`
}

// putKVValues writes the values prop in bulk: strings as they are, other
// values as JSON. Keys dropped from the list are left alone, as the
// TypeScript library does.
func putKVValues(ctx context.Context, cl *Client, p props, id string, values value.Array) error {
	if len(values) == 0 {
		return nil
	}
	pairs := make([]kvPair, 0, len(values))
	for i, item := range values {
		field := fmt.Sprintf("values[%d]", i)
		o, ok := item.(*value.Object)
		if !ok {
			return p.errorf(field, "must be an object {key, value}, got %s", value.TypeName(item))
		}
		ip := props{kind: p.kind, id: p.id, o: o}
		key, ok, err := ip.str("key")
		if err != nil || !ok {
			return p.errorf(field+".key", "must be a string")
		}
		pair := kvPair{Key: key}
		switch v, _ := o.Get("value"); v := v.(type) {
		case value.String:
			pair.Value = string(v)
		case nil:
			return p.errorf(field+".value", "is missing")
		default:
			raw, err := plainJSON(v)
			if err != nil {
				return p.errorf(field+".value", "%v", err)
			}
			pair.Value = string(raw)
		}
		if n, ok, err := ip.number("expiration"); err != nil {
			return err
		} else if ok {
			pair.Expiration = &n
		}
		if n, ok, err := ip.number("expirationTtl"); err != nil {
			return err
		} else if ok {
			pair.ExpirationTTL = &n
		}
		if md, ok := ip.get("metadata"); ok {
			raw, err := plainJSON(md)
			if err != nil {
				return p.errorf(field+".metadata", "%v", err)
			}
			pair.Metadata = raw
		}
		pairs = append(pairs, pair)
	}
	path, err := cl.accountPath(ctx, "storage/kv/namespaces/"+url.PathEscape(id)+"/bulk")
	if err != nil {
		return err
	}
	for start := 0; start < len(pairs); start += kvBulkBatch {
		batch := pairs[start:min(start+kvBulkBatch, len(pairs))]
		if _, err := cl.Call(ctx, fmt.Sprintf("write %d values to KV namespace %s", len(batch), id), http.MethodPut, path, batch, nil); err != nil {
			return err
		}
	}
	return nil
}

// Delete implements engine.Provider: the namespace goes unless delete is
// false.
func (k *kvProvider) Delete(ctx context.Context, req *engine.Request) error {
	return k.cf.deleteByID(ctx, req, "namespaceId", "KV namespace", "storage/kv/namespaces/")
}
