package cloudflare

import (
	"context"
	"fmt"
	"net/http"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/value"
)

// Ids of routes and custom domains kept in state only under --dev.
const (
	noopRoute  = "noop-route"
	noopDomain = "noop-domain"
	noopZone   = "noop-zone"
)

// devNoop reports whether a Worker's route or custom domain is made under
// --dev (its dev prop), where it exists in state only.
func (c *Cloudflare) devNoop(p props) bool {
	dev, _ := p.boolean("dev", false)
	return c.opts.Local && dev
}

// routeProvider is cloudflare::Route: a zone route sending a pattern to a
// Worker.
type routeProvider struct{ cf *Cloudflare }

type routeJSON struct {
	ID      string `json:"id"`
	Pattern string `json:"pattern"`
	Script  string `json:"script"`
}

// scriptName reads a prop holding a Worker output or a script name.
func scriptName(p props, field string) (string, error) {
	v, ok := p.get(field)
	if !ok {
		return "", p.errorf(field, "is required")
	}
	switch v := v.(type) {
	case value.String:
		return string(v), nil
	case *value.Object:
		if name, ok := v.GetString("name"); ok {
			return name, nil
		}
	}
	return "", p.errorf(field, "must be a Worker or a script name, got %s", value.TypeName(v))
}

// zoneOf returns props.zoneId, or the zone inferred from host.
func zoneOf(ctx context.Context, cl *Client, p props, host string) (string, error) {
	if z, ok, err := p.str("zoneId"); err != nil || ok {
		return z, err
	}
	return cl.InferZone(ctx, host)
}

func (r *routeProvider) apply(ctx context.Context, req *engine.Request) (*value.Object, error) {
	cl, p, err := r.cf.clientOf(req)
	if err != nil {
		return nil, err
	}
	pattern, ok, err := p.str("pattern")
	if err != nil || !ok {
		return nil, p.errorf("pattern", "is required")
	}
	script, err := scriptName(p, "script")
	if err != nil {
		return nil, err
	}
	if r.cf.devNoop(p) {
		// Under --dev a Worker is served on localhost: its routes are kept
		// in state only, as the TypeScript library does.
		zone, _, _ := p.str("zoneId")
		if zone == "" {
			zone, _ = req.Output.GetString("zoneId")
		}
		id, _ := req.Output.GetString("id")
		return value.Obj("id", value.String(orDefault(id, noopRoute)), "pattern", value.String(pattern),
			"script", value.String(script), "zoneId", value.String(orDefault(zone, noopZone))), nil
	}
	zone, err := zoneOf(ctx, cl, p, pattern)
	if err != nil {
		return nil, wrap(req, err)
	}
	prevID, _ := req.Output.GetString("id")
	prevZone, _ := req.Output.GetString("zoneId")
	if prevID != "" && prevZone != zone {
		if err := r.Delete(ctx, req); err != nil {
			return nil, err
		}
		prevID = ""
	}
	base := "zones/" + zone + "/workers/routes"
	body := map[string]string{"pattern": pattern, "script": script}
	var res routeJSON
	update := func(id string) error {
		_, err := cl.Call(ctx, fmt.Sprintf("update route %q", pattern), http.MethodPut, base+"/"+id, body, &res)
		return err
	}
	err = updateOrCreate(prevID, update, func() error {
		return createOrAdopt(takeOver(req), func() error {
			_, err := cl.Call(ctx, fmt.Sprintf("create route %q", pattern), http.MethodPost, base, body, &res)
			return err
		}, func() (bool, error) {
			var list []routeJSON
			if _, err := cl.Call(ctx, fmt.Sprintf("list routes of zone %s", zone), http.MethodGet, base, nil, &list); err != nil {
				return false, err
			}
			for _, rt := range list {
				if rt.Pattern == pattern {
					return true, update(rt.ID)
				}
			}
			return false, nil
		})
	})
	if err != nil {
		return nil, wrap(req, err)
	}
	return value.Obj("id", value.String(res.ID), "pattern", value.String(orDefault(res.Pattern, pattern)),
		"script", value.String(orDefault(res.Script, script)), "zoneId", value.String(zone)), nil
}

// Create implements engine.Provider.
func (r *routeProvider) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return r.apply(ctx, req)
}

// Update implements engine.Provider.
func (r *routeProvider) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return r.apply(ctx, req)
}

// Delete implements engine.Provider.
func (r *routeProvider) Delete(ctx context.Context, req *engine.Request) error {
	cl, _, ok, err := r.cf.deleting(req)
	if err != nil || !ok {
		return err
	}
	id, _ := req.Output.GetString("id")
	zone, _ := req.Output.GetString("zoneId")
	if id == "" || zone == "" || id == noopRoute || zone == noopZone {
		return nil
	}
	_, err = cl.Call(ctx, fmt.Sprintf("delete route %s", id), http.MethodDelete, "zones/"+zone+"/workers/routes/"+id, nil, nil)
	return wrap(req, ignoreNotFound(err))
}

