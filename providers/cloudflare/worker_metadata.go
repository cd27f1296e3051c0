package cloudflare

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/alchemy-go/alchemy/value"
)

// metadata is the upload metadata, keys in the order the TypeScript
// library sends them. tags and migrations are nil for the hash.
func (pl *workerPlan) metadata(tags []string, migrations *value.Object, assets *value.Object) (*value.Object, error) {
	p := pl.p
	m := value.NewObject(16)
	m.Set("compatibility_date", value.String(pl.compatDate))
	m.Set("compatibility_flags", stringArray(pl.compatFlags))
	if tc, ok, err := p.array("tailConsumers"); err != nil {
		return nil, err
	} else if ok {
		out := value.Array{}
		for _, c := range tc {
			if o, ok := c.(*value.Object); ok {
				if kind, _ := o.GetString(value.KeyKind); kind == KindWorker {
					name, _ := o.GetString("name")
					out = append(out, value.Obj("service", value.String(name)))
					continue
				}
			}
			out = append(out, c)
		}
		m.Set("tail_consumers", out)
	}
	bindings := make(value.Array, len(pl.bindings.meta))
	for i, b := range pl.bindings.meta {
		bindings[i] = b
	}
	m.Set("bindings", bindings)
	obs := value.NewObject(4)
	if o, ok, err := p.object("observability"); err != nil {
		return nil, err
	} else if ok {
		obs = snakeKeys(o)
	}
	enabled, _ := obs.GetBool("enabled")
	if v, ok := obs.Get("enabled"); !ok || v != value.Bool(false) {
		enabled = true
	}
	obs.Set("enabled", value.Bool(enabled))
	m.Set("observability", obs)
	logpush, err := p.boolean("logpush", false)
	if err != nil {
		return nil, err
	}
	m.Set("logpush", value.Bool(logpush))
	if cache, ok := p.get("cache"); ok {
		co := value.NewObject(2)
		switch c := cache.(type) {
		case value.Bool:
			co.Set("enabled", c)
		case *value.Object:
			e, ok := c.GetBool("enabled")
			co.Set("enabled", value.Bool(e || !ok))
			if v, ok := c.Get("crossVersionCache"); ok {
				co.Set("cross_version_cache", v)
			}
		default:
			return nil, p.errorf("cache", "must be a boolean or an object")
		}
		m.Set("cache_options", co)
	}
	if tags != nil {
		m.Set("tags", stringArray(tags))
	}
	if migrations != nil {
		m.Set("migrations", migrations)
	}
	for _, f := range []string{"placement", "limits"} {
		if v, ok := p.get(f); ok {
			m.Set(f, v)
		}
	}
	if assets != nil {
		m.Set("assets", assets)
	}
	if pl.code.commonJS {
		m.Set("body_part", value.String(pl.code.main))
	} else {
		m.Set("main_module", value.String(pl.code.main))
	}
	return m, nil
}

func stringArray(s []string) value.Array {
	a := make(value.Array, len(s))
	for i, x := range s {
		a[i] = value.String(x)
	}
	return a
}

// snakeKeys converts camelCase keys to snake_case, deeply.
func snakeKeys(o *value.Object) *value.Object {
	out := value.NewObject(o.Len())
	for k, v := range o.All {
		if c, ok := v.(*value.Object); ok {
			v = snakeKeys(c)
		}
		var b strings.Builder
		for i, r := range k {
			if r >= 'A' && r <= 'Z' {
				if i > 0 {
					b.WriteByte('_')
				}
				r += 'a' - 'A'
			}
			b.WriteRune(r)
		}
		out.Set(b.String(), v)
	}
	return out
}

// computeHash hashes what a deploy would send, and where: the API (the
// dev session's local Cloudflare by name), the modules, the metadata
// (secrets in plaintext, so the hash is keyed by a secret of the
// Worker's own when it has any), the workers.dev settings, crons,
// workflows and the assets.
func (pl *workerPlan) computeHash() error {
	meta, err := pl.metadata(planTags(pl), nil, nil)
	if err != nil {
		return err
	}
	in := value.NewObject(12)
	in.Set("name", value.String(pl.name))
	in.Set("api", value.String(pl.target))
	in.Set("metadata", meta)
	mods := value.Array{}
	for _, m := range pl.code.modules {
		sum := sha256.Sum256(m.Content)
		mods = append(mods, value.Obj("name", value.String(m.Name), "type", value.String(m.ContentType), "sha256", value.String(hex.EncodeToString(sum[:]))))
	}
	in.Set("modules", mods)
	in.Set("url", value.Bool(pl.url))
	in.Set("previews", pl.previews)
	if pl.hasCrons {
		in.Set("crons", stringArray(pl.crons))
	}
	wfs := value.Array{}
	for _, wf := range pl.bindings.workflows {
		wfs = append(wfs, value.Array{value.String(wf.workflowName), value.String(wf.className)})
	}
	in.Set("workflows", wfs)
	if pl.assetsCfg != nil {
		in.Set("assets", value.Obj("manifest", value.String(manifestHash(pl.assets)), "config", pl.assetsCfg))
	}
	raw, err := plainJSON(in)
	if err != nil {
		return err
	}
	if !pl.bindings.hasSecrets {
		sum := sha256.Sum256(raw)
		pl.hash = "sha256:" + hex.EncodeToString(sum[:])
		return nil
	}
	key := pl.existingHashKey()
	if key == nil {
		b := make([]byte, 32)
		rand.Read(b)
		key = value.NewSecret(hex.EncodeToString(b))
	}
	pl.hashKey = key
	mac := hmac.New(sha256.New, []byte(key.Value.(value.String)))
	mac.Write(raw)
	pl.hash = "hmac-sha256:" + hex.EncodeToString(mac.Sum(nil))
	return nil
}

func (pl *workerPlan) existingHashKey() *value.Secret {
	if pl.req.Data == nil {
		return nil
	}
	v, _ := pl.req.Data.Get(dataHashKey)
	s, ok := v.(*value.Secret)
	if !ok {
		return nil
	}
	if _, isStr := s.Value.(value.String); !isStr {
		return nil
	}
	return s
}

// planTags are the tags the Worker's own bindings give (the migration tag
// bookkeeping aside).
func planTags(pl *workerPlan) []string {
	tags := []string{}
	for _, d := range pl.bindings.durableObjects {
		tags = append(tags, doTagPrefix+d.stableID+":"+d.name)
	}
	return tags
}
