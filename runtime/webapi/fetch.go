package webapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime"
)

// fetchNatives are the Go halves of fetch.js.
func fetchNatives(r *realm) *goja.Object {
	n := textNatives(r)
	_ = n.Set("fetch", r.nativeFetch)
	_ = n.Set("encodeForm", r.encodeForm)
	_ = n.Set("parseForm", r.parseForm)
	return n
}

// fetchRequest is a request exported from JS before its goroutine starts.
type fetchRequest struct {
	method, url string
	header      http.Header
	body        []byte
	hasBody     bool
	redirect    string
}

type fetchResponse struct {
	status     int
	statusText string
	url        string
	redirected bool
	header     [][2]string
	body       []byte
	// An upgraded WebSocket connection (status 101): its response, the
	// handshake key sent, and the connection.
	upgrade    *http.Response
	upgradeKey string
	conn       io.ReadWriteCloser
}

// WebSockets completes the WebSocket upgrades of fetch (requests with the
// header "Upgrade: websocket"), for a runtime that has WebSockets (the
// Worker runtime); without it such a request is sent as it is.
type WebSockets interface {
	// Prepare adds the handshake headers to an upgrade request and
	// returns its Sec-WebSocket-Key. It runs off the loop.
	Prepare(h http.Header) (key string)
	// Open takes over the connection of a 101 answer to the request with
	// key and returns the response's webSocket. Loop goroutine only.
	Open(vm *goja.Runtime, key string, res *http.Response, conn io.ReadWriteCloser) (goja.Value, error)
}

type webSocketsKey struct{}

// SetWebSockets gives fetch in h WebSocket upgrades. Loop goroutine only.
func SetWebSockets(h *runtime.Host, ws WebSockets) {
	v, _ := h.Local(webSocketsKey{}, func() (any, error) { return new(WebSockets), nil })
	*v.(*WebSockets) = ws
}

func webSocketsOf(h *runtime.Host) WebSockets {
	v, _ := h.Local(webSocketsKey{}, func() (any, error) { return new(WebSockets), nil })
	return *v.(*WebSockets)
}

// fetchError rejects fetch with a TypeError, as network failures do.
type fetchError struct{ err error }

func (e *fetchError) Error() string { return "fetch failed: " + e.err.Error() }
func (e *fetchError) Unwrap() error { return e.err }

// DecorateJSError makes the JS error a TypeError.
func (e *fetchError) DecorateJSError(vm *goja.Runtime, obj *goja.Object) {
	if te, ok := vm.Get("TypeError").(*goja.Object); ok {
		if proto, ok := te.Get("prototype").(*goja.Object); ok {
			_ = obj.SetPrototype(proto)
		}
	}
}

func (r *realm) nativeFetch(call goja.FunctionCall) goja.Value {
	vm := r.vm
	req := fetchRequest{
		method:   call.Argument(0).String(),
		url:      call.Argument(1).String(),
		header:   http.Header{},
		redirect: call.Argument(4).String(),
	}
	if pairs, ok := call.Argument(2).(*goja.Object); ok {
		vm.ForOf(pairs, func(p goja.Value) bool {
			pair := p.ToObject(vm)
			req.header.Add(pair.Get("0").String(), pair.Get("1").String())
			return true
		})
	}
	if b, ok := Bytes(vm, call.Argument(3)); ok {
		req.body = append([]byte(nil), b...)
		req.hasBody = true
	}
	ws := webSocketsOf(r.h)
	p := r.h.Loop().Go(func(ctx context.Context) runtime.Settle {
		res, err := doFetch(ctx, r.transport, ws, req)
		if err != nil {
			return runtime.Rejected(&fetchError{err: err})
		}
		return func(vm *goja.Runtime) (goja.Value, error) { return res.toJS(vm, ws) }
	})
	return vm.ToValue(p)
}

