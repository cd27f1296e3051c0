package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strings"

	"github.com/alchemy-go/alchemy/local/store"
)

// uploadMetadata is the "metadata" part of a script upload.
type uploadMetadata struct {
	MainModule         string            `json:"main_module"`
	BodyPart           string            `json:"body_part"`
	CompatibilityDate  string            `json:"compatibility_date"`
	CompatibilityFlags []string          `json:"compatibility_flags"`
	Bindings           []store.Binding   `json:"bindings"`
	Migrations         *store.Migrations `json:"migrations"`
	Observability      json.RawMessage   `json:"observability"`
	Logpush            bool              `json:"logpush"`
	Tags               []string          `json:"tags"`
	TailConsumers      json.RawMessage   `json:"tail_consumers"`
	Placement          json.RawMessage   `json:"placement"`
	Limits             json.RawMessage   `json:"limits"`
	UsageModel         string            `json:"usage_model"`
	KeepBindings       []string          `json:"keep_bindings"`
	KeepAssets         bool              `json:"keep_assets"`
	Assets             *struct {
		JWT    string          `json:"jwt"`
		Config json.RawMessage `json:"config"`
	} `json:"assets"`
	Annotations json.RawMessage `json:"annotations"`
}

// upload is a parsed multipart script upload.
type upload struct {
	meta    uploadMetadata
	modules []store.Module
}

// parseUpload reads a script upload as any of the three client dialects
// send it: modules are named by their filename (falling back to the part
// name: cloudflare-go names every module part "files"), and the part named
// "metadata" is JSON whatever its Content-Type.
func parseUpload(r *http.Request) (*upload, error) {
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" {
		return nil, fmt.Errorf("expected a multipart/form-data body, got %q", r.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(io.LimitReader(r.Body, 128<<20), params["boundary"])
	up := &upload{}
	sawMetadata := false
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading multipart body: %w", err)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, fmt.Errorf("reading part %q: %w", p.FormName(), err)
		}
		if p.FormName() == "metadata" {
			dec := json.NewDecoder(bytes.NewReader(data))
			if err := dec.Decode(&up.meta); err != nil {
				return nil, fmt.Errorf("metadata is not valid JSON: %w", err)
			}
			sawMetadata = true
			continue
		}
		name := p.FileName()
		if name == "" || name == "blob" {
			name = p.FormName()
		}
		ct := p.Header.Get("Content-Type")
		if ct == "" {
			ct = guessContentType(name)
		}
		up.modules = append(up.modules, store.Module{Name: name, ContentType: ct, Content: data})
	}
	if !sawMetadata {
		return nil, fmt.Errorf("missing metadata part")
	}
	return up, nil
}

func guessContentType(name string) string {
	switch path.Ext(name) {
	case ".js", ".mjs":
		return "application/javascript+module"
	case ".cjs":
		return "application/javascript"
	case ".wasm":
		return "application/wasm"
	case ".map":
		return "application/source-map"
	case ".py":
		return "text/x-python"
	case ".txt", ".html", ".css":
		return "text/plain"
	}
	return "application/octet-stream"
}

// scriptUpload turns a parsed upload into the store's form.
func (h *Handler) scriptUpload(r *http.Request, up *upload) (store.ScriptUpload, error) {
	m := up.meta
	su := store.ScriptUpload{MainModule: m.MainModule, BodyPart: m.BodyPart, Modules: up.modules, Migrations: m.Migrations,
		KeepBindings: m.KeepBindings, KeepAssets: m.KeepAssets, Annotations: m.Annotations, Source: deploySource(r),
		Settings: store.ScriptSettings{Bindings: m.Bindings, CompatibilityDate: m.CompatibilityDate, CompatibilityFlags: m.CompatibilityFlags,
			Tags: m.Tags, Logpush: m.Logpush, UsageModel: m.UsageModel, Observability: nullToNil(m.Observability), Placement: nullToNil(m.Placement),
			Limits: nullToNil(m.Limits), TailConsumers: nullToNil(m.TailConsumers)}}
	if su.Settings.Bindings == nil {
		su.Settings.Bindings = []store.Binding{}
	}
	if m.Assets != nil && m.Assets.JWT != "" {
		var tok assetToken
		if err := h.st.OpenToken(m.Assets.JWT, &tok); err != nil || tok.Kind != "complete" {
			return su, fmt.Errorf("assets.jwt is not a completion token of this server")
		}
		su.Assets = &store.Assets{Manifest: tok.Manifest, Config: nullToNil(m.Assets.Config)}
	}
	return su, nil
}

func nullToNil(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return raw
}

// deploySource names the client for versions' metadata.source.
func deploySource(r *http.Request) string {
	ua := strings.ToLower(r.Header.Get("User-Agent"))
	switch {
	case strings.Contains(ua, "wrangler"):
		return "wrangler"
	case strings.Contains(ua, "terraform"):
		return "terraform"
	}
	return "api"
}
