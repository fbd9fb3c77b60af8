#!/usr/bin/env bash
# Rebuild the Explorer served at /explore.
#
# Source lives in scripts/explorer/src (modern JS modules and CSS); this
# installs the exact npm packages of package-lock.json (cytoscape,
# cytoscape-fcose and its layout bases; esbuild to bundle), runs the unit
# tests of the pure functions with node's test runner, and writes
# crates/cli/assets/explorer/: index.html, explorer.js, explorer.css,
# LICENSES/ and VERSIONS.txt. Those built files are committed, so building
# newsgraph needs only the Rust toolchain; run this after changing src/.
#
# Usage:
#   scripts/explorer/build.sh                # build from the lockfile
#   scripts/explorer/build.sh --update-lock  # after editing package.json
#
# Requires node >= 18 and npm >= 7.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$DIR"

case "${1:-}" in
  "") ;;
  --update-lock)
    npm install --package-lock-only --ignore-scripts --no-audit --no-fund ;;
  -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
esac

command -v node >/dev/null || { echo "node is required" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is required" >&2; exit 1; }

echo "==> npm ci (pinned versions from scripts/explorer/package-lock.json)"
# --ignore-scripts: esbuild finds its platform binary package without its postinstall.
npm ci --ignore-scripts --no-audit --no-fund

echo "==> unit tests (node --test)"
node --test test/

echo "==> bundling into crates/cli/assets/explorer"
node build.mjs
