#!/usr/bin/env bash
# One-time (idempotent) setup of a fresh Debian 12 machine with Node 20, as root:
# the system tools the tests and the demo drive for real, pnpm, node modules, and a build.
# The tools and their Debian packages come from scripts/system-tools.json, the list the test
# suite's global setup checks too: a tool added there is installed here and checked there.
set -euo pipefail
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
cd "$(dirname "$0")/.."

tools_json=scripts/system-tools.json
# Prints "package<TAB>tool" per line.
tool_table() {
  node -e 'for (const t of require(process.argv[1]).tools) console.log(`${t.package}\t${t.tool}`)' \
    "./$tools_json"
}
# True when a tool is present: a name on PATH (plus /usr/sbin, /sbin), or an absolute path.
has_tool() {
  case "$1" in
    /*) [[ -e "$1" ]] ;;
    *) PATH="$PATH:/usr/sbin:/sbin" command -v "$1" >/dev/null 2>&1 ;;
  esac
}

mapfile -t apt_packages < <(tool_table | cut -f1 | sort -u)
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
# A package can be installed while a file of it is gone (removed by hand, a partial upgrade):
# every tool is checked, and the packages of missing ones are reinstalled once.
broken=()
while IFS=$'\t' read -r pkg tool; do
  has_tool "$tool" || broken+=("$pkg")
done < <(tool_table)
if ((${#broken[@]})); then
  mapfile -t broken < <(printf '%s\n' "${broken[@]}" | sort -u)
  echo "setup: reinstalling ${broken[*]} (files missing)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall --no-install-recommends "${broken[@]}" >/dev/null
fi
still=()
while IFS=$'\t' read -r pkg tool; do
  has_tool "$tool" || still+=("$tool ($pkg)")
done < <(tool_table)
if ((${#still[@]})); then
  echo "setup: still missing after install: ${still[*]}" >&2
  exit 1
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
