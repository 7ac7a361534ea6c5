#!/usr/bin/env bash
# `make fresh-check`: the README's two commands on a fresh Debian 12, from an empty folder.
#
# Debootstraps a bare bookworm with only python3, python3-venv, make and git, clones this
# repository's committed HEAD into it and, inside a chroot, runs inside.sh: `make run` as a user
# who cannot install packages must name the install command and build nothing; `make test` as
# root must install the system packages itself and pass; `make run` on a real X server (Xvfb, the
# xcb platform) must bring the main window up. The X server and the tools that look at it are the
# harness's; every package the app needs comes from make's own install step.
#
# Needs root (debootstrap, chroot, mounts) and the network this machine's apt and pip use: the
# Debian mirror comes from this machine's apt sources (or DEBIAN_MIRROR), pip's configuration is
# copied in. The root file system lives in FRESH_ROOT (default /var/tmp/tidings-fresh-machine) and
# is removed afterwards unless FRESH_KEEP=1; the screenshot and logs go to test-artifacts/.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
root=${FRESH_ROOT:-/var/tmp/tidings-fresh-machine}
cache=${FRESH_CACHE:-$root.cache}
artifacts=$repo/test-artifacts
work=/var/tmp/fresh-machine
suite=bookworm

say() { printf '[fresh-machine] %s\n' "$*"; }

if ((EUID != 0)); then
  echo "tests/fresh_machine/run.sh needs root (debootstrap, chroot, mounts): sudo make fresh-check" >&2
  exit 1
fi

mkdir -p "$artifacts"
exec > >(tee "$artifacts/fresh-machine.log") 2>&1

