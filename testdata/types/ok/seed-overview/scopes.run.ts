// Seed "What is Alchemy" (002), "Scopes". Changes: imports are added; the seed's placeholder
// `Database("main")` is D1Database, and Worker gets the entrypoint it requires.
import alchemy from "alchemy";
import { D1Database as Database, Worker } from "alchemy/cloudflare";

const app = await alchemy("my-app"); // app scope

// Resources here are in the app/dev scope
const db = await Database("main");

// Create a nested scope
await alchemy.run("backend", async () => {
  // Resources here are in app/dev/backend scope
  const api = await Worker("api", { entrypoint: "./src/api.ts" });
});
