package cloudflare

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/value"
)

// props reads a resource's props; its errors name the resource and the
// field.
type props struct {
	kind, id string
	o        *value.Object
	prefix   string // the path of o within the resource's props ("bundle."), for messages
}

// propsOf returns the props of req (an object, or none at all).
func propsOf(req *engine.Request) (props, error) {
	return propsFrom(req.Kind, req.ID, req.Props)
}

func propsFrom(kind, id string, v value.Value) (props, error) {
	p := props{kind: kind, id: id}
	switch v := v.(type) {
	case nil, value.Null:
		p.o = value.NewObject(0)
	case *value.Object:
		p.o = v
		if v == nil {
			p.o = value.NewObject(0)
		}
	default:
		return p, fmt.Errorf("%s %q: props must be an object, got %s", shortKind(kind), id, value.TypeName(v))
	}
	return p, nil
}

// shortKind drops the "cloudflare::" prefix for messages.
func shortKind(kind string) string {
	const prefix = "cloudflare::"
	if len(kind) > len(prefix) && kind[:len(prefix)] == prefix {
		return kind[len(prefix):]
	}
	return kind
}

func (p props) errorf(field, format string, args ...any) error {
	return fmt.Errorf("%s %q: prop %s%s: %s", shortKind(p.kind), p.id, p.prefix, field, fmt.Sprintf(format, args...))
}

// within reads the object field name, whose errors name their fields
// under it ("bundle.define.X").
func (p props) within(name string) (props, bool, error) {
	o, ok, err := p.object(name)
	if !ok || err != nil {
		return p, ok, err
	}
	return props{kind: p.kind, id: p.id, o: o, prefix: p.prefix + name + "."}, true, nil
}

// stringMap returns an object field whose members are strings.
func (p props) stringMap(name string) (map[string]string, bool, error) {
	o, ok, err := p.object(name)
	if !ok || err != nil {
		return nil, ok, err
	}
	out := make(map[string]string, o.Len())
	for k, v := range o.All {
		s, isStr := v.(value.String)
		if !isStr {
			return nil, false, p.errorf(name+"."+k, "must be a string, got %s", value.TypeName(v))
		}
		out[k] = string(s)
	}
	return out, true, nil
}

// get returns a field; null counts as absent.
func (p props) get(name string) (value.Value, bool) {
	v, ok := p.o.Get(name)
	if !ok || v == (value.Null{}) {
		return nil, false
	}
	return v, true
}

// str returns a string field ("" and false when absent).
func (p props) str(name string) (string, bool, error) {
	v, ok := p.get(name)
	if !ok {
		return "", false, nil
	}
	s, isStr := v.(value.String)
	if !isStr {
		return "", false, p.errorf(name, "must be a string, got %s", value.TypeName(v))
	}
	return string(s), true, nil
}

// boolean returns a boolean field or def.
func (p props) boolean(name string, def bool) (bool, error) {
	v, ok := p.get(name)
	if !ok {
		return def, nil
	}
	b, isBool := v.(value.Bool)
	if !isBool {
		return def, p.errorf(name, "must be a boolean, got %s", value.TypeName(v))
	}
	return bool(b), nil
}

// number returns a number field.
func (p props) number(name string) (float64, bool, error) {
	v, ok := p.get(name)
	if !ok {
		return 0, false, nil
	}
	n, isNum := v.(value.Number)
	if !isNum {
		return 0, false, p.errorf(name, "must be a number, got %s", value.TypeName(v))
	}
	return float64(n), true, nil
}

// object returns an object field.
func (p props) object(name string) (*value.Object, bool, error) {
	v, ok := p.get(name)
	if !ok {
		return nil, false, nil
	}
	o, isObj := v.(*value.Object)
	if !isObj {
		return nil, false, p.errorf(name, "must be an object, got %s", value.TypeName(v))
	}
	return o, true, nil
}

// array returns an array field.
func (p props) array(name string) (value.Array, bool, error) {
	v, ok := p.get(name)
	if !ok {
		return nil, false, nil
	}
	a, isArr := v.(value.Array)
	if !isArr {
		return nil, false, p.errorf(name, "must be an array, got %s", value.TypeName(v))
	}
	return a, true, nil
}

