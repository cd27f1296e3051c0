package cloudflare

import (
	"slices"

	"github.com/alchemy-go/alchemy/value"
)

// workerBindings is what a Worker's bindings prop turns into.
type workerBindings struct {
	// meta are the bindings of the upload metadata, in the order given.
	meta []*value.Object
	// durableObjects are the Durable Object bindings (own and other
	// scripts'), for migrations and tags.
	durableObjects []doBinding
	// workflows of this Worker's script, upserted after the upload.
	workflows []workflowBinding
	// assetsDir is the directory of an Assets binding ("" for none).
	assetsDir string
	// devNames are the bindings of the Worker's workers.dev host or URL,
	// filled in once the account subdomain is known.
	devNames map[string]string
	// hasSecrets is set when a binding holds a secret.
	hasSecrets bool
}

// doBinding is one Durable Object namespace binding.
type doBinding struct {
	name      string // binding (variable) name
	stableID  string // the DurableObjectNamespace id
	className string
	sqlite    bool
	// own is true when the class lives in this Worker's script.
	own bool
}

type workflowBinding struct {
	workflowName, className string
}

// bindingTypes maps the type field of binding values (resource outputs and
// descriptors) to the metadata fields copied from them: metadata field ←
// value field. Types handled by code are not listed.
var bindingTypes = map[string][][2]string{
	"ai":                   nil,
	"browser":              nil,
	"images":               nil,
	"media":                nil,
	"worker_loader":        nil,
	"analytics_engine":     {{"dataset", "dataset"}},
	"hyperdrive":           {{"id", "hyperdriveId"}},
	"vectorize":            {{"index_name", "indexName"}},
	"pipelines":            {{"pipeline", "name"}},
	"secrets_store_secret": {{"store_id", "storeId"}, {"secret_name", "name"}},
	"dispatch_namespace":   {{"namespace", "namespace"}},
	"mtls_certificate":     {{"certificate_id", "certificateId"}},
	"ratelimit":            {{"namespace_id", "namespaceId"}, {"simple", "simple"}},
	"send_email":           {{"destination_address", "destinationAddress"}, {"allowed_destination_addresses", "allowedDestinationAddresses"}, {"allowed_sender_addresses", "allowedSenderAddresses"}},
	"secret_key":           {{"algorithm", "algorithm"}, {"format", "format"}, {"usages", "usages"}, {"key_base64", "keyBase64"}, {"key_jwk", "keyJwk"}},
}

// buildBindings maps the bindings prop (and the deprecated env prop) to
// upload metadata. worker is the Worker's script name.
func buildBindings(p props, worker string) (*workerBindings, error) {
	wb := &workerBindings{devNames: map[string]string{}}
	bindings, _, err := p.object("bindings")
	if err != nil {
		return nil, err
	}
	stableIDs := map[string]string{}
	for name, v := range bindings.All {
		field := "bindings." + name
		b, err := wb.binding(p, field, name, v, worker)
		if err != nil {
			return nil, err
		}
		if b != nil {
			wb.meta = append(wb.meta, b)
		}
		if n := len(wb.durableObjects); n > 0 && wb.durableObjects[n-1].name == name {
			id := wb.durableObjects[n-1].stableID
			if prev, dup := stableIDs[id]; dup {
				return nil, p.errorf(field, "Durable Object id %q is also used by binding %s: each binding needs its own id", id, prev)
			}
			stableIDs[id] = name
		}
	}
	env, _, err := p.object("env")
	if err != nil {
		return nil, err
	}
	for name, v := range env.All {
		s, ok := v.(value.String)
		if !ok {
			return nil, p.errorf("env."+name, "must be a string, got %s", value.TypeName(v))
		}
		wb.meta = append(wb.meta, value.Obj("name", value.String(name), "type", value.String("plain_text"), "text", s))
	}
	return wb, nil
}

func metaBinding(typ, name string, kv ...any) *value.Object {
	o := value.Obj("type", value.String(typ), "name", value.String(name))
	for i := 0; i < len(kv); i += 2 {
		if v, _ := kv[i+1].(value.Value); v != nil {
			o.Set(kv[i].(string), v)
		}
	}
	return o
}

// binding maps one binding value.
func (wb *workerBindings) binding(p props, field, name string, v value.Value, worker string) (*value.Object, error) {
	switch v := v.(type) {
	case nil:
		return nil, p.errorf(field, "is undefined: give a value, or leave the binding out")
	case value.String:
		return metaBinding("plain_text", name, "text", v), nil
	case *value.Secret:
		s, ok := v.Value.(value.String)
		if !ok {
			return nil, p.errorf(field, "a secret binding must hold a string, got %s", value.TypeName(v.Value))
		}
		wb.hasSecrets = true
		return metaBinding("secret_text", name, "text", s), nil
	case value.Bool, value.Number, value.Null, value.Array, value.Date:
		return metaBinding("json", name, "json", v), nil
	case *value.Object:
		return wb.objectBinding(p, field, name, v, worker)
	}
	return nil, p.errorf(field, "cannot bind a %s", value.TypeName(v))
}

