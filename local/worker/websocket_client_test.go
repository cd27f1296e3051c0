package worker_test

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A WebSocket client and server for the tests, written from RFC 6455
// independently of the runtime's own framing, so that the two check each
// other.

// wsPeer is one end of a test WebSocket connection.
type wsPeer struct {
	t      *testing.T
	conn   net.Conn
	br     *bufio.Reader
	client bool // masks what it sends
	header http.Header
}

// wsMsg is a frame the test received.
type wsMsg struct {
	op   byte
	data []byte
}

func (m wsMsg) closeCode() (int, string) {
	if len(m.data) < 2 {
		return 1005, ""
	}
	return int(binary.BigEndian.Uint16(m.data)), string(m.data[2:])
}

const wsMagic = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

func wsAccept(key string) string {
	h := sha1.Sum([]byte(key + wsMagic))
	return base64.StdEncoding.EncodeToString(h[:])
}

// dialWS opens a WebSocket to addr (host:port) with the Host header host.
func dialWS(t *testing.T, addr, host, path string, extra ...string) *wsPeer {
	t.Helper()
	p, status, err := tryDialWS(addr, host, path, extra...)
	if err != nil {
		t.Fatalf("dial %s%s: %v", host, path, err)
	}
	if status != http.StatusSwitchingProtocols {
		t.Fatalf("dial %s%s: status %d, want 101", host, path, status)
	}
	p.t = t
	t.Cleanup(func() { p.conn.Close() })
	return p
}

func tryDialWS(addr, host, path string, extra ...string) (*wsPeer, int, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, 0, err
	}
	var k [16]byte
	_, _ = rand.Read(k[:])
	key := base64.StdEncoding.EncodeToString(k[:])
	req := "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key + "\r\n"
	for i := 0; i+1 < len(extra); i += 2 {
		req += extra[i] + ": " + extra[i+1] + "\r\n"
	}
	if _, err := io.WriteString(conn, req+"\r\n"); err != nil {
		conn.Close()
		return nil, 0, err
	}
	br := bufio.NewReader(conn)
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		conn.Close()
		return nil, 0, err
	}
	if res.StatusCode != http.StatusSwitchingProtocols {
		body, _ := io.ReadAll(res.Body)
		conn.Close()
		return nil, res.StatusCode, fmt.Errorf("status %d: %s", res.StatusCode, body)
	}
	if got := res.Header.Get("Sec-WebSocket-Accept"); got != wsAccept(key) {
		conn.Close()
		return nil, res.StatusCode, fmt.Errorf("Sec-WebSocket-Accept %q, want %q", got, wsAccept(key))
	}
	return &wsPeer{conn: conn, br: br, client: true, header: res.Header}, res.StatusCode, nil
}

// serveWS is a WebSocket server for a test: it upgrades each request and
// calls handle with the connection.
func serveWS(t *testing.T, handle func(p *wsPeer, r *http.Request)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			http.Error(w, "not a WebSocket request", http.StatusBadRequest)
			return
		}
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		defer conn.Close()
		resp := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
			wsAccept(r.Header.Get("Sec-WebSocket-Key")) + "\r\n"
		if proto := r.Header.Get("Sec-WebSocket-Protocol"); proto != "" {
			resp += "Sec-WebSocket-Protocol: " + strings.TrimSpace(strings.Split(proto, ",")[0]) + "\r\n"
		}
		if _, err := io.WriteString(conn, resp+"\r\n"); err != nil {
			return
		}
		handle(&wsPeer{t: t, conn: conn, br: brw.Reader}, r)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

func (p *wsPeer) write(op byte, payload []byte) {
	p.t.Helper()
	if err := p.tryWrite(op, payload); err != nil {
		p.t.Fatalf("write: %v", err)
	}
}

