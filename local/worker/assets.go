package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/alchemy-go/alchemy/local/store"
)

// assetConfig is the serving configuration of a Worker's static assets
// (metadata.assets.config of the upload).
type assetConfig struct {
	HTMLHandling     string          `json:"html_handling"`
	NotFoundHandling string          `json:"not_found_handling"`
	RunWorkerFirst   json.RawMessage `json:"run_worker_first"`
}

// assetServer answers requests from a version's static assets.
type assetServer struct {
	manifest map[string]store.AssetEntry
	cfg      assetConfig
	first    bool     // run_worker_first: true
	globs    []string // run_worker_first: [globs]
}

func newAssetServer(a *store.Assets) *assetServer {
	if a == nil || len(a.Manifest) == 0 {
		return nil
	}
	s := &assetServer{manifest: a.Manifest}
	if len(a.Config) > 0 {
		_ = json.Unmarshal(a.Config, &s.cfg)
	}
	if len(s.cfg.RunWorkerFirst) > 0 {
		if json.Unmarshal(s.cfg.RunWorkerFirst, &s.first) != nil {
			_ = json.Unmarshal(s.cfg.RunWorkerFirst, &s.globs)
		}
	}
	return s
}

// workerFirst reports whether a path goes to the Worker before assets.
func (s *assetServer) workerFirst(p string) bool {
	if s.first {
		return true
	}
	for _, g := range s.globs {
		if neg, ok := strings.CutPrefix(g, "!"); ok && globMatch(neg, p) {
			return false
		}
	}
	for _, g := range s.globs {
		if !strings.HasPrefix(g, "!") && globMatch(g, p) {
			return true
		}
	}
	return false
}

// globMatch matches run_worker_first patterns: "*" within a segment, and a
// trailing "/*" for everything below a directory.
func globMatch(pattern, p string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "/*"); ok && (p == prefix || strings.HasPrefix(p, prefix+"/")) {
		return true
	}
	ok, _ := path.Match(pattern, p)
	return ok
}

// lookup finds the asset for a request path under the HTML handling
// rules, and the status to answer with.
func (s *assetServer) lookup(p string, navigation bool) (store.AssetEntry, int, bool) {
	if e, ok := s.resolve(p); ok {
		return e, http.StatusOK, true
	}
	switch s.cfg.NotFoundHandling {
	case "single-page-application":
		if navigation {
			if e, ok := s.manifest["/index.html"]; ok {
				return e, http.StatusOK, true
			}
		}
	case "404-page":
		for dir := path.Dir(p); ; dir = path.Dir(dir) {
			if e, ok := s.manifest[path.Join(dir, "404.html")]; ok {
				return e, http.StatusNotFound, true
			}
			if dir == "/" {
				break
			}
		}
	}
	return store.AssetEntry{}, 0, false
}

func (s *assetServer) resolve(p string) (store.AssetEntry, bool) {
	candidates := []string{p}
	if s.cfg.HTMLHandling != "none" {
		if strings.HasSuffix(p, "/") {
			candidates = append(candidates, p+"index.html")
		} else {
			candidates = append(candidates, p+".html", p+"/index.html")
		}
	}
	for _, c := range candidates {
		if e, ok := s.manifest[c]; ok {
			return e, true
		}
	}
	return store.AssetEntry{}, false
}

// serve writes an asset, or reports false when none matches.
func (s *assetServer) serve(ctx context.Context, st *store.Store, w http.ResponseWriter, r *http.Request) (bool, error) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false, nil
	}
	e, status, ok := s.lookup(r.URL.Path, strings.Contains(r.Header.Get("Accept"), "text/html"))
	if !ok {
		return false, nil
	}
	ctype, content, err := st.Asset(ctx, e.Hash)
	if errors.Is(err, store.ErrNotFound) {
		return false, fmt.Errorf("asset %s (%s) is in the manifest but was never uploaded", r.URL.Path, e.Hash)
	}
	if err != nil {
		return false, err
	}
	if ctype == "" || ctype == "application/octet-stream" {
		if t := mime.TypeByExtension(path.Ext(r.URL.Path)); t != "" {
			ctype = t
		}
	}
	etag := strconv.Quote(e.Hash)
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=0, must-revalidate")
	if status == http.StatusOK && r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return true, nil
	}
	h.Set("Content-Length", strconv.Itoa(len(content)))
	w.WriteHeader(status)
	if r.Method == http.MethodGet {
		_, _ = w.Write(content)
	}
	return true, nil
}

// recorder is a ResponseWriter that keeps the response, for the ASSETS
// binding.
type recorder struct {
	status int
	header http.Header
	body   []byte
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(status int)      { r.status = status }
func (r *recorder) Write(b []byte) (int, error) { r.body = append(r.body, b...); return len(b), nil }

// fetchAsset answers an ASSETS binding's fetch: the asset for the request,
// or a 404.
func (s *assetServer) fetchAsset(ctx context.Context, st *store.Store, req httpRequest) (*httpResponse, error) {
	hr, err := http.NewRequestWithContext(ctx, req.method, req.url, nil)
	if err != nil {
		return nil, err
	}
	for i := 0; i+1 < len(req.header); i += 2 {
		hr.Header.Add(req.header[i], req.header[i+1])
	}
	rec := &recorder{status: http.StatusOK, header: http.Header{}}
	ok := false
	if s != nil {
		if ok, err = s.serve(ctx, st, rec, hr); err != nil {
			return nil, err
		}
	}
	if !ok {
		return &httpResponse{status: http.StatusNotFound, header: []string{"content-type", "text/plain;charset=UTF-8"}, body: []byte("Not Found")}, nil
	}
	res := &httpResponse{status: rec.status, body: rec.body}
	for k, vs := range rec.header {
		for _, v := range vs {
			res.header = append(res.header, strings.ToLower(k), v)
		}
	}
	if res.body == nil {
		res.body = []byte{}
	}
	return res, nil
}
