import type { worker } from "./bindings.run.ts";

type Env = typeof worker.Env;

export default {
  async fetch(request, env) {
    const task = (await request.json()) as { id: string };
    await env.TASKS.send(task);
    await env.DATA.put(`task:${task.id}`, JSON.stringify(task));
    return new Response(env.API_KEY.length > 0 ? "queued" : "no key", { status: 202 });
  },
  async queue(batch, env) {
    for (const message of batch.messages) {
      await env.DATA.delete(`task:${String((message.body as { id: string }).id)}`);
      message.ack();
    }
  },
} satisfies ExportedHandler<Env>;
