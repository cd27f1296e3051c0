import type { MessageBatchFor } from "./types.ts";

export interface Message {
  key: string;
  body: string;
}

interface Env {
  DB: D1Database;
  OUT: R2Bucket;
}

export default {
  async queue(batch: MessageBatchFor<Message>, env: Env): Promise<void> {
    const insert = env.DB.prepare("INSERT INTO messages (key, body) VALUES (?1, ?2)");
    await env.DB.batch(batch.messages.map((m) => insert.bind(m.body.key, m.body.body)));
    for (const message of batch.messages) {
      await env.OUT.put(`messages/${message.body.key}`, message.body.body, { customMetadata: { attempts: String(message.attempts) } });
    }
    batch.ackAll();
  },

  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    const { results } = await env.DB.prepare("SELECT count(*) AS n FROM messages").all<{ n: number }>();
    ctx.waitUntil(env.OUT.put("stats.json", JSON.stringify({ at: controller.scheduledTime, n: results[0]?.n ?? 0 })));
  },
} satisfies ExportedHandler<Env, Message>;
