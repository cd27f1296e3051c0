package cloudflare

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/cloudflare/cloudflare-go/v6/option"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/value"
)

// r2Provider is cloudflare::R2Bucket. Its name is immutable: a new name
// replaces the bucket.
type r2Provider struct{ cf *Cloudflare }

type r2Bucket struct {
	Name         string `json:"name"`
	CreationDate string `json:"creation_date"`
	Location     string `json:"location"`
	Jurisdiction string `json:"jurisdiction"`
	StorageClass string `json:"storage_class"`
}

// jurisdictionOption sends the jurisdiction header unless it is the
// default one.
func jurisdictionOption(j string) []option.RequestOption {
	if j == "" || j == "default" {
		return nil
	}
	return []option.RequestOption{option.WithHeader("cf-r2-jurisdiction", j)}
}

// Diff implements engine.Differ.
func (r *r2Provider) Diff(ctx context.Context, req *engine.Request) (engine.Change, error) {
	return replaceOnRename(req, "name")
}

// Create implements engine.Provider.
func (r *r2Provider) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	cl, p, name, err := r.cf.clientAndName(req, "name")
	if err != nil {
		return nil, err
	}
	if err := r2Unsupported(p); err != nil {
		return nil, err
	}
	jurisdiction, _, err := p.str("jurisdiction")
	if err != nil {
		return nil, err
	}
	body := map[string]string{"name": name}
	if v, ok, err := p.str("locationHint"); err != nil {
		return nil, err
	} else if ok {
		body["locationHint"] = v
	}
	if v, ok, err := p.str("storageClass"); err != nil {
		return nil, err
	} else if ok {
		body["storageClass"] = v
	}
	path, err := cl.accountPath(ctx, "r2/buckets")
	if err != nil {
		return nil, wrap(req, err)
	}
	var b r2Bucket
	err = createOrAdopt(takeOver(req), func() error {
		_, err := cl.Call(ctx, fmt.Sprintf("create R2 bucket %q", name), http.MethodPost, path, body, &b, jurisdictionOption(jurisdiction)...)
		return err
	}, func() (bool, error) {
		_, err := cl.Call(ctx, fmt.Sprintf("get R2 bucket %q", name), http.MethodGet, path+"/"+url.PathEscape(name), nil, &b, jurisdictionOption(jurisdiction)...)
		return true, err
	})
	if err != nil {
		return nil, wrap(req, err)
	}
	devDomain, err := r.putManagedDomain(ctx, cl, p, name, jurisdiction)
	if err != nil {
		return nil, wrap(req, err)
	}
	for _, kind := range []string{"cors", "lifecycle", "lock"} {
		if rules, ok, err := p.array(kind); err != nil {
			return nil, err
		} else if ok && len(rules) > 0 {
			if err := r.putRules(ctx, cl, p, kind, name, jurisdiction, rules); err != nil {
				return nil, wrap(req, err)
			}
		}
	}
	acct, err := cl.AccountID(ctx)
	if err != nil {
		return nil, wrap(req, err)
	}
	created := value.Value(value.DateOf(timeNow()))
	if d, err := value.ParseDate(b.CreationDate); err == nil {
		created = d
	}
	out := value.NewObject(14)
	out.Set("name", value.String(name))
	out.Set("location", value.String(b.Location))
	out.Set("creationDate", created)
	out.Set("jurisdiction", value.String(orDefault(b.Jurisdiction, "default")))
	out.Set("devDomain", strOrAbsent(devDomain))
	out.Set("type", value.String("r2_bucket"))
	out.Set("accountId", value.String(acct))
	r.setRules(out, p)
	dev, err := r.dev(req, p, name)
	if err != nil {
		return nil, err
	}
	out.Set("dev", dev)
	return out, nil
}

func (r *r2Provider) dev(req *engine.Request, p props, name string) (*value.Object, error) {
	remote, err := devRemote(p)
	if err != nil {
		return nil, err
	}
	return value.Obj("id", previousDevID(req.Output, "", value.String(name)), "remote", value.Bool(remote),
		"isDeployed", value.Bool(true)), nil
}

// setRules echoes the rule props in the output (absent when not given).
func (r *r2Provider) setRules(out *value.Object, p props) {
	for _, kind := range []string{"lifecycle", "lock", "cors"} {
		v, _ := p.get(kind)
		out.Set(kind, v)
	}
}

