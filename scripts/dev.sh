#!/usr/bin/env bash
# The README's two commands: `scripts/dev.sh start` serves on the embedded database, `scripts/dev.sh test` runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/toolchain.sh
case "${1:-}" in
  start) npm run build && exec node --max-old-space-size=1024 dist/src/main.js ;;
  test) exec npm test ;;
  *) echo "usage: scripts/dev.sh start|test" >&2; exit 2 ;;
esac