debian_mirror() {
  local uri=""
  if [[ -n ${DEBIAN_MIRROR:-} ]]; then
    echo "$DEBIAN_MIRROR"
    return
  fi
  if command -v apt-get >/dev/null; then
    uri=$(apt-get indextargets --format '$(ORIGIN) $(RELEASE) $(REPO_URI)' 2>/dev/null |
      awk '$1 == "Debian" && $2 !~ /security/ { print $3; exit }')
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

mounts_under() { findmnt -rn -o TARGET | awk -v r="$root/" 'index($0 "/", r) == 1'; }

mounted=()
mount_in() {  # mount_in TARGET MOUNT-ARGS...: remembered for the exit trap, innermost last
  mkdir -p "$1"
  mount "${@:2}" "$1"
  mounted+=("$1")
}

cleanup() {
  local pid i
  for pid in /proc/[0-9]*; do  # anything still running inside is ours: the chroot's descendants
    if [[ $(readlink "$pid/root" 2>/dev/null) == "$root" ]]; then
      kill -KILL "${pid#/proc/}" 2>/dev/null || true
    fi
  done
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -R "${mounted[i]}" 2>/dev/null || umount -R -l "${mounted[i]}" || true
  done
  if [[ -z $(mounts_under) && ${FRESH_KEEP:-} != 1 ]]; then
    rm -rf --one-file-system "$root"
  fi
}

if [[ -n $(mounts_under) ]]; then
  echo "something is still mounted under $root; unmount it first:" >&2
  mounts_under >&2
  exit 1
fi
rm -rf --one-file-system "$root"
trap cleanup EXIT

command -v debootstrap >/dev/null || {
  say "installing debootstrap for the harness"
  apt-get install -y -q --no-install-recommends debootstrap
}

mirror=$(debian_mirror)
say "debootstrap $suite from $mirror into $root"
mkdir -p "$cache"
debootstrap --variant=minbase --include=python3,python3-venv,make,git --cache-dir="$cache" \
  "$suite" "$root" "$mirror" >"$artifacts/fresh-machine-debootstrap.log" 2>&1 || {
  tail -n 20 "$artifacts/fresh-machine-debootstrap.log"
  exit 1
}
printf 'deb %s %s main\ndeb %s %s-updates main\n' "$mirror" "$suite" "$mirror" "$suite" \
  >"$root/etc/apt/sources.list"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"

mount_in "$root/proc" -t proc proc
mount_in "$root/sys" --rbind /sys
mount --make-rslave "$root/sys"
mount_in "$root/dev" --rbind /dev
mount --make-rslave "$root/dev"

# pip as this machine has it set up: its configuration files, its PIP_* variables, and the local
# files and folders they name (certificates, constraints, wheel folders, file:// indexes).
pip_configs=(/etc/pip.conf /etc/xdg/pip/pip.conf "$HOME/.config/pip/pip.conf" "$HOME/.pip/pip.conf")
IFS=: read -ra xdg_dirs <<<"${XDG_CONFIG_DIRS:-}"
for dir in "${xdg_dirs[@]}"; do
  if [[ -n $dir ]]; then pip_configs+=("$dir/pip/pip.conf"); fi
done
if [[ -n ${PIP_CONFIG_FILE:-} ]]; then pip_configs+=("$PIP_CONFIG_FILE"); fi
pass_env=()
while IFS= read -r var; do
  pass_env+=("$var=${!var}")
done < <(compgen -e | grep -E '^(PIP_[A-Z_]+|https?_proxy|HTTPS?_PROXY|no_proxy|NO_PROXY)$' || true)

inside_path() {  # where a host path of pip's goes in the chroot, whose user is root
  case $1 in
    "$HOME"/*) echo "/root/${1#"$HOME"/}" ;;
    *) echo "$1" ;;
  esac
}
referenced=()
for conf in "${pip_configs[@]}"; do
  [[ -f $conf ]] || continue
  target=$root$(inside_path "$conf")
  mkdir -p "$(dirname "$target")"
  cp "$conf" "$target"
  say "pip configuration: $conf"
  while IFS= read -r path; do referenced+=("$path"); done < <(
    grep -oE '(file://)?/[^[:space:]"'\'',]+' "$conf" | sed 's|^file://||')
done
for var in "${pass_env[@]}"; do
  while IFS= read -r path; do referenced+=("$path"); done < <(
    grep -oE '(file://)?/[^[:space:]"'\'',]+' <<<"${var#*=}" | sed 's|^file://||' || true)
done
for path in "${referenced[@]}"; do
  path=${path%/}
  if [[ -d $path ]]; then
    # A local index's pages (…/simple/NAME/) link to files beside that folder.
    if [[ ${path##*/} == simple ]]; then path=${path%/simple}; fi
    if mountpoint -q "$root$path"; then continue; fi
    mount_in "$root$path" --bind "$path"
    mount -o remount,bind,ro "$root$path"
  elif [[ -f $path ]]; then  # e.g. a CA bundle: this machine's wins over the chroot's own
    mkdir -p "$(dirname "$root$path")"
    cp "$path" "$root$path"
  fi
done

head=$(git -C "$repo" rev-parse HEAD)
say "cloning $(git -C "$repo" log -1 --format='%h %s' "$head")"
mkdir -p "$root$work"
git -C "$repo" bundle create "$root$work/tidings.bundle" HEAD 2>/dev/null
cp "$here/inside.sh" "$root$work/inside.sh"
chmod -R a+rX "$root$work"

status=0
chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${pass_env[@]}" \
  /bin/bash "$work/inside.sh" || status=$?

if [[ -f $root$work/screenshot.png ]]; then cp "$root$work/screenshot.png" "$artifacts/fresh-machine.png"; fi
for file in make-test.log make-run.log tidings.log; do
  if [[ -f $root$work/$file ]]; then cp "$root$work/$file" "$artifacts/fresh-machine-$file"; fi
done
if ((status == 0)); then
  say "PASSED: make test and make run work on a fresh Debian 12 (screenshot: test-artifacts/fresh-machine.png)"
else
  say "FAILED (status $status); logs in test-artifacts/fresh-machine*.log"
fi
exit "$status"
