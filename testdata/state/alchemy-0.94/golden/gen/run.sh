#!/bin/sh
# run.sh OUT: runs every step of golden.mjs in a fresh directory and snapshots .alchemy after each.
# NODE_MODULES must point at a node_modules holding alchemy@0.94.0.
set -e
here=$(cd "$(dirname "$0")" && pwd)
out=$1
rm -rf "$out" && mkdir -p "$out"
work=$(mktemp -d)
cp "$here/golden.mjs" "$work/"
ln -s "$NODE_MODULES" "$work/node_modules"
cd "$work"
export DO_NOT_TRACK=1 ALCHEMY_TELEMETRY_DISABLED=1 NO_COLOR=1
snap() { mkdir -p "$out/$1"; cp -r .alchemy/golden-app "$out/$1/"; }
STEP=1 node golden.mjs > "$out/step1.log" 2>&1; snap step1
STEP=2 node golden.mjs > "$out/step2.log" 2>&1; snap step2
STEP=3 NO_FINALIZE=1 node golden.mjs > "$out/step3-nofinalize.log" 2>&1; snap step3-nofinalize
STEP=3 node golden.mjs > "$out/step3.log" 2>&1; snap step3
STEP=4 node golden.mjs > "$out/step4-fail.log" 2>&1 || echo "step4 failed"; snap step4-fail
node golden.mjs --destroy > "$out/destroy.log" 2>&1; find .alchemy | sort > "$out/destroy.txt"
