// Package oacheck validates HTTP traffic against Cloudflare's OpenAPI
// description. Tests wrap the local Cloudflare's API handler with it: every
// request and response whose route the description has is checked, and
// mismatches are collected as violations. Routes the description lacks are
// passed through unchecked.
package oacheck

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// OutsideSpecHeader marks a request a test sends outside the description on
// purpose (to check the server's tolerance); its request is not validated,
// its response still is.
const OutsideSpecHeader = "X-Oacheck-Outside-Spec"

// Spec is a loaded OpenAPI description with its router. Loading the 4 MB
// Cloudflare description takes about a second and a half, so tests load it
// once and share it.
type Spec struct {
	doc    *openapi3.T
	router routers.Router
	server string // the description's server URL, e.g. https://api.cloudflare.com/client/v4
}

// Load reads an OpenAPI file. The document is not validated as a whole
// (Cloudflare's has an unrelated schema that fails it).
func Load(path string) (*Spec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("openapi %s: %w", path, err)
	}
	if len(doc.Servers) == 0 {
		return nil, fmt.Errorf("openapi %s: no servers", path)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi %s: router: %w", path, err)
	}
	return &Spec{doc: doc, router: router, server: strings.TrimSuffix(doc.Servers[0].URL, "/")}, nil
}

// Checker validates traffic through its Middleware and keeps violations.
type Checker struct {
	spec *Spec
	// Skip, when set, exempts a violation (documented divergences).
	Skip func(method, route string, err error) bool

	mu         sync.Mutex
	violations []string
	checked    map[string]int
}

// NewChecker starts a checker with no violations.
func (s *Spec) NewChecker() *Checker { return &Checker{spec: s, checked: map[string]int{}} }

// Violations returns what failed validation so far.
func (c *Checker) Violations() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.violations...)
}

// Checked returns how many exchanges were validated per route.
func (c *Checker) Checked() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]int{}
	for k, v := range c.checked {
		out[k] = v
	}
	return out
}

func (c *Checker) record(method, route string, err error) {
	if c.Skip != nil && c.Skip(method, route, err) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.violations = append(c.violations, fmt.Sprintf("%s %s: %v", method, route, err))
}

// Middleware validates each exchange whose route the description has.
func (c *Checker) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := strings.TrimPrefix(r.URL.Path, "/client/v4")
		u, err := url.Parse(c.spec.server + path)
		if err != nil {
			next.ServeHTTP(w, r)
			return
		}
		u.RawQuery = r.URL.RawQuery
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))

		probe := r.Clone(context.Background())
		probe.URL = u
		probe.Host = u.Host
		probe.RequestURI = ""
		probe.Body = io.NopCloser(bytes.NewReader(body))
		route, params, err := c.spec.router.FindRoute(probe)
		if err != nil {
			next.ServeHTTP(w, r) // not described: nothing to check
			return
		}
		key := r.Method + " " + route.Path
		opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, MultiError: true}
		in := &openapi3filter.RequestValidationInput{Request: probe, PathParams: params, Route: route, Options: opts}
		if r.Header.Get(OutsideSpecHeader) != "" {
			// deliberately outside the description
		} else if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			c.record(r.Method, route.Path, fmt.Errorf("request: %w", err))
		}

		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		res := rec.Result()
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
			Body: io.NopCloser(bytes.NewReader(rec.Body.Bytes())), Options: opts}
		if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
			c.record(r.Method, route.Path, fmt.Errorf("response %d: %w", res.StatusCode, err))
		}
		c.mu.Lock()
		c.checked[key]++
		c.mu.Unlock()

		for k, vs := range res.Header {
			w.Header()[k] = vs
		}
		w.WriteHeader(res.StatusCode)
		w.Write(rec.Body.Bytes())
	})
}
