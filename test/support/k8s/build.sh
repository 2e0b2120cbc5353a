#!/usr/bin/env bash
# Build (or reuse from cache) the binaries the live test suite needs:
#   kube-apiserver, etcd, helm, kustomize
# from the Go module proxy, pinned in versions.env. Needs only `go`.
# On request also `celcost` (gomod/kube-apiserver/celcost: the API server's CEL cost oracle for
# test/live/cel-cost-oracle.test.ts), built from the same pinned Kubernetes modules.
#
# Usage: test/support/k8s/build.sh [tool ...]    (default: all four)
# Output (stdout): one `<tool>=<absolute path>` line per requested tool.
# Progress goes to stderr.
#
# The pinned versions must build with the local Go (1.26 here; GOTOOLCHAIN may
# be `local`, so no toolchain download): check a module's `go` directive
# (go list -m -json MOD@VER) before bumping a pin.
#
# Binaries land in ${KORDON_CACHE_DIR:-$HOME/.cache/kordon}/bin/<tool>-<version>/<tool>
# and are reused when present. Safe to run concurrently (builds are locked
# per tool and installed atomically).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$HERE/versions.env"

CACHE_DIR="${KORDON_CACHE_DIR:-$HOME/.cache/kordon}"
BIN_DIR="$CACHE_DIR/bin"
mkdir -p "$BIN_DIR"

ALL_TOOLS=(kube-apiserver etcd helm kustomize)
if [[ $# -gt 0 ]]; then TOOLS=("$@"); else TOOLS=("${ALL_TOOLS[@]}"); fi

log() { printf '[k8s/build] %s\n' "$*" >&2; }

if ! command -v go >/dev/null 2>&1; then
  log "error: 'go' is not on PATH (needed to build the test control plane)"
  exit 1
fi

# Hermetic-ish Go settings: static binaries, reproducible paths, no user
# GOFLAGS/GOWORK leaking in. GOTOOLCHAIN is left alone so that an older local
# Go can fetch the toolchain the modules require from the module proxy.
export CGO_ENABLED=0 GOWORK=off GOFLAGS=-buildvcs=false
LDFLAGS_BASE="-s -w"

version_of() {
  case "$1" in
    kube-apiserver | celcost) echo "$KUBERNETES_VERSION" ;;
    etcd) echo "$ETCD_VERSION" ;;
    helm) echo "$HELM_VERSION" ;;
    kustomize) echo "$KUSTOMIZE_VERSION" ;;
    *) log "error: unknown tool '$1' (known: ${ALL_TOOLS[*]} celcost)"; exit 2 ;;
  esac
}

# build_<tool> OUTFILE : writes the binary to OUTFILE
build_kube-apiserver() {
  local out="$1" v="$KUBERNETES_VERSION" major minor
  major="${v#v}"; major="${major%%.*}"
  minor="${v#v*.}"; minor="${minor%%.*}"
  local ld="$LDFLAGS_BASE"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    ld+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  (cd "$HERE/gomod/kube-apiserver" &&
    go build -trimpath -ldflags="$ld" -o "$out" k8s.io/kubernetes/cmd/kube-apiserver)
}

build_celcost() {
  (cd "$HERE/gomod/kube-apiserver" &&
    go build -trimpath -ldflags="$LDFLAGS_BASE" -o "$1" ./celcost)
}

build_etcd() {
  local out="$1"
  (cd "$HERE/gomod/etcd" &&
    go build -trimpath -ldflags="$LDFLAGS_BASE" -o "$out" go.etcd.io/etcd/server/v3)
}

# go install into a private GOBIN, then move the binary to OUTFILE.
go_install() {
  local out="$1" pkg="$2" ld="$3" gobin
  gobin="$(dirname "$out")/gobin"
  # (called from an `if`, so errexit is off here: chain explicitly)
  rm -rf "$gobin" && mkdir -p "$gobin" &&
    GOBIN="$gobin" go install -trimpath -ldflags="$ld" "$pkg" &&
    # exactly one binary was installed (named after the package, minus any /vN)
    mv "$gobin"/* "$out" &&
    rm -rf "$gobin"
}

build_helm() {
  go_install "$1" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" \
    "$LDFLAGS_BASE -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
}

build_kustomize() {
  go_install "$1" "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" "$LDFLAGS_BASE"
}

ensure() {
  local tool="$1" version dir final tmp start
  version="$(version_of "$tool")"
  dir="$BIN_DIR/$tool-$version"
  final="$dir/$tool"
  if [[ -x "$final" ]]; then
    echo "$tool=$final"
    return
  fi
  mkdir -p "$dir"
  # Per-tool lock so parallel test processes do not build the same thing twice.
  exec {lockfd}>"$dir/.lock"
  if command -v flock >/dev/null 2>&1; then
    flock "$lockfd"
    # we hold the lock: leftovers of interrupted builds are stale
    rm -rf "$dir"/.build.*
  fi
  if [[ ! -x "$final" ]]; then
    tmp="$(mktemp -d "$dir/.build.XXXXXX")"
    log "building $tool $version (this can take a while) ..."
    start=$SECONDS
    if ! "build_$tool" "$tmp/$tool"; then
      rm -rf "$tmp"
      log "error: building $tool $version failed"
      exit 1
    fi
    chmod +x "$tmp/$tool"
    mv -f "$tmp/$tool" "$final"
    rm -rf "$tmp"
    log "built $tool $version in $((SECONDS - start))s -> $final"
  fi
  exec {lockfd}>&-
  echo "$tool=$final"
}

for t in "${TOOLS[@]}"; do
  ensure "$t"
done
