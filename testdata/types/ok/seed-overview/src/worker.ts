export default {
  async fetch(request, env) {
    const cached = await env.CACHE.get(request.url);
    if (cached !== null) return new Response(cached);
    const body = `rendered ${Date.now()}`;
    await env.CACHE.put(request.url, body, { expirationTtl: 60 });
    return new Response(body);
  },
} satisfies ExportedHandler<{ CACHE: KVNamespace }>;
