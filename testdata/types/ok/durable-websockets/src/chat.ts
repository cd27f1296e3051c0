import { DurableObject } from "cloudflare:workers";
import type { worker } from "../alchemy.run.ts";

type Env = typeof worker.Env;

export class Chat extends DurableObject<Env> {
  async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade") !== "websocket") {
      return new Response("expected a websocket", { status: 426 });
    }
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    server.serializeAttachment({ joined: Date.now() });
    this.ctx.acceptWebSocket(server, ["chat"]);
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const { joined } = ws.deserializeAttachment() as { joined: number };
    for (const peer of this.ctx.getWebSockets("chat")) {
      if (peer !== ws) peer.send(typeof message === "string" ? `${joined}: ${message}` : message);
    }
  }

  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    ws.close(code, reason);
  }
}

export default {
  async fetch(request, env): Promise<Response> {
    return env.CHAT.getByName(new URL(request.url).pathname).fetch(request);
  },
} satisfies ExportedHandler<Env>;
