package worker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/webapi"
)

// maxRequestBody is the largest request body a Worker receives (the limit
// of Cloudflare's free and pro plans).
const maxRequestBody = 100 << 20

// httpRequest is a request on its way into an isolate.
type httpRequest struct {
	method, url string
	header      []string // lower-case name, value, name, value, …
	body        []byte   // nil: no body
}

// httpResponse is a Worker's response: a body in memory, or a stream the
// isolate pumps into stream.
type httpResponse struct {
	status     int
	statusText string
	header     []string
	body       []byte
	stream     *io.PipeReader
	ws         *wsPort // the WebSocket of a 101, in the isolate that answered
}

func (rt *Runtime) serveHTTP(w http.ResponseWriter, r *http.Request, account, script string) {
	ctx, err := rt.incomingDepth(r)
	if err != nil {
		// A Worker fetched a Worker over HTTP once too often: the fetch
		// fails as the subrequest it is.
		http.Error(w, err.Error(), http.StatusLoopDetected)
		return
	}
	wk, err := rt.worker(account, script)
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	v, err := wk.acquire(ctx)
	if err != nil {
		writeLoadError(w, script, err)
		return
	}
	defer v.release()
	if r.URL.Path == "/__scheduled" && !rt.opts.NoScheduledPath {
		rt.serveScheduled(w, r, v)
		return
	}
	if v.assets != nil && !v.assets.workerFirst(r.URL.Path) {
		st, err := rt.store()
		if err == nil {
			var served bool
			if served, err = v.assets.serve(ctx, st, w, r); served {
				return
			}
		}
		if err != nil {
			rt.errorf(script, "assets: %v", err)
		}
		if !v.hasFetch {
			http.NotFound(w, r)
			return
		}
	}
	req, err := readRequest(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	iso, err := v.pick(ctx)
	if err != nil {
		writeLoadError(w, script, err)
		return
	}
	res, err := iso.fetch(ctx, req)
	if err != nil {
		writeCallError(w, err)
		return
	}
	if res.ws != nil {
		rt.serveUpgrade(w, r, script, res)
		return
	}
	writeResponse(w, r, res)
}

func readRequest(r *http.Request) (httpRequest, error) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	req := httpRequest{method: r.Method, url: scheme + "://" + r.Host + r.URL.RequestURI()}
	req.header = make([]string, 0, 2*len(r.Header)+2)
	for k, vs := range r.Header {
		name := strings.ToLower(k)
		for _, v := range vs {
			req.header = append(req.header, name, v)
		}
	}
	if r.Host != "" {
		req.header = append(req.header, "host", r.Host)
	}
	if r.Body != nil && r.Body != http.NoBody && r.Method != http.MethodGet && r.Method != http.MethodHead {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
		if err != nil {
			return req, fmt.Errorf("reading the request body: %w", err)
		}
		if len(body) > maxRequestBody {
			return req, errors.New("the request body is larger than 100 MiB")
		}
		req.body = body
	}
	return req, nil
}

// fetch runs the Worker's fetch handler.
func (iso *isolate) fetch(ctx context.Context, req httpRequest) (*httpResponse, error) {
	var id int64
	what := req.method + " " + pathOf(req.url)
	return invoke(ctx, iso, what, func(vm *goja.Runtime, callID int64) error {
		id = callID
		var body goja.Value = goja.Null()
		if req.body != nil {
			body = webapi.NewUint8Array(vm, req.body)
		}
		_, err := iso.glue.fetch(goja.Undefined(), vm.ToValue(callID), vm.ToValue(req.method), vm.ToValue(req.url), vm.ToValue(req.header), body)
		return err
	}, func(vm *goja.Runtime, v, jsErr goja.Value) (*httpResponse, error) {
		if jsErr != nil {
			return nil, iso.scriptFailure(vm, what, jsErr)
		}
		return iso.responseParts(vm, id, v)
	})
}

func pathOf(url string) string {
	if i := strings.Index(url, "://"); i >= 0 {
		if j := strings.IndexByte(url[i+3:], '/'); j >= 0 {
			return url[i+3+j:]
		}
	}
	return url
}

// responseParts reads the [status, statusText, headers, body, webSocket]
// the glue exported; a stream body is pumped into a pipe under the call's
// id.
func (iso *isolate) responseParts(vm *goja.Runtime, id int64, v goja.Value) (*httpResponse, error) {
	parts, ok := v.(*goja.Object)
	if !ok {
		return nil, errors.New("internal error: the response parts are not an array")
	}
	res := &httpResponse{
		status:     int(parts.Get("0").ToInteger()),
		statusText: parts.Get("1").String(),
		header:     stringList(vm, parts.Get("2")),
		ws:         iso.exportedSocket(parts),
	}
	body := parts.Get("3")
	switch {
	case body == nil || goja.IsNull(body) || goja.IsUndefined(body):
	case isString(body):
		res.body = []byte(body.String())
	default:
		if b, ok := webapi.Bytes(vm, body); ok {
			res.body = append([]byte(nil), b...)
			break
		}
		pr, pw := io.Pipe()
		res.stream = pr
		iso.streams[id] = &bodyStream{w: pw}
		if _, err := iso.glue.pump(goja.Undefined(), vm.ToValue(id), body); err != nil {
			pw.CloseWithError(err)
		}
	}
	return res, nil
}

