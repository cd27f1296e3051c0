package api

import (
	"net/http"
	"strings"

	"github.com/alchemy-go/alchemy/local/store"
)

type accountJSON struct {
	ID        string         `json:"id"`
	Name      string         `json:"name"`
	Type      string         `json:"type"`
	CreatedOn string         `json:"created_on"`
	Settings  map[string]any `json:"settings"`
}

func toAccount(a store.Account) accountJSON {
	return accountJSON{ID: a.ID, Name: a.Name, Type: "standard", CreatedOn: a.CreatedOn,
		Settings: map[string]any{"enforce_twofactor": false, "api_access_enabled": nil, "abuse_contact_email": nil}}
}

func (h *Handler) listAccounts(w http.ResponseWriter, r *http.Request) {
	a, err := h.st.Account(r.Context(), callerAccount(r))
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	items := []accountJSON{}
	if name := r.URL.Query().Get("name"); name == "" || strings.Contains(strings.ToLower(a.Name), strings.ToLower(name)) {
		items = append(items, toAccount(a))
	}
	page, info := pageOf(r, items, 20, 50)
	okInfo(w, page, info)
}

func (h *Handler) getAccount(w http.ResponseWriter, r *http.Request, acct string) {
	a, err := h.st.Account(r.Context(), acct)
	if err != nil {
		fail(w, r, err, map[error]failure{store.ErrNotFound: {http.StatusNotFound, 1003, "Account not found"}})
		return
	}
	ok(w, toAccount(a))
}

func (h *Handler) tokenID(r *http.Request) string {
	// A stable id per credential, not the credential itself.
	return store.HashID(r.Header.Get("Authorization") + r.Header.Get("X-Auth-Key"))
}

func (h *Handler) verifyUserToken(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") == "" {
		writeError(w, r, http.StatusBadRequest, 1001, `Missing "Authorization" header`)
		return
	}
	h.writeVerified(w, r)
}

func (h *Handler) verifyToken(w http.ResponseWriter, r *http.Request, acct string) {
	h.writeVerified(w, r)
}

func (h *Handler) writeVerified(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, envelope{Success: true, Errors: []apiErr{},
		Messages: []any{map[string]any{"code": 10000, "message": "This API Token is valid and active", "type": nil}},
		Result:   map[string]any{"id": h.tokenID(r), "status": "active"}})
}

func (h *Handler) getUser(w http.ResponseWriter, r *http.Request) {
	ok(w, map[string]any{
		"id": store.HashID("user:" + callerAccount(r)), "email": "user@localhost", "first_name": "Local", "last_name": "User",
		"username": "local", "country": nil, "zipcode": nil, "telephone": nil, "two_factor_authentication_enabled": false,
		"suspended": false, "has_pro_zones": false, "has_business_zones": false, "has_enterprise_zones": false,
		"created_on": "2024-01-01T00:00:00.000000Z", "modified_on": "2024-01-01T00:00:00.000000Z", "betas": []string{}, "organizations": []any{},
	})
}

func (h *Handler) listMemberships(w http.ResponseWriter, r *http.Request) {
	a, err := h.st.Account(r.Context(), callerAccount(r))
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	items := []map[string]any{{
		"id": store.HashID("membership:" + a.ID), "status": "accepted", "account": toAccount(a),
		"roles": []string{"Administrator"}, "permissions": map[string]any{},
	}}
	page, info := pageOf(r, items, 20, 50)
	okInfo(w, page, info)
}

// Workers subdomain of the account.

func (h *Handler) getSubdomain(w http.ResponseWriter, r *http.Request, acct string) {
	sub, err := h.st.Subdomain(r.Context(), acct)
	if err != nil {
		fail(w, r, err, map[error]failure{store.ErrNotFound: {http.StatusNotFound, 10007, "This account does not have a workers.dev subdomain. You need to register a workers.dev subdomain before publishing to workers.dev"}})
		return
	}
	ok(w, map[string]string{"subdomain": sub})
}

func (h *Handler) putSubdomain(w http.ResponseWriter, r *http.Request, acct string) {
	var body struct {
		Subdomain string `json:"subdomain"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	if err := h.st.SetSubdomain(r.Context(), acct, body.Subdomain); err != nil {
		fail(w, r, err, map[error]failure{
			store.ErrExists:  {http.StatusConflict, 10031, "Subdomain is unavailable"},
			store.ErrInvalid: {http.StatusBadRequest, 10033, ""},
		})
		return
	}
	ok(w, map[string]string{"subdomain": strings.ToLower(body.Subdomain)})
}

func (h *Handler) deleteSubdomain(w http.ResponseWriter, r *http.Request, acct string) {
	if err := h.st.DeleteSubdomain(r.Context(), acct); err != nil {
		fail(w, r, err, nil)
		return
	}
	ok(w, nil)
}
