package worker

import (
	"sync"
	"sync/atomic"

	"github.com/dop251/goja"
)

// portMode is what a port does with the messages delivered to it.
type portMode uint8

const (
	// portHolding keeps them until the JS socket is accepted or handed on.
	portHolding portMode = iota
	// portJS hands them to the JS socket on the isolate's loop.
	portJS
	// portForwarding passes them on to whoever the socket was handed to.
	portForwarding
)

// wsPort is the end of a WebSocket inside an isolate: a JS WebSocket
// whose other end is outside the isolate (on the network, or in another
// isolate) sends through it and hears from it. Every port has a handle in
// its isolate's socket table while JS can use it.
type wsPort struct {
	iso *isolate
	h   int64

	// The sending side: where the JS socket's messages go.
	out     sync.Mutex
	peer    wsEndpoint  // nil until attached
	backlog []wsMessage // sent before the port was attached
	// sentClose and gotClose change under out and in; they are atomic so
	// that settled, which a peer's send reaches while holding its own out,
	// takes no lock of this port.
	sentClose atomic.Bool

	// The receiving side.
	in       sync.Mutex
	mode     portMode
	inbox    []wsMessage // held while portHolding
	forward  wsEndpoint  // portForwarding: where messages go on to
	gotClose atomic.Bool
}

// send passes a message of the JS socket to the other end. Loop
// goroutine only.
func (p *wsPort) send(m wsMessage) {
	p.out.Lock()
	if p.sentClose.Load() {
		p.out.Unlock()
		return
	}
	p.sentClose.Store(m.kind == wsClose)
	if p.peer == nil {
		p.backlog = append(p.backlog, m)
	} else {
		p.peer.deliver(m)
	}
	p.out.Unlock()
	p.settled()
}

// deliver takes a message from the other end.
func (p *wsPort) deliver(m wsMessage) {
	p.in.Lock()
	if p.gotClose.Load() {
		p.in.Unlock()
		return
	}
	p.gotClose.Store(m.kind == wsClose)
	if m.kind == wsClose && m.code == closeAbnormal {
		// The other end is gone: no close can be sent back, so this end
		// counts as closed too and leaves the table.
		p.sentClose.Store(true)
	}
	switch {
	case p.mode == portJS:
		p.post(m)
	case p.mode == portForwarding && p.forward != nil:
		p.forward.deliver(m)
	default:
		p.inbox = append(p.inbox, m)
	}
	p.in.Unlock()
	p.settled()
}

// post hands a message to the JS socket. A loop that stopped drops it:
// the isolate's shutdown closes its sockets.
func (p *wsPort) post(m wsMessage) {
	iso, h := p.iso, p.h
	iso.loop.Post(func(vm *goja.Runtime) error {
		iso.loop.SetAsyncContext(nil) // the event belongs to no request
		var data goja.Value = goja.Undefined()
		switch m.kind {
		case wsText:
			data = vm.ToValue(string(m.data))
		case wsBinary:
			data = vm.ToValue(vm.NewArrayBuffer(m.data))
		}
		_, err := iso.sockets.glue.event(goja.Undefined(), vm.ToValue(h), vm.ToValue(int(m.kind)), data,
			vm.ToValue(m.code), vm.ToValue(m.reason), vm.ToValue(m.clean))
		return err
	})
}

// accept makes the JS socket hear the messages held so far and those to
// come. Loop goroutine only.
func (p *wsPort) accept() {
	p.in.Lock()
	defer p.in.Unlock()
	if p.mode != portHolding {
		return
	}
	p.mode = portJS
	for _, m := range p.inbox {
		p.post(m)
	}
	p.inbox = nil
}

// handOn marks the port's JS socket as handed on (returned in a Response):
// JS no longer uses it, and the messages for it go to whoever attaches.
func (p *wsPort) handOn() {
	p.in.Lock()
	p.mode = portForwarding
	p.in.Unlock()
}

// forwarding reports whether the port was handed on.
func (p *wsPort) forwarding() bool {
	p.in.Lock()
	defer p.in.Unlock()
	return p.mode == portForwarding
}

// attach connects the port to the endpoint that takes over the other
// side of it, and returns the endpoint to's messages go to. A port
// handed on bows out: to talks to the port's own peer from now on.
func (p *wsPort) attach(to wsEndpoint) wsEndpoint {
	p.in.Lock()
	if p.mode == portForwarding {
		p.forward = to
		for _, m := range p.inbox {
			to.deliver(m)
		}
		p.inbox = nil
		p.in.Unlock()
		p.out.Lock()
		defer p.out.Unlock()
		return p.peer
	}
	p.in.Unlock()
	p.out.Lock()
	p.peer = to
	for _, m := range p.backlog {
		to.deliver(m)
	}
	p.backlog = nil
	p.out.Unlock()
	return p
}

// settled drops the port from its isolate's table once both ends have
// closed.
func (p *wsPort) settled() {
	if p.sentClose.Load() && p.gotClose.Load() {
		p.iso.sockets.remove(p.h)
	}
}

// goingAway closes the port from its side because its isolate stopped.
func (p *wsPort) goingAway() {
	p.out.Lock()
	defer p.out.Unlock()
	if p.sentClose.Swap(true) || p.peer == nil {
		return
	}
	p.peer.deliver(wsMessage{kind: wsClose, code: closeGoingAway, reason: "the Worker stopped"})
}

// socketTable holds the ports of an isolate by handle.
type socketTable struct {
	mu    sync.Mutex
	next  int64
	ports map[int64]*wsPort
	// offers are sockets of other isolates handed to this one, by ticket,
	// until its JS claims them.
	offers map[string]*wsPort

	// Loop goroutine only.
	glue struct {
		event, adopt goja.Callable
	}
}

// open makes a port with a new handle. Loop goroutine only.
func (t *socketTable) open(iso *isolate, mode portMode) *wsPort {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ports == nil {
		t.ports = map[int64]*wsPort{}
	}
	t.next++
	p := &wsPort{iso: iso, h: t.next, mode: mode}
	t.ports[p.h] = p
	return p
}

func (t *socketTable) get(h int64) *wsPort {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ports[h]
}

func (t *socketTable) remove(h int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.ports, h)
}

// len is the number of ports JS can use.
func (t *socketTable) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.ports)
}

// closeAll closes every port of a stopped isolate, so that their other
// ends (clients on the network included) learn it.
func (t *socketTable) closeAll() {
	t.mu.Lock()
	ports, offers := t.ports, t.offers
	t.ports, t.offers = nil, nil
	t.mu.Unlock()
	for _, p := range ports {
		p.goingAway()
	}
	for _, p := range offers {
		abandon(p, closeGoingAway, "the Worker stopped")
	}
}

// abandon gives up a socket nobody will take over: its other end hears
// that it closed.
func abandon(p *wsPort, code int, reason string) {
	p.attach(discard{}).deliver(wsMessage{kind: wsClose, code: code, reason: reason})
}

// discard is an endpoint that drops what it is given.
type discard struct{}

func (discard) deliver(wsMessage) {}
