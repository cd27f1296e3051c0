// Seed "What is Alchemy" (002), "Development Mode". Changes: imports and the app are added.
import alchemy from "alchemy";
import { D1Database } from "alchemy/cloudflare";

await alchemy("my-app");

const db = await D1Database("app-db", {
  dev: { remote: true } // Use real D1 in dev mode
});
