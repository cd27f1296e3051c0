package worker

import (
	"bufio"
	"errors"
	"io"
	"net"
	"sync"
	"time"
	"unicode/utf8"
)

// wsKind is what a wsMessage carries.
type wsKind uint8

const (
	wsText wsKind = iota + 1
	wsBinary
	wsClose
	wsError // a protocol failure, reported before the close it causes
)

// wsMessage is one message on its way between the two ends of a
// WebSocket.
type wsMessage struct {
	kind   wsKind
	data   []byte // text (UTF-8) or binary payload
	code   int    // close: the status code, closeNoStatus for none
	reason string // close: the reason; error: the message
	clean  bool   // close: the closing handshake took place
}

// wsEndpoint is one end of a WebSocket as the other end sees it: where
// the other end's messages go. deliver keeps the order of its calls and
// never waits for the network or JavaScript.
type wsEndpoint interface {
	deliver(m wsMessage)
}

// closeWait is how long a connection that sent a close frame waits for the
// peer's before it hangs up.
const closeWait = 5 * time.Second

// writeTimeout bounds a frame write, so that a client that stops reading
// cannot hold a connection forever.
const writeTimeout = 30 * time.Second

// wsConn is a WebSocket connection on the network: a reader goroutine
// hands the peer's messages to its endpoint, and a writer goroutine writes
// what the endpoint sends, so that neither side waits for the other.
type wsConn struct {
	rwc    io.ReadWriteCloser
	br     *bufio.Reader
	client bool // a client masks its frames and reads unmasked ones
	peer   wsEndpoint

	mu        sync.Mutex
	queue     [][]byte // encoded frames waiting for the writer
	sentClose bool     // a close frame is queued or written
	gotClose  bool     // the peer's close frame arrived
	wake      chan struct{}

	closeOnce sync.Once
	closed    chan struct{}
}

// newWSConn returns a connection over rwc; br reads rwc (with what was
// buffered during the handshake). start runs it.
func newWSConn(rwc io.ReadWriteCloser, br *bufio.Reader, client bool) *wsConn {
	if br == nil {
		br = bufio.NewReader(rwc)
	}
	if c, ok := rwc.(net.Conn); ok {
		_ = c.SetDeadline(time.Time{}) // the HTTP server's deadlines do not apply any more
	}
	return &wsConn{rwc: rwc, br: br, client: client, wake: make(chan struct{}, 1), closed: make(chan struct{})}
}

// start connects the connection to peer and starts its goroutines, which
// both end when the connection does.
func (c *wsConn) start(peer wsEndpoint) {
	c.peer = peer
	go c.readLoop()
	go c.writeLoop()
}

// deliver queues a message of the other end for the network. Nothing is
// sent after a close frame.
func (c *wsConn) deliver(m wsMessage) {
	var op byte
	payload := m.data
	switch m.kind {
	case wsText:
		op = opText
	case wsBinary:
		op = opBinary
	case wsClose:
		op, payload = opClose, closePayload(m.code, m.reason)
	default:
		return
	}
	c.mu.Lock()
	if c.sentClose {
		c.mu.Unlock()
		return
	}
	if m.kind == wsClose {
		c.sentClose = true
	}
	c.queue = append(c.queue, appendFrame(nil, op, payload, c.client))
	c.mu.Unlock()
	c.signal()
}

// control queues a control frame of the connection's own (a pong).
func (c *wsConn) control(op byte, payload []byte) {
	c.mu.Lock()
	if !c.sentClose {
		c.queue = append(c.queue, appendFrame(nil, op, payload, c.client))
	}
	c.mu.Unlock()
	c.signal()
}

func (c *wsConn) signal() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// shut closes the connection; both goroutines then end.
func (c *wsConn) shut() {
	c.closeOnce.Do(func() {
		c.rwc.Close()
		close(c.closed)
	})
}

func (c *wsConn) writeLoop() {
	for {
		select {
		case <-c.wake:
		case <-c.closed:
			return
		}
		c.mu.Lock()
		frames := c.queue
		c.queue = nil
		closing, answered := c.sentClose, c.gotClose
		c.mu.Unlock()
		for _, f := range frames {
			if d, ok := c.rwc.(interface{ SetWriteDeadline(time.Time) error }); ok {
				_ = d.SetWriteDeadline(time.Now().Add(writeTimeout))
			}
			if _, err := c.rwc.Write(f); err != nil {
				c.shut()
				return
			}
		}
		if closing {
			// The close frame is out: hang up once the peer's arrived,
			// or after closeWait without it.
			if answered {
				c.shut()
			} else {
				time.AfterFunc(closeWait, c.shut)
			}
			return
		}
	}
}

func (c *wsConn) readLoop() {
	var (
		msg  []byte
		kind wsKind // of the fragmented message in msg, 0 when none
	)
	for {
		f, err := readFrame(c.br, !c.client, maxMessage)
		if err == nil {
			switch {
			case f.opcode == opContinuation && kind == 0,
				(f.opcode == opText || f.opcode == opBinary) && kind != 0:
				err = &protocolError{closeProtocolError, "a fragmented message is interleaved with another"}
			case f.opcode > opBinary && f.opcode < opClose || f.opcode > opPong:
				err = &protocolError{closeProtocolError, "unknown opcode"}
			case len(msg)+len(f.payload) > maxMessage:
				err = &protocolError{closeTooBig, "a message is larger than 32 MiB"}
			}
		}
		if err != nil {
			c.fail(err)
			return
		}
		switch f.opcode {
		case opPing:
			c.control(opPong, f.payload)
			continue
		case opPong:
			continue
		case opClose:
			code, reason, err := parseClose(f.payload)
			if err != nil {
				c.fail(err)
				return
			}
			c.mu.Lock()
			c.gotClose = true
			answered := c.sentClose
			c.mu.Unlock()
			c.peer.deliver(wsMessage{kind: wsClose, code: code, reason: reason, clean: true})
			if answered {
				c.shut()
			} else {
				// Answer with the same code and reason; the writer hangs up after.
				c.deliver(wsMessage{kind: wsClose, code: code, reason: reason})
			}
			return
		case opText:
			kind = wsText
		case opBinary:
			kind = wsBinary
		}
		msg = append(msg, f.payload...)
		if !f.fin {
			continue
		}
		if kind == wsText && !utf8.Valid(msg) {
			c.fail(&protocolError{closeInvalidData, "a text message is not UTF-8"})
			return
		}
		c.peer.deliver(wsMessage{kind: kind, data: msg})
		msg, kind = nil, 0
	}
}

// fail ends the connection after a read error: a protocol error is
// answered with its close code; either way the other end learns that the
// connection closed without a closing handshake.
func (c *wsConn) fail(err error) {
	var pe *protocolError
	if errors.As(err, &pe) {
		c.peer.deliver(wsMessage{kind: wsError, reason: pe.msg})
		c.deliver(wsMessage{kind: wsClose, code: pe.code, reason: pe.msg})
		c.peer.deliver(wsMessage{kind: wsClose, code: pe.code, reason: pe.msg})
		time.AfterFunc(closeWait, c.shut)
		return
	}
	c.shut()
	c.mu.Lock()
	got := c.gotClose
	c.mu.Unlock()
	if !got {
		c.peer.deliver(wsMessage{kind: wsClose, code: closeAbnormal})
	}
}
