package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"slices"
	"strconv"
	"strings"

	"github.com/alchemy-go/alchemy/local/store"
)

var scriptFailures = map[error]failure{
	store.ErrNotFound: {http.StatusNotFound, 10007, "workers.api.error.script_not_found"},
	store.ErrInvalid:  {http.StatusBadRequest, 10021, ""},
}

// uploadFailure maps script upload errors to Cloudflare's codes.
func uploadFailure(w http.ResponseWriter, r *http.Request, err error) {
	var tagErr *store.MigrationTagError
	var bindErr *store.BindingError
	switch {
	case errors.As(err, &tagErr):
		writeError(w, r, http.StatusPreconditionFailed, 10079, tagErr.Error())
	case errors.As(err, &bindErr):
		code := 10021
		switch bindErr.Type {
		case "kv_namespace":
			code = 10042
		case "durable_object_namespace":
			code = 10061
		case "service":
			code = 10143
		case "r2_bucket":
			code = 10085
		case "d1":
			code = 10181
		case "queue":
			code = 11000
		}
		writeError(w, r, http.StatusBadRequest, code, bindErr.Reason)
	default:
		fail(w, r, err, scriptFailures)
	}
}

func (h *Handler) scriptJSON(sc *store.Script) map[string]any {
	set := sc.Settings
	flags := set.CompatibilityFlags
	if flags == nil {
		flags = []string{}
	}
	tags := set.Tags
	if tags == nil {
		tags = []string{}
	}
	usage := set.UsageModel
	if usage == "" {
		usage = "standard"
	}
	out := map[string]any{
		"id": sc.Name, "tag": sc.Tag, "etag": sc.ETag, "handlers": orEmpty(sc.Handlers), "named_handlers": []any{},
		"has_modules": sc.MainModule != "", "has_assets": sc.Assets != nil,
		"compatibility_date": set.CompatibilityDate, "compatibility_flags": flags,
		"created_on": sc.CreatedOn, "modified_on": sc.ModifiedOn, "usage_model": usage,
		"tags": tags, "logpush": set.Logpush, "last_deployed_from": "api", "startup_time_ms": 0,
	}
	if sc.MigrationTag != "" {
		out["migration_tag"] = sc.MigrationTag
	}
	if sc.VersionID != "" {
		out["deployment_id"] = sc.VersionID
	}
	if sc.MainModule != "" {
		out["entry_point"] = sc.MainModule
	}
	if set.Placement != nil {
		out["placement"] = set.Placement
	}
	if set.TailConsumers != nil {
		out["tail_consumers"] = set.TailConsumers
	}
	if set.Observability != nil {
		out["observability"] = set.Observability
	}
	return out
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (h *Handler) listScripts(w http.ResponseWriter, r *http.Request, acct string) {
	scs, err := h.st.Scripts(r.Context(), acct)
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	out := []map[string]any{}
	for _, sc := range scs {
		if tag := r.URL.Query().Get("tags"); tag != "" && !slices.Contains(sc.Settings.Tags, tag) {
			continue
		}
		out = append(out, h.scriptJSON(sc))
	}
	ok(w, out)
}

func (h *Handler) uploadScript(w http.ResponseWriter, r *http.Request, acct string) {
	up, err := parseUpload(r)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, 10021, err.Error())
		return
	}
	su, err := h.scriptUpload(r, up)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, 10021, err.Error())
		return
	}
	name := r.PathValue("script_name")
	if !h.checkUpload(w, r, acct, name, su) {
		return
	}
	sc, err := h.st.PutScript(r.Context(), acct, name, su)
	if err != nil {
		uploadFailure(w, r, err)
		return
	}
	ok(w, h.scriptJSON(sc))
}

