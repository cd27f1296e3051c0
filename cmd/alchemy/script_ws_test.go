package main

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
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// Testscript command of WebSockets:
//
//	ws [-close CODE REASON] URL [Host:NAME] [MSG]...
//	    open a WebSocket to URL (host and path; Host:NAME sets the Host
//	    header), send each MSG as a text message and print the message that
//	    answers it as "< TEXT" (or "< binary HEX"), then close with CODE and
//	    REASON (1000 and none by default) and print the peer's close as
//	    "close CODE REASON". A server that closes instead of answering
//	    ends it: its close is printed and answered.
func init() {
	scriptCmds["ws"] = wsCmd
}

func wsCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("ws does not support !")
	}
	code, reason := 1000, ""
	if len(args) >= 3 && args[0] == "-close" {
		c, err := strconv.Atoi(args[1])
		ts.Check(err)
		code, reason, args = c, args[2], args[3:]
	}
	if len(args) == 0 {
		ts.Fatalf("usage: ws [-close CODE REASON] URL [Host:NAME] [MSG]...")
	}
	u, err := url.Parse(args[0])
	ts.Check(err)
	host := u.Host
	msgs := args[1:]
	if len(msgs) > 0 && strings.HasPrefix(msgs[0], "Host:") {
		host, msgs = strings.TrimPrefix(msgs[0], "Host:"), msgs[1:]
	}
	c, err := dialScriptWS(u.Host, host, u.RequestURI())
	if err != nil {
		ts.Fatalf("ws %s: %v", args[0], err)
	}
	defer c.conn.Close()
	out := ts.Stdout()
	for _, m := range msgs {
		ts.Check(c.write(0x1, []byte(m)))
		op, data, err := c.read()
		ts.Check(err)
		switch op {
		case 0x1:
			fmt.Fprintf(out, "< %s\n", data)
		case 0x8:
			// The server closed: answer with its code, and stop.
			fmt.Fprintln(out, closeText(data))
			ts.Check(c.write(0x8, data[:min(2, len(data))]))
			return
		default:
			fmt.Fprintf(out, "< binary %x\n", data)
		}
	}
	ts.Check(c.write(0x8, append(binary.BigEndian.AppendUint16(nil, uint16(code)), reason...)))
	for {
		op, data, err := c.read()
		ts.Check(err)
		if op == 0x8 {
			fmt.Fprintln(out, closeText(data))
			return
		}
	}
}

func closeText(p []byte) string {
	if len(p) < 2 {
		return "close 1005"
	}
	return strings.TrimSpace(fmt.Sprintf("close %d %s", binary.BigEndian.Uint16(p), p[2:]))
}

type scriptWS struct {
	conn net.Conn
	br   *bufio.Reader
}

func dialScriptWS(addr, host, path string) (*scriptWS, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	_ = conn.SetDeadline(time.Now().Add(devWait))
	var k [16]byte
	_, _ = rand.Read(k[:])
	key := base64.StdEncoding.EncodeToString(k[:])
	_, err = fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: %s\r\n\r\n", path, host, key)
	if err != nil {
		conn.Close()
		return nil, err
	}
	br := bufio.NewReader(conn)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if res.StatusCode != http.StatusSwitchingProtocols {
		body, _ := io.ReadAll(res.Body)
		conn.Close()
		return nil, fmt.Errorf("status %d: %s", res.StatusCode, body)
	}
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	if res.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) {
		conn.Close()
		return nil, fmt.Errorf("bad Sec-WebSocket-Accept %q", res.Header.Get("Sec-WebSocket-Accept"))
	}
	return &scriptWS{conn: conn, br: br}, nil
}

// write sends one masked frame.
func (c *scriptWS) write(op byte, payload []byte) error {
	b := []byte{0x80 | op}
	switch n := len(payload); {
	case n < 126:
		b = append(b, 0x80|byte(n))
	case n < 1<<16:
		b = append(b, 0x80|126, byte(n>>8), byte(n))
	default:
		b = binary.BigEndian.AppendUint64(append(b, 0x80|127), uint64(n))
	}
	var mask [4]byte
	_, _ = rand.Read(mask[:])
	b = append(b, mask[:]...)
	for i, x := range payload {
		b = append(b, x^mask[i%4])
	}
	_, err := c.conn.Write(b)
	return err
}

// read reads one unmasked frame.
func (c *scriptWS) read() (byte, []byte, error) {
	var h [2]byte
	if _, err := io.ReadFull(c.br, h[:]); err != nil {
		return 0, nil, err
	}
	n := uint64(h[1] & 0x7F)
	switch n {
	case 126:
		var b [2]byte
		if _, err := io.ReadFull(c.br, b[:]); err != nil {
			return 0, nil, err
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err := io.ReadFull(c.br, b[:]); err != nil {
			return 0, nil, err
		}
		n = binary.BigEndian.Uint64(b[:])
	}
	data := make([]byte, n)
	if _, err := io.ReadFull(c.br, data); err != nil {
		return 0, nil, err
	}
	return h[0] & 0x0F, data, nil
}
