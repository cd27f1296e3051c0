package api

import (
	"context"
	"net/http"

	"github.com/alchemy-go/alchemy/local/store"
)

type zoneJSON struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Status      string            `json:"status"`
	Paused      bool              `json:"paused"`
	Type        string            `json:"type"`
	Account     map[string]string `json:"account"`
	NameServers []string          `json:"name_servers"`
	CreatedOn   string            `json:"created_on"`
	ModifiedOn  string            `json:"modified_on"`
	ActivatedOn string            `json:"activated_on"`
	Meta        map[string]any    `json:"meta"`
	Owner       map[string]any    `json:"owner"`
	Plan        map[string]any    `json:"plan"`
	DevMode     int               `json:"development_mode"`
	OrigNS      []string          `json:"original_name_servers"`
	OrigReg     *string           `json:"original_registrar"`
	OrigDNSHost *string           `json:"original_dnshost"`
}

func (h *Handler) toZone(ctx context.Context, z store.Zone) zoneJSON {
	name := ""
	if a, err := h.st.Account(ctx, z.AccountID); err == nil {
		name = a.Name
	}
	return zoneJSON{ID: z.ID, Name: z.Name, Status: z.Status, Type: "full", Account: map[string]string{"id": z.AccountID, "name": name},
		NameServers: []string{"ns1.localhost", "ns2.localhost"}, CreatedOn: z.CreatedOn, ModifiedOn: z.ModifiedOn, ActivatedOn: z.CreatedOn,
		Meta: map[string]any{"page_rule_quota": 3, "phishing_detected": false}, Owner: map[string]any{"id": store.HashID("user:" + z.AccountID), "name": "user@localhost", "type": "user"},
		Plan: map[string]any{"id": "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "name": "Free Website", "price": 0, "currency": "USD", "frequency": "", "is_subscribed": false,
			"can_subscribe": false, "legacy_id": "free", "legacy_discount": false, "externally_managed": false},
		OrigNS: []string{}}
}

// zone wraps a handler of /zones/{zone_id}/…: the zone must belong to the
// caller's account.
func (h *Handler) zone(fn func(w http.ResponseWriter, r *http.Request, z store.Zone)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		z, err := h.st.Zone(r.Context(), r.PathValue("zone_id"))
		if err != nil || z.AccountID != callerAccount(r) {
			writeError(w, r, http.StatusNotFound, 1001, "Invalid zone identifier")
			return
		}
		fn(w, r, z)
	}
}

func (h *Handler) listZones(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	acct := callerAccount(r)
	if id := q.Get("account.id"); id != "" && id != acct {
		okInfo(w, []zoneJSON{}, pageInfo{Page: 1, PerPage: 20})
		return
	}
	zs, err := h.st.Zones(r.Context(), acct, q.Get("name"))
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	items := make([]zoneJSON, 0, len(zs))
	for _, z := range zs {
		items = append(items, h.toZone(r.Context(), z))
	}
	page, info := pageOf(r, items, 20, 50)
	okInfo(w, page, info)
}

