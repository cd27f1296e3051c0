package api

import (
	"encoding/json"
	"net/http"

	"github.com/alchemy-go/alchemy/local/store"
)

func versionJSON(v store.Version, sc *store.Script) map[string]any {
	out := map[string]any{"id": v.ID, "number": v.Number, "annotations": v.Annotations,
		"metadata": map[string]any{"created_on": v.CreatedOn, "modified_on": v.CreatedOn, "source": v.Source,
			"author_id": "local", "author_email": "user@localhost", "hasPreview": false}}
	if sc != nil {
		out["resources"] = map[string]any{"bindings": redacted(sc.Settings.Bindings),
			"script":         map[string]any{"etag": sc.ETag, "handlers": orEmpty(sc.Handlers), "last_deployed_from": "api"},
			"script_runtime": map[string]any{"compatibility_date": sc.Settings.CompatibilityDate, "compatibility_flags": orEmpty(sc.Settings.CompatibilityFlags), "usage_model": "standard"}}
	}
	return out
}

func (h *Handler) listVersions(w http.ResponseWriter, r *http.Request, acct string) {
	name := r.PathValue("script_name")
	if _, err := h.st.ScriptSummary(r.Context(), acct, name); err != nil {
		fail(w, r, err, scriptFailures)
		return
	}
	vs, err := h.st.Versions(r.Context(), acct, name)
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	items := make([]map[string]any, 0, len(vs))
	for _, v := range vs {
		items = append(items, versionJSON(v, nil))
	}
	page, info := pageOf(r, items, 10, 100)
	okInfo(w, map[string]any{"items": page}, info)
}

func (h *Handler) getVersion(w http.ResponseWriter, r *http.Request, acct string) {
	name := r.PathValue("script_name")
	sc, err := h.st.ScriptSummary(r.Context(), acct, name)
	if err != nil {
		fail(w, r, err, scriptFailures)
		return
	}
	v, err := h.st.Version(r.Context(), acct, name, r.PathValue("version_id"))
	if err != nil {
		fail(w, r, err, map[error]failure{store.ErrNotFound: {http.StatusNotFound, 10215, "Version not found"}})
		return
	}
	ok(w, versionJSON(v, sc))
}

// newVersion uploads a version without deploying it. The live script does
// not change; the version is recorded with its annotations.
func (h *Handler) newVersion(w http.ResponseWriter, r *http.Request, acct string) {
	name := r.PathValue("script_name")
	sc, err := h.st.ScriptSummary(r.Context(), acct, name)
	if err != nil {
		fail(w, r, err, scriptFailures)
		return
	}
	up, err := parseUpload(r)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, 10021, err.Error())
		return
	}
	if up.meta.Migrations != nil {
		writeError(w, r, http.StatusBadRequest, 10211, "Migrations are not supported when uploading a version; deploy the script instead")
		return
	}
	if h.cfg.CheckScript != nil {
		if su, err := h.scriptUpload(r, up); err == nil && !h.checkUpload(w, r, acct, name, su) {
			return
		}
	}
	v, err := h.st.RecordVersion(r.Context(), acct, name, deploySource(r), up.meta.Annotations)
	if err != nil {
		fail(w, r, err, scriptFailures)
		return
	}
	ok(w, versionJSON(v, sc))
}

func (h *Handler) listDeployments(w http.ResponseWriter, r *http.Request, acct string) {
	name := r.PathValue("script_name")
	if _, err := h.st.ScriptSummary(r.Context(), acct, name); err != nil {
		fail(w, r, err, scriptFailures)
		return
	}
	ds, err := h.st.Deployments(r.Context(), acct, name)
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	out := make([]map[string]any, 0, len(ds))
	for _, d := range ds {
		out = append(out, deploymentJSON(d))
	}
	ok(w, map[string]any{"deployments": out})
}

func deploymentJSON(d store.Deployment) map[string]any {
	return map[string]any{"id": d.ID, "created_on": d.CreatedOn, "source": d.Source, "strategy": d.Strategy, "versions": d.Versions,
		"annotations": d.Annotations, "author_email": "user@localhost"}
}

func (h *Handler) createDeployment(w http.ResponseWriter, r *http.Request, acct string) {
	var body struct {
		Strategy    string                    `json:"strategy"`
		Versions    []store.DeploymentVersion `json:"versions"`
		Annotations json.RawMessage           `json:"annotations"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	name := r.PathValue("script_name")
	if _, err := h.st.ScriptSummary(r.Context(), acct, name); err != nil {
		fail(w, r, err, scriptFailures)
		return
	}
	d, err := h.st.Deploy(r.Context(), acct, name, body.Versions, nullToNil(body.Annotations))
	if err != nil {
		fail(w, r, err, map[error]failure{store.ErrNotFound: {http.StatusBadRequest, 10215, ""}, store.ErrInvalid: {http.StatusBadRequest, 10212, ""}})
		return
	}
	ok(w, deploymentJSON(d))
}

// getService is the undocumented services view of a script that Alchemy
// and wrangler use to check that a Worker exists.
func (h *Handler) getService(w http.ResponseWriter, r *http.Request, acct string) {
	sc, err := h.st.ScriptSummary(r.Context(), acct, r.PathValue("script_name"))
	if err != nil {
		fail(w, r, err, map[error]failure{store.ErrNotFound: {http.StatusNotFound, 10090, "This Worker does not exist on this account."}})
		return
	}
	script := h.scriptJSON(sc)
	env := map[string]any{"environment": "production", "created_on": sc.CreatedOn, "modified_on": sc.ModifiedOn, "script": script}
	ok(w, map[string]any{"id": sc.Name, "default_environment": env, "created_on": sc.CreatedOn, "modified_on": sc.ModifiedOn,
		"usage_model": "standard", "environments": []any{map[string]any{"environment": "production", "created_on": sc.CreatedOn, "modified_on": sc.ModifiedOn}}})
}
