package cloudflare

import (
	"context"
	"fmt"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/value"
)

// children starts the Worker's custom domains, queue consumers and routes
// in its scope (in that order, as the TypeScript library does) and waits
// for them. Children from earlier runs that are gone are deleted when the
// handler returns.
func (w *workerProvider) children(ctx context.Context, pl *workerPlan) (domains, routes value.Value, err error) {
	req, p := pl.req, pl.p
	if req.Scope == nil {
		return nil, nil, nil
	}
	common := func(o *value.Object) {
		del, _ := p.get("delete")
		o.Set("delete", del)
		o.Set("dev", value.Bool(w.cf.opts.Local))
		for _, f := range []string{"accountId", "apiKey", "apiToken", "email", "baseUrl", "profile"} {
			v, _ := p.get(f)
			o.Set(f, v)
		}
	}
	adopt := value.Bool(req.Adopt)
	type started struct {
		h    *engine.Handle
		kind string
	}
	var all []started
	start := func(kind, id string, props *value.Object) error {
		h, err := req.Scope.Start(ctx, kind, id, props)
		if err != nil {
			return wrap(req, err)
		}
		all = append(all, started{h, kind})
		return nil
	}
	seen := map[string]bool{}
	if list, ok, err := p.array("domains"); err != nil {
		return nil, nil, err
	} else if ok {
		for i, d := range list {
			field := fmt.Sprintf("domains[%d]", i)
			o := value.NewObject(8)
			var host string
			a := value.Value(adopt)
			switch d := d.(type) {
			case value.String:
				host = string(d)
				o.Set("name", d)
			case *value.Object:
				host, _ = d.GetString("domainName")
				o.Set("name", value.String(host))
				v, _ := d.Get("zoneId")
				o.Set("zoneId", v)
				if v, ok := d.Get("adopt"); ok {
					a = v
				}
				o.Set("adopt", a)
				v, _ = d.Get("overrideExistingOrigin")
				o.Set("overrideExistingOrigin", v)
			default:
				return nil, nil, p.errorf(field, "must be a hostname or {domainName, zoneId?, adopt?}")
			}
			if host == "" {
				return nil, nil, p.errorf(field, "domain names cannot be empty")
			}
			if seen["d:"+host] {
				return nil, nil, p.errorf(field, "custom domain %s is listed twice", host)
			}
			seen["d:"+host] = true
			o.Set("adopt", a)
			common(o)
			o.Set("workerName", value.String(pl.name))
			// The library spreads dev after workerName; keep its order.
			dev, _ := o.Delete("dev")
			o.Set("dev", dev)
			for _, f := range []string{"accountId", "apiKey", "apiToken", "email", "baseUrl", "profile"} {
				if v, ok := o.Delete(f); ok {
					o.Set(f, v)
				}
			}
			if err := start(KindCustomDomain, host, o); err != nil {
				return nil, nil, err
			}
		}
	}
	if list, ok, err := p.array("eventSources"); err != nil {
		return nil, nil, err
	} else if ok {
		for i, es := range list {
			field := fmt.Sprintf("eventSources[%d]", i)
			eo, isObj := es.(*value.Object)
			if !isObj {
				return nil, nil, p.errorf(field, "must be a Queue or {queue, settings?}")
			}
			queue := value.Value(eo)
			var settings value.Value
			if kind, _ := eo.GetString(value.KeyKind); kind == KindQueue || (kind == "" && !eo.Has("queue")) {
				if dlq, ok := eo.Get("dlq"); ok {
					settings = value.Obj("deadLetterQueue", dlq)
				}
			} else {
				queue, _ = eo.Get("queue")
				settings, _ = eo.Get("settings")
			}
			qo, _ := queue.(*value.Object)
			qid, _ := qo.GetString("id")
			if w.cf.opts.Local {
				if dev, ok := qo.GetObject("dev"); ok {
					if id, ok := dev.GetString("id"); ok && id != "" {
						qid = id
					}
				}
			}
			if qid == "" {
				return nil, nil, p.errorf(field, "the queue has no id")
			}
			o := value.Obj("queue", queue, "scriptName", value.String(pl.name))
			o.Set("settings", settings)
			o.Set("adopt", adopt)
			common(o)
			if err := start(KindQueueConsumer, qid+"-consumer", o); err != nil {
				return nil, nil, err
			}
		}
	}
	if list, ok, err := p.array("routes"); err != nil {
		return nil, nil, err
	} else if ok {
		for i, r := range list {
			field := fmt.Sprintf("routes[%d]", i)
			o := value.NewObject(8)
			var pattern string
			a := value.Value(adopt)
			var zone value.Value
			switch r := r.(type) {
			case value.String:
				pattern = string(r)
			case *value.Object:
				pattern, _ = r.GetString("pattern")
				zone, _ = r.Get("zoneId")
				if v, ok := r.Get("adopt"); ok {
					a = v
				}
			default:
				return nil, nil, p.errorf(field, "must be a pattern or {pattern, zoneId?, adopt?}")
			}
			if pattern == "" {
				return nil, nil, p.errorf(field, "the route pattern is empty")
			}
			if seen["r:"+pattern] {
				return nil, nil, p.errorf(field, "route %s is listed twice", pattern)
			}
			seen["r:"+pattern] = true
			o.Set("pattern", value.String(pattern))
			o.Set("script", value.String(pl.name))
			o.Set("zoneId", zone)
			o.Set("adopt", a)
			common(o)
			if err := start(KindRoute, pattern, o); err != nil {
				return nil, nil, err
			}
		}
	}
	var errs []error
	var domainOuts, routeOuts value.Array
	for _, s := range all {
		out, err := s.h.Wait(ctx)
		switch {
		case err != nil:
			errs = append(errs, err)
		case s.kind == KindCustomDomain:
			domainOuts = append(domainOuts, out)
		case s.kind == KindRoute:
			routeOuts = append(routeOuts, out)
		}
	}
	if len(errs) > 0 {
		return nil, nil, errs[0]
	}
	if _, ok := p.get("domains"); ok {
		domains = orEmptyArray(domainOuts)
	}
	if _, ok := p.get("routes"); ok {
		routes = orEmptyArray(routeOuts)
	}
	return domains, routes, nil
}
