package worker

import (
	"bufio"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/webapi"
)

// WebSockets, as workerd has them: a WebSocketPair's client end returned in
// a 101 Response upgrades the HTTP connection the request came on (or
// reaches the Worker or Durable Object stub that fetched it), fetch() with
// "Upgrade: websocket" connects to a WebSocket server, and a Durable
// Object may accept sockets for its webSocketMessage/webSocketClose/
// webSocketError methods.
//
// In an isolate a JS WebSocket whose other end lives elsewhere talks
// through a wsPort (websocket_port.go); the network side is a wsConn
// (websocket_conn.go) with a reader and a writer goroutine. Messages from
// outside reach JS as jobs on the isolate's loop; JS sends go straight to
// the other end's queue, so JS never waits for the network.

//go:embed websocket.js
var websocketSource string

var websocketProgram = sync.OnceValues(func() (*goja.Program, error) {
	return goja.Compile("alchemy:worker-websocket.js", websocketSource, true)
})

// socketHeader is the header name under which a response that crosses
// isolates carries its WebSocket's ticket (see offerSocket). Not a valid
// header name, so neither JS nor a client on the network can set it.
const socketHeader = ":websocket"

// setupWebSockets evaluates websocket.js in the isolate, defines its
// globals and returns the object glue.js uses.
func (iso *isolate) setupWebSockets(vm *goja.Runtime) (*goja.Object, error) {
	prog, err := websocketProgram()
	if err != nil {
		return nil, fmt.Errorf("compile the WebSocket glue: %w", err)
	}
	n := vm.NewObject()
	set := func(name string, fn func(goja.FunctionCall) goja.Value) { _ = n.Set(name, fn) }
	set("wsExport", func(goja.FunctionCall) goja.Value {
		return vm.ToValue(iso.sockets.open(iso, portJS).h)
	})
	set("wsHandOn", func(c goja.FunctionCall) goja.Value {
		if p := iso.sockets.get(c.Argument(0).ToInteger()); p != nil {
			p.handOn()
		}
		return goja.Undefined()
	})
	set("wsAccept", func(c goja.FunctionCall) goja.Value {
		if p := iso.sockets.get(c.Argument(0).ToInteger()); p != nil {
			p.accept()
		}
		return goja.Undefined()
	})
	set("wsSend", func(c goja.FunctionCall) goja.Value {
		p := iso.sockets.get(c.Argument(0).ToInteger())
		if p == nil {
			return goja.Undefined()
		}
		m := wsMessage{kind: wsKind(c.Argument(1).ToInteger())}
		switch m.kind {
		case wsText:
			m.data = []byte(c.Argument(2).String())
		case wsBinary:
			m.data = bytesArg(vm, c.Argument(2))
		case wsClose:
			m.code, m.reason = int(c.Argument(3).ToInteger()), c.Argument(4).String()
		}
		p.send(m)
		return goja.Undefined()
	})
	set("wsClaim", func(c goja.FunctionCall) goja.Value {
		p, err := iso.sockets.claim(iso, c.Argument(0).String())
		if err != nil {
			panic(vm.NewTypeError(err.Error()))
		}
		return vm.ToValue(p.h)
	})
	set("report", func(c goja.FunctionCall) goja.Value {
		iso.logError(c.Argument(1).String(), runtime.NewScriptError(vm, c.Argument(0)))
		return goja.Undefined()
	})
	ws, err := runtime.RunFactory(vm, prog, "the WebSocket glue", n)
	if err != nil {
		return nil, err
	}
	if globals, ok := ws.Get("globals").(*goja.Object); ok {
		for _, k := range globals.Keys() {
			_ = vm.GlobalObject().Set(k, globals.Get(k))
		}
	}
	iso.sockets.glue.event, _ = goja.AssertFunction(ws.Get("event"))
	iso.sockets.glue.adopt, _ = goja.AssertFunction(ws.Get("adopt"))
	webapi.SetWebSockets(iso.host, &fetchSockets{iso: iso})
	return ws, nil
}

// exportedSocket returns the port of the WebSocket a Response handed out
// of the isolate (parts[4] of the glue's response parts), or nil.
func (iso *isolate) exportedSocket(parts *goja.Object) *wsPort {
	v := parts.Get("4")
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil
	}
	p := iso.sockets.get(v.ToInteger())
	if p != nil && p.forwarding() {
		// JS let go of it: from now on it is only a relay.
		iso.sockets.remove(p.h)
	}
	return p
}

// callerKey is the context key of the isolate a Worker invocation runs in.
type callerKey struct{}

