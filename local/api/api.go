// Package api serves Cloudflare's REST API (the subset Alchemy, wrangler
// and cloudflare-go use) over a store.Store: paths, envelopes, pagination,
// error codes and authentication as Cloudflare's.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/alchemy-go/alchemy/local/store"
)

// Config configures the API.
type Config struct {
	Store *store.Store
	// DefaultAccount is the account of a token not listed in Tokens.
	DefaultAccount string
	// Tokens maps API tokens to the account they may use.
	Tokens map[string]string
	// AnyToken accepts any well-formed credential as DefaultAccount's.
	AnyToken bool
	// CheckScript, when set, is asked whether the code of a script about
	// to be uploaded can run; an error rejects the upload with 400 and code
	// 10021 before anything is stored.
	CheckScript func(ctx context.Context, account string, sc *store.Script) error
}

// Handler is the API as an http.Handler. Requests are accepted under
// /client/v4/ and at the root.
type Handler struct {
	cfg Config
	st  *store.Store
	mux *http.ServeMux
}

// New builds the handler.
func New(cfg Config) *Handler {
	h := &Handler{cfg: cfg, st: cfg.Store, mux: http.NewServeMux()}
	h.routes()
	return h
}

// Trace collects what the request log records about a request: the
// account it acted for and the first Cloudflare error code it answered.
type Trace struct {
	Account string
	Code    int
}

type traceKey struct{}

// WithTrace returns a context carrying a fresh Trace for one request.
func WithTrace(ctx context.Context) (context.Context, *Trace) {
	t := &Trace{}
	return context.WithValue(ctx, traceKey{}, t), t
}

func traceOf(r *http.Request) *Trace {
	t, _ := r.Context().Value(traceKey{}).(*Trace)
	return t
}

// ServeHTTP strips the /client/v4 prefix, authenticates and dispatches.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p, ok := strings.CutPrefix(r.URL.Path, "/client/v4"); ok && (p == "" || p[0] == '/') {
		r2 := r.Clone(r.Context())
		r2.URL.Path = p
		if r.URL.RawPath != "" {
			r2.URL.RawPath = strings.TrimPrefix(r.URL.RawPath, "/client/v4")
		}
		r = r2
	}
	_, pattern := h.mux.Handler(r)
	if pattern == "" {
		writeError(w, r, http.StatusNotFound, 7003, "No route for the URI")
		return
	}
	if pattern == assetUploadPattern {
		h.mux.ServeHTTP(w, r) // authorised by its upload session token
		return
	}
	account, ok := h.authenticate(w, r)
	if !ok {
		return
	}
	if t := traceOf(r); t != nil {
		t.Account = account
	}
	r = r.WithContext(context.WithValue(r.Context(), accountKey{}, account))
	h.mux.ServeHTTP(w, r)
}

const assetUploadPattern = "POST /accounts/{account_id}/workers/assets/upload"

type accountKey struct{}

// callerAccount is the account the request's credentials belong to.
func callerAccount(r *http.Request) string {
	a, _ := r.Context().Value(accountKey{}).(string)
	return a
}

