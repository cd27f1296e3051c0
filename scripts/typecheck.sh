#!/usr/bin/env bash
# Type-checks alchemy's TypeScript declarations (types/) with the TypeScript compiler:
#   - every program under testdata/types/ok (the seeds' examples among them), examples/ and the
#     TypeScript files of testdata/scripts/*.txtar compiles under --strict with no node_modules;
#   - every deliberately wrong program under testdata/types/bad fails with the errors it announces;
#   - the declarations compile next to @types/node and next to @cloudflare/workers-types;
#   - the project `alchemy init` writes compiles, with a Worker that imports the program's types
#     (testdata/scripts/init_tsc.txtar, through the real binary).
# The compilers and packages come from npm and are cached; the checks are the Go tests in types/ and
# that testscript (go test flags given to the script apply to the types/ tests only).
#
# Usage: scripts/typecheck.sh [go test flags...]        e.g. scripts/typecheck.sh -run Wrong -v
# Environment:
#   TYPESCRIPT_VERSIONS      compilers to check with, in turn (default "7.0.2 5.9.3")
#   TYPES_NODE_VERSION       @types/node to check against (default 22.20.5)
#   WORKERS_TYPES_VERSION    @cloudflare/workers-types to check against (default 5.20261117.1)
#   ALCHEMY_TYPECHECK_CACHE  where to install them (default ${XDG_CACHE_HOME:-$HOME/.cache}/alchemy-typecheck)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
versions=${TYPESCRIPT_VERSIONS:-"7.0.2 5.9.3"}
node_types=${TYPES_NODE_VERSION:-22.20.5}
workers_types=${WORKERS_TYPES_VERSION:-5.20261117.1}
cache=${ALCHEMY_TYPECHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/alchemy-typecheck}

die() { echo "typecheck: $*" >&2; exit 1; }
command -v npm >/dev/null || die "npm is needed to install the TypeScript compiler"

# install DIR PACKAGE... installs the packages into DIR unless a previous run completed there.
install() {
  local dir=$1; shift
  [[ -f "$dir/.complete" ]] && return
  echo "typecheck: installing $* into $dir" >&2
  rm -rf "$dir"
  mkdir -p "$dir"
  (cd "$dir" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "$@" >/dev/null)
  touch "$dir/.complete"
}

packages="$cache/packages-node-$node_types-workers-$workers_types"
install "$packages" "@types/node@$node_types" "@cloudflare/workers-types@$workers_types"

for v in $versions; do
  install "$cache/typescript-$v" "typescript@$v"
  tsc="$cache/typescript-$v/node_modules/.bin/tsc"
  [[ -x "$tsc" ]] || die "no tsc at $tsc"
  echo "typecheck: $("$tsc" --version)" >&2
  (cd "$repo" && ALCHEMY_TSC="$tsc" ALCHEMY_TYPES_PACKAGES="$packages" go test -count=1 "$@" ./types/)
  (cd "$repo" && ALCHEMY_TSC="$tsc" go test -count=1 -run 'TestScripts/init_tsc$' ./cmd/alchemy/)
done