func (h *Handler) createZone(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name    string `json:"name"`
		Account struct {
			ID string `json:"id"`
		} `json:"account"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	acct := callerAccount(r)
	if body.Account.ID != "" && body.Account.ID != acct {
		writeError(w, r, http.StatusForbidden, 9109, "Unauthorized to access requested resource")
		return
	}
	z, err := h.st.CreateZone(r.Context(), acct, body.Name)
	if err != nil {
		fail(w, r, err, map[error]failure{
			store.ErrExists:  {http.StatusBadRequest, 1061, body.Name + " already exists"},
			store.ErrInvalid: {http.StatusBadRequest, 1099, ""},
		})
		return
	}
	ok(w, h.toZone(r.Context(), z))
}

func (h *Handler) getZone(w http.ResponseWriter, r *http.Request, z store.Zone) {
	ok(w, h.toZone(r.Context(), z))
}

func (h *Handler) deleteZone(w http.ResponseWriter, r *http.Request, z store.Zone) {
	if err := h.st.DeleteZone(r.Context(), z.ID); err != nil {
		fail(w, r, err, nil)
		return
	}
	ok(w, map[string]string{"id": z.ID})
}

type routeJSON struct {
	ID      string `json:"id"`
	Pattern string `json:"pattern"`
	Script  string `json:"script,omitempty"`
}

func toRoute(rt store.Route) routeJSON {
	return routeJSON{ID: rt.ID, Pattern: rt.Pattern, Script: rt.Script}
}

var routeFailures = map[error]failure{
	store.ErrExists:   {http.StatusConflict, 10020, "A route with the same pattern already exists"},
	store.ErrNotFound: {http.StatusNotFound, 10005, "Route not found"},
	store.ErrInvalid:  {http.StatusBadRequest, 10022, ""},
}

func (h *Handler) listRoutes(w http.ResponseWriter, r *http.Request, z store.Zone) {
	rs, err := h.st.Routes(r.Context(), z.ID)
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	out := make([]routeJSON, 0, len(rs))
	for _, rt := range rs {
		out = append(out, toRoute(rt))
	}
	ok(w, out)
}

func (h *Handler) createRoute(w http.ResponseWriter, r *http.Request, z store.Zone) {
	var body routeJSON
	if !decodeJSON(w, r, &body) {
		return
	}
	rt, err := h.st.CreateRoute(r.Context(), z.ID, body.Pattern, body.Script)
	if err != nil {
		fail(w, r, err, routeFailures)
		return
	}
	ok(w, toRoute(rt))
}

func (h *Handler) getRoute(w http.ResponseWriter, r *http.Request, z store.Zone) {
	rt, err := h.st.Route(r.Context(), z.ID, r.PathValue("route_id"))
	if err != nil {
		fail(w, r, err, routeFailures)
		return
	}
	ok(w, toRoute(rt))
}

func (h *Handler) updateRoute(w http.ResponseWriter, r *http.Request, z store.Zone) {
	var body routeJSON
	if !decodeJSON(w, r, &body) {
		return
	}
	rt, err := h.st.UpdateRoute(r.Context(), z.ID, r.PathValue("route_id"), body.Pattern, body.Script)
	if err != nil {
		fail(w, r, err, routeFailures)
		return
	}
	ok(w, toRoute(rt))
}

func (h *Handler) deleteRoute(w http.ResponseWriter, r *http.Request, z store.Zone) {
	id := r.PathValue("route_id")
	if err := h.st.DeleteRoute(r.Context(), z.ID, id); err != nil {
		fail(w, r, err, routeFailures)
		return
	}
	ok(w, map[string]string{"id": id})
}

type domainJSON struct {
	ID          string `json:"id"`
	CertID      string `json:"cert_id"`
	Environment string `json:"environment"`
	Hostname    string `json:"hostname"`
	Service     string `json:"service"`
	ZoneID      string `json:"zone_id"`
	ZoneName    string `json:"zone_name"`
}

func toDomain(d store.CustomDomain) domainJSON {
	return domainJSON{ID: d.ID, CertID: d.CertID, Environment: d.Environment, Hostname: d.Hostname, Service: d.Service, ZoneID: d.ZoneID, ZoneName: d.ZoneName}
}

func (h *Handler) putDomain(w http.ResponseWriter, r *http.Request, acct string) {
	var body struct {
		Hostname    string `json:"hostname"`
		Service     string `json:"service"`
		Environment string `json:"environment"`
		ZoneID      string `json:"zone_id"`
		ZoneName    string `json:"zone_name"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	d, err := h.st.PutCustomDomain(r.Context(), store.CustomDomain{AccountID: acct, Hostname: body.Hostname, Service: body.Service,
		Environment: body.Environment, ZoneID: body.ZoneID, ZoneName: body.ZoneName})
	if err != nil {
		fail(w, r, err, map[error]failure{
			store.ErrNotFound: {http.StatusBadRequest, 100117, ""},
			store.ErrExists:   {http.StatusConflict, 100116, "Hostname is already in use by another account"},
			store.ErrInvalid:  {http.StatusBadRequest, 100119, ""},
		})
		return
	}
	ok(w, toDomain(d))
}

func (h *Handler) listDomains(w http.ResponseWriter, r *http.Request, acct string) {
	q := r.URL.Query()
	ds, err := h.st.CustomDomains(r.Context(), acct, store.CustomDomainFilter{Hostname: q.Get("hostname"), Service: q.Get("service"),
		ZoneID: q.Get("zone_id"), ZoneName: q.Get("zone_name"), Environment: q.Get("environment")})
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	out := make([]domainJSON, 0, len(ds))
	for _, d := range ds {
		out = append(out, toDomain(d))
	}
	ok(w, out)
}

var domainNotFound = map[error]failure{store.ErrNotFound: {http.StatusNotFound, 100114, "Domain not found"}}

func (h *Handler) getDomain(w http.ResponseWriter, r *http.Request, acct string) {
	d, err := h.st.CustomDomain(r.Context(), acct, r.PathValue("domain_id"))
	if err != nil {
		fail(w, r, err, domainNotFound)
		return
	}
	ok(w, toDomain(d))
}

func (h *Handler) deleteDomain(w http.ResponseWriter, r *http.Request, acct string) {
	if err := h.st.DeleteCustomDomain(r.Context(), acct, r.PathValue("domain_id")); err != nil {
		fail(w, r, err, domainNotFound)
		return
	}
	ok(w, nil)
}