// authenticate checks the credentials and returns their account.
func (h *Handler) authenticate(w http.ResponseWriter, r *http.Request) (string, bool) {
	authz := r.Header.Get("Authorization")
	key, email := r.Header.Get("X-Auth-Key"), r.Header.Get("X-Auth-Email")
	var token string
	switch {
	case authz != "":
		t, ok := strings.CutPrefix(authz, "Bearer ")
		if !ok || strings.TrimSpace(t) == "" || strings.ContainsAny(t, " \t") {
			writeErrors(w, r, http.StatusBadRequest, []apiErr{{Code: 6003, Message: "Invalid request headers",
				Chain: []apiErr{{Code: 6111, Message: "Invalid format for Authorization header"}}}})
			return "", false
		}
		token = t
	case key != "" && email != "":
		token = key
	case r.Header.Get("X-Auth-User-Service-Key") != "":
		token = r.Header.Get("X-Auth-User-Service-Key")
	default:
		writeError(w, r, http.StatusBadRequest, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers")
		return "", false
	}
	if acct, ok := h.cfg.Tokens[token]; ok {
		return acct, true
	}
	if h.cfg.AnyToken {
		return h.cfg.DefaultAccount, true
	}
	if strings.HasSuffix(r.URL.Path, "/tokens/verify") {
		writeError(w, r, http.StatusUnauthorized, 1000, "Invalid API Token")
		return "", false
	}
	writeError(w, r, http.StatusForbidden, 10000, "Authentication error")
	return "", false
}

// account wraps a handler of /accounts/{account_id}/…: the path's account
// must be the caller's.
func (h *Handler) account(fn func(w http.ResponseWriter, r *http.Request, acct string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		acct := r.PathValue("account_id")
		if acct != callerAccount(r) {
			writeError(w, r, http.StatusForbidden, 9109, "Unauthorized to access requested resource")
			return
		}
		fn(w, r, acct)
	}
}

// apiErr is one entry of an envelope's errors.
type apiErr struct {
	Code    int      `json:"code"`
	Message string   `json:"message"`
	Chain   []apiErr `json:"error_chain,omitempty"`
}

type envelope struct {
	Success    bool     `json:"success"`
	Errors     []apiErr `json:"errors"`
	Messages   []any    `json:"messages"`
	Result     any      `json:"result"`
	ResultInfo any      `json:"result_info,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(raw)
}

// ok answers 200 with result in a success envelope.
func ok(w http.ResponseWriter, result any) {
	writeJSON(w, http.StatusOK, envelope{Success: true, Errors: []apiErr{}, Messages: []any{}, Result: result})
}

// okInfo answers 200 with result and result_info.
func okInfo(w http.ResponseWriter, result, info any) {
	writeJSON(w, http.StatusOK, envelope{Success: true, Errors: []apiErr{}, Messages: []any{}, Result: result, ResultInfo: info})
}

func writeError(w http.ResponseWriter, r *http.Request, status, code int, msg string) {
	writeErrors(w, r, status, []apiErr{{Code: code, Message: msg}})
}

func writeErrors(w http.ResponseWriter, r *http.Request, status int, errs []apiErr) {
	if t := traceOf(r); t != nil && t.Code == 0 && len(errs) > 0 {
		t.Code = errs[0].Code
	}
	if status == http.StatusConflict {
		// A conflict will not go away by itself; tell retrying clients so.
		w.Header().Set("X-Should-Retry", "false")
	}
	writeJSON(w, status, envelope{Success: false, Errors: errs, Messages: []any{}, Result: nil})
}

// failure maps a store error to a Cloudflare error.
type failure struct {
	status int
	code   int
	msg    string // "" = the error's own text
}

// fail answers err with the failure registered for its sentinel in m, or
// with a 500 (code 10001) that carries the message.
func fail(w http.ResponseWriter, r *http.Request, err error, m map[error]failure) {
	var d1err *store.D1Error
	if errors.As(err, &d1err) {
		writeError(w, r, http.StatusBadRequest, 7500, d1Message(d1err))
		return
	}
	for _, sentinel := range []error{store.ErrNotFound, store.ErrExists, store.ErrNotEmpty, store.ErrInvalid, store.ErrPrecondition} {
		if !errors.Is(err, sentinel) {
			continue
		}
		f, ok := m[sentinel]
		if !ok {
			switch sentinel {
			case store.ErrInvalid:
				f = failure{http.StatusBadRequest, 10001, ""}
			case store.ErrNotFound:
				f = failure{http.StatusNotFound, 10001, ""}
			default:
				continue
			}
		}
		msg := f.msg
		if msg == "" {
			msg = cleanMessage(err)
		}
		writeError(w, r, f.status, f.code, msg)
		return
	}
	writeError(w, r, http.StatusInternalServerError, 10001, err.Error())
}

// cleanMessage is the error text without the store's sentinel suffixes.
func cleanMessage(err error) string {
	var be *store.BindingError
	if errors.As(err, &be) {
		return be.Reason
	}
	return err.Error()
}

// decodeJSON reads a JSON body into v, answering 400 on bad input.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil {
		writeError(w, r, http.StatusBadRequest, 10001, "could not read the request body: "+err.Error())
		return false
	}
	if err := json.Unmarshal(body, v); err != nil {
		writeError(w, r, http.StatusBadRequest, 10026, fmt.Sprintf("Could not parse request body: %v", err))
		return false
	}
	return true
}