func (wb *workerBindings) objectBinding(p props, field, name string, o *value.Object, worker string) (*value.Object, error) {
	str := func(k string) value.Value {
		s, ok := o.GetString(k)
		if !ok || s == "" {
			return nil
		}
		return value.String(s)
	}
	require := func(k, what string) (value.Value, error) {
		v := str(k)
		if v == nil {
			return nil, p.errorf(field, "the bound %s has no %s", what, k)
		}
		return v, nil
	}
	typ, _ := o.GetString("type")
	kind, _ := o.GetString(value.KeyKind)
	switch typ {
	case "kv_namespace":
		id := str("namespaceId")
		if id == nil {
			id = str("id")
		}
		if id == nil {
			return nil, p.errorf(field, "the bound KV namespace has no namespaceId")
		}
		return metaBinding(typ, name, "namespace_id", id), nil
	case "r2_bucket":
		bucket, err := require("name", "R2 bucket")
		if err != nil {
			return nil, err
		}
		j := str("jurisdiction")
		if j == value.String("default") {
			j = nil
		}
		return metaBinding(typ, name, "bucket_name", bucket, "jurisdiction", j), nil
	case "d1":
		id, err := require("id", "D1 database")
		if err != nil {
			return nil, err
		}
		return metaBinding(typ, name, "id", id), nil
	case "queue":
		q, err := require("name", "queue")
		if err != nil {
			return nil, err
		}
		return metaBinding(typ, name, "queue_name", q), nil
	case TypeService:
		svc := str("service")
		if kind == KindWorker || svc == nil {
			svc = str("name")
		}
		if svc == nil {
			return nil, p.errorf(field, "the bound Worker has no name")
		}
		return metaBinding(typ, name, "service", svc, "environment", str("environment"), "entrypoint", str("__entrypoint__")), nil
	case TypeSelf:
		return metaBinding(TypeService, name, "service", value.String(worker), "entrypoint", str("__entrypoint__")), nil
	case TypeDurableObject:
		className, err := require("className", "Durable Object namespace")
		if err != nil {
			return nil, err
		}
		id, _ := o.GetString("id")
		script, _ := o.GetString("scriptName")
		own := script == "" || script == worker
		sqlite, _ := o.GetBool("sqlite")
		wb.durableObjects = append(wb.durableObjects, doBinding{name: name, stableID: id, className: string(className.(value.String)), sqlite: sqlite, own: own})
		var scriptName value.Value
		if !own {
			scriptName = value.String(script)
		}
		return metaBinding(typ, name, "class_name", className, "script_name", scriptName,
			"environment", str("environment"), "namespace_id", str("namespaceId")), nil
	case TypeWorkflow:
		wf, err := require("workflowName", "Workflow")
		if err != nil {
			return nil, err
		}
		class := str("className")
		script, _ := o.GetString("scriptName")
		if script == "" || script == worker {
			cls := wf
			if class != nil {
				cls = class
			}
			wb.workflows = append(wb.workflows, workflowBinding{workflowName: string(wf.(value.String)), className: string(cls.(value.String))})
		}
		return metaBinding(typ, name, "workflow_name", wf, "class_name", class, "script_name", str("scriptName")), nil
	case TypeJSON:
		v, _ := o.Get("json")
		if v == nil {
			v = value.Null{}
		}
		return metaBinding(typ, name, "json", v), nil
	case TypeVersionMetadata:
		return metaBinding(typ, name), nil
	case TypeAssets:
		dir, err := require("path", "Assets")
		if err != nil {
			return nil, err
		}
		if wb.assetsDir != "" {
			return nil, p.errorf(field, "a Worker can bind only one Assets directory")
		}
		wb.assetsDir = string(dir.(value.String))
		return metaBinding(typ, name), nil
	case TypeDevDomain, TypeDevURL:
		wb.devNames[name] = typ
		return metaBinding("plain_text", name, "text", value.String("")), nil
	}
	if fields, ok := bindingTypes[typ]; ok {
		if typ == "ai" && slices.ContainsFunc(wb.meta, func(b *value.Object) bool { t, _ := b.GetString("type"); return t == "ai" }) {
			return nil, p.errorf(field, "a Worker can have only one AI binding")
		}
		b := metaBinding(typ, name)
		for _, f := range fields {
			if v, ok := o.Get(f[1]); ok {
				if f[0] == "namespace_id" {
					if n, isNum := v.(value.Number); isNum {
						v = value.String(value.FormatNumber(float64(n)))
					}
				}
				b.Set(f[0], v)
			}
		}
		return b, nil
	}
	if kind != "" {
		return nil, p.errorf(field, "a %s cannot be bound to a Worker", shortKind(kind))
	}
	// A plain object: the Worker sees the same value through a json binding.
	return metaBinding("json", name, "json", o), nil
}

// fillDevNames sets the text of DevDomain and DevUrl bindings.
func (wb *workerBindings) fillDevNames(host string) {
	for _, b := range wb.meta {
		name, _ := b.GetString("name")
		switch wb.devNames[name] {
		case TypeDevDomain:
			b.Set("text", value.String(host))
		case TypeDevURL:
			b.Set("text", value.String("https://"+host))
		}
	}
}

// ownDurableObjects reports whether the Worker binds classes of its own.
func (wb *workerBindings) ownDurableObjects() bool {
	return slices.ContainsFunc(wb.durableObjects, func(d doBinding) bool { return d.own })
}
