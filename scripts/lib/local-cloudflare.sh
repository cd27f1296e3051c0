# shellcheck shell=bash
# Sourced by the scripts that drive a Cloudflare client against
# `alchemy local` (after `set -euo pipefail`). It provides:
#
#   step TEXT, die TEXT      print a step heading / fail with a message
#   make_workdir NAME        $work: a new temporary directory named after NAME,
#                            removed on exit (with the local Cloudflare
#                            stopped) unless KEEP=1
#   build_alchemy            $bin: $ALCHEMY_BIN, else ./cmd/alchemy built into $work
#   npm_prefix DIR SPEC      $prefix: DIR when not empty, else a new npm prefix in
#                            $work with the package SPEC (name@version) installed
#   start_local_cloudflare   runs `$bin local` on a free 127.0.0.1 port with its
#                            data and request log (requests.jsonl) in $work,
#                            waits for its banner and prints it; sets
#                            $server_pid, $base (the API base URL) and $account
#   api PATH                 GET $base$PATH with the local token
#
# $repo is the repository's root.

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=""
server_pid=""

step() { printf '\n== %s\n' "$*"; }
die() { echo "FAIL: $*" >&2; exit 1; }

cleanup_local_cloudflare() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [[ -z "$work" ]]; then return; fi
  if [[ "${KEEP:-}" != 1 ]]; then rm -rf "$work"; else echo "kept $work"; fi
}

make_workdir() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  trap cleanup_local_cloudflare EXIT
}

build_alchemy() {
  bin=${ALCHEMY_BIN:-}
  if [[ -z "$bin" ]]; then
    step "building alchemy"
    bin="$work/alchemy"
    (cd "$repo" && go build -o "$bin" ./cmd/alchemy)
  fi
}

npm_prefix() {
  prefix=$1
  if [[ -z "$prefix" ]]; then
    step "installing $2 from npm"
    prefix="$work/npm"
    mkdir -p "$prefix"
    (cd "$prefix" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "$2" >/dev/null)
  fi
}

start_local_cloudflare() {
  step "starting alchemy local"
  "$bin" local --addr 127.0.0.1:0 --data "$work/data" --request-log "$work/requests.jsonl" >"$work/local.out" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    grep -q '^export CLOUDFLARE_API_TOKEN=' "$work/local.out" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/local.out"; die "alchemy local exited"; }
    sleep 0.1
  done
  cat "$work/local.out"
  base=$(sed -n 's/^export CLOUDFLARE_BASE_URL=//p' "$work/local.out")
  account=$(sed -n 's/^export CLOUDFLARE_ACCOUNT_ID=//p' "$work/local.out")
  [[ -n "$base" && -n "$account" ]] || die "could not read the banner"
}

api() { curl -sf -H "Authorization: Bearer local" "$base$1"; }
