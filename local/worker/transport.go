package worker

import (
	"context"
	"io"
	"net/http"
	"strings"
)

// localTransport sends a Worker's outbound fetch to another Worker of the
// same local Cloudflare (a workers.dev hostname, a route, a custom domain)
// to the local server instead of the internet, as a subrequest to that
// hostname would reach it on Cloudflare.
//
// It also ties each request to the invocation that made it (callHeader,
// set by the isolate's fetch): the request is cancelled when that
// invocation's request is abandoned, and one that reaches a Worker
// carries the chain's depth (hopHeader), so that Workers fetching each
// other in a loop stop at MaxDepth.
type localTransport struct {
	rt  *Runtime
	iso *isolate
}

func (t *localTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	depth, id := parseCallTag(req.Header.Get(callHeader))
	callCtx := context.Background()
	if cl := t.iso.liveCall(id); cl != nil {
		callCtx = cl.ctx
	}
	ctx, cancel := joinContext(req.Context(), callCtx)
	out := req.Clone(ctx) // a RoundTripper must not change the request it is given
	out.Header.Del(callHeader)
	out.Header.Del(hopHeader)

	t.rt.mu.Lock()
	srv := t.rt.srv
	t.rt.mu.Unlock()
	if srv != nil {
		if _, ok := srv.ResolveWorker(ctx, req.URL.Host, req.URL.Path); ok {
			if depth+1 > MaxDepth {
				cancel()
				return nil, ErrDepth
			}
			out.URL.Scheme, out.URL.Host = "http", srv.Addr()
			out.Host = req.URL.Host
			if strings.EqualFold(req.URL.Scheme, "https") {
				out.Header.Set("X-Forwarded-Proto", "https")
			}
			out.Header.Set(hopHeader, t.rt.hops.value(depth))
		}
	}
	if out.Header.Get(hopHeader) == "" && isLoopback(out.URL.Hostname()) {
		// Perhaps a Worker served on a port of its own (dev mode): it
		// counts the hop itself.
		out.Header.Set(hopHeader, t.rt.hops.value(depth))
	}
	res, err := http.DefaultTransport.RoundTrip(out)
	if err != nil {
		cancel()
		return nil, err
	}
	if _, upgraded := res.Body.(io.ReadWriteCloser); upgraded && res.StatusCode == http.StatusSwitchingProtocols {
		// A WebSocket: the connection outlives the call that opened it,
		// and its body must stay writable.
		cancel()
		return res, nil
	}
	res.Body = &bodyCloser{ReadCloser: res.Body, done: cancel}
	return res, nil
}
