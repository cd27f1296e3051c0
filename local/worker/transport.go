package worker

import (
	"net/http"
	"strings"
)

// localTransport sends a Worker's outbound fetch to another Worker of the
// same local Cloudflare (a workers.dev hostname, a route, a custom domain)
// to the local server instead of the internet, as a subrequest to that
// hostname would reach it on Cloudflare.
type localTransport struct {
	rt *Runtime
}

func (t *localTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.rt.mu.Lock()
	srv := t.rt.srv
	t.rt.mu.Unlock()
	if srv != nil {
		if _, ok := srv.ResolveWorker(req.Context(), req.URL.Host, req.URL.Path); ok {
			local := req.Clone(req.Context())
			local.URL.Scheme, local.URL.Host = "http", srv.Addr()
			local.Host = req.URL.Host
			if strings.EqualFold(req.URL.Scheme, "https") {
				local.Header.Set("X-Forwarded-Proto", "https")
			}
			return http.DefaultTransport.RoundTrip(local)
		}
	}
	return http.DefaultTransport.RoundTrip(req)
}
