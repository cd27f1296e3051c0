// A Durable Object that accepts WebSockets with the hibernation API.
import alchemy from "alchemy";
import { DurableObjectNamespace, Worker } from "alchemy/cloudflare";
import type { Chat } from "./src/chat.ts";

await alchemy("durable-websockets");

export const worker = await Worker("chat", {
  entrypoint: "./src/chat.ts",
  bindings: {
    CHAT: DurableObjectNamespace<Chat>("chat", { className: "Chat", sqlite: true }),
  },
});
