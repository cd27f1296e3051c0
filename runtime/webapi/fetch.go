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
	p := r.h.Loop().Go(func(ctx context.Context) runtime.Settle {
		res, err := doFetch(ctx, r.transport, req)
		if err != nil {
			return runtime.Rejected(&fetchError{err: err})
		}
		return func(vm *goja.Runtime) (goja.Value, error) { return res.toJS(vm), nil }
	})
	return vm.ToValue(p)
}

func doFetch(ctx context.Context, transport http.RoundTripper, req fetchRequest) (*fetchResponse, error) {
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
	}
	for k, vs := range resp.Header {
		for _, v := range vs {
			res.header = append(res.header, [2]string{k, v})
		}
	}
	return res, nil
}

func (res *fetchResponse) toJS(vm *goja.Runtime) goja.Value {
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
	_ = obj.Set("body", NewUint8Array(vm, res.body))
	return obj
}

// SetTransport makes fetch in h send its requests through t (nil restores
// Go's default transport): a server that hosts Workers answers requests to
// its own hostnames itself. Loop goroutine only.
func SetTransport(h *runtime.Host, t http.RoundTripper) {
	realmOf(h).transport = t
}
