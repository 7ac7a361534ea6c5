#!/usr/bin/env bash
# The fresh-machine check inside the bare Debian 12 that run.sh made (run as its root): the
# README's commands typed as a newcomer would, each judged by what a person would see.
#   1. `make run` as a user who cannot install packages stops at once, names the install command
#      in one line and builds nothing;
#   2. `make test` as root installs the system packages itself and passes;
#   3. with them installed, every library of Qt's xcb and Wayland platform plugins resolves;
#   4. `make run` as the user, who now needs no root, opens the main window on a real X server
#      (Xvfb, QT_QPA_PLATFORM=xcb); a screenshot of it is saved.
set -euo pipefail

work=/var/tmp/fresh-machine
user=newcomer
display=:99
failures=()

say() { printf '[fresh-machine] %s\n' "$*"; }
failed() {
  say "FAIL: $*"
  failures+=("$*")
}
as_user() { su "$user" -c "$1"; }

until_true() {  # until_true SECONDS COMMAND...: poll a condition, false when the time runs out
  local deadline=$((SECONDS + $1))
  until "${@:2}" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

say "Debian $(cat /etc/debian_version); $(python3 --version); $(make --version | head -n 1);" \
  "$(git --version)"
useradd --create-home --shell /bin/bash "$user"
if [[ -d /root/.config/pip ]]; then  # the same pip configuration for the user as for root
  mkdir -p "/home/$user/.config"
  cp -r /root/.config/pip "/home/$user/.config/"
  chown -R "$user:" "/home/$user/.config"
fi
clone="git -c advice.detachedHead=false clone -q $work/tidings.bundle"
as_user "$clone ~/tidings"
$clone /root/tidings

say "1. make run, as a user without root or sudo"
refusal=$(as_user 'cd ~/tidings && make run' 2>&1) && refused=0 || refused=$?
printf '%s\n' "$refusal"
own_lines=$(grep -vc '^make: \*\*\*' <<<"$refusal" || true)
if ((refused == 0)); then
  failed "make run did not stop for the missing packages"
elif ! grep -q '^Tidings needs system packages: sudo apt-get .*install -y' <<<"$refusal"; then
  failed "make run did not name the install command"
elif ((own_lines != 1)); then
  failed "make run said $own_lines lines, not one"
elif [[ -e /home/$user/tidings/.venv ]]; then
  failed "make run built the virtual environment before stopping"
else
  say "make stopped before building anything, with the one line above"
fi

say "2. make test, as root"
cd /root/tidings
tested=0
make test 2>&1 | tee "$work/make-test.log" || tested=$?
summary=$(grep -E '^[=[:space:]]*[0-9]+ (passed|failed)' "$work/make-test.log" | tail -n 1 || true)
if ((tested == 0)); then say "make test passed: $summary"; else failed "make test: exit $tested, $summary"; fi

say "3. the libraries of Qt's xcb and Wayland plugins"
qt=$(echo /root/tidings/.venv/lib/python3*/site-packages/PySide6/Qt)
plugins=("$qt"/plugins/platforms/libqxcb.so "$qt"/plugins/platforms/libqwayland.so
  "$qt"/plugins/xcbglintegrations/*.so "$qt"/plugins/wayland-*-client/*.so
  "$qt"/plugins/wayland-shell-integration/*.so)
unresolved=""
for plugin in "${plugins[@]}"; do
  if [[ ! -f $plugin ]]; then
    unresolved+="$plugin: not there"$'\n'
    continue
  fi
  unresolved+=$(ldd "$plugin" | awk -v p="${plugin##*/}" '/not found/ { print p ": " $1 " not found" }')
done
if [[ -n ${unresolved//$'\n'/} ]]; then
  failed "unresolved libraries:"$'\n'"$unresolved"
else
  say "all ${#plugins[@]} plugins resolve every library they link against"
fi

say "4. make run, as the user, on a real X server"
say "installing the harness's X server and window tools (not the app's)"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  xvfb xdotool x11-apps netpbm >"$work/harness-apt.log" 2>&1 || {
  tail -n 20 "$work/harness-apt.log"
  exit 1
}
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
app=""
stop() {
  if [[ -n $app ]]; then kill -TERM -- "-$app" 2>/dev/null || true; fi
  kill -TERM "$xvfb" 2>/dev/null || true
}
trap stop EXIT
export DISPLAY=$display
until_true 30 xdotool getdisplaygeometry || {
  failed "Xvfb did not start: $(cat "$work/xvfb.log")"
  exit 1
}

uid=$(id -u "$user")
install -d -m 700 -o "$user" "/run/user/$uid"
log_file=/home/$user/.local/share/Tidings/logs/tidings.log
started=$SECONDS
setsid su "$user" -c "cd ~/tidings && DISPLAY=$display QT_QPA_PLATFORM=xcb \
  XDG_RUNTIME_DIR=/run/user/$uid make run" >"$work/make-run.log" 2>&1 &
app=$!

window_up() {
  grep -q "chats are open" "$log_file" && xdotool search --onlyvisible --name '^Tidings'
}
running() { kill -0 "$app" 2>/dev/null; }
gone() { ! kill -0 -- "-$app" 2>/dev/null; }
window_or_exit() { window_up || ! running; }
if ! until_true 600 window_or_exit || ! window_up >/dev/null; then
  failed "no main window; make run's output ends with:"$'\n'"$(tail -n 30 "$work/make-run.log")"
else
  seconds=$((SECONDS - started))
  for window in $(xdotool search --onlyvisible --name '^Tidings'); do
    geometry=$(xdotool getwindowgeometry "$window" | awk '/Geometry/ { print $2 }')
    say "window up: \"$(xdotool getwindowname "$window")\" $geometry on Xvfb $display" \
      "(QT_QPA_PLATFORM=xcb), ${seconds} s after make run (venv built as $user)"
  done
  settled() {  # two screenshots a moment apart that match: the window has painted
    xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng >"$work/next.png"
    if cmp -s "$work/next.png" "$work/screenshot.png"; then return 0; fi
    mv "$work/next.png" "$work/screenshot.png"
    sleep 0.5
    return 1
  }
  until_true 15 settled || true
  rm -f "$work/next.png"
  say "screenshot: test-artifacts/fresh-machine.png"
fi
if grep -q "Could not load the Qt platform plugin" "$work/make-run.log"; then
  failed "Qt could not load its platform plugin"
fi
cp "$log_file" "$work/tidings.log" 2>/dev/null || true

kill -TERM -- "-$app" 2>/dev/null || true
if until_true 30 gone; then
  say "make run stopped on SIGTERM"
else
  failed "make run did not stop within 30 s of SIGTERM"
  kill -KILL -- "-$app" 2>/dev/null || true
fi
app=""

if ((${#failures[@]})); then
  say "${#failures[@]} check(s) failed"
  exit 1
fi
say "all checks passed; make test: $summary"