// offerSocket readies a response that carries a WebSocket for the isolate
// that made the subrequest (the caller in ctx): the socket waits there
// under a ticket, which the response carries in socketHeader for the
// caller's glue to claim.
func (res *httpResponse) offerSocket(ctx context.Context) error {
	if res.ws == nil {
		return nil
	}
	caller, _ := ctx.Value(callerKey{}).(*isolate)
	if caller == nil {
		abandon(res.ws, closeAbnormal, "")
		return errors.New("a WebSocket response reached no Worker")
	}
	ticket := caller.sockets.offer(res.ws)
	res.header = append(res.header, socketHeader, ticket)
	res.ws = nil
	return nil
}

// offer keeps a socket of another isolate until the JS of this one claims
// it, and returns its ticket.
func (t *socketTable) offer(p *wsPort) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.offers == nil {
		t.offers = map[string]*wsPort{}
	}
	t.next++
	ticket := strconv.FormatInt(t.next, 10)
	t.offers[ticket] = p
	return ticket
}

// claim makes a port of this isolate for an offered socket. Loop
// goroutine only.
func (t *socketTable) claim(iso *isolate, ticket string) (*wsPort, error) {
	t.mu.Lock()
	offered := t.offers[ticket]
	delete(t.offers, ticket)
	t.mu.Unlock()
	if offered == nil {
		return nil, fmt.Errorf("no WebSocket was offered under ticket %q", ticket)
	}
	p := t.open(iso, portHolding)
	to := offered.attach(p)
	p.out.Lock()
	p.peer = to
	p.out.Unlock()
	return p, nil
}

// serveUpgrade answers a request with the 101 a Worker returned: the
// connection becomes a WebSocket between the client and the Worker's
// socket.
func (rt *Runtime) serveUpgrade(w http.ResponseWriter, r *http.Request, script string, res *httpResponse) {
	port := res.ws
	refuse := func(status int, msg string) {
		abandon(port, closeAbnormal, "")
		rt.errorf(script, "WebSocket upgrade of %s %s: %s", r.Method, r.URL.Path, msg)
		http.Error(w, msg, status)
	}
	if !isUpgradeRequest(r) {
		refuse(http.StatusInternalServerError, `the Worker returned a WebSocket to a request without the header "Upgrade: websocket"`)
		return
	}
	if err := checkUpgradeRequest(r); err != nil {
		refuse(http.StatusBadRequest, err.Error())
		return
	}
	conn, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		refuse(http.StatusInternalServerError, "the connection cannot be upgraded: "+err.Error())
		return
	}
	var b strings.Builder
	b.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
	b.WriteString("Sec-WebSocket-Accept: " + acceptKey(r.Header.Get("Sec-WebSocket-Key")) + "\r\n")
	for i := 0; i+1 < len(res.header); i += 2 {
		switch strings.ToLower(res.header[i]) {
		case "upgrade", "connection", "sec-websocket-accept", "content-length", "transfer-encoding":
			continue
		}
		b.WriteString(http.CanonicalHeaderKey(res.header[i]) + ": " + strings.NewReplacer("\r", "", "\n", "").Replace(res.header[i+1]) + "\r\n")
	}
	b.WriteString("\r\n")
	if _, err := io.WriteString(conn, b.String()); err != nil {
		conn.Close()
		abandon(port, closeAbnormal, "")
		return
	}
	c := newWSConn(conn, brw.Reader, false)
	c.start(port.attach(c))
}

// fetchSockets completes the WebSocket upgrades of the isolate's fetch().
type fetchSockets struct{ iso *isolate }

func (f *fetchSockets) Prepare(h http.Header) string {
	key := newClientKey()
	h.Set("Connection", "Upgrade")
	h.Set("Sec-WebSocket-Version", "13")
	h.Set("Sec-WebSocket-Key", key)
	return key
}

func (f *fetchSockets) Open(vm *goja.Runtime, key string, res *http.Response, conn io.ReadWriteCloser) (goja.Value, error) {
	if got := res.Header.Get("Sec-WebSocket-Accept"); got != acceptKey(key) {
		conn.Close()
		return nil, fmt.Errorf("WebSocket handshake: the server answered Sec-WebSocket-Accept %q, not %q", got, acceptKey(key))
	}
	iso := f.iso
	p := iso.sockets.open(iso, portHolding)
	c := newWSConn(conn, bufio.NewReader(conn), true)
	p.out.Lock()
	p.peer = c
	p.out.Unlock()
	c.start(p)
	return iso.sockets.glue.adopt(goja.Undefined(), vm.ToValue(p.h), vm.ToValue(res.Header.Get("Sec-WebSocket-Protocol")),
		vm.ToValue(res.Request.URL.String()))
}
