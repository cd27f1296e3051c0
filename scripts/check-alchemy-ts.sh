#!/usr/bin/env bash
# Runs the TypeScript Alchemy (npm "alchemy") against `alchemy local`: a
# program with a KV namespace and a Worker bound to it (plain text, secret,
# workers.dev URL, cron) is deployed, deployed again (no change), then
# destroyed; then a second program with D1, R2, a Queue consumed by its
# Worker and a Durable Object. The local Cloudflare must hold the resources
# in between and be empty after.
#
# Needs node (20+) and npm. Environment:
#   ALCHEMY_BIN          use this alchemy (Go) binary instead of building one
#   ALCHEMY_TS_VERSION   npm alchemy version (default 0.94.0)
#   ALCHEMY_TS_PREFIX    reuse an npm prefix that already has it installed
#   KEEP=1               keep the temporary directory
set -euo pipefail

# shellcheck source=lib/local-cloudflare.sh
source "$(dirname "$0")/lib/local-cloudflare.sh"
make_workdir alchemy-ts-check

build_alchemy

npm_prefix "${ALCHEMY_TS_PREFIX:-}" "alchemy@${ALCHEMY_TS_VERSION:-0.94.0}"
[[ -d "$prefix/node_modules/alchemy" ]] || die "no alchemy package under $prefix"

start_local_cloudflare

export CLOUDFLARE_BASE_URL="$base" CLOUDFLARE_API_TOKEN=local CLOUDFLARE_ACCOUNT_ID="$account"
export ALCHEMY_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 ALCHEMY_CI_STATE_STORE_CHECK=false HOME="$work/home"
unset CLOUDFLARE_API_KEY CLOUDFLARE_EMAIL
mkdir -p "$HOME" "$work/project"
cd "$work/project"
ln -s "$prefix/node_modules" node_modules

cat >worker.js <<'JS'
export default {
  async fetch(request, env) {
    const n = Number((await env.KV.get("n")) ?? "0") + 1;
    await env.KV.put("n", String(n));
    return new Response(`${env.GREETING} #${n}`);
  },
  async scheduled() {},
};
JS
cat >alchemy.run.mjs <<'JS'
import alchemy from "alchemy";
import { KVNamespace, Worker } from "alchemy/cloudflare";

const app = await alchemy("local-probe", {
  phase: process.argv.includes("--destroy") ? "destroy" : "up",
  password: "local-check-password",
});
const kv = await KVNamespace("probe-kv", { title: "probe-kv" });
const worker = await Worker("probe-worker", {
  name: "probe-worker",
  entrypoint: "./worker.js",
  url: true,
  crons: ["*/5 * * * *"],
  bindings: { KV: kv, GREETING: "hello", API_KEY: alchemy.secret("s3cr3t") },
});
console.log(`worker url: ${worker.url}`);
console.log(`kv namespace: ${kv.namespaceId}`);
await app.finalize();
JS

step "deploy"
node alchemy.run.mjs 2>&1 | tee "$work/up1.out"
kv_id=$(sed -n 's/^kv namespace: //p' "$work/up1.out")
[[ "$kv_id" =~ ^[0-9a-f]{32}$ ]] || die "no KV namespace id printed"
api "/accounts/$account/storage/kv/namespaces/$kv_id" >/dev/null || die "namespace $kv_id missing"
settings=$(api "/accounts/$account/workers/scripts/probe-worker/settings")
echo "$settings"
grep -q '"name":"KV"' <<<"$settings" || die "KV binding missing"
grep -q '"name":"GREETING","text":"hello"' <<<"$settings" || grep -q '"text":"hello"' <<<"$settings" || die "plain_text binding missing"
grep -q '"name":"API_KEY","type":"secret_text"' <<<"$settings" || die "secret binding missing"
grep -q 's3cr3t' <<<"$settings" && die "secret value leaked through settings"
grep -q 's3cr3t' "$work/data/control.db" && die "secret value stored in plain text"
api "/accounts/$account/workers/scripts/probe-worker/schedules" | grep -q '\*/5 \* \* \* \*' || die "cron trigger missing"
api "/accounts/$account/workers/scripts/probe-worker/subdomain" | grep -q '"enabled":true' || die "workers.dev route not enabled"

step "deploy again (nothing changed)"
node alchemy.run.mjs 2>&1 | tee "$work/up2.out"

step "destroy"
node alchemy.run.mjs --destroy 2>&1 | tee "$work/down.out"
scripts=$(api "/accounts/$account/workers/scripts")
namespaces=$(api "/accounts/$account/storage/kv/namespaces")
echo "$scripts"; echo "$namespaces"
grep -q '"result":\[\]' <<<"$scripts" || die "scripts remain after destroy"
grep -q '"result":\[\]' <<<"$namespaces" || die "KV namespaces remain after destroy"

step "a second program: D1, R2, a Queue with its consumer, a Durable Object"
cat >big-worker.js <<'JS'
export class Room { async fetch() { return new Response("room"); } }
export default {
  async fetch() { return new Response("ok"); },
  async queue(batch) { for (const m of batch.messages) m.ack(); },
};
JS
cat >big.run.mjs <<'JS'
import alchemy from "alchemy";
import { D1Database, DurableObjectNamespace, Queue, R2Bucket, Worker } from "alchemy/cloudflare";

const app = await alchemy("local-probe-big", {
  phase: process.argv.includes("--destroy") ? "destroy" : "up",
  password: "local-check-password",
});
const db = await D1Database("db", { name: "probe-db" });
const bucket = await R2Bucket("bucket", { name: "probe-bucket", empty: true });
const queue = await Queue("queue", { name: "probe-queue" });
await Worker("big", {
  name: "big-worker",
  entrypoint: "./big-worker.js",
  bindings: { DB: db, BUCKET: bucket, QUEUE: queue, ROOM: DurableObjectNamespace("room", { className: "Room", sqlite: true }) },
  eventSources: [queue],
});
await app.finalize();
JS
node big.run.mjs 2>&1 | tee "$work/big-up.out"
api "/accounts/$account/d1/database?name=probe-db" | grep -q '"name":"probe-db"' || die "D1 database missing"
api "/accounts/$account/r2/buckets/probe-bucket" >/dev/null || die "R2 bucket missing"
api "/accounts/$account/queues" | grep -q '"script":"big-worker"' || die "queue consumer or producer missing"
api "/accounts/$account/workers/durable_objects/namespaces" | grep -q '"name":"big-worker_Room"' || die "Durable Object namespace missing"
node big.run.mjs --destroy 2>&1 | tee "$work/big-down.out"
for path in workers/scripts queues d1/database workers/durable_objects/namespaces; do
  api "/accounts/$account/$path" | grep -q '"result":\[\]' || die "$path not empty after destroy"
done
api "/accounts/$account/r2/buckets" | grep -q '"buckets":\[\]' || die "buckets remain after destroy"

step "requests the TypeScript Alchemy made"
sed -E 's/.*"method":"([A-Z]+)","path":"([^"]*)"(,"query":"([^"]*)")?,"status":([0-9]+).*/\5 \1 \2 \4/' "$work/requests.jsonl"
echo
echo "TypeScript Alchemy check passed"
