import { DurableObject, env, waitUntil, WorkerEntrypoint } from "cloudflare:workers";

export class Room extends DurableObject {
  async post(text: string): Promise<number> {
    const count = ((await this.ctx.storage.get<number>("count")) ?? 0) + 1;
    if (count > this.env.MAX_MESSAGES) throw new Error("room is full");
    await this.ctx.storage.put({ count, [`message:${count}`]: text });
    return count;
  }

  async history(): Promise<string[]> {
    const messages = await this.ctx.storage.list<string>({ prefix: "message:" });
    return [...messages.values()];
  }
}

export default class extends WorkerEntrypoint {
  async fetch(request: Request): Promise<Response> {
    const room = this.env.ROOMS.getByName(new URL(request.url).pathname);
    if (request.method === "GET") return Response.json(await room.history());
    const count = await room.post(await request.text());
    waitUntil(env.MESSAGES.put("last", String(count)));
    return Response.json({ count });
  }
}
