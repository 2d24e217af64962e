#!/usr/bin/env bash
# Runs a Node script on Node 22 or later: the machine's node when it is new enough, else Node 24
# fetched from the npm registry (scripts/fetch-runtime.sh). Miniflare and workerd need Node 22+.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 22 ]; then
  NODE=node
else
  NODE=$(bash "$here/fetch-runtime.sh" node@24)
fi
exec "$NODE" "$@"
