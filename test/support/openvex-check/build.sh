#!/usr/bin/env bash
# Builds (or reuses from cache) openvex-check: main.go here against github.com/openvex/go-vex
# (the version in go.mod), from the Go module proxy. Prints the binary's absolute path.
# The binary lands in ${KORDON_CACHE_DIR:-$HOME/.cache/kordon}/bin/openvex-check-<hash of the
# sources>/openvex-check and is reused while main.go, go.mod and go.sum are unchanged; safe to
# run concurrently (built in a temporary folder, installed with a rename).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_DIR="${KORDON_CACHE_DIR:-$HOME/.cache/kordon}"
hash="$(cat "$HERE/main.go" "$HERE/go.mod" "$HERE/go.sum" | sha256sum | cut -c1-16)"
dest="$CACHE_DIR/bin/openvex-check-$hash"
if [[ ! -x "$dest/openvex-check" ]]; then
  mkdir -p "$CACHE_DIR/bin"
  tmp="$(mktemp -d "$CACHE_DIR/bin/.openvex-check.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$HERE" && CGO_ENABLED=0 GOWORK=off GOFLAGS=-buildvcs=false go build -trimpath -o "$tmp/openvex-check" .) >&2
  mv -T "$tmp" "$dest" 2>/dev/null || true   # another run may have installed it first
fi
echo "$dest/openvex-check"