// getScriptContent answers the script itself: the entry module raw, or all
// modules as multipart when there are several.
func (h *Handler) getScriptContent(w http.ResponseWriter, r *http.Request, acct string) {
	sc, err := h.st.Script(r.Context(), acct, r.PathValue("script_name"))
	if err != nil {
		fail(w, r, err, scriptFailures)
		return
	}
	w.Header().Set("Etag", strconv.Quote(sc.ETag))
	if len(sc.Modules) == 1 {
		m := sc.Modules[0]
		ct := m.ContentType
		if strings.HasPrefix(ct, "application/javascript") || strings.HasPrefix(ct, "text/javascript") {
			ct = "application/javascript" // modules and service workers alike, as Cloudflare answers
		}
		w.Header().Set("Content-Type", ct)
		w.Write(m.Content)
		return
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, m := range sc.Modules {
		hdr := textproto.MIMEHeader{}
		hdr.Set("Content-Disposition", `form-data; name="`+m.Name+`"; filename="`+m.Name+`"`)
		hdr.Set("Content-Type", m.ContentType)
		pw, _ := mw.CreatePart(hdr)
		pw.Write(m.Content)
	}
	mw.Close()
	w.Header().Set("Content-Type", mw.FormDataContentType())
	if entry, ok := sc.Entry(); ok {
		w.Header().Set("Cf-Entrypoint", entry.Name)
	}
	w.Write(buf.Bytes())
}

func (h *Handler) putScriptContent(w http.ResponseWriter, r *http.Request, acct string) {
	up, err := parseUpload(r)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, 10021, err.Error())
		return
	}
	main, body := up.meta.MainModule, up.meta.BodyPart
	if main == "" && body == "" {
		main, body = r.Header.Get("CF-WORKER-MAIN-MODULE-PART"), r.Header.Get("CF-WORKER-BODY-PART")
	}
	name := r.PathValue("script_name")
	if h.cfg.CheckScript != nil {
		prev, ok := h.previousScript(w, r, acct, name)
		if !ok {
			return
		}
		if prev != nil {
			next := *prev
			next.MainModule, next.BodyPart, next.Modules = main, body, up.modules
			if !h.checkCode(w, r, &next) {
				return
			}
		}
	}
	sc, err := h.st.UpdateScriptContent(r.Context(), acct, name, main, body, up.modules)
	if err != nil {
		fail(w, r, err, scriptFailures)
		return
	}
	ok(w, h.scriptJSON(sc))
}

func (h *Handler) deleteScript(w http.ResponseWriter, r *http.Request, acct string) {
	err := h.st.DeleteScript(r.Context(), acct, r.PathValue("script_name"), queryBool(r, "force"))
	var dep *store.ScriptDependencyError
	if errors.As(err, &dep) {
		writeError(w, r, http.StatusBadRequest, 10064, dep.Reason)
		return
	}
	if err != nil {
		fail(w, r, err, scriptFailures)
		return
	}
	ok(w, nil)
}

func redacted(bs []store.Binding) []store.Binding {
	out := make([]store.Binding, 0, len(bs))
	for _, b := range bs {
		out = append(out, b.Redacted())
	}
	return out
}

func (h *Handler) settingsJSON(sc *store.Script) map[string]any {
	set := sc.Settings
	usage := set.UsageModel
	if usage == "" {
		usage = "standard"
	}
	out := map[string]any{
		"bindings": redacted(set.Bindings), "compatibility_date": set.CompatibilityDate, "compatibility_flags": orEmpty(set.CompatibilityFlags),
		"logpush": set.Logpush, "tags": orEmpty(set.Tags), "usage_model": usage, "placement": map[string]any{}, "tail_consumers": []any{},
	}
	if sc.MigrationTag != "" {
		out["migration_tag"] = sc.MigrationTag
	}
	for k, v := range map[string]json.RawMessage{"observability": set.Observability, "placement": set.Placement, "limits": set.Limits, "tail_consumers": set.TailConsumers} {
		if v != nil {
			out[k] = v
		}
	}
	return out
}

func (h *Handler) getSettings(w http.ResponseWriter, r *http.Request, acct string) {
	sc, err := h.st.ScriptSummary(r.Context(), acct, r.PathValue("script_name"))
	if err != nil {
		fail(w, r, err, scriptFailures)
		return
	}
	ok(w, h.settingsJSON(sc))
}

// settingsPatchBody is the JSON of a settings change.
type settingsPatchBody struct {
	Bindings           *[]store.Binding `json:"bindings"`
	CompatibilityDate  *string          `json:"compatibility_date"`
	CompatibilityFlags *[]string        `json:"compatibility_flags"`
	Tags               *[]string        `json:"tags"`
	Logpush            *bool            `json:"logpush"`
	UsageModel         *string          `json:"usage_model"`
	Observability      json.RawMessage  `json:"observability"`
	Placement          json.RawMessage  `json:"placement"`
	Limits             json.RawMessage  `json:"limits"`
	TailConsumers      json.RawMessage  `json:"tail_consumers"`
}

