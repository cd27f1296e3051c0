package worker

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// RFC 6455 framing: what the local runtime speaks on the wire for the
// WebSockets of Workers, as a server (upgraded requests) and as a client
// (fetch with Upgrade: websocket).

// Frame opcodes.
const (
	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opClose        = 0x8
	opPing         = 0x9
	opPong         = 0xA
)

// Close codes with a meaning of their own.
const (
	closeNormal        = 1000
	closeGoingAway     = 1001
	closeProtocolError = 1002
	closeNoStatus      = 1005 // a close frame without a code; never sent
	closeAbnormal      = 1006 // the connection ended without a close frame; never sent
	closeInvalidData   = 1007
	closeTooBig        = 1009
	closeInternalError = 1011
)

// maxMessage is the largest message a WebSocket accepts, as on Cloudflare.
const maxMessage = 32 << 20

// wsGUID is the handshake's fixed key suffix (RFC 6455, section 1.3).
const wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// acceptKey is the Sec-WebSocket-Accept answering a Sec-WebSocket-Key.
func acceptKey(key string) string {
	h := sha1.Sum([]byte(key + wsGUID))
	return base64.StdEncoding.EncodeToString(h[:])
}

// newClientKey returns a fresh Sec-WebSocket-Key.
func newClientKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.StdEncoding.EncodeToString(b[:])
}

// headerHasToken reports whether a comma-separated header lists token.
func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// isUpgradeRequest reports whether r asks for a WebSocket.
func isUpgradeRequest(r *http.Request) bool {
	return headerHasToken(r.Header, "Upgrade", "websocket")
}

// checkUpgradeRequest reports why r is not a valid WebSocket handshake.
func checkUpgradeRequest(r *http.Request) error {
	switch {
	case r.Method != http.MethodGet:
		return fmt.Errorf("a WebSocket handshake must be a GET request, not %s", r.Method)
	case !headerHasToken(r.Header, "Connection", "upgrade"):
		return errors.New(`a WebSocket handshake needs the header "Connection: Upgrade"`)
	case r.Header.Get("Sec-WebSocket-Version") != "13":
		return errors.New(`a WebSocket handshake needs the header "Sec-WebSocket-Version: 13"`)
	}
	key, err := base64.StdEncoding.DecodeString(r.Header.Get("Sec-WebSocket-Key"))
	if err != nil || len(key) != 16 {
		return errors.New("a WebSocket handshake needs a Sec-WebSocket-Key of 16 bytes in base64")
	}
	return nil
}

// wsFrame is one frame read off the wire, unmasked.
type wsFrame struct {
	fin     bool
	opcode  byte
	payload []byte
}

// protocolError is a peer's violation of the protocol: the connection
// closes with code.
type protocolError struct {
	code int
	msg  string
}

func (e *protocolError) Error() string { return e.msg }

// readFrame reads one frame. A server reads masked frames and a client
// unmasked ones; limit bounds the payload.
func readFrame(r *bufio.Reader, server bool, limit int) (wsFrame, error) {
	var head [2]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return wsFrame{}, err
	}
	f := wsFrame{fin: head[0]&0x80 != 0, opcode: head[0] & 0x0F}
	if head[0]&0x70 != 0 {
		return f, &protocolError{closeProtocolError, "reserved bits set without an extension"}
	}
	masked := head[1]&0x80 != 0
	if masked != server {
		if server {
			return f, &protocolError{closeProtocolError, "a client frame is not masked"}
		}
		return f, &protocolError{closeProtocolError, "a server frame is masked"}
	}
	n := uint64(head[1] & 0x7F)
	switch n {
	case 126:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return f, err
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return f, err
		}
		n = binary.BigEndian.Uint64(b[:])
	}
	if f.opcode >= opClose {
		if n > 125 || !f.fin {
			return f, &protocolError{closeProtocolError, "a control frame is fragmented or longer than 125 bytes"}
		}
	}
	if n > uint64(limit) {
		return f, &protocolError{closeTooBig, fmt.Sprintf("a message is larger than %d bytes", limit)}
	}
	var mask [4]byte
	if masked {
		if _, err := io.ReadFull(r, mask[:]); err != nil {
			return f, err
		}
	}
	f.payload = make([]byte, n)
	if _, err := io.ReadFull(r, f.payload); err != nil {
		return f, err
	}
	if masked {
		for i := range f.payload {
			f.payload[i] ^= mask[i&3]
		}
	}
	return f, nil
}

// appendFrame appends one final frame to buf; a client masks it.
func appendFrame(buf []byte, opcode byte, payload []byte, client bool) []byte {
	buf = append(buf, 0x80|opcode)
	var maskBit byte
	if client {
		maskBit = 0x80
	}
	switch n := len(payload); {
	case n < 126:
		buf = append(buf, maskBit|byte(n))
	case n <= 0xFFFF:
		buf = append(buf, maskBit|126)
		buf = binary.BigEndian.AppendUint16(buf, uint16(n))
	default:
		buf = append(buf, maskBit|127)
		buf = binary.BigEndian.AppendUint64(buf, uint64(n))
	}
	if !client {
		return append(buf, payload...)
	}
	var mask [4]byte
	_, _ = rand.Read(mask[:])
	buf = append(buf, mask[:]...)
	start := len(buf)
	buf = append(buf, payload...)
	for i := range payload {
		buf[start+i] ^= mask[i&3]
	}
	return buf
}

// closePayload is a close frame's body: the code and the reason, or
// nothing for closeNoStatus.
func closePayload(code int, reason string) []byte {
	if code == closeNoStatus || code == closeAbnormal || code == 0 {
		return nil
	}
	return append(binary.BigEndian.AppendUint16(nil, uint16(code)), reason...)
}

// parseClose reads a close frame's body.
func parseClose(p []byte) (code int, reason string, err error) {
	switch {
	case len(p) == 0:
		return closeNoStatus, "", nil
	case len(p) == 1:
		return 0, "", &protocolError{closeProtocolError, "a close frame has a one-byte body"}
	}
	code = int(binary.BigEndian.Uint16(p))
	if !validCloseCode(code) {
		return 0, "", &protocolError{closeProtocolError, fmt.Sprintf("close code %d is not allowed on the wire", code)}
	}
	if !utf8.Valid(p[2:]) {
		return 0, "", &protocolError{closeInvalidData, "a close reason is not UTF-8"}
	}
	return code, string(p[2:]), nil
}

// validCloseCode reports whether a close frame may carry code.
func validCloseCode(code int) bool {
	switch {
	case code >= 3000 && code <= 4999:
		return true
	case code >= 1000 && code <= 1014:
		return code != 1004 && code != closeNoStatus && code != closeAbnormal
	}
	return false
}
