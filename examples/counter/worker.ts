interface Env {
  VISITS: KVNamespace;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (new URL(request.url).pathname !== "/") {
      return new Response("not found\n", { status: 404 });
    }
    const visits = Number((await env.VISITS.get("visits")) ?? 0) + 1;
    await env.VISITS.put("visits", String(visits));
    const greeting = await env.VISITS.get("greeting");
    return new Response(`${greeting}! Visit number ${visits}, counted in KV.\n`);
  },
};