// r2Unsupported rejects the props this provider does not implement yet,
// rather than ignoring them.
func r2Unsupported(p props) error {
	if _, ok := p.get("domains"); ok {
		return p.errorf("domains", "custom domains of R2 buckets are not supported yet")
	}
	if on, err := p.boolean("dataCatalog", false); err != nil || on {
		if err == nil {
			err = p.errorf("dataCatalog", "the R2 data catalog is not supported yet")
		}
		return err
	}
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// putManagedDomain turns the r2.dev domain on or off and returns it when on.
func (r *r2Provider) putManagedDomain(ctx context.Context, cl *Client, p props, name, jurisdiction string) (string, error) {
	enabled, err := p.boolean("devDomain", false)
	if err != nil {
		return "", err
	}
	if public, err := p.boolean("allowPublicAccess", false); err != nil {
		return "", err
	} else if public {
		enabled = true
	}
	path, err := cl.accountPath(ctx, "r2/buckets/"+url.PathEscape(name)+"/domains/managed")
	if err != nil {
		return "", err
	}
	var res struct {
		Domain  string `json:"domain"`
		Enabled bool   `json:"enabled"`
	}
	if _, err := cl.Call(ctx, fmt.Sprintf("set the r2.dev domain of bucket %q", name), http.MethodPut, path,
		map[string]bool{"enabled": enabled}, &res, jurisdictionOption(jurisdiction)...); err != nil {
		return "", err
	}
	if !res.Enabled {
		return "", nil
	}
	return res.Domain, nil
}

// putRules writes the cors, lifecycle or lock rules; empty cors rules are
// deleted instead. Lifecycle rules default to every object and enabled,
// lock rules to enabled, as the API requires both.
func (r *r2Provider) putRules(ctx context.Context, cl *Client, p props, kind, name, jurisdiction string, rules value.Array) error {
	path, err := cl.accountPath(ctx, "r2/buckets/"+url.PathEscape(name)+"/"+kind)
	if err != nil {
		return err
	}
	op := fmt.Sprintf("set the %s rules of bucket %q", kind, name)
	if kind == "cors" && len(rules) == 0 {
		_, err := cl.Call(ctx, op, http.MethodDelete, path, nil, nil, jurisdictionOption(jurisdiction)...)
		return err
	}
	out := make([]json.RawMessage, 0, len(rules))
	for i, rule := range rules {
		o, ok := rule.(*value.Object)
		if !ok {
			return p.errorf(fmt.Sprintf("%s[%d]", kind, i), "must be an object, got %s", value.TypeName(rule))
		}
		o = o.Clone()
		if kind == "lifecycle" && !o.Has("conditions") {
			o.Set("conditions", value.Obj("prefix", value.String("")))
		}
		if kind != "cors" && !o.Has("enabled") {
			o.Set("enabled", value.Bool(true))
		}
		raw, err := plainJSON(o)
		if err != nil {
			return p.errorf(fmt.Sprintf("%s[%d]", kind, i), "%v", err)
		}
		out = append(out, raw)
	}
	_, err = cl.Call(ctx, op, http.MethodPut, path, map[string]any{"rules": out}, nil, jurisdictionOption(jurisdiction)...)
	return err
}

// Update implements engine.Provider: the r2.dev domain and the rules
// follow the props.
func (r *r2Provider) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	cl, p, name, err := r.cf.clientAndFixedName(req, "name")
	if err != nil {
		return nil, err
	}
	if err := r2Unsupported(p); err != nil {
		return nil, err
	}
	jurisdiction, _ := req.Output.GetString("jurisdiction")
	out := copyIdentityless(req.Output)
	wantDev, err := p.boolean("devDomain", false)
	if err != nil {
		return nil, err
	}
	if public, _ := p.boolean("allowPublicAccess", false); public {
		wantDev = true
	}
	devDomain, _ := req.Output.GetString("devDomain")
	if (devDomain != "") != wantDev {
		if devDomain, err = r.putManagedDomain(ctx, cl, p, name, jurisdiction); err != nil {
			return nil, wrap(req, err)
		}
	}
	for _, kind := range []string{"cors", "lifecycle", "lock"} {
		next, _, err := p.array(kind)
		if err != nil {
			return nil, err
		}
		prev, _ := req.Output.Get(kind)
		prevArr, _ := prev.(value.Array)
		if value.Equal(orEmptyArray(prevArr), orEmptyArray(next)) {
			continue
		}
		if err := r.putRules(ctx, cl, p, kind, name, jurisdiction, orEmptyArray(next)); err != nil {
			return nil, wrap(req, err)
		}
	}
	out.Set("devDomain", strOrAbsent(devDomain))
	dev, err := r.dev(req, p, name)
	if err != nil {
		return nil, err
	}
	out.Set("dev", dev)
	v, _ := p.get("cors")
	out.Set("cors", v)
	v, _ = p.get("lifecycle")
	out.Set("lifecycle", v)
	v, _ = p.get("lock")
	out.Set("lock", v)
	return out, nil
}

func orEmptyArray(a value.Array) value.Array {
	if a == nil {
		return value.Array{}
	}
	return a
}

// Delete implements engine.Provider: unless delete is false, the bucket is
// deleted, emptied first when empty is true.
func (r *r2Provider) Delete(ctx context.Context, req *engine.Request) error {
	cl, p, ok, err := r.cf.deleting(req)
	if err != nil || !ok {
		return err
	}
	name, _ := req.Output.GetString("name")
	if name == "" {
		return nil
	}
	jurisdiction, _ := req.Output.GetString("jurisdiction")
	empty, err := p.boolean("empty", false)
	if err != nil {
		return err
	}
	objects := &BucketObjects{Client: cl, Bucket: name, Jurisdiction: jurisdiction}
	if empty {
		if err := objects.Empty(ctx); err != nil {
			return wrap(req, ignoreNotFound(err))
		}
	}
	err = deleteInAccount(ctx, cl, fmt.Sprintf("delete R2 bucket %q", name), "r2/buckets/"+url.PathEscape(name), jurisdictionOption(jurisdiction)...)
	if ae, ok := asAPIError(err); ok && ae.HasCode(10008) && !empty {
		ae.Hint = "the bucket is not empty: set empty: true to delete its objects with it"
	}
	return wrap(req, err)
}