// domainProvider is cloudflare::CustomDomain: a hostname served by a
// Worker.
type domainProvider struct{ cf *Cloudflare }

type domainJSON struct {
	ID          string `json:"id"`
	Hostname    string `json:"hostname"`
	Service     string `json:"service"`
	Environment string `json:"environment"`
	ZoneID      string `json:"zone_id"`
}

func (d *domainProvider) apply(ctx context.Context, req *engine.Request) (*value.Object, error) {
	cl, p, err := d.cf.clientOf(req)
	if err != nil {
		return nil, err
	}
	host, ok, err := p.str("name")
	if err != nil || !ok || host == "" {
		return nil, p.errorf("name", "must be a hostname")
	}
	worker, ok, err := p.str("workerName")
	if err != nil || !ok {
		return nil, p.errorf("workerName", "is required")
	}
	env, _, err := p.str("environment")
	if err != nil {
		return nil, err
	}
	env = orDefault(env, "production")
	if d.cf.devNoop(p) {
		out := copyIdentityless(p.o)
		id, _ := req.Output.GetString("id")
		out.Set("id", value.String(orDefault(id, noopDomain)))
		zone, _, _ := p.str("zoneId")
		out.Set("zoneId", value.String(orDefault(zone, noopZone)))
		out.Set("environment", value.String(env))
		stampTimes(out, req, nowMillis(), true)
		return out, nil
	}
	zone, err := zoneOf(ctx, cl, p, host)
	if err != nil {
		return nil, wrap(req, err)
	}
	path, err := cl.accountPath(ctx, "workers/domains")
	if err != nil {
		return nil, wrap(req, err)
	}
	var list []domainJSON
	if _, err := cl.Call(ctx, "list Worker custom domains", http.MethodGet, path, nil, &list); err != nil {
		return nil, wrap(req, err)
	}
	var existing *domainJSON
	for i := range list {
		if list[i].Hostname == host && list[i].ZoneID == zone {
			existing = &list[i]
		}
	}
	if existing != nil && req.Op == engine.OpCreate && !takeOver(req) && existing.Service != worker {
		return nil, wrap(req, fmt.Errorf("custom domain %s already exists in zone %s (served by Worker %q): use adopt: true or --adopt to take it over",
			host, zone, existing.Service))
	}
	result := existing
	put := existing == nil || existing.Service != worker || existing.Environment != env
	if put {
		body := map[string]any{"zone_id": zone, "hostname": host, "service": worker, "environment": env}
		if v, ok := p.get("overrideExistingOrigin"); ok {
			body["override_existing_origin"] = v == value.Bool(true)
		}
		var res domainJSON
		if _, err := cl.Call(ctx, fmt.Sprintf("point custom domain %s at Worker %q", host, worker), http.MethodPut, path, body, &res); err != nil {
			return nil, wrap(req, err)
		}
		result = &res
	}
	out := copyIdentityless(p.o)
	out.Set("zoneId", value.String(zone))
	out.Set("id", value.String(result.ID))
	out.Set("environment", value.String(orDefault(result.Environment, env)))
	stampTimes(out, req, nowMillis(), put)
	return out, nil
}

// Create implements engine.Provider.
func (d *domainProvider) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return d.apply(ctx, req)
}

// Update implements engine.Provider.
func (d *domainProvider) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return d.apply(ctx, req)
}

// Delete implements engine.Provider.
func (d *domainProvider) Delete(ctx context.Context, req *engine.Request) error {
	cl, _, ok, err := d.cf.deleting(req)
	if err != nil || !ok {
		return err
	}
	id, _ := req.Output.GetString("id")
	if id == "" || id == noopDomain {
		return nil
	}
	return wrap(req, deleteInAccount(ctx, cl, fmt.Sprintf("delete custom domain %s", id), "workers/domains/"+id))
}

// subdomainProvider is cloudflare::WorkerSubdomain, kept for programs that
// call it: as in the TypeScript library it does nothing (a Worker manages
// its workers.dev subdomain through its url prop).
type subdomainProvider struct{}

// Create implements engine.Provider.
func (subdomainProvider) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return value.NewObject(0), nil
}

// Update implements engine.Provider.
func (subdomainProvider) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return value.NewObject(0), nil
}

// Delete implements engine.Provider.
func (subdomainProvider) Delete(ctx context.Context, req *engine.Request) error { return nil }
