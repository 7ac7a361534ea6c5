#!/usr/bin/env bash
# The system packages Tidings needs (packaging/linux/debian-packages.txt), installed by the first
# step of `make run` and `make test` so that a fresh Debian or Ubuntu needs nothing beforehand.
#
# When every package is there it does nothing: no root, no network, no apt-get update. When some
# are missing it installs them as root or through `sudo -n` (sudo that asks no password); a user
# who can do neither gets one line with the exact command and a failure, before anything is
# built. macOS and Windows need nothing (the PySide6 wheels carry Qt, the systems carry CJK and
# colour emoji fonts); other Linux distributions are told what to look for.
set -euo pipefail

[[ $(uname -s) == Linux ]] || exit 0

list="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/packaging/linux/debian-packages.txt"
needs=()
while IFS= read -r line; do
  line=${line%%#*}
  line=${line//[[:space:]]/}
  if [[ -n $line ]]; then needs+=("$line"); fi
done <"$list"

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
  echo "Tidings needs system packages: not a Debian-based system; install your distribution's" \
    "equivalents of those in packaging/linux/debian-packages.txt" >&2
  exit 0
fi

names=()
for need in "${needs[@]}"; do
  IFS='|' read -ra alternatives <<<"$need"
  names+=("${alternatives[@]}")
done
declare -A installed=()
while read -r name status; do
  [[ $status == installed ]] && installed[$name]=1
done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${names[@]}" 2>/dev/null || true)

missing=()
for need in "${needs[@]}"; do
  IFS='|' read -ra alternatives <<<"$need"
  found=""
  for name in "${alternatives[@]}"; do
    [[ -n ${installed[$name]:-} ]] && found=1
  done
  [[ -n $found ]] || missing+=("$need")
done
((${#missing[@]})) || exit 0

# The first alternative this release's package lists offer; with no lists yet, the last (older)
# name, which a renaming release still provides, so apt-get picks the renamed package for it.
pick() {
  local name candidate alternatives
  IFS='|' read -ra alternatives <<<"$1"
  if ((${#alternatives[@]} == 1)); then
    echo "$1"
    return
  fi
  for name in "${alternatives[@]}"; do
    candidate=$(apt-cache policy "$name" 2>/dev/null | awk '/Candidate:/ {print $2}')
    if [[ -n $candidate && $candidate != "(none)" ]]; then
      echo "$name"
      return
    fi
  done
  echo "${1##*|}"
}

if ((EUID == 0)); then
  as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  packages=()
  for need in "${missing[@]}"; do packages+=("$(pick "$need")"); done
  echo "Tidings needs system packages: sudo apt-get update && sudo apt-get install -y" \
    "--no-install-recommends ${packages[*]}" >&2
  exit 1
fi

echo "Tidings: installing the system packages it lacks"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
packages=()
for need in "${missing[@]}"; do packages+=("$(pick "$need")"); done
echo "Tidings: apt-get install ${packages[*]}"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends "${packages[@]}"