func isString(v goja.Value) bool {
	_, ok := v.Export().(string)
	return ok
}

// stringList reads a JS array of strings.
func stringList(vm *goja.Runtime, v goja.Value) []string {
	obj, ok := v.(*goja.Object)
	if !ok {
		return nil
	}
	if s, ok := obj.Export().([]string); ok {
		return s
	}
	n := int(obj.Get("length").ToInteger())
	out := make([]string, n)
	for i := 0; i < n; i++ {
		out[i] = obj.Get(strconv.Itoa(i)).String()
	}
	return out
}

// bodyStream is the writing end of a streamed response body.
type bodyStream struct {
	w *io.PipeWriter
}

// nWrite writes one chunk of a streamed body; the promise it returns
// settles once the chunk is written, so a slow client slows the stream.
func (iso *isolate) nWrite(c goja.FunctionCall) goja.Value {
	vm := iso.host.VM()
	s := iso.streams[c.Argument(0).ToInteger()]
	b, _ := webapi.Bytes(vm, c.Argument(1))
	chunk := append([]byte(nil), b...)
	return vm.ToValue(iso.loop.Go(func(ctx context.Context) runtime.Settle {
		if s == nil {
			return runtime.Rejected(errors.New("the response stream is closed"))
		}
		if _, err := s.w.Write(chunk); err != nil {
			return runtime.Rejected(fmt.Errorf("writing the response: %w", err))
		}
		return nil
	}))
}

// nEnd closes a streamed body, with the error that ended it if any.
func (iso *isolate) nEnd(c goja.FunctionCall) goja.Value {
	id := c.Argument(0).ToInteger()
	s := iso.streams[id]
	if s == nil {
		return goja.Undefined()
	}
	delete(iso.streams, id)
	if e := c.Argument(1); !goja.IsUndefined(e) {
		se := runtime.NewScriptError(iso.host.VM(), e)
		iso.logError("response stream", se)
		s.w.CloseWithError(se)
	} else {
		s.w.Close()
	}
	return goja.Undefined()
}

func writeResponse(w http.ResponseWriter, r *http.Request, res *httpResponse) {
	h := w.Header()
	for i := 0; i+1 < len(res.header); i += 2 {
		h.Add(res.header[i], res.header[i+1])
	}
	if res.stream == nil {
		h.Set("Content-Length", strconv.Itoa(len(res.body)))
	}
	status := res.status
	if status < 100 || status > 999 {
		status = http.StatusInternalServerError
	}
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		if res.stream != nil {
			res.stream.Close()
		}
		return
	}
	if res.stream == nil {
		_, _ = w.Write(res.body)
		return
	}
	flusher, _ := w.(http.Flusher)
	buf := make([]byte, 32<<10)
	for {
		n, err := res.stream.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				res.stream.CloseWithError(werr)
				return
			}
			if flusher != nil {
				flusher.Flush()
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				// The Worker's stream failed after the headers went out:
				// abort the connection so the client sees a broken body.
				panic(http.ErrAbortHandler)
			}
			return
		}
	}
}

// writeCallError answers a request whose handler failed, as Cloudflare
// does (a 500 naming the error), with the source-mapped error in the body.
func writeCallError(w http.ResponseWriter, err error) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	var ce *callError
	if errors.As(err, &ce) {
		w.WriteHeader(ce.status)
		fmt.Fprintf(w, "Error %d: %s\n\n%s", ce.code, ce.title, ce.text)
		return
	}
	if errors.Is(err, context.Canceled) {
		return
	}
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, "Error: %v\n", err)
}

func writeLoadError(w http.ResponseWriter, script string, err error) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if errors.Is(err, errNoScript) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, "There is no Worker named %q.\n", script)
		return
	}
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, "Error 1101: Worker %q cannot run\n\n%v\n", script, err)
}

// serveScheduled fires the scheduled handler for /__scheduled?cron=…, as
// wrangler dev does.
func (rt *Runtime) serveScheduled(w http.ResponseWriter, r *http.Request, v *version) {
	iso, err := v.pick(r.Context())
	if err != nil {
		writeLoadError(w, v.w.key.script, err)
		return
	}
	when := time.Now()
	if t := r.URL.Query().Get("time"); t != "" {
		if ms, err := strconv.ParseInt(t, 10, 64); err == nil {
			when = time.UnixMilli(ms)
		}
	}
	if err := iso.scheduled(r.Context(), r.URL.Query().Get("cron"), when); err != nil {
		writeCallError(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "Ran scheduled event")
}

// scheduled runs the Worker's scheduled handler.
func (iso *isolate) scheduled(ctx context.Context, cron string, when time.Time) error {
	what := "scheduled " + cron
	_, err := invoke(ctx, iso, what, func(vm *goja.Runtime, id int64) error {
		_, err := iso.glue.scheduled(goja.Undefined(), vm.ToValue(id), vm.ToValue(when.UnixMilli()), vm.ToValue(cron))
		return err
	}, func(vm *goja.Runtime, _, jsErr goja.Value) (struct{}, error) {
		if jsErr != nil {
			return struct{}{}, iso.scriptFailure(vm, what, jsErr)
		}
		return struct{}{}, nil
	})
	return err
}