func (p settingsPatchBody) toStore() store.SettingsPatch {
	return store.SettingsPatch{Bindings: p.Bindings, CompatibilityDate: p.CompatibilityDate, CompatibilityFlags: p.CompatibilityFlags,
		Tags: p.Tags, Logpush: p.Logpush, UsageModel: p.UsageModel, Observability: nullToNil(p.Observability),
		Placement: nullToNil(p.Placement), Limits: nullToNil(p.Limits), TailConsumers: nullToNil(p.TailConsumers)}
}

// readSettingsPatch reads a settings change sent as a multipart "settings"
// part (cloudflare-go, wrangler) or as a JSON body.
func readSettingsPatch(w http.ResponseWriter, r *http.Request) (settingsPatchBody, bool) {
	var p settingsPatchBody
	if mt := r.Header.Get("Content-Type"); len(mt) >= 19 && mt[:19] == "multipart/form-data" {
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			writeError(w, r, http.StatusBadRequest, 10021, "could not parse multipart body: "+err.Error())
			return p, false
		}
		raw := r.MultipartForm.Value["settings"]
		if len(raw) == 0 {
			if fh := r.MultipartForm.File["settings"]; len(fh) > 0 {
				f, err := fh[0].Open()
				if err == nil {
					var buf bytes.Buffer
					buf.ReadFrom(f)
					f.Close()
					raw = []string{buf.String()}
				}
			}
		}
		if len(raw) == 0 {
			writeError(w, r, http.StatusBadRequest, 10021, "missing settings part")
			return p, false
		}
		if err := json.Unmarshal([]byte(raw[0]), &p); err != nil {
			writeError(w, r, http.StatusBadRequest, 10026, "settings is not valid JSON: "+err.Error())
			return p, false
		}
		return p, true
	}
	return p, decodeJSON(w, r, &p)
}

func (h *Handler) patchSettings(w http.ResponseWriter, r *http.Request, acct string) {
	p, good := readSettingsPatch(w, r)
	if !good {
		return
	}
	sc, err := h.st.PatchScriptSettings(r.Context(), acct, r.PathValue("script_name"), p.toStore())
	if err != nil {
		uploadFailure(w, r, err)
		return
	}
	ok(w, h.settingsJSON(sc))
}

func scriptSettingsJSON(sc *store.Script) map[string]any {
	out := map[string]any{"logpush": sc.Settings.Logpush, "tags": orEmpty(sc.Settings.Tags), "tail_consumers": []any{}, "observability": map[string]any{"enabled": false}}
	if sc.Settings.TailConsumers != nil {
		out["tail_consumers"] = sc.Settings.TailConsumers
	}
	if sc.Settings.Observability != nil {
		out["observability"] = sc.Settings.Observability
	}
	return out
}

func (h *Handler) getScriptSettings(w http.ResponseWriter, r *http.Request, acct string) {
	sc, err := h.st.ScriptSummary(r.Context(), acct, r.PathValue("script_name"))
	if err != nil {
		fail(w, r, err, scriptFailures)
		return
	}
	ok(w, scriptSettingsJSON(sc))
}

func (h *Handler) patchScriptSettings(w http.ResponseWriter, r *http.Request, acct string) {
	var p settingsPatchBody
	if !decodeJSON(w, r, &p) {
		return
	}
	sp := store.SettingsPatch{Logpush: p.Logpush, Tags: p.Tags, Observability: nullToNil(p.Observability), TailConsumers: nullToNil(p.TailConsumers)}
	sc, err := h.st.PatchScriptSettings(r.Context(), acct, r.PathValue("script_name"), sp)
	if err != nil {
		fail(w, r, err, scriptFailures)
		return
	}
	ok(w, scriptSettingsJSON(sc))
}

func (h *Handler) getScriptSubdomain(w http.ResponseWriter, r *http.Request, acct string) {
	sc, err := h.st.ScriptSummary(r.Context(), acct, r.PathValue("script_name"))
	if err != nil {
		fail(w, r, err, scriptFailures)
		return
	}
	ok(w, map[string]bool{"enabled": sc.SubdomainEnabled, "previews_enabled": sc.PreviewsEnabled})
}

