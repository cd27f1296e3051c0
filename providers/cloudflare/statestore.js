// The state service of CloudflareStateStore: one Durable Object ("Store",
// SQLite-backed, the instance named "default") keeps every record of the
// account's apps in one table. Clients POST {method, params, context:
// {chain}} with "Authorization: Bearer <STATE_TOKEN>" and get back
// {success: true, status, result} or {success: false, status, error}. HEAD
// answers 200 to a client holding the right token.
//
// The table, and the bookkeeping row of the migrator the TypeScript
// library's own service runs, are the ones that service uses, so either
// service can take over the other's storage.
import { DurableObject } from "cloudflare:workers";

const SCHEMA_VERSION = 1752097986271;
const COLUMNS = ["id", "status", "kind", "fqn", "seq", "data", "props", "oldProps", "output"];
const JSON_COLUMNS = new Set(["data", "props", "oldProps", "output"]);

const reply = (status, body) => Response.json({ status, ...body }, { status });

async function authorized(request, env) {
  const header = request.headers.get("Authorization") || "";
  const [scheme, token] = header.split(" ");
  if (scheme !== "Bearer" || !token) return false;
  const enc = new TextEncoder();
  const [want, got] = await Promise.all([
    crypto.subtle.digest("SHA-256", enc.encode(env.STATE_TOKEN)),
    crypto.subtle.digest("SHA-256", enc.encode(token)),
  ]);
  return crypto.subtle.timingSafeEqual(want, got);
}

export default {
  async fetch(request, env) {
    if (!(await authorized(request, env))) {
      return reply(401, { success: false, error: "Unauthorized" });
    }
    if (request.method === "HEAD") return new Response(null, { status: 200 });
    if (request.method !== "POST") {
      return reply(405, { success: false, error: "Method not allowed" });
    }
    try {
      const call = await request.json();
      const store = env.STORE.get(env.STORE.idFromName("default"));
      const result = await store.call(call);
      return reply(200, { success: true, result });
    } catch (e) {
      return reply(500, { success: false, error: String(e) });
    }
  },
};

export class Store extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      ctx.storage.transactionSync(() => this.migrate());
    });
  }

  migrate() {
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS __drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)",
    );
    const done = this.sql.exec("SELECT count(*) AS n FROM __drizzle_migrations WHERE created_at >= ?", SCHEMA_VERSION).one();
    if (done.n > 0) return;
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS resources (id text NOT NULL, scope text NOT NULL, status text NOT NULL, kind text NOT NULL, " +
        "fqn text NOT NULL, seq integer NOT NULL, data text NOT NULL, props text, oldProps text, output text NOT NULL, " +
        "PRIMARY KEY(scope, id))",
    );
    this.sql.exec("INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)", "", SCHEMA_VERSION);
  }

  // call runs one request of the protocol for the scope context.chain.
  call({ method, params, context }) {
    if (!context || !Array.isArray(context.chain)) throw new Error("request has no context.chain");
    const scope = JSON.stringify(context.chain);
    const args = Array.isArray(params) ? params : [];
    switch (method) {
      case "init":
      case "deinit":
        return undefined;
      case "list":
        return this.sql.exec("SELECT id FROM resources WHERE scope = ?", scope).toArray().map((r) => r.id);
      case "listScopes":
        return this.listScopes(context.chain);
      case "count":
        return this.sql.exec("SELECT count(*) AS n FROM resources WHERE scope = ?", scope).one().n;
      case "get": {
        const rows = this.sql.exec(`SELECT ${COLUMNS.join(", ")} FROM resources WHERE scope = ? AND id = ?`, scope, String(args[0])).toArray();
        return rows.length ? toState(rows[0]) : undefined;
      }
      case "getBatch": {
        const wanted = new Set((args[0] || []).map(String));
        return this.records(scope, (id) => wanted.has(id));
      }
      case "all":
        return this.records(scope, () => true);
      case "set":
        return this.set(scope, String(args[0]), args[1]);
      case "delete":
        this.sql.exec("DELETE FROM resources WHERE scope = ? AND id = ?", scope, String(args[0]));
        return undefined;
      default:
        throw new Error(`Unexpected value: ${JSON.stringify(method)}`);
    }
  }

  records(scope, keep) {
    const out = {};
    for (const row of this.sql.exec(`SELECT ${COLUMNS.join(", ")} FROM resources WHERE scope = ?`, scope)) {
      if (keep(row.id)) out[row.id] = toState(row);
    }
    return out;
  }

  listScopes(chain) {
    const names = new Set();
    for (const row of this.sql.exec("SELECT DISTINCT scope FROM resources")) {
      const s = JSON.parse(row.scope);
      if (s.length === chain.length + 1 && chain.every((c, i) => s[i] === c)) names.add(s[chain.length]);
    }
    return [...names];
  }

  // set inserts the record, or updates the fields it carries: a field the
  // record leaves out keeps its stored value, as in the library's service.
  set(scope, key, state) {
    if (!state || typeof state !== "object") throw new Error("set: the record must be an object");
    const values = { ...state, id: state.id ?? key };
    const present = COLUMNS.filter((c) => values[c] !== undefined);
    const encoded = present.map((c) => (JSON_COLUMNS.has(c) ? JSON.stringify(values[c]) : values[c]));
    const updates = present.filter((c) => c !== "id").map((c) => `${c} = excluded.${c}`);
    this.sql.exec(
      `INSERT INTO resources (scope, ${present.join(", ")}) VALUES (?, ${present.map(() => "?").join(", ")}) ` +
        `ON CONFLICT (scope, id) DO ${updates.length ? "UPDATE SET " + updates.join(", ") : "NOTHING"}`,
      scope,
      ...encoded,
    );
    return undefined;
  }
}

function toState(row) {
  const state = {};
  for (const c of COLUMNS) {
    const v = row[c];
    const parsed = v === null || v === undefined || !JSON_COLUMNS.has(c) ? v : JSON.parse(v);
    // A record without props (or oldProps) comes back without the field.
    if (parsed !== null && parsed !== undefined) state[c] = parsed;
  }
  return state;
}
