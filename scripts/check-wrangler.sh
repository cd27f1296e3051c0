#!/usr/bin/env bash
# Drives Cloudflare's own CLI (wrangler) against `alchemy local`, the way a
# user would: kv namespace create/list, kv key put/get, d1 create/execute,
# r2 bucket create, r2 object put/get, and deploy of a module Worker with KV,
# D1, R2 and Durable Object bindings.
#
# Needs node (20+) and npm. Usage:
#   scripts/check-wrangler.sh            # builds ./cmd/alchemy, installs wrangler in a temp dir
# Environment:
#   ALCHEMY_BIN       use this alchemy binary instead of building one
#   WRANGLER_VERSION  wrangler to install (default 4.86.0, the last one that runs on Node 20)
#   WRANGLER_PREFIX   reuse an npm prefix that already has wrangler installed
#   KEEP=1            keep the temporary directory
set -euo pipefail

# shellcheck source=lib/local-cloudflare.sh
source "$(dirname "$0")/lib/local-cloudflare.sh"
make_workdir alchemy-wrangler-check

build_alchemy

npm_prefix "${WRANGLER_PREFIX:-}" "wrangler@${WRANGLER_VERSION:-4.86.0}"
wrangler="$prefix/node_modules/.bin/wrangler"
[[ -x "$wrangler" ]] || die "no wrangler at $wrangler"

start_local_cloudflare

export CLOUDFLARE_API_BASE_URL="$base" CLOUDFLARE_API_TOKEN=local CLOUDFLARE_ACCOUNT_ID="$account"
export WRANGLER_SEND_METRICS=false CI=true HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config"
unset CLOUDFLARE_API_KEY CLOUDFLARE_EMAIL
mkdir -p "$HOME" "$work/project/src"
cd "$work/project"

step "wrangler kv namespace create"
"$wrangler" kv namespace create probe-kv | tee "$work/kv.out"
kv_id=$(grep -oE '[0-9a-f]{32}' "$work/kv.out" | head -1)
[[ -n "$kv_id" ]] || die "no namespace id in wrangler's output"

step "wrangler kv namespace list"
"$wrangler" kv namespace list | tee "$work/kvlist.out"
grep -q "$kv_id" "$work/kvlist.out" || die "namespace $kv_id missing from the list"

step "wrangler kv key put / get"
"$wrangler" kv key put --namespace-id "$kv_id" greeting hello --remote
[[ "$("$wrangler" kv key get --namespace-id "$kv_id" greeting --remote 2>/dev/null | tail -1)" == hello ]] || die "kv key get did not return the value"

step "wrangler d1 create"
"$wrangler" d1 create probe-db | tee "$work/d1.out"
d1_id=$(grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' "$work/d1.out" | head -1)
[[ -n "$d1_id" ]] || die "no database id in wrangler's output"

step "wrangler d1 execute --remote"
"$wrangler" d1 execute probe-db --remote --command "CREATE TABLE t (x); INSERT INTO t VALUES (1), (2); SELECT count(*) AS n FROM t" | tee "$work/d1exec.out"
grep -q '"n": 2' "$work/d1exec.out" || die "d1 execute did not count 2 rows"

step "wrangler r2 bucket create"
"$wrangler" r2 bucket create probe-bucket | tee "$work/r2.out"
api "/accounts/$account/r2/buckets/probe-bucket" >/dev/null || die "bucket probe-bucket not found through the API"

step "wrangler r2 object put / get --remote"
echo "object body" >"$work/object.txt"
"$wrangler" r2 object put probe-bucket/docs/object.txt --file "$work/object.txt" --remote
[[ "$("$wrangler" r2 object get probe-bucket/docs/object.txt --remote --pipe 2>/dev/null)" == "object body" ]] || die "r2 object get did not return the body"

step "wrangler deploy (module Worker with KV, D1, R2 and a Durable Object)"
cat >src/index.js <<'JS'
export class Counter {
  constructor(state) { this.state = state; }
  async fetch() {
    const n = ((await this.state.storage.get("n")) ?? 0) + 1;
    await this.state.storage.put("n", n);
    return new Response(String(n));
  }
}
export default {
  async fetch(request, env) {
    await env.KV.put("last", new URL(request.url).pathname);
    const row = await env.DB.prepare("select 1 as one").first();
    await env.BUCKET.put("hello.txt", "hi");
    const stub = env.COUNTER.get(env.COUNTER.idFromName("a"));
    return new Response(`one=${row.one} count=${await (await stub.fetch(request)).text()}`);
  },
};
JS
cat >wrangler.toml <<TOML
name = "wr-probe"
main = "src/index.js"
compatibility_date = "2025-01-01"
workers_dev = true

[[kv_namespaces]]
binding = "KV"
id = "$kv_id"

[[d1_databases]]
binding = "DB"
database_name = "probe-db"
database_id = "$d1_id"

[[r2_buckets]]
binding = "BUCKET"
bucket_name = "probe-bucket"

[[durable_objects.bindings]]
name = "COUNTER"
class_name = "Counter"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["Counter"]
TOML
"$wrangler" deploy | tee "$work/deploy.out"

step "checking what the local Cloudflare holds"
settings=$(api "/accounts/$account/workers/scripts/wr-probe/settings")
echo "$settings"
for b in '"name":"KV"' '"name":"DB"' '"name":"BUCKET"' '"name":"COUNTER"'; do
  grep -q "$b" <<<"$settings" || die "binding $b missing from the script's settings"
done
namespaces=$(api "/accounts/$account/workers/durable_objects/namespaces")
echo "$namespaces"
grep -q '"name":"wr-probe_Counter"' <<<"$namespaces" || die "Durable Object namespace wr-probe_Counter missing"
grep -q '"migration_tag":"v1"' <<<"$(api "/accounts/$account/workers/scripts")" || die "migration tag v1 not recorded"

step "requesting the Worker by its workers.dev hostname"
sub=$(api "/accounts/$account/workers/subdomain" | grep -oE '"subdomain":"[^"]+"' | cut -d'"' -f4)
status=$(curl -s -o "$work/worker.out" -w '%{http_code}' -H "Host: wr-probe.$sub.workers.dev" "${base%/client/v4}/")
echo "HTTP $status: $(cat "$work/worker.out")"
[[ "$status" == 200 || "$status" == 503 ]] || die "unexpected status $status from the Worker hostname"

step "requests wrangler made"
cut -c1-200 "$work/requests.jsonl"
echo
echo "wrangler check passed"
