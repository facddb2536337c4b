#!/usr/bin/env bash
# One-time (idempotent) setup of a fresh Debian 12 machine with Node 20, as root:
# the system tools the tests and the demo drive for real, pnpm, node modules, and a build.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(pacemaker corosync resource-agents pacemaker-cli-utils pcs libxml2-utils iproute2
  iputils-arping util-linux bc procps)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) != 0 ]]; then
    echo "setup: missing system packages: ${missing[*]}; run as root or: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian starts the cluster daemons after install on systemd hosts; our tests run their own.
if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
  systemctl disable --now pacemaker corosync pcsd >/dev/null 2>&1 || true
fi

pnpm_version=$(node -p 'require("./package.json").packageManager.split("@")[1]')
if [[ $(pnpm --version 2>/dev/null || true) != "$pnpm_version" ]]; then
  echo "setup: installing pnpm $pnpm_version" >&2
  npm install -g --silent "pnpm@$pnpm_version" >/dev/null
fi
pnpm install --frozen-lockfile --reporter=silent
pnpm build --output-logs=errors-only
