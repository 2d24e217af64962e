#!/usr/bin/env bash
# Builds FerretDB (a MongoDB-compatible server) for the MongoDB adapter's tests, once per machine,
# and prints the binary's path. Needs Go; the source comes from the Go module proxy.
#
# A plain `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` builds a binary that
# panics at start ("Invalid build/version/version.txt"): FerretDB embeds that file, which its own
# build tooling generates. So the module is downloaded, copied, given the file, and built.
set -euo pipefail
VERSION=v1.24.2
DEST="${SMS_VERIFY_CACHE:-$HOME/.cache/sms-verify}/ferretdb-$VERSION"
BIN="$DEST/ferretdb"

if [ -x "$BIN" ] && "$BIN" --version >/dev/null 2>&1; then
  echo "$BIN"
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "install-ferretdb: no Go toolchain on PATH" >&2; exit 1; }

started=$(date +%s)
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
src=$(cd "$work" && GOFLAGS= go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$src" ] || { echo "install-ferretdb: module download failed" >&2; exit 1; }
cp -r "$src" "$work/ferretdb"
chmod -R u+w "$work/ferretdb"
echo "$VERSION" > "$work/ferretdb/build/version/version.txt"
mkdir -p "$DEST"
(cd "$work/ferretdb" && GOFLAGS=-mod=mod go build -trimpath -o "$BIN.tmp" ./cmd/ferretdb)
mv "$BIN.tmp" "$BIN"
echo "install-ferretdb: built FerretDB $VERSION in $(( $(date +%s) - started )) s" >&2
echo "$BIN"
