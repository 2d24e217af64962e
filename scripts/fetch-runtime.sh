#!/usr/bin/env bash
# Fetches a JavaScript runtime from the npm registry into the machine's cache, once, and prints its
# binary's path: `node@24` (Node.js, for Miniflare and the Node 22/24/26 runs), `bun`, `deno`.
# Versions are pinned in scripts/runtimes.json. Nothing is installed into the project: `npm ci`
# stays free of 200 MB of runtimes that only the runtime tests use.
set -euo pipefail
cd "$(dirname "$0")/.."
WANT=${1:?usage: fetch-runtime.sh node@22|node@24|node@26|bun|deno}
CACHE="${SMS_VERIFY_CACHE:-$HOME/.cache/sms-verify}"
version=$(node -e '
  const [name, major] = process.argv[1].split("@");
  const pinned = require("./scripts/runtimes.json")[name];
  const v = major ? pinned?.[major] : pinned;
  if (typeof v !== "string") { console.error(`fetch-runtime: no pinned version for ${process.argv[1]}`); process.exit(2); }
  console.log(v);' "$WANT")
name=${WANT%@*}
case "$name" in
  node)
    os=$(node -p 'process.platform'); arch=$(node -p 'process.arch')
    package="node-$os-$arch"; bin="node_modules/$package/bin/node" ;;
  bun | deno) package="$name"; bin="node_modules/.bin/$name" ;;
  *) echo "fetch-runtime: unknown runtime $name" >&2; exit 2 ;;
esac
dir="$CACHE/runtimes/$name-$version"
if [ ! -x "$dir/$bin" ]; then
  started=$(date +%s)
  mkdir -p "$dir"
  # Bun's and Deno's packages place their binary in an install script; Node's package is the binary.
  npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock --loglevel=error \
    "$package@$version" >&2
  [ -x "$dir/$bin" ] || { echo "fetch-runtime: $package@$version installed no binary at $bin" >&2; exit 1; }
  echo "fetch-runtime: $name $version in $(( $(date +%s) - started )) s" >&2
fi
echo "$dir/$bin"
