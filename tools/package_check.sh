#!/usr/bin/env bash
# `make package-check` (run by .ci/run after `make test`): build the Linux .deb, install it into
# this machine with apt, start the installed /usr/bin/tidings --demo under Xvfb on the real xcb
# platform, check that the main window comes up with the demo's conversations and nothing
# printed a traceback, stop it with SIGTERM, then remove the package and check it left nothing.
#
# Needs root or password-less sudo (apt-get install), Xvfb and xdotool. Every failure says
# "package-check: FAIL: <what>" with the log lines that explain it. Screenshot and logs go to
# test-artifacts/package-check*. First the wheel: built from the sdist, installed into a fresh
# venv and run headless (tests/packaging with TIDINGS_PACKAGE_TESTS=1). Skip steps with
# PACKAGE_CHECK_SKIP_WHEEL=1 and PACKAGE_CHECK_SKIP_BUILD=1 (uses the .deb already in dist/).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ART=$ROOT/test-artifacts
mkdir -p "$ART"
PY=${PY:-.venv/bin/python}
START_TIMEOUT=${PACKAGE_CHECK_TIMEOUT:-90}
T0=$(date +%s)

say() { echo "package-check: $*"; }
fail() {
  echo "package-check: FAIL: $*" >&2
  for f in "${WORK:-/nonexistent}/app.out" "${WORK:-/nonexistent}"/data/logs/tidings.log \
      "${WORK:-/nonexistent}"/data/demo-service/*.log; do
    [[ -s $f ]] || continue
    echo "--- last lines of $f" >&2
    tail -n 25 "$f" >&2
  done
  exit 1
}

as_root() {
  if [[ $(id -u) == 0 ]]; then "$@"
  elif sudo -n true 2>/dev/null; then sudo -n "$@"
  else fail "installing a .deb needs root or password-less sudo: run as root"; fi
}

for tool in Xvfb xdotool dpkg-deb apt-get; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (apt-get install xvfb xdotool)"
done

# --- the wheel: sdist → wheel → a fresh venv → tidings --demo headless ------------------------
if [[ ${PACKAGE_CHECK_SKIP_WHEEL:-} != 1 ]]; then
  say "wheel from the sdist in a clean venv (tests/packaging)"
  TIDINGS_PACKAGE_TESTS=1 QT_QPA_PLATFORM=offscreen "$PY" -m pytest -q -p no:cacheprovider \
    tests/packaging >"$ART/package-check-wheel.log" 2>&1 \
    || { tail -n 40 "$ART/package-check-wheel.log" >&2; fail "the wheel does not install or run from a clean venv (log: test-artifacts/package-check-wheel.log)"; }
  say "wheel installs and runs from a clean venv ($(( $(date +%s) - T0 )) s)"
fi
T_WHEEL=$(date +%s)

# --- build -------------------------------------------------------------------------------------
if [[ ${PACKAGE_CHECK_SKIP_BUILD:-} != 1 ]]; then
  say "building the .deb (make package)"
  TIDINGS_DEB_COMPRESSION=zstd make --no-print-directory package PACKAGE_ARGS=--deb-only \
    >"$ART/package-check-build.log" 2>&1 \
    || { tail -n 40 "$ART/package-check-build.log" >&2; fail "make package failed (log: test-artifacts/package-check-build.log)"; }
fi
debs=(dist/tidings_*.deb)
[[ -f ${debs[0]} ]] || fail "no dist/tidings_*.deb was built"
DEB=${debs[-1]}
T_BUILT=$(date +%s)
say "built $DEB ($(du -h "$DEB" | cut -f1)) in $((T_BUILT - T_WHEEL)) s"

# --- install -----------------------------------------------------------------------------------
if dpkg-query -W -f='${db:Status-Status}' tidings 2>/dev/null | grep -qx installed; then
  say "tidings was installed before this check; removing it first"
  as_root apt-get remove -y tidings >/dev/null
fi
WORK=$(mktemp -d /tmp/tidings-package-check.XXXXXX)
XVFB_PID=
APP_PID=
cleanup() {
  [[ -n $APP_PID ]] && kill -KILL "$APP_PID" 2>/dev/null || true
  [[ -n $XVFB_PID ]] && kill "$XVFB_PID" 2>/dev/null || true
  if dpkg-query -W -f='${db:Status-Status}' tidings 2>/dev/null | grep -qx installed; then
    as_root apt-get remove -y tidings >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

say "apt-get install -y ./$DEB"
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "./$DEB" >"$WORK/apt-install.log" 2>&1 \
  || { cat "$WORK/apt-install.log" >&2; fail "apt-get install of $DEB failed"; }
for path in /usr/bin/tidings /opt/tidings/tidings /usr/share/applications/tidings.desktop \
    /usr/share/icons/hicolor/256x256/apps/tidings.png /usr/share/icons/hicolor/scalable/apps/tidings.svg \
    /usr/share/metainfo/app.tidings.Tidings.metainfo.xml; do
  [[ -e $path ]] || fail "the package did not install $path"
done
if command -v appstreamcli >/dev/null; then
  appstreamcli validate --no-net /usr/share/metainfo/app.tidings.Tidings.metainfo.xml \
    >"$WORK/appstream.log" 2>&1 || { cat "$WORK/appstream.log" >&2; fail "the AppStream metainfo does not validate"; }
fi
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate /usr/share/applications/tidings.desktop || fail "the desktop entry does not validate"
fi
T_INSTALLED=$(date +%s)
say "installed in $((T_INSTALLED - T_BUILT)) s ($(du -sh /opt/tidings | cut -f1) under /opt/tidings)"

# --- run under Xvfb ----------------------------------------------------------------------------
exec {DISPLAY_FD}<> <(:)
Xvfb -displayfd "$DISPLAY_FD" -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
XVFB_PID=$!
display=
for _ in $(seq 100); do
  if read -r -t 0.1 -u "$DISPLAY_FD" display && [[ -n $display ]]; then break; fi
  kill -0 "$XVFB_PID" 2>/dev/null || { cat "$WORK/xvfb.log" >&2; fail "Xvfb did not start"; }
done
[[ -n $display ]] || fail "Xvfb did not report a display within 10 s"
export DISPLAY=:$display
say "Xvfb on $DISPLAY"

mkdir -p "$WORK/home"
env -i PATH=/usr/bin:/bin HOME="$WORK/home" DISPLAY="$DISPLAY" QT_QPA_PLATFORM=xcb \
  LANG=C.UTF-8 PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring \
  /usr/bin/tidings --demo --data-dir "$WORK/data" >"$WORK/app.out" 2>&1 &
APP_PID=$!
T_STARTED=$(date +%s.%N)

LOG=$WORK/data/logs/tidings.log
window=
for _ in $(seq $((START_TIMEOUT * 4))); do
  kill -0 "$APP_PID" 2>/dev/null || fail "the installed app exited before its main window came up"
  if [[ -f $LOG ]] && grep -q "chats are open" "$LOG"; then
    window=$(xdotool search --onlyvisible --classname '^tidings$' 2>/dev/null | head -n 1 || true)
    [[ -n $window ]] && break
  fi
  sleep 0.25
done
[[ -n $window ]] || fail "no main window within ${START_TIMEOUT} s (log line 'chats are open' and a visible window of class tidings)"
T_WINDOW=$(date +%s.%N)
title=$(xdotool getwindowname "$window")
[[ $title == "Tidings — Demo" ]] || fail "the window's title is '$title', not 'Tidings — Demo'"
wm_class=$(xprop -id "$window" WM_CLASS 2>/dev/null || true)
say "main window $window '$title' $wm_class after $(awk "BEGIN {printf \"%.1f\", $T_WINDOW - $T_STARTED}") s"

# The demo's conversations reached the app: its cache holds them (the SDK's per-user SQLite).
conversations=0
for _ in $(seq 60); do
  conversations=$("$PY" - "$WORK/data" <<'PYEOF'
import sqlite3, sys
from pathlib import Path
best = 0
for db in Path(sys.argv[1], "profiles").rglob("*.db"):
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
        if "conversations" in tables:
            best = max(best, con.execute("select count(*) from conversations").fetchone()[0])
        con.close()
    except sqlite3.Error:
        pass
print(best)
PYEOF
)
  (( conversations >= 3 )) && break
  sleep 0.5
done
(( conversations >= 3 )) || fail "the app's cache holds $conversations conversations, not the demo's"
sleep 2  # let the list paint before the screenshot
"$PY" tests/packaging/screenshot.py "$window" "$ART/package-check.png" \
  || say "(no screenshot: $?)"
say "$conversations demo conversations; screenshot test-artifacts/package-check.png"

children=$(ps -o pid= --ppid "$APP_PID" | tr -d ' ' | tr '\n' ' ')
rss_kib=$(ps -o rss= -p "$APP_PID" | tr -d ' ')
say "idle RSS of the app process $((rss_kib / 1024)) MiB; children: $children"

# --- quit --------------------------------------------------------------------------------------
kill -TERM "$APP_PID"
code=0
for _ in $(seq 60); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.25; done
if kill -0 "$APP_PID" 2>/dev/null; then fail "the app did not exit within 15 s of SIGTERM"; fi
wait "$APP_PID" || code=$?
APP_PID=
[[ $code == 0 ]] || fail "the app exited with code $code after SIGTERM"
for child in $children; do
  kill -0 "$child" 2>/dev/null && fail "child process $child (service or demo) outlived the app"
done
if grep -l "Traceback" "$WORK/app.out" "$LOG" "$WORK"/data/demo-service/*.log 2>/dev/null; then
  fail "a traceback was printed (files above)"
fi
cp "$WORK/app.out" "$ART/package-check-app.out"
cp "$LOG" "$ART/package-check-tidings.log"
say "quit cleanly on SIGTERM (exit 0, no traceback, children gone)"

# --- remove ------------------------------------------------------------------------------------
as_root env DEBIAN_FRONTEND=noninteractive apt-get remove -y tidings >"$WORK/apt-remove.log" 2>&1 \
  || { cat "$WORK/apt-remove.log" >&2; fail "apt-get remove tidings failed"; }
[[ ! -e /opt/tidings ]] || { find /opt/tidings | head -n 20 >&2; fail "files are left under /opt/tidings"; }
for path in /usr/bin/tidings /usr/share/applications/tidings.desktop \
    /usr/share/metainfo/app.tidings.Tidings.metainfo.xml /usr/share/icons/hicolor/256x256/apps/tidings.png; do
  [[ ! -e $path ]] || fail "$path is left after apt-get remove"
done
T_END=$(date +%s)
say "removed cleanly; wheel $((T_WHEEL - T0)) s, .deb build $((T_BUILT - T_WHEEL)) s, install $((T_INSTALLED - T_BUILT)) s, run and remove $((T_END - T_INSTALLED)) s, whole check $((T_END - T0)) s"
say "OK"