func (h *Handler) postScriptSubdomain(w http.ResponseWriter, r *http.Request, acct string) {
	var body struct {
		Enabled         bool  `json:"enabled"`
		PreviewsEnabled *bool `json:"previews_enabled"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	previews := body.Enabled
	if body.PreviewsEnabled != nil {
		previews = *body.PreviewsEnabled
	}
	if err := h.st.SetScriptSubdomain(r.Context(), acct, r.PathValue("script_name"), body.Enabled, previews); err != nil {
		fail(w, r, err, scriptFailures)
		return
	}
	ok(w, map[string]bool{"enabled": body.Enabled, "previews_enabled": previews})
}

func (h *Handler) deleteScriptSubdomain(w http.ResponseWriter, r *http.Request, acct string) {
	if err := h.st.SetScriptSubdomain(r.Context(), acct, r.PathValue("script_name"), false, false); err != nil {
		fail(w, r, err, scriptFailures)
		return
	}
	ok(w, map[string]bool{"enabled": false, "previews_enabled": false})
}

func (h *Handler) getSchedules(w http.ResponseWriter, r *http.Request, acct string) {
	sc, err := h.st.ScriptSummary(r.Context(), acct, r.PathValue("script_name"))
	if err != nil {
		fail(w, r, err, scriptFailures)
		return
	}
	ok(w, map[string]any{"schedules": sc.Schedules})
}

func (h *Handler) putSchedules(w http.ResponseWriter, r *http.Request, acct string) {
	var body []struct {
		Cron string `json:"cron"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	crons := make([]string, 0, len(body))
	for _, b := range body {
		crons = append(crons, b.Cron)
	}
	scheds, err := h.st.SetSchedules(r.Context(), acct, r.PathValue("script_name"), crons)
	if err != nil {
		fail(w, r, err, map[error]failure{store.ErrNotFound: scriptFailures[store.ErrNotFound], store.ErrInvalid: {http.StatusBadRequest, 10100, ""}})
		return
	}
	ok(w, map[string]any{"schedules": scheds})
}

func (h *Handler) listSecrets(w http.ResponseWriter, r *http.Request, acct string) {
	sc, err := h.st.ScriptSummary(r.Context(), acct, r.PathValue("script_name"))
	if err != nil {
		fail(w, r, err, scriptFailures)
		return
	}
	out := []store.Binding{}
	for _, b := range sc.Settings.Bindings {
		if b.IsSecret() {
			out = append(out, b.Redacted())
		}
	}
	ok(w, out)
}

func (h *Handler) putSecret(w http.ResponseWriter, r *http.Request, acct string) {
	var b store.Binding
	if !decodeJSON(w, r, &b) {
		return
	}
	if b.Type() == "" {
		b["type"] = "secret_text"
	}
	if !b.IsSecret() {
		writeError(w, r, http.StatusBadRequest, 10021, "secret type must be secret_text or secret_key")
		return
	}
	if err := h.st.PutSecret(r.Context(), acct, r.PathValue("script_name"), b); err != nil {
		uploadFailure(w, r, err)
		return
	}
	ok(w, b.Redacted())
}

func (h *Handler) getSecret(w http.ResponseWriter, r *http.Request, acct string) {
	sc, err := h.st.ScriptSummary(r.Context(), acct, r.PathValue("script_name"))
	if err != nil {
		fail(w, r, err, scriptFailures)
		return
	}
	for _, b := range sc.Settings.Bindings {
		if b.IsSecret() && b.Name() == r.PathValue("secret_name") {
			ok(w, b.Redacted())
			return
		}
	}
	writeError(w, r, http.StatusNotFound, 10056, "Secret not found")
}

func (h *Handler) deleteSecret(w http.ResponseWriter, r *http.Request, acct string) {
	err := h.st.DeleteSecret(r.Context(), acct, r.PathValue("script_name"), r.PathValue("secret_name"))
	if errors.Is(err, store.ErrNotFound) {
		if _, serr := h.st.ScriptSummary(r.Context(), acct, r.PathValue("script_name")); serr == nil {
			writeError(w, r, http.StatusNotFound, 10056, "Secret not found")
			return
		}
	}
	if err != nil {
		fail(w, r, err, scriptFailures)
		return
	}
	ok(w, nil)
}