func (p *wsPeer) tryWrite(op byte, payload []byte) error {
	b := []byte{0x80 | op}
	mask := byte(0)
	if p.client {
		mask = 0x80
	}
	switch n := len(payload); {
	case n < 126:
		b = append(b, mask|byte(n))
	case n < 1<<16:
		b = append(b, mask|126, byte(n>>8), byte(n))
	default:
		b = append(b, mask|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	body := append([]byte(nil), payload...)
	if p.client {
		var k [4]byte
		_, _ = rand.Read(k[:])
		b = append(b, k[:]...)
		for i := range body {
			body[i] ^= k[i%4]
		}
	}
	_, err := p.conn.Write(append(b, body...))
	return err
}

func (p *wsPeer) text(s string)   { p.t.Helper(); p.write(0x1, []byte(s)) }
func (p *wsPeer) binary(b []byte) { p.t.Helper(); p.write(0x2, b) }
func (p *wsPeer) close(code int, reason string) {
	p.t.Helper()
	p.write(0x8, append(binary.BigEndian.AppendUint16(nil, uint16(code)), reason...))
}

// read reads the next frame, within 10 seconds.
func (p *wsPeer) read() wsMsg {
	p.t.Helper()
	m, err := p.tryRead()
	if err != nil {
		p.t.Fatalf("read: %v", err)
	}
	return m
}

func (p *wsPeer) tryRead() (wsMsg, error) {
	_ = p.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var h [2]byte
	if _, err := io.ReadFull(p.br, h[:]); err != nil {
		return wsMsg{}, err
	}
	if h[0]&0x80 == 0 {
		return wsMsg{}, fmt.Errorf("a fragmented frame (the runtime sends whole messages)")
	}
	if masked := h[1]&0x80 != 0; masked == p.client {
		return wsMsg{}, fmt.Errorf("masked = %v on a frame to a client = %v", masked, p.client)
	}
	n := uint64(h[1] & 0x7F)
	switch n {
	case 126:
		var b [2]byte
		if _, err := io.ReadFull(p.br, b[:]); err != nil {
			return wsMsg{}, err
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err := io.ReadFull(p.br, b[:]); err != nil {
			return wsMsg{}, err
		}
		n = binary.BigEndian.Uint64(b[:])
	}
	var k [4]byte
	if !p.client {
		if _, err := io.ReadFull(p.br, k[:]); err != nil {
			return wsMsg{}, err
		}
	}
	data := make([]byte, n)
	if _, err := io.ReadFull(p.br, data); err != nil {
		return wsMsg{}, err
	}
	if !p.client {
		for i := range data {
			data[i] ^= k[i%4]
		}
	}
	return wsMsg{op: h[0] & 0x0F, data: data}, nil
}

// expectText reads a text message and checks it.
func (p *wsPeer) expectText(want string) {
	p.t.Helper()
	m := p.read()
	if m.op != 0x1 || string(m.data) != want {
		p.t.Fatalf("got opcode %d %q, want text %q", m.op, m.data, want)
	}
}

// expectClose reads a close frame and checks its code and reason.
func (p *wsPeer) expectClose(code int, reason string) {
	p.t.Helper()
	m := p.read()
	if m.op != 0x8 {
		p.t.Fatalf("got opcode %d %q, want a close frame", m.op, m.data)
	}
	if c, r := m.closeCode(); c != code || r != reason {
		p.t.Fatalf("close %d %q, want %d %q", c, r, code, reason)
	}
}

// expectEOF checks that the other side hangs up.
func (p *wsPeer) expectEOF() {
	p.t.Helper()
	if m, err := p.tryRead(); err == nil {
		p.t.Fatalf("got opcode %d %q, want the connection closed", m.op, m.data)
	}
}

// expectCloseAfterText reads past text messages (a chat's broadcasts) to a
// close frame and checks its code and reason.
func (p *wsPeer) expectCloseAfterText(code int, reason string) {
	p.t.Helper()
	for {
		m := p.read()
		if m.op == 0x1 {
			continue
		}
		if m.op != 0x8 {
			p.t.Fatalf("got opcode %d %q, want a close frame", m.op, m.data)
		}
		if c, r := m.closeCode(); c != code || r != reason {
			p.t.Fatalf("close %d %q, want %d %q", c, r, code, reason)
		}
		return
	}
}