func doFetch(ctx context.Context, transport http.RoundTripper, ws WebSockets, req fetchRequest) (*fetchResponse, error) {
	var key string
	if ws != nil && strings.EqualFold(strings.TrimSpace(req.header.Get("Upgrade")), "websocket") {
		key = ws.Prepare(req.header)
		// fetch speaks HTTP; a ws: or wss: URL means the same server.
		if rest, ok := strings.CutPrefix(req.url, "ws://"); ok {
			req.url = "http://" + rest
		} else if rest, ok := strings.CutPrefix(req.url, "wss://"); ok {
			req.url = "https://" + rest
		}
	}
	var body io.Reader
	if req.hasBody {
		body = bytes.NewReader(req.body)
	}
	hreq, err := http.NewRequestWithContext(ctx, req.method, req.url, body)
	if err != nil {
		return nil, err
	}
	hreq.Header = req.header
	if ua := hreq.Header.Get("User-Agent"); ua == "" {
		hreq.Header.Set("User-Agent", "alchemy")
	}
	redirected := false
	client := &http.Client{Transport: transport, CheckRedirect: func(r *http.Request, via []*http.Request) error {
		switch req.redirect {
		case "manual":
			return http.ErrUseLastResponse
		case "error":
			return fmt.Errorf("redirect to %s not allowed (redirect: \"error\")", r.URL)
		}
		if len(via) >= 20 {
			return errors.New("too many redirects")
		}
		redirected = true
		return nil
	}}
	resp, err := client.Do(hreq)
	if err != nil {
		return nil, err
	}
	if conn, ok := resp.Body.(io.ReadWriteCloser); ok && key != "" && resp.StatusCode == http.StatusSwitchingProtocols {
		if err := ctx.Err(); err != nil {
			// The runtime stopped during the handshake: nobody will take
			// the connection over.
			conn.Close()
			return nil, err
		}
		return &fetchResponse{status: resp.StatusCode, statusText: "Switching Protocols", url: resp.Request.URL.String(),
			header: headerPairs(resp.Header), upgrade: resp, upgradeKey: key, conn: conn}, nil
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("read body of %s: %w", req.url, err)
	}
	res := &fetchResponse{
		status:     resp.StatusCode,
		statusText: strings.TrimSpace(strings.TrimPrefix(resp.Status, fmt.Sprint(resp.StatusCode))),
		url:        resp.Request.URL.String(),
		redirected: redirected,
		body:       data,
		header:     headerPairs(resp.Header),
	}
	return res, nil
}

func headerPairs(h http.Header) [][2]string {
	var out [][2]string
	for k, vs := range h {
		for _, v := range vs {
			out = append(out, [2]string{k, v})
		}
	}
	return out
}

func (res *fetchResponse) toJS(vm *goja.Runtime, ws WebSockets) (goja.Value, error) {
	obj := vm.NewObject()
	_ = obj.Set("status", res.status)
	_ = obj.Set("statusText", res.statusText)
	_ = obj.Set("url", res.url)
	_ = obj.Set("redirected", res.redirected)
	pairs := make([]any, len(res.header))
	for i, kv := range res.header {
		pairs[i] = vm.NewArray(kv[0], kv[1])
	}
	_ = obj.Set("headers", vm.NewArray(pairs...))
	if res.conn != nil {
		socket, err := ws.Open(vm, res.upgradeKey, res.upgrade, res.conn)
		if err != nil {
			return nil, &fetchError{err: err}
		}
		_ = obj.Set("webSocket", socket)
		_ = obj.Set("body", goja.Null())
		return obj, nil
	}
	_ = obj.Set("body", NewUint8Array(vm, res.body))
	return obj, nil
}

// SetTransport makes fetch in h send its requests through t (nil restores
// Go's default transport): a server that hosts Workers answers requests to
// its own hostnames itself. Loop goroutine only.
func SetTransport(h *runtime.Host, t http.RoundTripper) {
	realmOf(h).transport = t
}
