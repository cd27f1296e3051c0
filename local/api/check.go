package api

import (
	"errors"
	"net/http"

	"github.com/alchemy-go/alchemy/local/store"
)

// checkCode asks the Worker runtime whether a script with new code can run,
// before it is stored, and answers Cloudflare's 400 with code 10021 naming
// the error when it cannot (Cloudflare reports a Worker that throws at
// startup this way, its exception in the message). It reports whether the
// upload may go on. Without a checker every upload may.
func (h *Handler) checkCode(w http.ResponseWriter, r *http.Request, sc *store.Script) bool {
	if h.cfg.CheckScript == nil {
		return true
	}
	if _, ok := sc.Entry(); !ok {
		return true // the store rejects it with its own message
	}
	if err := h.cfg.CheckScript(r.Context(), sc.AccountID, sc); err != nil {
		writeError(w, r, http.StatusBadRequest, 10021, err.Error())
		return false
	}
	return true
}

// checkUpload checks the script an upload of su would store under name
// (checkCode), when a checker is set.
func (h *Handler) checkUpload(w http.ResponseWriter, r *http.Request, acct, name string, su store.ScriptUpload) bool {
	if h.cfg.CheckScript == nil {
		return true
	}
	prev, ok := h.previousScript(w, r, acct, name)
	return ok && h.checkCode(w, r, uploadedScript(acct, name, prev, su))
}

// previousScript is the script an upload replaces, nil when it is new.
func (h *Handler) previousScript(w http.ResponseWriter, r *http.Request, acct, name string) (*store.Script, bool) {
	prev, err := h.st.Script(r.Context(), acct, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, true
	}
	if err != nil {
		fail(w, r, err, scriptFailures)
		return nil, false
	}
	return prev, true
}

// uploadedScript is the script an upload would store over prev: its code
// and settings, with bindings carried over from prev as the store carries
// them (inherited bindings, secrets sent without a value, keep_bindings).
func uploadedScript(acct, name string, prev *store.Script, su store.ScriptUpload) *store.Script {
	sc := &store.Script{AccountID: acct, Name: name, MainModule: su.MainModule, BodyPart: su.BodyPart,
		Modules: su.Modules, Settings: su.Settings, Assets: su.Assets}
	if prev == nil {
		return sc
	}
	sc.Settings.Bindings = store.MergeBindings(prev.Settings.Bindings, su.Settings.Bindings, su.KeepBindings)
	if sc.Assets == nil && su.KeepAssets {
		sc.Assets = prev.Assets
	}
	sc.VersionID, sc.ModifiedOn = prev.VersionID, prev.ModifiedOn
	return sc
}