// strings returns an array-of-strings field.
func (p props) strings(name string) ([]string, bool, error) {
	a, ok, err := p.array(name)
	if !ok || err != nil {
		return nil, ok, err
	}
	out := make([]string, len(a))
	for i, item := range a {
		s, isStr := item.(value.String)
		if !isStr {
			return nil, false, p.errorf(fmt.Sprintf("%s[%d]", name, i), "must be a string, got %s", value.TypeName(item))
		}
		out[i] = string(s)
	}
	return out, true, nil
}

// secretOrString returns a field that may be a string or a secret holding
// one.
func (p props) secretOrString(name string) (string, bool, error) {
	v, ok := p.get(name)
	if !ok {
		return "", false, nil
	}
	if s, isSecret := v.(*value.Secret); isSecret {
		v = s.Value
	}
	s, isStr := v.(value.String)
	if !isStr {
		return "", false, p.errorf(name, "must be a string or a secret, got %s", value.TypeName(v))
	}
	return string(s), true, nil
}

// physicalName is props[field] ?? output[field] ?? the scope's default:
// once created, a resource keeps the name it got.
func (p props) physicalName(req *engine.Request, field string) (string, error) {
	name, ok, err := p.str(field)
	if err != nil || ok {
		return name, err
	}
	if req.Output != nil {
		if prev, ok := req.Output.GetString(field); ok && prev != "" {
			return prev, nil
		}
	}
	return req.PhysicalName(), nil
}

// plainJSON is JSON.stringify's view of v: secrets in plaintext, dates as
// ISO strings. Only for values that are meant to leave the program as they
// are (json bindings, KV values).
func plainJSON(v value.Value) (json.RawMessage, error) {
	raw, err := value.Marshal(v, value.EncodeOptions{Plain: true})
	if err != nil {
		return nil, err
	}
	return raw, nil
}

// fromJSON converts decoded API JSON to a value.
func fromJSON(raw json.RawMessage) (value.Value, error) {
	return value.UnmarshalPlain(raw)
}

// numberOrAbsent returns value.Number(n) for ok, else nil (dropped).
func numberOrAbsent(n float64, ok bool) value.Value {
	if !ok {
		return nil
	}
	return value.Number(n)
}

// strOrAbsent returns a String, or nil (dropped) for "".
func strOrAbsent(s string) value.Value {
	if s == "" {
		return nil
	}
	return value.String(s)
}

// timeNow is the current time (one place, so outputs agree).
func timeNow() time.Time { return time.Now() }

// nowMillis is Date.now().
func nowMillis() value.Number { return value.Number(time.Now().UnixMilli()) }

// copyIdentityless returns o without the identity symbols, for reusing a
// previous output as the fields of a new one.
func copyIdentityless(o *value.Object) *value.Object {
	out := value.NewObject(o.Len())
	for k, v := range o.All {
		if value.IsSymbolKey(k) {
			continue
		}
		out.Set(k, v)
	}
	return out
}

// apiOptions overlays a resource's Cloudflare options (baseUrl, apiToken,
// apiKey, email, accountId) on the run's configuration.
func (p props) apiOptions(base Config) (Config, error) {
	cfg := base
	if v, ok, err := p.str("baseUrl"); err != nil {
		return cfg, err
	} else if ok {
		cfg.BaseURL = v
	}
	if v, ok, err := p.secretOrString("apiToken"); err != nil {
		return cfg, err
	} else if ok {
		cfg.APIToken, cfg.APIKey, cfg.Email = v, "", ""
	}
	if v, ok, err := p.secretOrString("apiKey"); err != nil {
		return cfg, err
	} else if ok {
		cfg.APIKey, cfg.APIToken = v, ""
	}
	if v, ok, err := p.str("email"); err != nil {
		return cfg, err
	} else if ok {
		cfg.Email = v
	}
	if v, ok, err := p.str("accountId"); err != nil {
		return cfg, err
	} else if ok {
		cfg.AccountID = v
	}
	return cfg, nil
}
