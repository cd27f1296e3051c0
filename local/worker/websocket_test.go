package worker_test

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	goruntime "runtime"
	"strings"
	"testing"
	"time"

	"github.com/alchemy-go/alchemy/local/store"
	"github.com/alchemy-go/alchemy/local/worker"
)

// waitLog waits until the Workers' log contains want.
func (e *env) waitLog(want string) {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(e.log.String(), want) {
		if time.Now().After(deadline) {
			e.t.Fatalf("the log never said %q; it has:\n%s", want, e.log.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// dial opens a WebSocket to a Worker through the local Cloudflare's Host
// routing.
func (e *env) dial(name, path string, header ...string) *wsPeer {
	e.t.Helper()
	return dialWS(e.t, e.srv.Addr(), e.srv.WorkerHostname(name), path, header...)
}

const echoWorker = `
export default {
  fetch(request) {
    if (request.headers.get("upgrade") !== "websocket") return new Response("expected a WebSocket", { status: 426 });
    const pair = new WebSocketPair();
    const [client, server] = pair;
    if (pair[0] !== client || pair[1] !== server || Object.keys(pair).join() !== "0,1") throw new Error("the pair is not {0: client, 1: server}");
    if (server.readyState !== WebSocket.READY_STATE_OPEN || WebSocket.CLOSED !== 3) throw new Error("bad readyState");
    server.accept();
    server.addEventListener("message", (event) => {
      const data = event.data;
      if (typeof data !== "string") {
        if (!(data instanceof ArrayBuffer)) throw new Error("binary data is not an ArrayBuffer");
        server.send(new Uint8Array(data).reverse());
        return;
      }
      if (data.startsWith("close ")) {
        const [, code, reason] = data.split(" ");
        server.close(Number(code), reason);
        return;
      }
      server.send("echo " + data);
    });
    server.addEventListener("close", (event) => {
      console.log("closed", event.code, JSON.stringify(event.reason), event.wasClean, server.readyState);
    });
    server.send("hello");
    return new Response(null, { status: 101, webSocket: client, headers: { "sec-websocket-protocol": "echo" } });
  },
};
`

func TestWebSocketEcho(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("echo", script{modules: []store.Module{module("worker.js", echoWorker)}})
	big := bytes.Repeat([]byte("0123456789"), 7000) // a 64-bit length on the wire
	reversed := func(b []byte) []byte {
		out := make([]byte, len(b))
		for i, c := range b {
			out[len(b)-1-i] = c
		}
		return out
	}
	tests := []struct {
		name string
		talk func(t *testing.T, c *wsPeer)
		log  string // what the Worker's close listener logs
	}{
		{"text", func(t *testing.T, c *wsPeer) {
			c.text("hi")
			c.expectText("echo hi")
			c.text("héllo ✓")
			c.expectText("echo héllo ✓")
			c.close(1000, "")
			c.expectClose(1000, "")
			c.expectEOF()
		}, "closed 1000 \"\" true 3"},
		{"binary", func(t *testing.T, c *wsPeer) {
			for _, b := range [][]byte{{0, 1, 2, 255}, big} {
				c.binary(b)
				m := c.read()
				if m.op != 0x2 || !bytes.Equal(m.data, reversed(b)) {
					t.Fatalf("binary echo of %d bytes: opcode %d, %d bytes", len(b), m.op, len(m.data))
				}
			}
			c.close(4000, "binary done")
			c.expectClose(4000, "binary done")
		}, "closed 4000 \"binary done\" true 3"},
		{"ping", func(t *testing.T, c *wsPeer) {
			c.write(0x9, []byte("are you there"))
			m := c.read()
			if m.op != 0xA || string(m.data) != "are you there" {
				t.Fatalf("got opcode %d %q, want the pong", m.op, m.data)
			}
			c.close(4001, "pinged")
			c.expectClose(4001, "pinged")
		}, "closed 4001 \"pinged\" true 3"},
		{"server closes", func(t *testing.T, c *wsPeer) {
			c.text("close 4002 bye")
			c.expectClose(4002, "bye")
			c.close(4002, "bye")
			c.expectEOF()
		}, "closed 4002 \"bye\" true 3"},
		{"client drops", func(t *testing.T, c *wsPeer) {
			c.text("x")
			c.expectText("echo x")
			c.conn.Close()
		}, "closed 1006 \"\" false 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.dial("echo", "/"+strings.ReplaceAll(tt.name, " ", "-"))
			c.t = t
			if got := c.header.Get("Sec-WebSocket-Protocol"); got != "echo" {
				t.Errorf("Sec-WebSocket-Protocol %q, want the Worker's echo", got)
			}
			c.expectText("hello")
			tt.talk(t, c)
			e.waitLog(tt.log)
		})
	}
}

func TestWebSocketRefusals(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("echo", script{modules: []store.Module{module("worker.js", `
export default {
  fetch(request) {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    server.addEventListener("close", (e) => console.log("server heard", e.code));
    if (new URL(request.url).pathname === "/accepted") return new Response(null, { status: 101, webSocket: server });
    return new Response(null, { status: 101, webSocket: client });
  },
};
`)}})
	// A 101 to a request that is no WebSocket handshake is the Worker's error.
	status, body, _ := e.do("GET", "echo", "/", "")
	if status != http.StatusInternalServerError || !strings.Contains(body, "Upgrade: websocket") {
		t.Errorf("plain GET: %d %q, want a 500 naming the missing Upgrade header", status, body)
	}
	e.waitLog("[echo] server heard 1006")
	// A socket the Worker accepted itself cannot be handed to the client.
	_, status, err := tryDialWS(e.srv.Addr(), e.srv.WorkerHostname("echo"), "/accepted")
	if status != http.StatusInternalServerError || err == nil || !strings.Contains(err.Error(), "accepted cannot be returned") {
		t.Errorf("accepted socket: %d %v, want a 500 saying why", status, err)
	}
}

const chatWorker = `
import { DurableObject } from "cloudflare:workers";

export class Room extends DurableObject {
  async fetch(request) {
    const name = new URL(request.url).searchParams.get("name");
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, [name, "everyone"]);
    server.serializeAttachment({ name });
    this.broadcast(server, name + " joined");
    return new Response(null, { status: 101, webSocket: client });
  }
  broadcast(from, text) {
    for (const ws of this.ctx.getWebSockets()) if (ws !== from) ws.send(text);
  }
  async webSocketMessage(ws, message) {
    const { name } = ws.deserializeAttachment();
    if (message === "who") {
      const names = this.ctx.getWebSockets("everyone").map((w) => this.ctx.getTags(w)[0]).sort();
      ws.send("here: " + names.join(","));
      return;
    }
    this.broadcast(ws, name + ": " + message);
  }
  async webSocketClose(ws, code, reason, wasClean) {
    const { name } = ws.deserializeAttachment();
    console.log("left", name, code, reason, wasClean);
    this.broadcast(ws, name + " left");
  }
}

export default {
  fetch(request, env) {
    return env.ROOM.getByName("lobby").fetch(request);
  },
};
`

func TestWebSocketDurableObjectChat(t *testing.T) {
	e := start(t, worker.Options{Isolates: 2})
	e.deploy("chat", script{
		modules:    []store.Module{module("worker.js", chatWorker)},
		migrations: &store.Migrations{MigrationStep: store.MigrationStep{NewSqliteClasses: []string{"Room"}}},
		bindings:   []store.Binding{{"name": "ROOM", "type": "durable_object_namespace", "class_name": "Room"}},
	})
	ada := e.dial("chat", "/?name=ada")
	bob := e.dial("chat", "/?name=bob")
	ada.expectText("bob joined")
	bob.text("who")
	bob.expectText("here: ada,bob")
	ada.text("hello bob")
	bob.expectText("ada: hello bob")
	bob.text("hi ada")
	ada.expectText("bob: hi ada")
	ada.close(1000, "bye")
	ada.expectClose(1000, "bye")
	e.waitLog(`[chat] left ada 1000 bye true`)
	bob.expectText("ada left")
	bob.text("who")
	bob.expectText("here: bob")
}

func TestWebSocketOutbound(t *testing.T) {
	server := serveWS(t, func(p *wsPeer, r *http.Request) {
		p.write(0x1, []byte("welcome "+r.Header.Get("Sec-WebSocket-Protocol")))
		for {
			m, err := p.tryRead()
			if err != nil {
				return
			}
			if m.op == 0x8 {
				_ = p.tryWrite(0x8, m.data)
				return
			}
			_ = p.tryWrite(m.op, append([]byte("server got "), m.data...))
		}
	})
	e := start(t, worker.Options{})
	e.deploy("echo", script{modules: []store.Module{module("worker.js", echoWorker)}})
	e.deploy("client", script{
		modules: []store.Module{module("worker.js", `
// talk sends two messages on ws and resolves with what came back, the
// close included.
const talk = (ws) => new Promise((resolve) => {
  const got = [];
  ws.addEventListener("message", (e) => {
    got.push(typeof e.data === "string" ? e.data : "binary " + new TextDecoder().decode(e.data));
    if (got.length === 3) ws.close(1000, "enough");
  });
  ws.addEventListener("close", (e) => resolve(got.join("|") + "|close " + e.code + " " + e.reason));
  ws.send("one");
  ws.send(new TextEncoder().encode("two"));
});

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const target = url.searchParams.get("to");
    switch (url.pathname) {
      case "/fetch": {
        const res = await fetch(target, { headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": "chat" } });
        if (res.status !== 101 || !res.webSocket) return new Response("no socket: " + res.status, { status: 500 });
        res.webSocket.accept();
        return new Response(await talk(res.webSocket));
      }
      case "/constructor": {
        const ws = new WebSocket(target, ["chat"]);
        if (ws.readyState !== WebSocket.CONNECTING) throw new Error("not connecting");
        await new Promise((resolve, reject) => {
          ws.addEventListener("open", resolve);
          ws.addEventListener("error", (e) => reject(new Error(e.message)));
        });
        return new Response(ws.protocol + " " + (await talk(ws)));
      }
      case "/service": {
        const res = await env.ECHO.fetch("http://echo/", { headers: { Upgrade: "websocket" } });
        res.webSocket.accept();
        return new Response(await talk(res.webSocket));
      }
    }
    return new Response("unknown path", { status: 404 });
  },
};
`)},
		bindings: []store.Binding{{"name": "ECHO", "type": "service", "service": "echo"}},
	})
	echoURL := "http://" + e.srv.WorkerHostname("echo") + "/"
	tests := []struct{ path, to, want string }{
		{"/fetch", "http://" + server, "welcome chat|server got one|binary server got two|close 1000 enough"},
		{"/fetch", "ws://" + server, "welcome chat|server got one|binary server got two|close 1000 enough"},
		{"/constructor", "ws://" + server, "chat welcome chat|server got one|binary server got two|close 1000 enough"},
		{"/fetch", echoURL, "hello|echo one|binary owt|close 1000 enough"},
		{"/service", "", "hello|echo one|binary owt|close 1000 enough"},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.to, func(t *testing.T) {
			status, body := e.get("client", tt.path+"?to="+tt.to)
			if status != 200 || body != tt.want {
				t.Fatalf("%s to %s: %d %q, want %q\nlog:\n%s", tt.path, tt.to, status, body, tt.want, e.log.String())
			}
		})
	}
}

// TestWebSocketTeardown opens and ends connections every way there is and
// checks that no goroutine outlives them.
func TestWebSocketTeardown(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("echo", script{modules: []store.Module{module("worker.js", echoWorker)}})
	e.deploy("chat", script{
		modules:    []store.Module{module("worker.js", chatWorker)},
		migrations: &store.Migrations{MigrationStep: store.MigrationStep{NewSqliteClasses: []string{"Room"}}},
		bindings:   []store.Binding{{"name": "ROOM", "type": "durable_object_namespace", "class_name": "Room"}},
	})
	// Warm up: the isolates and the HTTP server's goroutines exist before
	// the count.
	warm := e.dial("echo", "/warm")
	warm.expectText("hello")
	warm.close(1000, "")
	warm.expectClose(1000, "")
	warm.expectEOF()
	e.waitLog(`closed 1000 "" true`)
	w2 := e.dial("chat", "/?name=warm")
	w2.close(1000, "")
	w2.expectClose(1000, "")
	e.waitLog("left warm")
	http.DefaultClient.CloseIdleConnections()
	before := goroutines(t, -1)

	for i := range 10 {
		c := e.dial("echo", fmt.Sprintf("/%d", i))
		c.expectText("hello")
		switch i % 3 {
		case 0:
			c.close(1000, "")
			c.expectClose(1000, "")
		case 1:
			c.text("close 1000 done")
			c.expectClose(1000, "done")
			c.close(1000, "done")
		case 2:
			c.conn.Close()
		}
		d := e.dial("chat", fmt.Sprintf("/?name=n%d", i))
		if i%2 == 0 {
			d.conn.Close()
		} else {
			d.close(1000, "")
			d.expectCloseAfterText(1000, "")
		}
	}
	e.waitLog("left n9")
	if got := goroutines(t, before); got > before {
		t.Fatalf("%d goroutines after the connections ended, %d before", got, before)
	}

	// A redeploy stops the isolates: their sockets close with 1001.
	c := e.dial("echo", "/redeploy")
	c.expectText("hello")
	e.deploy("echo", script{modules: []store.Module{module("worker.js", echoWorker+"\n// v2\n")}})
	e.expect("echo", "/", 426, "expected a WebSocket")
	c.expectClose(1001, "the Worker stopped")
	c.close(1001, "")
	c.expectEOF()
}

// goroutines waits until at most want goroutines run (want < 0: until the
// count settles) and returns the count.
func goroutines(t *testing.T, want int) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	last := -1
	for {
		n := goruntime.NumGoroutine()
		if want >= 0 && n <= want || want < 0 && n == last {
			return n
		}
		if time.Now().After(deadline) {
			if want >= 0 {
				buf := make([]byte, 1<<20)
				t.Logf("goroutines:\n%s", buf[:goruntime.Stack(buf, true)])
			}
			return n
		}
		last = n
		time.Sleep(100 * time.Millisecond)
	}
}

// TestWebSocketOwnPort upgrades through Handler, which serves a Worker on
// a port of its own as alchemy dev does.
func TestWebSocketOwnPort(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("echo", script{modules: []store.Module{module("worker.js", echoWorker)}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: e.rt.Handler(e.srv.AccountID(), "echo")}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	c := dialWS(t, ln.Addr().String(), "localhost", "/")
	c.expectText("hello")
	c.text("on its own port")
	c.expectText("echo on its own port")
	c.close(1000, "")
	c.expectClose(1000, "")
}

// TestWebSocketPairInIsolate talks between the two ends of a pair that
// never leave the Worker: messages queue until accept(), and a close is
// answered.
func TestWebSocketPairInIsolate(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("pair", script{modules: []store.Module{module("worker.js", `
export default {
  async fetch() {
    const [a, b] = new WebSocketPair();
    const log = [];
    a.accept();
    a.send("early");
    try { b.send("x"); } catch (e) { log.push("unaccepted send throws"); }
    b.binaryType = "arraybuffer";
    const closed = new Promise((resolve) => {
      b.addEventListener("message", (e) => {
        log.push("b got " + (typeof e.data === "string" ? e.data : e.data.byteLength + " bytes"));
        if (e.data === "early") b.send(new Uint16Array([1, 2]));
      });
      a.addEventListener("message", (e) => { log.push("a got " + e.data.byteLength + " bytes"); a.close(4000, "done"); });
      a.addEventListener("close", (e) => log.push("a closed " + e.code + " " + e.reason + " " + a.readyState));
      b.addEventListener("close", (e) => { log.push("b closed " + e.code + " " + e.wasClean); resolve(); });
    });
    b.accept();
    await closed;
    await new Promise((r) => setTimeout(r, 10));
    return new Response(log.join("\n"));
  },
};
`)}})
	e.expect("pair", "/", 200, "unaccepted send throws\nb got early\na got 4 bytes\nb closed 4000 true\na closed 4000 done 3")
}
